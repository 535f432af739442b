-- Issue 14: the assessor's signatures of their decisions on an item, as a JSON array of the
-- core's signature events (pocketfolio-core signing). The item's record carries them in its
-- log too; this copy is the centre's own, which no learner version can change.
ALTER TABLE evidence ADD COLUMN assessor_signatures TEXT
