package dev.warden.discovery;

import dev.warden.inventory.IdentityRecord;
import java.util.List;

/**
 * What a connector found: identity records, the parts of the inventory it saw whole
 * ({@link Coverage}), notes for the user (unusual values), and the records it skipped
 * ({@code skipped} in all, the first {@value Skips#KEPT} in {@code skips}).
 */
public record Discovery(
        List<IdentityRecord> records, List<Coverage> coverage, List<String> notes, int skipped, List<Skip> skips) {
    public Discovery {
        records = List.copyOf(records);
        coverage = List.copyOf(coverage);
        notes = List.copyOf(notes);
        skips = List.copyOf(skips);
    }

    /** A discovery that skipped nothing. */
    public Discovery(List<IdentityRecord> records, List<Coverage> coverage, List<String> notes) {
        this(records, coverage, notes, 0, List.of());
    }

    /** A discovery with the skips a {@link Skips} collected. */
    public Discovery(List<IdentityRecord> records, List<Coverage> coverage, List<String> notes, Skips skips) {
        this(records, coverage, notes, skips.count(), skips.kept());
    }
}
