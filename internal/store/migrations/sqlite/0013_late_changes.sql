-- Late changes on the eve of an exam (issue 9 item 11). Keep in step with
-- the other dialect's 0013_late_changes.sql.

-- A room's seats changed after its inspection (Neni 41 ¶2: after the
-- venue list is sent only AVA, with a reason; never below the candidates
-- seated there). Owned by package venue.
CREATE TABLE venue_room_changes (
    id           INTEGER PRIMARY KEY,
    year         INTEGER NOT NULL REFERENCES exam_years(year),
    venue_code   TEXT NOT NULL REFERENCES venues(code),
    room_id      INTEGER NOT NULL REFERENCES rooms(id),
    seats_before INTEGER NOT NULL,
    seats_after  INTEGER NOT NULL,
    reason       TEXT NOT NULL,
    changed_by   TEXT NOT NULL,
    changed_at   TEXT NOT NULL
);
CREATE INDEX venue_room_changes_venue ON venue_room_changes(year, venue_code);

-- Notices of a change of the plan (a candidate moved to another venue or
-- room): to a student (student_id) or to the staff of a venue
-- (venue_code), read once by the recipient. Owned by package venue.
CREATE TABLE venue_notices (
    id         INTEGER PRIMARY KEY,
    year       INTEGER NOT NULL REFERENCES exam_years(year),
    student_id INTEGER REFERENCES students(id),
    venue_code TEXT REFERENCES venues(code),
    body       TEXT NOT NULL,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    read_at    TEXT NOT NULL DEFAULT '',
    read_by    TEXT NOT NULL DEFAULT '',
    CHECK ((student_id IS NULL) <> (venue_code IS NULL))
);
CREATE INDEX venue_notices_student ON venue_notices(student_id, read_at);
CREATE INDEX venue_notices_venue ON venue_notices(venue_code, read_at);

-- A change of a candidate's personal data after the final name lists
-- (Neni 36): the lists they were on, what changed (before → after), why,
-- who and when. The final list and the room lists mark the entry.
-- Owned by package registry.
CREATE TABLE student_corrections (
    id         INTEGER PRIMARY KEY,
    year       INTEGER NOT NULL REFERENCES exam_years(year),
    student_id INTEGER NOT NULL REFERENCES students(id),
    exams      TEXT NOT NULL,
    before_data TEXT NOT NULL,
    after_data TEXT NOT NULL,
    summary    TEXT NOT NULL,
    reason     TEXT NOT NULL,
    changed_by TEXT NOT NULL,
    changed_at TEXT NOT NULL
);
CREATE INDEX student_corrections_student ON student_corrections(year, student_id);
