-- Issue 15: each assessor's risk rating, which sets how much of their work an IQA samples
-- (pocketfolio-core quality/strategy.rs). An assessor without one is sampled as new.
CREATE TABLE IF NOT EXISTS qa_ratings (
    assessor_id TEXT PRIMARY KEY REFERENCES accounts(id),
    rating TEXT NOT NULL,
    set_ms BIGINT NOT NULL
)
