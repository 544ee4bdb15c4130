package dev.warden.usage;

import dev.warden.inventory.Source;
import dev.warden.store.Database;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.jdbi.v3.core.Handle;

/**
 * Usage as posture and the API read it: each identity's summary folded from its daily aggregates
 * (kept), as of any instant; which source scopes have usage; and pruning of raw events (kept for
 * the retention period). An ingestion writes through {@link UsageWrites}.
 */
public final class UsageStore {
    /** Most source scopes {@link #scopes} reads. */
    static final int MAX_SCOPES = 100_000;

    private final Database db;

    public UsageStore(Database db) {
        this.db = db;
    }

    /** Deletes raw events older than {@code before}; returns how many. Aggregates are kept. */
    public int pruneEvents(Instant before) {
        return db.inTransaction(h -> h.createUpdate("DELETE FROM usage_events WHERE at < :before")
                .bind("before", before.toEpochMilli())
                .execute());
    }

    /** The usage of one identity up to {@code asOf}, if any. */
    public Optional<UsageSummary> summary(String sourceType, String scope, String principal, Instant asOf) {
        return db.withHandle(h -> {
            List<SummaryFold.Row> rows = h.createQuery(
                            "SELECT * FROM usage_daily WHERE source_type = :t AND scope = :s AND principal = :p"
                                    + " AND day <= :day AND first_at <= :asOf")
                    .bind("t", sourceType)
                    .bind("s", scope)
                    .bind("p", principal)
                    .bind("day", LocalDate.ofInstant(asOf, ZoneOffset.UTC).toEpochDay())
                    .bind("asOf", asOf.toEpochMilli())
                    .map((rs, ctx) -> SummaryFold.row(rs))
                    .list();
            return rows.isEmpty() ? Optional.empty() : Optional.of(SummaryFold.fold(rows, asOf));
        });
    }

    /**
     * Every identity's usage up to {@code asOf}, one summary at a time in key order, in memory
     * bounded by one identity's aggregates.
     */
    public void forEachSummary(Instant asOf, Consumer<UsageSummary> sink) {
        db.streaming(h -> {
            try (Stream<SummaryFold.Row> rows = h
                    .createQuery("SELECT * FROM usage_daily WHERE day <= :day AND first_at <= :asOf"
                            + " ORDER BY source_type, scope, principal")
                    .bind("day", LocalDate.ofInstant(asOf, ZoneOffset.UTC).toEpochDay())
                    .bind("asOf", asOf.toEpochMilli())
                    .setFetchSize(2_000)
                    .map((rs, ctx) -> SummaryFold.row(rs))
                    .stream()) {
                List<SummaryFold.Row> group = new ArrayList<>();
                rows.forEach(r -> {
                    if (!group.isEmpty() && !group.get(0).sameIdentity(r)) {
                        sink.accept(SummaryFold.fold(group, asOf));
                        group.clear();
                    }
                    group.add(r);
                });
                if (!group.isEmpty()) {
                    sink.accept(SummaryFold.fold(group, asOf));
                }
            }
            return null;
        });
    }

    /**
     * The usage up to {@code asOf} of the inventory's identities with ids after {@code after}
     * (exclusive; null: from the start) up to {@code last} (inclusive) and of one of
     * {@code sourceTypes}, by identity id; identities without usage are absent. One query on the
     * caller's handle (so that it sees the caller's snapshot), joining each identity to its
     * aggregates by (source type, scope, external id) through the principal index: the posture
     * evaluation asks once per page of identities.
     */
    public Map<String, UsageSummary> summariesOfIdentities(
            Handle h, String after, String last, Collection<String> sourceTypes, Instant asOf) {
        if (sourceTypes.isEmpty()) {
            return Map.of();
        }
        Map<String, List<SummaryFold.Row>> byIdentity = new HashMap<>();
        // CROSS JOIN: SQLite keeps the written order, identities (a key range) first, then the index.
        var q = h.createQuery("SELECT i.id AS identity_id, u.* FROM identities i CROSS JOIN usage_daily u WHERE "
                        + (after == null ? "" : "i.id > :after AND ")
                        + "i.id <= :last AND i.source_type IN (<types>) AND u.source_type = i.source_type"
                        + " AND u.scope = i.source_scope AND u.principal = i.external_id AND u.day <= :day"
                        + " AND u.first_at <= :asOf")
                .bind("last", last)
                .bindList("types", List.copyOf(sourceTypes))
                .bind("day", LocalDate.ofInstant(asOf, ZoneOffset.UTC).toEpochDay())
                .bind("asOf", asOf.toEpochMilli());
        if (after != null) {
            q.bind("after", after);
        }
        q.map((rs, ctx) -> Map.entry(rs.getString("identity_id"), SummaryFold.row(rs)))
                .forEach(e -> byIdentity
                        .computeIfAbsent(e.getKey(), k -> new ArrayList<>())
                        .add(e.getValue()));
        Map<String, UsageSummary> out = new HashMap<>();
        byIdentity.forEach((id, rows) -> out.put(id, SummaryFold.fold(rows, asOf)));
        return out;
    }

