package dev.warden.usage;

import dev.warden.store.Database;
import dev.warden.store.Dialect;
import dev.warden.store.StoreException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.jdbi.v3.core.Handle;

/** SQL for usage: daily aggregates (kept), raw events (kept for the retention period). */
public final class UsageStore {
    private final Database db;

    public UsageStore(Database db) {
        this.db = db;
    }

    /** Who an event is about: the identity key the inventory uses. */
    record Identity(String sourceType, String scope, String principal) {}

    /**
     * The dimensions of one daily aggregate. Its hash code is computed once, when the key is made
     * (on the parsing thread, see {@link EventPipe}), not at every map lookup.
     */
    static final class Key {
        private final String sourceType;
        private final String scope;
        private final String principal;
        private final String credential;
        private final long day;
        private final String action;
        private final String sourceIp;
        private final String userAgent;
        private final String type;
        private final String target;
        private final int hash;

        Key(
                String sourceType,
                String scope,
                String principal,
                String credential,
                long day,
                String action,
                String sourceIp,
                String userAgent,
                String type,
                String target) {
            this.sourceType = sourceType;
            this.scope = scope;
            this.principal = principal;
            this.credential = credential;
            this.day = day;
            this.action = action;
            this.sourceIp = sourceIp;
            this.userAgent = userAgent;
            this.type = type;
            this.target = target;
            int h = sourceType.hashCode();
            h = 31 * h + scope.hashCode();
            h = 31 * h + principal.hashCode();
            h = 31 * h + credential.hashCode();
            h = 31 * h + Long.hashCode(day);
            h = 31 * h + action.hashCode();
            h = 31 * h + sourceIp.hashCode();
            h = 31 * h + userAgent.hashCode();
            h = 31 * h + type.hashCode();
            this.hash = 31 * h + target.hashCode();
        }

        static Key of(UsageEvent e) {
            return new Key(
                    e.sourceType(),
                    e.scope(),
                    e.principal(),
                    e.credential() == null ? "" : e.credential(),
                    Math.floorDiv(e.at().getEpochSecond(), 86_400L),
                    e.action(),
                    e.sourceIp() == null ? "" : e.sourceIp(),
                    e.userAgent() == null ? "" : e.userAgent(),
                    e.type(),
                    e.target() == null ? "" : e.target());
        }

        /** This key with {@code canon}'s instance of each string: for a key an aggregate keeps. */
        Key canonical(Canon canon) {
            return new Key(
                    canon.of(sourceType),
                    canon.of(scope),
                    canon.of(principal),
                    canon.of(credential),
                    day,
                    canon.of(action),
                    canon.of(sourceIp),
                    canon.of(userAgent),
                    canon.of(type),
                    canon.of(target));
        }

        String sourceType() {
            return sourceType;
        }

        String scope() {
            return scope;
        }

        String principal() {
            return principal;
        }

        String credential() {
            return credential;
        }

        long day() {
            return day;
        }

        String action() {
            return action;
        }

        String sourceIp() {
            return sourceIp;
        }

        String userAgent() {
            return userAgent;
        }

        String type() {
            return type;
        }

        String target() {
            return target;
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k
                    && hash == k.hash
                    && day == k.day
                    && principal.equals(k.principal)
                    && action.equals(k.action)
                    && credential.equals(k.credential)
                    && sourceIp.equals(k.sourceIp)
                    && userAgent.equals(k.userAgent)
                    && type.equals(k.type)
                    && target.equals(k.target)
                    && scope.equals(k.scope)
                    && sourceType.equals(k.sourceType);
        }

        Identity identity() {
            return new Identity(sourceType, scope, principal);
        }
    }

    /**
     * Computes the stored key of aggregates, 64 hex digits: the day (8), a hash of the identity (16)
     * and a hash of all dimensions (40), each SHA-256 over length-prefixed UTF-8 forms. Keys sort by
     * day, then identity, so an ingestion (logs arrive in time order) touches the index pages of the
     * days it covers, not pages all over a table of millions of rows. One hasher serves one write:
     * it reuses its digest and hashes each identity once, not once per aggregate.
     */
    static final class KeyHasher {
        private final MessageDigest all = sha256();
        private final MessageDigest identity = sha256();
        private final Map<Identity, String> identities = new HashMap<>();
        private final byte[] prefix = new byte[12];
        private final HexFormat hex = HexFormat.of();

