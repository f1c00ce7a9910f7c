package application

import (
	"context"
	"fmt"
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
	// HandedIn is the day a paper form was handed in to the school
	// (2027-03-10 or 10.03.2027): the A1 deadline applies to it (Neni 22
	// ¶1). Empty: the day the form was entered before, else today.
	// Paper forms only.
	HandedIn string `json:"handed_in,omitempty"`
}

// studentRef is what the forms read of a student: the registry's
// enrolment (category, grade, school and unit).
type studentRef = registry.Enrolment

// student reads a student in the caller's scope; outside it the student
// is not found.
func (c *change) student(ctx context.Context, id int64) (studentRef, error) {
	return c.s.reg.Enrolment(ctx, c.p, id)
}

// existing returns the student's application of year, if any (no scope:
// the student was checked already).
func (c *change) existing(ctx context.Context, studentID int64, year int) (*Application, error) {
	var q store.Query
	q.Add("a.student_id = ?", studentID)
	q.Add("a.year = ?", year)
	a, err := c.s.getWhere(ctx, q, "Formulari", "")
	if apperr.Is(err, apperr.NotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &a, nil
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
	err = s.inTx(ctx, p, func(ctx context.Context, c *change) error {
		st, err := c.student(ctx, in.StudentID)
		if err != nil {
			return err
		}
		prev, err := c.existing(ctx, st.ID, y.Year)
		if err != nil {
			return err
		}
		prior, err := c.s.loadResults(ctx, st.ID)
		if err != nil {
			return err
		}
		excl, err := c.s.loadExclusions(ctx, st.ID)
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
		late, err := checkDeadline(cfg, key, owner, p, in.LateReason, c.now)
		if err != nil {
			return err
		}
		var notes []string
		if p.Role != auth.RoleStudent {
			// Neni 22 ¶1: the deadline applies to the day the paper form
			// was handed in.
			h, err := paperHandIn(cfg, in.HandedIn, paperDay(prev), p, in.LateReason, c.now)
			if err != nil {
				return err
			}
			a.HandedIn, late = h.Stored(), late || h.late
			notes = append(notes, h.Note())
		}
		a.Late = late
		if late {
			notes = append(notes, "Pranuar me vonesë: "+strings.TrimSpace(in.LateReason))
		}
		note := strings.Join(notes, ". ")
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
		out = append(out, problem{apperr.Conflict, "Formulari është dorëzuar tashmë në shkollë dhe nuk kthehet në të padorëzuar: ndryshimet dorëzohen përsëri."})
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
		err := c.q(ctx).QueryRowContext(ctx, `INSERT INTO applications (year, student_id, form, category, mandatory, electives, status, source, documents, resit_receipt, submitted_at, updated_at, handed_in, late, graduation_year)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id`,
			a.Year, a.StudentID, a.Form, a.Category, join(a.Mandatory), join(a.Electives), a.Status, a.Source, join(a.Documents), a.ResitReceipt, submitted, c.at,
			nullable(a.HandedIn), a.Late, nullableInt(a.GraduationYear)).Scan(&a.ID)
		if store.IsUniqueViolation(err) {
			return apperr.New(apperr.Conflict, "Nxënësi ka tashmë një formular për këtë vit.")
		}
		if err != nil {
			return fmt.Errorf("application: insert: %w", err)
		}
		return nil
	}
	a.ID = prev.ID
	_, err := c.q(ctx).ExecContext(ctx, `UPDATE applications SET form = $1, category = $2, mandatory = $3, electives = $4, status = $5, source = $6,
		documents = $7, resit_receipt = $8, submitted_at = $9, updated_at = $10, handed_in = $11, late = $12, graduation_year = $13 WHERE id = $14`,
		a.Form, a.Category, join(a.Mandatory), join(a.Electives), a.Status, a.Source, join(a.Documents), a.ResitReceipt, submitted, c.at,
		nullable(a.HandedIn), a.Late, nullableInt(a.GraduationYear), a.ID)
	if err != nil {
		return fmt.Errorf("application: update: %w", err)
	}
	return nil
}

// nullable stores "" as NULL.
func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// nullableInt stores 0 as NULL.
func nullableInt(n int) any {
	if n == 0 {
		return nil
	}
	return n
}

// paperDay is the hand-in day of a paper form entered before ("" for
// none, or a form the student filed online).
func paperDay(prev *Application) string {
	if prev == nil || prev.Source != Paper {
		return ""
	}
	return prev.HandedIn
}
