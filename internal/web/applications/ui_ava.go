package applications

import (
	"fmt"
	"net/http"

	"provim/internal/application"
	"provim/internal/auth"
	"provim/internal/examyear"
	"provim/internal/registry"
	"provim/internal/web/webkit"
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
	RegWindow  application.Window // the registration numbers' deadline as AVA sees it
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

func (h *Handler) avaAppsPage(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	h.renderAVA(w, r, p, nil, "", nil)
}

func (h *Handler) renderAVA(w http.ResponseWriter, r *http.Request, p *auth.Principal, sum *application.FinalSummary, late string, actErr error) {
	if err := webkit.Allow(p, application.AtNationalDesk(p)); err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	y, err := h.activeYear(r)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	v := avaView{Year: y, Summary: sum, LateReason: late, RegDue: deadlineOf(y, examyear.KeyRegistrationNumbers),
		FailingDue: deadlineOf(y, examyear.KeyFailingToAVA)}
	for _, st := range appStatuses {
		_, n, err := h.apps.List(r.Context(), p, application.Filter{Status: st.Key, Page: registry.Page{Limit: 1}})
		if err != nil {
			h.kit.Fail(w, r, err)
			return
		}
		v.Counts = append(v.Counts, statusCount{st.Key, st.Label, n})
		v.Total += n
	}
	if _, v.Failing, err = h.apps.List(r.Context(), p, application.Filter{Failing: true, Page: registry.Page{Limit: 1}}); err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	if v.Units, err = h.registry.ListUnits(r.Context(), p); err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	if sum != nil {
		for _, e := range examsOf(y.Config) {
			if n := sum.Exams[e.Code]; n > 0 {
				v.Exams = append(v.Exams, examCount{e.Code, e.Name, n})
			}
		}
	}
	v.RegWindow = h.window(r, p, examyear.KeyRegistrationNumbers)
	h.kit.Render(w, r, 0, "app_ava", "Aplikimet — AVA", v, actErr)
}

func (h *Handler) assignRegNos(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	late := r.FormValue("late_reason")
	n, err := h.apps.AssignRegistrationNumbers(r.Context(), p, late)
	if err != nil {
		h.renderAVA(w, r, p, nil, late, err)
		return
	}
	msg := fmt.Sprintf("U caktuan %d numra regjistrimi.", n)
	if n == 0 {
		msg = "Nuk kishte formularë të verifikuar e të dërguar pa numër regjistrimi."
	}
	webkit.RedirectOK(w, r, "/aplikimet/ava", nil, msg)
}
