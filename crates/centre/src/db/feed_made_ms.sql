-- Issue 14: when each device change in the learner's stream was made, on the device's clock,
-- so a phone that pulls a withdrawal shows when the learner withdrew, not when it arrived.
-- Rows from before stay NULL (and the centre's own changes: their bodies carry their times).
ALTER TABLE feed ADD COLUMN made_ms BIGINT
