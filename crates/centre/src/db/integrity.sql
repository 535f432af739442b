-- Issue 19: a decision names the learner version it was about (its clock stamp, JSON), so a
-- version made after an accepted one reopens the item (pocketfolio-core evidence/lifecycle.rs)
-- and deleting a submitted item withdraws it (kept, shown, dated) instead of hiding it.
ALTER TABLE evidence ADD COLUMN decided_version TEXT;
ALTER TABLE evidence ADD COLUMN withdrawn_ms BIGINT;
-- Submitted items deleted before this were hidden from every page: they are withdrawals.
UPDATE evidence SET stage = 'withdrawn' WHERE deleted = 1 AND submissions > 0;
