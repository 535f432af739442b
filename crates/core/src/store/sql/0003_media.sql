-- Schema 3: media that card text refers to by name (`[image:label.png]`, `[sound:beep.mp3]`),
-- as in Anki. The bytes are blobs like attachments, stored once by SHA-256.
CREATE TABLE media (
    name   TEXT PRIMARY KEY,
    sha256 TEXT NOT NULL REFERENCES blob(sha256)
) STRICT, WITHOUT ROWID;
