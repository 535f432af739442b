-- The evidence lifecycle (pocketfolio-core's evidence/lifecycle.rs): submissions are counted,
-- a decision names the submission it was about, and the stage the core works out from both is
-- kept beside them so the queue and the learner pages can filter on it.
ALTER TABLE evidence ADD COLUMN submissions BIGINT NOT NULL DEFAULT 0;
ALTER TABLE evidence ADD COLUMN decided_submission BIGINT NOT NULL DEFAULT 0;
ALTER TABLE evidence ADD COLUMN stage TEXT NOT NULL DEFAULT 'draft';
-- Rows from before: one submission, decided if there is a decision (the stage of such a row
-- is what the core says of exactly these values).
UPDATE evidence SET submissions = 1 WHERE learner_status = 'submitted';
UPDATE evidence SET decided_submission = 1 WHERE assessor_status IS NOT NULL;
UPDATE evidence SET stage = 'submitted' WHERE submissions = 1 AND assessor_status IS NULL;
UPDATE evidence SET stage = assessor_status WHERE submissions = 1 AND assessor_status IS NOT NULL;
CREATE INDEX IF NOT EXISTS evidence_stage ON evidence(stage, submitted_ms);
-- When a change arrived, beside when it was made (time_ms, the device's time).
ALTER TABLE evidence_history ADD COLUMN received_ms BIGINT;
