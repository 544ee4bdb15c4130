-- Warden core schema: inventory, API tokens, audit log. Portable across SQLite and PostgreSQL;
-- ${autoIncrementKey} is the one dialect-specific piece. Instants are epoch milliseconds (UTC).

CREATE TABLE identities (
    id                   VARCHAR(36)  NOT NULL PRIMARY KEY, -- UUIDv7: time-ordered, the cursor key
    kind                 VARCHAR(40)  NOT NULL,
    name                 TEXT         NOT NULL,
    external_id          TEXT         NOT NULL,
    source_type          VARCHAR(40)  NOT NULL,
    source_scope         TEXT         NOT NULL,             -- account / cluster / org; '' when none
    environment          TEXT,
    business_owner       TEXT,
    technical_owner      TEXT,
    ownership_provenance TEXT,
    workload             TEXT,
    purpose              TEXT,
    status               VARCHAR(20)  NOT NULL,
    third_party_vendor   TEXT,
    tags                 TEXT         NOT NULL,             -- JSON object of strings
    created_at           BIGINT,
    first_seen           BIGINT       NOT NULL,
    last_seen            BIGINT       NOT NULL,
    updated_at           BIGINT       NOT NULL
);
-- The natural key, external id first: it also serves lookups by external id alone.
CREATE UNIQUE INDEX identities_source_key ON identities (external_id, source_type, source_scope);
CREATE INDEX identities_kind ON identities (kind, id);
CREATE INDEX identities_source ON identities (source_type, id);
CREATE INDEX identities_environment ON identities (environment, id);
CREATE INDEX identities_business_owner ON identities (business_owner, id);
CREATE INDEX identities_technical_owner ON identities (technical_owner, id);
-- Covers GET /v1/stats: counting a million identities scans this instead of the table.
CREATE INDEX identities_stats ON identities
    (kind, source_type, environment, status, (business_owner IS NULL AND technical_owner IS NULL));

CREATE TABLE credentials (
    id              VARCHAR(36) NOT NULL PRIMARY KEY,
    identity_id     VARCHAR(36) NOT NULL REFERENCES identities (id) ON DELETE CASCADE,
    kind            VARCHAR(40) NOT NULL,
    external_id     TEXT,
    fingerprint     TEXT,       -- keyed hash or public fingerprint; never the secret
    created_at      BIGINT,
    last_rotated_at BIGINT,
    expires_at      BIGINT,
    last_used_at    BIGINT,
    status          VARCHAR(20) NOT NULL,
    attributes      TEXT        NOT NULL  -- JSON object of strings
);
CREATE INDEX credentials_identity ON credentials (identity_id);
CREATE INDEX credentials_external_id ON credentials (external_id);
CREATE INDEX credentials_fingerprint ON credentials (fingerprint);

CREATE TABLE entitlements (
    id          ${autoIncrementKey},
    identity_id VARCHAR(36) NOT NULL REFERENCES identities (id) ON DELETE CASCADE,
    effect      VARCHAR(10) NOT NULL,
    action      TEXT        NOT NULL,
    resource    TEXT        NOT NULL,
    granted_via TEXT,
    condition   TEXT        -- JSON, as the source states it
);
CREATE INDEX entitlements_identity ON entitlements (identity_id);

CREATE TABLE api_tokens (
    id          VARCHAR(36) NOT NULL PRIMARY KEY,
    token_hash  CHAR(64)    NOT NULL UNIQUE, -- SHA-256 of the whole token; the token is never stored
    hint        VARCHAR(16) NOT NULL,        -- last characters, to tell tokens apart in listings
    role        VARCHAR(20) NOT NULL,
    team        TEXT,
    description TEXT,
    created_at  BIGINT      NOT NULL,
    created_by  TEXT        NOT NULL,
    expires_at  BIGINT,
    revoked_at  BIGINT
);

CREATE TABLE audit_log (
    seq         BIGINT      NOT NULL PRIMARY KEY, -- dense 1, 2, 3...: a gap is a deleted entry
    at          BIGINT      NOT NULL,
    actor       TEXT        NOT NULL,
    action      TEXT        NOT NULL,
    target_type TEXT        NOT NULL,
    target_id   TEXT        NOT NULL,
    details     TEXT        NOT NULL,             -- JSON object
    prev_hash   CHAR(64)    NOT NULL,
    hash        CHAR(64)    NOT NULL
);

CREATE TABLE settings (
    name  VARCHAR(100) NOT NULL PRIMARY KEY,
    value TEXT         NOT NULL
);
