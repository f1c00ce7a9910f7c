package applications

import (
	"fmt"
	"net/http"

	"provim/internal/apperr"
	"provim/internal/application"
	"provim/internal/auth"
	"provim/internal/examyear"
	"provim/internal/registry"
	"provim/internal/web/webkit"
)

// ---- failing students (mbetës, Neni 35) ----

type failingView struct {
	Window     application.Window // the step's deadline as the viewer sees it (the form is disabled once it has passed)
	School     registry.School
	Apps       []application.Application
	Selected   map[int64]bool
	ShowLate   bool
	LateReason string
	Opens      examyear.Deadline
	Due        examyear.Deadline
	Failing    int
}

func (h *Handler) failingPage(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	h.renderFailing(w, r, p, nil, "", nil)
}

func (h *Handler) renderFailing(w http.ResponseWriter, r *http.Request, p *auth.Principal, selected []int64, late string, actErr error) {
	if err := mayHandleForms(p); err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	sc, ok, err := h.schoolParam(r, p)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	if !ok {
		h.pickSchool(w, r, p, "Nxënësit mbetës: zgjidhni shkollën")
		return
	}
	list, _, err := h.apps.List(r.Context(), p, application.Filter{School: sc.Code, Category: application.Regular, Page: registry.Page{Limit: 1000}})
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	v := failingView{School: sc, Selected: selectedSet(selected), ShowLate: application.LateAllowedOnSchoolStep(p), LateReason: late}
	for _, a := range list {
		if a.Status != application.Draft {
			v.Apps = append(v.Apps, a)
			if a.Failing {
				v.Failing++
			}
		}
	}
	if y, err := h.activeYear(r); err == nil {
		v.Opens, v.Due = deadlineOf(y, examyear.KeySchoolYearEnd), deadlineOf(y, examyear.KeyFailingToKMSH)
	}
	v.Window = h.window(r, p, examyear.KeyFailingToKMSH)
	h.kit.Render(w, r, 0, "app_failing", "Nxënësit mbetës — "+sc.Name, v, actErr)
}

func (h *Handler) markFailing(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	late := r.FormValue("late_reason")
	ids, err := webkit.IDs(r, "id")
	if err != nil {
		h.renderFailing(w, r, p, nil, late, err)
		return
	}
	sc, ok, err := h.schoolParam(r, p)
	if err == nil && !ok {
		err = apperr.New(apperr.Invalid, "Zgjidhni shkollën.")
	}
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	if len(ids) == 0 {
		h.renderFailing(w, r, p, ids, late, apperr.New(apperr.Invalid, "Zgjidhni të paktën një nxënës."))
		return
	}
	failing := r.FormValue("veprimi") != "hiq"
	n, err := h.apps.MarkFailing(r.Context(), p, sc.Code, ids, failing, late)
	if err != nil {
		h.renderFailing(w, r, p, ids, late, err)
		return
	}
	msg := fmt.Sprintf("%d nxënës u shënuan mbetës.", n)
	if !failing {
		msg = fmt.Sprintf("%d nxënës u hoqën nga lista e mbetësve.", n)
	}
	webkit.RedirectOK(w, r, "/aplikimet/mbetes", schoolQuery(sc.Code), msg)
}
