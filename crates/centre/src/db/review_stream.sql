-- Issue 19: a review's place in its learner's pull stream is on its own row in reviews, so a
-- push writes each review once instead of again as a JSON row in feed. The pull reads feed
-- and reviews together in position order. Reviews stored before this keep their feed rows and
-- have no position here.
ALTER TABLE reviews ADD COLUMN pos BIGINT;
ALTER TABLE reviews ADD COLUMN change_id TEXT;
-- The device that pushed it (the pull leaves a device's own changes out).
ALTER TABLE reviews ADD COLUMN pushed_by TEXT;
ALTER TABLE reviews ADD COLUMN made_ms BIGINT;
CREATE UNIQUE INDEX IF NOT EXISTS reviews_pos ON reviews(learner_id, pos)
