-- One schema for SQLite and PostgreSQL: only types and syntax both accept.
-- Ids are UUID text, times are ms since the epoch (BIGINT), flags are 0/1, JSON is TEXT.
CREATE TABLE IF NOT EXISTS accounts (
    id TEXT PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    created_ms BIGINT NOT NULL,
    -- The last position used in this learner's pull stream; bumping it also locks the learner.
    feed_pos BIGINT NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS assignments (
    assessor_id TEXT NOT NULL REFERENCES accounts(id),
    learner_id TEXT NOT NULL REFERENCES accounts(id),
    PRIMARY KEY (assessor_id, learner_id)
);
CREATE INDEX IF NOT EXISTS assignments_learner ON assignments(learner_id);
CREATE TABLE IF NOT EXISTS enrolments (
    learner_id TEXT NOT NULL REFERENCES accounts(id),
    qualification_id TEXT NOT NULL,
    PRIMARY KEY (learner_id, qualification_id)
);
CREATE TABLE IF NOT EXISTS tokens (
    hash TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts(id),
    kind TEXT NOT NULL,
    csrf TEXT NOT NULL,
    created_ms BIGINT NOT NULL,
    expires_ms BIGINT NOT NULL,
    revoked BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS tokens_account ON tokens(account_id);
CREATE TABLE IF NOT EXISTS devices (
    id TEXT PRIMARY KEY,
    learner_id TEXT NOT NULL REFERENCES accounts(id),
    last_seq BIGINT NOT NULL
);
CREATE TABLE IF NOT EXISTS feed (
    learner_id TEXT NOT NULL,
    pos BIGINT NOT NULL,
    change_id TEXT,
    device_id TEXT,
    origin TEXT NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (learner_id, pos)
);
CREATE UNIQUE INDEX IF NOT EXISTS feed_change ON feed(learner_id, change_id);
CREATE TABLE IF NOT EXISTS reviews (
    learner_id TEXT NOT NULL,
    id TEXT NOT NULL,
    card_id TEXT NOT NULL,
    time_ms BIGINT NOT NULL,
    kind BIGINT NOT NULL,
    value BIGINT NOT NULL,
    duration_ms BIGINT NOT NULL,
    device_id TEXT NOT NULL,
    tz_offset_min BIGINT NOT NULL,
    retention DOUBLE PRECISION NOT NULL,
    undone BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (learner_id, id)
);
CREATE TABLE IF NOT EXISTS decks (
    learner_id TEXT NOT NULL,
    id TEXT NOT NULL,
    record TEXT,
    updated_ms BIGINT NOT NULL,
    deleted BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (learner_id, id)
);
CREATE TABLE IF NOT EXISTS notes (
    learner_id TEXT NOT NULL,
    id TEXT NOT NULL,
    record TEXT,
    updated_ms BIGINT NOT NULL,
    deleted BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (learner_id, id)
);
CREATE TABLE IF NOT EXISTS settings (
    learner_id TEXT PRIMARY KEY,
    record TEXT NOT NULL,
    updated_ms BIGINT NOT NULL
);
CREATE TABLE IF NOT EXISTS evidence (
    learner_id TEXT NOT NULL,
    id TEXT NOT NULL,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    learner_status TEXT NOT NULL,
    record TEXT,
    learner_hlc TEXT,
    submitted_ms BIGINT,
    updated_ms BIGINT NOT NULL,
    deleted BIGINT NOT NULL DEFAULT 0,
    assessor_status TEXT,
    feedback TEXT,
    signed_off TEXT NOT NULL DEFAULT '[]',
    assessor_name TEXT,
    assessor_hlc TEXT,
    assessed_ms BIGINT,
    PRIMARY KEY (learner_id, id)
);
CREATE INDEX IF NOT EXISTS evidence_queue ON evidence(learner_status, submitted_ms);
CREATE TABLE IF NOT EXISTS evidence_history (
    learner_id TEXT NOT NULL,
    evidence_id TEXT NOT NULL,
    id TEXT NOT NULL,
    time_ms BIGINT NOT NULL,
    actor TEXT NOT NULL,
    summary TEXT NOT NULL,
    detail TEXT NOT NULL,
    PRIMARY KEY (learner_id, evidence_id, id)
);
CREATE TABLE IF NOT EXISTS blobs (
    learner_id TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    size BIGINT NOT NULL,
    created_ms BIGINT NOT NULL,
    PRIMARY KEY (learner_id, sha256)
);
CREATE TABLE IF NOT EXISTS audit (
    id TEXT PRIMARY KEY,
    time_ms BIGINT NOT NULL,
    actor_id TEXT,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT NOT NULL,
    before TEXT NOT NULL,
    after TEXT NOT NULL
);
