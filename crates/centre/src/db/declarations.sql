-- The learner's signature of the declaration of authenticity (issue 14), as their devices
-- sent it: the one that stands by the core's rule (the latest version, then the latest
-- stamp), so a new phone learns it by sync and the centre's pages show which version stood.
CREATE TABLE IF NOT EXISTS declarations (
    learner_id TEXT PRIMARY KEY REFERENCES accounts(id),
    version BIGINT NOT NULL,
    record TEXT NOT NULL,      -- the signature event (JSON)
    updated_ms BIGINT NOT NULL
);
