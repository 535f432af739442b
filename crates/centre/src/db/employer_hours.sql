-- Issue 16: the employer confirms or queries an apprentice's off-the-job hours through a
-- one-time link that asks about a period. Only the SHA-256 of a link's token is kept. The
-- employer's latest word on an entry is kept beside the assessor's decision, as the core's
-- EmployerCheck (JSON); its history rows and audit entries are written with it.
CREATE TABLE IF NOT EXISTS employer_hours_links (
    token_sha256 TEXT PRIMARY KEY,
    learner_id TEXT NOT NULL REFERENCES accounts(id),
    employer_name TEXT NOT NULL,
    from_date TEXT NOT NULL,
    to_date TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_ms BIGINT NOT NULL,
    expires_ms BIGINT NOT NULL,
    used_ms BIGINT
);
CREATE INDEX IF NOT EXISTS employer_hours_links_learner ON employer_hours_links(learner_id);
ALTER TABLE hours_entries ADD COLUMN employer_check TEXT
