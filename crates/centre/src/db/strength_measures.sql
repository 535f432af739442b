-- Issue 16: each unit's knowledge strength as the learner's device measured it (at most once a
-- day per unit). The centre holds the review log but not the device's cards, so it cannot work
-- strength out itself; progress reviews show how it moved between two measures.
CREATE TABLE IF NOT EXISTS strength_measures (
    learner_id TEXT NOT NULL REFERENCES accounts(id),
    unit_id TEXT NOT NULL,
    measured_ms BIGINT NOT NULL,
    record TEXT NOT NULL,                  -- the core's UnitStrength (JSON)
    PRIMARY KEY (learner_id, unit_id, measured_ms)
);
