package dev.warden.usage;

import dev.warden.store.Database;
import dev.warden.store.Dialect;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

/** SQL for usage: daily aggregates (kept), raw events (kept for the retention period). */
public final class UsageStore {
    private final Database db;

    public UsageStore(Database db) {
        this.db = db;
    }

    /** The dimensions of one daily aggregate and its counts; mutable while a file is folded. */
    static final class Daily {
        final String sourceType;
        final String scope;
        final String principal;
        final String credential;
        final long day;
        final String action;
        final String sourceIp;
        final String userAgent;
        final String type;
        long events;
        long errors;
        long firstAt = Long.MAX_VALUE;
        long lastAt = Long.MIN_VALUE;

        Daily(UsageEvent e) {
            this.sourceType = e.sourceType();
            this.scope = e.scope();
            this.principal = e.principal();
            this.credential = e.credential() == null ? "" : e.credential();
            this.day = LocalDate.ofInstant(e.at(), ZoneOffset.UTC).toEpochDay();
            this.action = e.action();
            this.sourceIp = e.sourceIp() == null ? "" : e.sourceIp();
            this.userAgent = e.userAgent() == null ? "" : e.userAgent();
            this.type = e.type();
        }

        void add(UsageEvent e) {
            events++;
            if (e.errorCode() != null) {
                errors++;
            }
            firstAt = Math.min(firstAt, e.at().toEpochMilli());
            lastAt = Math.max(lastAt, e.at().toEpochMilli());
        }

        String hash() {
            MessageDigest sha;
            try {
                sha = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException ex) {
                throw new IllegalStateException(ex);
            }
            for (String f : new String[] {
                sourceType, scope, principal, credential, Long.toString(day), action, sourceIp, userAgent, type
            }) {
                byte[] b = f.getBytes(StandardCharsets.UTF_8);
                sha.update((b.length + ":").getBytes(StandardCharsets.US_ASCII));
                sha.update(b);
            }
            return HexFormat.of().formatHex(sha.digest());
        }
    }

    /** Adds folded aggregates to the stored ones. */
    void addDaily(Handle h, Iterable<Daily> daily) {
        boolean pg = db.dialect() == Dialect.POSTGRESQL;
        PreparedBatch batch =
                h.prepareBatch("INSERT INTO usage_daily (dim_hash, source_type, scope, principal, credential, day,"
                        + " action, source_ip, user_agent, event_type, events, errors, first_at, last_at) VALUES (:hash, :sourceType,"
                        + " :scope, :principal, :credential, :day, :action, :sourceIp, :userAgent, :type, :events, :errors, :firstAt,"
                        + " :lastAt) ON CONFLICT (dim_hash) DO UPDATE SET events = usage_daily.events + excluded.events,"
                        + " errors = usage_daily.errors + excluded.errors,"
                        + " first_at = " + (pg ? "LEAST" : "MIN") + "(usage_daily.first_at, excluded.first_at),"
                        + " last_at = " + (pg ? "GREATEST" : "MAX") + "(usage_daily.last_at, excluded.last_at)");
        int n = 0;
        for (Daily d : daily) {
            batch.bind("hash", d.hash())
                    .bind("sourceType", d.sourceType)
                    .bind("scope", d.scope)
                    .bind("principal", d.principal)
                    .bind("credential", d.credential)
                    .bind("day", d.day)
                    .bind("action", d.action)
                    .bind("sourceIp", d.sourceIp)
                    .bind("userAgent", d.userAgent)
                    .bind("type", d.type)
                    .bind("events", d.events)
                    .bind("errors", d.errors)
                    .bind("firstAt", d.firstAt)
                    .bind("lastAt", d.lastAt)
                    .add();
            if (++n % 5_000 == 0) {
                batch.execute();
            }
        }
        if (batch.size() > 0) {
            batch.execute();
        }
    }

    /** Appends raw events (kept until {@link #pruneEvents}). */
    void addEvents(Handle h, List<UsageEvent> events, String ingestId) {
        PreparedBatch batch = h.prepareBatch(
                "INSERT INTO usage_events (at, source_type, scope, principal, credential, action,"
                        + " resource, source_ip, user_agent, event_type, error_code, ingest_id) VALUES (:at, :sourceType, :scope,"
                        + " :principal, :credential, :action, :resource, :sourceIp, :userAgent, :type, :errorCode, :ingestId)");
        for (UsageEvent e : events) {
            batch.bind("at", e.at().toEpochMilli())
                    .bind("sourceType", e.sourceType())
                    .bind("scope", e.scope())
                    .bind("principal", e.principal())
                    .bind("credential", e.credential())
                    .bind("action", e.action())
                    .bind("resource", e.resource())
                    .bind("sourceIp", e.sourceIp())
                    .bind("userAgent", e.userAgent())
                    .bind("type", e.type())
                    .bind("errorCode", e.errorCode())
                    .bind("ingestId", ingestId)
                    .add();
        }
        if (batch.size() > 0) {
            batch.execute();
        }
    }

    /** Deletes raw events older than {@code before}; returns how many. Aggregates are kept. */
    public int pruneEvents(Instant before) {
        return db.inTransaction(h -> h.createUpdate("DELETE FROM usage_events WHERE at < :before")
                .bind("before", before.toEpochMilli())
                .execute());
    }

