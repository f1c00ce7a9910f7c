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
	"provim/internal/venue"
)

// Session2Row is a candidate of the second session (Neni 58).
type Session2Row struct {
	Name   string   `json:"name"`
	RegNo  string   `json:"reg_no"`
	School string   `json:"school"`
	Exams  []string `json:"exams"`
	Reason string   `json:"reason"`
	// Failing: a student who failed the school year (Neni 35), who enters
	// only once the KMSH marks them as having passed the autumn school
	// session (AutumnPassed, as last sent); PersonalNo names them in the
	// marking (they have no registration number of a final list).
	Failing      bool   `json:"failing"`
	PersonalNo   string `json:"personal_no,omitempty"`
	AutumnPassed bool   `json:"autumn_passed"`
	key          []byte
	id           int64
	school, unit string
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
		id                  int64
		regNo, school, unit string
	}
	fails, err := store.Select(ctx, s.db.Q(ctx), func(r store.Scanner) (fail, error) {
		var f fail
		return f, r.Scan(&f.id, &f.regNo, &f.school, &f.unit)
	}, `SELECT DISTINCT r.student_id, r.reg_no, r.school_code, r.unit_code`+resultFrom+q.Where(), q.Args()...)
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
		rows[f.id] = &Session2Row{RegNo: f.regNo, Exams: o.Session2, Reason: "Mbetës në provimin e detyruar në sesionin e parë (Neni 16, 58)", unit: f.unit}
		schoolOf[f.id] = f.school
		ids = append(ids, f.id)
	}
	// Neni 35, 58: the students who failed the school year.
	failing, err := s.apps.FailingStudents(ctx, y.Year, unit)
	if err != nil {
		return Session2List{}, err
	}
	failIDs := make([]int64, len(failing))
	for i, f := range failing {
		failIDs[i] = f.StudentID
	}
	regNos, err := s.apps.RegNos(ctx, y.Year, failIDs) // their applications' (Neni 34 ¶2)
	if err != nil {
		return Session2List{}, err
	}
	for _, f := range failing {
		if rows[f.StudentID] != nil {
			continue
		}
		regNo := regNos[f.StudentID]
		if regNo == "" {
			regNo = "—"
		}
		rows[f.StudentID] = &Session2Row{RegNo: regNo, Exams: []string{examyear.KindD1, examyear.KindD2}, Failing: true, unit: f.UnitCode,
			Reason: "Mbetës në fund të vitit shkollor (Neni 35); hyn pasi kalon provimin e vjeshtës (Neni 58)"}
		schoolOf[f.StudentID] = f.SchoolCode
		ids = append(ids, f.StudentID)
	}
	// Each DAR and each ZA lists and sends its own candidates (Neni 58
	// ¶1): a DAR's list holds none of its ZAs'.
	if unit != "" {
		own := ids[:0]
		for _, id := range ids {
			if rows[id].unit == unit {
				own = append(own, id)
			}
		}
		ids = own
	}
	people, err := s.registry.ListedStudents(ctx, ids)
	if err != nil {
		return Session2List{}, err
	}
	names, err := s.schoolNames(ctx, schoolOf)
	if err != nil {
		return Session2List{}, err
	}
	var failers []int64
	for _, id := range ids {
		if rows[id].Failing {
			failers = append(failers, id)
		}
	}
	// The failers' personal numbers, and whether the last sending marked
	// them as passed in the autumn.
	holders, err := s.registry.CertificateHolders(ctx, failers)
	if err != nil {
		return Session2List{}, err
	}
	marked, err := s.sentSession2(ctx, y.Year, failers)
	if err != nil {
		return Session2List{}, err
	}
	for _, id := range ids {
		r := rows[id]
		st := people[id]
		r.Name, r.School, r.key = st.FirstName+" ("+st.FatherName+") "+st.LastName, names[schoolOf[id]], st.SortKey
		r.id, r.school = id, schoolOf[id]
		if r.Failing {
			r.PersonalNo, r.AutumnPassed = holders[id].PersonalNo, marked[id]
		}
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
// again before the deadline replaces the earlier sending. The list sent
// holds the candidates who failed a mandatory exam of the first session,
// with the exams they failed, and of the students who failed the school
// year (Neni 35) those the KMSH marks as having passed the autumn school
// session ("por i kanë dhënë provim këto lëndë në sesionin e vjeshtës",
// Neni 58), by their personal numbers, with D1 and D2. A personal number
// that is not a failing student of the unit is refused, naming it, and
// nothing is saved. The rows sent are returned.
func (s *Service) SendSession2(ctx context.Context, p *auth.Principal, year int, autumnPassed []string) (Session2List, error) {
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
		// The unit's own list (Session2): a DAR's sending leaves its ZAs'
		// lists and their autumn marks as they sent them.
		rows, marked, err := session2Sent(l.Rows, autumnPassed)
		if err != nil {
			return err
		}
		l.Rows = rows
		at := s.stamp(ctx)
		q := s.db.Q(ctx)
		if _, err := q.ExecContext(ctx, `DELETE FROM results_session2_sent WHERE year = $1 AND unit_code = $2`, y.Year, p.Unit); err != nil {
			return fmt.Errorf("results: send session 2: %w", err)
		}
		if _, err := q.ExecContext(ctx, `INSERT INTO results_session2_sent (year, unit_code, sent_at, sent_by, items) VALUES ($1, $2, $3, $4, $5)`,
			y.Year, p.Unit, at, p.Username, len(l.Rows)); err != nil {
			return fmt.Errorf("results: send session 2: %w", err)
		}
		if _, err := q.ExecContext(ctx, `DELETE FROM results_session2 WHERE year = $1 AND unit_code = $2`, y.Year, p.Unit); err != nil {
			return fmt.Errorf("results: send session 2: %w", err)
		}
		var ins [][]any
		per := map[string]int{}
		for _, r := range l.Rows {
			for _, exam := range r.Exams {
				ins = append(ins, []any{y.Year, exam, r.id, r.unit, r.school, r.Reason})
				per[exam]++
			}
		}
		if err := store.Insert(ctx, "results_session2", []string{"year", "exam", "student_id", "unit_code", "school_code", "reason"}, ins); err != nil {
			return fmt.Errorf("results: send session 2: %w", err)
		}
		l.SentAt, l.SentBy = clock.Stamp(at), p.Username
		out = l
		return audit.Add(ctx, p.Actor(), "results.session2_send", "unit", p.Unit, nil,
			map[string]any{"year": y.Year, "candidates": len(l.Rows), "exams": per, "autumn_passed": marked})
	})
	return out, err
}

