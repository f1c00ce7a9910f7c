package applications

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"provim/internal/apperr"
	"provim/internal/application"
	"provim/internal/auth"
	"provim/internal/examyear"
	"provim/internal/registry"
	"provim/internal/web/webkit"
)

// ---- form A1 (the student) ----

type a1View struct {
	Student   registry.Student
	Year      *examyear.Year
	Deadline  examyear.Deadline
	Window    application.Window // the deadline as the viewer sees it: past it the form is disabled
	App       *application.Application
	Mandatory []subjectRef
	Electives []subjectRef
	History   []historyRow
	Text      a1Text             // the form in words (formText)
	Options   []examyear.Subject // the year's electives
	Slots     []string           // the choice of each select box Z1…ZN
	Form      string             // A1, or A1z for a candidate with a maturity certificate
	Candidate bool               // holds a maturity certificate (Neni 2.4, 22 ¶1)
	CanEdit   bool
	Note      string    // why the form cannot be changed here
	Printed   time.Time // the moment the receipt is printed (shown in Tirana)
}

// loadA1 gathers the student's record, the active year and their form.
func (h *Handler) loadA1(r *http.Request, p *auth.Principal) (a1View, error) {
	var v a1View
	if err := webkit.Allow(p, application.MayFileOwn(p)); err != nil {
		return v, err
	}
	st, err := h.registry.GetStudent(r.Context(), p, p.StudentID)
	if err != nil {
		return v, err
	}
	y, err := h.activeYear(r)
	if err != nil {
		return v, err
	}
	v.Student, v.Year, v.Deadline, v.Options = st, y, deadlineOf(y, examyear.KeyA1), y.Config.Electives()
	if v.Window, err = h.apps.Window(r.Context(), p, examyear.KeyA1); err != nil {
		return v, err
	}
	a, events, err := h.apps.ForStudentHistory(r.Context(), p, p.StudentID)
	switch {
	case err == nil:
		v.App = &a
		v.Mandatory, v.Electives = mandatoryRefs(y.Config, a.Mandatory), subjectRefs(y.Config, a.Electives)
		v.History = historyRows(events)
	case !apperr.Is(err, apperr.NotFound):
		return v, err
	}
	v.Candidate = st.Category == registry.Kandidat
	v.Form = application.FormA1
	if v.Candidate {
		v.Form = application.FormA1z
	}
	if v.App != nil {
		v.Form = v.App.Form
	}
	switch {
	case v.App == nil:
		v.CanEdit = true
	case v.App.Source != application.Online:
		v.Note = "Formulari juaj është hedhur nga shkolla ose nga KMSH: për ndryshime drejtohuni te komisioni i shkollës (KSHMSH)."
	case v.App.Status == application.Draft || v.App.Status == application.Submitted:
		v.CanEdit = true
	default:
		v.Note = "Formulari është tashmë në duart e komisioneve: ndryshohet vetëm me korrigjim (reklamim), me arsye, nga komisioni i shkollës."
	}
	if v.App != nil {
		v.Slots = electiveSlots(y.Config, v.App.Electives)
	} else {
		v.Slots = electiveSlots(y.Config, nil)
	}
	v.Text = formText(v)
	return v, nil
}

// a1Text is what the A1 page and its receipt write of the student and the
// form, put in words before the template runs: a template call of each
// label, date and list item was a good part of the page's cost.
type a1Text struct {
	Status, Category string
	// Mandatory is "D1 — Gjuhë shqipe dhe letërsi, D2 — Matematikë";
	// Electives "Z1: Fizikë (FIZ), Z2: Kimi (KIM)" and ElectiveNames
	// "Z1: Fizikë, Z2: Kimi" (the receipt); "" for none.
	Mandatory, Electives, ElectiveNames string
	// When the form was submitted, confirmed, verified, registered and
	// last changed, in Tirana ("" for a step not yet taken).
	Submitted, Confirmed, Verified, Registered, Updated string
	BirthDate, Grade                                    string
}

func formText(v a1View) a1Text {
	t := a1Text{BirthDate: webkit.Date(v.Student.BirthDate), Grade: webkit.Grade(v.Student.AverageGrade)}
	if v.App == nil {
		return t
	}
	a := v.App
	t.Status, t.Category = application.StatusLabel(a.Status), application.CategoryLabel(a.Category)
	var m, e, en []string
	for _, s := range v.Mandatory {
		m = append(m, s.Code+" — "+s.Name)
	}
	for i, s := range v.Electives {
		z := "Z" + strconv.Itoa(i+1) + ": " + s.Name
		e, en = append(e, z+" ("+s.Code+")"), append(en, z)
	}
	t.Mandatory, t.Electives, t.ElectiveNames = strings.Join(m, ", "), strings.Join(e, ", "), strings.Join(en, ", ")
	t.Submitted, t.Confirmed, t.Verified = webkit.When(a.SubmittedAt), webkit.When(a.ConfirmedAt), webkit.When(a.VerifiedAt)
	t.Registered, t.Updated = webkit.When(a.RegisteredAt), webkit.When(a.UpdatedAt)
	return t
}

// historyRow is a change of the form's status as the page writes it.
type historyRow struct{ At, Status, Role, Note string }

func historyRows(events []application.Event) []historyRow {
	out := make([]historyRow, len(events))
	for i, e := range events {
		out[i] = historyRow{At: webkit.When(e.At), Status: application.StatusLabel(e.Status), Role: auth.Role(e.Role).Label(), Note: e.Note}
	}
	return out
}

func (h *Handler) a1Page(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	v, err := h.loadA1(r, p)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	h.kit.Render(w, r, 0, "app_student", "Formulari "+v.Form, v, nil)
}

func (h *Handler) saveA1(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	v, err := h.loadA1(r, p)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	in := application.A1Input{StudentID: p.StudentID, Electives: electivesFrom(r), Submit: r.FormValue("veprimi") == "dorezo"}
	if _, err := h.apps.FileA1(r.Context(), p, in); err != nil {
		v.Slots = electiveSlots(v.Year.Config, r.Form["z"])
		h.kit.Render(w, r, 0, "app_student", "Formulari "+v.Form, v, err)
		return
	}
	msg := "Formulari u ruajt. Nuk i shkon shkollës pa e dorëzuar."
	if in.Submit {
		msg = "Formulari " + v.Form + " u dorëzua në shkollë."
	}
	webkit.RedirectOK(w, r, "/formulari", nil, msg)
}

// a1Receipt is the printable receipt of the student's form.
func (h *Handler) a1Receipt(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	v, err := h.loadA1(r, p)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	if v.App == nil || v.App.Status == application.Draft {
		h.kit.Fail(w, r, apperr.New(apperr.NotFound, "Dëshmia jepet pasi të dorëzohet formulari %s.", v.Form))
		return
	}
	v.Printed = h.clock.Now()
	h.kit.Render(w, r, 0, "app_receipt", "Dëshmi e dorëzimit të formularit", v, nil)
}