        String hash(Key k) {
            Identity who = k.identity();
            String id = identities.get(who);
            if (id == null) {
                update(identity, k.sourceType);
                update(identity, k.scope);
                update(identity, k.principal);
                id = hex.formatHex(identity.digest(), 0, 8);
                identities.put(who, id);
            }
            update(all, k.sourceType);
            update(all, k.scope);
            update(all, k.principal);
            update(all, k.credential);
            update(all, Long.toString(k.day));
            update(all, k.action);
            update(all, k.sourceIp);
            update(all, k.userAgent);
            update(all, k.type);
            if (!k.target.isEmpty()) {
                // only when present: aggregates stored before targets existed keep their keys
                update(all, k.target);
            }
            return hex.toHexDigits((int) k.day) + id + hex.formatHex(all.digest(), 0, 20);
        }

        private static MessageDigest sha256() {
            try {
                return MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException ex) {
                throw new IllegalStateException(ex);
            }
        }

        private void update(MessageDigest sha, String f) {
            byte[] b = f.getBytes(StandardCharsets.UTF_8);
            int i = prefix.length;
            prefix[--i] = ':';
            int n = b.length;
            do {
                prefix[--i] = (byte) ('0' + n % 10);
                n /= 10;
            } while (n > 0);
            sha.update(prefix, i, prefix.length - i);
            sha.update(b);
        }
    }

    /**
     * One instance of each string that aggregate keys repeat (principals, user agents, addresses:
     * a few thousand distinct values over millions of events), so the aggregates held while files
     * are folded share their strings instead of each keeping the copies its first event parsed:
     * less to copy at every young collection. Applied once per new aggregate, not per event. Used
     * by one thread; forgets everything past {@link #MAX} strings, so memory stays bounded whatever
     * the logs hold.
     */
    static final class Canon {
        static final int MAX = 65_536;
        private final Map<String, String> strings = new HashMap<>();

        String of(String s) {
            String c = strings.putIfAbsent(s, s);
            if (c != null) {
                return c;
            }
            if (strings.size() > MAX) {
                strings.clear();
            }
            return s;
        }
    }

    /** One daily aggregate's counts; mutable while a file is folded. */
    static final class Daily {
        final Key key;
        long events;
        long errors;
        long firstAt = Long.MAX_VALUE;
        long lastAt = Long.MIN_VALUE;

        Daily(Key key) {
            this.key = key;
        }

        void merge(Daily o) {
            events += o.events;
            errors += o.errors;
            firstAt = Math.min(firstAt, o.firstAt);
            lastAt = Math.max(lastAt, o.lastAt);
        }

        void add(UsageEvent e) {
            events++;
            if (e.errorCode() != null) {
                errors++;
            }
            long at = e.at().toEpochMilli();
            firstAt = Math.min(firstAt, at);
            lastAt = Math.max(lastAt, at);
        }
    }

    private static final String UPSERT_DAILY = "INSERT INTO usage_daily (dim_hash, source_type, scope, principal,"
            + " credential, day, action, source_ip, user_agent, event_type, events, errors, first_at, last_at, target)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (dim_hash) DO UPDATE SET"
            + " events = usage_daily.events + excluded.events, errors = usage_daily.errors + excluded.errors,"
            + " first_at = %s(usage_daily.first_at, excluded.first_at), last_at = %s(usage_daily.last_at, excluded.last_at)";

    private static final String INSERT_EVENT = "INSERT INTO usage_events (at, source_type, scope, principal,"
            + " credential, action, resource, source_ip, user_agent, event_type, error_code, ingest_id, target)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    private static final int DAILY_BATCH = 5_000;

