package dev.warden.inventory;

import dev.warden.input.Echo;
import dev.warden.store.Database;
import dev.warden.store.Ids;
import dev.warden.store.JsonColumns;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
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
 * SQL for the inventory aggregate (identities with their credentials, entitlements and trusts).
 * Write methods take the caller's {@link Handle} so that a load, its reconciliation and its audit
 * entry share one transaction; every value is a bound parameter.
 */
public final class InventoryStore {
    /** Largest page a listing returns. */
    public static final int MAX_LIMIT = 1000;

    private static final int CHUNK = 500;
    private static final String UNSPECIFIED = "unspecified";
    private static final String IDENTITY_COLUMNS =
            "id, kind, name, external_id, source_type, source_scope, environment,"
                    + " business_owner, technical_owner, ownership_provenance, workload, purpose, status, third_party_vendor,"
                    + " tags, created_at, first_seen, last_seen, nature, nature_reason, nature_override, nature_override_reason,"
                    + " attributes, removed_at";
    /** The identity's nature as a person set it, else as its source says. */
    private static final String EFFECTIVE_NATURE = "COALESCE(nature_override, nature)";

    private final Database db;

    public InventoryStore(Database db) {
        this.db = db;
    }

    /** What an upsert did. {@code unchanged} identities were only marked as seen again. */
    public record UpsertResult(int added, int updated, int unchanged, List<String> ids) {}

    /**
     * Inserts or updates identities keyed by (source type, source scope, external id). An existing
     * identity keeps its id, first-seen time and any manual classification, and its credentials keep
     * their ids; the parts a record carries in full replace what is stored, the others are merged.
     * {@code importId} (may be null) marks the identities this import saw, for {@link #markRemoved}.
     */
    public UpsertResult upsert(Handle h, List<IdentityRecord> records, Instant now, String importId) {
        Map<String, IdentityRecord> byKey = new LinkedHashMap<>();
        for (IdentityRecord r : records) {
            if (byKey.put(key(r.identity()), r) != null) {
                throw new IllegalArgumentException(
                        "identity '" + Echo.shown(r.identity().externalId()) + "' from "
                                + r.identity().source() + " appears twice in one load");
            }
        }
        Map<String, Existing> existing = findExisting(h, byKey.keySet(), byKey.values());
        List<IdentityRecord> inserts = new ArrayList<>();
        List<IdentityRecord> updates = new ArrayList<>();
        List<String> touchOnly = new ArrayList<>();
        List<String> ids = new ArrayList<>(records.size());
        Map<String, String> hashes = new HashMap<>();
        for (Map.Entry<String, IdentityRecord> e : byKey.entrySet()) {
            IdentityRecord in = e.getValue();
            Existing old = existing.get(e.getKey());
            String hash = contentHash(in);
            if (old == null) {
                String id = Ids.next();
                inserts.add(with(in, in.identity().withId(id)));
                hashes.put(id, hash);
                ids.add(id);
                continue;
            }
            ids.add(old.id());
            if (hash.equals(old.contentHash()) && old.removedAt() == null) {
                touchOnly.add(old.id());
                continue;
            }
            Identity merged = in.isComplete(IdentityRecord.Part.IDENTITY)
                    ? in.identity().withId(old.id())
                    : mergeFields(in.identity().withId(old.id()), old.stored());
            Instant firstSeen = old.firstSeen().isBefore(merged.firstSeen()) ? old.firstSeen() : merged.firstSeen();
            updates.add(with(in, merged.withFirstSeen(firstSeen)));
            hashes.put(old.id(), hash);
        }
        writeIdentities(h, inserts, hashes, now, importId, true);
        writeIdentities(h, updates, hashes, now, importId, false);
        markSeen(h, touchOnly, now, importId);
        Map<String, List<Credential>> stored = storedCredentials(h, updates);
        updates = resolveCredentials(updates, stored);
        Map<String, String> credentialIds = new HashMap<>();
        stored.values()
                .forEach(list -> list.forEach(c -> credentialIds.put(c.identityId() + "|" + c.naturalKey(), c.id())));
        replaceChildren(h, updates, stored);
        List<IdentityRecord> all = new ArrayList<>(inserts);
        all.addAll(updates);
        writeCredentials(h, all, credentialIds);
        writeEntitlements(h, all);
        writeTrusts(h, all);
        return new UpsertResult(inserts.size(), updates.size(), touchOnly.size(), ids);
    }

