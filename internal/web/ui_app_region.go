package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"provim/internal/apperr"
	"provim/internal/application"
	"provim/internal/auth"
	"provim/internal/examyear"
	"provim/internal/registry"
)

// ---- the regional commission: schools of the unit ----

type regionSchool struct {
	School    registry.School
	Sent      string
	Verified  string
	Forms     int // forms in table T (submitted and later)
	Submitted int // not yet confirmed by the school
	Confirmed int // confirmed, not yet verified
}

type regionView struct {
	Unit       registry.Unit
	Units      []registry.Unit // AVA picks a unit
	Schools    []regionSchool
	Forms      int
	Sent       int
	Verified   int
	ShowLate   bool
	LateReason string
	ListsDue   examyear.Deadline
	FailingDue examyear.Deadline
}

// unitParam returns the DAR/ZA of the region page: a KMSH's own unit (or a ZA under its DAR), or
// the one AVA chose (?njesia=). ok is false when AVA has not chosen yet.
func (s *Server) unitParam(r *http.Request, p *auth.Principal) (u registry.Unit, units []registry.Unit, ok bool, err error) {
	if err := auth.Require(p, auth.RoleKMSH, auth.RoleAVA); err != nil {
		return u, nil, false, err
	}
	code := strings.TrimSpace(r.FormValue("njesia"))
	if p.Role == auth.RoleKMSH && code == "" {
		code = p.Unit
	}
	// The application service decides (a DAR's commission also acts for
	// the ZA under it).
	if code != "" {
		if err := s.apps.UnitAllowed(r.Context(), p, code); err != nil {
			return u, nil, false, err
		}
	}
	units, err = s.registry.ListUnits(r.Context(), p)
	if err != nil {
		return u, nil, false, err
	}
	if code == "" {
		return u, units, false, nil
	}
	for _, x := range units {
		if x.Code == code {
			return x, units, true, nil
		}
	}
	return u, units, false, apperr.New(apperr.NotFound, "DAR/ZA «%s» nuk u gjet.", code)
}

func (s *Server) regionPage(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	s.renderRegion(w, r, p, "", nil)
}

func (s *Server) renderRegion(w http.ResponseWriter, r *http.Request, p *auth.Principal, late string, actErr error) {
	u, units, ok, err := s.unitParam(r, p)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := regionView{Unit: u, ShowLate: lateAllowed(p, auth.RoleKMSH), LateReason: late}
	if p.Role == auth.RoleAVA {
		v.Units = units
	}
	if y, err := s.activeYear(r); err == nil {
		v.ListsDue, v.FailingDue = deadlineOf(y, examyear.KeyListsToAVA), deadlineOf(y, examyear.KeyFailingToAVA)
	}
	if !ok {
		s.render(w, r, 0, "app_region", "Aplikimet e DAR/ZA", v, actErr)
		return
	}
	schools, err := s.registry.ListSchools(r.Context(), p, registry.SchoolFilter{Unit: u.Code})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	submitted, confirmed := application.StatusLabel(application.Submitted), application.StatusLabel(application.Confirmed)
	for _, sc := range schools {
		t, err := s.apps.TableT(r.Context(), p, sc.Code)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		rs := regionSchool{School: sc, Sent: t.Sent, Verified: t.Verified, Forms: len(t.Rows)}
		for _, row := range t.Rows {
			switch row.Status {
			case submitted:
				rs.Submitted++
			case confirmed:
				rs.Confirmed++
			}
		}
		v.Forms += rs.Forms
		if rs.Sent != "" {
			v.Sent++
		}
		if rs.Verified != "" {
			v.Verified++
		}
		v.Schools = append(v.Schools, rs)
	}
	s.render(w, r, 0, "app_region", "Aplikimet e DAR/ZA — "+u.Name, v, actErr)
}

func unitQuery(code string) url.Values { return url.Values{"njesia": {code}} }

