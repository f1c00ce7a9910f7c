-- An account of a member of staff (PAP, AP, AS, marker) is linked to the
-- person's record in the registry, so that what the person was drawn for
-- (Neni 48–51) decides what the account may open. Owned by package auth.
-- Keep in step with the other dialect's 0012_staff_accounts.sql.
ALTER TABLE users ADD COLUMN staff_id INTEGER REFERENCES staff(id);
CREATE INDEX users_staff ON users(staff_id);
