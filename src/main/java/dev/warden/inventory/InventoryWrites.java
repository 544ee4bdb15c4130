package dev.warden.inventory;

import static dev.warden.inventory.IdentityRows.IDENTITY_COLUMNS;
import static dev.warden.inventory.IdentityRows.millis;

import dev.warden.input.Echo;
import dev.warden.store.Ids;
import dev.warden.store.JsonColumns;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * Writes of the inventory aggregate (identities with their credentials, entitlements and trusts):
 * the reconciliation of a load with what is stored, removals, a person's classification, and the
 * broker's keep-current writes. Every method takes the caller's {@link Handle} so that a load, its
 * reconciliation and its audit entry share one transaction; every value is a bound parameter.
 */
final class InventoryWrites {
    static final int CHUNK = 500;

    private InventoryWrites() {}

    /** What an upsert did. {@code unchanged} identities were only marked as seen again. */
    record UpsertResult(int added, int updated, int unchanged, List<String> ids) {}

    /**
     * Inserts or updates identities keyed by (source type, source scope, external id). An existing
     * identity keeps its id, first-seen time and any manual classification, and its credentials keep
     * their ids; the parts a record carries in full replace what is stored, the others are merged.
     * {@code importId} (may be null) marks the identities this import saw, for {@link #markRemoved}.
     */
    static UpsertResult upsert(Handle h, List<IdentityRecord> records, Instant now, String importId) {
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
            String hash = ContentHash.of(in);
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
        Map<String, List<Credential>> stored = ChildWrites.storedCredentials(h, updates);
        updates = CredentialTwins.resolve(updates, stored);
        Map<String, String> credentialIds = new HashMap<>();
        stored.values()
                .forEach(list -> list.forEach(c -> credentialIds.put(c.identityId() + "|" + c.naturalKey(), c.id())));
        ChildWrites.replaceChildren(h, updates, stored);
        List<IdentityRecord> all = new ArrayList<>(inserts);
        all.addAll(updates);
        ChildWrites.writeCredentials(h, all, credentialIds);
        ChildWrites.writeEntitlements(h, all);
        ChildWrites.writeTrusts(h, all);
        return new UpsertResult(inserts.size(), updates.size(), touchOnly.size(), ids);
    }

    /**
     * Marks removed the identities inside {@code coverage} that import {@code importId} did not see;
     * returns how many.
     */
    static int markRemoved(
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
    static boolean overrideNature(Handle h, String id, Nature nature, String reason) {
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
    static String touch(Handle h, Identity in, Instant now) {
        Optional<Identity> old = h.createQuery("SELECT " + IDENTITY_COLUMNS + " FROM identities WHERE source_type ="
                        + " :type AND source_scope = :scope AND external_id = :externalId")
                .bind("type", in.source().type())
                .bind("scope", in.source().scope())
                .bind("externalId", in.externalId())
                .map((rs, ctx) -> IdentityRows.identity(rs))
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
        Identity.Builder merged = in.toBuilder()
                .id(o.id())
                .environment(or(in.environment(), o.environment()))
                .workload(or(in.workload(), o.workload()))
                .purpose(or(in.purpose(), o.purpose()))
                .thirdPartyVendor(or(in.thirdPartyVendor(), o.thirdPartyVendor()))
                .tags(tags)
                .createdAt(or(o.createdAt(), in.createdAt()))
                .firstSeen(o.firstSeen().isBefore(in.firstSeen()) ? o.firstSeen() : in.firstSeen())
                .lastSeen(in.lastSeen().isAfter(o.lastSeen()) ? in.lastSeen() : o.lastSeen())
                .nature(in.natureReason() != null ? in.nature() : o.nature(), or(in.natureReason(), o.natureReason()))
                .attributes(attributes)
                .removedAt(null);
        if (in.businessOwner() == null && in.technicalOwner() == null) {
            merged.owners(o.businessOwner(), o.technicalOwner(), o.ownershipProvenance());
        }
        // No content hash: the next import of this identity's source rewrites it in full.
        writeIdentities(
                h, List.of(new IdentityRecord(merged.build(), List.of(), List.of())), Map.of(), now, null, false);
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
        return in.toBuilder()
                .environment(or(in.environment(), stored.environment()))
                .owners(
                        or(in.businessOwner(), stored.businessOwner()),
                        or(in.technicalOwner(), stored.technicalOwner()),
                        or(in.ownershipProvenance(), stored.ownershipProvenance()))
                .workload(or(in.workload(), stored.workload()))
                .purpose(or(in.purpose(), stored.purpose()))
                .thirdPartyVendor(or(in.thirdPartyVendor(), stored.thirdPartyVendor()))
                .tags(tags)
                .createdAt(or(in.createdAt(), stored.createdAt()))
                .nature(
                        in.natureReason() != null ? in.nature() : stored.nature(),
                        or(in.natureReason(), stored.natureReason()))
                .attributes(attributes)
                .removedAt(null)
                .build();
    }

    private static <T> T or(T a, T b) {
        return a != null ? a : b;
    }

    private record Existing(String id, Instant firstSeen, String contentHash, Instant removedAt, Identity stored) {}

    private static Map<String, Existing> findExisting(Handle h, Set<String> keys, Iterable<IdentityRecord> records) {
        List<String> externalIds = new ArrayList<>();
        records.forEach(r -> externalIds.add(r.identity().externalId()));
        Map<String, Existing> found = new HashMap<>();
        for (int i = 0; i < externalIds.size(); i += CHUNK) {
            h.createQuery("SELECT " + IDENTITY_COLUMNS + ", content_hash FROM identities WHERE external_id IN (<ids>)")
                    .bindList("ids", externalIds.subList(i, Math.min(externalIds.size(), i + CHUNK)))
                    .map((rs, ctx) -> {
                        Identity stored = IdentityRows.identity(rs);
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
}