func (s *Server) verifySchool(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	late := r.FormValue("late_reason")
	u, _, ok, err := s.unitParam(r, p)
	if err == nil && !ok {
		err = apperr.New(apperr.Invalid, "Zgjidhni DAR/ZA-në.")
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	school := r.FormValue("shkolla")
	n, err := s.apps.VerifySchool(r.Context(), p, school, late)
	if err != nil {
		s.renderRegion(w, r, p, late, err)
		return
	}
	redirectOK(w, r, "/aplikimet/rajoni", unitQuery(u.Code), fmt.Sprintf("Shkolla %s u verifikua: %s.", school, forms(n)))
}

func (s *Server) sendUnit(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	late := r.FormValue("late_reason")
	u, _, ok, err := s.unitParam(r, p)
	if err == nil && !ok {
		err = apperr.New(apperr.Invalid, "Zgjidhni DAR/ZA-në.")
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	n, err := s.apps.SendUnitToAVA(r.Context(), p, u.Code, late)
	if err != nil {
		s.renderRegion(w, r, p, late, err)
		return
	}
	redirectOK(w, r, "/aplikimet/rajoni", unitQuery(u.Code), "Listat e kandidatëve ("+forms(n)+") u dërguan në AVA.")
}

func (s *Server) sendFailing(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	late := r.FormValue("late_reason")
	u, _, ok, err := s.unitParam(r, p)
	if err == nil && !ok {
		err = apperr.New(apperr.Invalid, "Zgjidhni DAR/ZA-në.")
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	n, err := s.apps.SendFailingToAVA(r.Context(), p, u.Code, late)
	if err != nil {
		s.renderRegion(w, r, p, late, err)
		return
	}
	redirectOK(w, r, "/aplikimet/rajoni", unitQuery(u.Code), fmt.Sprintf("Lista e nxënësve mbetës (%d) u dërgua në AVA.", n))
}

// ---- special categories (Neni 23–27, 33) ----

type categoryOption struct{ Key, Label string }

type specialView struct {
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

func validSpecial(c string) bool {
	for _, o := range specialCategories {
		if o.Key == c {
			return true
		}
	}
	return false
}

func (s *Server) specialPage(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	s.renderSpecial(w, r, p, false, nil)
}

// renderSpecial shows the form for the category of ?kategoria= (or the
// posted one); typed keeps what the user entered.
func (s *Server) renderSpecial(w http.ResponseWriter, r *http.Request, p *auth.Principal, typed bool, actErr error) {
	if err := auth.Require(p, auth.RoleKMSH, auth.RoleAVA); err != nil {
		s.fail(w, r, err)
		return
	}
	y, err := s.activeYear(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	cat := r.FormValue("kategoria")
	if !validSpecial(cat) {
		cat = application.Neni23
	}
	v := specialView{Categories: specialCategories, Category: cat, Options: y.Config.Electives(),
		SetsGrades: application.KMSHSetsGrades(cat), Resit: cat == application.Neni26, ResitFee: y.Config.Fees.ElectiveResit,
		ShowLate: lateAllowed(p, auth.RoleKMSH), Checked: map[string]bool{}, Student: r.FormValue("nxenesi")}
	v.Documents = application.RequiredDocuments(cat, v.Resit)
	v.Deadline = deadlineOf(y, examyear.KeyA1)
	if cat == application.Neni33 {
		v.Deadline = deadlineOf(y, examyear.KeyAbroadA1)
	}
	if v.Schools, err = s.registry.ListSchools(r.Context(), p, registry.SchoolFilter{}); err != nil {
		s.fail(w, r, err)
		return
	}
	if v.Candidates, _, err = s.registry.ListStudents(r.Context(), p, registry.StudentFilter{Category: registry.Kandidat, Page: registry.Page{Limit: registry.MaxLimit}}); err != nil {
		s.fail(w, r, err)
		return
	}
	v.Slots = electiveSlots(y.Config, nil)
	if typed {
		for _, d := range r.Form["doc"] {
			v.Checked[d] = true
		}
		v.SchoolCode, v.Average, v.D1, v.D2 = r.FormValue("school_code"), r.FormValue("average"), r.FormValue("d1"), r.FormValue("d2")
		v.ResitReceipt, v.LateReason = r.FormValue("resit_receipt"), r.FormValue("late_reason")
		v.Slots = electiveSlots(y.Config, r.Form["z"])
	}
	s.render(w, r, 0, "app_special", "Kategoritë e veçanta", v, actErr)
}

// resolveStudent finds a student in the caller's scope by id (digits
// only) or personal number.
func (s *Server) resolveStudent(r *http.Request, p *auth.Principal, text string) (int64, error) {
	text = strings.TrimSpace(text)
	if text == "" {
		return 0, apperr.New(apperr.Invalid, "Shënoni numrin personal ose ID-në e kandidatit.")
	}
	if id, err := strconv.ParseInt(text, 10, 64); err == nil {
		if _, err := s.registry.GetStudent(r.Context(), p, id); err == nil {
			return id, nil
		}
	}
	list, _, err := s.registry.ListStudents(r.Context(), p, registry.StudentFilter{Q: text, Page: registry.Page{Limit: 20}})
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

func (s *Server) saveSpecial(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	if err := auth.Require(p, auth.RoleKMSH, auth.RoleAVA); err != nil {
		s.fail(w, r, err)
		return
	}
	id, err := s.resolveStudent(r, p, r.FormValue("nxenesi"))
	if err != nil {
		s.renderSpecial(w, r, p, true, err)
		return
	}
	avg, _ := strconv.ParseFloat(strings.ReplaceAll(strings.TrimSpace(r.FormValue("average")), ",", "."), 64)
	in := application.SpecialInput{StudentID: id, Category: r.FormValue("kategoria"), SchoolCode: r.FormValue("school_code"),
		Documents: r.Form["doc"], Electives: electivesFrom(r), AverageGrade: avg,
		D1Grade: atoi(strings.TrimSpace(r.FormValue("d1"))), D2Grade: atoi(strings.TrimSpace(r.FormValue("d2"))),
		ResitReceipt: r.FormValue("resit_receipt"), LateReason: r.FormValue("late_reason")}
	a, err := s.apps.RegisterSpecial(r.Context(), p, in)
	if err != nil {
		s.renderSpecial(w, r, p, true, err)
		return
	}
	redirectOK(w, r, "/aplikimet/"+strconv.FormatInt(a.ID, 10), nil,
		a.FullName+" u regjistrua ("+application.CategoryLabel(a.Category)+"); formulari "+a.Form+" është te shkolla "+a.SchoolName+".")
}
