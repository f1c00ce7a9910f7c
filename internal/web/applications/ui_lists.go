package applications

import (
	"html/template"
	"net/http"
	"net/url"
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
	t := application.FinalListDocument(y, exam.Code, exam.Name, scope, list, h.clock.Now())
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
