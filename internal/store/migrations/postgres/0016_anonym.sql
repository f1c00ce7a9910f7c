-- Anonymisation codes and the sealed code↔candidate link (Neni 51, 53,
-- 58, 59.3). Owned by package anonym; only it reads these tables.
-- Keep in step with the other dialect's 0016_anonym.sql.
--
-- No table holds a code and a candidate together in clear until k key
-- holders open the link: codes are stored by room without the candidate,
-- the seated candidates by room without the code, and the link only
-- encrypted to the exam's public key. No row carries the moment a label
-- was attached, and sealing a room rewrites its rows in key order.

-- The key of an exam's sealed link: an X25519 public key (hex); the
-- private key exists only while k holders open it. opened_at is '' until
-- then.
CREATE TABLE anonym_keys (
    year       INTEGER NOT NULL REFERENCES exam_years(year),
    exam       TEXT NOT NULL,
    public_key TEXT NOT NULL,
    threshold  INTEGER NOT NULL CHECK (threshold >= 2),
    holders    INTEGER NOT NULL CHECK (holders >= threshold),
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    opened_at  TEXT NOT NULL DEFAULT '',
    opened_by  TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (year, exam)
);

-- The key holders AVA named, each with the SHA-256 commitment of the
-- share given to them once (never the share).
CREATE TABLE anonym_holders (
    year       INTEGER NOT NULL,
    exam       TEXT NOT NULL,
    no         INTEGER NOT NULL,
    name       TEXT NOT NULL,
    share_hash TEXT NOT NULL,
    PRIMARY KEY (year, exam, no),
    FOREIGN KEY (year, exam) REFERENCES anonym_keys(year, exam)
);

-- Each room's codes of an exam: the room's name, floor and place in the
-- venue's order when the codes were made; printed is the number of codes,
-- unused the labels counted and sealed after the anonymisation (-1 until
-- then, Neni 53.5).
CREATE TABLE anonym_rooms (
    year       INTEGER NOT NULL REFERENCES exam_years(year),
    exam       TEXT NOT NULL,
    venue_code TEXT NOT NULL REFERENCES venues(code),
    room_id    BIGINT NOT NULL REFERENCES rooms(id),
    room_name  TEXT NOT NULL,
    floor      INTEGER NOT NULL,
    ord        INTEGER NOT NULL,
    printed    INTEGER NOT NULL CHECK (printed >= 0),
    labels     INTEGER NOT NULL CHECK (labels IN (2, 3)),
    unused     INTEGER NOT NULL,
    sealed_by  TEXT NOT NULL DEFAULT '',
    sealed_at  TEXT NOT NULL DEFAULT '',
    made_at    TEXT NOT NULL,
    PRIMARY KEY (year, exam, room_id)
);
CREATE INDEX anonym_rooms_venue ON anonym_rooms(year, exam, venue_code);

-- The codes, unique in the year, by room, without the candidate.
CREATE TABLE anonym_codes (
    year       INTEGER NOT NULL REFERENCES exam_years(year),
    code       TEXT NOT NULL,
    exam       TEXT NOT NULL,
    venue_code TEXT NOT NULL,
    room_id    BIGINT NOT NULL,
    used       BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (year, code)
);
CREATE INDEX anonym_codes_room ON anonym_codes(year, exam, room_id);
CREATE INDEX anonym_codes_venue ON anonym_codes(year, exam, venue_code);

-- The candidates seated in each room when the codes were made, without
-- the code: labelled says a label was attached to their booklet.
CREATE TABLE anonym_seated (
    year       INTEGER NOT NULL REFERENCES exam_years(year),
    exam       TEXT NOT NULL,
    student_id BIGINT NOT NULL REFERENCES students(id),
    venue_code TEXT NOT NULL,
    room_id    BIGINT NOT NULL,
    labelled   BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (year, exam, student_id)
);
CREATE INDEX anonym_seated_room ON anonym_seated(year, exam, room_id);
CREATE INDEX anonym_seated_venue ON anonym_seated(year, exam, venue_code);

-- The sealed link: each attached label's code and candidate, encrypted
-- to the exam's public key (ephemeral X25519, HKDF-SHA256, AES-256-GCM),
-- base64. eph is the ephemeral public key (hex), random, so the key says
-- nothing of the order.
CREATE TABLE anonym_links (
    year   INTEGER NOT NULL,
    exam   TEXT NOT NULL,
    eph    TEXT NOT NULL,
    sealed TEXT NOT NULL,
    PRIMARY KEY (year, exam, eph)
);

-- The link once k holders opened it after the marking closed (Neni 58,
-- 59.3), for the results.
CREATE TABLE anonym_opened (
    year       INTEGER NOT NULL,
    exam       TEXT NOT NULL,
    code       TEXT NOT NULL,
    student_id BIGINT NOT NULL REFERENCES students(id),
    PRIMARY KEY (year, exam, code)
);
CREATE UNIQUE INDEX anonym_opened_student ON anonym_opened(year, exam, student_id);
