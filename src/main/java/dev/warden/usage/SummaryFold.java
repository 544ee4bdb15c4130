package dev.warden.usage;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Stored daily aggregates of one identity folded into its {@link UsageSummary}: totals, first and
 * last use, and each action, address, user agent, credential, event type and target with its count.
 */
final class SummaryFold {
    private SummaryFold() {}

    /** One stored aggregate, as {@code usage_daily} holds it. */
    record Row(
            String sourceType,
            String scope,
            String principal,
            String credential,
            String action,
            String sourceIp,
            String userAgent,
            String type,
            String target,
            long events,
            long errors,
            long firstAt,
            long lastAt) {
        boolean sameIdentity(Row o) {
            return sourceType.equals(o.sourceType) && scope.equals(o.scope) && principal.equals(o.principal);
        }
    }

    static Row row(ResultSet rs) throws SQLException {
        return new Row(
                rs.getString("source_type"),
                rs.getString("scope"),
                rs.getString("principal"),
                rs.getString("credential"),
                rs.getString("action"),
                rs.getString("source_ip"),
                rs.getString("user_agent"),
                rs.getString("event_type"),
                rs.getString("target"),
                rs.getLong("events"),
                rs.getLong("errors"),
                rs.getLong("first_at"),
                rs.getLong("last_at"));
    }

    /** Folds an identity's aggregate rows; a row's last use is capped at {@code asOf} (day granularity). */
    static UsageSummary fold(List<Row> rows, Instant asOf) {
        long cap = asOf.toEpochMilli();
        Map<String, long[]> actions = new HashMap<>();
        Map<String, long[]> ips = new HashMap<>();
        Map<String, long[]> agents = new HashMap<>();
        Map<String, long[]> credentials = new HashMap<>();
        Map<String, long[]> types = new HashMap<>();
        Map<String, long[]> targets = new HashMap<>();
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        long events = 0;
        long errors = 0;
        for (Row r : rows) {
            long rowLast = Math.min(r.lastAt(), cap);
            first = Math.min(first, r.firstAt());
            last = Math.max(last, rowLast);
            events += r.events();
            errors += r.errors();
            count(actions, r.action(), r, rowLast);
            count(ips, r.sourceIp(), r, rowLast);
            count(agents, r.userAgent(), r, rowLast);
            count(credentials, r.credential(), r, rowLast);
            count(types, r.type(), r, rowLast);
            count(targets, r.target(), r, rowLast);
        }
        Row k = rows.get(0);
        return new UsageSummary(
                k.sourceType(),
                k.scope(),
                k.principal(),
                Instant.ofEpochMilli(first),
                Instant.ofEpochMilli(last),
                events,
                errors,
                counted(actions),
                counted(ips),
                counted(agents),
                counted(credentials),
                counted(types),
                counted(targets));
    }

    private static void count(Map<String, long[]> m, String value, Row r, long rowLast) {
        if (value.isEmpty()) {
            return;
        }
        long[] c = m.computeIfAbsent(value, v -> new long[] {0, Long.MAX_VALUE, Long.MIN_VALUE});
        c[0] += r.events();
        c[1] = Math.min(c[1], r.firstAt());
        c[2] = Math.max(c[2], rowLast);
    }

    private static List<UsageSummary.Counted> counted(Map<String, long[]> m) {
        return m.entrySet().stream()
                .map(e -> new UsageSummary.Counted(
                        e.getKey(),
                        e.getValue()[0],
                        Instant.ofEpochMilli(e.getValue()[1]),
                        Instant.ofEpochMilli(e.getValue()[2])))
                .sorted(Comparator.comparingLong(UsageSummary.Counted::count)
                        .reversed()
                        .thenComparing(UsageSummary.Counted::value))
                .toList();
    }
}
