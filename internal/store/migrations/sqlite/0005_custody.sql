-- Custody chain of exam materials (Neni 42–46, 58). Owned by package custody.
-- Keep in step with the other dialect's 0005_custody.sql.

-- A consignment is the set of material packages of one exam for one
-- venue; it moves through the chain as a whole. stage is the number of the
-- last confirmed hand-over (0: still at AVA); since is when that happened.
CREATE TABLE custody_consignments (
    year       INTEGER NOT NULL REFERENCES exam_years(year),
    session    INTEGER NOT NULL CHECK (session IN (1, 2)),
    exam       TEXT NOT NULL,
    venue_code TEXT NOT NULL REFERENCES venues(code),
    stage      INTEGER NOT NULL DEFAULT 0 CHECK (stage BETWEEN 0 AND 8),
    since      TEXT NOT NULL,
    created_by TEXT NOT NULL,
    PRIMARY KEY (year, session, exam, venue_code)
);
CREATE INDEX custody_consignments_venue ON custody_consignments(venue_code);

-- The packages of a consignment: test booklets, the unused-test envelope,
-- code labels and the return box, each with a printable code and the
-- numbers of its seals (comma-separated).
CREATE TABLE custody_packages (
    id         INTEGER PRIMARY KEY,
    code       TEXT NOT NULL UNIQUE,
    year       INTEGER NOT NULL,
    session    INTEGER NOT NULL,
    exam       TEXT NOT NULL,
    venue_code TEXT NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('broshura', 'zarf', 'kode', 'kuti')),
    items      INTEGER NOT NULL CHECK (items >= 0),
    seals      TEXT NOT NULL,
    UNIQUE (year, session, exam, venue_code, kind),
    FOREIGN KEY (year, session, exam, venue_code) REFERENCES custody_consignments(year, session, exam, venue_code)
);

-- Each hand-over (procesverbal): recorded by the giving side, confirmed by
-- the receiving side (a different account); one per step of a consignment.
-- seals_given / seals_received are JSON objects {package code: [seals]}.
CREATE TABLE custody_handovers (
    id             INTEGER PRIMARY KEY,
    year           INTEGER NOT NULL,
    session        INTEGER NOT NULL,
    exam           TEXT NOT NULL,
    venue_code     TEXT NOT NULL,
    step           INTEGER NOT NULL CHECK (step BETWEEN 1 AND 8),
    givers         TEXT NOT NULL,
    receivers      TEXT NOT NULL,
    note           TEXT NOT NULL DEFAULT '',
    seals_given    TEXT NOT NULL,
    recorded_by    TEXT NOT NULL,
    recorded_role  TEXT NOT NULL,
    recorded_at    TEXT NOT NULL,
    seals_received TEXT NOT NULL DEFAULT '',
    confirmed_by   TEXT NOT NULL DEFAULT '',
    confirmed_role TEXT NOT NULL DEFAULT '',
    confirmed_at   TEXT NOT NULL DEFAULT '',
    UNIQUE (year, session, exam, venue_code, step),
    FOREIGN KEY (year, session, exam, venue_code) REFERENCES custody_consignments(year, session, exam, venue_code)
);
