package dev.warden.broker.lease;

import dev.warden.broker.issue.Issued;
import dev.warden.broker.issue.Issuers;
import dev.warden.inventory.CredentialStatus;
import dev.warden.keys.SecretBox;
import dev.warden.store.Ids;
import dev.warden.store.JsonColumns;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.jdbi.v3.core.Handle;

/**
 * The inventory side of leases: an active lease of a workload identity is a credential of that
 * identity — its kind from the issuer, its external id, a keyed fingerprint of the secret (never the
 * secret), the lease's expiry and {@code lease.id}, {@code lease.state}, {@code lease.path}
 * attributes — whose expiry follows renewals and whose status follows the lease's end. Every method
 * runs in the caller's transaction.
 */
final class LeaseCredentials {
    private final Issuers issuers;
    private final SecretBox box;

    LeaseCredentials(Issuers issuers, SecretBox box) {
        this.issuers = issuers;
        this.box = box;
    }

    /**
     * Records the credential of {@code pending} as it becomes active; returns its id, or null when
     * the lease has no identity.
     */
    String record(Handle h, Lease pending, Issued issued, Map<String, String> attrs, Instant now) {
        if (pending.identityId() == null) {
            return null;
        }
        String credentialId = Ids.next();
        Map<String, String> credAttrs = new LinkedHashMap<>(attrs);
        credAttrs.put("lease.id", pending.id());
        credAttrs.put("lease.state", LeaseState.ACTIVE.value());
        credAttrs.put("lease.path", pending.path());
        h.createUpdate("INSERT INTO credentials (id, identity_id, kind, external_id, fingerprint, created_at,"
                        + " last_rotated_at, expires_at, last_used_at, status, attributes) VALUES (:id, :identityId,"
                        + " :kind, :externalId, :fingerprint, :createdAt, NULL, :expiresAt, NULL, 'active',"
                        + " :attributes)")
                .bind("id", credentialId)
                .bind("identityId", pending.identityId())
                .bind(
                        "kind",
                        issuers.get(pending.issuer())
                                .orElseThrow()
                                .credentialKind()
                                .value())
                .bind("externalId", issued.externalId() != null ? issued.externalId() : "lease:" + pending.id())
                .bind(
                        "fingerprint",
                        issued.secretField() == null
                                ? null
                                : box.fingerprint(issued.material().get(issued.secretField())))
                .bind("createdAt", now.toEpochMilli())
                .bind("expiresAt", pending.expiresAt().toEpochMilli())
                .bind("attributes", JsonColumns.write(credAttrs))
                .execute();
        return credentialId;
    }

    /** Removes a credential {@link #record} made for a lease that did not become active (null: none). */
    void forget(Handle h, String credentialId) {
        if (credentialId != null) {
            h.createUpdate("DELETE FROM credentials WHERE id = :id")
                    .bind("id", credentialId)
                    .execute();
        }
    }

    /** Moves the expiry of {@code l}'s credential (if it has one) to {@code expiresAt}. */
    static void extend(Handle h, Lease l, Instant expiresAt) {
        if (l.credentialId() != null) {
            h.createUpdate("UPDATE credentials SET expires_at = :e WHERE id = :id")
                    .bind("e", expiresAt.toEpochMilli())
                    .bind("id", l.credentialId())
                    .execute();
        }
    }

    /** Sets the status of {@code l}'s credential (if it has one) and its {@code lease.state} attribute. */
    static void mark(Handle h, Lease l, CredentialStatus status, LeaseState leaseState) {
        if (l.credentialId() == null) {
            return;
        }
        String attrs = h.createQuery("SELECT attributes FROM credentials WHERE id = :id")
                .bind("id", l.credentialId())
                .mapTo(String.class)
                .findOne()
                .orElse(null);
        if (attrs == null) {
            return;
        }
        Map<String, String> a = new TreeMap<>(JsonColumns.readStringMap(attrs));
        a.put("lease.state", leaseState.value());
        h.createUpdate("UPDATE credentials SET status = :status, attributes = :attributes WHERE id = :id")
                .bind("status", status.value())
                .bind("attributes", JsonColumns.write(a))
                .bind("id", l.credentialId())
                .execute();
    }
}
