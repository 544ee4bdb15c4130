package dev.warden.discovery;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One import as recorded at {@code GET /v1/imports}: what was read, by whom, what changed
 * (identities added, updated, unchanged, marked removed), how long it took, how it ended, and the
 * records it skipped ({@code skipped} in all, the first {@value Skips#KEPT} in {@code skips}).
 */
public record ImportRun(
        String id,
        String source,
        String actor,
        List<String> inputs,
        Map<String, String> options,
        Instant startedAt,
        Instant finishedAt,
        long durationMs,
        String status,
        int added,
        int updated,
        int unchanged,
        int removed,
        String error,
        List<String> notes,
        int skipped,
        List<Skip> skips) {
    public static final String SUCCEEDED = "succeeded";
    public static final String FAILED = "failed";

    public ImportRun {
        inputs = List.copyOf(inputs);
        options = Map.copyOf(options);
        notes = List.copyOf(notes);
        skips = List.copyOf(skips);
    }
}
