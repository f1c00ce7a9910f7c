package results

import (
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strings"

	"provim/internal/albanian"
	"provim/internal/apperr"
	"provim/internal/auth"
	"provim/internal/doc"
	"provim/internal/results"
	"provim/internal/web/webkit"
)

// pageSize is the rows of a list page.
const pageSize = 50

type listView struct {
	Manage bool
	Year   int
	Exams  []results.ExamState
	List   results.List
	Exam   string
	Search string
	Prev   string
	Next   string
	Query  string // the filter, for the export links
	Reason string // typed back after a refusal
}

// indexPage is the results' home: a candidate's own page, or the list of
// the caller's scope (with AVA's computing and publication).
func (h *Handler) indexPage(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	switch {
	case results.MaySeeOwn(p):
		h.myPage(w, r, p)
	case results.MayList(p):
		h.renderList(w, r, p, nil)
	default:
		h.kit.Fail(w, r, webkit.Allow(p, false))
	}
}

// myPage serves the candidate's page: its content as prepared with the
// page (one primary-key read, page_html.go) inside the layout, or, for a
// page prepared without it, rendered from the page.
func (h *Handler) myPage(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	ready, pg, err := h.results.MyPageHTML(r.Context(), p)
	if err == nil && ready != nil {
		if !h.writePrepared(w, r, p, ready) {
			h.kit.Render(w, r, 0, pagePrepared, pageTitle, template.HTML(ready), nil)
		}
		return
	}
	if apperr.Is(err, apperr.NotFound) {
		h.kit.Render(w, r, 0, "results_me", "Rezultatet e mia", meView{None: apperr.MessageOf(err)}, nil)
		return
	}
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	h.kit.Render(w, r, 0, "results_me", "Rezultatet e mia", meView{Page: pg}, nil)
}

type meView struct {
	Page results.Page
	None string
}

func (h *Handler) renderList(w http.ResponseWriter, r *http.Request, p *auth.Principal, actErr error) {
	q := r.URL.Query()
	page, err := webkit.Int(q.Get("faqja"), "faqja", 1)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	page = max(1, page)
	f := results.Filter{Exam: q.Get("provimi"), Search: q.Get("kerko"), Offset: (page - 1) * pageSize, Limit: pageSize}
	format := q.Get("format")
	if format != "" {
		f.Offset, f.Limit = 0, 500
	}
	l, err := h.results.List(r.Context(), p, f)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	if format != "" {
		if !doc.Known(format) {
			h.kit.Fail(w, r, apperr.New(apperr.Invalid, "Formati «%s» nuk njihet: pdf, xlsx ose csv.", format))
			return
		}
		if err := webkit.SendDocument(w, results.ListTable(l, "Rezultatet e Maturës Shtetërore"), format, fmt.Sprintf("rezultatet-%d", l.Year)); err != nil {
			h.kit.Fail(w, r, err)
		}
		return
	}
	v := listView{Manage: results.MayManage(p), Year: l.Year, List: l, Exam: f.Exam, Search: f.Search, Reason: r.FormValue("arsyeja")}
	keep := url.Values{}
	if f.Exam != "" {
		keep.Set("provimi", f.Exam)
	}
	if f.Search != "" {
		keep.Set("kerko", f.Search)
	}
	v.Query = keep.Encode()
	if page > 1 {
		v.Prev = link(keep, page-1)
	}
	if f.Offset+len(l.Rows) < l.Total {
		v.Next = link(keep, page+1)
	}
	if v.Manage {
		if _, v.Exams, err = h.results.Status(r.Context(), p, 0); err != nil {
			h.kit.Fail(w, r, err)
			return
		}
	}
	h.kit.Render(w, r, 0, "results_list", "Rezultatet", v, actErr)
}

func link(keep url.Values, page int) string {
	q := url.Values{}
	for k, v := range keep {
		q[k] = v
	}
	q.Set("faqja", fmt.Sprint(page))
	return "/rezultatet?" + q.Encode()
}

