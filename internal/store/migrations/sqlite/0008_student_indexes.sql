-- Indexes for the pages a student opens (issue 12): every read of a
-- candidate's own rows is an index lookup, never a scan of a table that
-- grows with the country (internal/perftest runs EXPLAIN on each).
-- Keep in step with the other dialect's 0008_student_indexes.sql.

-- A candidate's seats of the year (/qendra-ime), in the page's order: the
-- primary key leads with the year and the exam, so through it the lookup
-- read every seat of the year.
CREATE INDEX exam_seats_student ON exam_seats(student_id, year, session, exam);

-- A candidate's final-list entries (the exams they sit).
CREATE INDEX final_lists_student ON final_lists(student_id, year);

-- Expired sessions are swept at every login.
CREATE INDEX sessions_expires ON sessions(expires_at);
