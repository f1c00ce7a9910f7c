-- Marking (Neni 19, 57, 59.2, 59.5): the final test of each exam and its
-- marking scheme, the markers and their leads, calibration, the booklets
-- by code, every marking of a booklet, paper sheets typed twice, the
-- monitors' samples, reports of copying and KOPOTED's cases, and the
-- close of marking. Owned by package marking. Keep in step with the other
-- dialect's 0021_marking.sql.
--
-- Nothing here names a candidate: a booklet is its anonymisation code
-- (package anonym keeps the sealed link). The schools behind a booklet's
-- room are kept only so that no marker marks their own school's
-- candidates; they are never shown.
--
-- Marks are stored per marking as two lists of one entry per item of the
-- test, in item order, comma-separated: choices (the alternatives marked
-- on a choice item, "" for none, "AC" for more than one; "" on open
-- items) and points (every item's points, choice items scored by Neni
-- 57.4). total is their sum.

-- An exam's final test (Neni 19.6, 57.2). settled_at: the test group
-- closed it for changes; published_at: AVA published the marking scheme
-- after the exam (Neni 57.5). Classified until the exam starts (Neni
-- 59.2).
CREATE TABLE marking_tests (
    year         INTEGER NOT NULL REFERENCES exam_years(year),
    exam         TEXT NOT NULL,
    title        TEXT NOT NULL,
    settled_at   TEXT NOT NULL DEFAULT '',
    settled_by   TEXT NOT NULL DEFAULT '',
    published_at TEXT NOT NULL DEFAULT '',
    published_by TEXT NOT NULL DEFAULT '',
    updated_at   TEXT NOT NULL,
    updated_by   TEXT NOT NULL,
    PRIMARY KEY (year, exam)
);

-- The items of a test in order (Neni 57.2–57.3). Choice items carry the
-- number of alternatives and the key; open items (short, extended) their
-- scheme: the levels of a full, correct or partial answer and the points
-- each earns, as JSON [{"points": 2, "text": "…"}, …].
CREATE TABLE marking_items (
    year       INTEGER NOT NULL,
    exam       TEXT NOT NULL,
    no         INTEGER NOT NULL CHECK (no >= 1),
    label      TEXT NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('choice', 'short', 'extended')),
    max_points INTEGER NOT NULL CHECK (max_points >= 1),
    options    INTEGER NOT NULL DEFAULT 0,
    answer_key TEXT NOT NULL DEFAULT '',
    scheme     TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (year, exam, no),
    FOREIGN KEY (year, exam) REFERENCES marking_tests(year, exam)
);

-- AVA's subject test group (Neni 19.2, 19.6): the accounts that see the
-- test and its scheme before the exam.
CREATE TABLE marking_testgroup (
    year     INTEGER NOT NULL,
    exam     TEXT NOT NULL,
    username TEXT NOT NULL,
    added_by TEXT NOT NULL,
    added_at TEXT NOT NULL,
    PRIMARY KEY (year, exam, username)
);

-- Per exam settings: the calibration tolerance (points a marker may be
-- off the agreed total of a calibration booklet, Neni 57.11), the share
-- of marked booklets the monitors sample (per mille, Neni 57.15) and the
-- share of calibration booklets seeded unseen into the queues (per
-- mille).
CREATE TABLE marking_settings (
    year            INTEGER NOT NULL,
    exam            TEXT NOT NULL,
    tolerance       INTEGER NOT NULL CHECK (tolerance >= 0),
    monitor_rate_pm INTEGER NOT NULL CHECK (monitor_rate_pm BETWEEN 0 AND 1000),
    seeded_rate_pm  INTEGER NOT NULL CHECK (seeded_rate_pm BETWEEN 0 AND 1000),
    updated_by      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    PRIMARY KEY (year, exam)
);

