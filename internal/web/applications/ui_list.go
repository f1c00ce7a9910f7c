package applications

import (
	"net/http"

	"provim/internal/apperr"
	"provim/internal/application"
	"provim/internal/auth"
	"provim/internal/examyear"
	"provim/internal/registry"
	"provim/internal/web/webkit"
)

// ---- the list of forms ----

type appListView struct {
	Window        application.Window // the step's deadline as the viewer sees it (the form is disabled once it has passed)
	School        *registry.School
	Unit          string            // the school's DAR/ZA by name
	Schools       []registry.School // picker for KMSH and AVA
	ChoosesSchool bool
	Filter        application.Filter
	Statuses      []statusOption
	Apps          []application.Application
	Total         int
	Prev, Next    int
	Selected      map[int64]bool
	LateReason    string
	ShowLate      bool
	Deadline      examyear.Deadline
	Subjects      map[string]string // the year's subjects by code: the electives are shown by name
}

func (h *Handler) appsPage(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	h.renderApps(w, r, p, nil, "", nil)
}

func (h *Handler) renderApps(w http.ResponseWriter, r *http.Request, p *auth.Principal, selected []int64, lateReason string, actErr error) {
	if err := mayHandleForms(p); err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	sc, ok, err := h.schoolParam(r, p)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	offset, err := webkit.Offset(r.FormValue("nga"), "nga")
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	v := appListView{Statuses: appStatuses, Selected: selectedSet(selected), LateReason: lateReason, Prev: -1, Next: -1,
		ShowLate: application.LateAllowedOnSchoolStep(p), ChoosesSchool: application.ChoosesSchool(p)}
	v.Filter = application.Filter{Status: r.FormValue("gjendja"), Q: r.FormValue("q"),
		Page: registry.Page{Offset: offset, Limit: pageSize}}
	if ok {
		v.School, v.Filter.School = &sc, sc.Code
		if v.Unit, err = h.registry.UnitName(r.Context(), sc.UnitCode); err != nil {
			h.kit.Fail(w, r, err)
			return
		}
	}
	if v.ChoosesSchool {
		if v.Schools, err = h.registry.ListSchools(r.Context(), p, registry.SchoolFilter{}); err != nil {
			h.kit.Fail(w, r, err)
			return
		}
	}
	if y, err := h.activeYear(r); err == nil {
		v.Deadline = deadlineOf(y, examyear.KeyTableT)
		v.Subjects = map[string]string{}
		for _, s := range y.Config.Subjects {
			v.Subjects[s.Code] = s.Name
		}
	}
	list, total, err := h.apps.List(r.Context(), p, v.Filter)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	v.Apps, v.Total = list, total
	if offset > 0 {
		v.Prev = max(0, offset-pageSize)
	}
	if offset+pageSize < total {
		v.Next = offset + pageSize
	}
	title := "Formularët e aplikimit"
	if v.School != nil {
		title += " — " + v.School.Name
	}
	v.Window = h.window(r, p, examyear.KeyTableT)
	h.kit.Render(w, r, 0, "app_list", title, v, actErr)
}

func (h *Handler) confirmApps(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	late := r.FormValue("late_reason")
	ids, err := webkit.IDs(r, "id")
	if err != nil {
		h.renderApps(w, r, p, nil, late, err)
		return
	}
	sc, ok, err := h.schoolParam(r, p)
	switch {
	case err != nil:
		h.kit.Fail(w, r, err)
		return
	case !ok:
		h.renderApps(w, r, p, ids, late, apperr.New(apperr.Invalid, "Zgjidhni shkollën, formularët e së cilës konfirmoni."))
		return
	}
	all := r.FormValue("veprimi") == "te-gjithe"
	if !all && len(ids) == 0 {
		h.renderApps(w, r, p, ids, late, apperr.New(apperr.Invalid, "Zgjidhni të paktën një formular, ose shtypni «Konfirmo të gjithë»."))
		return
	}
	if all {
		ids = nil
	}
	n, err := h.apps.Confirm(r.Context(), p, sc.Code, ids, late)
	if err != nil {
		h.renderApps(w, r, p, ids, late, err)
		return
	}
	msg := forms(n) + " u konfirmuan."
	if n == 1 {
		msg = "1 formular u konfirmua."
	}
	if n == 0 {
		msg = "Nuk kishte formularë të dorëzuar për t’u konfirmuar."
	}
	q := schoolQuery(sc.Code)
	if st := r.FormValue("gjendja"); st != "" {
		q.Set("gjendja", st)
	}
	if t := r.FormValue("q"); t != "" {
		q.Set("q", t)
	}
	webkit.RedirectOK(w, r, "/aplikimet", q, msg)
}
