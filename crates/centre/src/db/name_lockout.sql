-- Sign-in lockout by the name tried, whether or not an account has it: counting only real
-- accounts locked them and never an unknown name, so a 429 told a guesser which names exist.
-- The name is stored as sign-in looks it up (lower case). Counts and locks held on accounts
-- until now move here, and the old columns are no longer read.
CREATE TABLE sign_in_lockout (
    username        TEXT PRIMARY KEY,
    failed          BIGINT NOT NULL DEFAULT 0,
    locked_until_ms BIGINT NOT NULL DEFAULT 0,
    last_failed_ms  BIGINT NOT NULL DEFAULT 0
);
INSERT INTO sign_in_lockout (username, failed, locked_until_ms, last_failed_ms)
    SELECT LOWER(username), failed_sign_ins, locked_until_ms, 0 FROM accounts
    WHERE failed_sign_ins <> 0 OR locked_until_ms <> 0;
