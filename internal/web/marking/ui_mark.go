package marking

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"provim/internal/apperr"
	"provim/internal/auth"
	"provim/internal/clock"
	"provim/internal/marking"
	"provim/internal/web/webkit"
)

// The pages of the central flow: the marker's queue and marking form.
// The lead's third markers are in ui_third.go, the marking sheet and the
// paper sheets in ui_paper.go, the progress and the close in ui_close.go.
// Display strings are made here; every check is the service's.

func markPath(exam, page string) string { return "/vleresimi/" + url.PathEscape(exam) + "/" + page }

type queueView struct {
	Exam  string
	Q     marking.Queue
	Next  string // the first code to mark, "" when none
	Lead  bool
	Total int
}

func (h *Handler) queuePage(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	q, err := h.marking.Queue(r.Context(), p, 0, r.PathValue("exam"))
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	v := queueView{Exam: q.Exam, Q: q, Lead: h.marking.MayLeadExam(r.Context(), p, 0, q.Exam), Total: len(q.ToMark) + q.Done}
	if len(q.ToMark) > 0 {
		v.Next = q.ToMark[0].Display
	}
	h.kit.Render(w, r, 0, "marking_mark_queue", "Testet për vlerësim — "+q.Exam, v, nil)
}

// itemRow is one item of the marking form: its input and what it shows.
type itemRow struct {
	No      int
	Label   string
	Choice  bool
	Options string // "A–D"
	Max     int
	Levels  string // "1 pikë: …; 2 pikë: …"
	Value   string // what is in the field
}

type bookletView struct {
	B         marking.MarkBooklet
	Rows      []itemRow
	Signed    string
	Next      string
	Remaining int
	Scans     []webkit.Link // the booklet's scanned pages (ui_scan.go)
}

func (h *Handler) bookletPage(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	h.renderBooklet(w, r, p, nil, nil)
}

// renderBooklet shows the marking form; typed (on an error) are the
// values posted, shown back.
func (h *Handler) renderBooklet(w http.ResponseWriter, r *http.Request, p *auth.Principal, typed []string, actErr error) {
	exam := r.PathValue("exam")
	b, err := h.marking.BookletFor(r.Context(), p, 0, exam, r.PathValue("code"))
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	v := bookletView{B: b, Scans: h.scanImages(r, p, b.Exam, b.Display)}
	for i, it := range b.Items {
		row := itemRow{No: it.No, Label: it.Label, Choice: it.Kind == marking.KindChoice, Max: it.MaxPoints}
		if row.Choice {
			row.Options = fmt.Sprintf("A–%c", 'A'+max(it.Options, 1)-1)
		}
		var ls []string
		for _, l := range it.Levels {
			ls = append(ls, fmt.Sprintf("%s: %s", webkit.Plural(l.Points, "pikë", "pikë"), strings.TrimSuffix(strings.TrimSpace(l.Text), ".")))
		}
		row.Levels = strings.Join(ls, "; ")
		switch {
		case typed != nil && i < len(typed):
			row.Value = typed[i]
		case b.Mine != nil && row.Choice:
			row.Value = b.Mine.Choices[i]
		case b.Mine != nil:
			row.Value = strconv.Itoa(b.Mine.Points[i])
		}
		v.Rows = append(v.Rows, row)
	}
	if b.SubmittedAt != "" {
		v.Signed = clock.Stamp(b.SubmittedAt)
	}
	if q, err := h.marking.Queue(r.Context(), p, 0, exam); err == nil {
		for _, e := range q.ToMark {
			if e.Code != b.Code {
				if v.Next == "" {
					v.Next = e.Display
				}
				v.Remaining++
			}
		}
	}
	h.kit.Render(w, r, 0, "marking_mark_booklet", "Testi "+b.Display, v, actErr)
}

// formMarks reads the marking form: per item, "k<no>" (letters for a
// choice item, points for an open one).
func formMarks(r *http.Request, items []marking.Item) (choices []string, points []int, typed []string, err error) {
	choices, points, typed = make([]string, len(items)), make([]int, len(items)), make([]string, len(items))
	for i, it := range items {
		raw := strings.TrimSpace(r.PostFormValue("k" + strconv.Itoa(it.No)))
		typed[i] = raw
		if it.Kind == marking.KindChoice {
			choices[i] = raw
			continue
		}
		if raw == "" {
			err = apperr.New(apperr.Invalid, "Kërkesa %s: shkruani pikët (0 deri në %d).", it.Label, it.MaxPoints)
			continue
		}
		n, e := strconv.Atoi(raw)
		if e != nil && err == nil {
			err = apperr.New(apperr.Invalid, "Kërkesa %s: «%s» nuk është numër pikësh.", it.Label, raw)
		}
		points[i] = n
	}
	return choices, points, typed, err
}

func (h *Handler) markForm(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	exam, code := r.PathValue("exam"), r.PathValue("code")
	b, err := h.marking.BookletFor(r.Context(), p, 0, exam, code)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	choices, points, typed, err := formMarks(r, b.Items)
	if err == nil {
		var res marking.MarkResult
		res, err = h.marking.Mark(r.Context(), p, 0, exam, code, choices, points)
		if err == nil {
			next := markPath(b.Exam, "radha")
			if r.PostFormValue("tjetri") != "" {
				if q, qerr := h.marking.Queue(r.Context(), p, 0, exam); qerr == nil && len(q.ToMark) > 0 {
					next = markPath(b.Exam, "broshura/"+url.PathEscape(q.ToMark[0].Display))
				}
			}
			webkit.RedirectOK(w, r, next, nil, fmt.Sprintf("Testi %s u vlerësua: %s, nënshkruar më %s.", res.Display, webkit.Plural(res.Total, "pikë", "pikë"), clock.Stamp(res.SubmittedAt)))
			return
		}
	}
	if apperr.CodeOf(err) == apperr.Internal {
		h.kit.Fail(w, r, err)
		return
	}
	h.renderBooklet(w, r, p, typed, err)
}

// failOr shows a refusal on the page it came from, an internal error
// on the error page.
func (h *Handler) failOr(w http.ResponseWriter, r *http.Request, p *auth.Principal, err error, page func(http.ResponseWriter, *http.Request, *auth.Principal, error)) {
	switch apperr.CodeOf(err) {
	case apperr.Invalid, apperr.Conflict:
		page(w, r, p, err)
	default:
		h.kit.Fail(w, r, err)
	}
}
