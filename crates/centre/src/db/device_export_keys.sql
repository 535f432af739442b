-- Issue 14: the public keys learners' devices seal their portfolio exports with, as each
-- device registered them on sync, so `verify-export` can say whose device sealed an export.
-- A key names one device of one learner (its primary key); a device that registers another
-- key keeps the earlier row, marked replaced, so an export sealed before still names it.
CREATE TABLE IF NOT EXISTS device_export_keys (
    public_key TEXT PRIMARY KEY,
    learner_id TEXT NOT NULL REFERENCES accounts(id),
    device_id TEXT NOT NULL,
    registered_ms BIGINT NOT NULL,
    replaced_ms BIGINT
);
CREATE INDEX IF NOT EXISTS device_export_keys_learner ON device_export_keys(learner_id, device_id)
