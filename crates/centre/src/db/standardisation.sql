-- Issue 15: standardisation meetings and IQA observations, and who took part in each.
CREATE TABLE IF NOT EXISTS qa_standardisation (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    held_ms BIGINT NOT NULL,
    compared TEXT NOT NULL,
    decisions TEXT NOT NULL,
    actions TEXT NOT NULL,
    recorded_by TEXT NOT NULL REFERENCES accounts(id),
    created_ms BIGINT NOT NULL
);
CREATE TABLE IF NOT EXISTS qa_standardisation_attendees (
    record_id TEXT NOT NULL REFERENCES qa_standardisation(id),
    account_id TEXT NOT NULL REFERENCES accounts(id),
    PRIMARY KEY (record_id, account_id)
);
CREATE INDEX IF NOT EXISTS qa_standardisation_account ON qa_standardisation_attendees(account_id)
