-- Issue 14: the request the centre sends the witness by itself when a signed testimony first
-- reaches it. One row per witness signature (each version of the statement the witness
-- signs), inserted before anything is sent, so two pushes at once send it once; the outcome
-- (sent, no relay, failed and why) is what the assessor reads beside the confirmation.
CREATE TABLE IF NOT EXISTS witness_auto_requests (
    learner_id TEXT NOT NULL REFERENCES accounts(id),
    evidence_id TEXT NOT NULL,
    signature_sha256 TEXT NOT NULL,
    email TEXT NOT NULL,
    claimed_ms BIGINT NOT NULL,
    outcome TEXT,
    reason TEXT,
    done_ms BIGINT,
    PRIMARY KEY (learner_id, evidence_id, signature_sha256)
);
