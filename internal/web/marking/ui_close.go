package marking

import (
	"fmt"
	"net/http"

	"provim/internal/auth"
	"provim/internal/clock"
	"provim/internal/marking"
	"provim/internal/web/webkit"
)

// The progress of an exam's marking: the booklets registered, allocated
// to two markers each (Neni 57.13), and the close after which the link
// may be opened (Neni 59.3).

type closeView struct {
	P        marking.Progress
	ClosedAt string
	Manage   bool // may register and close
	Lead     bool
	Ready    bool
}

func (h *Handler) closePage(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	h.renderClose(w, r, p, nil)
}

func (h *Handler) renderClose(w http.ResponseWriter, r *http.Request, p *auth.Principal, actErr error) {
	exam := r.PathValue("exam")
	pr, err := h.marking.Progress(r.Context(), p, 0, exam)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	v := closeView{P: pr, Manage: marking.MayManage(p), Lead: h.marking.MayLeadExam(r.Context(), p, 0, exam),
		Ready: pr.Registered > 0 && pr.Final+pr.Voided == pr.Registered && pr.OpenCases == 0}
	if pr.Closed {
		v.ClosedAt = clock.Stamp(pr.ClosedAt)
	}
	status := 0
	if actErr != nil {
		status = webkit.StatusOf(actErr)
	}
	h.kit.Render(w, r, status, "marking_mark_close", "Ecuria dhe mbyllja — "+pr.Exam, v, actErr)
}

func (h *Handler) closeForm(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	exam := r.PathValue("exam")
	res, err := h.marking.Close(r.Context(), p, 0, exam)
	if err != nil {
		h.failOr(w, r, p, err, h.renderClose)
		return
	}
	webkit.RedirectOK(w, r, markPath(res.Exam, "mbyllja"), nil, fmt.Sprintf("Vlerësimi i provimit %s u mbyll: %s me pikë përfundimtare, %d të anuluara.", res.Exam, webkit.Plural(res.Booklets, "test", "teste"), res.Voided))
}

func (h *Handler) registerForm(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	exam := r.PathValue("exam")
	res, err := h.marking.RegisterBooklets(r.Context(), p, 0, exam)
	if err != nil {
		h.failOr(w, r, p, err, h.renderClose)
		return
	}
	webkit.RedirectOK(w, r, markPath(marking.NormExam(exam), "mbyllja"), nil, fmt.Sprintf("U regjistruan %s nga %s dhe %d teste kalibrimi.", webkit.Plural(res.Booklets, "test", "teste"), webkit.Plural(res.Rooms, "sallë", "salla"), res.Seeded))
}

func (h *Handler) allocateForm(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	exam := r.PathValue("exam")
	res, err := h.marking.Allocate(r.Context(), p, 0, exam)
	if err != nil {
		h.failOr(w, r, p, err, h.renderClose)
		return
	}
	webkit.RedirectOK(w, r, markPath(marking.NormExam(exam), "mbyllja"), nil, fmt.Sprintf("%s iu ndanë %s, dy për secilin test, rastësisht (Neni 57.13).", webkit.Plural(res.Booklets, "test", "teste"), webkit.Plural(res.Markers, "vlerësuesi", "vlerësuesve")))
}
