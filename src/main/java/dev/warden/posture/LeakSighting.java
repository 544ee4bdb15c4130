package dev.warden.posture;

import java.time.Instant;
import java.util.Objects;

/**
 * A secret found outside where it belongs (code, git history, CI configuration or logs) and linked
 * to an identity, as a {@link LeakSource} reports it: never the secret, only its keyed fingerprint,
 * the rule that found it and where.
 *
 * @param credentialId the inventory credential it matches, or null when only the identity is known
 * @param location file:line (and commit) where it was found
 * @param presentAtHead true when still in the current tree, false when only in history, null when unknown
 */
public record LeakSighting(
        String identityId,
        String credentialId,
        String fingerprint,
        String rule,
        String location,
        Instant foundAt,
        Boolean presentAtHead) {
    public LeakSighting {
        Objects.requireNonNull(identityId, "identityId");
        Objects.requireNonNull(fingerprint, "fingerprint");
        Objects.requireNonNull(foundAt, "foundAt");
    }
}
