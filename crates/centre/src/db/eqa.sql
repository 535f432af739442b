-- Issue 15: external quality assurers' access (rules in pocketfolio-core quality/eqa.rs). An
-- EQA account (accounts.role = 'eqa') reads until expires_ms, and only the learners enrolled
-- on the qualifications listed for it.
CREATE TABLE IF NOT EXISTS eqa_access (
    account_id TEXT PRIMARY KEY REFERENCES accounts(id),
    expires_ms BIGINT NOT NULL,
    set_ms BIGINT NOT NULL
);
CREATE TABLE IF NOT EXISTS eqa_qualifications (
    account_id TEXT NOT NULL REFERENCES accounts(id),
    qualification_id TEXT NOT NULL,
    PRIMARY KEY (account_id, qualification_id)
);
CREATE INDEX IF NOT EXISTS eqa_qualifications_qualification ON eqa_qualifications(qualification_id)
