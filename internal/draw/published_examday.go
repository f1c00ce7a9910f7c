package draw

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"

	"provim/internal/store"
)

// What package examday (and accounts) read of the draws. Each read runs on
// db.Q(ctx), so it joins the caller's transaction.

// Drawn is one place a member of staff was drawn for: the exam, the venue,
// the role (PAP, AP, AS or KMSH), the room the draw gave an AP (0: the
// whole venue) and when the draw was made. Only the valid draw counts: a
// draw superseded by a later one gives nobody a place.
type Drawn struct {
	Session int
	Exam    string
	Unit    string
	StaffID int64
	Role    string
	Venue   string
	RoomID  int64
	DrawnAt string
}

// drawnCols and scanDrawn read a place from a row of the retired
// draw_assignments table (migration 0009 keeps the places in draws.result;
// read them with placesWhere).
const drawnCols = `d.session, d.exam, d.unit_code, a.staff_id, a.role, a.venue_code, a.room_id, d.drawn_at`

func scanDrawn(r store.Scanner) (Drawn, error) {
	var x Drawn
	return x, r.Scan(&x.Session, &x.Exam, &x.Unit, &x.StaffID, &x.Role, &x.Venue, &x.RoomID, &x.DrawnAt)
}

// outcomes caches the decoded places of drawn draws by id: a drawn draw's
// result never changes (a new draw supersedes it under another id), so
// the exam day's many checks decode each result once.
var outcomes sync.Map // outcomeKey → []Assignment

// outcomeKey names a draw of one database (tests open many).
type outcomeKey struct {
	db *store.DB
	id int64
}

// placesWhere returns the places of the valid (drawn, not superseded)
// draws of year, of exam when not "", that keep(place) accepts.
func (s *Service) placesWhere(ctx context.Context, year int, exam string, keep func(Assignment) bool) ([]Drawn, error) {
	type head struct {
		id             int64
		session        int
		exam, unit, at string
	}
	q := `SELECT id, session, exam, unit_code, drawn_at FROM draws WHERE year = $1 AND status = 'drawn' AND superseded_by IS NULL`
	args := []any{year}
	if exam != "" {
		q += ` AND exam = $2`
		args = append(args, exam)
	}
	heads, err := store.Select(ctx, s.db.Q(ctx), func(r store.Scanner) (head, error) {
		var h head
		return h, r.Scan(&h.id, &h.session, &h.exam, &h.unit, &h.at)
	}, q+` ORDER BY session, exam, unit_code`, args...)
	if err != nil {
		return nil, fmt.Errorf("draw: places: %w", err)
	}
	var out []Drawn
	for _, h := range heads {
		list, err := s.placesOf(ctx, h.id)
		if err != nil {
			return nil, err
		}
		for _, a := range list {
			if a.StaffID != 0 && keep(a) {
				out = append(out, Drawn{Session: h.session, Exam: h.exam, Unit: h.unit, StaffID: a.StaffID, Role: a.Role, Venue: a.Venue, RoomID: a.RoomID, DrawnAt: h.at})
			}
		}
	}
	return out, nil
}

func (s *Service) placesOf(ctx context.Context, id int64) ([]Assignment, error) {
	if v, ok := outcomes.Load(outcomeKey{s.db, id}); ok {
		return v.([]Assignment), nil
	}
	var result string
	if err := s.db.Q(ctx).QueryRowContext(ctx, `SELECT result FROM draws WHERE id = $1`, id).Scan(&result); err != nil {
		return nil, fmt.Errorf("draw %d: places: %w", id, err)
	}
	var o Outcome
	if result != "" {
		if err := json.Unmarshal([]byte(result), &o); err != nil {
			return nil, fmt.Errorf("draw %d: result: %w", id, err)
		}
	}
	outcomes.Store(outcomeKey{s.db, id}, o.Assignments)
	return o.Assignments, nil
}

// DrawnFor returns what staffID was drawn for in the exams of year named
// exam ("" for every exam): the places of the valid draws only, none
// before the draw is made (Neni 47.5: before it nobody knows their venue).
func (s *Service) DrawnFor(ctx context.Context, year int, exam string, staffID int64) ([]Drawn, error) {
	return s.placesWhere(ctx, year, exam, func(a Assignment) bool { return a.StaffID == staffID })
}

// DrawnAt returns everyone the valid draw placed at venue for an exam in
// session, in the draw's order.
func (s *Service) DrawnAt(ctx context.Context, year, session int, exam, venue string) ([]Drawn, error) {
	list, err := s.placesWhere(ctx, year, exam, func(a Assignment) bool { return a.Venue == venue })
	if err != nil {
		return nil, err
	}
	out := list[:0]
	for _, d := range list {
		if d.Session == session {
			out = append(out, d)
		}
	}
	return out, nil
}

// DrawnAtAll returns every place of the valid draws of year at venue, for
// every exam ("" venue: every venue).
func (s *Service) DrawnAtAll(ctx context.Context, year int, venue string) ([]Drawn, error) {
	return s.placesWhere(ctx, year, "", func(a Assignment) bool { return venue == "" || a.Venue == venue })
}
