package remark

import (
	"fmt"
	"net/http"

	"provim/internal/auth"
	"provim/internal/remark"
	"provim/internal/web/webkit"
)

// The candidate's test copy: the request, its status, and the scanned
// pages once AVA answered with them (served to that candidate only, never
// cached).

func (h *Handler) copyForm(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	c, err := h.remark.RequestCopy(r.Context(), p, 0, r.PathValue("exam"))
	h.back(w, r, p, "/rivleresimi", fmt.Sprintf("Kërkesa për të parë testin e provimit %s u dërgua te AVA.", c.Exam), err)
}

type copyView struct {
	C     remark.Copy
	Pages []webkit.Link
}

func (h *Handler) copyPage(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	c, err := h.remark.CopyFor(r.Context(), p, 0, r.PathValue("exam"))
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	v := copyView{C: c}
	for i := 1; i <= c.ScanPages; i++ {
		v.Pages = append(v.Pages, webkit.Link{Href: examPath(c.Exam, fmt.Sprintf("kopja/faqe/%d", i)), Label: fmt.Sprintf("Faqja %d", i)})
	}
	w.Header().Set("Cache-Control", "private, no-store")
	h.kit.Render(w, r, 0, "remark_copy", "Testi im — "+c.Exam, v, nil)
}

func (h *Handler) copyScan(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	n, err := pageNo(r)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	ct, data, err := h.remark.CopyScanPage(r.Context(), p, 0, r.PathValue("exam"), n)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	sendScan(w, ct, data)
}