-- The markers of the year per subject, appointed by AVA's director with
-- their leads (Neni 57.6–57.9): task 'marker' or 'lead'; school_code is
-- their school (they never mark its candidates), '' for a lecturer or
-- specialist. status: 'training' until the calibration (Neni 57.11),
-- then 'qualified' or 'not_qualified'; 'stopped' by the lead.
CREATE TABLE marking_markers (
    year         INTEGER NOT NULL REFERENCES exam_years(year),
    exam         TEXT NOT NULL,
    username     TEXT NOT NULL,
    staff_id     INTEGER REFERENCES staff(id),
    full_name    TEXT NOT NULL,
    school_code  TEXT NOT NULL DEFAULT '',
    task         TEXT NOT NULL CHECK (task IN ('marker', 'lead')),
    status       TEXT NOT NULL CHECK (status IN ('training', 'qualified', 'not_qualified', 'stopped')),
    status_note  TEXT NOT NULL DEFAULT '',
    appointed_by TEXT NOT NULL,
    appointed_at TEXT NOT NULL,
    PRIMARY KEY (year, exam, username)
);

-- Calibration booklets with their agreed marks (Neni 57.11): 'training'
-- ones every marker marks before live marking; 'seeded' ones carry a code
-- like a live booklet's and are put unseen into the live queues.
CREATE TABLE marking_calibration (
    year     INTEGER NOT NULL,
    exam     TEXT NOT NULL,
    no       INTEGER NOT NULL CHECK (no >= 1),
    purpose  TEXT NOT NULL CHECK (purpose IN ('training', 'seeded')),
    code     TEXT NOT NULL DEFAULT '',
    choices  TEXT NOT NULL,
    points   TEXT NOT NULL,
    total    INTEGER NOT NULL,
    added_by TEXT NOT NULL,
    added_at TEXT NOT NULL,
    PRIMARY KEY (year, exam, no)
);

-- Each marker's marks of each training booklet.
CREATE TABLE marking_training (
    year       INTEGER NOT NULL,
    exam       TEXT NOT NULL,
    no         INTEGER NOT NULL,
    username   TEXT NOT NULL,
    choices    TEXT NOT NULL,
    points     TEXT NOT NULL,
    total      INTEGER NOT NULL,
    entered_at TEXT NOT NULL,
    PRIMARY KEY (year, exam, no, username)
);

-- The booklets of an exam by code: the candidates' (seeded = 0), taken
-- from the labels attached on the exam day, and the seeded calibration
-- booklets (seeded = its calibration no). schools: the schools of the
-- booklet's room, sorted, comma-separated, never shown. state: 'open'
-- (being marked), 'third' (the two differ, Neni 57.14), 'final', or
-- 'voided' (MASH's decision, Neni 57.17). final_round: 2 when the two
-- agreed, 3 when the third's marks stand.
CREATE TABLE marking_booklets (
    year          INTEGER NOT NULL REFERENCES exam_years(year),
    exam          TEXT NOT NULL,
    code          TEXT NOT NULL,
    seeded        INTEGER NOT NULL DEFAULT 0,
    schools       TEXT NOT NULL,
    state         TEXT NOT NULL CHECK (state IN ('open', 'third', 'final', 'voided')),
    final_points  INTEGER NOT NULL DEFAULT -1,
    final_round   INTEGER NOT NULL DEFAULT 0,
    registered_at TEXT NOT NULL,
    PRIMARY KEY (year, exam, code)
) WITHOUT ROWID;
CREATE INDEX marking_booklets_state ON marking_booklets(year, exam, state);

-- Every marking of a booklet (Neni 57.13–57.14): rounds 1 and 2 by the
-- pair, 3 by the third marker. submitted_at and username are the
-- marker's signature on the test (Neni 57.10). source: 'screen' or
-- 'paper' (typed twice, marking_entries). A monitor's return empties the
-- marks and keeps the reason.
CREATE TABLE marking_allocations (
    year            INTEGER NOT NULL,
    exam            TEXT NOT NULL,
    code            TEXT NOT NULL,
    round           INTEGER NOT NULL CHECK (round IN (1, 2, 3)),
    username        TEXT NOT NULL,
    allocated_by    TEXT NOT NULL,
    allocated_at    TEXT NOT NULL,
    choices         TEXT NOT NULL DEFAULT '',
    points          TEXT NOT NULL DEFAULT '',
    total           INTEGER NOT NULL DEFAULT -1,
    submitted_at    TEXT NOT NULL DEFAULT '',
    source          TEXT NOT NULL DEFAULT '' CHECK (source IN ('', 'screen', 'paper')),
    returned_reason TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (year, exam, code, round)
) WITHOUT ROWID;
CREATE UNIQUE INDEX marking_allocations_once ON marking_allocations(year, exam, code, username);
CREATE INDEX marking_allocations_queue ON marking_allocations(year, exam, username, submitted_at);

-- A paper marking sheet typed in twice by two people (entry 1 and 2);
-- when the two agree the marking is the marker's, else both go back.
CREATE TABLE marking_entries (
    year       INTEGER NOT NULL,
    exam       TEXT NOT NULL,
    code       TEXT NOT NULL,
    round      INTEGER NOT NULL,
    entry      INTEGER NOT NULL CHECK (entry IN (1, 2)),
    typist     TEXT NOT NULL,
    choices    TEXT NOT NULL,
    points     TEXT NOT NULL,
    entered_at TEXT NOT NULL,
    PRIMARY KEY (year, exam, code, round, entry)
);

-- A monitors' draw (Neni 57.15): the seed it was drawn with, so anyone
-- can draw the same sample again from the same population.
CREATE TABLE marking_monitor_draws (
    year       INTEGER NOT NULL,
    exam       TEXT NOT NULL,
    draw_no    INTEGER NOT NULL,
    monitor    TEXT NOT NULL,
    seed       TEXT NOT NULL,
    rate_pm    INTEGER NOT NULL,
    population INTEGER NOT NULL,
    sampled    INTEGER NOT NULL,
    drawn_at   TEXT NOT NULL,
    PRIMARY KEY (year, exam, draw_no)
);

-- The booklets a draw sampled and the monitor's verdict: '' (to look
-- at), 'confirmed', or 'returned' with a reason.
CREATE TABLE marking_samples (
    year       INTEGER NOT NULL,
    exam       TEXT NOT NULL,
    code       TEXT NOT NULL,
    draw_no    INTEGER NOT NULL,
    verdict    TEXT NOT NULL DEFAULT '' CHECK (verdict IN ('', 'confirmed', 'returned')),
    reason     TEXT NOT NULL DEFAULT '',
    decided_by TEXT NOT NULL DEFAULT '',
    decided_at TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (year, exam, code)
);

