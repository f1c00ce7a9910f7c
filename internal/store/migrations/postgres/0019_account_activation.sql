-- Accounts created in bulk (every candidate of a school, every drawn
-- member of staff of a venue) start without a password: the person sets it
-- with a one-time activation code printed on their letter (issue 11, A5).
-- Only the code's SHA-256 is kept, with the moment it expires; the first
-- successful activation empties both, so a code works once. Owned by
-- package auth. Keep in step with the other dialect's
-- 0019_account_activation.sql.
ALTER TABLE users ADD COLUMN activation_hash TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN activation_expires TEXT NOT NULL DEFAULT '';
CREATE INDEX users_student ON users(student_id);
