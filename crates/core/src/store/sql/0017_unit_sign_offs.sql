-- Schema 17: the units the assessor has signed off, each with its signature log, as the
-- centre last sent them joined with an acknowledgement made here and not yet taken by the
-- centre, so the learner acknowledges a sign-off offline (issue 14).
CREATE TABLE unit_sign_off (
    unit_id TEXT PRIMARY KEY,
    record TEXT NOT NULL        -- the core's UnitSignOff (JSON)
) STRICT;
