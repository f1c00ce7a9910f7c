package marking

import (
	"context"
	"fmt"

	"provim/internal/apperr"
	"provim/internal/audit"
	"provim/internal/auth"
	"provim/internal/store"
)

// The marker's work (Neni 57.10, 57.13–57.14): a queue of booklet codes,
// the marking screen, and the marks, each signed with the marker's name
// and the moment. A marker sees codes and their own marks only: never the
// other marking of a booklet, nor whether they mark it first or second.

// QueueEntry is a booklet waiting in a marker's queue.
type QueueEntry struct {
	Code    string `json:"code"`
	Display string `json:"display"`
	// Returned is the monitor's reason when the booklet came back to be
	// marked again (Neni 57.15).
	Returned string `json:"returned,omitempty"`
}

// Queue is a marker's queue for an exam.
type Queue struct {
	Year    int          `json:"year"`
	Exam    string       `json:"exam"`
	ToMark  []QueueEntry `json:"to_mark"`
	Done    int          `json:"done"`
	Stopped bool         `json:"stopped"`
}

// activeMarker returns p's appointment for the exam; a marker's role is
// needed.
func (s *Service) activeMarker(ctx context.Context, p *auth.Principal, year int, exam string) (Marker, error) {
	if !MayMark(p) {
		return Marker{}, apperr.New(apperr.Forbidden, "Vetëm vlerësuesit e emëruar vlerësojnë testet (Neni 57.6).")
	}
	return s.markerOf(ctx, p, year, exam)
}

func stoppedErr() error {
	return apperr.New(apperr.Forbidden, "Përgjegjësi i lëndës ju ka ndaluar vlerësimin: nuk merrni e nuk dorëzoni më teste.")
}

// Queue lists the booklets p still has to mark, by code only.
func (s *Service) Queue(ctx context.Context, p *auth.Principal, year int, exam string) (Queue, error) {
	year, e, err := s.markExam(ctx, year, exam)
	if err != nil {
		return Queue{}, err
	}
	m, err := s.activeMarker(ctx, p, year, e.Code)
	if err != nil {
		return Queue{}, err
	}
	q := Queue{Year: year, Exam: e.Code, ToMark: []QueueEntry{}, Stopped: m.Status == StatusStopped}
	if err := s.db.Q(ctx).QueryRowContext(ctx, `SELECT COUNT(*) FROM marking_allocations WHERE year = $1 AND exam = $2 AND username = $3 AND submitted_at <> ''`,
		year, e.Code, p.Username).Scan(&q.Done); err != nil {
		return Queue{}, fmt.Errorf("marking: queue: %w", err)
	}
	if q.Stopped {
		return q, nil
	}
	q.ToMark, err = store.Select(ctx, s.db.Q(ctx), func(r store.Scanner) (QueueEntry, error) {
		var x QueueEntry
		err := r.Scan(&x.Code, &x.Returned)
		x.Display = displayCode(x.Code)
		return x, err
	}, `SELECT a.code, a.returned_reason FROM marking_allocations a
		JOIN marking_booklets b ON b.year = a.year AND b.exam = a.exam AND b.code = a.code
		WHERE a.year = $1 AND a.exam = $2 AND a.username = $3 AND a.submitted_at = ''
			AND (b.state = 'open' AND a.round < 3 OR b.state = 'third' AND a.round = 3)
		ORDER BY a.code`, year, e.Code, p.Username)
	if err != nil {
		return Queue{}, fmt.Errorf("marking: queue: %w", err)
	}
	return q, nil
}

// MarkBooklet is a booklet on the marker's screen: the test's items and
// the marker's own marks, if any.
type MarkBooklet struct {
	Year        int    `json:"year"`
	Exam        string `json:"exam"`
	Code        string `json:"code"`
	Display     string `json:"display"`
	Items       []Item `json:"items"`
	Mine        *Marks `json:"mine,omitempty"`
	Total       int    `json:"total"`
	SubmittedAt string `json:"submitted_at,omitempty"`
	// Editable is false once the booklet's mark is final, or when the
	// marker was stopped.
	Editable bool `json:"editable"`
}

// allocation is one marking of a booklet as stored.
type allocation struct {
	Round       int
	Username    string
	Choices     string
	Points      string
	Total       int
	SubmittedAt string
	Source      string
	Returned    string
}

func (s *Service) allocations(ctx context.Context, year int, exam, code string) ([]allocation, error) {
	out, err := store.Select(ctx, s.db.Q(ctx), func(r store.Scanner) (allocation, error) {
		var a allocation
		return a, r.Scan(&a.Round, &a.Username, &a.Choices, &a.Points, &a.Total, &a.SubmittedAt, &a.Source, &a.Returned)
	}, `SELECT round, username, choices, points, total, submitted_at, source, returned_reason FROM marking_allocations
		WHERE year = $1 AND exam = $2 AND code = $3 ORDER BY round`, year, exam, code)
	if err != nil {
		return nil, fmt.Errorf("marking: markings of %s: %w", code, err)
	}
	return out, nil
}

