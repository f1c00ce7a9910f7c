-- provim schema, SQLite dialect. Keep in step with ../postgres/0001_init.sql.

-- Regional directorates (DAR) and local education offices (ZA) under them.
CREATE TABLE units (
    code        TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('DAR', 'ZA')),
    parent_code TEXT REFERENCES units(code),
    city        TEXT NOT NULL
);

CREATE TABLE schools (
    code      TEXT PRIMARY KEY,
    name      TEXT NOT NULL,
    unit_code TEXT NOT NULL REFERENCES units(code),
    city      TEXT NOT NULL,
    public    BOOLEAN NOT NULL,
    profile   TEXT NOT NULL,
    years     INTEGER NOT NULL,
    address   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX schools_unit ON schools(unit_code);

CREATE TABLE students (
    id            INTEGER PRIMARY KEY,
    personal_no   TEXT NOT NULL UNIQUE,
    first_name    TEXT NOT NULL,
    father_name   TEXT NOT NULL,
    last_name     TEXT NOT NULL,
    sex           TEXT NOT NULL CHECK (sex IN ('M', 'F')),
    birth_date    TEXT NOT NULL,
    school_code   TEXT NOT NULL REFERENCES schools(code),
    class_name    TEXT NOT NULL DEFAULT '',
    average_grade REAL,
    category      TEXT NOT NULL CHECK (category IN ('maturant', 'kandidat')),
    phone         TEXT NOT NULL DEFAULT '',
    sort_key      BLOB NOT NULL,
    updated_at    TEXT NOT NULL
);
CREATE INDEX students_school ON students(school_code, sort_key);
CREATE INDEX students_sort ON students(sort_key);

CREATE TABLE staff (
    id          INTEGER PRIMARY KEY,
    personal_no TEXT NOT NULL UNIQUE,
    first_name  TEXT NOT NULL,
    father_name TEXT NOT NULL,
    last_name   TEXT NOT NULL,
    sex         TEXT NOT NULL CHECK (sex IN ('M', 'F')),
    unit_code   TEXT NOT NULL REFERENCES units(code),
    school_code TEXT REFERENCES schools(code),
    position    TEXT NOT NULL,
    subjects    TEXT NOT NULL DEFAULT '',
    phone       TEXT NOT NULL DEFAULT '',
    sort_key    BLOB NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX staff_unit ON staff(unit_code, sort_key);

CREATE TABLE venues (
    code        TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    unit_code   TEXT NOT NULL REFERENCES units(code),
    school_code TEXT REFERENCES schools(code),
    city        TEXT NOT NULL,
    address     TEXT NOT NULL DEFAULT '',
    floors      INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX venues_unit ON venues(unit_code);

CREATE TABLE rooms (
    id         INTEGER PRIMARY KEY,
    venue_code TEXT NOT NULL REFERENCES venues(code),
    name       TEXT NOT NULL,
    floor      INTEGER NOT NULL DEFAULT 0,
    seats      INTEGER NOT NULL CHECK (seats >= 0),
    length_cm  INTEGER NOT NULL DEFAULT 0,
    width_cm   INTEGER NOT NULL DEFAULT 0,
    UNIQUE (venue_code, name)
);

-- Each exam year's configuration (subjects, calendar, ratios, fees, grade
-- tables) is data: a JSON document validated by package examyear.
CREATE TABLE exam_years (
    year       INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    based_on   INTEGER,
    active     BOOLEAN NOT NULL DEFAULT FALSE,
    config     TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE,
    full_name     TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    role          TEXT NOT NULL,
    unit_code     TEXT REFERENCES units(code),
    school_code   TEXT REFERENCES schools(code),
    venue_code    TEXT REFERENCES venues(code),
    subject       TEXT NOT NULL DEFAULT '',
    student_id    INTEGER REFERENCES students(id),
    disabled      BOOLEAN NOT NULL DEFAULT FALSE,
    created_at    TEXT NOT NULL
);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    csrf       TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);

CREATE TABLE api_tokens (
    token_hash TEXT PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);

-- Append-only, hash-chained audit log. audit_head holds the chain's tip and
-- serialises appenders (row lock on PostgreSQL, write lock on SQLite).
CREATE TABLE audit_log (
    seq         INTEGER PRIMARY KEY,
    at          TEXT NOT NULL,
    actor       TEXT NOT NULL,
    role        TEXT NOT NULL,
    action      TEXT NOT NULL,
    object_type TEXT NOT NULL,
    object_id   TEXT NOT NULL,
    before      TEXT NOT NULL,
    after       TEXT NOT NULL,
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL
);
CREATE INDEX audit_object ON audit_log(object_type, object_id);
CREATE TABLE audit_head (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    seq  INTEGER NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '');
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
