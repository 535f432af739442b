-- Off-the-job hours (issue 16): each entry's standing version and the assessor's latest
-- decision on it, and every version and decision received, so an auditor can see who changed
-- what, when, from what to what.
CREATE TABLE IF NOT EXISTS hours_entries (
    learner_id TEXT NOT NULL REFERENCES accounts(id),
    id TEXT NOT NULL,
    record TEXT,                           -- the standing HoursRecord (JSON), NULL once deleted
    entry_date TEXT NOT NULL DEFAULT '',   -- YYYY-MM-DD of the standing version
    minutes BIGINT NOT NULL DEFAULT 0,
    deleted BIGINT NOT NULL DEFAULT 0,
    decision TEXT,                         -- the latest HoursDecision (JSON)
    state TEXT NOT NULL DEFAULT 'pending', -- the core's HoursState of the two, for filters
    updated_ms BIGINT NOT NULL,
    PRIMARY KEY (learner_id, id)
);
CREATE INDEX IF NOT EXISTS hours_entries_state ON hours_entries(state, entry_date);
CREATE TABLE IF NOT EXISTS hours_history (
    learner_id TEXT NOT NULL REFERENCES accounts(id),
    entry_id TEXT NOT NULL,
    id TEXT NOT NULL,                      -- time-ordered UUID: the order events arrived in
    time_ms BIGINT NOT NULL,               -- when it happened (the device's time for the learner's)
    received_ms BIGINT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,                  -- logged, changed, superseded, deleted, confirmed, rejected
    before_record TEXT,                    -- JSON
    after_record TEXT,                     -- JSON
    reason TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (learner_id, entry_id, id)
);
-- The apprentice's programme as the provider set it, which every pull carries
CREATE TABLE IF NOT EXISTS programmes (
    learner_id TEXT PRIMARY KEY REFERENCES accounts(id),
    record TEXT NOT NULL,                  -- Programme (JSON)
    updated_ms BIGINT NOT NULL
);
