-- Issue 14: the one-time links that ask a witness to confirm the testimony they signed on the
-- learner's phone. As with employer_links, only the SHA-256 of a link's token is kept, so
-- reading this table gives no working link. Each link asks about one witness signature (its
-- event's hash); the answer the witness gives is kept here as its signature event, apart
-- from the learner's record, as well as in the record's log.
CREATE TABLE IF NOT EXISTS witness_links (
    token_sha256 TEXT PRIMARY KEY,
    learner_id TEXT NOT NULL REFERENCES accounts(id),
    evidence_id TEXT NOT NULL,
    signature_sha256 TEXT NOT NULL,
    witness_name TEXT NOT NULL,
    witness_email TEXT NOT NULL,
    created_by TEXT,
    created_ms BIGINT NOT NULL,
    expires_ms BIGINT NOT NULL,
    used_ms BIGINT,
    answer TEXT
);
CREATE INDEX IF NOT EXISTS witness_links_item ON witness_links(learner_id, evidence_id)
