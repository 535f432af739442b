-- The evidence lifecycle counts submissions, so a resubmission is told apart from the first
-- and a decision is tied to the submission it was about (see evidence/lifecycle.rs).
ALTER TABLE evidence ADD COLUMN submissions INTEGER NOT NULL DEFAULT 0;
ALTER TABLE evidence ADD COLUMN decided_submission INTEGER NOT NULL DEFAULT 0;
UPDATE evidence SET submissions = 1 WHERE learner_status = 'submitted';
UPDATE evidence SET decided_submission = 1 WHERE assessor_status IS NOT NULL;
