-- Schema 11: an apprentice's off-the-job hours log and programme (issue 16).

-- One row per entry: the version that stands (the highest stamp), the assessor's latest
-- decision on it, and a deletion, which wins over any edit however late it arrives.
CREATE TABLE hours_entry (
    id         BLOB PRIMARY KEY,
    date       TEXT,            -- YYYY-MM-DD, the learner's local date; for ordering
    record     TEXT,            -- the standing HoursRecord (JSON); NULL once deleted
    hlc        TEXT,            -- its stamp (JSON)
    deleted_ms INTEGER,
    decision   TEXT             -- the latest HoursDecision (JSON)
) STRICT;
CREATE INDEX hours_entry_date ON hours_entry (date);

-- The programme (start, plan, breaks, gateway): the centre's, or the learner's own until the
-- provider sets one.
CREATE TABLE programme (
    id     INTEGER PRIMARY KEY CHECK (id = 1),
    source TEXT NOT NULL CHECK (source IN ('centre', 'learner')),
    record TEXT NOT NULL,       -- Programme (JSON)
    stamp  INTEGER NOT NULL
) STRICT;
