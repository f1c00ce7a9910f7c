package web

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
)

// ---- form A1 (the student) ----

type a1View struct {
	Student   registry.Student
	Year      *examyear.Year
	Deadline  examyear.Deadline
	App       *application.Application
	Mandatory []subjectRef
	Electives []subjectRef
	History   []application.Event
	Options   []examyear.Subject // the year's electives
	Slots     []string           // the choice of each select box Z1…ZN
	Form      string             // A1, or A1z for a candidate with a maturity certificate
	Candidate bool               // holds a maturity certificate (Neni 2.4, 22 ¶1)
	CanEdit   bool
	Note      string // why the form cannot be changed here
	Printed   time.Time
}

// loadA1 gathers the student's record, the active year and their form.
func (s *Server) loadA1(r *http.Request, p *auth.Principal) (a1View, error) {
	var v a1View
	if err := auth.Require(p, auth.RoleStudent); err != nil {
		return v, err
	}
	st, err := s.registry.GetStudent(r.Context(), p, p.StudentID)
	if err != nil {
		return v, err
	}
	y, err := s.activeYear(r)
	if err != nil {
		return v, err
	}
	v.Student, v.Year, v.Deadline, v.Options = st, y, deadlineOf(y, examyear.KeyA1), y.Config.Electives()
	a, err := s.apps.ForStudent(r.Context(), p, p.StudentID)
	switch {
	case err == nil:
		v.App = &a
		v.Mandatory, v.Electives = mandatoryRefs(y.Config, a.Mandatory), subjectRefs(y.Config, a.Electives)
		if v.History, err = s.apps.History(r.Context(), p, a.ID); err != nil {
			return v, err
		}
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
	return v, nil
}

func (s *Server) a1Page(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	v, err := s.loadA1(r, p)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, 0, "app_student", "Formulari "+v.Form, v, nil)
}

func (s *Server) saveA1(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	v, err := s.loadA1(r, p)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	in := application.A1Input{StudentID: p.StudentID, Electives: electivesFrom(r), Submit: r.FormValue("veprimi") == "dorezo"}
	if _, err := s.apps.FileA1(r.Context(), p, in); err != nil {
		v.Slots = electiveSlots(v.Year.Config, r.Form["z"])
		s.render(w, r, 0, "app_student", "Formulari "+v.Form, v, err)
		return
	}
	msg := "Drafti u ruajt. Formulari nuk i shkon shkollës pa e dorëzuar."
	if in.Submit {
		msg = "Formulari " + v.Form + " u dorëzua në shkollë."
	}
	redirectOK(w, r, "/formulari", nil, msg)
}

// a1Receipt is the printable receipt of the student's form.
func (s *Server) a1Receipt(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	v, err := s.loadA1(r, p)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if v.App == nil || v.App.Status == application.Draft {
		s.fail(w, r, apperr.New(apperr.NotFound, "Dëshmia jepet pasi të dorëzohet formulari %s.", v.Form))
		return
	}
	v.Printed = s.apps.Now()
	s.render(w, r, 0, "app_receipt", "Dëshmi e dorëzimit të formularit", v, nil)
}

// ---- form A2 (the student) ----

type programmeGroup struct {
	Institution string
	Programmes  []application.Programme
}

type a2View struct {
	Student  registry.Student
	Year     *examyear.Year
	Deadline examyear.Deadline
	App      *application.Application
	A2       *application.A2
	Ranked   []application.Programme // the saved A2's programmes, in order
	Groups   []programmeGroup
	Slots    []string // the programme of each select box 1…MaxProgrammes
	Receipt  application.Receipt
	Amount   string // the amount as typed
	CanFile  bool
	Note     string
}

func (s *Server) loadA2(r *http.Request, p *auth.Principal) (a2View, error) {
	var v a2View
	if err := auth.Require(p, auth.RoleStudent); err != nil {
		return v, err
	}
	st, err := s.registry.GetStudent(r.Context(), p, p.StudentID)
	if err != nil {
		return v, err
	}
	y, err := s.activeYear(r)
	if err != nil {
		return v, err
	}
	v.Student, v.Year, v.Deadline = st, y, deadlineOf(y, examyear.KeyA2)
	progs, err := s.apps.Programmes(r.Context(), p)
	if err != nil {
		return v, err
	}
	byCode := map[string]application.Programme{}
	for _, pr := range progs {
		byCode[pr.Code] = pr
		if n := len(v.Groups); n == 0 || v.Groups[n-1].Institution != pr.Institution {
			v.Groups = append(v.Groups, programmeGroup{Institution: pr.Institution})
		}
		g := &v.Groups[len(v.Groups)-1]
		g.Programmes = append(g.Programmes, pr)
	}
	a, err := s.apps.ForStudent(r.Context(), p, p.StudentID)
	switch {
	case err == nil:
		v.App = &a
	case !apperr.Is(err, apperr.NotFound):
		return v, err
	}
	if v.App != nil {
		f, err := s.apps.GetA2(r.Context(), p, p.StudentID)
		switch {
		case err == nil:
			v.A2, v.Receipt = &f, f.Receipt
			for _, c := range f.Programmes {
				pr, ok := byCode[c]
				if !ok {
					pr = application.Programme{Code: c, Name: c}
				}
				v.Ranked = append(v.Ranked, pr)
			}
		case !apperr.Is(err, apperr.NotFound):
			return v, err
		}
	}
	switch {
	case v.App == nil || v.App.Status == application.Draft:
		v.Note = "Formulari A2 plotësohet pasi të jetë dorëzuar formulari A1."
	case len(progs) == 0:
		v.Note = "Katalogu i programeve të studimit nuk është publikuar ende."
	default:
		v.CanFile = true
	}
	var chosen []string
	if v.A2 != nil {
		chosen = v.A2.Programmes
	}
	v.Slots = programmeSlots(y.Config, chosen)
	if v.Receipt.Amount == 0 {
		v.Receipt.Amount = y.Config.Fees.A2
	}
	v.Amount = strconv.Itoa(v.Receipt.Amount)
	return v, nil
}

func programmeSlots(cfg examyear.Config, chosen []string) []string {
	out := make([]string, max(cfg.MaxProgrammes, len(chosen)))
	copy(out, chosen)
	return out
}

func (s *Server) a2Page(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	v, err := s.loadA2(r, p)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, 0, "app_a2", "Formulari A2", v, nil)
}

func (s *Server) saveA2(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	v, err := s.loadA2(r, p)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var codes []string
	for _, c := range r.Form["program"] {
		if c = strings.TrimSpace(c); c != "" {
			codes = append(codes, c)
		}
	}
	amount, err := application.ParseAmount(r.FormValue("amount"))
	in := application.A2Input{StudentID: p.StudentID, Programmes: codes,
		Receipt: application.Receipt{Number: r.FormValue("receipt_no"), Date: r.FormValue("receipt_date"), Amount: amount}}
	if err == nil {
		_, err = s.apps.FileA2(r.Context(), p, in)
	}
	if err != nil {
		v.Slots = programmeSlots(v.Year.Config, r.Form["program"])
		v.Receipt, v.Amount = in.Receipt, r.FormValue("amount")
		s.render(w, r, 0, "app_a2", "Formulari A2", v, err)
		return
	}
	redirectOK(w, r, "/formulari/a2", nil, "Formulari A2 u ruajt.")
}
