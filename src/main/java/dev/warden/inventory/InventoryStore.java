package dev.warden.inventory;

import dev.warden.store.Database;
import dev.warden.store.JsonColumns;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.Query;

/**
 * SQL for the inventory aggregate (identities with their credentials and entitlements). Write
 * methods take the caller's {@link Handle} so that a load and its audit entry share one
 * transaction; every value is a bound parameter.
 */
public final class InventoryStore {
    /** Largest page a listing returns. */
    public static final int MAX_LIMIT = 1000;

    private static final int CHUNK = 500;
    private static final String UNSPECIFIED = "unspecified";
    private static final String IDENTITY_COLUMNS =
            "id, kind, name, external_id, source_type, source_scope, environment,"
                    + " business_owner, technical_owner, ownership_provenance, workload, purpose, status, third_party_vendor,"
                    + " tags, created_at, first_seen, last_seen";

    private final Database db;

    public InventoryStore(Database db) {
        this.db = db;
    }

    /** What an upsert did. */
    public record UpsertResult(int added, int updated, List<String> ids) {}

    /**
     * Inserts or updates identities keyed by (source type, source scope, external id). An existing
     * identity keeps its id and first-seen time, and its credentials keep their ids; credentials
     * and entitlements are replaced by those given.
     */
    public UpsertResult upsert(Handle h, List<IdentityRecord> records, Instant now) {
        Map<String, IdentityRecord> byKey = new LinkedHashMap<>();
        for (IdentityRecord r : records) {
            if (byKey.put(key(r.identity()), r) != null) {
                throw new IllegalArgumentException(
                        "identity '" + InventoryText.shown(r.identity().externalId()) + "' from "
                                + r.identity().source() + " appears twice in one load");
            }
        }
        Map<String, Existing> existing = findExisting(h, byKey.values());
        List<IdentityRecord> inserts = new ArrayList<>();
        List<IdentityRecord> updates = new ArrayList<>();
        List<String> ids = new ArrayList<>(records.size());
        for (Map.Entry<String, IdentityRecord> e : byKey.entrySet()) {
            Identity in = e.getValue().identity();
            Existing old = existing.get(e.getKey());
            Identity stored;
            if (old == null) {
                stored = in.withId(Ids.next());
                inserts.add(new IdentityRecord(
                        stored, e.getValue().credentials(), e.getValue().entitlements()));
            } else {
                stored = in.withId(old.id())
                        .withFirstSeen(old.firstSeen().isBefore(in.firstSeen()) ? old.firstSeen() : in.firstSeen());
                updates.add(new IdentityRecord(
                        stored, e.getValue().credentials(), e.getValue().entitlements()));
            }
            ids.add(stored.id());
        }
        writeIdentities(h, inserts, now, true);
        writeIdentities(h, updates, now, false);
        Map<String, String> credentialIds = existingCredentialIds(h, updates);
        List<String> updatedIds = updates.stream().map(r -> r.identity().id()).toList();
        deleteChildren(h, "credentials", updatedIds);
        deleteChildren(h, "entitlements", updatedIds);
        List<IdentityRecord> all = new ArrayList<>(inserts);
        all.addAll(updates);
        writeCredentials(h, all, credentialIds);
        writeEntitlements(h, all);
        return new UpsertResult(inserts.size(), updates.size(), ids);
    }

