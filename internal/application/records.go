package application

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"provim/internal/apperr"
	"provim/internal/auth"
	"provim/internal/examyear"
	"provim/internal/registry"
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
	return s.inTx(ctx, p, func(c *change) error {
		if _, err := c.student(ctx, studentID); err != nil {
			return err
		}
		for _, r := range results {
			if _, err := c.tx.ExecContext(ctx, `DELETE FROM prior_results WHERE student_id = $1 AND year = $2 AND session = $3 AND subject = $4`,
				studentID, r.Year, r.Session, r.Subject); err != nil {
				return err
			}
			if _, err := c.tx.ExecContext(ctx, `INSERT INTO prior_results (student_id, year, session, subject, kind, grade, source) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
				studentID, r.Year, r.Session, r.Subject, r.Kind, r.Grade, source); err != nil {
				return fmt.Errorf("application: record result: %w", err)
			}
		}
		return c.chain.Add(ctx, p.Actor(), "record_results", "student", strconv.FormatInt(studentID, 10), nil, map[string]any{"results": results, "source": source})
	})
}

// Results returns the recorded results of a student in the caller's scope.
func (s *Service) Results(ctx context.Context, p *auth.Principal, studentID int64) ([]Result, error) {
	var q store.Query
	if err := registry.ScopeStudents(p, &q); err != nil {
		return nil, err
	}
	q.Add("st.id = ?", studentID)
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM students st JOIN schools sc ON sc.code = st.school_code`+q.Where(), q.Args()...).Scan(&n); err != nil {
		return nil, fmt.Errorf("application: results: %w", err)
	}
	if n == 0 {
		return nil, apperr.New(apperr.NotFound, "Nxënësi «%d» nuk u gjet.", studentID)
	}
	return loadResults(ctx, s.db, studentID)
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
	return s.inTx(ctx, p, func(c *change) error {
		if _, err := c.student(ctx, studentID); err != nil {
			return err
		}
		if _, err := c.tx.ExecContext(ctx, `INSERT INTO exam_exclusions (student_id, year, exam, cause, recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5, $6)`,
			studentID, e.Year, e.Exam, e.Cause, p.Username, c.at); err != nil {
			return fmt.Errorf("application: exclusion: %w", err)
		}
		return c.chain.Add(ctx, p.Actor(), "record_exclusion", "student", strconv.FormatInt(studentID, 10), nil, e)
	})
}
