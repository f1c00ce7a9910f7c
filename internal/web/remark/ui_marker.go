package remark

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"provim/internal/apperr"
	"provim/internal/auth"
	"provim/internal/marking"
	"provim/internal/remark"
	"provim/internal/web/webkit"
)

// The re-marker's form: the booklet by code, the test's items, the
// marker's own marks (Neni 64 ¶3, as Neni 57.3–57.4, 57.10).

type itemRow struct {
	No      int
	Label   string
	Choice  bool
	Options string
	Max     int
	Value   string
}

type bookletView struct {
	B     remark.Booklet
	Rows  []itemRow
	Pages []webkit.Link
}

func (h *Handler) bookletPage(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	h.renderBooklet(w, r, p, nil, nil)
}

func (h *Handler) renderBooklet(w http.ResponseWriter, r *http.Request, p *auth.Principal, typed []string, actErr error) {
	b, err := h.remark.BookletFor(r.Context(), p, 0, r.PathValue("exam"), r.PathValue("code"))
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	v := bookletView{B: b}
	for i, it := range b.Items {
		row := itemRow{No: it.No, Label: it.Label, Choice: it.Kind == marking.KindChoice, Max: it.MaxPoints}
		if row.Choice {
			row.Options = fmt.Sprintf("A–%c", 'A'+max(it.Options, 1)-1)
		}
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
	for i := 1; i <= b.ScanPages; i++ {
		v.Pages = append(v.Pages, webkit.Link{Href: examPath(b.Exam, fmt.Sprintf("test/%s/faqe/%d", b.Display, i)), Label: fmt.Sprintf("Faqja %d", i)})
	}
	h.kit.Render(w, r, 0, "remark_booklet", "Rivlerësimi i testit "+b.Display, v, actErr)
}

func (h *Handler) markForm(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	exam, code := r.PathValue("exam"), r.PathValue("code")
	b, err := h.remark.BookletFor(r.Context(), p, 0, exam, code)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	choices, points, typed := make([]string, len(b.Items)), make([]int, len(b.Items)), make([]string, len(b.Items))
	for i, it := range b.Items {
		raw := strings.TrimSpace(r.PostFormValue("k" + strconv.Itoa(it.No)))
		typed[i] = raw
		if it.Kind == marking.KindChoice {
			choices[i] = raw
			continue
		}
		n, e := strconv.Atoi(raw)
		if e != nil && err == nil {
			err = apperr.New(apperr.Invalid, "Kërkesa %s: «%s» nuk është numër pikësh (0 deri në %d).", it.Label, raw, it.MaxPoints)
		}
		points[i] = n
	}
	if err == nil {
		var res remark.MarkResult
		if res, err = h.remark.Mark(r.Context(), p, 0, exam, code, choices, points); err == nil {
			webkit.RedirectOK(w, r, "/rivleresimi", nil, fmt.Sprintf("Testi %s u rivlerësua: %s.", res.Display, webkit.Plural(res.Total, "pikë", "pikë")))
			return
		}
	}
	if apperr.CodeOf(err) == apperr.Internal {
		h.kit.Fail(w, r, err)
		return
	}
	h.renderBooklet(w, r, p, typed, err)
}

func (h *Handler) bookletScan(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	n, err := pageNo(r)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	ct, data, err := h.remark.ScanPageFor(r.Context(), p, 0, r.PathValue("exam"), r.PathValue("code"), n)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	sendScan(w, ct, data)
}
