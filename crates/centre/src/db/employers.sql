-- Issue 16: the employer's part. One contact per learner (name, organisation, email), and the
-- one-time links by which an employer signs a progress review without an account. Only the
-- SHA-256 of a link's token is kept, so reading this table gives no working link.
CREATE TABLE IF NOT EXISTS employer_contacts (
    learner_id TEXT PRIMARY KEY REFERENCES accounts(id),
    name TEXT NOT NULL,
    organisation TEXT NOT NULL,
    email TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    updated_ms BIGINT NOT NULL
);
CREATE TABLE IF NOT EXISTS employer_links (
    token_sha256 TEXT PRIMARY KEY,
    learner_id TEXT NOT NULL REFERENCES accounts(id),
    review_id TEXT NOT NULL,
    employer_name TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_ms BIGINT NOT NULL,
    expires_ms BIGINT NOT NULL,
    used_ms BIGINT
);
CREATE INDEX IF NOT EXISTS employer_links_learner ON employer_links(learner_id)
