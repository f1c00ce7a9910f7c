package account

import (
	"net/http"

	"provim/internal/apperr"
	"provim/internal/auth"
	"provim/internal/examyear"
	"provim/internal/nextstep"
	"provim/internal/registry"
)

type dashboardView struct {
	Counts registry.Counts
	Year   *examyear.Year
	// Next is the caller's "what now" (package nextstep): the steps due,
	// a student's exams, a venue's rooms, draws and materials, and the
	// year's calendar in date order.
	Next nextstep.Dashboard
}

func (h *Handler) dashboard(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	c, err := h.registry.Count(r.Context(), p)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	v := dashboardView{Counts: c}
	y, err := h.years.Active(r.Context())
	switch {
	case err == nil:
		v.Year = y
	case !apperr.Is(err, apperr.NotFound):
		h.kit.Fail(w, r, err)
		return
	}
	if v.Next, err = h.next.For(r.Context(), p); err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	h.kit.Render(w, r, 0, "dashboard", "Paneli", v, nil)
}
