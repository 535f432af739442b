-- Schema 4: the GUID a note had in Anki (or a text file's GUID column), kept so an export to
-- Anki names the note as Anki knows it, and re-importing either way updates instead of adding.
CREATE TABLE note_guid (
    note_id BLOB PRIMARY KEY REFERENCES note(id) ON DELETE CASCADE,
    guid    TEXT NOT NULL
) STRICT, WITHOUT ROWID;
