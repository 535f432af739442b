-- Schema 12: find a note by the GUID it came with, so a file that names a note by GUID (an
-- Anki package, Anki's text format, or our own export read back) updates that note.
CREATE INDEX note_guid_by_guid ON note_guid (guid);
