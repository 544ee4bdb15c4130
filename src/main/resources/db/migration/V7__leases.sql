-- Leases (issue 7): every credential Warden issues outside itself (dynamic PostgreSQL logins,
-- X.509-SVIDs) is a row here, written as 'pending' before the credential exists and kept after it
-- ended. Instants are epoch milliseconds (UTC). No secret is ever stored: the handle names the
-- external object (a role name, a certificate serial), last_error is a reason without secrets.
CREATE TABLE leases (
    id              VARCHAR(36)  NOT NULL PRIMARY KEY,   -- UUIDv7
    kind            VARCHAR(40)  NOT NULL,               -- postgresql, x509-svid
    issuer          VARCHAR(100) NOT NULL,               -- configured issuer name
    role            VARCHAR(100),                        -- issuer role/template, may be NULL
    workload        TEXT         NOT NULL,
    identity_id     VARCHAR(36)  REFERENCES identities (id) ON DELETE SET NULL,
    credential_id   VARCHAR(36),                         -- inventory credential, once active
    handle          VARCHAR(512) NOT NULL,               -- external object, planned before it exists
    state           VARCHAR(20)  NOT NULL,               -- pending active revoking revoked expired irrevocable rolled_back
    revoke_reason   VARCHAR(20),                         -- expiry request rollback
    created_at      BIGINT       NOT NULL,
    updated_at      BIGINT       NOT NULL,
    expires_at      BIGINT       NOT NULL,
    max_expires_at  BIGINT       NOT NULL,
    renewals        INTEGER      NOT NULL,
    revoke_attempts INTEGER      NOT NULL,
    next_attempt_at BIGINT,                              -- while revoking: next attempt (or claim expiry)
    claim           VARCHAR(36),                         -- the revocation attempt in progress
    last_error      TEXT,
    created_by      TEXT         NOT NULL,
    ended_at        BIGINT,
    attributes      TEXT         NOT NULL                -- JSON object of strings, no secrets
);
CREATE UNIQUE INDEX leases_handle ON leases (kind, issuer, handle);
CREATE INDEX leases_expiry ON leases (state, expires_at);
CREATE INDEX leases_retry ON leases (state, next_attempt_at);
CREATE INDEX leases_workload ON leases (workload, id);

-- Static PostgreSQL roles whose password Warden rotates on a schedule. The new password is set
-- and forgotten (never stored); a row only says when the next rotation is due, so that servers
-- sharing the store rotate each role once (the claim is a conditional UPDATE of next_rotation_at).
CREATE TABLE static_rotations (
    issuer           VARCHAR(100) NOT NULL,
    name             VARCHAR(100) NOT NULL,
    username         TEXT         NOT NULL,
    rotated_at       BIGINT,
    next_rotation_at BIGINT       NOT NULL,
    last_error       TEXT,
    PRIMARY KEY (issuer, name)
);
