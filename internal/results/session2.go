package results

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"provim/internal/apperr"
	"provim/internal/audit"
	"provim/internal/auth"
	"provim/internal/clock"
	"provim/internal/examyear"
	"provim/internal/scope"
	"provim/internal/store"
)

// Session2Row is a candidate of the second session (Neni 58).
type Session2Row struct {
	Name   string   `json:"name"`
	RegNo  string   `json:"reg_no"`
	School string   `json:"school"`
	Exams  []string `json:"exams"`
	Reason string   `json:"reason"`
	key    []byte
}

// Session2List is a DAR/ZA's list of the second session.
type Session2List struct {
	Year     int           `json:"year"`
	Unit     string        `json:"unit,omitempty"`
	Deadline string        `json:"deadline"` // DD.MM.YYYY (Neni 58 ¶1)
	SentAt   string        `json:"sent_at,omitempty"`
	SentBy   string        `json:"sent_by,omitempty"`
	Rows     []Session2Row `json:"rows"`
}

// s2Unit is the unit p lists: a KMSH its own, AVA the one asked ("" for
// every unit).
func s2Unit(p *auth.Principal, unit string) (string, error) {
	switch {
	case MayManage(p):
		return strings.ToUpper(strings.TrimSpace(unit)), nil
	case MaySendSession2(p):
		return p.Unit, nil
	}
	return "", scope.Deny(p)
}

// Session2 lists who sits the second session and for which exams (Neni
// 58): the candidates who failed a mandatory exam of the first session
// and have no pass of it from an earlier year (Neni 16, 17 ¶4: from the
// published results), and the students who failed the school year (Neni
// 35, "mbetës"), who, once they pass the autumn school session, sit both
// mandatory exams in the second session. AVA sees any DAR/ZA (or all),
// a KMSH its own. Names in Albanian order.
func (s *Service) Session2(ctx context.Context, p *auth.Principal, year int, unit string) (Session2List, error) {
	unit, err := s2Unit(p, unit)
	if err != nil {
		return Session2List{}, err
	}
	y, err := s.yearOf(ctx, year)
	if err != nil {
		return Session2List{}, err
	}
	out := Session2List{Year: y.Year, Unit: unit, Rows: []Session2Row{}}
	if d, ok := y.Config.Deadline(examyear.KeySession2Lists); ok {
		out.Deadline = dayOf(d.Date)
	}
	if unit != "" {
		var at, by string
		_ = s.db.Q(ctx).QueryRowContext(ctx, `SELECT sent_at, sent_by FROM results_session2_sent WHERE year = $1 AND unit_code = $2`, y.Year, unit).Scan(&at, &by)
		if at != "" {
			out.SentAt, out.SentBy = clock.Stamp(at), by
		}
	}
	// Neni 16, 58: the failed mandatory exams of the first session.
	var q store.Query
	q.Add("r.year = ? AND r.session = 1 AND r.exam IN ('D1', 'D2') AND r.passed = 0 AND e.published_at <> ''", y.Year)
	if unit != "" {
		scope.UnitsUnder(&q, "r.unit_code", unit)
	}
	type fail struct {
		id            int64
		regNo, school string
	}
	fails, err := store.Select(ctx, s.db.Q(ctx), func(r store.Scanner) (fail, error) {
		var f fail
		return f, r.Scan(&f.id, &f.regNo, &f.school)
	}, `SELECT DISTINCT r.student_id, r.reg_no, r.school_code`+resultFrom+q.Where(), q.Args()...)
	if err != nil {
		return Session2List{}, fmt.Errorf("results: session 2: %w", err)
	}
	rows := map[int64]*Session2Row{}
	schoolOf := map[int64]string{}
	var ids []int64
	for _, f := range fails {
		o, err := s.outcomeOf(ctx, y.Year, f.id)
		if err != nil {
			return Session2List{}, err
		}
		if len(o.Session2) == 0 {
			continue // passed in an earlier year (Neni 17 ¶4)
		}
		rows[f.id] = &Session2Row{RegNo: f.regNo, Exams: o.Session2, Reason: "Mbetës në provimin e detyruar në sesionin e parë (Neni 16, 58)"}
		schoolOf[f.id] = f.school
		ids = append(ids, f.id)
	}
	// Neni 35, 58: the students who failed the school year.
	failing, err := s.apps.FailingStudents(ctx, y.Year, unit)
	if err != nil {
		return Session2List{}, err
	}
	for _, f := range failing {
		if rows[f.StudentID] != nil {
			continue
		}
		rows[f.StudentID] = &Session2Row{RegNo: "—", Exams: []string{examyear.KindD1, examyear.KindD2},
			Reason: "Mbetës në fund të vitit shkollor (Neni 35); hyn pasi kalon provimin e vjeshtës (Neni 58)"}
		schoolOf[f.StudentID] = f.SchoolCode
		ids = append(ids, f.StudentID)
	}
	people, err := s.registry.ListedStudents(ctx, ids)
	if err != nil {
		return Session2List{}, err
	}
	names, err := s.schoolNames(ctx, schoolOf)
	if err != nil {
		return Session2List{}, err
	}
	for _, id := range ids {
		r := rows[id]
		st := people[id]
		r.Name, r.School, r.key = st.FirstName+" ("+st.FatherName+") "+st.LastName, names[schoolOf[id]], st.SortKey
		out.Rows = append(out.Rows, *r)
	}
	sort.SliceStable(out.Rows, func(i, j int) bool { return string(out.Rows[i].key) < string(out.Rows[j].key) })
	return out, nil
}

