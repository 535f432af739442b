-- The awarding body's references for criteria, loaded by an admin from the official unit
-- specification (one structure file per load). A load replaces the references of the units it
-- names; phones receive the whole set with every pull.
CREATE TABLE IF NOT EXISTS official_refs (
    criterion_id TEXT PRIMARY KEY,
    unit_id TEXT NOT NULL,
    unit_ref TEXT NOT NULL,
    reference TEXT NOT NULL,
    text TEXT NOT NULL,
    loaded_ms BIGINT NOT NULL
);
