-- Issue 15: the centre's own sampling strategy (pocketfolio-core quality/strategy.rs, as JSON);
-- one row, id 1. With none, the standard strategy applies.
CREATE TABLE IF NOT EXISTS qa_strategy (
    id BIGINT PRIMARY KEY,
    body TEXT NOT NULL,
    set_ms BIGINT NOT NULL
)
