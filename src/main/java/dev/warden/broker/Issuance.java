package dev.warden.broker;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One token the broker issued, as recorded (before the token is signed) in
 * {@code broker_issuances}: the broker's issuance log, which the usage subsystem reads as usage
 * events of the workload identity.
 */
record Issuance(
        String jti,
        String identityId,
        String workload,
        String attestor,
        String policy,
        List<String> audience,
        List<String> scopes,
        String actor,
        String subjectFingerprint,
        String sourceAddress,
        Instant issuedAt,
        Instant expiresAt,
        Instant revokedAt,
        String revokedBy) {
    Issuance {
        Objects.requireNonNull(jti, "jti");
        Objects.requireNonNull(workload, "workload");
        Objects.requireNonNull(issuedAt, "issuedAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        audience = List.copyOf(audience);
        scopes = List.copyOf(scopes);
    }

    boolean activeAt(Instant now) {
        return revokedAt == null && now.isBefore(expiresAt);
    }
}
