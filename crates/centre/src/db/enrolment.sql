-- The units a learner takes on each qualification they are enrolled on, and when the
-- enrolment last changed (phones compare it). An enrolment from before units were stored has
-- no unit rows and means every unit of its qualification.
CREATE TABLE IF NOT EXISTS enrolment_units (
    learner_id TEXT NOT NULL REFERENCES accounts(id),
    qualification_id TEXT NOT NULL,
    unit_id TEXT NOT NULL,
    PRIMARY KEY (learner_id, qualification_id, unit_id)
);
ALTER TABLE enrolments ADD COLUMN updated_ms BIGINT NOT NULL DEFAULT 0;
