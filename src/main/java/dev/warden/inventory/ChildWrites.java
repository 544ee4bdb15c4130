package dev.warden.inventory;

import static dev.warden.inventory.IdentityRows.millis;

import dev.warden.input.Echo;
import dev.warden.store.Ids;
import dev.warden.store.JsonColumns;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * Writes of the rows an identity owns (credentials, entitlements, trusts) during a load, on the
 * caller's {@link Handle}: a part a record carries in full replaces the stored part; a credential
 * keeps its id across loads.
 */
final class ChildWrites {
    private static final int CHUNK = InventoryWrites.CHUNK;

    private ChildWrites() {}

    /** The stored credentials of the identities {@code updates} name, by identity id. */
    static Map<String, List<Credential>> storedCredentials(Handle h, List<IdentityRecord> updates) {
        Map<String, List<Credential>> byIdentity = new HashMap<>();
        List<String> identityIds = updates.stream().map(r -> r.identity().id()).toList();
        for (int i = 0; i < identityIds.size(); i += CHUNK) {
            h.createQuery("SELECT * FROM credentials WHERE identity_id IN (<ids>)")
                    .bindList("ids", identityIds.subList(i, Math.min(identityIds.size(), i + CHUNK)))
                    .map((rs, ctx) -> IdentityRows.credential(rs))
                    .forEach(c -> byIdentity
                            .computeIfAbsent(c.identityId(), k -> new ArrayList<>())
                            .add(c));
        }
        return byIdentity;
    }

    /**
     * Deletes the stored children a load replaces: every credential, entitlement or trust of a part
     * the record carries in full; for credentials of a partial record, only those it restates.
     */
    static void replaceChildren(Handle h, List<IdentityRecord> updates, Map<String, List<Credential>> stored) {
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
                    if (r.credentials().stream()
                            .anyMatch(c -> c.naturalKey().equals(k.naturalKey()) || CredentialTwins.twins(k, c))) {
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

    static void writeCredentials(Handle h, List<IdentityRecord> records, Map<String, String> previousIds) {
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

    static void writeEntitlements(Handle h, List<IdentityRecord> records) {
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

    static void writeTrusts(Handle h, List<IdentityRecord> records) {
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
}
