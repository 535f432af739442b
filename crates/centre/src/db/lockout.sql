-- Per-account sign-in throttling: wrong passwords in a row, and until when the account is
-- locked (0: not locked). An admin can unlock it early.
ALTER TABLE accounts ADD COLUMN failed_sign_ins BIGINT NOT NULL DEFAULT 0;
ALTER TABLE accounts ADD COLUMN locked_until_ms BIGINT NOT NULL DEFAULT 0;
