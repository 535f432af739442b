-- Schema 7: the learner's enrolment, so screens put the units they take first. One row: the
-- centre's enrolment (from the pull stream) or, until one arrives, the learner's own choice.
CREATE TABLE enrolment (
    id             INTEGER PRIMARY KEY CHECK (id = 1),
    source         TEXT NOT NULL CHECK (source IN ('centre', 'learner')),
    qualifications TEXT NOT NULL, -- JSON array of qualification ids
    units          TEXT NOT NULL, -- JSON array of unit ids, in structure order
    stamp          INTEGER NOT NULL
) STRICT;
