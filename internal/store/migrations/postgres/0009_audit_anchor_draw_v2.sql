-- Issue 9 items 6 and 8, issue 10 item 9. Keep in step with the other
-- dialect's 0009_audit_anchor_draw_v2.sql.

-- The chain's head is signed (Ed25519) with a key that is not stored in
-- the database: provim signs the head it moves when it was given the key
-- (--audit-key / PROVIM_AUDIT_KEY); '' when it was not.
ALTER TABLE audit_head ADD COLUMN signature TEXT NOT NULL DEFAULT '';

-- Draws of algorithm version 2 publish pseudonymous lists: inputs holds
-- the published (hashed) lists without names or schools; roster names the
-- people behind each entry, with the key of the entries' keyed hashes, for
-- the scopes that may see them. Version 1 records keep version 1.
ALTER TABLE draws ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE draws ADD COLUMN roster TEXT NOT NULL DEFAULT '[]';
ALTER TABLE draws ADD COLUMN roster_key TEXT NOT NULL DEFAULT '';

-- The result of a draw has one source of truth: draws.result (covered by
-- the audit entry of the draw). The copy per person was written and never
-- read.
DROP TABLE draw_assignments;
