package dev.warden.inventory;

import static dev.warden.inventory.IdentityRows.EFFECTIVE_NATURE;
import static dev.warden.inventory.IdentityRows.IDENTITY_COLUMNS;

import dev.warden.store.Database;
import dev.warden.store.Ids;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;

/**
 * Reads of the inventory aggregate: one whole record by id, filtered pages of identities, counts,
 * and the keyset pages the posture evaluation walks. Every value is a bound parameter.
 */
final class InventoryQueries {
    private static final String UNSPECIFIED = "unspecified";

    private final Database db;

    InventoryQueries(Database db) {
        this.db = db;
    }

    /** One identity with its credentials, entitlements and trusts, by id. */
    Optional<IdentityRecord> get(String id, String team) {
        if (!Ids.isValid(id)) {
            return Optional.empty();
        }
        return db.withHandle(h -> {
            Optional<Identity> identity = h.createQuery(
                            "SELECT " + IDENTITY_COLUMNS + " FROM identities WHERE id = :id")
                    .bind("id", id)
                    .map((rs, ctx) -> IdentityRows.identity(rs))
                    .findOne()
                    .filter(i -> team == null || team.equals(i.businessOwner()) || team.equals(i.technicalOwner()));
            return identity.map(i -> IdentityRecord.whole(
                    i,
                    h.createQuery("SELECT * FROM credentials WHERE identity_id = :id ORDER BY id")
                            .bind("id", id)
                            .map((rs, ctx) -> IdentityRows.credential(rs))
                            .list(),
                    h.createQuery("SELECT * FROM entitlements WHERE identity_id = :id ORDER BY id")
                            .bind("id", id)
                            .map((rs, ctx) -> IdentityRows.entitlement(rs))
                            .list(),
                    h.createQuery("SELECT * FROM trusts WHERE identity_id = :id ORDER BY id")
                            .bind("id", id)
                            .map((rs, ctx) -> IdentityRows.trust(rs))
                            .list()));
        });
    }

    /**
     * The last id of every run of {@code pageSize} identities in id order (the last one possibly
     * shorter), read from the primary-key index in one pass: page {@code k} is then the ids after
     * end {@code k-1} up to end {@code k}, so that pages can be read independently, in parallel.
     */
    List<String> pageEnds(Handle h, int pageSize) {
        List<String> ends = new ArrayList<>();
        String[] last = new String[1];
        int[] n = new int[1];
        h.createQuery("SELECT id FROM identities ORDER BY id")
                .setFetchSize(10_000)
                .mapTo(String.class)
                .forEach(id -> {
                    last[0] = id;
                    if (++n[0] % pageSize == 0) {
                        ends.add(id);
                    }
                });
        if (last[0] != null && (ends.isEmpty() || !ends.get(ends.size() - 1).equals(last[0]))) {
            ends.add(last[0]);
        }
        return ends;
    }

    /**
     * The whole records with ids after {@code after} (exclusive; null: from the start) up to
     * {@code last} (inclusive), in id order, read on the caller's handle.
     */
    List<IdentityRecord> records(Handle h, String after, String last) {
        List<Identity> identities = (after == null
                        ? h.createQuery("SELECT " + IDENTITY_COLUMNS + " FROM identities WHERE id <= :last ORDER BY id")
                        : h.createQuery("SELECT " + IDENTITY_COLUMNS
                                        + " FROM identities WHERE id > :after AND id <= :last ORDER BY id")
                                .bind("after", after))
                .bind("last", last)
                .map((rs, ctx) -> IdentityRows.identity(rs))
                .list();
        return withChildren(h, identities);
    }

