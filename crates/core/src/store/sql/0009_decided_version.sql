-- The learner version an assessor's decision was about (its clock stamp, JSON), so a version
-- made after an accepted one reopens the item (evidence/lifecycle.rs). Decisions stored before
-- have none and never reopen.
ALTER TABLE evidence ADD COLUMN decided_version TEXT;
