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
    student_id      BIGINT NOT NULL REFERENCES students(id),
    venue_code      TEXT NOT NULL REFERENCES venues(code),
    room_id         BIGINT NOT NULL REFERENCES rooms(id),
    seat_no         INTEGER NOT NULL,
    override_reason TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (year, session, exam, student_id)
);
CREATE INDEX exam_seats_room ON exam_seats(year, session, exam, room_id, seat_no);

-- The inspection of a venue for an exam year (Neni 37) against every
-- criterion of Neni 38. failed lists the criteria not met ("38.4,38.6");
-- a venue with any failed criterion is not suitable and is never planned.
-- late_reason is AVA's reason when the inspection was recorded after its
-- deadline or after the region's venue list was due (Neni 41 ¶2).
CREATE TABLE venue_inspections (
    year              INTEGER NOT NULL REFERENCES exam_years(year),
    venue_code        TEXT NOT NULL REFERENCES venues(code),
    inspected_at      TEXT NOT NULL,
    inspected_by      TEXT NOT NULL,
    spacing_cm        INTEGER NOT NULL,
    desk_width_cm     INTEGER NOT NULL,
    desk_depth_cm     INTEGER NOT NULL,
    one_direction     BOOLEAN NOT NULL,
    aired_lit         BOOLEAN NOT NULL,
    no_posters        BOOLEAN NOT NULL,
    no_other_activity BOOLEAN NOT NULL,
    road_access       BOOLEAN NOT NULL,
    suitable          BOOLEAN NOT NULL,
    failed            TEXT NOT NULL DEFAULT '',
    seats             INTEGER NOT NULL,
    note              TEXT NOT NULL DEFAULT '',
    late_reason       TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (year, venue_code)
);

-- Each room as inspected: the measured dimensions and the seats they give
-- under the spacing rule (Neni 38.2, 38.7); usable is false for a room
-- that seats fewer than 15 (Neni 38.1).
CREATE TABLE venue_room_capacity (
    year       INTEGER NOT NULL REFERENCES exam_years(year),
    room_id    BIGINT NOT NULL REFERENCES rooms(id),
    venue_code TEXT NOT NULL REFERENCES venues(code),
    length_cm  INTEGER NOT NULL,
    width_cm   INTEGER NOT NULL,
    seats      INTEGER NOT NULL,
    usable     BOOLEAN NOT NULL,
    PRIMARY KEY (year, room_id)
);
CREATE INDEX venue_room_capacity_venue ON venue_room_capacity(year, venue_code);

-- The region's venue list sent to MASH, AVA and the schools (Neni 41 ¶1).
CREATE TABLE venue_lists (
    year      INTEGER NOT NULL REFERENCES exam_years(year),
    unit_code TEXT NOT NULL REFERENCES units(code),
    sent_at   TEXT NOT NULL,
    sent_by   TEXT NOT NULL,
    venues    INTEGER NOT NULL,
    PRIMARY KEY (year, unit_code)
);

-- Why each school of an exam's plan sits where it does (Neni 39–40): one
-- row per school and venue (a school split over venues has several).
CREATE TABLE exam_plan_groups (
    year        INTEGER NOT NULL REFERENCES exam_years(year),
    session     INTEGER NOT NULL,
    exam        TEXT NOT NULL,
    school_code TEXT NOT NULL REFERENCES schools(code),
    venue_code  TEXT NOT NULL REFERENCES venues(code),
    candidates  INTEGER NOT NULL,
    reason      TEXT NOT NULL,
    PRIMARY KEY (year, session, exam, school_code, venue_code)
);
