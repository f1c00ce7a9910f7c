package web

import (
	"errors"
	"fmt"
	"html/template"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"provim/internal/apperr"
	"provim/internal/application"
	"provim/internal/auth"
	"provim/internal/examyear"
	"provim/internal/pdf"
	"provim/internal/registry"
)

// forms writes a count of forms in Albanian: "1 formular", "3 formularë".
func forms(n int) string {
	if n == 1 {
		return "1 formular"
	}
	return fmt.Sprintf("%d formularë", n)
}

// idsFrom reads the checked boxes named "id".
func idsFrom(r *http.Request) []int64 {
	var out []int64
	for _, v := range r.Form["id"] {
		if id := atoi64(v); id > 0 {
			out = append(out, id)
		}
	}
	return out
}

func selectedSet(ids []int64) map[int64]bool {
	m := map[int64]bool{}
	for _, id := range ids {
		m[id] = true
	}
	return m
}

func schoolQuery(code string) url.Values { return url.Values{"shkolla": {code}} }

// ---- the list of forms ----

type appListView struct {
	School     *registry.School
	Schools    []registry.School // picker for KMSH and AVA
	Filter     application.Filter
	Statuses   []statusOption
	Apps       []application.Application
	Total      int
	Prev, Next int
	Selected   map[int64]bool
	LateReason string
	ShowLate   bool
	Deadline   examyear.Deadline
}

func (s *Server) appsPage(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	s.renderApps(w, r, p, nil, "", nil)
}

