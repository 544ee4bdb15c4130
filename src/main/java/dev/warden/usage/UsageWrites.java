package dev.warden.usage;

import dev.warden.store.Dialect;
import dev.warden.store.StoreException;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;

/**
 * The SQL an ingestion writes, on the caller's {@link Handle} (one transaction per group of
 * files, see {@link FileGroup}): daily aggregates added to the stored ones, raw events appended,
 * and the count of events that name no identity in the inventory.
 */
final class UsageWrites {
    private static final String UPSERT_DAILY = "INSERT INTO usage_daily (dim_hash, source_type, scope, principal,"
            + " credential, day, action, source_ip, user_agent, event_type, events, errors, first_at, last_at, target)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (dim_hash) DO UPDATE SET"
            + " events = usage_daily.events + excluded.events, errors = usage_daily.errors + excluded.errors,"
            + " first_at = %s(usage_daily.first_at, excluded.first_at), last_at = %s(usage_daily.last_at, excluded.last_at)";

    private static final String INSERT_EVENT = "INSERT INTO usage_events (at, source_type, scope, principal,"
            + " credential, action, resource, source_ip, user_agent, event_type, error_code, ingest_id, target)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    private static final int DAILY_BATCH = 5_000;

    private final Dialect dialect;

    UsageWrites(Dialect dialect) {
        this.dialect = dialect;
    }

    /**
     * Adds folded aggregates to the stored ones, in key order (each upsert lands next to the
     * previous one in the index). Plain JDBC batches with positional parameters: at millions of rows,
     * named-parameter binding costs more than the SQL.
     */
    void addDaily(Handle h, Collection<Daily> daily) {
        boolean pg = dialect == Dialect.POSTGRESQL;
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
                DailyKey k = d.key;
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

    /** Appends raw events (kept until {@link UsageStore#pruneEvents}); sorts {@code events}. */
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

    /**
     * What one ingestion learnt about which identity keys the inventory holds, so a key is looked up
     * once per run, not once per file; at most {@link #MAX} keys are remembered (least recently used
     * go first).
     */
    static final class KnownIdentities {
        static final int MAX = 100_000;
        private final Map<IdentityKey, Boolean> known = new LinkedHashMap<>(1024, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<IdentityKey, Boolean> eldest) {
                return size() > MAX;
            }
        };
    }

    /** How many of the counted events name an identity the inventory does not hold. */
    long countUnknown(Handle h, Map<IdentityKey, long[]> eventsByIdentity, KnownIdentities cache) {
        long unknown = 0;
        for (Map.Entry<IdentityKey, long[]> e : eventsByIdentity.entrySet()) {
            IdentityKey k = e.getKey();
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
}