    /**
     * Inserts or updates one identity, keeping its credentials and entitlements: for services that
     * keep an identity current as they see it (the broker, on each issuance). On update the stored
     * id and first-seen time stay, a null owner keeps the stored owner (with its provenance), and
     * tags are merged with the given ones winning. Returns the identity's id.
     */
    public String touch(Handle h, Identity in, Instant now) {
        Optional<Identity> old = h.createQuery("SELECT " + IDENTITY_COLUMNS + " FROM identities WHERE source_type ="
                        + " :type AND source_scope = :scope AND external_id = :externalId")
                .bind("type", in.source().type())
                .bind("scope", in.source().scope())
                .bind("externalId", in.externalId())
                .map((rs, ctx) -> identity(rs))
                .findOne();
        if (old.isEmpty()) {
            Identity stored = in.withId(Ids.next());
            writeIdentities(h, List.of(new IdentityRecord(stored, List.of(), List.of())), now, true);
            return stored.id();
        }
        Identity o = old.get();
        Map<String, String> tags = new TreeMap<>(o.tags());
        tags.putAll(in.tags());
        boolean keepOwners = in.businessOwner() == null && in.technicalOwner() == null;
        Identity merged = new Identity(
                o.id(),
                in.kind(),
                in.name(),
                in.externalId(),
                in.source(),
                in.environment() != null ? in.environment() : o.environment(),
                keepOwners ? o.businessOwner() : in.businessOwner(),
                keepOwners ? o.technicalOwner() : in.technicalOwner(),
                keepOwners ? o.ownershipProvenance() : in.ownershipProvenance(),
                in.workload() != null ? in.workload() : o.workload(),
                in.purpose() != null ? in.purpose() : o.purpose(),
                in.status(),
                in.thirdPartyVendor() != null ? in.thirdPartyVendor() : o.thirdPartyVendor(),
                tags,
                o.createdAt() != null ? o.createdAt() : in.createdAt(),
                o.firstSeen().isBefore(in.firstSeen()) ? o.firstSeen() : in.firstSeen(),
                in.lastSeen().isAfter(o.lastSeen()) ? in.lastSeen() : o.lastSeen());
        writeIdentities(h, List.of(new IdentityRecord(merged, List.of(), List.of())), now, false);
        return o.id();
    }

    /** The identity's natural key: source type, source scope, external id. */
    static String key(Identity i) {
        return i.source().type() + "\u0000" + i.source().scope() + "\u0000" + i.externalId();
    }

    private record Existing(String id, Instant firstSeen) {}

    private Map<String, Existing> findExisting(Handle h, Iterable<IdentityRecord> records) {
        List<String> externalIds = new ArrayList<>();
        records.forEach(r -> externalIds.add(r.identity().externalId()));
        Map<String, Existing> found = new HashMap<>();
        for (int i = 0; i < externalIds.size(); i += CHUNK) {
            List<String> chunk = externalIds.subList(i, Math.min(externalIds.size(), i + CHUNK));
            h.createQuery("SELECT id, source_type, source_scope, external_id, first_seen FROM identities"
                            + " WHERE external_id IN (<ids>)")
                    .bindList("ids", chunk)
                    .map((rs, ctx) -> {
                        found.put(
                                rs.getString("source_type") + "\u0000" + rs.getString("source_scope") + "\u0000"
                                        + rs.getString("external_id"),
                                new Existing(rs.getString("id"), Instant.ofEpochMilli(rs.getLong("first_seen"))));
                        return 0;
                    })
                    .list();
        }
        return found;
    }