// outcomeOf reads the outcome from the candidate's prepared page.
func (s *Service) outcomeOf(ctx context.Context, year int, id int64) (Outcome, error) {
	var body string
	if err := s.db.Q(ctx).QueryRowContext(ctx, `SELECT body FROM results_pages WHERE year = $1 AND student_id = $2`, year, id).Scan(&body); err != nil {
		return Outcome{}, fmt.Errorf("results: outcome of %d: %w", id, err)
	}
	var p Page
	if err := json.Unmarshal([]byte(body), &p); err != nil {
		return Outcome{}, fmt.Errorf("results: outcome of %d: %w", id, err)
	}
	return p.Outcome, nil
}

// SendSession2 sends the KMSH's list of the second session to AVA (Neni
// 58 ¶1: one month before the first exam of the second session, the
// calendar's session2_lists): refused after that day, naming it. Sending
// again before the deadline replaces the earlier sending.
func (s *Service) SendSession2(ctx context.Context, p *auth.Principal, year int) (Session2List, error) {
	if !MaySendSession2(p) {
		return Session2List{}, apperr.New(apperr.Forbidden, "Listën e sesionit të dytë e dërgon KMSH-ja e DAR/ZA-së në AVA (Neni 58).")
	}
	y, err := s.yearOf(ctx, year)
	if err != nil {
		return Session2List{}, err
	}
	var out Session2List
	err = s.db.InTx(ctx, func(ctx context.Context) error {
		if err := y.Config.CheckDeadline(examyear.KeySession2Lists, s.db.Now(ctx)); err != nil {
			return apperr.New(apperr.Invalid, "%s Lista e sesionit të dytë dërgohej deri atëherë (Neni 58).", apperr.MessageOf(err))
		}
		l, err := s.Session2(ctx, p, y.Year, p.Unit)
		if err != nil {
			return err
		}
		at := s.stamp(ctx)
		q := s.db.Q(ctx)
		if _, err := q.ExecContext(ctx, `DELETE FROM results_session2_sent WHERE year = $1 AND unit_code = $2`, y.Year, p.Unit); err != nil {
			return fmt.Errorf("results: send session 2: %w", err)
		}
		if _, err := q.ExecContext(ctx, `INSERT INTO results_session2_sent (year, unit_code, sent_at, sent_by, items) VALUES ($1, $2, $3, $4, $5)`,
			y.Year, p.Unit, at, p.Username, len(l.Rows)); err != nil {
			return fmt.Errorf("results: send session 2: %w", err)
		}
		l.SentAt, l.SentBy = clock.Stamp(at), p.Username
		out = l
		return audit.Add(ctx, p.Actor(), "results.session2_send", "unit", p.Unit, nil, map[string]any{"year": y.Year, "candidates": len(l.Rows)})
	})
	return out, err
}

func dayOf(iso string) string {
	if len(iso) == 10 {
		return iso[8:10] + "." + iso[5:7] + "." + iso[0:4]
	}
	return iso
}
