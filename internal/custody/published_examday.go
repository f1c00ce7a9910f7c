package custody

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"provim/internal/store"
)

// What package examday reads of the custody chain, and the hook through
// which it closes the return of a venue's materials. Each read runs on
// db.Q(ctx), so it joins the caller's transaction.

// ReturnStep is the step that closes the box of a venue's materials
// (Neni 45.2–45.3): it is refused while the exam day's counts do not
// balance (SetReturnCheck).
const ReturnStep = 6

// ReturnedStage is the stage from which a venue no longer holds its
// materials: the box is with the KMSH (Neni 45.4, 48.12).
const ReturnedStage = 7

// ReturnCheck answers whether the materials of an exam at a venue may be
// closed in the return box: the error that refuses it, or nil with the
// exam day's counts the box closes with (a line for the hand-over's
// notes; "" when the day was not run through the system).
type ReturnCheck func(ctx context.Context, year, session int, exam, venue string) (counts string, err error)

// SetReturnCheck installs the check run, inside the recording's
// transaction, before the closing of a venue's box (step ReturnStep) is
// recorded. wire.New installs examday's.
func (s *Service) SetReturnCheck(f ReturnCheck) { s.returnCheck = f }

// Materials is what the custody chain knows of one venue's materials of
// an exam: the stage of the chain (0–8) and how many test booklets and
// code labels its packages hold.
type Materials struct {
	Venue    string
	Stage    int
	Booklets int
	Labels   int
	// ReturnedAt is when the box reached the KMSH (the confirmation of
	// step ReturnedStage; without one, when the chain reached its stage),
	// zero when neither is known.
	ReturnedAt time.Time
}

// ReturnedBy reports whether the venue's box was back at the KMSH at
// moment now: the drawn staff's day is over from then on (Neni 45.4,
// 48.12). A return stamped after now (a demo served on an earlier day of
// its own year) has not happened yet.
func (m Materials) ReturnedBy(now time.Time) bool {
	return m.Stage >= ReturnedStage && !m.ReturnedAt.After(now)
}

// MaterialsOf returns the materials of every venue of an exam, by venue
// code (a venue without a consignment is absent).
func (s *Service) MaterialsOf(ctx context.Context, year, session int, exam string) (map[string]Materials, error) {
	out := map[string]Materials{}
	list, err := store.Select(ctx, s.db.Q(ctx), func(r store.Scanner) (Materials, error) {
		var m Materials
		return m, r.Scan(&m.Venue, &m.Stage)
	}, `SELECT venue_code, stage FROM custody_consignments WHERE year = $1 AND session = $2 AND exam = $3`, year, session, exam)
	if err != nil {
		return nil, fmt.Errorf("custody: materials: %w", err)
	}
	for _, m := range list {
		out[m.Venue] = m
	}
	type items struct {
		venue, kind string
		n           int
	}
	got, err := store.Select(ctx, s.db.Q(ctx), func(r store.Scanner) (items, error) {
		var x items
		return x, r.Scan(&x.venue, &x.kind, &x.n)
	}, `SELECT venue_code, kind, items FROM custody_packages WHERE year = $1 AND session = $2 AND exam = $3 AND kind IN ('broshura', 'kode')`, year, session, exam)
	if err != nil {
		return nil, fmt.Errorf("custody: materials: %w", err)
	}
	for _, x := range got {
		m := out[x.venue]
		if x.kind == KindBooklets {
			m.Booklets = x.n
		} else {
			m.Labels = x.n
		}
		out[x.venue] = m
	}
	return out, nil
}

// MaterialsAt returns the materials of one venue; found is false when the
// venue has no consignment of the exam.
func (s *Service) MaterialsAt(ctx context.Context, year, session int, exam, venue string) (m Materials, found bool, err error) {
	m.Venue = venue
	var returned string
	err = s.db.Q(ctx).QueryRowContext(ctx, `SELECT c.stage, COALESCE(NULLIF((SELECT h.confirmed_at FROM custody_handovers h
		WHERE h.year = c.year AND h.session = c.session AND h.exam = c.exam AND h.venue_code = c.venue_code AND h.step = $5), ''), c.since, '')
		FROM custody_consignments c WHERE c.year = $1 AND c.session = $2 AND c.exam = $3 AND c.venue_code = $4`,
		year, session, exam, venue, ReturnedStage).Scan(&m.Stage, &returned)
	if errors.Is(err, sql.ErrNoRows) {
		return m, false, nil
	}
	if err != nil {
		return m, false, fmt.Errorf("custody: materials: %w", err)
	}
	if returned != "" {
		if m.ReturnedAt, err = time.Parse(time.RFC3339, returned); err != nil {
			return m, false, fmt.Errorf("custody: materials: return time %q: %w", returned, err)
		}
	}
	rows, err := store.Select(ctx, s.db.Q(ctx), func(r store.Scanner) ([2]any, error) {
		var kind string
		var n int
		err := r.Scan(&kind, &n)
		return [2]any{kind, n}, err
	}, `SELECT kind, items FROM custody_packages WHERE year = $1 AND session = $2 AND exam = $3 AND venue_code = $4 AND kind IN ('broshura', 'kode')`,
		year, session, exam, venue)
	if err != nil {
		return m, false, fmt.Errorf("custody: materials: %w", err)
	}
	for _, x := range rows {
		if x[0].(string) == KindBooklets {
			m.Booklets = x[1].(int)
		} else {
			m.Labels = x[1].(int)
		}
	}
	return m, true, nil
}
