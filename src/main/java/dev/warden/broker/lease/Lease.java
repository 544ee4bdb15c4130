package dev.warden.broker.lease;

import dev.warden.store.Ids;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One leased credential, recorded before the credential exists and kept after it ended. Never holds
 * secret material: {@code handle} names the external object (a PostgreSQL role name, a certificate
 * serial), {@code lastError} is a one-line reason without secrets, {@code attributes} are non-secret
 * facts the issuer reported (database, SPIFFE ID, ...).
 *
 * @param id UUIDv7, time-ordered
 * @param kind the issuer kind ({@code postgresql}, {@code x509-svid})
 * @param issuer the configured issuer name (unique among issuers)
 * @param role the issuer's role or template the credential follows, or null
 * @param workload who the credential is for (an attested workload id, or the API token's actor)
 * @param identityId the workload identity in the inventory, or null
 * @param credentialId the inventory credential recording this lease, once active
 * @param handle the external object's name, planned from the lease id before it exists
 * @param state see {@link LeaseState}
 * @param revokeReason why revocation is due: {@code expiry}, {@code request}, {@code rollback}; null while live
 * @param createdAt when the lease was recorded
 * @param updatedAt the last change
 * @param expiresAt when the credential stops being valid (moves on renewal)
 * @param maxExpiresAt the latest a renewal may extend it to
 * @param renewals how many times it was renewed
 * @param revokeAttempts failed revocation attempts so far
 * @param nextAttemptAt when the next revocation attempt is due (while revoking), else null
 * @param lastError the last revocation or issuance error, one line, no secrets
 * @param createdBy the audit actor that asked for it
 * @param endedAt when it reached revoked, expired or rolled_back
 * @param attributes non-secret facts from the issuer
 */
public record Lease(
        String id,
        String kind,
        String issuer,
        String role,
        String workload,
        String identityId,
        String credentialId,
        String handle,
        LeaseState state,
        String revokeReason,
        Instant createdAt,
        Instant updatedAt,
        Instant expiresAt,
        Instant maxExpiresAt,
        int renewals,
        int revokeAttempts,
        Instant nextAttemptAt,
        String lastError,
        String createdBy,
        Instant endedAt,
        Map<String, String> attributes) {
    static final String REASON_EXPIRY = "expiry";
    static final String REASON_REQUEST = "request";
    static final String REASON_ROLLBACK = "rollback";

    public Lease {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(workload, "workload");
        Objects.requireNonNull(handle, "handle");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(maxExpiresAt, "maxExpiresAt");
        Objects.requireNonNull(createdBy, "createdBy");
        if (!Ids.isValid(id)) {
            throw new IllegalArgumentException("lease id must be a UUID");
        }
        if (workload.isBlank() || workload.length() > 1024) {
            throw new IllegalArgumentException("workload must be 1-1024 characters");
        }
        if (handle.isBlank() || handle.length() > 512) {
            throw new IllegalArgumentException("handle must be 1-512 characters");
        }
        if (expiresAt.isAfter(maxExpiresAt)) {
            throw new IllegalArgumentException("expiresAt is after maxExpiresAt");
        }
        if (renewals < 0 || revokeAttempts < 0) {
            throw new IllegalArgumentException("counters must not be negative");
        }
        if (lastError != null && lastError.length() > 500) {
            lastError = lastError.substring(0, 500);
        }
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
    }

    /** {@code kind/issuer/role}: what {@code revoke-prefix} matches a prefix of. */
    String path() {
        return kind + "/" + issuer + "/" + (role == null ? "" : role);
    }

    /** The state a finished revocation of this lease ends in. */
    LeaseState endState() {
        if (REASON_EXPIRY.equals(revokeReason)) {
            return LeaseState.EXPIRED;
        }
        return REASON_ROLLBACK.equals(revokeReason) ? LeaseState.ROLLED_BACK : LeaseState.REVOKED;
    }

    /** This lease recorded under the inventory identity {@code id} (null: none). */
    Lease withIdentity(String id) {
        return new Lease(
                this.id,
                kind,
                issuer,
                role,
                workload,
                id,
                credentialId,
                handle,
                state,
                revokeReason,
                createdAt,
                updatedAt,
                expiresAt,
                maxExpiresAt,
                renewals,
                revokeAttempts,
                nextAttemptAt,
                lastError,
                createdBy,
                endedAt,
                attributes);
    }

    /** What every {@code lease.*} audit entry records of this lease. */
    Map<String, String> auditDetails() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("kind", kind);
        d.put("issuer", issuer);
        d.put("role", role == null ? "" : role);
        d.put("workload", workload);
        d.put("handle", handle);
        d.put("state", state.value());
        d.put("expiresAt", expiresAt.toString());
        return d;
    }

    Lease with(LeaseState newState, Instant now) {
        return new Lease(
                id,
                kind,
                issuer,
                role,
                workload,
                identityId,
                credentialId,
                handle,
                newState,
                revokeReason,
                createdAt,
                now,
                expiresAt,
                maxExpiresAt,
                renewals,
                revokeAttempts,
                nextAttemptAt,
                lastError,
                createdBy,
                endedAt,
                attributes);
    }
}
