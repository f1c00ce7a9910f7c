-- Maturity certificates (issue 15 item 8): the Dëftesa e Pjekurisë of
-- each candidate who completes the State Matura (Neni 17), with its
-- public number (MS-YEAR-NNNNNNN-K), the personal data and the counted
-- exams as printed, the COSE_Sign1 record of the QR code (Ed25519), and
-- its revocation (revoked_at '' while valid; replaced_by the number of
-- the certificate issued in its place). At most one valid certificate
-- per candidate and year. certificate_checks are the public checks of
-- /vertetimi, by address, for throttling (no personal data kept).
-- Owned by package certificate. Keep in step with the other dialect's file.
CREATE TABLE certificates (
    id            INTEGER PRIMARY KEY,
    number        TEXT NOT NULL UNIQUE,
    year          INTEGER NOT NULL,
    student_id    BIGINT NOT NULL,
    school_code   TEXT NOT NULL,
    school_name   TEXT NOT NULL,
    unit_code     TEXT NOT NULL,
    full_name     TEXT NOT NULL,
    personal_no   TEXT NOT NULL,
    birth_date    TEXT NOT NULL,
    exams         TEXT NOT NULL,
    record        BLOB NOT NULL,
    issued_at     TEXT NOT NULL,
    issued_by     TEXT NOT NULL,
    revoked_at    TEXT NOT NULL DEFAULT '',
    revoked_by    TEXT NOT NULL DEFAULT '',
    revoke_reason TEXT NOT NULL DEFAULT '',
    replaced_by   TEXT NOT NULL DEFAULT ''
);

CREATE UNIQUE INDEX certificates_valid ON certificates (year, student_id) WHERE revoked_at = '';
CREATE INDEX certificates_student ON certificates (student_id);
CREATE INDEX certificates_school ON certificates (year, school_code);
CREATE INDEX certificates_unit ON certificates (year, unit_code);
CREATE INDEX certificates_revoked ON certificates (revoked_at) WHERE revoked_at <> '';

CREATE TABLE certificate_checks (
    address TEXT NOT NULL,
    at      TEXT NOT NULL,
    found   INTEGER NOT NULL CHECK (found IN (0, 1))
);

CREATE INDEX certificate_checks_address ON certificate_checks (address, at);
