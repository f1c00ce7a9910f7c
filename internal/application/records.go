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
// student (AVA only; the exam-day procesverbal records them in future). An
// exclusion belongs to an exam the candidate sat: the year is an exam year
// the system holds, the exam is one of that year (D1, D2, or an elective
// by its code; a mandatory subject's code stands for its exam), its day
// has come, and the student is on its final name list (Neni 36, 52.6).
// The same exclusion is not recorded twice.
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
		y, err := s.years.Get(ctx, p, e.Year)
		if apperr.Is(err, apperr.NotFound) {
			return apperr.New(apperr.Invalid, "Viti %d nuk është vit provimesh në sistem: përjashtimi regjistrohet vetëm për një provim që kandidati ka dhënë (Neni 54).", e.Year)
		}
		if err != nil {
			return err
		}
		exam, day, err := examOf(y.Config, e.Year, e.Exam)
		if err != nil {
			return err
		}
		if d, ok := ParseDay(day); ok && c.now.Before(d) {
			return apperr.New(apperr.Invalid, "Provimi %s i vitit %d zhvillohet më %s: përjashtimi regjistrohet pasi provimi është dhënë.", exam, e.Year, d.Format("02.01.2006"))
		}
		e.Exam = exam
		var listed, twice int
		if err := c.q(ctx).QueryRowContext(ctx, `SELECT COUNT(*) FROM final_lists WHERE year = $1 AND exam = $2 AND student_id = $3`,
			e.Year, e.Exam, studentID).Scan(&listed); err != nil {
			return fmt.Errorf("application: exclusion: %w", err)
		}
		if listed == 0 {
			return apperr.New(apperr.Invalid, "Nxënësi nuk ishte në listën përfundimtare të provimit %s të vitit %d (Neni 36): përjashtohet vetëm nga një provim për të cilin ishte në listë.", e.Exam, e.Year)
		}
		if err := c.q(ctx).QueryRowContext(ctx, `SELECT COUNT(*) FROM exam_exclusions WHERE student_id = $1 AND year = $2 AND exam = $3`,
			studentID, e.Year, e.Exam).Scan(&twice); err != nil {
			return fmt.Errorf("application: exclusion: %w", err)
		}
		if twice > 0 {
			return apperr.New(apperr.Conflict, "Përjashtimi i nxënësit nga provimi %s i vitit %d është regjistruar tashmë.", e.Exam, e.Year)
		}
		if _, err := c.q(ctx).ExecContext(ctx, `INSERT INTO exam_exclusions (student_id, year, exam, cause, recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5, $6)`,
			studentID, e.Year, e.Exam, e.Cause, p.Username, c.at); err != nil {
			return fmt.Errorf("application: exclusion: %w", err)
		}
		return audit.Add(ctx, p.Actor(), "record_exclusion", "student", strconv.FormatInt(studentID, 10), nil, e)
	})
}

// examOf is the exam of year named by code, as the final lists name it
// (D1, D2 or the elective's code), and its first-session day ("" if the
// year has none): an Invalid error when the year has no such exam.
func examOf(cfg examyear.Config, year int, code string) (exam, day string, err error) {
	kind := code
	if code != examyear.KindD1 && code != examyear.KindD2 {
		sub, ok := cfg.Subject(code)
		if !ok {
			return "", "", apperr.New(apperr.Invalid, "Provimi «%s» nuk është provim i vitit %d: jepni D1, D2 ose kodin e një lënde të vitit.", code, year)
		}
		kind = sub.Kind
		if sub.Kind == examyear.KindElective {
			exam = sub.Code
		}
	}
	if exam == "" {
		exam = kind
	}
	if d, ok := cfg.Exam(kind, 1); ok {
		day = d.Date
	}
	return exam, day, nil
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