    /** The identities with their children, read by id range: a page is a contiguous run of ids. */
    private List<IdentityRecord> withChildren(Handle h, List<Identity> identities) {
        if (identities.isEmpty()) {
            return List.of();
        }
        String first = identities.get(0).id();
        String last = identities.get(identities.size() - 1).id();
        Map<String, List<Credential>> credentials = new HashMap<>();
        h.createQuery("SELECT * FROM credentials WHERE identity_id BETWEEN :first AND :last ORDER BY identity_id, id")
                .bind("first", first)
                .bind("last", last)
                .map((rs, ctx) -> IdentityRows.credential(rs))
                .forEach(c -> credentials
                        .computeIfAbsent(c.identityId(), k -> new ArrayList<>())
                        .add(c));
        Map<String, List<Entitlement>> entitlements = new HashMap<>();
        h.createQuery("SELECT * FROM entitlements WHERE identity_id BETWEEN :first AND :last ORDER BY identity_id, id")
                .bind("first", first)
                .bind("last", last)
                .map((rs, ctx) -> Map.entry(rs.getString("identity_id"), IdentityRows.entitlement(rs)))
                .forEach(e -> entitlements
                        .computeIfAbsent(e.getKey(), k -> new ArrayList<>())
                        .add(e.getValue()));
        Map<String, List<Trust>> trusts = new HashMap<>();
        h.createQuery("SELECT * FROM trusts WHERE identity_id BETWEEN :first AND :last ORDER BY identity_id, id")
                .bind("first", first)
                .bind("last", last)
                .map((rs, ctx) -> Map.entry(rs.getString("identity_id"), IdentityRows.trust(rs)))
                .forEach(e -> trusts.computeIfAbsent(e.getKey(), k -> new ArrayList<>())
                        .add(e.getValue()));
        List<IdentityRecord> out = new ArrayList<>(identities.size());
        for (Identity i : identities) {
            out.add(IdentityRecord.whole(
                    i,
                    credentials.getOrDefault(i.id(), List.of()),
                    entitlements.getOrDefault(i.id(), List.of()),
                    trusts.getOrDefault(i.id(), List.of())));
        }
        return out;
    }

    /** A page of identities matching {@code filter}, in id (creation) order. */
    Page<Identity> list(IdentityFilter filter, String cursor, int limit) {
        if (limit < 1 || limit > Inventory.MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be between 1 and " + Inventory.MAX_LIMIT);
        }
        String after = cursor == null || cursor.isEmpty() ? null : Cursor.decode(cursor);
        Where where;
        String sql;
        if (isOwnerDriven(filter)) {
            // owner = X means either owner column: walk each column's (owner, id) index for its first
            // rows and page through their union, rather than fetch and sort every row the team owns.
            where = where(filter, false, "business_owner");
            Where technical = where(filter, false, "technical_owner");
            if (after != null) {
                where.add("id > :after", "after", after);
                technical.add("id > :after", "after", after);
            }
            sql = "SELECT " + IDENTITY_COLUMNS + " FROM identities WHERE id IN (SELECT id FROM (SELECT id FROM"
                    + " identities" + where.sql() + " ORDER BY id LIMIT :limit) AS b UNION ALL SELECT id FROM"
                    + " (SELECT id FROM identities" + technical.sql() + " ORDER BY id LIMIT :limit) AS t)"
                    + " ORDER BY id LIMIT :limit";
        } else {
            where = where(filter);
            if (after != null) {
                where.add("id > :after", "after", after);
            }
            sql = "SELECT " + IDENTITY_COLUMNS + " FROM identities" + where.sql() + " ORDER BY id LIMIT :limit";
        }
        List<Identity> rows = db.withHandle(h -> where.bindTo(h.createQuery(sql))
                .bind("limit", limit + 1)
                .map((rs, ctx) -> IdentityRows.identity(rs))
                .list());
        if (rows.size() <= limit) {
            return new Page<>(rows, null);
        }
        List<Identity> page = rows.subList(0, limit);
        return new Page<>(page, Cursor.encode(page.get(limit - 1).id()));
    }

    /**
     * Counts of identities matching {@code filter}, in one pass: over the {@code identities_stats}
     * index (kind, source type, environment, status, unowned) when the filter only names those
     * columns, else over the rows a selective filter (owner, scope, external id, text) picks.
     */
    InventoryStats stats(IdentityFilter filter) {
        Where where = where(filter, !isSelective(filter));
        Map<String, Long> byKind = new TreeMap<>();
        Map<String, Long> bySource = new TreeMap<>();
        Map<String, Long> byEnvironment = new TreeMap<>();
        Map<String, Long> byStatus = new TreeMap<>();
        long[] unowned = new long[1];
        long[] total = new long[1];
        db.withHandle(h -> where.bindTo(h.createQuery("SELECT kind, source_type, environment, status, COUNT(*) AS n,"
                        + " SUM(CASE WHEN business_owner IS NULL AND technical_owner IS NULL THEN 1 ELSE 0 END)"
                        + " AS unowned FROM identities" + where.sql()
                        + " GROUP BY kind, source_type, environment, status"))
                .map((rs, ctx) -> {
                    long n = rs.getLong("n");
                    byKind.merge(rs.getString("kind"), n, Long::sum);
                    bySource.merge(rs.getString("source_type"), n, Long::sum);
                    String env = rs.getString("environment");
                    byEnvironment.merge(env == null ? UNSPECIFIED : env, n, Long::sum);
                    byStatus.merge(rs.getString("status"), n, Long::sum);
                    unowned[0] += rs.getLong("unowned");
                    total[0] += n;
                    return 0;
                })
                .list());
        return new InventoryStats(
                total[0],
                byKind,
                bySource,
                byEnvironment,
                byStatus,
                new InventoryStats.Ownership(total[0] - unowned[0], unowned[0]));
    }