-- Booklets a marker reported as suspected of copying (Neni 57.15–57.16),
-- and the KOPOTED case they went to (0 until KOPOTED takes them).
CREATE TABLE marking_reports (
    year        INTEGER NOT NULL,
    exam        TEXT NOT NULL,
    code        TEXT NOT NULL,
    reported_by TEXT NOT NULL,
    reported_at TEXT NOT NULL,
    reason      TEXT NOT NULL,
    case_no     INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (year, exam, code, reported_by)
);

-- KOPOTED's cases (Neni 57.16–57.17): its finding ('copied' or
-- 'not_copied'), its report to MASH, and MASH's decision ('voided': the
-- result of the case's booklets is voided; 'stands'). A case is open
-- until MASH decides.
CREATE TABLE marking_cases (
    year          INTEGER NOT NULL,
    exam          TEXT NOT NULL,
    case_no       INTEGER NOT NULL,
    opened_by     TEXT NOT NULL,
    opened_at     TEXT NOT NULL,
    finding       TEXT NOT NULL DEFAULT '' CHECK (finding IN ('', 'copied', 'not_copied')),
    finding_note  TEXT NOT NULL DEFAULT '',
    finding_by    TEXT NOT NULL DEFAULT '',
    finding_at    TEXT NOT NULL DEFAULT '',
    decision      TEXT NOT NULL DEFAULT '' CHECK (decision IN ('', 'voided', 'stands')),
    decision_ref  TEXT NOT NULL DEFAULT '',
    decision_by   TEXT NOT NULL DEFAULT '',
    decision_at   TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (year, exam, case_no)
);

-- The close of an exam's marking (issue 14 item 9): every booklet final
-- and no case open; points per code are frozen from here, and the key
-- holders may open the link (Neni 59.3).
CREATE TABLE marking_closed (
    year      INTEGER NOT NULL REFERENCES exam_years(year),
    exam      TEXT NOT NULL,
    booklets  INTEGER NOT NULL,
    closed_by TEXT NOT NULL,
    closed_at TEXT NOT NULL,
    PRIMARY KEY (year, exam)
);
