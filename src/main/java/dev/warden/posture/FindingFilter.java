package dev.warden.posture;

import java.util.EnumSet;
import java.util.Set;

/**
 * Which findings to list. Every field is optional and set fields are AND-ed.
 *
 * @param risk one OWASP NHI risk (or LIFECYCLE)
 * @param minSeverity this severity or higher
 * @param statuses null: open and accepted (what is current)
 * @param identityId one identity's findings
 * @param team when set (a team-scoped API token), only findings of identities the team owns
 */
public record FindingFilter(
        Risk risk, Severity minSeverity, Set<FindingStatus> statuses, String identityId, String team) {
    public static final FindingFilter CURRENT = new FindingFilter(null, null, null, null, null);

    public FindingFilter {
        statuses = statuses == null || statuses.isEmpty()
                ? Set.copyOf(EnumSet.of(FindingStatus.OPEN, FindingStatus.ACCEPTED))
                : Set.copyOf(statuses);
    }

    /** Parses a status filter: open, accepted, resolved or all (null or empty: open and accepted). */
    public static Set<FindingStatus> statuses(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        if (text.strip().equalsIgnoreCase("all")) {
            return EnumSet.allOf(FindingStatus.class);
        }
        return EnumSet.of(FindingStatus.parse(text));
    }

    /** Whether a finding passes the filter (the team is checked by the caller). */
    public boolean test(Finding f) {
        return (risk == null || f.risk() == risk)
                && (minSeverity == null || f.severity().atLeast(minSeverity))
                && statuses.contains(f.status())
                && (identityId == null
                        || f.identity() != null
                                && identityId.equals(f.identity().id()));
    }
}