    /** True when the filter names a column that picks few rows, so that its index should drive the query. */
    private static boolean isSelective(IdentityFilter f) {
        return f.owner() != null
                || f.team() != null
                || f.externalId() != null
                || f.text() != null
                || (f.source() != null && f.source().indexOf(':') >= 0);
    }

    /** Number of identities stored. */
    long count() {
        return db.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM identities")
                .mapTo(Long.class)
                .one());
    }

    private Where where(IdentityFilter f) {
        return where(f, false, null);
    }

    private Where where(IdentityFilter f, boolean scan) {
        return where(f, scan, null);
    }

    /**
     * True when an owner (or a token's team) is the only indexed filter: then {@link #list} drives
     * the query from the two owner indexes. With kind, source, environment, external id or text as
     * well, the planner's choice among those indexes is kept.
     */
    private static boolean isOwnerDriven(IdentityFilter f) {
        return (f.owner() != null || f.team() != null)
                && f.kind() == null
                && f.source() == null
                && f.environment() == null
                && f.externalId() == null
                && f.text() == null;
    }

    /**
     * The WHERE clause for {@code f}. With {@code scan}, equality on the low-selectivity columns is
     * written ({@code column || ''}) so that no index matches it: SQLite, which keeps no column
     * statistics, would otherwise walk that column's index and look up most of the table, where a
     * scan of the much smaller stats index is several times faster. With {@code ownerColumn}, the
     * owner (else the team) filter matches that one owner column instead of either.
     */
    private Where where(IdentityFilter f, boolean scan, String ownerColumn) {
        String opaque = scan ? " || ''" : "";
        Where w = new Where();
        if (f.kind() != null) {
            w.add("kind = :kind", "kind", f.kind().value());
        }
        if (f.source() != null) {
            int colon = f.source().indexOf(':');
            if (colon < 0) {
                w.add("source_type" + opaque + " = :sourceType", "sourceType", f.source());
            } else {
                w.add("source_type = :sourceType", "sourceType", f.source().substring(0, colon));
                w.add("source_scope = :sourceScope", "sourceScope", f.source().substring(colon + 1));
            }
        }
        if (f.owner() != null) {
            w.add(
                    ownerColumn != null
                            ? ownerColumn + " = :owner"
                            : "(business_owner = :owner OR technical_owner = :owner)",
                    "owner",
                    f.owner());
        }
        if (f.team() != null) {
            w.add(
                    ownerColumn != null && f.owner() == null
                            ? ownerColumn + " = :team"
                            : "(business_owner = :team OR technical_owner = :team)",
                    "team",
                    f.team());
        }
        if (f.owned() != null) {
            if (scan) {
                // the stats index's own expression, so that the index answers it
                w.add("(business_owner IS NULL AND technical_owner IS NULL) = " + (f.owned() ? "FALSE" : "TRUE"));
            } else {
                w.add(
                        f.owned()
                                ? "(business_owner IS NOT NULL OR technical_owner IS NOT NULL)"
                                : "(business_owner IS NULL AND technical_owner IS NULL)");
            }
        }
        if (f.environment() != null) {
            w.add("environment" + opaque + " = :environment", "environment", f.environment());
        }
        if (f.status() != null) {
            w.add("status" + opaque + " = :status", "status", f.status().value());
        }
        if (f.externalId() != null) {
            w.add("external_id = :externalId", "externalId", f.externalId());
        }
        if (f.nature() != null) {
            w.add(EFFECTIVE_NATURE + " = :nature", "nature", f.nature().value());
        }
        if (f.text() != null) {
            String like = db.dialect().caseInsensitiveLike();
            // '!' rather than a backslash as the LIKE escape: JDBI's parser reads '\' as an escaped quote.
            w.add(
                    "(name " + like + " :q ESCAPE '!' OR external_id " + like + " :q ESCAPE '!')",
                    "q",
                    "%" + f.text().replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%");
        }
        return w;
    }

    /** A WHERE clause built from fixed SQL fragments and bound values only. */
    private static final class Where {
        private final List<String> clauses = new ArrayList<>();
        private final Map<String, Object> values = new LinkedHashMap<>();

        void add(String clause) {
            clauses.add(clause);
        }

        void add(String clause, String name, Object value) {
            clauses.add(clause);
            values.put(name, value);
        }

        String sql() {
            return clauses.isEmpty() ? "" : " WHERE " + String.join(" AND ", clauses);
        }

        Query bindTo(Query q) {
            values.forEach(q::bind);
            return q;
        }
    }
}
