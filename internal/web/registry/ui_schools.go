package registry

import (
	"net/http"
	"net/url"

	"provim/internal/auth"
	"provim/internal/examyear"
	"provim/internal/registry"
	"provim/internal/venue"
	"provim/internal/web/webkit"
)

type schoolsView struct {
	Filter   registry.SchoolFilter
	Schools  []registry.School
	Units    []registry.Unit
	Profiles map[string]string
	CanEdit  bool
}

func (h *Handler) schoolsPage(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	q := r.URL.Query()
	f := registry.SchoolFilter{Q: q.Get("q"), Unit: q.Get("njesia"), Profile: q.Get("profili")}
	list, err := h.registry.ListSchools(r.Context(), p, f)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	units, _ := h.registry.ListUnits(r.Context(), p)
	h.kit.Render(w, r, 0, "schools", "Shkollat", schoolsView{Filter: f, Schools: list, Units: units, Profiles: registry.Profiles,
		CanEdit: registry.MayEditSchools(p)}, nil)
}

type schoolView struct {
	School   registry.School
	Units    []registry.Unit
	Profiles map[string]string
	Counts   int
	CanEdit  bool
	New      bool
	// Notices are the exams whose venue notices the caller downloads
	// (Neni 12.9): code and name.
	Notices [][2]string
}

func (h *Handler) schoolPage(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	sc, err := h.registry.GetSchool(r.Context(), p, r.PathValue("code"))
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	_, n, _ := h.registry.ListStudents(r.Context(), p, registry.StudentFilter{School: sc.Code, Page: registry.Page{Limit: 1}})
	units, _ := h.registry.ListUnits(r.Context(), p)
	v := schoolView{School: sc, Units: units, Profiles: registry.Profiles, Counts: n, CanEdit: registry.MayEditSchools(p)}
	if venue.MayListSchoolSeats(p) || registry.MayEditSchools(p) {
		if y, err := h.years.Active(r.Context()); err == nil {
			for _, code := range []string{examyear.KindD1, examyear.KindD2} {
				if name, ok := y.Config.ExamName(code); ok {
					v.Notices = append(v.Notices, [2]string{code, name})
				}
			}
			for _, e := range y.Config.Electives() {
				v.Notices = append(v.Notices, [2]string{e.Code, e.Name})
			}
		}
	}
	h.kit.Render(w, r, 0, "school", sc.Name, v, nil)
}

func (h *Handler) newSchoolPage(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	units, err := h.registry.ListUnits(r.Context(), p)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	sc := registry.School{Public: true, Profile: "gjimnaz", Years: 4, UnitCode: p.Unit}
	h.kit.Render(w, r, 0, "school", "Shkollë e re", schoolView{School: sc, Units: units, Profiles: registry.Profiles,
		CanEdit: registry.MayEditSchools(p), New: true}, nil)
}

func (h *Handler) saveSchool(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	years, err := webkit.Int(r.FormValue("years"), "years", 0)
	in := registry.School{Code: r.FormValue("code"), Name: r.FormValue("name"), UnitCode: r.FormValue("unit_code"), City: r.FormValue("city"),
		Public: r.FormValue("public") == "po", Profile: r.FormValue("profile"), Years: years, Address: r.FormValue("address")}
	if code := r.PathValue("code"); code != "" {
		in.Code = code
	}
	var saved registry.School
	if err == nil {
		saved, err = h.registry.SaveSchool(r.Context(), p, in)
	}
	if err != nil {
		units, _ := h.registry.ListUnits(r.Context(), p)
		h.kit.Render(w, r, 0, "school", "Shkolla", schoolView{School: in, Units: units, Profiles: registry.Profiles,
			CanEdit: registry.MayEditSchools(p), New: r.PathValue("code") == ""}, err)
		return
	}
	webkit.RedirectOK(w, r, "/shkollat/"+url.PathEscape(saved.Code), nil, "Shkolla u ruajt.")
}

// unitsPage lists the DAR/ZA.
func (h *Handler) unitsPage(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	list, err := h.registry.ListUnits(r.Context(), p)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	h.kit.Render(w, r, 0, "units", "DAR/ZA", list, nil)
}
