package application

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"provim/internal/apperr"
	"provim/internal/auth"
	"provim/internal/examyear"
	"provim/internal/registry"
	"provim/internal/store"
)

// A1Input is form A1 of a final-year student, filed online by the student
// or entered from paper by the school.
type A1Input struct {
	StudentID int64    `json:"student_id"`
	Electives []string `json:"electives"`
	// Submit hands the form to the school; a student's form stays a draft
	// until then. Forms entered by the school are submitted at once.
	Submit bool `json:"submit"`
	// LateReason lets a higher level accept a form after the deadline.
	LateReason string `json:"late_reason,omitempty"`
}

type studentRef struct {
	ID         int64
	Category   string
	SchoolCode string
	UnitCode   string
	Public     bool
}

func (c *change) student(ctx context.Context, id int64) (studentRef, error) {
	var q store.Query
	if err := registry.ScopeStudents(c.p, &q); err != nil {
		return studentRef{}, err
	}
	q.Add("st.id = ?", id)
	var r studentRef
	err := c.tx.QueryRowContext(ctx, `SELECT st.id, st.category, st.school_code, sc.unit_code, sc.public FROM students st JOIN schools sc ON sc.code = st.school_code`+q.Where(), q.Args()...).
		Scan(&r.ID, &r.Category, &r.SchoolCode, &r.UnitCode, &r.Public)
	if errors.Is(err, sql.ErrNoRows) {
		return r, apperr.New(apperr.NotFound, "Nxënësi «%d» nuk u gjet.", id)
	}
	if err != nil {
		return r, fmt.Errorf("application: student: %w", err)
	}
	return r, nil
}

