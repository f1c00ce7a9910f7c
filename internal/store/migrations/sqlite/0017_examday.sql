-- The exam day (Neni 48–56): the rooms the PAP gives the drawn AP, the
-- check-in of each candidate at the door, refused entries, incidents and
-- exclusions, leave times and the packing of the materials after the
-- exam. Owned by package examday. Keep in step with the other dialect's
-- 0017_examday.sql.

-- The room the PAP puts a drawn AP in (Neni 48.2); the draw's room is the
-- default until the PAP records one here.
CREATE TABLE examday_rooms (
    year        INTEGER NOT NULL,
    session     INTEGER NOT NULL,
    exam        TEXT NOT NULL,
    staff_id    INTEGER NOT NULL REFERENCES staff(id),
    venue_code  TEXT NOT NULL REFERENCES venues(code),
    room_id     INTEGER NOT NULL REFERENCES rooms(id),
    assigned_by TEXT NOT NULL,
    assigned_at TEXT NOT NULL,
    PRIMARY KEY (year, session, exam, staff_id)
);

-- One candidate let in (Neni 52): the identity document seen (52.5), the
-- arrival, the seat in order of entry (52.7) or alphabetical (52.8), the
-- hand-in and leave time (56.3), whether the desk attached the labels
-- (Neni 53; the code itself is only in package anonym's tables).
-- source: 'room' (the room's device) or 'paper' (the room sheet, entered
-- later by the PAP with paper_reason).
CREATE TABLE examday_checkins (
    year         INTEGER NOT NULL,
    session      INTEGER NOT NULL,
    exam         TEXT NOT NULL,
    student_id   INTEGER NOT NULL REFERENCES students(id),
    venue_code   TEXT NOT NULL REFERENCES venues(code),
    room_id      INTEGER NOT NULL REFERENCES rooms(id),
    seat_no      INTEGER NOT NULL,
    doc_type     TEXT NOT NULL,
    doc_no       TEXT NOT NULL,
    arrived_at   TEXT NOT NULL,
    late         BOOLEAN NOT NULL,
    source       TEXT NOT NULL CHECK (source IN ('room', 'paper')),
    paper_reason TEXT NOT NULL DEFAULT '',
    recorded_by  TEXT NOT NULL,
    recorded_at  TEXT NOT NULL,
    labelled_at  TEXT NOT NULL DEFAULT '',
    left_at      TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (year, session, exam, student_id)
);
CREATE INDEX examday_checkins_room ON examday_checkins(year, session, exam, room_id, seat_no);
CREATE INDEX examday_checkins_venue ON examday_checkins(year, session, exam, venue_code);

-- Every request of a room's device by its idempotency key, with the
-- answer it got: a replay of the offline queue gets the same answer and
-- changes nothing.
CREATE TABLE examday_requests (
    req_key     TEXT NOT NULL PRIMARY KEY,
    year        INTEGER NOT NULL,
    session     INTEGER NOT NULL,
    exam        TEXT NOT NULL,
    venue_code  TEXT NOT NULL,
    outcome     TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);

-- What a room's device last told the server (how many check-ins it still
-- holds), so the PAP sees which rooms are behind.
CREATE TABLE examday_room_sync (
    year       INTEGER NOT NULL,
    session    INTEGER NOT NULL,
    exam       TEXT NOT NULL,
    room_id    INTEGER NOT NULL REFERENCES rooms(id),
    venue_code TEXT NOT NULL,
    pending    INTEGER NOT NULL,
    seen_at    TEXT NOT NULL,
    PRIMARY KEY (year, session, exam, room_id)
);

-- Events of the day: a person refused at the door (52.6), an incident
-- reported by an AP (49.7), an exclusion (54, 55; cause 54.1–54.11), a
-- candidate's irregularity report (56.1), a blind candidate's separate
-- room with the reader/scribe (56.2), a replaced booklet (56.4), an early
-- leave held back (56.3), a hand-in after the end refused (50.14).
CREATE TABLE examday_events (
    id               INTEGER PRIMARY KEY,
    year             INTEGER NOT NULL,
    session          INTEGER NOT NULL,
    exam             TEXT NOT NULL,
    venue_code       TEXT NOT NULL REFERENCES venues(code),
    room_id          INTEGER NOT NULL DEFAULT 0,
    kind             TEXT NOT NULL CHECK (kind IN ('refused', 'incident', 'exclusion', 'irregularity', 'blind', 'booklet', 'early_leave', 'overtime')),
    student_id       INTEGER NOT NULL DEFAULT 0,
    person           TEXT NOT NULL DEFAULT '',
    cause            TEXT NOT NULL DEFAULT '',
    happened_at      TEXT NOT NULL,
    witnesses        TEXT NOT NULL DEFAULT '',
    note             TEXT NOT NULL DEFAULT '',
    refused_to_leave BOOLEAN NOT NULL DEFAULT FALSE,
    helper           TEXT NOT NULL DEFAULT '',
    old_booklet      TEXT NOT NULL DEFAULT '',
    new_booklet      TEXT NOT NULL DEFAULT '',
    recorded_by      TEXT NOT NULL,
    recorded_role    TEXT NOT NULL,
    recorded_at      TEXT NOT NULL
);
CREATE INDEX examday_events_venue ON examday_events(year, session, exam, venue_code);
CREATE INDEX examday_events_student ON examday_events(student_id);

-- The packing of a venue's materials after the exam (Neni 48.9–48.10,
-- 53.5) with the counts checked, and the exam report of Neni 48.11.
CREATE TABLE examday_packing (
    year            INTEGER NOT NULL,
    session         INTEGER NOT NULL,
    exam            TEXT NOT NULL,
    venue_code      TEXT NOT NULL REFERENCES venues(code),
    present         INTEGER NOT NULL,
    used_booklets   INTEGER NOT NULL,
    spoilt_booklets INTEGER NOT NULL,
    unused_booklets INTEGER NOT NULL,
    unused_labels   INTEGER NOT NULL,
    balanced        BOOLEAN NOT NULL,
    report          TEXT NOT NULL,
    packed_by       TEXT NOT NULL,
    packed_at       TEXT NOT NULL,
    PRIMARY KEY (year, session, exam, venue_code)
);
