-- The audit log as a hash chain (src/audit_chain.rs): each entry numbered from 1 and hashed
-- with the hash of the one before. `audit_head` is the newest entry's number and hash; an
-- append updates it first, which serialises appends (a row lock on PostgreSQL, the one writer
-- on SQLite), so two requests appending at once cannot fork the chain. Entries written before
-- this migration are chained when the centre next starts (`Db::seal_audit`).
ALTER TABLE audit ADD COLUMN seq BIGINT;
ALTER TABLE audit ADD COLUMN learner_id TEXT;
ALTER TABLE audit ADD COLUMN prev_hash TEXT;
ALTER TABLE audit ADD COLUMN hash TEXT;
CREATE UNIQUE INDEX IF NOT EXISTS audit_seq ON audit(seq);
CREATE INDEX IF NOT EXISTS audit_learner ON audit(learner_id, seq);
CREATE INDEX IF NOT EXISTS audit_actor ON audit(actor_id, seq);
-- first_seq and first_prev: where the chain starts once the oldest entries were pruned after
-- their retention period (the first kept entry and the hash it follows).
CREATE TABLE IF NOT EXISTS audit_head (
    id BIGINT PRIMARY KEY,
    seq BIGINT NOT NULL,
    hash TEXT NOT NULL,
    first_seq BIGINT NOT NULL,
    first_prev TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash, first_seq, first_prev)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000', 1,
        '0000000000000000000000000000000000000000000000000000000000000000')
ON CONFLICT (id) DO NOTHING;