// existing returns the student's application of year, if any (no scope:
// the student was checked already).
func (c *change) existing(ctx context.Context, studentID int64, year int) (*Application, error) {
	var q store.Query
	q.Add("a.student_id = ?", studentID)
	q.Add("a.year = ?", year)
	a, err := c.s.getWhere(ctx, c.tx, q, "Formulari", "")
	if apperr.Is(err, apperr.NotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &a, nil
}

// resultsOf maps students to their recorded results: of one student, or
// of every student when only is 0.
func resultsOf(ctx context.Context, q rowsQuerier, only int64) (map[int64][]Result, error) {
	sqlText, args := `SELECT student_id, year, session, subject, kind, grade FROM prior_results`, []any{}
	if only != 0 {
		sqlText, args = sqlText+` WHERE student_id = $1`, append(args, only)
	}
	rows, err := q.QueryContext(ctx, sqlText, args...)
	if err != nil {
		return nil, fmt.Errorf("application: results: %w", err)
	}
	defer rows.Close()
	out := map[int64][]Result{}
	for rows.Next() {
		var id int64
		var r Result
		if err := rows.Scan(&id, &r.Year, &r.Session, &r.Subject, &r.Kind, &r.Grade); err != nil {
			return nil, err
		}
		out[id] = append(out[id], r)
	}
	return out, rows.Err()
}

func loadResults(ctx context.Context, q rowsQuerier, studentID int64) ([]Result, error) {
	m, err := resultsOf(ctx, q, studentID)
	return m[studentID], err
}

// exclusionsOf maps students to their recorded exclusions (Neni 54): of
// one student, or of every student when only is 0.
func exclusionsOf(ctx context.Context, q rowsQuerier, only int64) (map[int64][]Exclusion, error) {
	sqlText, args := `SELECT student_id, year, exam, cause FROM exam_exclusions`, []any{}
	if only != 0 {
		sqlText, args = sqlText+` WHERE student_id = $1`, append(args, only)
	}
	rows, err := q.QueryContext(ctx, sqlText, args...)
	if err != nil {
		return nil, fmt.Errorf("application: exclusions: %w", err)
	}
	defer rows.Close()
	out := map[int64][]Exclusion{}
	for rows.Next() {
		var id int64
		var e Exclusion
		if err := rows.Scan(&id, &e.Year, &e.Exam, &e.Cause); err != nil {
			return nil, err
		}
		out[id] = append(out[id], e)
	}
	return out, rows.Err()
}

func loadExclusions(ctx context.Context, q rowsQuerier, studentID int64) ([]Exclusion, error) {
	m, err := exclusionsOf(ctx, q, studentID)
	return m[studentID], err
}

// rowsQuerier is a *sql.DB or a *sql.Tx.
type rowsQuerier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

func normCodes(list []string) []string {
	out := []string{}
	for _, c := range list {
		if c = strings.ToUpper(strings.TrimSpace(c)); c != "" {
			out = append(out, c)
		}
	}
	return out
}

func invalid(prefix string, problems []string) error {
	return &apperr.Error{Code: apperr.Invalid, Message: prefix + ": " + strings.Join(problems, "; ") + ".", Details: problems}
}

// FileA1 files or updates the A1 form of a final-year student, or the A1z
// form of a candidate with a maturity certificate (Neni 16, 17, 22 ¶1). The student files their own form online until the A1
// deadline; the school enters paper forms, submitted at once, until the end
// of the table T period; after that only a higher level, with a reason.
// Once the school has confirmed the form, it changes only by Correct.
func (s *Service) FileA1(ctx context.Context, p *auth.Principal, in A1Input) (Application, error) {
	if err := auth.Require(p, auth.RoleStudent, auth.RoleKSHMSH, auth.RoleKMSH, auth.RoleAVA); err != nil {
		return Application{}, err
	}
	if p.Role == auth.RoleStudent && in.StudentID != p.StudentID {
		return Application{}, apperr.New(apperr.NotFound, "Nxënësi «%d» nuk u gjet.", in.StudentID)
	}
	y, err := s.year(ctx)
	if err != nil {
		return Application{}, err
	}
	cfg := y.Config
	electives := normCodes(in.Electives)
	var out Application
	err = s.inTx(ctx, p, func(c *change) error {
		st, err := c.student(ctx, in.StudentID)
		if err != nil {
			return err
		}
		prev, err := c.existing(ctx, st.ID, y.Year)
		if err != nil {
			return err
		}
		prior, err := loadResults(ctx, c.tx, st.ID)
		if err != nil {
			return err
		}
		excl, err := loadExclusions(ctx, c.tx, st.ID)
		if err != nil {
			return err
		}
		a, problems := a1For(p, cfg, y.Year, st, prev, prior, excl, electives, in.Submit)
		if len(problems) > 0 {
			if problems[0].code == apperr.Invalid {
				var msgs []string
				for _, pr := range problems {
					msgs = append(msgs, strings.TrimSuffix(pr.msg, "."))
				}
				return invalid("Formulari "+a.Form+" nuk u ruajt", msgs)
			}
			return apperr.New(problems[0].code, "%s", problems[0].msg)
		}
		key, owner := examyear.KeyA1, auth.RoleStudent
		if p.Role != auth.RoleStudent {
			key, owner = examyear.KeyTableT, auth.RoleKSHMSH
		}
		late, err := checkDeadline(cfg, key, owner, p, in.LateReason, s.now())
		if err != nil {
			return err
		}
		note := ""
		if late {
			note = "Pranuar me vonesë: " + strings.TrimSpace(in.LateReason)
		}
		if err := c.upsert(ctx, &a, prev); err != nil {
			return err
		}
		action := "file_a1"
		if prev != nil {
			action = "update_a1"
		}
		if err := c.event(ctx, action, prev, &a, note); err != nil {
			return err
		}
		out = a
		return nil
	})
	if err != nil {
		return Application{}, err
	}
	return s.Get(ctx, p, out.ID)
}

// categoryOf is the category of a student who files their own form: a
// final-year student (A1), or a candidate with a maturity certificate
// (A1z, Neni 2.4, 22 ¶1). The special categories of Neni 23–26 and 33 are
// registered by the KMSH instead (RegisterSpecial).
func categoryOf(st studentRef) string {
	if st.Category == registry.Kandidat {
		return Kandidat
	}
	return Regular
}

type problem struct {
	code, msg string
}

// a1For decides the A1 form a caller files for a final-year student, with
// the rules of Neni 16, 17 ¶4, 22 and 55.2 and who may change what: the
// form, or the problems that refuse it.
func a1For(p *auth.Principal, cfg examyear.Config, year int, st studentRef, prev *Application, prior []Result, excl []Exclusion, electives []string, submit bool) (Application, []problem) {
	var out []problem
	category := categoryOf(st)
	for _, msg := range CheckElectives(cfg, category, electives) {
		out = append(out, problem{apperr.Invalid, msg})
	}
	switch {
	case prev != nil && prev.Status != Draft && prev.Status != Submitted:
		out = append(out, problem{apperr.Conflict, fmt.Sprintf("Formulari është në gjendjen «%s»: ndryshohet vetëm me korrigjim, me arsye, nga komisioni.", StatusLabel(prev.Status))})
	case prev != nil && p.Role != auth.RoleStudent && prev.Source == Online && prev.Status == Submitted:
		out = append(out, problem{apperr.Conflict, "Nxënësi e ka dorëzuar vetë formularin: ndryshimet e shkollës bëhen me korrigjim, me arsye."})
	case prev != nil && p.Role == auth.RoleStudent && prev.Source != Online:
		out = append(out, problem{apperr.Conflict, "Formulari juaj është hedhur nga shkolla nga formulari në letër: për ndryshime drejtohuni te KSHMSH."})
	}
	if barred, why := Barred(excl, year); barred {
		out = append(out, problem{apperr.Invalid, "Nxënësi nuk ka të drejtë të japë Maturën këtë vit: " + why + "."})
	}
	if prev != nil && prev.Status == Submitted && p.Role == auth.RoleStudent && !submit {
		out = append(out, problem{apperr.Conflict, "Formulari është dorëzuar tashmë në shkollë dhe nuk kthehet në draft: ndryshimet dorëzohen përsëri."})
	}
	a := Application{Year: year, StudentID: st.ID, Form: FormFor(category), Category: category,
		Mandatory: nonNil(MandatoryExams(category, prior)), Electives: electives, Status: Submitted, Source: Paper}
	if p.Role == auth.RoleStudent {
		a.Source = Online
		if !submit {
			a.Status = Draft
		}
	}
	return a, out
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// upsert writes a (new when prev is nil) and sets its ID.
func (c *change) upsert(ctx context.Context, a *Application, prev *Application) error {
	a.UpdatedAt = c.at
	submitted := any(nil)
	if a.Status != Draft {
		submitted = c.at
		if prev != nil && prev.SubmittedAt != "" {
			submitted = prev.SubmittedAt
		}
	}
	if prev == nil {
		err := c.tx.QueryRowContext(ctx, `INSERT INTO applications (year, student_id, form, category, mandatory, electives, status, source, documents, resit_receipt, submitted_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
			a.Year, a.StudentID, a.Form, a.Category, join(a.Mandatory), join(a.Electives), a.Status, a.Source, join(a.Documents), a.ResitReceipt, submitted, c.at).Scan(&a.ID)
		if store.IsUniqueViolation(err) {
			return apperr.New(apperr.Conflict, "Nxënësi ka tashmë një formular për këtë vit.")
		}
		if err != nil {
			return fmt.Errorf("application: insert: %w", err)
		}
		return nil
	}
	a.ID = prev.ID
	_, err := c.tx.ExecContext(ctx, `UPDATE applications SET form = $1, category = $2, mandatory = $3, electives = $4, status = $5, source = $6,
		documents = $7, resit_receipt = $8, submitted_at = $9, updated_at = $10 WHERE id = $11`,
		a.Form, a.Category, join(a.Mandatory), join(a.Electives), a.Status, a.Source, join(a.Documents), a.ResitReceipt, submitted, c.at, a.ID)
	if err != nil {
		return fmt.Errorf("application: update: %w", err)
	}
	return nil
}

// CorrectionInput changes the exam choices of an application already in
// the commissions' hands.
type CorrectionInput struct {
	Electives []string `json:"electives"`
	Reason    string   `json:"reason"`
}

// Correct changes the electives of an application with a reason, by the
// level that holds the form at that moment (Neni 22, 34 ¶5):
//
//   - before the school sends its forms to the KMSH: the school, until the
//     end of the table T period;
//   - after that and before registration: the KMSH, until the lists are due
//     at AVA;
//   - after registration, as a correction (reklamim): the school until the
//     corrections are due at the KMSH, the KMSH until they are due at AVA.
//
// After each deadline only a higher level may correct; AVA always can.
func (s *Service) Correct(ctx context.Context, p *auth.Principal, id int64, in CorrectionInput) (Application, error) {
	if err := auth.Require(p, auth.RoleKSHMSH, auth.RoleKMSH, auth.RoleAVA); err != nil {
		return Application{}, err
	}
	reason := strings.TrimSpace(in.Reason)
	if reason == "" {
		return Application{}, apperr.New(apperr.Invalid, "Korrigjimi kërkon arsyen.")
	}
	y, err := s.year(ctx)
	if err != nil {
		return Application{}, err
	}
	err = s.inTx(ctx, p, func(c *change) error {
		a, err := c.get(ctx, id)
		if err != nil {
			return err
		}
		if a.Year != y.Year {
			return apperr.New(apperr.Invalid, "Formulari i përket vitit %d, jo vitit aktiv %d.", a.Year, y.Year)
		}
		if a.Status == Draft {
			return apperr.New(apperr.Invalid, "Formulari është ende draft: e ndryshon vetë nxënësi.")
		}
		electives := normCodes(in.Electives)
		if problems := CheckElectives(y.Config, a.Category, electives); len(problems) > 0 {
			return invalid("Korrigjimi nuk u ruajt", problems)
		}
		sent, err := c.schoolSent(ctx, y.Year, a.SchoolCode)
		if err != nil {
			return err
		}
		var key string
		var owner auth.Role
		switch {
		case a.Status == Submitted || (a.Status == Confirmed && !sent):
			key, owner = examyear.KeyTableT, auth.RoleKSHMSH
		case a.Status == Confirmed || a.Status == Verified:
			key, owner = examyear.KeyListsToAVA, auth.RoleKMSH
		case p.Role == auth.RoleKSHMSH:
			key, owner = examyear.KeyCorrectionsToKMSH, auth.RoleKSHMSH
		default:
			key, owner = examyear.KeyCorrectionsToAVA, auth.RoleKMSH
		}
		if level(p.Role) < level(owner) {
			return apperr.New(apperr.Forbidden, "Formulari është tashmë te %s: korrigjimin e bën ajo.", holder(owner))
		}
		if _, err := checkDeadline(y.Config, key, owner, p, reason, s.now()); err != nil {
			return err
		}
		before := a
		a.Electives = electives
		if a.Status == Registered || a.Status == Final {
			a.Status = Corrected
		}
		if _, err := c.tx.ExecContext(ctx, `UPDATE applications SET electives = $1, status = $2, updated_at = $3 WHERE id = $4`,
			join(a.Electives), a.Status, c.at, a.ID); err != nil {
			return fmt.Errorf("application: correct: %w", err)
		}
		return c.event(ctx, "correct", &before, &a, "Korrigjim: "+reason)
	})
	if err != nil {
		return Application{}, err
	}
	return s.Get(ctx, p, id)
}

func holder(r auth.Role) string {
	switch r {
	case auth.RoleKSHMSH:
		return "KSHMSH"
	case auth.RoleKMSH:
		return "KMSH"
	}
	return "AVA"
}

func (c *change) schoolSent(ctx context.Context, year int, school string) (bool, error) {
	var n int
	if err := c.tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM school_submissions WHERE year = $1 AND school_code = $2`, year, school).Scan(&n); err != nil {
		return false, fmt.Errorf("application: school submission: %w", err)
	}
	return n > 0, nil
}

// SpecialInput registers a special category (Neni 23–27, 33) after the
// KMSH has checked the documents.
type SpecialInput struct {
	StudentID  int64    `json:"student_id"`
	Category   string   `json:"category"`
	SchoolCode string   `json:"school_code"` // the school the KMSH assigns (Neni 23 ¶3, 27, 33.5)
	Documents  []string `json:"documents"`   // keys of RequiredDocuments, as checked
	Electives  []string `json:"electives"`
	// Set by the KMSH (Neni 23 ¶3) or the special commission (Neni 33.5).
	AverageGrade float64 `json:"average_grade,omitempty"`
	D1Grade      int     `json:"d1_grade,omitempty"`
	D2Grade      int     `json:"d2_grade,omitempty"`
	ResitReceipt string  `json:"resit_receipt,omitempty"` // Neni 26.1
	LateReason   string  `json:"late_reason,omitempty"`
}

// RegisterSpecial registers a candidate of a special category (Neni 27):
// the KMSH checks every document the article asks for, assigns the school
// (in its own unit) where the candidate files the form and sits the exams,
// and sets the average and D1/D2 grades where the regulation says so
// (Neni 23 ¶3, 33.5). The form then goes through the school like any
// other.
func (s *Service) RegisterSpecial(ctx context.Context, p *auth.Principal, in SpecialInput) (Application, error) {
	if err := auth.Require(p, auth.RoleKMSH, auth.RoleAVA); err != nil {
		return Application{}, err
	}
	y, err := s.year(ctx)
	if err != nil {
		return Application{}, err
	}
	cfg := y.Config
	var problems []string
	if in.Category == Regular || in.Category == Kandidat {
		problems = append(problems, "maturantët e vitit të fundit dhe kandidatët me dëftesë plotësojnë vetë formularin A1 ose A1z (Neni 22)")
	}
	electives := normCodes(in.Electives)
	problems = append(problems, CheckElectives(cfg, in.Category, electives)...)
	have := map[string]bool{}
	for _, d := range in.Documents {
		have[strings.TrimSpace(d)] = true
	}
	resit := in.Category == Neni26 && len(electives) > 0 // Neni 26.1: a resit is paid
	for _, d := range RequiredDocuments(in.Category, resit) {
		if !have[d.Key] {
			problems = append(problems, "mungon dokumenti: "+d.Name)
		}
	}
	if resit && strings.TrimSpace(in.ResitReceipt) == "" {
		problems = append(problems, fmt.Sprintf("riprovimi paguhet (%d lekë): mungon numri i mandat-pagesës (Neni 26.1)", cfg.Fees.ElectiveResit))
	}
	if KMSHSetsGrades(in.Category) {
		if in.AverageGrade < 5 || in.AverageGrade > 10 {
			problems = append(problems, "nota mesatare e viteve të shkollimit duhet të jetë 5–10 ("+gradeArticle(in.Category)+")")
		}
		for _, g := range []struct {
			kind  string
			grade int
		}{{"D1", in.D1Grade}, {"D2", in.D2Grade}} {
			if g.grade < examyear.PassGrade || g.grade > examyear.MaxGrade {
				problems = append(problems, fmt.Sprintf("nota e provimit %s duhet të jetë 5–10 (%s)", g.kind, gradeArticle(in.Category)))
			}
		}
	}
	if len(problems) > 0 {
		return Application{}, invalid("Kandidati nuk u regjistrua", problems)
	}
	key := examyear.KeyA1
	if in.Category == Neni33 {
		key = examyear.KeyAbroadA1 // Neni 33.6
	}
	var id int64
	err = s.inTx(ctx, p, func(c *change) error {
		late, err := checkDeadline(cfg, key, auth.RoleKMSH, p, in.LateReason, s.now())
		if err != nil {
			return err
		}
		st, err := c.student(ctx, in.StudentID)
		if err != nil {
			return err
		}
		school := strings.TrimSpace(in.SchoolCode)
		if school == "" {
			school = st.SchoolCode
		}
		var q store.Query
		if err := registry.ScopeSchools(p, &q, "sc"); err != nil {
			return err
		}
		q.Add("sc.code = ?", school)
		var n int
		if err := c.tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM schools sc`+q.Where(), q.Args()...).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return apperr.New(apperr.Invalid, "Shkolla «%s» nuk është në fushën tuaj: KMSH cakton një shkollë të DAR/ZA-së së vet (Neni 27).", school)
		}
		prev, err := c.existing(ctx, st.ID, y.Year)
		if err != nil {
			return err
		}
		if prev != nil && prev.Status != Submitted && prev.Status != Draft {
			return apperr.New(apperr.Conflict, "Kandidati ka tashmë një formular në gjendjen «%s».", StatusLabel(prev.Status))
		}
		if school != st.SchoolCode {
			if _, err := c.tx.ExecContext(ctx, `UPDATE students SET school_code = $1, updated_at = $2 WHERE id = $3`, school, c.at, st.ID); err != nil {
				return fmt.Errorf("application: assign school: %w", err)
			}
			if err := c.chain.Add(ctx, p.Actor(), "assign_school", "student", strconv.FormatInt(st.ID, 10),
				map[string]any{"school_code": st.SchoolCode}, map[string]any{"school_code": school, "article": "Neni 27"}); err != nil {
				return err
			}
		}
		if KMSHSetsGrades(in.Category) {
			if err := c.setGrades(ctx, st.ID, y.Year, in); err != nil {
				return err
			}
		}
		prior, err := loadResults(ctx, c.tx, st.ID)
		if err != nil {
			return err
		}
		a := Application{Year: y.Year, StudentID: st.ID, Form: FormFor(in.Category), Category: in.Category,
			Mandatory: nonNil(MandatoryExams(in.Category, prior)), Electives: electives, Status: Submitted, Source: ByKMSH,
			Documents: nonNil(keys(RequiredDocuments(in.Category, resit))), ResitReceipt: strings.TrimSpace(in.ResitReceipt)}
		note := "Dokumentet u verifikuan nga KMSH; shkolla: " + school
		// The forms of students educated abroad go from the KMSH to AVA
		// directly (Neni 33.6), as does any form the KMSH registers once
		// the school has already sent its table T: the KMSH has verified it.
		sent, err := c.schoolSent(ctx, y.Year, school)
		if err != nil {
			return err
		}
		if in.Category == Neni33 || sent {
			a.Status = Verified
			note += "; formulari shkon drejt në AVA (Neni 33.6, 22 ¶4)"
		}
		if err := c.upsert(ctx, &a, prev); err != nil {
			return err
		}
		if a.Status == Verified {
			if _, err := c.exec(ctx, `UPDATE applications SET confirmed_at = $1, verified_at = $1 WHERE id = $2`, c.at, a.ID); err != nil {
				return err
			}
		}
		if late {
			note += ". Pranuar me vonesë: " + strings.TrimSpace(in.LateReason)
		}
		id = a.ID
		return c.event(ctx, "register_special", prev, &a, note)
	})
	if err != nil {
		return Application{}, err
	}
	return s.Get(ctx, p, id)
}

func keys(docs []Document) []string {
	var out []string
	for _, d := range docs {
		out = append(out, d.Key)
	}
	return out
}

func gradeArticle(category string) string {
	if category == Neni33 {
		return "Neni 33.5"
	}
	return "Neni 23"
}

// setGrades stores the average and the D1/D2 grades set by a commission
// (Neni 23 ¶3, 33.5) as results of session 0 of year.
func (c *change) setGrades(ctx context.Context, studentID int64, year int, in SpecialInput) error {
	if _, err := c.tx.ExecContext(ctx, `UPDATE students SET average_grade = $1, updated_at = $2 WHERE id = $3`, in.AverageGrade, c.at, studentID); err != nil {
		return fmt.Errorf("application: set average: %w", err)
	}
	if _, err := c.tx.ExecContext(ctx, `DELETE FROM prior_results WHERE student_id = $1 AND year = $2 AND session = 0`, studentID, year); err != nil {
		return err
	}
	for _, g := range []struct {
		kind  string
		grade int
	}{{examyear.KindD1, in.D1Grade}, {examyear.KindD2, in.D2Grade}} {
		if _, err := c.tx.ExecContext(ctx, `INSERT INTO prior_results (student_id, year, session, subject, kind, grade, source) VALUES ($1, $2, 0, $3, $3, $4, $5)`,
			studentID, year, g.kind, g.grade, gradeArticle(in.Category)); err != nil {
			return fmt.Errorf("application: set grade: %w", err)
		}
	}
	return c.chain.Add(ctx, c.p.Actor(), "set_grades", "student", strconv.FormatInt(studentID, 10), nil,
		map[string]any{"average_grade": in.AverageGrade, "d1": in.D1Grade, "d2": in.D2Grade, "article": gradeArticle(in.Category)})
}