    private static void writeIdentities(Handle h, List<IdentityRecord> records, Instant now, boolean insert) {
        if (records.isEmpty()) {
            return;
        }
        String sql = insert
                ? "INSERT INTO identities (" + IDENTITY_COLUMNS
                        + ", updated_at) VALUES (:id, :kind, :name, :externalId,"
                        + " :sourceType, :sourceScope, :environment, :businessOwner, :technicalOwner,"
                        + " :ownershipProvenance, :workload, :purpose, :status, :vendor, :tags, :createdAt, :firstSeen,"
                        + " :lastSeen, :now)"
                : "UPDATE identities SET kind = :kind, name = :name, environment = :environment,"
                        + " business_owner = :businessOwner, technical_owner = :technicalOwner,"
                        + " ownership_provenance = :ownershipProvenance, workload = :workload, purpose = :purpose,"
                        + " status = :status, third_party_vendor = :vendor, tags = :tags, created_at = :createdAt,"
                        + " first_seen = :firstSeen, last_seen = :lastSeen, updated_at = :now WHERE id = :id"
                        + " AND external_id = :externalId AND source_type = :sourceType AND source_scope = :sourceScope";
        PreparedBatch batch = h.prepareBatch(sql);
        for (IdentityRecord r : records) {
            Identity i = r.identity();
            batch.bind("id", i.id())
                    .bind("kind", i.kind().value())
                    .bind("name", i.name())
                    .bind("externalId", i.externalId())
                    .bind("sourceType", i.source().type())
                    .bind("sourceScope", i.source().scope())
                    .bind("environment", i.environment())
                    .bind("businessOwner", i.businessOwner())
                    .bind("technicalOwner", i.technicalOwner())
                    .bind("ownershipProvenance", i.ownershipProvenance())
                    .bind("workload", i.workload())
                    .bind("purpose", i.purpose())
                    .bind("status", i.status().value())
                    .bind("vendor", i.thirdPartyVendor())
                    .bind("tags", JsonColumns.write(i.tags()))
                    .bind("createdAt", millis(i.createdAt()))
                    .bind("firstSeen", millis(i.firstSeen()))
                    .bind("lastSeen", millis(i.lastSeen()))
                    .bind("now", now.toEpochMilli())
                    .add();
        }
        batch.execute();
    }

    private static Map<String, String> existingCredentialIds(Handle h, List<IdentityRecord> updates) {
        Map<String, String> ids = new HashMap<>();
        List<String> identityIds = updates.stream().map(r -> r.identity().id()).toList();
        for (int i = 0; i < identityIds.size(); i += CHUNK) {
            h.createQuery("SELECT * FROM credentials WHERE identity_id IN (<ids>)")
                    .bindList("ids", identityIds.subList(i, Math.min(identityIds.size(), i + CHUNK)))
                    .map((rs, ctx) -> credential(rs))
                    .forEach(c -> ids.put(c.identityId() + "|" + c.naturalKey(), c.id()));
        }
        return ids;
    }

    private static void deleteChildren(Handle h, String table, List<String> identityIds) {
        for (int i = 0; i < identityIds.size(); i += CHUNK) {
            h.createUpdate("DELETE FROM " + table + " WHERE identity_id IN (<ids>)")
                    .bindList("ids", identityIds.subList(i, Math.min(identityIds.size(), i + CHUNK)))
                    .execute();
        }
    }

    private static void writeCredentials(Handle h, List<IdentityRecord> records, Map<String, String> previousIds) {
        PreparedBatch batch = h.prepareBatch("INSERT INTO credentials (id, identity_id, kind, external_id, fingerprint,"
                + " created_at, last_rotated_at, expires_at, last_used_at, status, attributes) VALUES (:id, :identityId,"
                + " :kind, :externalId, :fingerprint, :createdAt, :lastRotatedAt, :expiresAt, :lastUsedAt, :status,"
                + " :attributes)");
        Set<String> seen = new HashSet<>();
        for (IdentityRecord r : records) {
            String identityId = r.identity().id();
            for (Credential c : r.credentials()) {
                String natural = identityId + "|" + c.naturalKey();
                if (!seen.add(natural)) {
                    throw new IllegalArgumentException("credential '"
                            + InventoryText.shown(c.externalId() != null ? c.externalId() : c.fingerprint())
                            + "' appears twice on identity '"
                            + InventoryText.shown(r.identity().externalId()) + "'");
                }
                String id = previousIds.getOrDefault(natural, Ids.next());
                batch.bind("id", id)
                        .bind("identityId", identityId)
                        .bind("kind", c.kind().value())
                        .bind("externalId", c.externalId())
                        .bind("fingerprint", c.fingerprint())
                        .bind("createdAt", millis(c.createdAt()))
                        .bind("lastRotatedAt", millis(c.lastRotatedAt()))
                        .bind("expiresAt", millis(c.expiresAt()))
                        .bind("lastUsedAt", millis(c.lastUsedAt()))
                        .bind("status", c.status().value())
                        .bind("attributes", JsonColumns.write(c.attributes()))
                        .add();
            }
        }
        if (batch.size() > 0) {
            batch.execute();
        }
    }

