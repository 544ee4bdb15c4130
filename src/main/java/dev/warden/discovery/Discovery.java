package dev.warden.discovery;

import dev.warden.inventory.IdentityRecord;
import java.util.List;

/**
 * What a connector found: identity records, the parts of the inventory it saw whole
 * ({@link Coverage}), and notes for the user (skipped objects, unusual values).
 */
public record Discovery(List<IdentityRecord> records, List<Coverage> coverage, List<String> notes) {
    public Discovery {
        records = List.copyOf(records);
        coverage = List.copyOf(coverage);
        notes = List.copyOf(notes);
    }
}
