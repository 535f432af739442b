-- Issue 15: an EQA limited to chosen learners (pocketfolio-core quality/eqa.rs). With rows here
-- the EQA reads only these learners (each enrolled on one of their qualifications); with none,
-- every learner of their qualifications. Erasing a learner removes their rows.
CREATE TABLE IF NOT EXISTS eqa_learners (
    account_id TEXT NOT NULL REFERENCES accounts(id),
    learner_id TEXT NOT NULL REFERENCES accounts(id),
    PRIMARY KEY (account_id, learner_id)
)
