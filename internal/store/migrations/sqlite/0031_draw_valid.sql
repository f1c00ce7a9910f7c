-- The valid draws of an exam, read on every exam-day check of a drawn
-- person (draw.placesWhere): an index that holds every column the read
-- needs, so that it never walks a draw's inputs and result (large texts
-- stored before superseded_by and drawn_at) to test a row. Owned by
-- package draw. Keep in step with the other dialect's 0031_draw_valid.sql.
CREATE INDEX draws_valid ON draws(year, exam, status, superseded_by, session, unit_code, drawn_at);
