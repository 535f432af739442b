-- Schema 10: the awarding body's references for criteria, as the learner's centre loaded them
-- (from the pull stream), so screens can show "AC 2.3 (official)" beside the pack's own codes.
-- Replaced whole when the centre's set changes; no outbox (the centre decides them).
CREATE TABLE official_ref (
    criterion_id TEXT PRIMARY KEY,
    unit_ref     TEXT NOT NULL,
    reference    TEXT NOT NULL,
    text         TEXT NOT NULL
) STRICT;