    /** Upsert without an import run. */
    public UpsertResult upsert(Handle h, List<IdentityRecord> records, Instant now) {
        return upsert(h, records, now, null);
    }

    /**
     * Marks removed the identities inside {@code coverage} that import {@code importId} did not see;
     * returns how many.
     */
    public int markRemoved(
            Handle h,
            String sourceType,
            String scope,
            IdentityKind kind,
            String externalIdPrefix,
            String importId,
            Instant now) {
        String prefixClause = externalIdPrefix.isEmpty() ? "" : " AND external_id LIKE :prefix ESCAPE '!'";
        var update = h.createUpdate("UPDATE identities SET status = 'removed', removed_at = :now, updated_at = :now"
                        + " WHERE source_type = :type AND source_scope = :scope AND kind = :kind AND status <> 'removed'"
                        + " AND (last_import_id IS NULL OR last_import_id <> :importId)" + prefixClause)
                .bind("now", now.toEpochMilli())
                .bind("type", sourceType)
                .bind("scope", scope)
                .bind("kind", kind.value())
                .bind("importId", importId);
        if (!externalIdPrefix.isEmpty()) {
            update.bind(
                    "prefix",
                    externalIdPrefix.replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%");
        }
        return update.execute();
    }

    /** Sets (or with null, clears) a person's classification of an identity; it outlives re-imports. */
    public boolean overrideNature(Handle h, String id, Nature nature, String reason) {
        return h.createUpdate("UPDATE identities SET nature_override = :n, nature_override_reason = :r WHERE id = :id")
                        .bind("n", nature == null ? null : nature.value())
                        .bind("r", reason)
                        .bind("id", id)
                        .execute()
                > 0;
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
            writeIdentities(h, List.of(new IdentityRecord(stored, List.of(), List.of())), Map.of(), now, null, true);
            return stored.id();
        }
        Identity o = old.get();
        Map<String, String> tags = new TreeMap<>(o.tags());
        tags.putAll(in.tags());
        Map<String, String> attributes = new TreeMap<>(o.attributes());
        attributes.putAll(in.attributes());
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
                in.lastSeen().isAfter(o.lastSeen()) ? in.lastSeen() : o.lastSeen(),
                in.natureReason() != null ? in.nature() : o.nature(),
                in.natureReason() != null ? in.natureReason() : o.natureReason(),
                attributes,
                null);
        // No content hash: the next import of this identity's source rewrites it in full.
        writeIdentities(h, List.of(new IdentityRecord(merged, List.of(), List.of())), Map.of(), now, null, false);
        return o.id();
    }

    /** The natural key of an identity: source type, source scope, external id. */
    static String key(Identity i) {
        return i.source().type() + "\u0000" + i.source().scope() + "\u0000" + i.externalId();
    }

    private static IdentityRecord with(IdentityRecord r, Identity identity) {
        return new IdentityRecord(identity, r.credentials(), r.entitlements(), r.trusts(), r.complete());
    }

    /** Fields the partial record does not know are taken from what is stored. */
    private static Identity mergeFields(Identity in, Identity stored) {
        Map<String, String> tags = new TreeMap<>(stored.tags());
        tags.putAll(in.tags());
        Map<String, String> attributes = new TreeMap<>(stored.attributes());
        attributes.putAll(in.attributes());
        return new Identity(
                in.id(),
                in.kind(),
                in.name(),
                in.externalId(),
                in.source(),
                or(in.environment(), stored.environment()),
                or(in.businessOwner(), stored.businessOwner()),
                or(in.technicalOwner(), stored.technicalOwner()),
                or(in.ownershipProvenance(), stored.ownershipProvenance()),
                or(in.workload(), stored.workload()),
                or(in.purpose(), stored.purpose()),
                in.status(),
                or(in.thirdPartyVendor(), stored.thirdPartyVendor()),
                tags,
                or(in.createdAt(), stored.createdAt()),
                in.firstSeen(),
                in.lastSeen(),
                in.natureReason() != null ? in.nature() : stored.nature(),
                or(in.natureReason(), stored.natureReason()),
                attributes,
                null);
    }

    private static <T> T or(T a, T b) {
        return a != null ? a : b;
    }

    private record Existing(String id, Instant firstSeen, String contentHash, Instant removedAt, Identity stored) {}

    private Map<String, Existing> findExisting(Handle h, Set<String> keys, Iterable<IdentityRecord> records) {
        List<String> externalIds = new ArrayList<>();
        records.forEach(r -> externalIds.add(r.identity().externalId()));
        Map<String, Existing> found = new HashMap<>();
        for (int i = 0; i < externalIds.size(); i += CHUNK) {
            h.createQuery("SELECT " + IDENTITY_COLUMNS + ", content_hash FROM identities WHERE external_id IN (<ids>)")
                    .bindList("ids", externalIds.subList(i, Math.min(externalIds.size(), i + CHUNK)))
                    .map((rs, ctx) -> {
                        Identity stored = identity(rs);
                        String k = key(stored);
                        if (keys.contains(k)) {
                            found.put(
                                    k,
                                    new Existing(
                                            stored.id(),
                                            stored.firstSeen(),
                                            rs.getString("content_hash"),
                                            stored.removedAt(),
                                            stored));
                        }
                        return 0;
                    })
                    .list();
        }
        return found;
    }

    private static void writeIdentities(
            Handle h,
            List<IdentityRecord> records,
            Map<String, String> hashes,
            Instant now,
            String importId,
            boolean insert) {
        if (records.isEmpty()) {
            return;
        }
        // nature is the source's classification; a person's (nature_override) is kept beside it.
        String sql = insert
                ? "INSERT INTO identities (" + IDENTITY_COLUMNS
                        + ", updated_at, last_import_id, content_hash) VALUES (:id,"
                        + " :kind, :name, :externalId, :sourceType, :sourceScope, :environment, :businessOwner,"
                        + " :technicalOwner, :ownershipProvenance, :workload, :purpose, :status, :vendor, :tags,"
                        + " :createdAt, :firstSeen, :lastSeen, :nature, :natureReason, NULL, NULL, :attributes, NULL, :now,"
                        + " :importId, :hash)"
                : "UPDATE identities SET kind = :kind, name = :name, environment = :environment,"
                        + " business_owner = :businessOwner, technical_owner = :technicalOwner,"
                        + " ownership_provenance = :ownershipProvenance, workload = :workload, purpose = :purpose,"
                        + " status = :status, third_party_vendor = :vendor, tags = :tags, created_at = :createdAt,"
                        + " first_seen = :firstSeen, last_seen = :lastSeen,"
                        + " nature = :nature, nature_reason = :natureReason,"
                        + " attributes = :attributes, removed_at = NULL, updated_at = :now, last_import_id = :importId,"
                        + " content_hash = :hash WHERE id = :id AND external_id = :externalId AND source_type = :sourceType"
                        + " AND source_scope = :sourceScope";
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
                    .bind("nature", i.nature().value())
                    .bind("natureReason", i.natureReason())
                    .bind("attributes", JsonColumns.write(i.attributes()))
                    .bind("now", now.toEpochMilli())
                    .bind("importId", importId)
                    .bind("hash", hashes.get(i.id()))
                    .add();
        }
        batch.execute();
    }

    /** Identities seen again unchanged: only when and by which import. */
    private static void markSeen(Handle h, List<String> ids, Instant now, String importId) {
        for (int i = 0; i < ids.size(); i += CHUNK) {
            h.createUpdate("UPDATE identities SET last_seen = CASE WHEN last_seen < :now THEN :now ELSE last_seen END,"
                            + " last_import_id = :importId WHERE id IN (<ids>)")
                    .bind("now", now.toEpochMilli())
                    .bind("importId", importId)
                    .bindList("ids", ids.subList(i, Math.min(ids.size(), i + CHUNK)))
                    .execute();
        }
    }

    private static Map<String, List<Credential>> storedCredentials(Handle h, List<IdentityRecord> updates) {
        Map<String, List<Credential>> byIdentity = new HashMap<>();
        List<String> identityIds = updates.stream().map(r -> r.identity().id()).toList();
        for (int i = 0; i < identityIds.size(); i += CHUNK) {
            h.createQuery("SELECT * FROM credentials WHERE identity_id IN (<ids>)")
                    .bindList("ids", identityIds.subList(i, Math.min(identityIds.size(), i + CHUNK)))
                    .map((rs, ctx) -> credential(rs))
                    .forEach(c -> byIdentity
                            .computeIfAbsent(c.identityId(), k -> new ArrayList<>())
                            .add(c));
        }
        return byIdentity;
    }

    /**
     * Sources know the same credential by different names: the AWS credential report knows an
     * access key by its slot, list-access-keys by its id. On one identity, a credential known only
     * by fingerprint and one with an external id, of the same kind and created in the same second,
     * are one credential: the incoming one takes the stored external id, or supersedes the stored
     * fingerprint-only one, keeping what only the other knew (last use, attributes).
     */
    private static List<IdentityRecord> resolveCredentials(
            List<IdentityRecord> updates, Map<String, List<Credential>> stored) {
        List<IdentityRecord> out = new ArrayList<>(updates.size());
        for (IdentityRecord r : updates) {
            List<Credential> known = stored.getOrDefault(r.identity().id(), List.of());
            if (known.isEmpty() || r.credentials().isEmpty()) {
                out.add(r);
                continue;
            }
            List<Credential> resolved = new ArrayList<>(r.credentials().size());
            for (Credential c : r.credentials()) {
                Credential twin =
                        known.stream().filter(k -> twins(k, c)).findFirst().orElse(null);
                resolved.add(twin == null ? c : merge(c, twin));
            }
            out.add(new IdentityRecord(r.identity(), resolved, r.entitlements(), r.trusts(), r.complete()));
        }
        return out;
    }

    /** One known only by fingerprint, the other by external id; same kind; created in the same second. */
    private static boolean twins(Credential a, Credential b) {
        return a.kind() == b.kind()
                && (a.externalId() == null) != (b.externalId() == null)
                && a.createdAt() != null
                && b.createdAt() != null
                && a.createdAt().getEpochSecond() == b.createdAt().getEpochSecond();
    }

    private static Credential merge(Credential incoming, Credential twin) {
        Map<String, String> attributes = new TreeMap<>(twin.attributes());
        attributes.putAll(incoming.attributes());
        String externalId = or(incoming.externalId(), twin.externalId());
        return new Credential(
                null,
                null,
                incoming.kind(),
                externalId,
                externalId != null ? null : incoming.fingerprint(),
                incoming.createdAt(),
                or(incoming.lastRotatedAt(), twin.lastRotatedAt()),
                or(incoming.expiresAt(), twin.expiresAt()),
                or(incoming.lastUsedAt(), twin.lastUsedAt()),
                incoming.status(),
                attributes);
    }

    /**
     * Deletes the stored children a load replaces: every credential, entitlement or trust of a part
     * the record carries in full; for credentials of a partial record, only those it restates.
     */
    private static void replaceChildren(Handle h, List<IdentityRecord> updates, Map<String, List<Credential>> stored) {
        Map<String, List<String>> wholeParts = new HashMap<>();
        List<String> restatedCredentials = new ArrayList<>();
        for (IdentityRecord r : updates) {
            String id = r.identity().id();
            if (r.isComplete(IdentityRecord.Part.CREDENTIALS)) {
                wholeParts
                        .computeIfAbsent("credentials", k -> new ArrayList<>())
                        .add(id);
            } else {
                // A partial record replaces the stored credentials it restates: same key, or a twin.
                for (Credential k : stored.getOrDefault(id, List.of())) {
                    if (r.credentials().stream().anyMatch(c -> c.naturalKey().equals(k.naturalKey()) || twins(k, c))) {
                        restatedCredentials.add(k.id());
                    }
                }
            }
            if (r.isComplete(IdentityRecord.Part.ENTITLEMENTS)) {
                wholeParts
                        .computeIfAbsent("entitlements", k -> new ArrayList<>())
                        .add(id);
            }
            if (r.isComplete(IdentityRecord.Part.TRUSTS)) {
                wholeParts.computeIfAbsent("trusts", k -> new ArrayList<>()).add(id);
            }
        }
        for (Map.Entry<String, List<String>> e : wholeParts.entrySet()) {
            List<String> ids = e.getValue();
            for (int i = 0; i < ids.size(); i += CHUNK) {
                h.createUpdate("DELETE FROM " + e.getKey() + " WHERE identity_id IN (<ids>)")
                        .bindList("ids", ids.subList(i, Math.min(ids.size(), i + CHUNK)))
                        .execute();
            }
        }
        for (int i = 0; i < restatedCredentials.size(); i += CHUNK) {
            h.createUpdate("DELETE FROM credentials WHERE id IN (<ids>)")
                    .bindList("ids", restatedCredentials.subList(i, Math.min(restatedCredentials.size(), i + CHUNK)))
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
                            + Echo.shown(c.externalId() != null ? c.externalId() : c.fingerprint())
                            + "' appears twice on identity '"
                            + Echo.shown(r.identity().externalId()) + "'");
                }
                batch.bind("id", previousIds.getOrDefault(natural, Ids.next()))
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
            if (!r.isComplete(IdentityRecord.Part.ENTITLEMENTS)) {
                continue;
            }
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

    private static void writeTrusts(Handle h, List<IdentityRecord> records) {
        PreparedBatch batch =
                h.prepareBatch("INSERT INTO trusts (identity_id, effect, principal_type, principal, action,"
                        + " condition) VALUES (:identityId, :effect, :principalType, :principal, :action, :condition)");
        for (IdentityRecord r : records) {
            if (!r.isComplete(IdentityRecord.Part.TRUSTS)) {
                continue;
            }
            for (Trust t : r.trusts()) {
                batch.bind("identityId", r.identity().id())
                        .bind("effect", t.effect().value())
                        .bind("principalType", t.principalType())
                        .bind("principal", t.principal())
                        .bind("action", t.action())
                        .bind("condition", t.condition())
                        .add();
            }
        }
        if (batch.size() > 0) {
            batch.execute();
        }
    }

    /**
     * SHA-256 of what a record says (not when it was seen), so a re-import of unchanged data is
     * recognised and costs one small update.
     */
    static String contentHash(IdentityRecord r) {
        Identity i = r.identity();
        StringBuilder b = new StringBuilder(512);
        field(b, r.complete().stream().map(Enum::name).sorted().toList());
        field(
                b,
                i.kind().value(),
                i.name(),
                i.environment(),
                i.businessOwner(),
                i.technicalOwner(),
                i.ownershipProvenance(),
                i.workload(),
                i.purpose(),
                i.status().value(),
                i.thirdPartyVendor(),
                JsonColumns.write(i.tags()),
                String.valueOf(millis(i.createdAt())),
                i.nature().value(),
                i.natureReason(),
                JsonColumns.write(i.attributes()));
        r.credentials().stream()
                .sorted(Comparator.comparing(Credential::naturalKey))
                .forEach(c -> field(
                        b,
                        c.naturalKey(),
                        c.externalId(),
                        c.fingerprint(),
                        String.valueOf(millis(c.createdAt())),
                        String.valueOf(millis(c.lastRotatedAt())),
                        String.valueOf(millis(c.expiresAt())),
                        String.valueOf(millis(c.lastUsedAt())),
                        c.status().value(),
                        JsonColumns.write(c.attributes())));
        r.entitlements()
                .forEach(e -> field(b, e.effect().value(), e.action(), e.resource(), e.grantedVia(), e.condition()));
        r.trusts()
                .forEach(
                        t -> field(b, t.effect().value(), t.principalType(), t.principal(), t.action(), t.condition()));
        try {
            return java.util.HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256")
                            .digest(b.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    private static void field(StringBuilder b, Object... values) {
        for (Object v : values) {
            String s = String.valueOf(v);
            b.append(s.length()).append(':').append(s);
        }
        b.append('\n');
    }

    /** One identity with its credentials, entitlements and trusts, by id. */
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
            return identity.map(i -> IdentityRecord.whole(
                    i,
                    h.createQuery("SELECT * FROM credentials WHERE identity_id = :id ORDER BY id")
                            .bind("id", id)
                            .map((rs, ctx) -> credential(rs))
                            .list(),
                    h.createQuery("SELECT * FROM entitlements WHERE identity_id = :id ORDER BY id")
                            .bind("id", id)
                            .map((rs, ctx) -> entitlement(rs))
                            .list(),
                    h.createQuery("SELECT * FROM trusts WHERE identity_id = :id ORDER BY id")
                            .bind("id", id)
                            .map((rs, ctx) -> trust(rs))
                            .list()));
        });
    }

    /**
     * The last id of every run of {@code pageSize} identities in id order (the last one possibly
     * shorter), read from the primary-key index in one pass: page {@code k} is then the ids after
     * end {@code k-1} up to end {@code k}, so that pages can be read independently, in parallel.
     */
    public List<String> pageEnds(Handle h, int pageSize) {
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
    public List<IdentityRecord> records(Handle h, String after, String last) {
        List<Identity> identities = (after == null
                        ? h.createQuery("SELECT " + IDENTITY_COLUMNS + " FROM identities WHERE id <= :last ORDER BY id")
                        : h.createQuery("SELECT " + IDENTITY_COLUMNS
                                        + " FROM identities WHERE id > :after AND id <= :last ORDER BY id")
                                .bind("after", after))
                .bind("last", last)
                .map((rs, ctx) -> identity(rs))
                .list();
        return withChildren(h, identities);
    }

    /**
     * Up to {@code limit} whole records (identity, credentials, entitlements, trusts) in id order after
     * {@code afterId} (null: from the start), read on the caller's handle: a keyset page for passes
     * over the whole inventory in bounded memory. Children are read by id range, as a page is a
     * contiguous run of ids.
     */
    public List<IdentityRecord> records(Handle h, String afterId, int limit) {
        List<Identity> identities = (afterId == null
                        ? h.createQuery("SELECT " + IDENTITY_COLUMNS + " FROM identities ORDER BY id LIMIT :limit")
                        : h.createQuery("SELECT " + IDENTITY_COLUMNS
                                        + " FROM identities WHERE id > :after ORDER BY id LIMIT :limit")
                                .bind("after", afterId))
                .bind("limit", limit)
                .map((rs, ctx) -> identity(rs))
                .list();
        return withChildren(h, identities);
    }

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
                .map((rs, ctx) -> credential(rs))
                .forEach(c -> credentials
                        .computeIfAbsent(c.identityId(), k -> new ArrayList<>())
                        .add(c));
        Map<String, List<Entitlement>> entitlements = new HashMap<>();
        h.createQuery("SELECT * FROM entitlements WHERE identity_id BETWEEN :first AND :last ORDER BY identity_id, id")
                .bind("first", first)
                .bind("last", last)
                .map((rs, ctx) -> Map.entry(rs.getString("identity_id"), entitlement(rs)))
                .forEach(e -> entitlements
                        .computeIfAbsent(e.getKey(), k -> new ArrayList<>())
                        .add(e.getValue()));
        Map<String, List<Trust>> trusts = new HashMap<>();
        h.createQuery("SELECT * FROM trusts WHERE identity_id BETWEEN :first AND :last ORDER BY identity_id, id")
                .bind("first", first)
                .bind("last", last)
                .map((rs, ctx) -> Map.entry(rs.getString("identity_id"), trust(rs)))
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
    public Page<Identity> list(IdentityFilter filter, String cursor, int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT);
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
                .map((rs, ctx) -> identity(rs))
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
    public InventoryStats stats(IdentityFilter filter) {
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
    public long count() {
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
                instant(rs, "last_seen"),
                Nature.parse(rs.getString(rs.getString("nature_override") != null ? "nature_override" : "nature")),
                rs.getString(rs.getString("nature_override") != null ? "nature_override_reason" : "nature_reason"),
                JsonColumns.readStringMap(rs.getString("attributes")),
                instant(rs, "removed_at"));
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

    private static Trust trust(ResultSet rs) throws SQLException {
        return new Trust(
                Effect.parse(rs.getString("effect")),
                rs.getString("principal_type"),
                rs.getString("principal"),
                rs.getString("action"),
                rs.getString("condition"));
    }
}
