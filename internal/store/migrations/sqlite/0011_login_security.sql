-- Login throttling shared by every server on the database, the addresses
-- an account has signed in from, and the flash message of a session
-- (issue 9, items 4 and 9). Owned by package auth.
-- Keep in step with the other dialect's 0011_login_security.sql.

-- One failed login: account is the SHA-256 of the folded username (the
-- same for every spelling, whether or not the account exists, and never
-- a password typed into the wrong field in clear); known says whether the
-- address was one the account had signed in from. Rows older than a day
-- are swept at every failure.
CREATE TABLE login_failures (
    id      INTEGER PRIMARY KEY,
    account TEXT NOT NULL,
    address TEXT NOT NULL,
    known   BOOLEAN NOT NULL,
    at      TEXT NOT NULL
);
CREATE INDEX login_failures_account ON login_failures(account, at);
CREATE INDEX login_failures_address ON login_failures(address, at);
CREATE INDEX login_failures_at ON login_failures(at);

-- The addresses each account signed in from, with the last time.
CREATE TABLE login_addresses (
    user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    address      TEXT NOT NULL,
    last_success TEXT NOT NULL,
    PRIMARY KEY (user_id, address)
);

-- A confirmation to show once on the next page of the session.
ALTER TABLE sessions ADD COLUMN flash TEXT NOT NULL DEFAULT '';
