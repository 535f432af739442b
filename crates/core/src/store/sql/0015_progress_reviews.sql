-- Schema 15: the apprentice's progress reviews with their signature logs, as the centre last
-- sent them joined with signatures made here and not yet taken by the centre, so the learner
-- reads and signs a review offline (issue 16).
CREATE TABLE progress_review (
    id TEXT PRIMARY KEY,
    held_on TEXT NOT NULL,      -- YYYY-MM-DD
    record TEXT NOT NULL        -- the core's SignedReview (JSON)
) STRICT;
