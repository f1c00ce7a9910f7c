package web

import (
	"bytes"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"provim/internal/albanian"
	"provim/internal/apperr"
	"provim/internal/application"
	"provim/internal/auth"
	"provim/internal/examyear"
	"provim/internal/pdf"
	"provim/internal/registry"
)

// ---- AVA: national view, registration numbers, final lists ----

type statusCount struct {
	Key, Label string
	N          int
}

type examCount struct {
	Code, Name string
	N          int
}

type avaView struct {
	Year       *examyear.Year
	Counts     []statusCount
	Total      int
	Failing    int
	Units      []registry.Unit
	Summary    *application.FinalSummary
	Exams      []examCount // the summary's lists
	LateReason string
	RegDue     examyear.Deadline
	FailingDue examyear.Deadline
}

func (s *Server) avaAppsPage(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	s.renderAVA(w, r, p, nil, "", nil)
}

func (s *Server) renderAVA(w http.ResponseWriter, r *http.Request, p *auth.Principal, sum *application.FinalSummary, late string, actErr error) {
	if err := auth.Require(p, auth.RoleAVA); err != nil {
		s.fail(w, r, err)
		return
	}
	y, err := s.activeYear(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := avaView{Year: y, Summary: sum, LateReason: late, RegDue: deadlineOf(y, examyear.KeyRegistrationNumbers),
		FailingDue: deadlineOf(y, examyear.KeyFailingToAVA)}
	for _, st := range appStatuses {
		_, n, err := s.apps.List(r.Context(), p, application.Filter{Status: st.Key, Page: registry.Page{Limit: 1}})
		if err != nil {
			s.fail(w, r, err)
			return
		}
		v.Counts = append(v.Counts, statusCount{st.Key, st.Label, n})
		v.Total += n
	}
	if _, v.Failing, err = s.apps.List(r.Context(), p, application.Filter{Failing: true, Page: registry.Page{Limit: 1}}); err != nil {
		s.fail(w, r, err)
		return
	}
	if v.Units, err = s.registry.ListUnits(r.Context(), p); err != nil {
		s.fail(w, r, err)
		return
	}
	if sum != nil {
		for _, e := range examsOf(y.Config) {
			if n := sum.Exams[e.Code]; n > 0 {
				v.Exams = append(v.Exams, examCount{e.Code, e.Name, n})
			}
		}
	}
	s.render(w, r, 0, "app_ava", "Aplikimet — AVA", v, actErr)
}

func (s *Server) assignRegNos(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	late := r.FormValue("late_reason")
	n, err := s.apps.AssignRegistrationNumbers(r.Context(), p, late)
	if err != nil {
		s.renderAVA(w, r, p, nil, late, err)
		return
	}
	msg := fmt.Sprintf("U caktuan %d numra regjistrimi.", n)
	if n == 0 {
		msg = "Nuk kishte formularë të verifikuar e të dërguar pa numër regjistrimi."
	}
	redirectOK(w, r, "/aplikimet/ava", nil, msg)
}

// buildFinalLists shows the summary on the answer page itself: it is not
// stored anywhere else.
func (s *Server) buildFinalLists(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	late := r.FormValue("late_reason")
	sum, err := s.apps.BuildFinalLists(r.Context(), p, late)
	if err != nil {
		s.renderAVA(w, r, p, nil, late, err)
		return
	}
	s.renderAVA(w, r, p, &sum, "", nil)
}

// ---- final lists (Neni 36) ----

// examsOf lists the exams of the year: D1, D2, then the electives.
func examsOf(cfg examyear.Config) []subjectRef {
	out := mandatoryRefs(cfg, []string{examyear.KindD1, examyear.KindD2})
	for _, e := range cfg.Electives() {
		out = append(out, subjectRef{e.Code, e.Name})
	}
	return out
}

type listsView struct {
	Exams   []subjectRef
	Schools []registry.School
	School  string
	Query   template.URL
}

func (s *Server) finalListsIndex(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	if err := auth.Require(p, staffRoles...); err != nil {
		s.fail(w, r, err)
		return
	}
	y, err := s.activeYear(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := listsView{Exams: examsOf(y.Config)}
	sc, ok, err := s.schoolParam(r, p)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if ok {
		v.School, v.Query = sc.Code, template.URL(schoolQuery(sc.Code).Encode())
	}
	if p.Role != auth.RoleKSHMSH {
		if v.Schools, err = s.registry.ListSchools(r.Context(), p, registry.SchoolFilter{}); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	s.render(w, r, 0, "app_lists", "Listat përfundimtare", v, nil)
}

type finalListView struct {
	Exam  subjectRef
	Doc   pdf.Table
	Query template.URL
	Count int
}

func (s *Server) finalListPage(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	if err := auth.Require(p, staffRoles...); err != nil {
		s.fail(w, r, err)
		return
	}
	y, err := s.activeYear(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	code, asPDF := r.PathValue("exam"), false
	if strings.HasSuffix(code, ".pdf") {
		code, asPDF = strings.TrimSuffix(code, ".pdf"), true
	}
	code = strings.ToUpper(code)
	var exam subjectRef
	for _, e := range examsOf(y.Config) {
		if e.Code == code {
			exam = e
		}
	}
	if exam.Code == "" {
		s.fail(w, r, apperr.New(apperr.NotFound, "Provimi «%s» nuk është provim i vitit %d.", code, y.Year))
		return
	}
	sc, ok, err := s.schoolParam(r, p)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	school, scope := "", p.ScopeLabel()
	if ok {
		school, scope = sc.Code, sc.Name+" ("+sc.Code+")"
	}
	list, err := s.apps.FinalList(r.Context(), p, code, school)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	doc := finalListDocument(y, exam, scope, list, s.apps.Now())
	if asPDF {
		var buf bytes.Buffer
		if err := pdf.WriteTable(&buf, doc); err != nil {
			s.fail(w, r, err)
			return
		}
		name := "lista-" + fileName(code)
		if school != "" {
			name += "-" + fileName(school)
		}
		sendDocument(w, "application/pdf", name+".pdf", buf.Bytes())
		return
	}
	v := finalListView{Exam: exam, Doc: doc, Count: len(list)}
	if school != "" {
		v.Query = template.URL(url.Values{"shkolla": {school}}.Encode())
	}
	s.render(w, r, 0, "app_final", doc.Title, v, nil)
}

// finalListDocument is the final name list of one exam as a printable
// table: the one content of the page and of the PDF.
func finalListDocument(y *examyear.Year, exam subjectRef, scope string, list []application.ListEntry, generated time.Time) pdf.Table {
	doc := pdf.Table{
		Title: "Lista përfundimtare — " + exam.Name + " (" + exam.Code + ")",
		Subtitle: []string{
			fmt.Sprintf("Matura Shtetërore %d, viti shkollor %s · Neni 36", y.Year, y.Config.SchoolYear),
			"Fusha: " + scope,
			"Kandidatë: " + strconv.Itoa(len(list)),
		},
		Columns: []pdf.Column{{Title: "Nr.", Width: 0.5, Align: "R"}, {Title: "Nr. regjistrimi", Width: 1.3},
			{Title: "Emri (atësia) mbiemri", Width: 3}, {Title: "Datëlindja", Width: 1.1}, {Title: "Shkolla", Width: 2.6}, {Title: "DAR/ZA", Width: 0.9}},
		Generated: generated,
	}
	for i, e := range list {
		doc.Rows = append(doc.Rows, []string{strconv.Itoa(i + 1), e.RegNo, e.FullName, albanian.DateString(e.BirthDate), e.SchoolName, e.UnitCode})
	}
	return doc
}
