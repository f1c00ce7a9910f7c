package venue

import (
	"context"
	"fmt"

	"provim/internal/store"
)

// What package venue publishes for package nextstep: where a venue's
// candidates sit each exam (its rooms with their name lists), and whether
// an exam is planned. Reads of its own table on db.Q(ctx); the caller
// asks only for the principal's own venue or unit.

// PlannedRoomOf is a room of a venue used by an exam, with its candidates.
type PlannedRoomOf struct {
	Exam       string
	Session    int
	RoomID     int64
	Room       string
	Floor      int
	Candidates int
}

// VenueRooms returns, for each exam of year planned in venue, the rooms
// used with their candidates, by session, exam, floor and room name.
func (s *Service) VenueRooms(ctx context.Context, year int, venue string) ([]PlannedRoomOf, error) {
	counts, err := store.Select(ctx, s.db.Q(ctx), func(r store.Scanner) (PlannedRoomOf, error) {
		var x PlannedRoomOf
		return x, r.Scan(&x.Session, &x.Exam, &x.RoomID, &x.Candidates)
	}, `SELECT session, exam, room_id, COUNT(*) FROM exam_seats WHERE year = $1 AND venue_code = $2
		GROUP BY session, exam, room_id ORDER BY session, exam, room_id`, year, venue)
	if err != nil {
		return nil, fmt.Errorf("venue: rooms of %s: %w", venue, err)
	}
	if len(counts) == 0 {
		return counts, nil
	}
	_, rooms, err := s.sites(ctx, []string{venue})
	if err != nil {
		return nil, fmt.Errorf("venue: rooms of %s: %w", venue, err)
	}
	for i := range counts {
		if r, ok := rooms[counts[i].RoomID]; ok {
			counts[i].Room, counts[i].Floor = r.Name, r.Floor
		}
	}
	return counts, nil
}

// PlannedIn returns how many candidates the plan of exam in session seats
// in the venues of units (every venue when units is empty).
func (s *Service) PlannedIn(ctx context.Context, year, session int, exam string, venues []string) (int, error) {
	var q store.Query
	q.Add("year = ?", year)
	q.Add("session = ?", session)
	q.Add("exam = ?", exam)
	if len(venues) > 0 {
		q.Add("venue_code IN ("+store.Marks(len(venues))+")", store.Args(venues)...)
	}
	var n int
	if err := s.db.Q(ctx).QueryRowContext(ctx, `SELECT COUNT(*) FROM exam_seats`+q.Where(), q.Args()...).Scan(&n); err != nil {
		return 0, fmt.Errorf("venue: planned: %w", err)
	}
	return n, nil
}
