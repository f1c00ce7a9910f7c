package marking

import (
	"context"
	"fmt"

	"provim/internal/apperr"
	"provim/internal/auth"
)

// Progress is how far the marking of an exam has come, counted over the
// candidates' booklets (the seeded calibration ones are not counted).
type Progress struct {
	Year        int    `json:"year"`
	Exam        string `json:"exam"`
	ExamName    string `json:"exam_name"`
	Registered  int    `json:"registered"`
	Allocated   int    `json:"allocated"`    // with both markers
	MarkedOnce  int    `json:"marked_once"`  // one marking in
	MarkedTwice int    `json:"marked_twice"` // both markings in
	Third       int    `json:"third"`        // waiting for the third (Neni 57.14)
	Final       int    `json:"final"`
	Voided      int    `json:"voided"`
	OpenCases   int    `json:"open_cases"`
	Closed      bool   `json:"closed"`
	ClosedAt    string `json:"closed_at,omitempty"`
	ClosedBy    string `json:"closed_by,omitempty"`
}

// mayWatch: AVA, the exam's lead and the observers (Neni 57.18).
func (s *Service) mayWatch(ctx context.Context, p *auth.Principal, year int, exam string) error {
	if MayObserve(p) {
		return nil
	}
	if err := s.mayLead(ctx, p, year, exam); err != nil {
		return apperr.New(apperr.Forbidden, "Ecurinë e vlerësimit e shohin AVA, përgjegjësi i lëndës dhe vëzhguesit (Neni 57.18).")
	}
	return nil
}

// Progress counts the booklets of an exam by how far their marking is.
func (s *Service) Progress(ctx context.Context, p *auth.Principal, year int, exam string) (Progress, error) {
	year, e, err := s.markExam(ctx, year, exam)
	if err != nil {
		return Progress{}, err
	}
	if err := s.mayWatch(ctx, p, year, e.Code); err != nil {
		return Progress{}, err
	}
	out := Progress{Year: year, Exam: e.Code, ExamName: e.Name}
	q := s.db.Q(ctx)
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*),
		COALESCE(SUM(CASE WHEN state = 'third' THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN state = 'final' THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN state = 'voided' THEN 1 ELSE 0 END), 0)
		FROM marking_booklets WHERE year = $1 AND exam = $2 AND seeded = 0`, year, e.Code).
		Scan(&out.Registered, &out.Third, &out.Final, &out.Voided); err != nil {
		return Progress{}, fmt.Errorf("marking: progress: %w", err)
	}
	if err := q.QueryRowContext(ctx, `SELECT
		COALESCE(SUM(CASE WHEN n = 2 THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN done = 1 THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN done >= 2 THEN 1 ELSE 0 END), 0)
		FROM (SELECT a.code, COUNT(*) AS n, SUM(CASE WHEN a.submitted_at <> '' THEN 1 ELSE 0 END) AS done
			FROM marking_allocations a JOIN marking_booklets b ON b.year = a.year AND b.exam = a.exam AND b.code = a.code
			WHERE a.year = $1 AND a.exam = $2 AND a.round IN (1, 2) AND b.seeded = 0 GROUP BY a.code) x`, year, e.Code).
		Scan(&out.Allocated, &out.MarkedOnce, &out.MarkedTwice); err != nil {
		return Progress{}, fmt.Errorf("marking: progress: %w", err)
	}
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM marking_cases WHERE year = $1 AND exam = $2 AND decision = ''`, year, e.Code).Scan(&out.OpenCases); err != nil {
		return Progress{}, fmt.Errorf("marking: progress cases: %w", err)
	}
	rows, err := q.QueryContext(ctx, `SELECT closed_at, closed_by FROM marking_closed WHERE year = $1 AND exam = $2`, year, e.Code)
	if err != nil {
		return Progress{}, fmt.Errorf("marking: progress closed: %w", err)
	}
	defer rows.Close()
	if rows.Next() {
		out.Closed = true
		if err := rows.Scan(&out.ClosedAt, &out.ClosedBy); err != nil {
			return Progress{}, fmt.Errorf("marking: progress closed: %w", err)
		}
	}
	return out, rows.Err()
}
