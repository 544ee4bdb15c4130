package dev.warden.auth;

import java.time.Instant;
import java.util.Objects;

/**
 * An API token's metadata. The token itself is shown once when created and stored only as a
 * SHA-256 hash; {@code hint} is its last four characters, to tell tokens apart. A token with a
 * {@code team} sees only identities that team owns.
 */
public record ApiToken(
        String id,
        Role role,
        String team,
        String description,
        String hint,
        Instant createdAt,
        String createdBy,
        Instant expiresAt,
        Instant revokedAt) {
    public ApiToken {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(createdBy, "createdBy");
    }

    /** The audit actor name for requests made with this token. */
    public String actor() {
        return "token:" + id;
    }

    public boolean usableAt(Instant now) {
        return revokedAt == null && (expiresAt == null || now.isBefore(expiresAt));
    }
}
