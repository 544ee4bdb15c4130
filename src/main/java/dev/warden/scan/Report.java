package dev.warden.scan;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/**
 * The outcome of one scan: what was scanned and how, the hits that remain after allow comments,
 * allowlists and the baseline, and the counts. {@code fingerprintKey} says where the fingerprint
 * key came from ({@code env}, {@code store}, {@code ephemeral}).
 */
public record Report(
        String version,
        String mode,
        List<String> targets,
        Instant startedAt,
        Instant finishedAt,
        String fingerprintKey,
        ScanStats.Summary summary,
        List<Rule> rules,
        List<Hit> hits) {

    /** Report order: path, line, column, rule, then commit. */
    public static final Comparator<Hit> ORDER = Comparator.comparing(Hit::path)
            .thenComparingInt(Hit::line)
            .thenComparingInt(Hit::column)
            .thenComparing(Hit::rule)
            .thenComparing(h -> h.commit() == null ? "" : h.commit());

    public Report {
        targets = List.copyOf(targets);
        rules = List.copyOf(rules);
        hits = List.copyOf(hits);
    }
}
