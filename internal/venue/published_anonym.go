package venue

import (
	"context"
	"fmt"
	"sort"

	"provim/internal/store"
)

// What package anonym reads of the exam plan. Each read runs on
// db.Q(ctx), so it joins the caller's transaction.

// ListedSeat is the room a candidate on the exam's final list sits in.
type ListedSeat struct {
	StudentID int64
	VenueCode string
	RoomID    int64
}

// ListedSeats returns the seat of every candidate of the plan of an exam
// who is on its final list and whose school the registry has — what
// SchoolSeats gives school by school, for every school at once — by venue,
// room and candidate id. The codes of an exam are made from it (Neni 51.3).
func (s *Service) ListedSeats(ctx context.Context, year, session int, exam string) ([]ListedSeat, error) {
	exam = normExam(exam)
	list, err := store.Select(ctx, s.db.Q(ctx), func(r store.Scanner) (ListedSeat, error) {
		var x ListedSeat
		return x, r.Scan(&x.StudentID, &x.VenueCode, &x.RoomID)
	}, `SELECT student_id, venue_code, room_id FROM exam_seats WHERE year = $1 AND session = $2 AND exam = $3`, year, session, exam)
	if err != nil {
		return nil, fmt.Errorf("venue: listed seats: %w", err)
	}
	ids := make([]int64, len(list))
	for i, x := range list {
		ids[i] = x.StudentID
	}
	people, err := s.people(ctx, year, session, exam, ids)
	if err != nil {
		return nil, fmt.Errorf("venue: listed seats: %w", err)
	}
	out := make([]ListedSeat, 0, len(list))
	for _, x := range list {
		if who, ok := people[x.StudentID]; ok && who.listed {
			out = append(out, x)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.VenueCode != b.VenueCode {
			return a.VenueCode < b.VenueCode
		}
		if a.RoomID != b.RoomID {
			return a.RoomID < b.RoomID
		}
		return a.StudentID < b.StudentID
	})
	return out, nil
}
