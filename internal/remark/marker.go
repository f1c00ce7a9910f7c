package remark

import (
	"context"
	"fmt"

	"provim/internal/apperr"
	"provim/internal/audit"
	"provim/internal/auth"
	"provim/internal/marking"
	"provim/internal/store"
)

// The re-marker's work (Neni 64 ¶3, as Neni 57.10, 57.13–57.14): a queue
// of booklet codes, the form with the test's items and the marker's own
// marks, nothing of the other marking nor of the original one.

// QueueEntry is a booklet waiting in a re-marker's queue.
type QueueEntry struct {
	Exam    string `json:"exam"`
	Code    string `json:"code"`
	Display string `json:"display"`
	Round   int    `json:"-"`
}

// Queue lists the booklets p has still to re-mark (every exam of the
// year), by code only, and how many p has done.
func (s *Service) Queue(ctx context.Context, p *auth.Principal, year int) (int, []QueueEntry, int, error) {
	if !MayRemark(p) {
		return 0, nil, 0, apperr.New(apperr.Forbidden, "Rivlerësojnë vetëm vlerësuesit e caktuar nga AVA (Neni 64).")
	}
	y, err := s.yearOf(ctx, year)
	if err != nil {
		return 0, nil, 0, err
	}
	list, err := store.Select(ctx, s.db.Q(ctx), func(r store.Scanner) (QueueEntry, error) {
		var q QueueEntry
		err := r.Scan(&q.Exam, &q.Code, &q.Round)
		q.Display = marking.DisplayCode(q.Code)
		return q, err
	}, `SELECT m.exam, m.code, m.round FROM remark_markings m
		JOIN remark_requests r ON r.year = m.year AND r.exam = m.exam AND r.code = m.code
		WHERE m.year = $1 AND m.username = $2 AND m.submitted_at = '' AND (r.state = 'marking' AND m.round < 3 OR r.state = 'third' AND m.round = 3)
		ORDER BY m.exam, m.code`, y.Year, p.Username)
	if err != nil {
		return 0, nil, 0, fmt.Errorf("remark: queue: %w", err)
	}
	var done int
	if err := s.db.Q(ctx).QueryRowContext(ctx, `SELECT COUNT(*) FROM remark_markings WHERE year = $1 AND username = $2 AND submitted_at <> ''`, y.Year, p.Username).Scan(&done); err != nil {
		return 0, nil, 0, fmt.Errorf("remark: queue: %w", err)
	}
	return y.Year, list, done, nil
}

// Booklet is a booklet on the re-marker's screen.
type Booklet struct {
	Year      int            `json:"year"`
	Exam      string         `json:"exam"`
	Code      string         `json:"code"`
	Display   string         `json:"display"`
	Items     []marking.Item `json:"items"`
	Mine      *marking.Marks `json:"mine,omitempty"`
	Total     int            `json:"total"`
	ScanPages int            `json:"scan_pages"`
	Editable  bool           `json:"editable"`
}

// caseOf reads the request of a booklet under re-marking by code; NotFound
// when there is none.
func (s *Service) caseOf(ctx context.Context, year int, exam, code string) (Request, string, error) {
	list, err := store.Select(ctx, s.db.Q(ctx), scanRequest, `SELECT `+requestColumns+` FROM remark_requests WHERE year = $1 AND exam = $2 AND code = $3`, year, exam, code)
	if err != nil {
		return Request{}, "", fmt.Errorf("remark: booklet: %w", err)
	}
	if len(list) == 0 || code == "" {
		return Request{}, "", apperr.New(apperr.NotFound, "Testi me kod %s nuk është në rivlerësim.", marking.DisplayCode(code))
	}
	return list[0], list[0].State, nil
}

// mineOf finds p's re-marking of a booklet; NotFound when p has none, as
// if the booklet did not exist.
func mineOf(rs []Remarking, p *auth.Principal, code string) (Remarking, error) {
	for _, r := range rs {
		if r.Username == p.Username {
			return r, nil
		}
	}
	return Remarking{}, apperr.New(apperr.NotFound, "Testi me kod %s nuk është në rivlerësim.", marking.DisplayCode(code))
}

// BookletFor is a booklet given to p to re-mark, with p's own marks.
func (s *Service) BookletFor(ctx context.Context, p *auth.Principal, year int, exam, code string) (Booklet, error) {
	if !MayRemark(p) {
		return Booklet{}, apperr.New(apperr.Forbidden, "Rivlerësojnë vetëm vlerësuesit e caktuar nga AVA (Neni 64).")
	}
	y, err := s.yearOf(ctx, year)
	if err != nil {
		return Booklet{}, err
	}
	exam, code = NormExam(exam), normCode(code)
	_, state, err := s.caseOf(ctx, y.Year, exam, code)
	if err != nil {
		return Booklet{}, err
	}
	rs, err := s.remarkings(ctx, y.Year, exam, code)
	if err != nil {
		return Booklet{}, err
	}
	mine, err := mineOf(rs, p, code)
	if err != nil {
		return Booklet{}, err
	}
	if mine.Round == 3 && state == StateMarking {
		return Booklet{}, apperr.New(apperr.NotFound, "Testi me kod %s nuk është në rivlerësim.", marking.DisplayCode(code))
	}
	pool, err := s.marking.RemarkPoolOf(ctx, y.Year, exam, code)
	if err != nil {
		return Booklet{}, err
	}
	b := Booklet{Year: y.Year, Exam: exam, Code: code, Display: marking.DisplayCode(code), Items: pool.Items, Total: -1,
		Editable: state == StateMarking && mine.Round < 3 || state == StateThird && mine.Round == 3}
	if b.Mine, err = mine.marks(len(pool.Items)); err != nil {
		return Booklet{}, err
	}
	if b.Mine != nil {
		b.Total = mine.Total
	}
	if b.ScanPages, err = s.marking.ScanPagesOfCode(ctx, y.Year, exam, code); err != nil {
		return Booklet{}, err
	}
	return b, nil
}