    /**
     * Adds folded aggregates to the stored ones, in key order (each upsert lands next to the
     * previous one in the index). Plain JDBC batches with positional parameters: at millions of rows,
     * named-parameter binding costs more than the SQL.
     */
    void addDaily(Handle h, Collection<Daily> daily) {
        boolean pg = db.dialect() == Dialect.POSTGRESQL;
        String sql = String.format(UPSERT_DAILY, pg ? "LEAST" : "MIN", pg ? "GREATEST" : "MAX");
        List<Map.Entry<String, Daily>> sorted = new ArrayList<>(daily.size());
        KeyHasher hasher = new KeyHasher();
        for (Daily d : daily) {
            sorted.add(Map.entry(hasher.hash(d.key), d));
        }
        sorted.sort(Map.Entry.comparingByKey());
        try (PreparedStatement ps = h.getConnection().prepareStatement(sql)) {
            int n = 0;
            for (Map.Entry<String, Daily> row : sorted) {
                Daily d = row.getValue();
                Key k = d.key;
                ps.setString(1, row.getKey());
                ps.setString(2, k.sourceType());
                ps.setString(3, k.scope());
                ps.setString(4, k.principal());
                ps.setString(5, k.credential());
                ps.setLong(6, k.day());
                ps.setString(7, k.action());
                ps.setString(8, k.sourceIp());
                ps.setString(9, k.userAgent());
                ps.setString(10, k.type());
                ps.setLong(11, d.events);
                ps.setLong(12, d.errors);
                ps.setLong(13, d.firstAt);
                ps.setLong(14, d.lastAt);
                ps.setString(15, k.target());
                ps.addBatch();
                if (++n % DAILY_BATCH == 0) {
                    ps.executeBatch();
                }
            }
            if (n % DAILY_BATCH != 0) {
                ps.executeBatch();
            }
        } catch (SQLException e) {
            throw new StoreException("cannot store usage aggregates: " + e.getMessage(), e);
        }
    }

    /**
     * Inserting in the order of the only index on raw events (their time) appends to it: logs arrive
     * about in time order, so a batch lands at the end of the index, not on pages all over it.
     */
    private static final Comparator<UsageEvent> INDEX_ORDER = Comparator.comparing(UsageEvent::at);

    /** Appends raw events (kept until {@link #pruneEvents}); sorts {@code events}. */
    void addEvents(Handle h, List<UsageEvent> events, String ingestId) {
        if (events.isEmpty()) {
            return;
        }
        events.sort(INDEX_ORDER);
        try (PreparedStatement ps = h.getConnection().prepareStatement(INSERT_EVENT)) {
            for (UsageEvent e : events) {
                ps.setLong(1, e.at().toEpochMilli());
                ps.setString(2, e.sourceType());
                ps.setString(3, e.scope());
                ps.setString(4, e.principal());
                ps.setString(5, e.credential());
                ps.setString(6, e.action());
                ps.setString(7, e.resource());
                ps.setString(8, e.sourceIp());
                ps.setString(9, e.userAgent());
                ps.setString(10, e.type());
                ps.setString(11, e.errorCode());
                ps.setString(12, ingestId);
                ps.setString(13, e.target());
                ps.addBatch();
            }
            ps.executeBatch();
        } catch (SQLException e) {
            throw new StoreException("cannot store usage events: " + e.getMessage(), e);
        }
    }

    /** Deletes raw events older than {@code before}; returns how many. Aggregates are kept. */
    public int pruneEvents(Instant before) {
        return db.inTransaction(h -> h.createUpdate("DELETE FROM usage_events WHERE at < :before")
                .bind("before", before.toEpochMilli())
                .execute());
    }

    /**
     * What one ingestion learnt about which identity keys the inventory holds, so a key is looked up
     * once per run, not once per file; at most {@link #MAX} keys are remembered (least recently used
     * go first).
     */
    static final class KnownIdentities {
        static final int MAX = 100_000;
        private final Map<Identity, Boolean> known = new LinkedHashMap<>(1024, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<Identity, Boolean> eldest) {
                return size() > MAX;
            }
        };
    }

    /** How many of the counted events name an identity the inventory does not hold. */
    long countUnknown(Handle h, Map<Identity, long[]> eventsByIdentity, KnownIdentities cache) {
        long unknown = 0;
        for (Map.Entry<Identity, long[]> e : eventsByIdentity.entrySet()) {
            Identity k = e.getKey();
            Boolean known = cache.known.get(k);
            if (known == null) {
                known = h.createQuery("SELECT COUNT(*) FROM identities WHERE source_type = :t AND source_scope = :s"
                                        + " AND external_id = :p")
                                .bind("t", k.sourceType())
                                .bind("s", k.scope())
                                .bind("p", k.principal())
                                .mapTo(Long.class)
                                .one()
                        > 0;
                cache.known.put(k, known);
            }
            if (!known) {
                unknown += e.getValue()[0];
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
            String target,
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
                rs.getString("target"),
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
