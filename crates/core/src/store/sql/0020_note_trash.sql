-- Schema 20: a deleted note waits here, with its criteria, Anki GUID, cards and their whole
-- review log, until the day it was deleted on ends. Until then undo puts every row back as it
-- was (the schedule, the history and the stats' answer counts with it) and nothing has been
-- sent: the tombstone and the NoteDeleted change are written only when the deletion settles,
-- because a tombstone wins on every device and could never be taken back.
-- The trash tables copy their live table's columns in order (`SELECT *` moves rows both
-- ways); store::note_trash's test fails if a later migration changes one and not the other.
CREATE TABLE trash_note AS SELECT * FROM note WHERE 0;
CREATE TABLE trash_note_criterion AS SELECT * FROM note_criterion WHERE 0;
CREATE TABLE trash_note_guid AS SELECT * FROM note_guid WHERE 0;
CREATE TABLE trash_card AS SELECT * FROM card WHERE 0;
CREATE TABLE trash_review_log AS SELECT * FROM review_log WHERE 0;
CREATE INDEX trash_note_by_id ON trash_note(id);
CREATE INDEX trash_note_criterion_by_note ON trash_note_criterion(note_id);
CREATE INDEX trash_note_guid_by_note ON trash_note_guid(note_id);
CREATE INDEX trash_card_by_note ON trash_card(note_id);
CREATE INDEX trash_card_by_id ON trash_card(id);
CREATE INDEX trash_review_log_by_card ON trash_review_log(card_id);
CREATE INDEX trash_review_log_by_id ON trash_review_log(id);

-- One row per deletion waiting to settle: who deleted it and when, for the undo stack.
CREATE TABLE note_deletion (
    note_id   BLOB PRIMARY KEY,
    device_id BLOB NOT NULL,
    time_ms   INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX note_deletion_by_time ON note_deletion(time_ms);