    private static void writeEntitlements(Handle h, List<IdentityRecord> records) {
        PreparedBatch batch = h.prepareBatch(
                "INSERT INTO entitlements (identity_id, effect, action, resource,"
                        + " granted_via, condition) VALUES (:identityId, :effect, :action, :resource, :grantedVia, :condition)");
        for (IdentityRecord r : records) {
            for (Entitlement e : r.entitlements()) {
                batch.bind("identityId", r.identity().id())
                        .bind("effect", e.effect().value())
                        .bind("action", e.action())
                        .bind("resource", e.resource())
                        .bind("grantedVia", e.grantedVia())
                        .bind("condition", e.condition())
                        .add();
            }
        }
        if (batch.size() > 0) {
            batch.execute();
        }
    }

    /** One identity with its credentials and entitlements, by id. */
    public Optional<IdentityRecord> get(String id, String team) {
        if (!Ids.isValid(id)) {
            return Optional.empty();
        }
        return db.withHandle(h -> {
            Optional<Identity> identity = h.createQuery(
                            "SELECT " + IDENTITY_COLUMNS + " FROM identities WHERE id = :id")
                    .bind("id", id)
                    .map((rs, ctx) -> identity(rs))
                    .findOne()
                    .filter(i -> team == null || team.equals(i.businessOwner()) || team.equals(i.technicalOwner()));
            return identity.map(i -> new IdentityRecord(
                    i,
                    h.createQuery("SELECT * FROM credentials WHERE identity_id = :id ORDER BY id")
                            .bind("id", id)
                            .map((rs, ctx) -> credential(rs))
                            .list(),
                    h.createQuery("SELECT * FROM entitlements WHERE identity_id = :id ORDER BY id")
                            .bind("id", id)
                            .map((rs, ctx) -> entitlement(rs))
                            .list()));
        });
    }