    /**
     * The sources (type and scope) that have any usage: which parts of the estate logs were ingested
     * for. A loose index scan, one probe per pair (at most {@link #MAX_SCOPES}), so it costs the same
     * for ten rows or ten million. A pair that is not a valid inventory {@link Source} as it stands
     * (a type or scope that {@code Source} would refuse or trim) is left out: no identity has it.
     */
    public Set<Source> scopes(Handle h) {
        Set<Source> out = new LinkedHashSet<>();
        Optional<String[]> next = h.createQuery(
                        "SELECT source_type, scope FROM usage_daily ORDER BY source_type, scope LIMIT 1")
                .map((rs, ctx) -> new String[] {rs.getString(1), rs.getString(2)})
                .findOne();
        int probes = 0;
        while (next.isPresent() && probes++ < MAX_SCOPES) {
            String[] k = next.get();
            source(k[0], k[1]).ifPresent(out::add);
            next = h.createQuery("SELECT source_type, scope FROM usage_daily WHERE (source_type, scope) > (:t, :s)"
                            + " ORDER BY source_type, scope LIMIT 1")
                    .bind("t", k[0])
                    .bind("s", k[1])
                    .map((rs, ctx) -> new String[] {rs.getString(1), rs.getString(2)})
                    .findOne();
        }
        return out;
    }

    /** {@code type} and {@code scope} as a source, if they are one unchanged. */
    private static Optional<Source> source(String type, String scope) {
        try {
            Source s = Source.of(type, scope);
            return s.scope().equals(scope) ? Optional.of(s) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** How many actions {@link #unmatched} shows per principal. */
    static final int SAMPLE_ACTIONS = 5;

    /**
     * Principals the logs show in use (up to {@code asOf}) that match no inventory identity by
     * (source type, scope, external id), most events first, at most {@code limit}. For AWS only
     * principals named by an ARN count (users, roles, root, web-identity subjects): the services
     * ({@code ec2.amazonaws.com}), {@code AWS Internal} and {@code anonymous} are not identities
     * anyone could inventory.
     */
    public List<Unmatched> unmatched(Instant asOf, int limit) {
        return db.withHandle(h -> {
            List<Unmatched> rows = h.createQuery(
                            "SELECT u.source_type, u.scope, u.principal, MIN(u.first_at) AS first_at,"
                                    + " MAX(u.last_at) AS last_at, SUM(u.events) AS events FROM usage_daily u"
                                    + " WHERE u.first_at <= :asOf AND (u.source_type <> 'aws' OR u.principal LIKE 'arn:%')"
                                    + " AND NOT EXISTS (SELECT 1 FROM identities i WHERE i.source_type = u.source_type"
                                    + " AND i.source_scope = u.scope AND i.external_id = u.principal)"
                                    + " GROUP BY u.source_type, u.scope, u.principal"
                                    + " ORDER BY events DESC, u.source_type, u.scope, u.principal LIMIT :limit")
                    .bind("asOf", asOf.toEpochMilli())
                    .bind("limit", limit)
                    .map((rs, ctx) -> new Unmatched(
                            rs.getString("principal"),
                            rs.getString("source_type"),
                            rs.getString("scope"),
                            Instant.ofEpochMilli(rs.getLong("first_at")),
                            Instant.ofEpochMilli(rs.getLong("last_at")),
                            rs.getLong("events"),
                            List.of()))
                    .list();
            List<Unmatched> out = new ArrayList<>(rows.size());
            for (Unmatched u : rows) {
                List<String> actions = h.createQuery("SELECT DISTINCT action FROM usage_daily WHERE source_type = :t"
                                + " AND scope = :s AND principal = :p ORDER BY action LIMIT :n")
                        .bind("t", u.sourceType())
                        .bind("s", u.scope())
                        .bind("p", u.principal())
                        .bind("n", SAMPLE_ACTIONS)
                        .mapTo(String.class)
                        .list();
                out.add(new Unmatched(
                        u.principal(), u.sourceType(), u.scope(), u.firstSeen(), u.lastSeen(), u.events(), actions));
            }
            return out;
        });
    }
}
