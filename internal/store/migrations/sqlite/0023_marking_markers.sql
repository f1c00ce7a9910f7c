-- Markers (Neni 57.7): the institution of a lecturer or specialist
-- appointed without a school (a university, an institute), as AVA's act
-- names it; '' for a teacher (their school is school_code). Keep in step
-- with the other dialect's 0023_marking_markers.sql.
ALTER TABLE marking_markers ADD COLUMN institution TEXT NOT NULL DEFAULT '';
