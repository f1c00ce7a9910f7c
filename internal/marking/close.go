package marking

import (
	"context"
	"fmt"
	"strings"

	"provim/internal/apperr"
	"provim/internal/audit"
	"provim/internal/auth"
)

// Closed reports whether the marking of an exam has closed (issue 14
// item 9): package anonym asks it before the key holders may open the
// code↔candidate link (Neni 59.3).
func (s *Service) Closed(ctx context.Context, year int, exam string) (bool, error) {
	var n int
	if err := s.db.Q(ctx).QueryRowContext(ctx, `SELECT COUNT(*) FROM marking_closed WHERE year = $1 AND exam = $2`, year, NormExam(exam)).Scan(&n); err != nil {
		return false, fmt.Errorf("marking: closed: %w", err)
	}
	return n > 0, nil
}

// markExam reads the year (0: the active one) and the exam of a call of
// the central flow.
func (s *Service) markExam(ctx context.Context, year int, exam string) (int, Exam, error) {
	y, err := s.yearOf(ctx, year)
	if err != nil {
		return 0, Exam{}, err
	}
	e, err := examOf(y, exam)
	if err != nil {
		return 0, Exam{}, err
	}
	return y.Year, e, nil
}

// openForMarking refuses any change to the booklets or their markings
// once the exam's marking has closed (issue 14 item 9).
func (s *Service) openForMarking(ctx context.Context, year int, exam string) error {
	closed, err := s.Closed(ctx, year, exam)
	if err != nil {
		return err
	}
	if closed {
		return apperr.New(apperr.Conflict, "Vlerësimi i provimit %s për vitin %d është mbyllur: pikët janë ngrirë dhe asgjë nuk ndryshon më (Neni 59.3).", exam, year)
	}
	return nil
}

// CloseResult is what Close froze: the booklets with a final mark and
// those whose result MASH voided (Neni 57.17).
type CloseResult struct {
	Year     int    `json:"year"`
	Exam     string `json:"exam"`
	Booklets int    `json:"booklets"`
	Voided   int    `json:"voided"`
	ClosedAt string `json:"closed_at"`
}

// Close closes the marking of an exam (issue 14 item 9): only when every
// candidate's booklet has a final mark (two agreeing markers or a third)
// or is voided, and no KOPOTED case of the exam is open. From then on the
// points per code are frozen and the key holders may open the
// code↔candidate link (Neni 59.3). AVA or the subject's lead closes.
func (s *Service) Close(ctx context.Context, by *auth.Principal, year int, exam string) (CloseResult, error) {
	year, e, err := s.markExam(ctx, year, exam)
	if err != nil {
		return CloseResult{}, err
	}
	if err := s.mayLead(ctx, by, year, e.Code); err != nil {
		return CloseResult{}, err
	}
	var res CloseResult
	err = s.db.InTx(ctx, func(ctx context.Context) error {
		if err := s.openForMarking(ctx, year, e.Code); err != nil {
			return err
		}
		q := s.db.Q(ctx)
		var total, final, voided, open, third, cases int
		if err := q.QueryRowContext(ctx, `SELECT COUNT(*),
			COALESCE(SUM(CASE WHEN state = 'final' THEN 1 ELSE 0 END), 0),
			COALESCE(SUM(CASE WHEN state = 'voided' THEN 1 ELSE 0 END), 0),
			COALESCE(SUM(CASE WHEN state = 'open' THEN 1 ELSE 0 END), 0),
			COALESCE(SUM(CASE WHEN state = 'third' THEN 1 ELSE 0 END), 0)
			FROM marking_booklets WHERE year = $1 AND exam = $2 AND seeded = 0`, year, e.Code).
			Scan(&total, &final, &voided, &open, &third); err != nil {
			return fmt.Errorf("marking: close count: %w", err)
		}
		if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM marking_cases WHERE year = $1 AND exam = $2 AND decision = ''`, year, e.Code).Scan(&cases); err != nil {
			return fmt.Errorf("marking: close cases: %w", err)
		}
		if total == 0 {
			return apperr.New(apperr.Conflict, "Vlerësimi i provimit %s nuk mbyllet: asnjë test nuk është regjistruar për vlerësim.", e.Label)
		}
		var missing []string
		if open > 0 {
			missing = append(missing, fmt.Sprintf("%d teste pa dy vlerësime (Neni 57.13)", open))
		}
		if third > 0 {
			missing = append(missing, fmt.Sprintf("%d teste që presin vlerësuesin e tretë (Neni 57.14)", third))
		}
		if cases > 0 {
			missing = append(missing, fmt.Sprintf("%d raste të KOPOTED-it pa vendim të MASH-it (Neni 57.17)", cases))
		}
		if len(missing) > 0 {
			return apperr.New(apperr.Conflict, "Vlerësimi i provimit %s nuk mbyllet ende: %s.", e.Label, strings.Join(missing, "; "))
		}
		res = CloseResult{Year: year, Exam: e.Code, Booklets: final, Voided: voided, ClosedAt: s.stamp(ctx)}
		if _, err := q.ExecContext(ctx, `INSERT INTO marking_closed (year, exam, booklets, closed_by, closed_at) VALUES ($1, $2, $3, $4, $5)`,
			year, e.Code, final+voided, by.Username, res.ClosedAt); err != nil {
			return fmt.Errorf("marking: close: %w", err)
		}
		return audit.Add(ctx, by.Actor(), "marking.close", "marking_exam", testKey(year, e.Code), nil,
			map[string]any{"booklets": final, "voided": voided})
	})
	return res, err
}
