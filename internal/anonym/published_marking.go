package anonym

import (
	"context"
	"fmt"

	"provim/internal/store"
)

// What marking (Neni 57) reads of the anonymisation: the booklets of an
// exam by code and the room each was written in — never the candidate.
// The room is there so that marking can keep a marker off the booklets
// of their own school's room (it asks the plan which schools sat there).

// UsedCode is a code whose label the desk attached to a booklet.
type UsedCode struct {
	Code   string
	Venue  string
	RoomID int64
}

// UsedCodes returns the codes of an exam attached at the desks, by code.
func (s *Service) UsedCodes(ctx context.Context, year int, exam string) ([]UsedCode, error) {
	out, err := store.Select(ctx, s.db.Q(ctx), func(r store.Scanner) (UsedCode, error) {
		var u UsedCode
		return u, r.Scan(&u.Code, &u.Venue, &u.RoomID)
	}, `SELECT code, venue_code, room_id FROM anonym_codes WHERE year = $1 AND exam = $2 AND used ORDER BY code`, year, normExam(exam))
	if err != nil {
		return nil, fmt.Errorf("anonym: used codes: %w", err)
	}
	return out, nil
}

// CodeTaken reports whether code is one of the year's codes, so that a
// seeded calibration booklet's code can be made unlike every real one.
func (s *Service) CodeTaken(ctx context.Context, year int, code string) (bool, error) {
	var n int
	if err := s.db.Q(ctx).QueryRowContext(ctx, `SELECT COUNT(*) FROM anonym_codes WHERE year = $1 AND code = $2`, year, code).Scan(&n); err != nil {
		return false, fmt.Errorf("anonym: code taken: %w", err)
	}
	return n > 0, nil
}
