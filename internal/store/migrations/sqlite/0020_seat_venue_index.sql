-- The exam day reads a venue's seats of one exam (room lists, label codes,
-- the board): an index by venue, so that it is a lookup and not a scan of
-- every seat of the exam. Owned by package venue.
-- Keep in step with the other dialect's 0020_seat_venue_index.sql.
CREATE INDEX exam_seats_venue ON exam_seats(year, session, exam, venue_code, room_id);
