-- Issue 15: sampling plans kept as records. A plan per qualification and period is drawn from
-- the strategy and the assessors' ratings when an IQA or administrator saves it, and stays as
-- saved (its lines, as pocketfolio-core quality/plan.rs PlanLine JSON) until they redraw it;
-- the coverage grid of that period is measured against it. Every save and redraw is audited.
CREATE TABLE IF NOT EXISTS qa_plans (
    id TEXT PRIMARY KEY,
    qualification_id TEXT NOT NULL,
    from_ms BIGINT NOT NULL,
    to_ms BIGINT NOT NULL,
    lines TEXT NOT NULL,
    created_ms BIGINT NOT NULL,
    created_by TEXT NOT NULL REFERENCES accounts(id),
    updated_ms BIGINT NOT NULL,
    UNIQUE (qualification_id, from_ms, to_ms)
)
