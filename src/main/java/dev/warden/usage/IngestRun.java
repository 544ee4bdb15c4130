package dev.warden.usage;

import java.time.Instant;
import java.util.List;

/**
 * One ingestion: files read, events applied, records skipped, events of identities not (yet) in
 * the inventory, and the problems with where and why (refused files, skipped records).
 */
public record IngestRun(
        String id,
        String format,
        String actor,
        Instant startedAt,
        Instant finishedAt,
        String status,
        int files,
        long events,
        long skipped,
        long unmatched,
        List<String> problems) {
    public static final String SUCCEEDED = "succeeded";
    public static final String PARTIAL = "partial";
    public static final String FAILED = "failed";

    public IngestRun {
        problems = List.copyOf(problems);
    }
}
