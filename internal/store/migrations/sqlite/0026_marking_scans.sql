-- Scanned booklets (issue 14 item 8): an exam whose booklets are scanned
-- (marking_scan_exams.scanned = 1), the pages of each booklet read by its
-- label's barcode (marking_scans, page 1, 2, … per code), and the pages
-- whose label could not be read, waiting for a person to type the code
-- (marking_scan_queue; resolved_code '' until then). Nothing here names
-- a candidate: a page is known by its booklet code only. Owned by package
-- marking. Keep in step with the other dialect's file.
CREATE TABLE marking_scan_exams (
    year       INTEGER NOT NULL,
    exam       TEXT NOT NULL,
    scanned    INTEGER NOT NULL DEFAULT 0 CHECK (scanned IN (0, 1)),
    updated_by TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (year, exam)
);

CREATE TABLE marking_scans (
    year         INTEGER NOT NULL,
    exam         TEXT NOT NULL,
    code         TEXT NOT NULL,
    page         INTEGER NOT NULL CHECK (page >= 1),
    content_type TEXT NOT NULL CHECK (content_type IN ('image/png', 'image/jpeg')),
    sha256       TEXT NOT NULL,
    bytes        BLOB NOT NULL,
    uploaded_by  TEXT NOT NULL,
    uploaded_at  TEXT NOT NULL,
    PRIMARY KEY (year, exam, code, page)
);

CREATE TABLE marking_scan_queue (
    year          INTEGER NOT NULL,
    exam          TEXT NOT NULL,
    id            INTEGER NOT NULL CHECK (id >= 1),
    image         BLOB NOT NULL,
    content_type  TEXT NOT NULL CHECK (content_type IN ('image/png', 'image/jpeg')),
    sha256        TEXT NOT NULL,
    reason        TEXT NOT NULL,
    uploaded_by   TEXT NOT NULL,
    uploaded_at   TEXT NOT NULL,
    resolved_code TEXT NOT NULL DEFAULT '',
    resolved_by   TEXT NOT NULL DEFAULT '',
    resolved_at   TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (year, exam, id)
);
CREATE INDEX marking_scan_queue_open ON marking_scan_queue(year, exam, resolved_code);
