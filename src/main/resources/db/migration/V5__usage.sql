-- Usage: activity-log events aggregated per identity, credential, day, action, source and type.
-- Aggregates are kept; raw events only for the retention period. Events name identities by their
-- canonical external id, so events for identities not yet imported match when they appear.

CREATE TABLE usage_daily (
    dim_hash    CHAR(64)    NOT NULL PRIMARY KEY, -- SHA-256 of the dimensions below
    source_type VARCHAR(40) NOT NULL,
    scope       TEXT        NOT NULL,
    principal   TEXT        NOT NULL,
    credential  TEXT        NOT NULL,             -- '' when the log names none
    day         BIGINT      NOT NULL,             -- UTC epoch day
    action      TEXT        NOT NULL,
    source_ip   TEXT        NOT NULL,             -- '' when none
    user_agent  TEXT        NOT NULL,             -- '' when none
    event_type  VARCHAR(20) NOT NULL,
    events      BIGINT      NOT NULL,
    errors      BIGINT      NOT NULL,
    first_at    BIGINT      NOT NULL,
    last_at     BIGINT      NOT NULL
);
CREATE INDEX usage_daily_principal ON usage_daily (source_type, scope, principal, day);
CREATE INDEX usage_daily_credential ON usage_daily (credential);

CREATE TABLE usage_events (
    id          ${autoIncrementKey},
    at          BIGINT      NOT NULL,
    source_type VARCHAR(40) NOT NULL,
    scope       TEXT        NOT NULL,
    principal   TEXT        NOT NULL,
    credential  TEXT,
    action      TEXT        NOT NULL,
    resource    TEXT,
    source_ip   TEXT,
    user_agent  TEXT,
    event_type  VARCHAR(20) NOT NULL,
    error_code  TEXT,
    ingest_id   VARCHAR(36) NOT NULL
);
CREATE INDEX usage_events_at ON usage_events (at);
CREATE INDEX usage_events_principal ON usage_events (source_type, scope, principal, at);

CREATE TABLE usage_ingests (
    id          VARCHAR(36) NOT NULL PRIMARY KEY,
    format      VARCHAR(40) NOT NULL,
    actor       TEXT        NOT NULL,
    started_at  BIGINT      NOT NULL,
    finished_at BIGINT      NOT NULL,
    status      VARCHAR(20) NOT NULL,  -- succeeded | partial (a file was refused) | failed
    files       INTEGER     NOT NULL,
    events      BIGINT      NOT NULL,
    skipped     BIGINT      NOT NULL,
    unmatched   BIGINT      NOT NULL,  -- events of identities not (yet) in the inventory
    problems    TEXT        NOT NULL   -- JSON array: refused files and skipped records, with where and why
);
