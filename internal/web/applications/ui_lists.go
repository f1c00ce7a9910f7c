package applications

import (
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"provim/internal/apperr"
	"provim/internal/application"
	"provim/internal/auth"
	"provim/internal/doc"
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
	// The page of the list: Total entries match Q (in School, if any),
	// Offset of them come before the page; Prev, Next and Last are the
	// cursors (faqja) of the pages around and of the last ("": none),
	// First says there is a first page to go back to.
	Total, Offset    int
	Prev, Next, Last string
	First            bool
	Q, School        string
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
	code, format := r.PathValue("exam"), ""
	for _, f := range []string{doc.PDF, doc.XLSX} {
		if strings.HasSuffix(code, "."+f) {
			code, format = strings.TrimSuffix(code, "."+f), f
		}
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
	school, scope := "", h.kit.ScopeOf(r.Context(), p)
	if ok {
		school, scope = sc.Code, sc.Name+" ("+sc.Code+")"
	}
	if format != "" {
		// The whole list, to print (PDF) or to work with (XLSX).
		list, err := h.apps.FinalList(r.Context(), p, code, school)
		if err != nil {
			h.kit.Fail(w, r, err)
			return
		}
		t := application.FinalListDocument(y, exam.Code, exam.Name, scope, list, h.clock.Now())
		name := "lista-" + webkit.FileName(code)
		if school != "" {
			name += "-" + webkit.FileName(school)
		}
		if err := webkit.SendDocument(w, t, format, name); err != nil {
			h.kit.Fail(w, r, err)
		}
		return
	}
	// The page shows one page of the list (issue 11, part B: D1 has
	// 34,070 rows), found by name or number, with the filters and the
	// page's cursor (faqja) in the address; ?nga= (an offset) of old
	// links still works.
	offset, err := webkit.Offset(r.URL.Query().Get("nga"), "nga")
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	search, cursor := r.URL.Query().Get("q"), r.URL.Query().Get("faqja")
	pg, err := h.apps.FinalListKeyset(r.Context(), p, application.FinalFilter{Exam: code, School: school, Q: search, Cursor: cursor,
		Page: registry.Page{Offset: offset, Limit: finalPageSize}})
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	list, total := pg.Items, pg.Total
	t := application.FinalListDocument(y, exam.Code, exam.Name, scope, list, h.clock.Now())
	for i := range t.Rows {
		t.Rows[i][0] = strconv.Itoa(pg.Offset + i + 1)
	}
	for i, line := range t.Subtitle {
		if strings.HasPrefix(line, "Kandidatë: ") {
			t.Subtitle[i] = "Kandidatë: " + strconv.Itoa(total)
		}
	}
	v := finalListView{Exam: exam, Doc: t, Count: len(list), Total: total, Offset: pg.Offset, Q: search, School: school,
		Prev: pg.Prev, Next: pg.Next}
	v.First = pg.Offset > 0
	if pg.Next != "" {
		v.Last = application.LastPage
	}
	if school != "" {
		v.Query = template.URL(url.Values{"shkolla": {school}}.Encode())
	}
	h.kit.Render(w, r, 0, "app_final", t.Title, v, nil)
}

// finalPageSize is the rows of one page of a final list.
const finalPageSize = 100
