package dev.warden.posture;

import java.util.EnumSet;
import java.util.Objects;

/**
 * The gate CI puts in front of a deployment ({@code warden findings --fail-on S}): it fails when the
 * findings a filter lists include an <em>open</em> one at or above {@code threshold}. Accepted
 * findings (under an exception) and resolved ones never fail it, so a filter that lists no open
 * findings cannot. The stored findings are asked of the store, however many were printed; an as-of
 * view is judged on the findings it holds, which are exactly those its filter passed.
 */
public record FindingsGate(Severity threshold) {
    public FindingsGate {
        Objects.requireNonNull(threshold, "threshold");
    }

    /** The gate at a severity given by name (info, low, medium, high, critical). */
    public static FindingsGate parse(String severity) {
        return new FindingsGate(Severity.parse(severity));
    }

    /** Whether the stored findings {@code filter} lists (as they stand now) fail the gate. */
    public boolean failedBy(Posture posture, FindingFilter filter) {
        if (!filter.statuses().contains(FindingStatus.OPEN)) {
            return false;
        }
        FindingFilter open = new FindingFilter(
                filter.risk(),
                filter.minSeverity() == null ? threshold : Severity.max(filter.minSeverity(), threshold),
                EnumSet.of(FindingStatus.OPEN),
                filter.identityId(),
                filter.team());
        return !posture.list(open, null, 1).items().isEmpty();
    }

    /** Whether an as-of view's findings fail the gate. */
    public boolean failedBy(Posture.View view) {
        return view.findings().stream()
                .anyMatch(f -> f.status() == FindingStatus.OPEN && f.severity().atLeast(threshold));
    }
}
