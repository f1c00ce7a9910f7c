package applications

import (
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
	"provim/internal/doc"
	"provim/internal/examyear"
	"provim/internal/registry"
	"provim/internal/web/webkit"
)

// ---- final lists (Neni 36) ----

type listsView struct {
	Exams   []subjectRef
	Schools []registry.School
	School  string
	Query   template.URL
}

func (h *Handler) finalListsIndex(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	if err := mayHandleForms(p); err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	y, err := h.activeYear(r)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	v := listsView{Exams: examsOf(y.Config)}
	sc, ok, err := h.schoolParam(r, p)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	if ok {
		v.School, v.Query = sc.Code, template.URL(schoolQuery(sc.Code).Encode())
	}
	if application.ChoosesSchool(p) {
		if v.Schools, err = h.registry.ListSchools(r.Context(), p, registry.SchoolFilter{}); err != nil {
			h.kit.Fail(w, r, err)
			return
		}
	}
	h.kit.Render(w, r, 0, "app_lists", "Listat përfundimtare", v, nil)
}

type finalListView struct {
	Exam  subjectRef
	Doc   doc.Table
	Query template.URL
	Count int
}

func (h *Handler) finalListPage(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	if err := mayHandleForms(p); err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	y, err := h.activeYear(r)
	if err != nil {
		h.kit.Fail(w, r, err)
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
		h.kit.Fail(w, r, apperr.New(apperr.NotFound, "Provimi «%s» nuk është provim i vitit %d.", code, y.Year))
		return
	}
	sc, ok, err := h.schoolParam(r, p)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	school, scope := "", p.ScopeLabel()
	if ok {
		school, scope = sc.Code, sc.Name+" ("+sc.Code+")"
	}
	list, err := h.apps.FinalList(r.Context(), p, code, school)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	t := finalListDocument(y, exam, scope, list, h.clock.Now())
	if asPDF {
		name := "lista-" + webkit.FileName(code)
		if school != "" {
			name += "-" + webkit.FileName(school)
		}
		if err := webkit.SendDocument(w, t, doc.PDF, name); err != nil {
			h.kit.Fail(w, r, err)
		}
		return
	}
	v := finalListView{Exam: exam, Doc: t, Count: len(list)}
	if school != "" {
		v.Query = template.URL(url.Values{"shkolla": {school}}.Encode())
	}
	h.kit.Render(w, r, 0, "app_final", t.Title, v, nil)
}

// finalListDocument is the final name list of one exam as a printable
// table: the one content of the page and of the PDF.
func finalListDocument(y *examyear.Year, exam subjectRef, scope string, list []application.ListEntry, generated time.Time) doc.Table {
	t := doc.Table{
		Title: "Lista përfundimtare — " + exam.Name + " (" + exam.Code + ")",
		Subtitle: []string{
			fmt.Sprintf("Matura Shtetërore %d, viti shkollor %s · Neni 36", y.Year, y.Config.SchoolYear),
			"Fusha: " + scope,
			"Kandidatë: " + strconv.Itoa(len(list)),
		},
		Columns: []doc.Column{{Title: "Nr.", Width: 0.5, Align: "R"}, {Title: "Nr. regjistrimi", Width: 1.3},
			{Title: "Emri (atësia) mbiemri", Width: 3}, {Title: "Datëlindja", Width: 1.1}, {Title: "Shkolla", Width: 2.6}, {Title: "DAR/ZA", Width: 0.9}},
		Generated: generated,
	}
	for i, e := range list {
		t.Rows = append(t.Rows, []string{strconv.Itoa(i + 1), e.RegNo, e.FullName, albanian.DateString(e.BirthDate), e.SchoolName, e.UnitCode})
	}
	return t
}
