package venue

import (
	"context"
	"fmt"
	"strings"

	"provim/internal/registry"
	"provim/internal/store"
)

// What package draw reads of the exam plan. Each read runs on db.Q(ctx),
// so it joins the caller's transaction.

// RoomSchool is how many candidates of one school sit an exam in a room.
type RoomSchool struct {
	Venue  string
	Room   int64
	School string
	Count  int
}

// RoomSchools returns, for the rooms given, the candidates of an exam by
// room and school, in no particular order. It reads by room, so that the
// engines use the plan's room index rather than read the whole country's
// plan, and it counts in SQL, so that a region's thousands of seats come
// back as a few rows. Before it sizes a draw on them, the caller checks
// the plan follows the final list (CheckPlanCurrent).
func (s *Service) RoomSchools(ctx context.Context, year, session int, exam string, rooms []int64) ([]RoomSchool, error) {
	join, school := registry.StudentSchoolJoin("st", "es.student_id")
	var out []RoomSchool
	for len(rooms) > 0 {
		n := min(len(rooms), 2000)
		args := []any{year, session, exam}
		ph := make([]string, n)
		for i, id := range rooms[:n] {
			args = append(args, id)
			ph[i] = fmt.Sprintf("$%d", len(args))
		}
		rooms = rooms[n:]
		got, err := store.Select(ctx, s.db.Q(ctx), func(r store.Scanner) (RoomSchool, error) {
			var x RoomSchool
			return x, r.Scan(&x.Venue, &x.Room, &x.School, &x.Count)
		}, `SELECT es.venue_code, es.room_id, `+school+`, COUNT(*) FROM exam_seats es`+join+`
			WHERE es.year = $1 AND es.session = $2 AND es.exam = $3 AND es.room_id IN (`+strings.Join(ph, ", ")+`)
			GROUP BY es.venue_code, es.room_id, `+school, args...)
		if err != nil {
			return nil, fmt.Errorf("venue: seats: %w", err)
		}
		out = append(out, got...)
	}
	return out, nil
}
