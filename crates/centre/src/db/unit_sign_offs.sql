-- Issue 14: units the assessor signed off, each with its signature log (the assessor's
-- signature, then the learner's acknowledgement made on the phone), as the core's
-- UnitSignOff (JSON). One per learner and unit; nobody removes a signature from it.
CREATE TABLE IF NOT EXISTS unit_sign_offs (
    learner_id TEXT NOT NULL REFERENCES accounts(id),
    unit_id TEXT NOT NULL,
    record TEXT NOT NULL,
    updated_ms BIGINT NOT NULL,
    PRIMARY KEY (learner_id, unit_id)
);
