package application

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"provim/internal/apperr"
	"provim/internal/audit"
	"provim/internal/auth"
	"provim/internal/examyear"
	"provim/internal/store"
)

// RecordResults stores results of earlier years or sessions of a student
// (AVA only): the grades that Neni 17 ¶4 and 26.2–26.3 keep valid.
func (s *Service) RecordResults(ctx context.Context, p *auth.Principal, studentID int64, results []Result, source string) error {
	if err := auth.Require(p, auth.RoleAVA); err != nil {
		return err
	}
	var problems []string
	for _, r := range results {
		if r.Kind != examyear.KindD1 && r.Kind != examyear.KindD2 && r.Kind != examyear.KindElective {
			problems = append(problems, fmt.Sprintf("lloji i provimit «%s» nuk njihet (D1, D2, Z)", r.Kind))
		}
		if r.Grade < examyear.MinGrade || r.Grade > examyear.MaxGrade {
			problems = append(problems, fmt.Sprintf("nota %d e lëndës %s është jashtë kufijve 4–10", r.Grade, r.Subject))
		}
		if r.Session < 1 || r.Session > 2 || r.Year < 2006 {
			problems = append(problems, fmt.Sprintf("viti %d / sesioni %d i lëndës %s nuk pranohen", r.Year, r.Session, r.Subject))
		}
	}
	if len(problems) > 0 {
		return invalid("Rezultatet nuk u ruajtën", problems)
	}
	return s.inTx(ctx, p, func(ctx context.Context, c *change) error {
		if _, err := c.student(ctx, studentID); err != nil {
			return err
		}
		for _, r := range results {
			if _, err := c.q(ctx).ExecContext(ctx, `DELETE FROM prior_results WHERE student_id = $1 AND year = $2 AND session = $3 AND subject = $4`,
				studentID, r.Year, r.Session, r.Subject); err != nil {
				return err
			}
			if _, err := c.q(ctx).ExecContext(ctx, `INSERT INTO prior_results (student_id, year, session, subject, kind, grade, source) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
				studentID, r.Year, r.Session, r.Subject, r.Kind, r.Grade, source); err != nil {
				return fmt.Errorf("application: record result: %w", err)
			}
		}
		return audit.Add(ctx, p.Actor(), "record_results", "student", strconv.FormatInt(studentID, 10), nil, map[string]any{"results": results, "source": source})
	})
}

// Results returns the recorded results of a student in the caller's scope.
func (s *Service) Results(ctx context.Context, p *auth.Principal, studentID int64) ([]Result, error) {
	if _, err := s.reg.Enrolment(ctx, p, studentID); err != nil {
		return nil, err
	}
	return s.loadResults(ctx, studentID)
}

// RecordExclusion stores an exclusion from an exam (Neni 54, 55) for a
// student (AVA only; the exam-day procesverbal records them in future).
func (s *Service) RecordExclusion(ctx context.Context, p *auth.Principal, studentID int64, e Exclusion) error {
	if err := auth.Require(p, auth.RoleAVA); err != nil {
		return err
	}
	e.Cause = strings.TrimPrefix(strings.TrimSpace(e.Cause), "Neni ")
	e.Exam = strings.ToUpper(strings.TrimSpace(e.Exam))
	if e.Year < 2009 || e.Year > 2200 || e.Exam == "" {
		return apperr.New(apperr.Invalid, "Përjashtimi kërkon vitin (nga 2009) dhe provimin (D1, D2 ose kodin e lëndës).")
	}
	n, err := strconv.Atoi(strings.TrimPrefix(e.Cause, "54."))
	if !strings.HasPrefix(e.Cause, "54.") || err != nil || n < 1 || n > 11 {
		return apperr.New(apperr.Invalid, "Shkaku i përjashtimit duhet të jetë një pikë e Nenit 54 (54.1–54.11), jo «%s».", e.Cause)
	}
	return s.inTx(ctx, p, func(ctx context.Context, c *change) error {
		if _, err := c.student(ctx, studentID); err != nil {
			return err
		}
		if _, err := c.q(ctx).ExecContext(ctx, `INSERT INTO exam_exclusions (student_id, year, exam, cause, recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5, $6)`,
			studentID, e.Year, e.Exam, e.Cause, p.Username, c.at); err != nil {
			return fmt.Errorf("application: exclusion: %w", err)
		}
		return audit.Add(ctx, p.Actor(), "record_exclusion", "student", strconv.FormatInt(studentID, 10), nil, e)
	})
}

// byStudent is one row of a student's records.
type byStudent[T any] struct {
	student int64
	v       T
}

// perStudent reads the rows of sqlText (the student's id first, then what
// scan reads), of one student or of every student when only is 0, and
// maps them by student.
func perStudent[T any](ctx context.Context, q store.Querier, sqlText string, only int64, scan func(store.Scanner, *int64) (T, error)) (map[int64][]T, error) {
	var args []any
	if only != 0 {
		sqlText, args = sqlText+` WHERE student_id = $1`, append(args, only)
	}
	rows, err := store.Select(ctx, q, func(r store.Scanner) (byStudent[T], error) {
		var b byStudent[T]
		var err error
		b.v, err = scan(r, &b.student)
		return b, err
	}, sqlText, args...)
	if err != nil {
		return nil, err
	}
	out := map[int64][]T{}
	for _, b := range rows {
		out[b.student] = append(out[b.student], b.v)
	}
	return out, nil
}

// resultsOf maps students to their recorded results: of one student, or
// of every student when only is 0.
func (s *Service) resultsOf(ctx context.Context, only int64) (map[int64][]Result, error) {
	out, err := perStudent(ctx, s.db.Q(ctx), `SELECT student_id, year, session, subject, kind, grade FROM prior_results`, only,
		func(r store.Scanner, id *int64) (Result, error) {
			var res Result
			return res, r.Scan(id, &res.Year, &res.Session, &res.Subject, &res.Kind, &res.Grade)
		})
	if err != nil {
		return nil, fmt.Errorf("application: results: %w", err)
	}
	return out, nil
}

func (s *Service) loadResults(ctx context.Context, studentID int64) ([]Result, error) {
	m, err := s.resultsOf(ctx, studentID)
	return m[studentID], err
}

// exclusionsOf maps students to their recorded exclusions (Neni 54): of
// one student, or of every student when only is 0.
func (s *Service) exclusionsOf(ctx context.Context, only int64) (map[int64][]Exclusion, error) {
	out, err := perStudent(ctx, s.db.Q(ctx), `SELECT student_id, year, exam, cause FROM exam_exclusions`, only,
		func(r store.Scanner, id *int64) (Exclusion, error) {
			var e Exclusion
			return e, r.Scan(id, &e.Year, &e.Exam, &e.Cause)
		})
	if err != nil {
		return nil, fmt.Errorf("application: exclusions: %w", err)
	}
	return out, nil
}

func (s *Service) loadExclusions(ctx context.Context, studentID int64) ([]Exclusion, error) {
	m, err := s.exclusionsOf(ctx, studentID)
	return m[studentID], err
}