// failAct renders the list again with a refusal, or the error page for a
// failure of the server.
func (h *Handler) failAct(w http.ResponseWriter, r *http.Request, p *auth.Principal, err error) {
	if apperr.CodeOf(err) == apperr.Internal {
		h.kit.Fail(w, r, err)
		return
	}
	h.renderList(w, r, p, err)
}

func (h *Handler) computeForm(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	res, err := h.results.Compute(r.Context(), p, 0, r.PathValue("exam"))
	if err != nil {
		h.failAct(w, r, p, err)
		return
	}
	webkit.RedirectOK(w, r, "/rezultatet", nil, fmt.Sprintf("U llogaritën rezultatet e provimit %s: %s, %s, %s, %s %s, %s.",
		res.Exam, webkit.Plural(res.Candidates, "kandidat", "kandidatë"), webkit.Plural(res.Passed, "kalues", "kalues"),
		webkit.Plural(res.Failed, "jokalues", "jokalues"), albanian.Int(res.Absent),
		albanian.Agree(res.Absent, "mungon", "mungojnë"), webkit.Plural(res.Voided, "i anuluar", "të anuluar")))
}

func (h *Handler) publishForm(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	res, err := h.results.Publish(r.Context(), p, 0, r.PathValue("exam"), r.FormValue("arsyeja"))
	if err != nil {
		h.failAct(w, r, p, err)
		return
	}
	msg := fmt.Sprintf("U shpallën rezultatet e provimit %s për %s (Neni 57.19).", res.Exam, webkit.Plural(res.Candidates, "kandidat", "kandidatë"))
	if res.Late {
		msg += " Shpallja u shënua e vonuar, me arsyen: " + res.Reason + "."
	}
	webkit.RedirectOK(w, r, "/rezultatet", nil, msg)
}

type session2View struct {
	L      results.Session2List
	Send   bool
	Manage bool
}

func (h *Handler) session2Page(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	h.renderSession2(w, r, p, nil)
}

func (h *Handler) renderSession2(w http.ResponseWriter, r *http.Request, p *auth.Principal, actErr error) {
	l, err := h.results.Session2(r.Context(), p, 0, r.URL.Query().Get("njesia"))
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	if format := r.URL.Query().Get("format"); format != "" {
		if !doc.Known(format) {
			h.kit.Fail(w, r, apperr.New(apperr.Invalid, "Formati «%s» nuk njihet: pdf, xlsx ose csv.", format))
			return
		}
		name := "sesioni-2-" + strings.ToLower(webkit.FileName(l.Unit))
		if err := webkit.SendDocument(w, results.Session2Table(l), format, name); err != nil {
			h.kit.Fail(w, r, err)
		}
		return
	}
	h.kit.Render(w, r, 0, "results_session2", "Sesioni i dytë", session2View{L: l, Send: results.MaySendSession2(p), Manage: results.MayManage(p)}, actErr)
}

func (h *Handler) sendSession2Form(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	if err := r.ParseForm(); err != nil {
		h.kit.Fail(w, r, apperr.New(apperr.Invalid, "Formulari nuk u lexua."))
		return
	}
	// The failing students marked as having passed the autumn school
	// session (Neni 58): one checkbox per such row, by personal number.
	l, err := h.results.SendSession2(r.Context(), p, 0, r.PostForm["vjeshte"])
	if err != nil {
		if apperr.CodeOf(err) == apperr.Internal {
			h.kit.Fail(w, r, err)
			return
		}
		h.renderSession2(w, r, p, err)
		return
	}
	webkit.RedirectOK(w, r, "/rezultatet/sesioni-i-dyte", nil, fmt.Sprintf("Lista e sesionit të dytë me %s u dërgua në AVA (Neni 58).", webkit.Plural(len(l.Rows), "nxënës", "nxënës")))
}
