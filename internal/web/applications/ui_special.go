package applications

import (
	"net/http"
	"strconv"
	"strings"

	"provim/internal/apperr"
	"provim/internal/application"
	"provim/internal/auth"
	"provim/internal/examyear"
	"provim/internal/registry"
	"provim/internal/web/webkit"
)

// ---- special categories (Neni 23–27, 33) ----

type categoryOption struct{ Key, Label string }

type specialView struct {
	Window       application.Window // the step's deadline as the viewer sees it (the form is disabled once it has passed)
	Categories   []categoryOption
	Category     string
	Documents    []application.Document
	Checked      map[string]bool
	Student      string // as typed: personal number or id
	Candidates   []registry.Student
	Schools      []registry.School
	SchoolCode   string
	Options      []examyear.Subject
	Slots        []string
	SetsGrades   bool
	Average      string
	Graduation   string // the year secondary school was finished (Neni 23–26, 33)
	D1, D2       string
	Resit        bool
	ResitReceipt string
	ResitFee     int
	ShowLate     bool
	LateReason   string
	Deadline     examyear.Deadline
}

var specialCategories = func() []categoryOption {
	var out []categoryOption
	for _, c := range application.Categories {
		// Final-year students and candidates with a certificate file
		// their own form (A1, A1z); the KMSH registers the others.
		if c != application.Regular && c != application.Kandidat {
			out = append(out, categoryOption{c, application.CategoryLabel(c)})
		}
	}
	return out
}()

// specialCategory reads ?kategoria= (or the posted one): absent is the
// first special category, Neni 23.
func specialCategory(raw string) (string, error) {
	if raw == "" {
		return application.Neni23, nil
	}
	for _, o := range specialCategories {
		if o.Key == raw {
			return raw, nil
		}
	}
	return "", apperr.New(apperr.Invalid, "Kategoria «%s» nuk është kategori e veçantë.", raw)
}

func (h *Handler) specialPage(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	h.renderSpecial(w, r, p, false, nil)
}

// renderSpecial shows the form for the category of ?kategoria= (or the
// posted one); typed keeps what the user entered.
func (h *Handler) renderSpecial(w http.ResponseWriter, r *http.Request, p *auth.Principal, typed bool, actErr error) {
	if err := webkit.Allow(p, application.MayRegisterSpecial(p)); err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	y, err := h.activeYear(r)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	cat, err := specialCategory(r.FormValue("kategoria"))
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	v := specialView{Categories: specialCategories, Category: cat, Options: y.Config.Electives(),
		SetsGrades: application.KMSHSetsGrades(cat), Resit: cat == application.Neni26, ResitFee: y.Config.Fees.ElectiveResit,
		ShowLate: application.LateAllowedOnRegionStep(p), Checked: map[string]bool{}, Student: r.FormValue("nxenesi")}
	v.Documents = application.RequiredDocuments(cat, v.Resit)
	v.Deadline = deadlineOf(y, examyear.KeyA1)
	if cat == application.Neni33 {
		v.Deadline = deadlineOf(y, examyear.KeyAbroadA1)
	}
	if v.Schools, err = h.registry.ListSchools(r.Context(), p, registry.SchoolFilter{}); err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	if v.Candidates, _, err = h.registry.ListStudents(r.Context(), p, registry.StudentFilter{Category: registry.Kandidat, Page: registry.Page{Limit: registry.MaxLimit}}); err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	v.Slots = electiveSlots(y.Config, nil)
	if typed {
		for _, d := range r.Form["doc"] {
			v.Checked[d] = true
		}
		v.SchoolCode, v.Average, v.D1, v.D2 = r.FormValue("school_code"), r.FormValue("average"), r.FormValue("d1"), r.FormValue("d2")
		v.Graduation = r.FormValue("graduation_year")
		v.ResitReceipt, v.LateReason = r.FormValue("resit_receipt"), r.FormValue("late_reason")
		v.Slots = electiveSlots(y.Config, r.Form["z"])
	}
	if v.Window, err = h.apps.SpecialWindow(r.Context(), p, cat); err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	h.kit.Render(w, r, 0, "app_special", "Kategoritë e veçanta", v, actErr)
}

// resolveStudent finds a student in the caller's scope by id (digits
// only) or personal number.
func (h *Handler) resolveStudent(r *http.Request, p *auth.Principal, text string) (int64, error) {
	text = strings.TrimSpace(text)
	if text == "" {
		return 0, apperr.New(apperr.Invalid, "Shënoni numrin personal ose ID-në e kandidatit.")
	}
	if id, err := strconv.ParseInt(text, 10, 64); err == nil {
		if _, err := h.registry.GetStudent(r.Context(), p, id); err == nil {
			return id, nil
		}
	}
	list, _, err := h.registry.ListStudents(r.Context(), p, registry.StudentFilter{Q: text, Page: registry.Page{Limit: 20}})
	if err != nil {
		return 0, err
	}
	for _, st := range list {
		if strings.EqualFold(st.PersonalNo, text) {
			return st.ID, nil
		}
	}
	return 0, apperr.New(apperr.Invalid, "Kandidati «%s» nuk u gjet në fushën tuaj: regjistrojeni më parë te «Nxënësit» (kategoria kandidat).", text)
}

// specialInput reads the registration form of a special category.
func specialInput(r *http.Request, id int64) (application.SpecialInput, error) {
	f := webkit.Form(r)
	in := application.SpecialInput{StudentID: id, Category: r.FormValue("kategoria"), SchoolCode: r.FormValue("school_code"),
		Documents: r.Form["doc"], Electives: electivesFrom(r), AverageGrade: f.Decimal("average"),
		D1Grade: f.Int("d1"), D2Grade: f.Int("d2"), GraduationYear: f.Int("graduation_year"),
		ResitReceipt: r.FormValue("resit_receipt"), LateReason: r.FormValue("late_reason")}
	return in, f.Err()
}

func (h *Handler) saveSpecial(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	if err := webkit.Allow(p, application.MayRegisterSpecial(p)); err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	id, err := h.resolveStudent(r, p, r.FormValue("nxenesi"))
	if err != nil {
		h.renderSpecial(w, r, p, true, err)
		return
	}
	in, err := specialInput(r, id)
	var a application.Application
	if err == nil {
		a, err = h.apps.RegisterSpecial(r.Context(), p, in)
	}
	if err != nil {
		h.renderSpecial(w, r, p, true, err)
		return
	}
	webkit.RedirectOK(w, r, "/aplikimet/"+strconv.FormatInt(a.ID, 10), nil,
		a.FullName+" u regjistrua ("+application.CategoryLabel(a.Category)+"); formulari "+a.Form+" është te shkolla "+a.SchoolName+".")
}
