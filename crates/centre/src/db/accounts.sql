-- Accounts that can be disabled (kept with their data, unable to sign in or sync), a second
-- factor (TOTP) for staff, and what signed each token in (so sessions can be listed).
ALTER TABLE accounts ADD COLUMN disabled BIGINT NOT NULL DEFAULT 0;
-- The confirmed TOTP secret (base32), and one shown but not yet confirmed with a code.
ALTER TABLE accounts ADD COLUMN totp_secret TEXT;
ALTER TABLE accounts ADD COLUMN totp_pending TEXT;
-- The last 30-second step a code was accepted for: a code is good once.
ALTER TABLE accounts ADD COLUMN totp_last_step BIGINT NOT NULL DEFAULT 0;
ALTER TABLE tokens ADD COLUMN client TEXT NOT NULL DEFAULT '';
