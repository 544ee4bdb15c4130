package dev.warden.posture;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one evaluation did: when, as of when, by whom, how many identities it read and evaluated,
 * the findings open and accepted afterwards, how many were new, resolved or reopened, and the
 * counts per check, severity and status. A persisted evaluation is stored (reports compare the
 * latest two for their trend); an as-of evaluation is not ({@code persisted} false, nothing new,
 * resolved or reopened).
 */
public record Evaluation(
        String id,
        Instant at,
        Instant asOf,
        String actor,
        boolean persisted,
        long identities,
        long evaluated,
        long open,
        long accepted,
        long newFindings,
        long resolved,
        long reopened,
        long durationMs,
        List<Count> counts) {
    public Evaluation {
        counts = List.copyOf(counts);
    }

    /** How many findings of a check had a severity and status. */
    public record Count(String check, Severity severity, FindingStatus status, long count) {}

    /** Open and accepted findings per severity, over the checks named. */
    public Map<Severity, Long> bySeverity(java.util.Collection<String> checks) {
        Map<Severity, Long> out = new TreeMap<>();
        for (Severity s : Severity.values()) {
            out.put(s, 0L);
        }
        for (Count c : counts) {
            if (checks.contains(c.check())) {
                out.merge(c.severity(), c.count(), Long::sum);
            }
        }
        return out;
    }

    /** Accepted findings over the checks named. */
    public long acceptedOf(java.util.Collection<String> checks) {
        return counts.stream()
                .filter(c -> c.status() == FindingStatus.ACCEPTED && checks.contains(c.check()))
                .mapToLong(Count::count)
                .sum();
    }
}
