package dev.warden.inventory;

import dev.warden.store.Ids;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * A credential that belongs to an identity: an access key, password, API key, token, certificate,
 * SSH key or client secret. Warden keeps its metadata and a fingerprint, never the secret itself.
 * {@code id} and {@code identityId} are assigned by the store (null before it is stored).
 */
public record Credential(
        String id,
        String identityId,
        CredentialKind kind,
        String externalId,
        String fingerprint,
        Instant createdAt,
        Instant lastRotatedAt,
        Instant expiresAt,
        Instant lastUsedAt,
        CredentialStatus status,
        Map<String, String> attributes) {

    public Credential {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(status, "status");
        if (id != null) {
            Ids.requireValid("credential id", id);
        }
        if (identityId != null) {
            Ids.requireValid("identity id", identityId);
        }
        externalId = InventoryText.optional("externalId", externalId);
        fingerprint = InventoryText.optional("fingerprint", fingerprint);
        attributes = InventoryText.tags("attributes", attributes);
        if (externalId == null && fingerprint == null) {
            throw new IllegalArgumentException("a credential needs an externalId or a fingerprint");
        }
    }

    /** The key that identifies this credential within its identity across re-imports. */
    String naturalKey() {
        return kind.value() + "|" + (externalId != null ? "x:" + externalId : "f:" + fingerprint);
    }

    public Credential withIds(String newId, String newIdentityId) {
        return new Credential(
                newId,
                newIdentityId,
                kind,
                externalId,
                fingerprint,
                createdAt,
                lastRotatedAt,
                expiresAt,
                lastUsedAt,
                status,
                attributes);
    }
}
