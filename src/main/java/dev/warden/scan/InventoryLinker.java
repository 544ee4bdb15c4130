package dev.warden.scan;

import dev.warden.inventory.CredentialStatus;
import dev.warden.inventory.IdentityStatus;
import dev.warden.store.Database;
import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * Finds the identities a leaked secret belongs to, from its {@link LinkKey}: an AWS access key id
 * matches the credential with that external id; a Kubernetes service-account subject the service
 * account; a public-key hash the credentials whose {@code spkiSha256} attribute holds it (a
 * certificate connector records it, see {@link KeyMaterial#spkiSha256}); an SSH fingerprint the
 * credential with that fingerprint; a PostgreSQL role URL the role.
 */
final class InventoryLinker {
    /** One identity (and credential, when the secret is one of its credentials) a hit belongs to. */
    record Target(String identityId, String credentialId, boolean active) {}

    private final Database db;

    InventoryLinker(Database db) {
        this.db = db;
    }

    List<Target> targets(Handle h, LinkKey key) {
        return switch (key.type()) {
            case AWS_ACCESS_KEY_ID -> credentials(h, "c.external_id = :v", key.value());
            case PUBLIC_KEY_SHA256 ->
                credentials(
                        h,
                        "c.attributes LIKE :v",
                        "%\"spkiSha256\":\"" + key.value().replaceAll("[^0-9a-f]", "") + "\"%");
            case SSH_KEY_FINGERPRINT -> credentials(h, "c.fingerprint = :v", key.value());
            case KUBERNETES_SERVICE_ACCOUNT -> identities(h, "kubernetes_service_account", key.value());
            case POSTGRESQL_ROLE -> identities(h, "database_role", key.value());
        };
    }

    private static List<Target> credentials(Handle h, String where, String value) {
        return h.createQuery("SELECT c.id, c.identity_id, c.status, i.status AS identity_status FROM credentials c"
                        + " JOIN identities i ON i.id = c.identity_id WHERE " + where + " ORDER BY c.id LIMIT 100")
                .bind("v", value)
                .map((rs, ctx) -> new Target(
                        rs.getString("identity_id"),
                        rs.getString("id"),
                        CredentialStatus.parse(rs.getString("status")) == CredentialStatus.ACTIVE
                                && IdentityStatus.parse(rs.getString("identity_status")) != IdentityStatus.REMOVED))
                .list();
    }

    private static List<Target> identities(Handle h, String kind, String externalId) {
        return h.createQuery("SELECT id, status FROM identities WHERE external_id = :v AND kind = :kind ORDER BY id"
                        + " LIMIT 100")
                .bind("v", externalId)
                .bind("kind", kind)
                .map((rs, ctx) -> new Target(
                        rs.getString("id"),
                        null,
                        IdentityStatus.parse(rs.getString("status")) == IdentityStatus.ACTIVE))
                .list();
    }

    Database db() {
        return db;
    }
}
