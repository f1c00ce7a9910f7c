-- Venues and the exam plan (Neni 37–41, 52). Owned by package venue.
-- Keep in step with the other dialect's 0003_venues.sql.

-- The exam plan: the seat of every candidate on an exam's final list
-- (Neni 36) in a venue's room. exam is D1, D2 or an elective's code;
-- session 1 or 2. The staff draw (package draw) reads the rooms' numbers
-- from here.
CREATE TABLE exam_seats (
    year            INTEGER NOT NULL REFERENCES exam_years(year),
    session         INTEGER NOT NULL,
    exam            TEXT NOT NULL,
    student_id      INTEGER NOT NULL REFERENCES students(id),
    venue_code      TEXT NOT NULL REFERENCES venues(code),
    room_id         INTEGER NOT NULL REFERENCES rooms(id),
    seat_no         INTEGER NOT NULL,
    override_reason TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (year, session, exam, student_id)
);
CREATE INDEX exam_seats_room ON exam_seats(year, session, exam, room_id, seat_no);
