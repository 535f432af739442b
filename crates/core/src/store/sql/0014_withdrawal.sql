-- The stamp of the version a learner withdrew an item at (JSON), when the withdrawal said it
-- (sync::protocol's evidence_withdrawn): that version stays and no later one is applied over
-- it. Items withdrawn before carry none and keep the old rule.
ALTER TABLE evidence ADD COLUMN withdrawn_hlc TEXT;
