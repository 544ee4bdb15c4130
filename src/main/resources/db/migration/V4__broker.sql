-- Broker (just-in-time workload credentials): signing keys, issuances, the subject-token replay
-- cache and replay findings. Instants are epoch milliseconds (UTC). No subject token and no
-- private key is ever stored in clear: tokens only as keyed fingerprints, keys sealed (SecretBox).

CREATE TABLE signing_keys (
    kid         VARCHAR(64)  NOT NULL PRIMARY KEY,
    purpose     VARCHAR(40)  NOT NULL,   -- 'broker-jwt' now; issue 7 adds its own purposes
    alg         VARCHAR(16)  NOT NULL,   -- ES256, EdDSA, RS256
    public_jwk  TEXT         NOT NULL,   -- JSON, public part only
    private_key TEXT         NOT NULL,   -- SecretBox envelope of the PKCS#8 DER
    created_at  BIGINT       NOT NULL,   -- published in the JWKS from then
    activate_at BIGINT       NOT NULL,   -- signs from then (created early so caches see it first)
    retire_at   BIGINT       NOT NULL,   -- signs until then
    expire_at   BIGINT       NOT NULL    -- published in the JWKS until then (retire + max token TTL)
);
CREATE INDEX signing_keys_purpose ON signing_keys (purpose, created_at);

-- One row per issued token (the lease of a bearer token). Issue 4 (usage) reads this as the
-- broker's issuance log; revocation marks revoked_at so introspection answers inactive.
CREATE TABLE broker_issuances (
    jti                 VARCHAR(64)  NOT NULL PRIMARY KEY,
    identity_id         VARCHAR(36)  REFERENCES identities (id) ON DELETE SET NULL,
    workload            TEXT         NOT NULL,  -- the token's sub: the attested workload id
    attestor            TEXT         NOT NULL,
    policy              TEXT         NOT NULL,
    audience            TEXT         NOT NULL,  -- space-separated
    scope               TEXT         NOT NULL,  -- space-separated, may be ''
    actor               TEXT,                   -- act.sub when delegated
    subject_fingerprint TEXT         NOT NULL,  -- keyed hash of the subject token
    source_address      TEXT,
    issued_at           BIGINT       NOT NULL,
    expires_at          BIGINT       NOT NULL,
    revoked_at          BIGINT,
    revoked_by          TEXT
);
CREATE INDEX broker_issuances_workload ON broker_issuances (workload, issued_at);
CREATE INDEX broker_issuances_identity ON broker_issuances (identity_id, issued_at);
CREATE INDEX broker_issuances_expires ON broker_issuances (expires_at);

-- Subject-token ids already accepted: a jti is accepted once across every server on one store.
-- The key is a keyed hash of issuer and jti; rows are pruned after the token itself expired.
CREATE TABLE broker_seen_jti (
    jti_key    VARCHAR(100) NOT NULL PRIMARY KEY,
    workload   TEXT         NOT NULL,
    seen_at    BIGINT       NOT NULL,
    expires_at BIGINT       NOT NULL
);
CREATE INDEX broker_seen_jti_expires ON broker_seen_jti (expires_at);

-- Findings the broker raises on a workload (token replay). The posture checks (a later issue)
-- read these; each is also an identity tag so `identities show` makes it visible now.
CREATE TABLE broker_findings (
    id          VARCHAR(36)  NOT NULL PRIMARY KEY,
    identity_id VARCHAR(36)  REFERENCES identities (id) ON DELETE CASCADE,
    workload    TEXT         NOT NULL,
    kind        VARCHAR(40)  NOT NULL,   -- token_replay
    severity    VARCHAR(20)  NOT NULL,
    evidence    TEXT         NOT NULL,   -- JSON object of strings, no secrets
    at          BIGINT       NOT NULL
);
CREATE INDEX broker_findings_identity ON broker_findings (identity_id, at);
