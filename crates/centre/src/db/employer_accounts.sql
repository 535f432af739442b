-- Issue 16: employers' accounts. An employer account is tied to one email address (stored in
-- lower case) and its organisation; it sees exactly the learners whose employer contact
-- (employer_contacts.email) is that address, so a change of contact moves the access with it.
CREATE TABLE IF NOT EXISTS employer_accounts (
    account_id TEXT PRIMARY KEY REFERENCES accounts(id),
    email TEXT NOT NULL,
    organisation TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS employer_accounts_email ON employer_accounts(email)