    /** A page of identities matching {@code filter}, in id (creation) order. */
    public Page<Identity> list(IdentityFilter filter, String cursor, int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT);
        }
        String after = cursor == null || cursor.isEmpty() ? null : Cursor.decode(cursor);
        Where where = where(filter);
        if (after != null) {
            where.add("id > :after", "after", after);
        }
        List<Identity> rows = db.withHandle(h -> where.bindTo(h.createQuery(
                        "SELECT " + IDENTITY_COLUMNS + " FROM identities" + where.sql() + " ORDER BY id LIMIT :limit"))
                .bind("limit", limit + 1)
                .map((rs, ctx) -> identity(rs))
                .list());
        if (rows.size() <= limit) {
            return new Page<>(rows, null);
        }
        List<Identity> page = rows.subList(0, limit);
        return new Page<>(page, Cursor.encode(page.get(limit - 1).id()));
    }

    /** Counts of identities matching {@code filter}, in one pass over the table. */
    public InventoryStats stats(IdentityFilter filter) {
        Where where = where(filter);
        Map<String, Long> byKind = new TreeMap<>();
        Map<String, Long> bySource = new TreeMap<>();
        Map<String, Long> byEnvironment = new TreeMap<>();
        Map<String, Long> byStatus = new TreeMap<>();
        long[] owned = new long[2];
        db.withHandle(h -> where.bindTo(h.createQuery("SELECT kind, source_type, environment, status,"
                        + " CASE WHEN business_owner IS NULL AND technical_owner IS NULL THEN 0 ELSE 1 END AS owned,"
                        + " COUNT(*) AS n FROM identities" + where.sql() + " GROUP BY kind, source_type,"
                        + " environment, status, CASE WHEN business_owner IS NULL AND technical_owner IS NULL"
                        + " THEN 0 ELSE 1 END"))
                .map((rs, ctx) -> {
                    long n = rs.getLong("n");
                    byKind.merge(rs.getString("kind"), n, Long::sum);
                    bySource.merge(rs.getString("source_type"), n, Long::sum);
                    String env = rs.getString("environment");
                    byEnvironment.merge(env == null ? UNSPECIFIED : env, n, Long::sum);
                    byStatus.merge(rs.getString("status"), n, Long::sum);
                    owned[rs.getInt("owned")] += n;
                    return 0;
                })
                .list());
        return new InventoryStats(
                owned[0] + owned[1],
                byKind,
                bySource,
                byEnvironment,
                byStatus,
                new InventoryStats.Ownership(owned[1], owned[0]));
    }

    /** Number of identities stored. */
    public long count() {
        return db.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM identities")
                .mapTo(Long.class)
                .one());
    }

    private Where where(IdentityFilter f) {
        Where w = new Where();
        if (f.kind() != null) {
            w.add("kind = :kind", "kind", f.kind().value());
        }
        if (f.source() != null) {
            int colon = f.source().indexOf(':');
            if (colon < 0) {
                w.add("source_type = :sourceType", "sourceType", f.source());
            } else {
                w.add("source_type = :sourceType", "sourceType", f.source().substring(0, colon));
                w.add("source_scope = :sourceScope", "sourceScope", f.source().substring(colon + 1));
            }
        }
        if (f.owner() != null) {
            w.add("(business_owner = :owner OR technical_owner = :owner)", "owner", f.owner());
        }
        if (f.team() != null) {
            w.add("(business_owner = :team OR technical_owner = :team)", "team", f.team());
        }
        if (f.owned() != null) {
            w.add(
                    f.owned()
                            ? "(business_owner IS NOT NULL OR technical_owner IS NOT NULL)"
                            : "(business_owner IS NULL AND technical_owner IS NULL)");
        }
        if (f.environment() != null) {
            w.add("environment = :environment", "environment", f.environment());
        }
        if (f.status() != null) {
            w.add("status = :status", "status", f.status().value());
        }
        if (f.externalId() != null) {
            w.add("external_id = :externalId", "externalId", f.externalId());
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

    private static Long millis(Instant t) {
        return t == null ? null : t.toEpochMilli();
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(v);
    }

    private static Identity identity(ResultSet rs) throws SQLException {
        return new Identity(
                rs.getString("id"),
                IdentityKind.parse(rs.getString("kind")),
                rs.getString("name"),
                rs.getString("external_id"),
                new Source(rs.getString("source_type"), rs.getString("source_scope")),
                rs.getString("environment"),
                rs.getString("business_owner"),
                rs.getString("technical_owner"),
                rs.getString("ownership_provenance"),
                rs.getString("workload"),
                rs.getString("purpose"),
                IdentityStatus.parse(rs.getString("status")),
                rs.getString("third_party_vendor"),
                JsonColumns.readStringMap(rs.getString("tags")),
                instant(rs, "created_at"),
                instant(rs, "first_seen"),
                instant(rs, "last_seen"));
    }

    private static Credential credential(ResultSet rs) throws SQLException {
        return new Credential(
                rs.getString("id"),
                rs.getString("identity_id"),
                CredentialKind.parse(rs.getString("kind")),
                rs.getString("external_id"),
                rs.getString("fingerprint"),
                instant(rs, "created_at"),
                instant(rs, "last_rotated_at"),
                instant(rs, "expires_at"),
                instant(rs, "last_used_at"),
                CredentialStatus.parse(rs.getString("status")),
                JsonColumns.readStringMap(rs.getString("attributes")));
    }

    private static Entitlement entitlement(ResultSet rs) throws SQLException {
        return new Entitlement(
                Effect.parse(rs.getString("effect")),
                rs.getString("action"),
                rs.getString("resource"),
                rs.getString("granted_via"),
                rs.getString("condition"));
    }
}
