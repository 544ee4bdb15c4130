package dev.warden.discovery;

import dev.warden.input.InputException;
import java.util.ArrayList;
import java.util.List;

/**
 * How a connector reports a record it cannot understand. In a lenient import the record is left
 * out and counted (the first {@value #KEPT} are kept with file, pointer and reason); in a strict
 * import ({@link ImportOptions#strict()}) the first one refuses the file, so the store stays
 * unchanged. Confined to one {@link Connector#discover} call.
 */
public final class Skips {
    public static final int KEPT = 1_000;

    private final boolean strict;
    private final List<Skip> kept = new ArrayList<>();
    private int count;

    public Skips(ImportOptions options) {
        this.strict = options.strict();
    }

    /**
     * Records that the record at {@code pointer} of {@code file} was skipped because of
     * {@code reason} (which must not echo input values); throws {@link InputException} instead when
     * the import is strict.
     */
    public void skip(String file, String pointer, String reason) {
        if (strict) {
            throw new InputException(file + ": " + pointer + ": " + reason + " (--strict refuses the file)");
        }
        count++;
        if (kept.size() < KEPT) {
            kept.add(new Skip(file, pointer, reason));
        }
    }

    public int count() {
        return count;
    }

    public List<Skip> kept() {
        return List.copyOf(kept);
    }
}
