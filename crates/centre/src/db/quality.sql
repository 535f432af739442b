-- Quality assurance (issue 15; rules in pocketfolio-core's quality module).
-- Roles an account holds beside its own (an assessor who is also an IQA).
CREATE TABLE IF NOT EXISTS account_roles (
    account_id TEXT NOT NULL REFERENCES accounts(id),
    role TEXT NOT NULL,
    PRIMARY KEY (account_id, role)
);
-- A sample: the snapshot is the JSON the core wrote when it started, with its SHA-256; no
-- statement ever updates either. Signing fills signed_ms and signature once.
CREATE TABLE IF NOT EXISTS qa_samples (
    id TEXT PRIMARY KEY,
    learner_id TEXT NOT NULL REFERENCES accounts(id),
    iqa_id TEXT NOT NULL REFERENCES accounts(id),
    created_ms BIGINT NOT NULL,
    snapshot TEXT NOT NULL,
    snapshot_sha256 TEXT NOT NULL,
    signed_ms BIGINT,
    signature TEXT
);
CREATE INDEX IF NOT EXISTS qa_samples_learner ON qa_samples(learner_id);
-- One verdict per criterion decision in a sample; once given it stays.
CREATE TABLE IF NOT EXISTS qa_verdicts (
    sample_id TEXT NOT NULL REFERENCES qa_samples(id),
    evidence_id TEXT NOT NULL,
    criterion TEXT NOT NULL,
    verdict TEXT NOT NULL,
    feedback TEXT NOT NULL,
    time_ms BIGINT NOT NULL,
    PRIMARY KEY (sample_id, evidence_id, criterion)
);
-- What a disagreement asks of the assessor who decided.
CREATE TABLE IF NOT EXISTS qa_actions (
    id TEXT PRIMARY KEY,
    sample_id TEXT NOT NULL REFERENCES qa_samples(id),
    evidence_id TEXT NOT NULL,
    criterion TEXT NOT NULL,
    assessor_id TEXT NOT NULL REFERENCES accounts(id),
    request TEXT NOT NULL,
    due_ms BIGINT NOT NULL,
    state TEXT NOT NULL,
    answer TEXT NOT NULL DEFAULT '',
    created_ms BIGINT NOT NULL,
    answered_ms BIGINT,
    closed_ms BIGINT
);
CREATE INDEX IF NOT EXISTS qa_actions_assessor ON qa_actions(assessor_id, state);
CREATE INDEX IF NOT EXISTS qa_actions_sample ON qa_actions(sample_id)
