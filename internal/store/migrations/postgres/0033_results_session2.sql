-- The second session's lists as sent (Neni 58 ¶1): one row per candidate
-- and mandatory exam of the DAR/ZA's sending to AVA — the candidates who
-- failed a mandatory exam of the first session (Neni 16, 58) with each
-- failed exam, and the students who failed the school year (Neni 35) and
-- passed the autumn school session, with D1 and D2. A unit's sending
-- replaces its earlier rows. The plan of the second session reads them
-- (venue's session-2 source). Owned by package results. Keep in step with
-- the other dialect's 0033_results_session2.sql.
CREATE TABLE results_session2 (
    year        INTEGER NOT NULL,
    exam        TEXT NOT NULL,
    student_id  BIGINT NOT NULL,
    unit_code   TEXT NOT NULL,
    school_code TEXT NOT NULL,
    reason      TEXT NOT NULL,
    PRIMARY KEY (year, exam, student_id)
);
CREATE INDEX results_session2_unit ON results_session2 (year, unit_code);
