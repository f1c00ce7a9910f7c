-- Signed sessions (package auth, signed.go): a page resolves its caller
-- from the signed cookie, without reading the sessions row. What ends a
-- session before its time is written here, and every server reads it in
-- the order it committed: a revoking change first moves session_epoch
-- (a row lock on PostgreSQL, the write lock on SQLite), so changes are
-- numbered in commit order, and a server that has read up to epoch n has
-- read every revocation up to n. kind is 'end' (the session token_hash
-- ended: a logout, a password change or reset, a disabled account),
-- 'disable' or 'enable' (user_id's account, token_hash ''). Owned by
-- package auth. Keep in step with the other dialect's
-- 0034_session_revocations.sql.
CREATE TABLE session_epoch (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    n  BIGINT NOT NULL
);
INSERT INTO session_epoch (id, n) VALUES (1, 0);

CREATE TABLE session_revocations (
    epoch      BIGINT NOT NULL,
    kind       TEXT NOT NULL,
    token_hash TEXT NOT NULL,
    user_id    BIGINT NOT NULL,
    PRIMARY KEY (epoch, kind, token_hash, user_id)
);
