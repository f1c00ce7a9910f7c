-- A packing whose counts do not agree closes the box when the PAP
-- explained why (package examday, packing.go, Neni 48.10–48.11): the
-- explanation is in the report; explained says there is one, for the
-- exam-day board. Owned by package examday. Keep in step with the other
-- dialect's 0036_examday_packing_explained.sql.
ALTER TABLE examday_packing ADD COLUMN explained BOOLEAN NOT NULL DEFAULT FALSE;
