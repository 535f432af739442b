-- The stamp of the version a learner withdrew an item at (JSON), when the withdrawal named it
-- (evidence_withdrawn): that version is kept and no later one is applied over it. Items
-- withdrawn by an older device's plain deletion carry none and keep the old rule.
ALTER TABLE evidence ADD COLUMN withdrawn_hlc TEXT;