// mine finds p's marking among a booklet's; NotFound when p has none, as
// if the booklet did not exist.
func mine(as []allocation, username, code string) (allocation, error) {
	for _, a := range as {
		if a.Username == username {
			return a, nil
		}
	}
	return allocation{}, notFoundBooklet(code)
}

// BookletFor is a booklet of p's queue (or one p marked) with the items
// and p's own marks; a booklet not given to p is not found.
func (s *Service) BookletFor(ctx context.Context, p *auth.Principal, year int, exam, code string) (MarkBooklet, error) {
	year, e, err := s.markExam(ctx, year, exam)
	if err != nil {
		return MarkBooklet{}, err
	}
	m, err := s.activeMarker(ctx, p, year, e.Code)
	if err != nil {
		return MarkBooklet{}, err
	}
	code = normCode(code)
	as, err := s.allocations(ctx, year, e.Code, code)
	if err != nil {
		return MarkBooklet{}, err
	}
	a, err := mine(as, p.Username, code)
	if err != nil {
		return MarkBooklet{}, err
	}
	b, err := s.bookletOf(ctx, year, e.Code, code)
	if err != nil {
		return MarkBooklet{}, err
	}
	if a.Round == 3 && b.State == StateOpen {
		return MarkBooklet{}, notFoundBooklet(code) // not (or no longer) waiting for a third
	}
	items, err := s.items(ctx, year, e.Code)
	if err != nil {
		return MarkBooklet{}, err
	}
	out := MarkBooklet{Year: year, Exam: e.Code, Code: code, Display: displayCode(code), Items: items, Total: -1,
		Editable: (b.State == StateOpen || b.State == StateThird) && m.Status != StatusStopped}
	if a.SubmittedAt != "" {
		mk, err := decodeMarks(a.Choices, a.Points, len(items))
		if err != nil {
			return MarkBooklet{}, err
		}
		out.Mine, out.Total, out.SubmittedAt = &mk, a.Total, a.SubmittedAt
	}
	return out, nil
}

// MarkResult is what the marker sees after submitting: their own total
// and the moment of their signature, nothing of the other marking.
type MarkResult struct {
	Code        string `json:"code"`
	Display     string `json:"display"`
	Total       int    `json:"total"`
	SubmittedAt string `json:"submitted_at"`
}

// MarkInput is one booklet's marks in a batch.
type MarkInput struct {
	Code    string   `json:"code"`
	Choices []string `json:"choices"`
	Points  []int    `json:"points"`
}

// Mark stores p's marks of a booklet given to them, signed with their
// name and the moment (Neni 57.10). A marker may correct their marks
// until the booklet's mark is final. When both markings are in, the
// booklet is final if they agree on every item, else it waits for a third
// marker (Neni 57.14); the third's marking makes it final.
func (s *Service) Mark(ctx context.Context, p *auth.Principal, year int, exam, code string, choices []string, points []int) (MarkResult, error) {
	year, e, err := s.markExam(ctx, year, exam)
	if err != nil {
		return MarkResult{}, err
	}
	var res MarkResult
	err = s.db.InTx(ctx, func(ctx context.Context) error {
		items, err := s.markPrelude(ctx, p, year, e.Code)
		if err != nil {
			return err
		}
		res, err = s.mark(ctx, p, year, e.Code, items, MarkInput{Code: code, Choices: choices, Points: points})
		return err
	})
	return res, err
}

// markPrelude checks p may submit marks for the exam and returns the
// test's items.
func (s *Service) markPrelude(ctx context.Context, p *auth.Principal, year int, exam string) ([]Item, error) {
	m, err := s.activeMarker(ctx, p, year, exam)
	if err != nil {
		return nil, err
	}
	if m.Status == StatusStopped {
		return nil, stoppedErr()
	}
	if err := s.openForMarking(ctx, year, exam); err != nil {
		return nil, err
	}
	items, err := s.items(ctx, year, exam)
	if err != nil {
		return nil, err
	}
	if len(items) == 0 {
		return nil, apperr.New(apperr.Conflict, "Testi i provimit %s nuk ka ende kërkesa: AVA e përcakton para vlerësimit (Neni 57.2).", exam)
	}
	return items, nil
}

