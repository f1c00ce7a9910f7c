-- Re-marking (Neni 64) and test-copy requests (the plan's "kërkesat për
-- kopje të testit"). A request is known by year, exam and candidate; the
-- booklet code is written into it once AVA takes it into re-marking (the
-- link is open after the results). The markings of a re-marking are kept
-- by code only, as marking's are. Owned by package remark. Keep in step
-- with the other dialect's file.
CREATE TABLE remark_requests (
    year           INTEGER NOT NULL,
    exam           TEXT NOT NULL,
    student_id     BIGINT NOT NULL REFERENCES students(id),
    reg_no         TEXT NOT NULL,
    school_code    TEXT NOT NULL,
    unit_code      TEXT NOT NULL,
    receipt        TEXT NOT NULL,
    channel        TEXT NOT NULL CHECK (channel IN ('online', 'paper')),
    filed_by       TEXT NOT NULL,
    filed_at       TEXT NOT NULL,
    state          TEXT NOT NULL CHECK (state IN ('filed', 'school', 'kmsh', 'refused', 'marking', 'third', 'marked', 'final')),
    school_by      TEXT NOT NULL DEFAULT '',
    school_at      TEXT NOT NULL DEFAULT '',
    kmsh_by        TEXT NOT NULL DEFAULT '',
    kmsh_at        TEXT NOT NULL DEFAULT '',
    refused_reason TEXT NOT NULL DEFAULT '',
    code           TEXT NOT NULL DEFAULT '',
    started_at     TEXT NOT NULL DEFAULT '',
    points_before  INTEGER NOT NULL DEFAULT -1,
    grade_before   INTEGER NOT NULL DEFAULT 0,
    passed_before  INTEGER NOT NULL DEFAULT 0,
    points_after   INTEGER NOT NULL DEFAULT -1,
    grade_after    INTEGER NOT NULL DEFAULT 0,
    passed_after   INTEGER NOT NULL DEFAULT 0,
    final_round    INTEGER NOT NULL DEFAULT 0,
    sent_by        TEXT NOT NULL DEFAULT '',
    sent_at        TEXT NOT NULL DEFAULT '',
    late           INTEGER NOT NULL DEFAULT 0 CHECK (late IN (0, 1)),
    late_reason    TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (year, exam, student_id)
);
CREATE INDEX remark_requests_school ON remark_requests(year, school_code, state);
CREATE INDEX remark_requests_unit ON remark_requests(year, unit_code, state);
CREATE INDEX remark_requests_code ON remark_requests(year, exam, code);

CREATE TABLE remark_markings (
    year         INTEGER NOT NULL,
    exam         TEXT NOT NULL,
    code         TEXT NOT NULL,
    round        INTEGER NOT NULL CHECK (round IN (1, 2, 3)),
    username     TEXT NOT NULL,
    choices      TEXT NOT NULL DEFAULT '',
    points       TEXT NOT NULL DEFAULT '',
    total        INTEGER NOT NULL DEFAULT -1,
    assigned_by  TEXT NOT NULL,
    assigned_at  TEXT NOT NULL,
    submitted_at TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (year, exam, code, round)
);
CREATE INDEX remark_markings_user ON remark_markings(username, year, exam);

CREATE TABLE remark_copies (
    year           INTEGER NOT NULL,
    exam           TEXT NOT NULL,
    student_id     BIGINT NOT NULL REFERENCES students(id),
    reg_no         TEXT NOT NULL,
    school_code    TEXT NOT NULL,
    requested_by   TEXT NOT NULL,
    requested_at   TEXT NOT NULL,
    state          TEXT NOT NULL CHECK (state IN ('requested', 'scan', 'appointment')),
    answered_by    TEXT NOT NULL DEFAULT '',
    answered_at    TEXT NOT NULL DEFAULT '',
    appointment_at TEXT NOT NULL DEFAULT '',
    place          TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (year, exam, student_id)
);
CREATE INDEX remark_copies_state ON remark_copies(year, state);
