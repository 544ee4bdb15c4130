-- Discovery: human/machine classification (with a sticky manual override), source attributes,
-- removal by reconciliation, change detection, role trust policies, and import runs.

ALTER TABLE identities ADD COLUMN nature VARCHAR(10) NOT NULL DEFAULT 'machine';
ALTER TABLE identities ADD COLUMN nature_reason TEXT;
ALTER TABLE identities ADD COLUMN nature_override VARCHAR(10);       -- set by a person; survives re-imports
ALTER TABLE identities ADD COLUMN nature_override_reason TEXT;
ALTER TABLE identities ADD COLUMN attributes TEXT NOT NULL DEFAULT '{}';
ALTER TABLE identities ADD COLUMN removed_at BIGINT;
ALTER TABLE identities ADD COLUMN last_import_id VARCHAR(36);
ALTER TABLE identities ADD COLUMN content_hash CHAR(64);             -- of the record as last loaded
CREATE INDEX identities_reconcile ON identities (source_type, source_scope, kind, last_import_id);

CREATE TABLE trusts (
    id             ${autoIncrementKey},
    identity_id    VARCHAR(36) NOT NULL REFERENCES identities (id) ON DELETE CASCADE,
    effect         VARCHAR(10) NOT NULL,
    principal_type VARCHAR(20) NOT NULL,
    principal      TEXT        NOT NULL,
    action         TEXT        NOT NULL,
    condition      TEXT
);
CREATE INDEX trusts_identity ON trusts (identity_id);
CREATE INDEX trusts_principal ON trusts (principal_type, principal);

CREATE TABLE import_runs (
    id          VARCHAR(36) NOT NULL PRIMARY KEY,
    source      VARCHAR(40) NOT NULL,
    actor       TEXT        NOT NULL,
    inputs      TEXT        NOT NULL,   -- JSON array of input names (URLs with passwords redacted)
    options     TEXT        NOT NULL,   -- JSON object (environment, cluster; never passwords)
    started_at  BIGINT      NOT NULL,
    finished_at BIGINT      NOT NULL,
    status      VARCHAR(20) NOT NULL,   -- succeeded | failed
    added       INTEGER     NOT NULL,
    updated     INTEGER     NOT NULL,
    unchanged   INTEGER     NOT NULL,
    removed     INTEGER     NOT NULL,
    error       TEXT,
    notes       TEXT        NOT NULL    -- JSON array
);
CREATE INDEX import_runs_started ON import_runs (started_at);