func (s *Server) renderApps(w http.ResponseWriter, r *http.Request, p *auth.Principal, selected []int64, lateReason string, actErr error) {
	if err := auth.Require(p, staffRoles...); err != nil {
		s.fail(w, r, err)
		return
	}
	sc, ok, err := s.schoolParam(r, p)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := appListView{Statuses: appStatuses, Selected: selectedSet(selected), LateReason: lateReason, Prev: -1, Next: -1,
		ShowLate: lateAllowed(p, auth.RoleKSHMSH)}
	v.Filter = application.Filter{Status: r.FormValue("gjendja"), Q: r.FormValue("q"),
		Page: registry.Page{Offset: max(0, atoi(r.FormValue("nga"))), Limit: pageSize}}
	if ok {
		v.School, v.Filter.School = &sc, sc.Code
	}
	if p.Role != auth.RoleKSHMSH {
		if v.Schools, err = s.registry.ListSchools(r.Context(), p, registry.SchoolFilter{}); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	if y, err := s.activeYear(r); err == nil {
		v.Deadline = deadlineOf(y, examyear.KeyTableT)
	}
	list, total, err := s.apps.List(r.Context(), p, v.Filter)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v.Apps, v.Total = list, total
	if v.Filter.Page.Offset > 0 {
		v.Prev = max(0, v.Filter.Page.Offset-pageSize)
	}
	if v.Filter.Page.Offset+pageSize < total {
		v.Next = v.Filter.Page.Offset + pageSize
	}
	title := "Formularët e aplikimit"
	if v.School != nil {
		title += " — " + v.School.Name
	}
	s.render(w, r, 0, "app_list", title, v, actErr)
}

func (s *Server) confirmApps(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	ids, late := idsFrom(r), r.FormValue("late_reason")
	sc, ok, err := s.schoolParam(r, p)
	switch {
	case err != nil:
		s.fail(w, r, err)
		return
	case !ok:
		s.renderApps(w, r, p, ids, late, apperr.New(apperr.Invalid, "Zgjidhni shkollën, formularët e së cilës konfirmoni."))
		return
	}
	all := r.FormValue("veprimi") == "te-gjithe"
	if !all && len(ids) == 0 {
		s.renderApps(w, r, p, ids, late, apperr.New(apperr.Invalid, "Zgjidhni të paktën një formular, ose shtypni «Konfirmo të gjithë»."))
		return
	}
	if all {
		ids = nil
	}
	n, err := s.apps.Confirm(r.Context(), p, sc.Code, ids, late)
	if err != nil {
		s.renderApps(w, r, p, ids, late, err)
		return
	}
	msg := forms(n) + " u konfirmuan."
	if n == 1 {
		msg = "1 formular u konfirmua."
	}
	if n == 0 {
		msg = "Nuk kishte formularë të dorëzuar për t’u konfirmuar."
	}
	q := schoolQuery(sc.Code)
	if st := r.FormValue("gjendja"); st != "" {
		q.Set("gjendja", st)
	}
	if t := r.FormValue("q"); t != "" {
		q.Set("q", t)
	}
	redirectOK(w, r, "/aplikimet", q, msg)
}

// ---- a paper form entered by the school ----

type paperStudent struct {
	registry.Student
	Draft bool // the student saved a draft online but did not submit it
}

type paperView struct {
	School     registry.School
	Year       *examyear.Year
	Students   []paperStudent
	Options    []examyear.Subject
	Slots      []string
	StudentID  int64
	LateReason string
	ShowLate   bool
	Deadline   examyear.Deadline
}

func (s *Server) paperFormPage(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	s.renderPaperForm(w, r, p, nil, nil)
}

func (s *Server) renderPaperForm(w http.ResponseWriter, r *http.Request, p *auth.Principal, in *application.A1Input, actErr error) {
	if err := auth.Require(p, staffRoles...); err != nil {
		s.fail(w, r, err)
		return
	}
	sc, ok, err := s.schoolParam(r, p)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !ok {
		s.pickSchool(w, r, p, "Formular në letër: zgjidhni shkollën")
		return
	}
	y, err := s.activeYear(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	students, _, err := s.registry.ListStudents(r.Context(), p, registry.StudentFilter{School: sc.Code, Page: registry.Page{Limit: registry.MaxLimit}})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	apps, _, err := s.apps.List(r.Context(), p, application.Filter{School: sc.Code, Page: registry.Page{Limit: 1000}})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	status := map[int64]string{}
	for _, a := range apps {
		status[a.StudentID] = a.Status
	}
	v := paperView{School: sc, Year: y, Options: y.Config.Electives(), ShowLate: lateAllowed(p, auth.RoleKSHMSH),
		Deadline: deadlineOf(y, examyear.KeyTableT)}
	for _, st := range students {
		if got, has := status[st.ID]; !has || got == application.Draft {
			v.Students = append(v.Students, paperStudent{Student: st, Draft: has})
		}
	}
	v.Slots = electiveSlots(y.Config, nil)
	if in != nil {
		v.StudentID, v.LateReason = in.StudentID, in.LateReason
		v.Slots = electiveSlots(y.Config, r.Form["z"])
	}
	s.render(w, r, 0, "app_new", "Formular në letër — "+sc.Name, v, actErr)
}

func (s *Server) savePaperForm(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	in := application.A1Input{StudentID: atoi64(r.FormValue("student_id")), Electives: electivesFrom(r), Submit: true, LateReason: r.FormValue("late_reason")}
	if in.StudentID == 0 {
		s.renderPaperForm(w, r, p, &in, apperr.New(apperr.Invalid, "Zgjidhni nxënësin, formularin e të cilit hidhni."))
		return
	}
	a, err := s.apps.FileA1(r.Context(), p, in)
	if err != nil {
		s.renderPaperForm(w, r, p, &in, err)
		return
	}
	redirectOK(w, r, "/aplikimet/"+strconv.FormatInt(a.ID, 10), nil, "Formulari në letër i "+a.FullName+" u regjistrua si i dorëzuar.")
}

// importPaperForms enters a file of paper A1/A1z or A2 forms, all or
// nothing; a refused file lists every bad line.
func (s *Server) importPaperForms(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	importer := s.apps.ImportA1
	label := "A1/A1z"
	if r.FormValue("form") == "a2" {
		importer, label = s.apps.ImportA2, "A2"
	}
	file, head, err := r.FormFile("file")
	if err != nil {
		s.renderPaperForm(w, r, p, nil, apperr.New(apperr.Invalid, "Zgjidhni skedarin CSV ose XLSX."))
		return
	}
	defer file.Close()
	n, err := importer(r.Context(), p, head.Filename, file, r.FormValue("late_reason"))
	if ie, ok := errors.AsType[*registry.ImportError](err); ok {
		details := make([]string, len(ie.Rows))
		for i, row := range ie.Rows {
			details[i] = row.String()
		}
		err = &apperr.Error{Code: apperr.Invalid, Message: ie.Error(), Details: details}
	}
	if err != nil {
		s.renderPaperForm(w, r, p, nil, err)
		return
	}
	redirectOK(w, r, "/aplikimet", url.Values{"shkolla": {r.URL.Query().Get("shkolla")}}, fmt.Sprintf("Skedari u ngarkua: %d formularë %s u regjistruan ose u ndryshuan.", n, label))
}

// ---- one form: details, history, correction ----

type appView struct {
	App        application.Application
	Year       *examyear.Year
	Mandatory  []subjectRef
	Electives  []subjectRef
	Documents  []application.Document
	History    []application.Event
	Options    []examyear.Subject
	Slots      []string
	Reason     string
	CanCorrect bool
}

func (s *Server) appPage(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	s.renderApp(w, r, p, nil, "", nil)
}

func (s *Server) renderApp(w http.ResponseWriter, r *http.Request, p *auth.Principal, typed []string, reason string, actErr error) {
	if err := auth.Require(p, staffRoles...); err != nil {
		s.fail(w, r, err)
		return
	}
	id := atoi64(r.PathValue("id"))
	a, err := s.apps.Get(r.Context(), p, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	y, err := s.activeYear(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	h, err := s.apps.History(r.Context(), p, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := appView{App: a, Year: y, Mandatory: mandatoryRefs(y.Config, a.Mandatory), Electives: subjectRefs(y.Config, a.Electives),
		History: h, Options: y.Config.Electives(), Reason: reason, CanCorrect: a.Status != application.Draft && a.Year == y.Year}
	names := map[string]string{}
	for _, d := range application.RequiredDocuments(a.Category, a.Category == application.Neni26) {
		names[d.Key] = d.Name
	}
	for _, k := range a.Documents {
		n := names[k]
		if n == "" {
			n = k
		}
		v.Documents = append(v.Documents, application.Document{Key: k, Name: n})
	}
	v.Slots = electiveSlots(y.Config, a.Electives)
	if typed != nil {
		v.Slots = electiveSlots(y.Config, typed)
	}
	s.render(w, r, 0, "app_view", a.FullName+" — formulari "+a.Form, v, actErr)
}

func (s *Server) correctApp(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	id := atoi64(r.PathValue("id"))
	in := application.CorrectionInput{Electives: electivesFrom(r), Reason: r.FormValue("reason")}
	if _, err := s.apps.Correct(r.Context(), p, id, in); err != nil {
		typed := r.Form["z"]
		if typed == nil {
			typed = []string{}
		}
		s.renderApp(w, r, p, typed, in.Reason, err)
		return
	}
	redirectOK(w, r, "/aplikimet/"+strconv.FormatInt(id, 10), nil, "Korrigjimi u ruajt dhe u shënua në historik.")
}

// ---- table T ----

type tableTView struct {
	T           application.TableT
	Doc         pdf.Table
	Query       template.URL // shkolla=CODE, for the links
	Unconfirmed int
	CanSend     bool
	ShowLate    bool
	LateReason  string
	Deadline    examyear.Deadline
}

// tableT builds table T of the chosen school; ok is false when KMSH or AVA
// has not chosen one yet.
func (s *Server) tableT(r *http.Request, p *auth.Principal) (t application.TableT, ok bool, err error) {
	if err := auth.Require(p, staffRoles...); err != nil {
		return t, false, err
	}
	sc, ok, err := s.schoolParam(r, p)
	if err != nil || !ok {
		return t, ok, err
	}
	t, err = s.apps.TableT(r.Context(), p, sc.Code)
	return t, err == nil, err
}

func (s *Server) tableTPage(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	s.renderTableT(w, r, p, "", nil)
}

func (s *Server) renderTableT(w http.ResponseWriter, r *http.Request, p *auth.Principal, lateReason string, actErr error) {
	t, ok, err := s.tableT(r, p)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !ok {
		s.pickSchool(w, r, p, "Tabela T: zgjidhni shkollën")
		return
	}
	v := tableTView{T: t, Doc: t.Document(s.apps.Now()), Query: template.URL(schoolQuery(t.SchoolCode).Encode()), CanSend: t.Sent == "",
		ShowLate: lateAllowed(p, auth.RoleKSHMSH), LateReason: lateReason}
	if y, err := s.activeYear(r); err == nil {
		v.Deadline = deadlineOf(y, examyear.KeyFormsToKMSH)
	}
	for _, row := range t.Rows {
		if row.Status == application.StatusLabel(application.Submitted) {
			v.Unconfirmed++
		}
	}
	s.render(w, r, 0, "app_tablet", "Tabela T — "+t.SchoolName, v, actErr)
}

// fileName keeps the letters, digits and dashes of a code for a file name.
func fileName(code string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' {
			return r
		}
		return '-'
	}, code)
}

// sendDocument writes a built file as a download.
func sendDocument(w http.ResponseWriter, contentType, name string, body []byte) {
	h := w.Header()
	h.Set("Content-Type", contentType)
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	w.Write(body) // the status is sent: a write error cannot be answered
}

// tableTFile is table T as a download: format "pdf" or "xlsx".
func (s *Server) tableTFile(format string) handler {
	return func(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
		t, ok, err := s.tableT(r, p)
		if err == nil && !ok {
			err = apperr.New(apperr.Invalid, "Zgjidhni shkollën (?shkolla=KODI).")
		}
		if err != nil {
			s.fail(w, r, err)
			return
		}
		body, media, err := encodeDocument(t.Document(s.apps.Now()), format)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		sendDocument(w, media, "tabela-t-"+fileName(t.SchoolCode)+"."+format, body)
	}
}

func (s *Server) sendTableT(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	late := r.FormValue("late_reason")
	sc, ok, err := s.schoolParam(r, p)
	if err == nil && !ok {
		err = apperr.New(apperr.Invalid, "Zgjidhni shkollën.")
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	n, err := s.apps.SendToKMSH(r.Context(), p, sc.Code, late)
	if err != nil {
		s.renderTableT(w, r, p, late, err)
		return
	}
	redirectOK(w, r, "/aplikimet/tabela-t", schoolQuery(sc.Code), "Tabela T dhe "+forms(n)+" u dërguan në KMSH.")
}

// ---- failing students (mbetës, Neni 35) ----

type failingView struct {
	School     registry.School
	Apps       []application.Application
	Selected   map[int64]bool
	ShowLate   bool
	LateReason string
	Opens      examyear.Deadline
	Due        examyear.Deadline
	Failing    int
}

func (s *Server) failingPage(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	s.renderFailing(w, r, p, nil, "", nil)
}

func (s *Server) renderFailing(w http.ResponseWriter, r *http.Request, p *auth.Principal, selected []int64, late string, actErr error) {
	if err := auth.Require(p, staffRoles...); err != nil {
		s.fail(w, r, err)
		return
	}
	sc, ok, err := s.schoolParam(r, p)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !ok {
		s.pickSchool(w, r, p, "Nxënësit mbetës: zgjidhni shkollën")
		return
	}
	list, _, err := s.apps.List(r.Context(), p, application.Filter{School: sc.Code, Category: application.Regular, Page: registry.Page{Limit: 1000}})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := failingView{School: sc, Selected: selectedSet(selected), ShowLate: lateAllowed(p, auth.RoleKSHMSH), LateReason: late}
	for _, a := range list {
		if a.Status != application.Draft {
			v.Apps = append(v.Apps, a)
			if a.Failing {
				v.Failing++
			}
		}
	}
	if y, err := s.activeYear(r); err == nil {
		v.Opens, v.Due = deadlineOf(y, examyear.KeySchoolYearEnd), deadlineOf(y, examyear.KeyFailingToKMSH)
	}
	s.render(w, r, 0, "app_failing", "Nxënësit mbetës — "+sc.Name, v, actErr)
}

func (s *Server) markFailing(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	ids, late := idsFrom(r), r.FormValue("late_reason")
	sc, ok, err := s.schoolParam(r, p)
	if err == nil && !ok {
		err = apperr.New(apperr.Invalid, "Zgjidhni shkollën.")
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if len(ids) == 0 {
		s.renderFailing(w, r, p, ids, late, apperr.New(apperr.Invalid, "Zgjidhni të paktën një nxënës."))
		return
	}
	failing := r.FormValue("veprimi") != "hiq"
	n, err := s.apps.MarkFailing(r.Context(), p, sc.Code, ids, failing, late)
	if err != nil {
		s.renderFailing(w, r, p, ids, late, err)
		return
	}
	msg := fmt.Sprintf("%d nxënës u shënuan mbetës.", n)
	if !failing {
		msg = fmt.Sprintf("%d nxënës u hoqën nga lista e mbetësve.", n)
	}
	redirectOK(w, r, "/aplikimet/mbetes", schoolQuery(sc.Code), msg)
}
