-- Schema 2: what merging changes from other devices and the centre needs.

-- Last-writer-wins stamps (hybrid logical clock, JSON) on everything two devices can edit.
ALTER TABLE deck ADD COLUMN hlc TEXT;
ALTER TABLE note ADD COLUMN hlc TEXT;
ALTER TABLE evidence ADD COLUMN learner_hlc TEXT;

-- The assessor's side of an item, merged from the centre.
ALTER TABLE evidence ADD COLUMN assessor_hlc TEXT;
ALTER TABLE evidence ADD COLUMN assessor_name TEXT;
ALTER TABLE evidence ADD COLUMN signed_off TEXT NOT NULL DEFAULT '[]';
ALTER TABLE evidence ADD COLUMN feedback_unread INTEGER NOT NULL DEFAULT 0;

-- Deletions win over concurrent edits: a put for a deleted id is ignored, however late.
CREATE TABLE tombstone (
    kind    TEXT NOT NULL CHECK (kind IN ('deck', 'note', 'evidence')),
    id      BLOB NOT NULL,
    time_ms INTEGER NOT NULL,
    PRIMARY KEY (kind, id)
) STRICT, WITHOUT ROWID;

-- Attachments the centre has confirmed it holds.
ALTER TABLE blob ADD COLUMN uploaded_ms INTEGER;
