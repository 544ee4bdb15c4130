-- Secret scanner (issue 5): scans and their hits. A hit keeps only a keyed fingerprint
-- (HMAC-SHA256 under the store's scan key, settings row 'scan.fingerprint_key') and a redacted
-- preview, never the secret. A hit linked to several identities has one row per identity.
-- Posture (issue 4) reads linked rows as NHI2 findings.

CREATE TABLE scans (
    id           VARCHAR(36) NOT NULL PRIMARY KEY, -- UUIDv7
    started_at   BIGINT      NOT NULL,
    finished_at  BIGINT      NOT NULL,
    actor        TEXT        NOT NULL,
    mode         VARCHAR(20) NOT NULL,             -- files, git, staged, content
    targets      TEXT        NOT NULL,             -- JSON array of strings
    summary      TEXT        NOT NULL,             -- JSON object: files, bytes, commits, skipped, allowed
    hit_count    INTEGER     NOT NULL,
    linked_count INTEGER     NOT NULL
);

CREATE TABLE scan_hits (
    id              ${autoIncrementKey},
    scan_id         VARCHAR(36) NOT NULL REFERENCES scans (id) ON DELETE CASCADE,
    fingerprint     CHAR(64)    NOT NULL,
    rule_id         TEXT        NOT NULL,
    severity        VARCHAR(10) NOT NULL,
    confidence      VARCHAR(10) NOT NULL,
    redacted        TEXT        NOT NULL,
    path            TEXT        NOT NULL,
    line            INTEGER     NOT NULL,
    col             INTEGER     NOT NULL,
    commit_id       VARCHAR(64),
    author          TEXT,
    committed_at    BIGINT,
    present_at_head INTEGER,                        -- 1, 0, or NULL outside history scans
    link_type       VARCHAR(40),
    link_value      TEXT,                           -- key id, subject, public-key hash, role URL: never secret
    identity_id     VARCHAR(36) REFERENCES identities (id) ON DELETE SET NULL,
    credential_id   VARCHAR(36),                    -- no foreign key: re-imports replace credential rows
    found_at        BIGINT      NOT NULL
);
CREATE INDEX scan_hits_scan ON scan_hits (scan_id);
CREATE INDEX scan_hits_identity ON scan_hits (identity_id, found_at);
CREATE INDEX scan_hits_fingerprint ON scan_hits (fingerprint);
