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

// ---- the regional commission: schools of the unit ----

type regionSchool struct {
	School    registry.School
	Sent      string
	Verified  string
	Forms     int // forms in table T (submitted and later)
	Submitted int // not yet confirmed by the school
	Confirmed int // confirmed, not yet verified
}

type regionView struct {
	// ListsWindow and FailingWindow are the deadlines of the two forms to AVA as the viewer sees them.
	ListsWindow, FailingWindow application.Window
	Unit                       registry.Unit
	Units                      []registry.Unit // AVA picks a unit
	Schools                    []regionSchool
	Forms                      int
	Sent                       int
	Verified                   int
	ShowLate                   bool
	LateReason                 string
	ListsDue                   examyear.Deadline
	FailingDue                 examyear.Deadline
}

func (h *Handler) regionPage(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	h.renderRegion(w, r, p, "", nil)
}

func (h *Handler) renderRegion(w http.ResponseWriter, r *http.Request, p *auth.Principal, late string, actErr error) {
	u, units, ok, err := h.unitParam(r, p)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	v := regionView{Unit: u, ShowLate: application.LateAllowedOnRegionStep(p), LateReason: late}
	if p.IsNational() {
		v.Units = units
	}
	v.ListsWindow, v.FailingWindow = h.window(r, p, examyear.KeyListsToAVA), h.window(r, p, examyear.KeyFailingToAVA)
	if y, err := h.activeYear(r); err == nil {
		v.ListsDue, v.FailingDue = deadlineOf(y, examyear.KeyListsToAVA), deadlineOf(y, examyear.KeyFailingToAVA)
	}
	if !ok {
		h.kit.Render(w, r, 0, "app_region", "Aplikimet e DAR/ZA", v, actErr)
		return
	}
	schools, err := h.registry.ListSchools(r.Context(), p, registry.SchoolFilter{Unit: u.Code})
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	submitted, confirmed := application.StatusLabel(application.Submitted), application.StatusLabel(application.Confirmed)
	for _, sc := range schools {
		t, err := h.apps.TableT(r.Context(), p, sc.Code)
		if err != nil {
			h.kit.Fail(w, r, err)
			return
		}
		rs := regionSchool{School: sc, Sent: t.Sent, Verified: t.Verified, Forms: len(t.Rows)}
		for _, row := range t.Rows {
			switch row.Status {
			case submitted:
				rs.Submitted++
			case confirmed:
				rs.Confirmed++
			}
		}
		v.Forms += rs.Forms
		if rs.Sent != "" {
			v.Sent++
		}
		if rs.Verified != "" {
			v.Verified++
		}
		v.Schools = append(v.Schools, rs)
	}
	h.kit.Render(w, r, 0, "app_region", "Aplikimet e DAR/ZA — "+u.Name, v, actErr)
}

// chosenUnit is the unit of a region action; it must be chosen.
func (h *Handler) chosenUnit(r *http.Request, p *auth.Principal) (registry.Unit, error) {
	u, _, ok, err := h.unitParam(r, p)
	if err == nil && !ok {
		err = apperr.New(apperr.Invalid, "Zgjidhni DAR/ZA-në.")
	}
	return u, err
}

func (h *Handler) verifySchool(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	late := r.FormValue("late_reason")
	u, err := h.chosenUnit(r, p)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	school := r.FormValue("shkolla")
	n, err := h.apps.VerifySchool(r.Context(), p, school, late)
	if err != nil {
		h.renderRegion(w, r, p, late, err)
		return
	}
	webkit.RedirectOK(w, r, "/aplikimet/rajoni", unitQuery(u.Code), fmt.Sprintf("Shkolla %s u verifikua: %s.", school, forms(n)))
}

func (h *Handler) sendUnit(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	late := r.FormValue("late_reason")
	u, err := h.chosenUnit(r, p)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	n, err := h.apps.SendUnitToAVA(r.Context(), p, u.Code, late)
	if err != nil {
		h.renderRegion(w, r, p, late, err)
		return
	}
	webkit.RedirectOK(w, r, "/aplikimet/rajoni", unitQuery(u.Code), "Listat e kandidatëve ("+forms(n)+") u dërguan në AVA.")
}

func (h *Handler) sendFailing(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	late := r.FormValue("late_reason")
	u, err := h.chosenUnit(r, p)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	n, err := h.apps.SendFailingToAVA(r.Context(), p, u.Code, late)
	if err != nil {
		h.renderRegion(w, r, p, late, err)
		return
	}
	webkit.RedirectOK(w, r, "/aplikimet/rajoni", unitQuery(u.Code), fmt.Sprintf("Lista e nxënësve mbetës (%d) u dërgua në AVA.", n))
}
