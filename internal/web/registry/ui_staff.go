package registry

import (
	"fmt"
	"net/http"

	"provim/internal/auth"
	"provim/internal/registry"
	"provim/internal/web/webkit"
)

type staffListView struct {
	Filter    registry.StaffFilter
	Staff     []registry.Staff
	Total     int
	Positions map[string]string
	Prev      int
	Next      int
}

func (h *Handler) staffPage(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	q := r.URL.Query()
	offset, err := webkit.Offset(q.Get("nga"), "nga")
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	f := registry.StaffFilter{Q: q.Get("q"), Unit: q.Get("njesia"), School: q.Get("shkolla"), Position: q.Get("pozicioni"),
		Page: registry.Page{Offset: offset, Limit: pageSize}}
	list, total, err := h.registry.ListStaff(r.Context(), p, f)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	v := staffListView{Filter: f, Staff: list, Total: total, Positions: registry.Positions}
	v.Prev, v.Next = pager(offset, total)
	h.kit.Render(w, r, 0, "staff", "Personeli", v, nil)
}

type staffView struct {
	Staff     registry.Staff
	Units     []registry.Unit
	Schools   []registry.School
	Positions map[string]string
	New       bool
}

func (h *Handler) staffMemberPage(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	id, err := webkit.ID(r, "Punonjësi")
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	st, err := h.registry.GetStaff(r.Context(), p, id)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	h.renderStaff(w, r, p, st, false, nil)
}

func (h *Handler) newStaffPage(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	h.renderStaff(w, r, p, registry.Staff{Position: "mesues", UnitCode: p.Unit, SchoolCode: p.School}, true, nil)
}

func (h *Handler) renderStaff(w http.ResponseWriter, r *http.Request, p *auth.Principal, st registry.Staff, isNew bool, err error) {
	units, _ := h.registry.ListUnits(r.Context(), p)
	schools, _ := h.registry.ListSchools(r.Context(), p, registry.SchoolFilter{})
	title := registry.PersonName(st.FirstName, "", st.LastName)
	if isNew {
		title = "Punonjës i ri"
	}
	h.kit.Render(w, r, 0, "staff_member", title, staffView{Staff: st, Units: units, Schools: schools, Positions: registry.Positions, New: isNew}, err)
}

func (h *Handler) saveStaff(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	var id int64
	if r.PathValue("id") != "" {
		var err error
		if id, err = webkit.ID(r, "Punonjësi"); err != nil {
			h.kit.Fail(w, r, err)
			return
		}
	}
	in := registry.Staff{ID: id, PersonalNo: r.FormValue("personal_no"), FirstName: r.FormValue("first_name"),
		FatherName: r.FormValue("father_name"), LastName: r.FormValue("last_name"), Sex: r.FormValue("sex"), UnitCode: r.FormValue("unit_code"),
		SchoolCode: r.FormValue("school_code"), Position: r.FormValue("position"), Subjects: r.FormValue("subjects"), Phone: r.FormValue("phone")}
	saved, err := h.registry.SaveStaff(r.Context(), p, in)
	if err != nil {
		h.renderStaff(w, r, p, in, in.ID == 0, err)
		return
	}
	webkit.RedirectOK(w, r, fmt.Sprintf("/personeli/%d", saved.ID), nil, "Të dhënat u ruajtën.")
}
