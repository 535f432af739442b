-- Pocketfolio local store, schema 1.
-- Ids are 16-byte UUIDs (v7 for things made on the device, v5 for built-in content).
-- Times are ms since the Unix epoch, UTC.

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

CREATE TABLE qualification (
    id    TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    level INTEGER NOT NULL
) STRICT;

CREATE TABLE unit (
    id      TEXT PRIMARY KEY,
    title   TEXT NOT NULL,
    summary TEXT NOT NULL,
    ord     INTEGER NOT NULL
) STRICT;

CREATE TABLE unit_qualification (
    unit_id          TEXT NOT NULL REFERENCES unit(id) ON DELETE CASCADE,
    qualification_id TEXT NOT NULL REFERENCES qualification(id) ON DELETE CASCADE,
    PRIMARY KEY (unit_id, qualification_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE outcome (
    id      TEXT PRIMARY KEY,
    unit_id TEXT NOT NULL REFERENCES unit(id) ON DELETE CASCADE,
    code    TEXT NOT NULL,
    title   TEXT NOT NULL,
    ord     INTEGER NOT NULL
) STRICT;

CREATE TABLE criterion (
    id         TEXT PRIMARY KEY,
    outcome_id TEXT NOT NULL REFERENCES outcome(id) ON DELETE CASCADE,
    unit_id    TEXT NOT NULL REFERENCES unit(id) ON DELETE CASCADE,
    code       TEXT NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('criterion', 'marking_point')),
    text       TEXT NOT NULL,
    ord        INTEGER NOT NULL
) STRICT;
CREATE INDEX criterion_by_unit ON criterion(unit_id);

CREATE TABLE deck (
    id          BLOB PRIMARY KEY,
    name        TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    unit_id     TEXT,
    builtin     TEXT UNIQUE,
    created_ms  INTEGER NOT NULL,
    modified_ms INTEGER NOT NULL
) STRICT;

CREATE TABLE note (
    id          BLOB PRIMARY KEY,
    deck_id     BLOB NOT NULL REFERENCES deck(id) ON DELETE CASCADE,
    kind        TEXT NOT NULL CHECK (kind IN ('basic', 'reversed', 'cloze')),
    fields      TEXT NOT NULL,
    -- Space-separated and space-padded (" a b "), so a tag matches with LIKE '% a %'.
    tags        TEXT NOT NULL DEFAULT ' ',
    -- Lower-cased plain text of all fields, for search.
    search_text TEXT NOT NULL,
    builtin     TEXT UNIQUE,
    created_ms  INTEGER NOT NULL,
    modified_ms INTEGER NOT NULL
) STRICT;
CREATE INDEX note_by_deck ON note(deck_id);

CREATE TABLE note_criterion (
    note_id      BLOB NOT NULL REFERENCES note(id) ON DELETE CASCADE,
    criterion_id TEXT NOT NULL REFERENCES criterion(id) ON DELETE CASCADE,
    PRIMARY KEY (note_id, criterion_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX note_criterion_by_criterion ON note_criterion(criterion_id);

-- The schedule columns are a cache of replaying the card's review log.
CREATE TABLE card (
    id             BLOB PRIMARY KEY,
    note_id        BLOB NOT NULL REFERENCES note(id) ON DELETE CASCADE,
    ord            INTEGER NOT NULL,
    position       INTEGER NOT NULL,
    state          INTEGER NOT NULL,
    due_ms         INTEGER NOT NULL,
    stability      REAL,
    difficulty     REAL,
    step           INTEGER NOT NULL,
    reps           INTEGER NOT NULL,
    lapses         INTEGER NOT NULL,
    interval_days  INTEGER NOT NULL,
    last_review_ms INTEGER,
    last_day       INTEGER,
    suspended      INTEGER NOT NULL,
    buried_day     INTEGER,
    leech          INTEGER NOT NULL,
    UNIQUE (note_id, ord)
) STRICT;
-- Due cards by state and due time; new cards by position. Suspended cards never queue, and
-- new cards stay out of card_due so the new-card query can't pick it and sort every new card.
CREATE INDEX card_due ON card(state, due_ms) WHERE suspended = 0 AND state != 0;
CREATE INDEX card_new ON card(position) WHERE suspended = 0 AND state = 0;

-- Append-only. `kind` 1-4 is an answer with that rating; 10+ are manual events.
CREATE TABLE review_log (
    id            BLOB PRIMARY KEY,
    card_id       BLOB NOT NULL REFERENCES card(id) ON DELETE CASCADE,
    time_ms       INTEGER NOT NULL,
    kind          INTEGER NOT NULL,
    value         INTEGER NOT NULL,
    prior_state   INTEGER NOT NULL,
    duration_ms   INTEGER NOT NULL,
    device_id     BLOB NOT NULL,
    tz_offset_min INTEGER NOT NULL,
    retention     REAL NOT NULL,
    undone        INTEGER NOT NULL DEFAULT 0
) STRICT, WITHOUT ROWID;
CREATE INDEX review_log_by_card ON review_log(card_id, time_ms);
CREATE INDEX review_log_by_time ON review_log(time_ms);

CREATE TABLE evidence (
    id              BLOB PRIMARY KEY,
    kind            TEXT NOT NULL,
    template_id     TEXT,
    title           TEXT NOT NULL,
    fields          TEXT NOT NULL,
    learner_status  TEXT NOT NULL CHECK (learner_status IN ('draft', 'submitted')),
    assessor_status TEXT CHECK (assessor_status IN ('accepted', 'referred_back')),
    feedback        TEXT,
    created_ms      INTEGER NOT NULL,
    updated_ms      INTEGER NOT NULL
) STRICT;

CREATE TABLE evidence_criterion (
    evidence_id  BLOB NOT NULL REFERENCES evidence(id) ON DELETE CASCADE,
    criterion_id TEXT NOT NULL REFERENCES criterion(id),
    PRIMARY KEY (evidence_id, criterion_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX evidence_criterion_by_criterion ON evidence_criterion(criterion_id);

-- Files live in the blob folder beside the database, named by SHA-256.
CREATE TABLE blob (
    sha256    TEXT PRIMARY KEY,
    size      INTEGER NOT NULL,
    mime      TEXT NOT NULL,
    stored_ms INTEGER NOT NULL
) STRICT;

CREATE TABLE evidence_attachment (
    evidence_id BLOB NOT NULL REFERENCES evidence(id) ON DELETE CASCADE,
    sha256      TEXT NOT NULL REFERENCES blob(sha256),
    file_name   TEXT NOT NULL,
    ord         INTEGER NOT NULL,
    PRIMARY KEY (evidence_id, sha256)
) STRICT, WITHOUT ROWID;

CREATE TABLE evidence_history (
    id          INTEGER PRIMARY KEY,
    evidence_id BLOB NOT NULL REFERENCES evidence(id) ON DELETE CASCADE,
    time_ms     INTEGER NOT NULL,
    actor       TEXT NOT NULL,
    summary     TEXT NOT NULL,
    detail      TEXT NOT NULL
) STRICT;
CREATE INDEX evidence_history_by_item ON evidence_history(evidence_id, time_ms);

-- Changes waiting to be pushed, numbered 1, 2, 3 … per device. A number must never be reused,
-- so acknowledging keeps the newest acknowledged row as a high-water mark (a new rowid is always
-- max + 1); meta 'outbox_acked' says how far the centre has confirmed. This costs no write per
-- change, where AUTOINCREMENT would update sqlite_sequence on every insert.
CREATE TABLE outbox (
    seq        INTEGER PRIMARY KEY,
    change_id  BLOB NOT NULL,
    created_ms INTEGER NOT NULL,
    body       TEXT NOT NULL
) STRICT;