func (s *Service) mark(ctx context.Context, p *auth.Principal, year int, exam string, items []Item, in MarkInput) (MarkResult, error) {
	code := normCode(in.Code)
	if err := s.lockBooklet(ctx, year, exam, code); err != nil {
		return MarkResult{}, err
	}
	as, err := s.allocations(ctx, year, exam, code)
	if err != nil {
		return MarkResult{}, err
	}
	a, err := mine(as, p.Username, code)
	if err != nil {
		return MarkResult{}, err
	}
	b, err := s.bookletOf(ctx, year, exam, code)
	if err != nil {
		return MarkResult{}, err
	}
	if err := markable(b, a); err != nil {
		return MarkResult{}, err
	}
	mk, err := Score(items, in.Choices, in.Points)
	if err != nil {
		return MarkResult{}, err
	}
	now := s.stamp(ctx)
	if err := s.storeMarks(ctx, year, exam, code, a.Round, mk, now, "screen"); err != nil {
		return MarkResult{}, err
	}
	if err := s.settle(ctx, year, exam, b, len(items)); err != nil {
		return MarkResult{}, err
	}
	var before any
	if a.SubmittedAt != "" {
		before = map[string]any{"total": a.Total, "submitted_at": a.SubmittedAt}
	}
	if err := audit.Add(ctx, p.Actor(), "marking.mark", "marking_booklet", bookletKey(year, exam, code), before,
		map[string]any{"round": a.Round, "total": mk.Total(), "source": "screen"}); err != nil {
		return MarkResult{}, err
	}
	return MarkResult{Code: code, Display: displayCode(code), Total: mk.Total(), SubmittedAt: now}, nil
}

// markable refuses a marking of a booklet whose mark is final, and a
// third marking before the two differ.
func markable(b booklet, a allocation) error {
	switch {
	case b.State == StateFinal || b.State == StateVoided:
		return apperr.New(apperr.Conflict, "Testi %s ka notë përfundimtare: asgjë nuk e ndryshon përveç rivlerësimit (Neni 57.14, 64).", displayCode(b.Code))
	case a.Round == 3 && b.State != StateThird:
		return notFoundBooklet(b.Code)
	}
	return nil
}

// storeMarks writes a marking with its signature: the moment and the
// source; the allocation keeps who marks it.
func (s *Service) storeMarks(ctx context.Context, year int, exam, code string, round int, mk Marks, at, source string) error {
	cs, ps := mk.encode()
	if _, err := s.db.Q(ctx).ExecContext(ctx, `UPDATE marking_allocations SET choices = $1, points = $2, total = $3, submitted_at = $4, source = $5, returned_reason = ''
		WHERE year = $6 AND exam = $7 AND code = $8 AND round = $9`, cs, ps, mk.Total(), at, source, year, exam, code, round); err != nil {
		return fmt.Errorf("marking: mark %s: %w", code, err)
	}
	return nil
}

// settle sets a booklet's state from its markings (Neni 57.13–57.14,
// Final): final at round 2 when the two agree on every item, 'third'
// when they differ, final at round 3 once the third has marked. Seeded
// calibration booklets are final at round 2 once both marked: they are
// compared with their agreed marks, never sent to a third.
func (s *Service) settle(ctx context.Context, year int, exam string, b booklet, n int) error {
	as, err := s.allocations(ctx, year, exam, b.Code)
	if err != nil {
		return err
	}
	state, points, round, err := bookletState(b, as, n)
	if err != nil {
		return err
	}
	if state == b.State && points == b.FinalPoints && round == b.FinalRound {
		return nil
	}
	if _, err := s.db.Q(ctx).ExecContext(ctx, `UPDATE marking_booklets SET state = $1, final_points = $2, final_round = $3 WHERE year = $4 AND exam = $5 AND code = $6`,
		state, points, round, year, exam, b.Code); err != nil {
		return fmt.Errorf("marking: settle %s: %w", b.Code, err)
	}
	return nil
}

// bookletState is the state a booklet's markings give it (settle).
func bookletState(b booklet, as []allocation, n int) (state string, points, round int, err error) {
	var got [4]*Marks
	for _, a := range as {
		if a.SubmittedAt == "" {
			continue
		}
		mk, err := decodeMarks(a.Choices, a.Points, n)
		if err != nil {
			return "", 0, 0, err
		}
		got[a.Round] = &mk
	}
	state, points, round = StateOpen, -1, 0
	if b.Seeded > 0 && got[1] != nil && got[2] != nil {
		state, points, round = StateFinal, got[1].Total(), 2
	} else if m, r, ok := Final(got[1], got[2], got[3]); ok {
		state, points, round = StateFinal, m.Total(), r
	} else if got[1] != nil && got[2] != nil {
		state = StateThird
	}
	return state, points, round, nil
}

// itemLabels names the items on which two markings differ in points
// (Neni 57.14), or also in the alternatives marked when choices is set
// (two typings of one paper sheet must be the same).
func itemLabels(items []Item, a, b Marks, choices bool) []string {
	var out []string
	for i, it := range items {
		if i < len(a.Points) && i < len(b.Points) && (a.Points[i] != b.Points[i] || choices && a.Choices[i] != b.Choices[i]) {
			out = append(out, it.Label)
		}
	}
	return out
}
