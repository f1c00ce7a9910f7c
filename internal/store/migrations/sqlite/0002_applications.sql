-- Applications (Neni 16–17, 20–36, 55.2): forms A1, A1z and A2, the
-- school and regional submissions, registration numbers, failing students
-- and the final name lists. Keep in step with ../postgres/0002_applications.sql.

-- The catalogue of study programmes candidates rank on form A2 (Neni 21.1).
-- no_electives marks the programmes of Neni 17 ¶5 and Neni 25 ¶2 (fine
-- arts, physical education and sports), open without elective exams.
CREATE TABLE study_programmes (
    code         TEXT PRIMARY KEY,
    name         TEXT NOT NULL,
    institution  TEXT NOT NULL,
    city         TEXT NOT NULL,
    quota        INTEGER NOT NULL DEFAULT 0,
    no_electives BOOLEAN NOT NULL DEFAULT FALSE
);

-- One A1 or A1z per student and exam year.
CREATE TABLE applications (
    id            INTEGER PRIMARY KEY,
    year          INTEGER NOT NULL REFERENCES exam_years(year),
    student_id    INTEGER NOT NULL REFERENCES students(id),
    form          TEXT NOT NULL CHECK (form IN ('A1', 'A1z')),
    category      TEXT NOT NULL,
    mandatory     TEXT NOT NULL DEFAULT '',
    electives     TEXT NOT NULL DEFAULT '',
    status        TEXT NOT NULL,
    source        TEXT NOT NULL,
    documents     TEXT NOT NULL DEFAULT '',
    resit_receipt TEXT NOT NULL DEFAULT '',
    reg_no        TEXT UNIQUE,
    failing       BOOLEAN NOT NULL DEFAULT FALSE,
    submitted_at  TEXT,
    confirmed_at  TEXT,
    verified_at   TEXT,
    registered_at TEXT,
    updated_at    TEXT NOT NULL,
    UNIQUE (year, student_id)
);

-- Every status change of an application, visible to the people it concerns.
CREATE TABLE application_history (
    id             INTEGER PRIMARY KEY,
    application_id INTEGER NOT NULL REFERENCES applications(id),
    at             TEXT NOT NULL,
    actor          TEXT NOT NULL,
    role           TEXT NOT NULL,
    status         TEXT NOT NULL,
    note           TEXT NOT NULL DEFAULT ''
);
CREATE INDEX application_history_app ON application_history(application_id, id);

-- A school's forms and table T sent to the KMSH (Neni 22 ¶3), and the
-- KMSH's verification of them.
CREATE TABLE school_submissions (
    year        INTEGER NOT NULL REFERENCES exam_years(year),
    school_code TEXT NOT NULL REFERENCES schools(code),
    sent_at     TEXT NOT NULL,
    sent_by     TEXT NOT NULL,
    forms       INTEGER NOT NULL,
    verified_at TEXT,
    verified_by TEXT,
    PRIMARY KEY (year, school_code)
);

-- What a KMSH sends to AVA: the region's lists (Neni 22 ¶4) and its
-- failing students (Neni 35 ¶3).
CREATE TABLE unit_submissions (
    year      INTEGER NOT NULL REFERENCES exam_years(year),
    unit_code TEXT NOT NULL REFERENCES units(code),
    kind      TEXT NOT NULL CHECK (kind IN ('lists', 'failing')),
    sent_at   TEXT NOT NULL,
    sent_by   TEXT NOT NULL,
    items     INTEGER NOT NULL,
    PRIMARY KEY (year, unit_code, kind)
);

-- Form A2 (Neni 21, 28–30): the ranked programmes and the fee receipt; a
-- receipt proves one candidate's payment only.
CREATE TABLE a2_forms (
    id             INTEGER PRIMARY KEY,
    year           INTEGER NOT NULL REFERENCES exam_years(year),
    student_id     INTEGER NOT NULL REFERENCES students(id),
    average_grade  REAL,
    programmes     TEXT NOT NULL,
    receipt_no     TEXT NOT NULL,
    receipt_date   TEXT NOT NULL,
    receipt_amount INTEGER NOT NULL,
    source         TEXT NOT NULL,
    submitted_at   TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    UNIQUE (year, student_id),
    UNIQUE (year, receipt_no)
);

-- Results of earlier years and sessions (Neni 17 ¶4, 26.2–26.3, 33.5):
-- a grade per subject; the coefficient of the year it was sat goes with it.
CREATE TABLE prior_results (
    student_id INTEGER NOT NULL REFERENCES students(id),
    year       INTEGER NOT NULL,
    session    INTEGER NOT NULL,
    subject    TEXT NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('D1', 'D2', 'Z')),
    grade      INTEGER NOT NULL CHECK (grade BETWEEN 4 AND 10),
    source     TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (student_id, year, session, subject)
);

-- Exclusions from an exam (Neni 54) and their penalty (Neni 55).
CREATE TABLE exam_exclusions (
    id          INTEGER PRIMARY KEY,
    student_id  INTEGER NOT NULL REFERENCES students(id),
    year        INTEGER NOT NULL,
    exam        TEXT NOT NULL,
    cause       TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);
CREATE INDEX exam_exclusions_student ON exam_exclusions(student_id);

-- The final name list of each exam (Neni 36): exam is D1, D2 or the
-- elective subject's code.
CREATE TABLE final_lists (
    year        INTEGER NOT NULL REFERENCES exam_years(year),
    exam        TEXT NOT NULL,
    student_id  INTEGER NOT NULL REFERENCES students(id),
    reg_no      TEXT NOT NULL,
    school_code TEXT NOT NULL REFERENCES schools(code),
    PRIMARY KEY (year, exam, student_id)
) WITHOUT ROWID;
