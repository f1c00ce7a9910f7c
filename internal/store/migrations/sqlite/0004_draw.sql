-- The staff draw ("shorti", Neni 9, 10.8–10.9, 44, 47, 50–51). Owned by
-- package draw. Keep in step with the other dialect's 0004_draw.sql.

-- The region's staff pool for the year: the alphabetical lists per role of
-- Neni 47.3 (PAP, AP, AS and KMSH representatives, Neni 44). One person is
-- on one list of one region per year: the primary key refuses a second.
CREATE TABLE draw_pool (
    year      INTEGER NOT NULL REFERENCES exam_years(year),
    staff_id  INTEGER NOT NULL REFERENCES staff(id),
    unit_code TEXT NOT NULL REFERENCES units(code),
    role      TEXT NOT NULL CHECK (role IN ('PAP', 'AP', 'AS', 'KMSH')),
    added_by  TEXT NOT NULL,
    added_at  TEXT NOT NULL,
    PRIMARY KEY (year, staff_id)
);
CREATE INDEX draw_pool_unit ON draw_pool(year, unit_code, role);

-- Declarations of Neni 9 ¶2, recorded by KMSH: a member of staff has a
-- child or grandchild sitting the Matura; they are left out of every draw
-- of the unit the relative's school belongs to.
CREATE TABLE staff_declarations (
    id          INTEGER PRIMARY KEY,
    year        INTEGER NOT NULL REFERENCES exam_years(year),
    staff_id    INTEGER NOT NULL REFERENCES staff(id),
    student_id  INTEGER NOT NULL REFERENCES students(id),
    relation    TEXT NOT NULL DEFAULT '',
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    UNIQUE (year, staff_id, student_id)
);

-- One draw of one exam in one unit. seq counts the draws of the same exam
-- and unit (a second needs a reason); an earlier draw stays on record with
-- superseded_by naming the later one. seed stays secret until the draw;
-- commitment = SHA-256 over seed and inputs_hash, published before it.
-- excluded: the people left out under Neni 9 (never published).
CREATE TABLE draws (
    id            INTEGER PRIMARY KEY,
    year          INTEGER NOT NULL REFERENCES exam_years(year),
    session       INTEGER NOT NULL,
    exam          TEXT NOT NULL,
    unit_code     TEXT NOT NULL REFERENCES units(code),
    seq           INTEGER NOT NULL,
    reason        TEXT NOT NULL DEFAULT '',
    status        TEXT NOT NULL CHECK (status IN ('committed', 'drawn')),
    inputs        TEXT NOT NULL,
    excluded      TEXT NOT NULL DEFAULT '[]',
    inputs_hash   TEXT NOT NULL,
    seed          TEXT NOT NULL,
    commitment    TEXT NOT NULL,
    entropy       TEXT NOT NULL DEFAULT '',
    result        TEXT NOT NULL DEFAULT '',
    committed_by  TEXT NOT NULL,
    committed_at  TEXT NOT NULL,
    drawn_by      TEXT NOT NULL DEFAULT '',
    drawn_at      TEXT NOT NULL DEFAULT '',
    superseded_by INTEGER REFERENCES draws(id),
    UNIQUE (year, session, exam, unit_code, seq)
);

-- The result of a draw, one row per person (room_id 0: the whole venue).
CREATE TABLE draw_assignments (
    draw_id    INTEGER NOT NULL REFERENCES draws(id),
    staff_id   INTEGER NOT NULL REFERENCES staff(id),
    role       TEXT NOT NULL,
    venue_code TEXT NOT NULL REFERENCES venues(code),
    room_id    INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (draw_id, staff_id)
);
CREATE INDEX draw_assignments_venue ON draw_assignments(draw_id, venue_code);
