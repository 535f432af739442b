-- Progress reviews with the employer (issue 16): each review as recorded, from which the
-- schedule (next due, overdue) is worked out by the core's rule.
CREATE TABLE IF NOT EXISTS progress_reviews (
    learner_id TEXT NOT NULL REFERENCES accounts(id),
    id TEXT NOT NULL,
    held_on TEXT NOT NULL,                 -- YYYY-MM-DD
    record TEXT NOT NULL,                  -- the core's ProgressReview (JSON)
    recorded_by TEXT NOT NULL,             -- account id
    recorded_ms BIGINT NOT NULL,
    PRIMARY KEY (learner_id, id)
);
CREATE INDEX IF NOT EXISTS progress_reviews_held ON progress_reviews(learner_id, held_on);
