-- A revocation matters only while what it ends could still be shown
-- (package auth, revocations.go): until_at is the expiry of the session
-- or token it ended, or, for an account disabled or enabled again, the
-- moment every session signed before it has expired (the change's moment
-- plus the longest session or token lifetime). Later, every server
-- forgets it, and deletes its row. Revocations written before this column
-- have until_at '' and are kept. Owned by package auth. Keep in step with
-- the other dialect's 0035_session_revocations_until.sql.
ALTER TABLE session_revocations ADD COLUMN until_at TEXT NOT NULL DEFAULT '';
CREATE INDEX session_revocations_until ON session_revocations (until_at);