    /** How many of {@code keys} (source type, scope, principal) name no identity in the inventory. */
    long countUnknown(Handle h, Map<List<String>, Long> eventsByKey) {
        long unknown = 0;
        for (Map.Entry<List<String>, Long> e : eventsByKey.entrySet()) {
            List<String> k = e.getKey();
            boolean known = h.createQuery("SELECT COUNT(*) FROM identities WHERE source_type = :t AND source_scope = :s"
                                    + " AND external_id = :p")
                            .bind("t", k.get(0))
                            .bind("s", k.get(1))
                            .bind("p", k.get(2))
                            .mapTo(Long.class)
                            .one()
                    > 0;
            if (!known) {
                unknown += e.getValue();
            }
        }
        return unknown;
    }

    /** The usage of one identity up to {@code asOf}, if any. */
    public Optional<UsageSummary> summary(String sourceType, String scope, String principal, Instant asOf) {
        return db.withHandle(h -> {
            List<Row> rows = h.createQuery(
                            "SELECT * FROM usage_daily WHERE source_type = :t AND scope = :s AND principal = :p"
                                    + " AND day <= :day AND first_at <= :asOf")
                    .bind("t", sourceType)
                    .bind("s", scope)
                    .bind("p", principal)
                    .bind("day", LocalDate.ofInstant(asOf, ZoneOffset.UTC).toEpochDay())
                    .bind("asOf", asOf.toEpochMilli())
                    .map((rs, ctx) -> row(rs))
                    .list();
            return rows.isEmpty() ? Optional.empty() : Optional.of(fold(rows, asOf));
        });
    }

    /**
     * Every identity's usage up to {@code asOf}, one summary at a time in key order, in memory
     * bounded by one identity's aggregates.
     */
    public void forEachSummary(Instant asOf, Consumer<UsageSummary> sink) {
        db.streaming(h -> {
            try (Stream<Row> rows = h
                    .createQuery("SELECT * FROM usage_daily WHERE day <= :day AND first_at <= :asOf"
                            + " ORDER BY source_type, scope, principal")
                    .bind("day", LocalDate.ofInstant(asOf, ZoneOffset.UTC).toEpochDay())
                    .bind("asOf", asOf.toEpochMilli())
                    .setFetchSize(2_000)
                    .map((rs, ctx) -> row(rs))
                    .stream()) {
                List<Row> group = new ArrayList<>();
                rows.forEach(r -> {
                    if (!group.isEmpty() && !group.get(0).sameIdentity(r)) {
                        sink.accept(fold(group, asOf));
                        group.clear();
                    }
                    group.add(r);
                });
                if (!group.isEmpty()) {
                    sink.accept(fold(group, asOf));
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
        Map<String, List<Row>> byIdentity = new HashMap<>();
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
        q.map((rs, ctx) -> Map.entry(rs.getString("identity_id"), row(rs)))
                .forEach(e -> byIdentity
                        .computeIfAbsent(e.getKey(), k -> new ArrayList<>())
                        .add(e.getValue()));
        Map<String, UsageSummary> out = new HashMap<>();
        byIdentity.forEach((id, rows) -> out.put(id, fold(rows, asOf)));
        return out;
    }

    /**
     * The (source type, scope) pairs that have any usage, as type, a NUL character, scope: which
     * parts of the estate logs were ingested for. A loose index scan, one probe per pair, so it costs
     * the same for ten rows or ten million.
     */
    public Set<String> scopes(Handle h) {
        Set<String> out = new LinkedHashSet<>();
        Optional<String[]> next = h.createQuery(
                        "SELECT source_type, scope FROM usage_daily ORDER BY source_type, scope LIMIT 1")
                .map((rs, ctx) -> new String[] {rs.getString(1), rs.getString(2)})
                .findOne();
        while (next.isPresent() && out.size() < 100_000) {
            String[] k = next.get();
            out.add(k[0] + "\u0000" + k[1]);
            next = h.createQuery("SELECT source_type, scope FROM usage_daily WHERE (source_type, scope) > (:t, :s)"
                            + " ORDER BY source_type, scope LIMIT 1")
                    .bind("t", k[0])
                    .bind("s", k[1])
                    .map((rs, ctx) -> new String[] {rs.getString(1), rs.getString(2)})
                    .findOne();
        }
        return out;
    }

    private record Row(
            String sourceType,
            String scope,
            String principal,
            String credential,
            String action,
            String sourceIp,
            String userAgent,
            String type,
            long events,
            long errors,
            long firstAt,
            long lastAt) {
        boolean sameIdentity(Row o) {
            return sourceType.equals(o.sourceType) && scope.equals(o.scope) && principal.equals(o.principal);
        }
    }

    private static Row row(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Row(
                rs.getString("source_type"),
                rs.getString("scope"),
                rs.getString("principal"),
                rs.getString("credential"),
                rs.getString("action"),
                rs.getString("source_ip"),
                rs.getString("user_agent"),
                rs.getString("event_type"),
                rs.getLong("events"),
                rs.getLong("errors"),
                rs.getLong("first_at"),
                rs.getLong("last_at"));
    }

    /** Folds an identity's aggregate rows; a row's last use is capped at {@code asOf} (day granularity). */
    private static UsageSummary fold(List<Row> rows, Instant asOf) {
        long cap = asOf.toEpochMilli();
        Map<String, long[]> actions = new HashMap<>();
        Map<String, long[]> ips = new HashMap<>();
        Map<String, long[]> agents = new HashMap<>();
        Map<String, long[]> credentials = new HashMap<>();
        Map<String, long[]> types = new HashMap<>();
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
                counted(types));
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