// session2Sent keeps of the rows the candidates of the failed mandatory
// exams and the failing students whose personal numbers are in
// autumnPassed (Neni 35, 58), marked; it refuses a personal number that
// is not a failing student's of the rows, naming it.
func session2Sent(rows []Session2Row, autumnPassed []string) ([]Session2Row, []string, error) {
	failer := map[string]int{}
	for i, r := range rows {
		if r.Failing && r.PersonalNo != "" {
			failer[strings.ToUpper(r.PersonalNo)] = i
		}
	}
	pass := map[int]bool{}
	var marked, unknown []string
	for _, raw := range autumnPassed {
		no := strings.ToUpper(strings.TrimSpace(raw))
		if no == "" {
			continue
		}
		i, ok := failer[no]
		if !ok {
			unknown = append(unknown, no)
			continue
		}
		if !pass[i] {
			pass[i] = true
			marked = append(marked, rows[i].PersonalNo)
		}
	}
	if len(unknown) > 0 {
		return nil, nil, apperr.New(apperr.Invalid, "Numri personal %s nuk është i një nxënësi mbetës në fund të vitit shkollor (Neni 35) të kësaj DAR/ZA: në sesionin e dytë hyjnë nga mbetësit vetëm ata që kanë kaluar provimin e vjeshtës (Neni 58). Lista nuk u dërgua.", strings.Join(unknown, ", "))
	}
	out := []Session2Row{}
	for i, r := range rows {
		if r.Failing {
			if !pass[i] {
				continue
			}
			r.AutumnPassed = true
		}
		out = append(out, r)
	}
	sort.Strings(marked)
	return out, marked, nil
}

// sentSession2 reports which of the students with ids the last sendings
// list (results_session2).
func (s *Service) sentSession2(ctx context.Context, year int, ids []int64) (map[int64]bool, error) {
	out := map[int64]bool{}
	for _, part := range store.Chunks(ids, 500) {
		var q store.Query
		q.Add("year = ?", year)
		q.Add("student_id IN ("+store.Marks(len(part))+")", store.Args(part)...)
		got, err := store.Select(ctx, s.db.Q(ctx), func(r store.Scanner) (int64, error) {
			var id int64
			return id, r.Scan(&id)
		}, `SELECT DISTINCT student_id FROM results_session2`+q.Where(), q.Args()...)
		if err != nil {
			return nil, fmt.Errorf("results: session 2 sent: %w", err)
		}
		for _, id := range got {
			out[id] = true
		}
	}
	return out, nil
}

// Session2Candidates returns the candidates of the second session of exam
// (D1 or D2; its test key "D1-2" too) of year as the KMSHs sent them to
// AVA (Neni 58 ¶1), in student-id order: what the plan of the second
// session places (venue's session-2 source) and who has a result of it.
// One whose first-session fail of exam a re-marking turned into a pass
// after the sending (Neni 64 ¶4) is no longer one (Neni 16 ¶2).
func (s *Service) Session2Candidates(ctx context.Context, year int, exam string) ([]venue.Retaker, error) {
	exam, _ = examyear.SplitTest(exam)
	list, err := store.Select(ctx, s.db.Q(ctx), func(r store.Scanner) (venue.Retaker, error) {
		var x venue.Retaker
		return x, r.Scan(&x.StudentID, &x.SchoolCode)
	}, `SELECT s.student_id, s.school_code FROM results_session2 s WHERE s.year = $1 AND s.exam = $2
		AND NOT EXISTS (SELECT 1 FROM results r WHERE r.year = s.year AND r.session = 1 AND r.exam = s.exam AND r.student_id = s.student_id AND r.passed = 1)
		ORDER BY s.student_id`, year, exam)
	if err != nil {
		return nil, fmt.Errorf("results: session 2 candidates of %s: %w", exam, err)
	}
	return list, nil
}

func dayOf(iso string) string {
	if len(iso) == 10 {
		return iso[8:10] + "." + iso[5:7] + "." + iso[0:4]
	}
	return iso
}
