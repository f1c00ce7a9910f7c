-- Results (issue 15 items 1–4, Neni 57.1, 57.19, 58, 64): one row per
-- exam of a year and session once its results are computed
-- (results_exams: computed, then published — after the deadline only
-- with a reason, flagged), one row per listed candidate of the exam
-- (results: points, grade, pass, voided or absent, where listed), every
-- change a re-marking made (results_history), the page each candidate is
-- served, prepared at publication (results_pages: one primary-key read;
-- seq grows with every change, for the SMIP export), and the DAR/ZA's
-- second-session lists sent to AVA (results_session2_sent). Owned by
-- package results. Keep in step with the other dialect's file.
CREATE TABLE results_exams (
    year         INTEGER NOT NULL,
    exam         TEXT NOT NULL,
    session      INTEGER NOT NULL CHECK (session IN (1, 2)),
    subject      TEXT NOT NULL,
    computed_at  TEXT NOT NULL,
    computed_by  TEXT NOT NULL,
    candidates   INTEGER NOT NULL,
    passed       INTEGER NOT NULL,
    voided       INTEGER NOT NULL,
    absent       INTEGER NOT NULL,
    deadline     TEXT NOT NULL,
    published_at TEXT NOT NULL DEFAULT '',
    published_by TEXT NOT NULL DEFAULT '',
    late         INTEGER NOT NULL DEFAULT 0 CHECK (late IN (0, 1)),
    late_reason  TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (year, exam, session)
);

CREATE TABLE results (
    year        INTEGER NOT NULL,
    exam        TEXT NOT NULL,
    session     INTEGER NOT NULL,
    student_id  BIGINT NOT NULL,
    subject     TEXT NOT NULL,
    reg_no      TEXT NOT NULL,
    school_code TEXT NOT NULL,
    unit_code   TEXT NOT NULL,
    code        TEXT NOT NULL DEFAULT '',
    points      INTEGER NOT NULL,
    max_points  INTEGER NOT NULL,
    grade       INTEGER NOT NULL,
    passed      INTEGER NOT NULL CHECK (passed IN (0, 1)),
    voided      INTEGER NOT NULL CHECK (voided IN (0, 1)),
    void_reason TEXT NOT NULL DEFAULT '',
    absent      INTEGER NOT NULL CHECK (absent IN (0, 1)),
    remarked    INTEGER NOT NULL DEFAULT 0 CHECK (remarked IN (0, 1)),
    PRIMARY KEY (year, exam, session, student_id)
);
CREATE INDEX results_student ON results(year, student_id);
CREATE INDEX results_school ON results(year, exam, school_code);
CREATE INDEX results_unit ON results(year, exam, unit_code);

CREATE TABLE results_history (
    year          INTEGER NOT NULL,
    exam          TEXT NOT NULL,
    session       INTEGER NOT NULL,
    student_id    BIGINT NOT NULL,
    no            INTEGER NOT NULL,
    points_before INTEGER NOT NULL,
    grade_before  INTEGER NOT NULL,
    passed_before INTEGER NOT NULL,
    points_after  INTEGER NOT NULL,
    grade_after   INTEGER NOT NULL,
    passed_after  INTEGER NOT NULL,
    reason        TEXT NOT NULL,
    changed_by    TEXT NOT NULL,
    changed_at    TEXT NOT NULL,
    PRIMARY KEY (year, exam, session, student_id, no)
);

CREATE TABLE results_pages (
    year       INTEGER NOT NULL,
    student_id BIGINT NOT NULL,
    body       TEXT NOT NULL,
    etag       TEXT NOT NULL,
    seq        BIGINT NOT NULL,
    pending    INTEGER NOT NULL,
    completed  INTEGER NOT NULL CHECK (completed IN (0, 1)),
    updated_at TEXT NOT NULL,
    PRIMARY KEY (year, student_id)
);
CREATE UNIQUE INDEX results_pages_seq ON results_pages(seq);

CREATE TABLE results_session2_sent (
    year      INTEGER NOT NULL,
    unit_code TEXT NOT NULL,
    sent_at   TEXT NOT NULL,
    sent_by   TEXT NOT NULL,
    items     INTEGER NOT NULL,
    PRIMARY KEY (year, unit_code)
);
