package results

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"

	"provim/internal/apperr"
	"provim/internal/application"
	"provim/internal/audit"
	"provim/internal/auth"
	"provim/internal/clock"
	"provim/internal/examyear"
	"provim/internal/store"
)

// Exam is a test of the year that has results: D1, D2 or an elective of
// the first session, D1 or D2 of the second (Neni 16 ¶2, 58). Code is the
// test key (examyear.TestKey); the results rows store Exam and Session.
type Exam struct {
	Code      string `json:"code"`
	Exam      string `json:"exam"`
	Session   int    `json:"session"`
	Label     string `json:"label"`
	Subject   string `json:"subject"`
	Name      string `json:"name"`
	MaxPoints int    `json:"max_points"`
}

// examOf checks that key names a test of the year — D1 or D2 (the
// subject of that kind) or an elective's subject code in the first
// session; D1-2 or D2-2 when the year has that day of the second session
// (Neni 58; the electives are never in it, Neni 14.4).
func examOf(cfg examyear.Config, year int, key string) (Exam, error) {
	c, session := splitKey(key)
	if session == 2 {
		if c != examyear.KindD1 && c != examyear.KindD2 {
			return Exam{}, apperr.New(apperr.Invalid, "Provimi «%s» nuk jepet në sesionin e dytë: aty rijepen vetëm provimet e detyruara D1 dhe D2 (Neni 14.4, 58).", key)
		}
		if _, ok := cfg.Exam(c, 2); !ok {
			return Exam{}, apperr.New(apperr.Invalid, "Viti %d nuk ka ditë të provimit %s në sesionin e dytë (Neni 58).", year, c)
		}
	}
	for _, sub := range cfg.Subjects {
		switch {
		case (c == examyear.KindD1 || c == examyear.KindD2) && sub.Kind == c,
			sub.Kind == examyear.KindElective && sub.Code == c:
			k := examyear.TestKey(c, session)
			return Exam{Code: k, Exam: c, Session: session, Label: examyear.TestLabel(k), Subject: sub.Code, Name: sub.Name, MaxPoints: sub.MaxPoints}, nil
		}
	}
	return Exam{}, apperr.New(apperr.Invalid, "Provimi «%s» nuk është provim i vitit %d: D1, D2 ose kodi i një lënde me zgjedhje (D1-2, D2-2 për sesionin e dytë).", key, year)
}

// Exams lists the tests of the year: D1, D2, the electives, then D1 and
// D2 of the second session when the year has their days (Neni 58).
func examsOf(cfg examyear.Config, year int) []Exam {
	var out []Exam
	for _, c := range []string{examyear.KindD1, examyear.KindD2} {
		if e, err := examOf(cfg, year, c); err == nil {
			out = append(out, e)
		}
	}
	for _, sub := range cfg.Electives() {
		out = append(out, Exam{Code: sub.Code, Exam: sub.Code, Session: 1, Label: sub.Code, Subject: sub.Code, Name: sub.Name, MaxPoints: sub.MaxPoints})
	}
	for _, c := range []string{examyear.KindD1, examyear.KindD2} {
		if e, err := examOf(cfg, year, examyear.TestKey(c, 2)); err == nil {
			out = append(out, e)
		}
	}
	return out
}

// listedFor is who has a result of the test: the exam's final name list
// in the first session (Neni 36); in the second, the candidates the
// KMSHs listed for it (Neni 58 ¶1, Session2Candidates), with their
// applications' registration numbers (the school-year failers' too).
func (s *Service) listedFor(ctx context.Context, year int, e Exam) ([]application.FinalCandidate, error) {
	if e.Session == 1 {
		return s.apps.FinalCandidates(ctx, year, e.Exam, nil)
	}
	retakers, err := s.Session2Candidates(ctx, year, e.Exam)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, len(retakers))
	for i, r := range retakers {
		ids[i] = r.StudentID
	}
	regNo, err := s.apps.RegNos(ctx, year, ids) // their applications' (Neni 34 ¶2)
	if err != nil {
		return nil, err
	}
	out := make([]application.FinalCandidate, 0, len(retakers))
	for _, r := range retakers {
		out = append(out, application.FinalCandidate{StudentID: r.StudentID, SchoolCode: r.SchoolCode, RegNo: regNo[r.StudentID]})
	}
	return out, nil
}

// ComputeResult counts what Compute wrote.
type ComputeResult struct {
	Year       int    `json:"year"`
	Exam       string `json:"exam"`
	Candidates int    `json:"candidates"`
	Passed     int    `json:"passed"`
	Failed     int    `json:"failed"`
	Voided     int    `json:"voided"`
	Absent     int    `json:"absent"`
	Unlisted   int    `json:"unlisted_codes"` // opened codes of no listed candidate (ignored)
	At         string `json:"computed_at"`
}