// ScanPageFor is page no of the scan of a booklet given to p to re-mark.
func (s *Service) ScanPageFor(ctx context.Context, p *auth.Principal, year int, exam, code string, page int) (string, []byte, error) {
	if _, err := s.BookletFor(ctx, p, year, exam, code); err != nil {
		return "", nil, err
	}
	y, err := s.yearOf(ctx, year)
	if err != nil {
		return "", nil, err
	}
	return s.marking.ScanPageOfCode(ctx, y.Year, exam, code, page)
}

// MarkResult is what the re-marker sees after submitting.
type MarkResult struct {
	Code        string `json:"code"`
	Display     string `json:"display"`
	Total       int    `json:"total"`
	SubmittedAt string `json:"submitted_at"`
}

// Mark stores p's re-marking of a booklet given to them, scored by
// marking's rules (marking.Score: choice items from the alternatives
// marked, open items within their maximum and the scheme's levels). When
// the two are in and agree on every item, or the third has marked, the
// booklet's final points are known (held until AVA sends them, ¶4).
func (s *Service) Mark(ctx context.Context, p *auth.Principal, year int, exam, code string, choices []string, points []int) (MarkResult, error) {
	if !MayRemark(p) {
		return MarkResult{}, apperr.New(apperr.Forbidden, "Rivlerësojnë vetëm vlerësuesit e caktuar nga AVA (Neni 64).")
	}
	y, err := s.yearOf(ctx, year)
	if err != nil {
		return MarkResult{}, err
	}
	exam, code = NormExam(exam), normCode(code)
	var res MarkResult
	err = s.db.InTx(ctx, func(ctx context.Context) error {
		// Lock the request: two markings submitted at once settle in turn.
		if _, err := s.db.Q(ctx).ExecContext(ctx, `UPDATE remark_requests SET state = state WHERE year = $1 AND exam = $2 AND code = $3`, y.Year, exam, code); err != nil {
			return fmt.Errorf("remark: lock: %w", err)
		}
		r, state, err := s.caseOf(ctx, y.Year, exam, code)
		if err != nil {
			return err
		}
		rs, err := s.remarkings(ctx, y.Year, exam, code)
		if err != nil {
			return err
		}
		mine, err := mineOf(rs, p, code)
		if err != nil {
			return err
		}
		switch {
		case state == StateMarked || state == StateFinal:
			return apperr.New(apperr.Conflict, "Rivlerësimi i testit %s ka pikë përfundimtare: nuk ndryshohet më (Neni 64).", marking.DisplayCode(code))
		case mine.Round == 3 && state != StateThird, mine.Round < 3 && state != StateMarking:
			return apperr.New(apperr.Conflict, "Testi %s nuk pret vlerësimin tuaj në këtë hap (Neni 57.14).", marking.DisplayCode(code))
		}
		pool, err := s.marking.RemarkPoolOf(ctx, y.Year, exam, code)
		if err != nil {
			return err
		}
		mk, err := marking.Score(pool.Items, choices, points)
		if err != nil {
			return err
		}
		now := s.stamp(ctx)
		cs, ps := encode(mk)
		if _, err := s.db.Q(ctx).ExecContext(ctx, `UPDATE remark_markings SET choices = $1, points = $2, total = $3, submitted_at = $4 WHERE year = $5 AND exam = $6 AND code = $7 AND round = $8`,
			cs, ps, mk.Total(), now, y.Year, exam, code, mine.Round); err != nil {
			return fmt.Errorf("remark: mark: %w", err)
		}
		if rs, err = s.remarkings(ctx, y.Year, exam, code); err != nil {
			return err
		}
		next, total, round, err := settle(rs, len(pool.Items))
		if err != nil {
			return err
		}
		if next != state {
			if _, err := s.db.Q(ctx).ExecContext(ctx, `UPDATE remark_requests SET state = $1, points_after = $2, final_round = $3 WHERE year = $4 AND exam = $5 AND student_id = $6`,
				next, total, round, y.Year, exam, r.studentID); err != nil {
				return fmt.Errorf("remark: settle: %w", err)
			}
		}
		res = MarkResult{Code: code, Display: marking.DisplayCode(code), Total: mk.Total(), SubmittedAt: now}
		var before any
		if mine.SubmittedAt != "" {
			before = map[string]any{"submitted_at": mine.SubmittedAt}
		}
		// No points in the entry: the log outlives the link (Neni 65), and
		// a re-marked booklet's total by code beside the candidate's new
		// points (results' entry) would link the two in a small group.
		return audit.Add(ctx, p.Actor(), "remark.mark", "remark_booklet", remarkKey(y.Year, exam, code), before,
			map[string]any{"round": mine.Round, "state": next})
	})
	return res, err
}

// normCode reads a code as typed or shown.
func normCode(code string) string { return marking.NormCode(code) }
