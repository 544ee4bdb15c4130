-- Posture (issue 4): findings with stable ids and their exceptions, and one summary row per
-- evaluation so that reports show a real trend. A finding's id is its identity's id followed by a
-- hash of check, identity, credential and discriminator: an evaluation walks identities in id order,
-- so new findings append to the indexes, and one identity's findings are one index range.

CREATE TABLE findings (
    id                     VARCHAR(60) NOT NULL PRIMARY KEY,
    identity_id            VARCHAR(36) NOT NULL,   -- no foreign key: a finding's history outlives its identity
    check_id               VARCHAR(60) NOT NULL,
    risk                   VARCHAR(10) NOT NULL,   -- NHI1 .. NHI10, LIFECYCLE
    severity               VARCHAR(10) NOT NULL,
    severity_rank          INTEGER     NOT NULL,   -- 0 info .. 4 critical, for ordering
    credential_id          VARCHAR(36),
    credential_kind        VARCHAR(40),
    credential_external_id TEXT,
    credential_fingerprint TEXT,                   -- never a secret
    summary                TEXT        NOT NULL,
    evidence               TEXT        NOT NULL,   -- JSON object: the facts and thresholds that fired
    digest                 CHAR(16)    NOT NULL,   -- hash of severity, summary, evidence, credential: what changed
    status                 VARCHAR(10) NOT NULL,   -- open | accepted | resolved
    first_seen             BIGINT      NOT NULL,
    last_seen              BIGINT      NOT NULL,   -- while not resolved, the latest evaluation's time is shown
    resolved_at            BIGINT,
    accepted_reason        TEXT,                   -- the exception (the latest one; history is in the audit log)
    accepted_by            TEXT,
    accepted_at            BIGINT,
    accepted_until         BIGINT
);
CREATE INDEX findings_identity ON findings (identity_id);
CREATE INDEX findings_order ON findings (severity_rank DESC, id);
CREATE INDEX findings_check ON findings (check_id, status);

CREATE TABLE posture_evaluations (
    id             VARCHAR(36) NOT NULL PRIMARY KEY, -- UUIDv7
    at             BIGINT      NOT NULL,
    as_of          BIGINT      NOT NULL,
    actor          TEXT        NOT NULL,
    identities     BIGINT      NOT NULL,             -- identities read
    evaluated      BIGINT      NOT NULL,             -- machine identities the checks ran on
    open_count     BIGINT      NOT NULL,
    accepted_count BIGINT      NOT NULL,
    new_count      BIGINT      NOT NULL,
    resolved_count BIGINT      NOT NULL,
    reopened_count BIGINT      NOT NULL,
    duration_ms    BIGINT      NOT NULL,
    counts         TEXT        NOT NULL,             -- JSON array of {check, severity, status, count}
    policy         TEXT        NOT NULL              -- JSON: the thresholds in force
);
CREATE INDEX posture_evaluations_at ON posture_evaluations (at);