// Compute computes every listed candidate's result of an exam (issue 15
// item 1): once its marking closed (Neni 59.3) and the key holders opened
// the link (Neni 58), the points of each code go to its candidate, graded
// with the year's table (Neni 57.1, Grade). Computing again before the
// publication replaces the results; after it, it is refused (only a
// re-marking changes a published result, Neni 64). AVA only; one
// transaction, audited with the counts.
func (s *Service) Compute(ctx context.Context, by *auth.Principal, year int, exam string) (ComputeResult, error) {
	if !MayManage(by) {
		return ComputeResult{}, apperr.New(apperr.Forbidden, "Rezultatet i llogarit vetëm AVA (Neni 58).")
	}
	y, err := s.yearOf(ctx, year)
	if err != nil {
		return ComputeResult{}, err
	}
	e, err := examOf(y.Config, y.Year, exam)
	if err != nil {
		return ComputeResult{}, err
	}
	res := ComputeResult{Year: y.Year, Exam: e.Code}
	err = s.db.InTx(ctx, func(ctx context.Context) error {
		if at, ok, err := s.PublishedAt(ctx, y.Year, e.Code); err != nil {
			return err
		} else if ok {
			return apperr.New(apperr.Conflict, "Rezultatet e provimit %s janë shpallur më %s: nuk rillogariten; ndryshojnë vetëm me rivlerësim (Neni 64).", e.Label, clock.Format(at))
		}
		points, err := s.marking.FinalPoints(ctx, y.Year, e.Code)
		if err != nil {
			return err
		}
		links, err := s.anonym.OpenedLinks(ctx, y.Year, e.Code)
		if err != nil {
			return err
		}
		if len(links) == 0 {
			return apperr.New(apperr.Conflict, "Lidhja e kodeve me kandidatët e provimit %s nuk është hapur ende: e hapin mbajtësit e çelësit (Neni 58, 59.3).", e.Label)
		}
		listed, err := s.listedFor(ctx, y.Year, e)
		if err != nil {
			return err
		}
		excluded, err := s.apps.ExamExclusions(ctx, y.Year, e.Code)
		if err != nil {
			return err
		}
		var codes []string
		for _, c := range listed {
			codes = append(codes, c.SchoolCode)
		}
		schools, err := s.registry.SchoolsByCode(ctx, store.Distinct(codes))
		if err != nil {
			return err
		}
		byCode := make(map[string]int, len(points))
		for i, p := range points {
			byCode[p.Code] = i
		}
		codeOf := make(map[int64]string, len(links))
		for _, l := range links {
			codeOf[l.StudentID] = l.Code
		}
		rows := make([][]any, 0, len(listed))
		onList := make(map[int64]bool, len(listed))
		for _, c := range listed {
			onList[c.StudentID] = true
			code := codeOf[c.StudentID]
			i, has := byCode[code]
			pts, voided := 0, false
			if has {
				pts, voided = points[i].Points, points[i].Voided
			}
			g := Grade(y.Config, e.Subject, pts, has, voided, excluded[c.StudentID])
			switch {
			case g.Voided:
				res.Voided++
			case g.Absent:
				res.Absent++
			case g.Passed:
				res.Passed++
			default:
				res.Failed++
			}
			rows = append(rows, []any{y.Year, e.Exam, e.Session, c.StudentID, e.Subject, c.RegNo, c.SchoolCode, schools[c.SchoolCode].UnitCode,
				code, g.Points, e.MaxPoints, g.Grade, b2i(g.Passed), b2i(g.Voided), g.VoidReason, b2i(g.Absent), 0})
		}
		for _, l := range links {
			if !onList[l.StudentID] {
				res.Unlisted++
			}
		}
		res.Candidates = len(rows)
		res.At = s.stamp(ctx)
		q := s.db.Q(ctx)
		if _, err := q.ExecContext(ctx, `DELETE FROM results WHERE year = $1 AND exam = $2 AND session = $3`, y.Year, e.Exam, e.Session); err != nil {
			return fmt.Errorf("results: compute: %w", err)
		}
		if _, err := q.ExecContext(ctx, `DELETE FROM results_exams WHERE year = $1 AND exam = $2 AND session = $3`, y.Year, e.Exam, e.Session); err != nil {
			return fmt.Errorf("results: compute: %w", err)
		}
		if err := store.Insert(ctx, "results", []string{"year", "exam", "session", "student_id", "subject", "reg_no", "school_code", "unit_code",
			"code", "points", "max_points", "grade", "passed", "voided", "void_reason", "absent", "remarked"}, rows); err != nil {
			return fmt.Errorf("results: compute: %w", err)
		}
		last, _ := PublishDeadline(y.Config, e.Exam, e.Session)
		if _, err := q.ExecContext(ctx, `INSERT INTO results_exams (year, exam, session, subject, computed_at, computed_by, candidates, passed, voided, absent, deadline)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
			y.Year, e.Exam, e.Session, e.Subject, res.At, by.Username, res.Candidates, res.Passed, res.Voided, res.Absent, last.Format("2006-01-02")); err != nil {
			return fmt.Errorf("results: compute: %w", err)
		}
		if res.Unlisted > 0 {
			slog.WarnContext(ctx, "results: opened codes of no listed candidate", "year", y.Year, "exam", e.Code, "codes", res.Unlisted)
		}
		return audit.Add(ctx, by.Actor(), "results.compute", "results_exam", examKey(y.Year, e.Code), nil, res)
	})
	if err != nil {
		return ComputeResult{}, err
	}
	return res, nil
}

// computed reads a test's results_exams row; false when not computed.
func (s *Service) computed(ctx context.Context, year int, key string) (ExamState, bool, error) {
	exam, session := splitKey(key)
	var st ExamState
	err := s.db.Q(ctx).QueryRowContext(ctx, `SELECT computed_at, computed_by, candidates, passed, voided, absent, deadline, published_at, published_by, late, late_reason
		FROM results_exams WHERE year = $1 AND exam = $2 AND session = $3`, year, exam, session).
		Scan(&st.ComputedAt, &st.ComputedBy, &st.Candidates, &st.Passed, &st.Voided, &st.Absent, &st.Deadline, &st.PublishedAt, &st.PublishedBy, &st.lateInt, &st.LateReason)
	if errors.Is(err, sql.ErrNoRows) {
		return ExamState{}, false, nil
	}
	if err != nil {
		return ExamState{}, false, fmt.Errorf("results: exam state: %w", err)
	}
	st.Late = st.lateInt == 1
	return st, true, nil
}
