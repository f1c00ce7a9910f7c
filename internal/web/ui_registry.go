package web

import (
	"fmt"
	"net/http"
	"net/url"

	"provim/internal/auth"
	"provim/internal/registry"
)

// ---- schools ----

type schoolsView struct {
	Filter   registry.SchoolFilter
	Schools  []registry.School
	Units    []registry.Unit
	Profiles map[string]string
	CanEdit  bool
}

func canEditSchools(p *auth.Principal) bool { return p.Role == auth.RoleAVA || p.Role == auth.RoleKMSH }

func (s *Server) schoolsPage(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	q := r.URL.Query()
	f := registry.SchoolFilter{Q: q.Get("q"), Unit: q.Get("njesia"), Profile: q.Get("profili")}
	list, err := s.registry.ListSchools(r.Context(), p, f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	units, _ := s.registry.ListUnits(r.Context(), p)
	s.render(w, r, 0, "schools", "Shkollat", schoolsView{Filter: f, Schools: list, Units: units, Profiles: registry.Profiles, CanEdit: canEditSchools(p)}, nil)
}

type schoolView struct {
	School   registry.School
	Units    []registry.Unit
	Profiles map[string]string
	Counts   int
	CanEdit  bool
	New      bool
}

func (s *Server) schoolPage(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	sc, err := s.registry.GetSchool(r.Context(), p, r.PathValue("code"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	_, n, _ := s.registry.ListStudents(r.Context(), p, registry.StudentFilter{School: sc.Code, Page: registry.Page{Limit: 1}})
	units, _ := s.registry.ListUnits(r.Context(), p)
	s.render(w, r, 0, "school", sc.Name, schoolView{School: sc, Units: units, Profiles: registry.Profiles, Counts: n, CanEdit: canEditSchools(p)}, nil)
}

func (s *Server) newSchoolPage(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	units, err := s.registry.ListUnits(r.Context(), p)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	sc := registry.School{Public: true, Profile: "gjimnaz", Years: 4, UnitCode: p.Unit}
	s.render(w, r, 0, "school", "Shkollë e re", schoolView{School: sc, Units: units, Profiles: registry.Profiles, CanEdit: canEditSchools(p), New: true}, nil)
}

func (s *Server) saveSchool(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	in := registry.School{Code: r.FormValue("code"), Name: r.FormValue("name"), UnitCode: r.FormValue("unit_code"), City: r.FormValue("city"),
		Public: r.FormValue("public") == "po", Profile: r.FormValue("profile"), Years: atoi(r.FormValue("years")), Address: r.FormValue("address")}
	if code := r.PathValue("code"); code != "" {
		in.Code = code
	}
	saved, err := s.registry.SaveSchool(r.Context(), p, in)
	if err != nil {
		units, _ := s.registry.ListUnits(r.Context(), p)
		s.render(w, r, 0, "school", "Shkolla", schoolView{School: in, Units: units, Profiles: registry.Profiles, CanEdit: canEditSchools(p), New: r.PathValue("code") == ""}, err)
		return
	}
	http.Redirect(w, r, "/shkollat/"+url.PathEscape(saved.Code)+"?ok="+url.QueryEscape("Shkolla u ruajt."), http.StatusSeeOther)
}

// ---- staff ----

type staffListView struct {
	Filter    registry.StaffFilter
	Staff     []registry.Staff
	Total     int
	Positions map[string]string
	Prev      int
	Next      int
}

func (s *Server) staffPage(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	q := r.URL.Query()
	f := registry.StaffFilter{Q: q.Get("q"), Unit: q.Get("njesia"), School: q.Get("shkolla"), Position: q.Get("pozicioni"),
		Page: registry.Page{Offset: max(0, atoi(q.Get("nga"))), Limit: pageSize}}
	list, total, err := s.registry.ListStaff(r.Context(), p, f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := staffListView{Filter: f, Staff: list, Total: total, Positions: registry.Positions, Prev: -1, Next: -1}
	if f.Page.Offset > 0 {
		v.Prev = max(0, f.Page.Offset-pageSize)
	}
	if f.Page.Offset+pageSize < total {
		v.Next = f.Page.Offset + pageSize
	}
	s.render(w, r, 0, "staff", "Personeli", v, nil)
}

type staffView struct {
	Staff     registry.Staff
	Units     []registry.Unit
	Schools   []registry.School
	Positions map[string]string
	New       bool
}

func (s *Server) staffMemberPage(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	st, err := s.registry.GetStaff(r.Context(), p, atoi64(r.PathValue("id")))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.renderStaff(w, r, p, st, false, nil)
}

func (s *Server) newStaffPage(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	s.renderStaff(w, r, p, registry.Staff{Position: "mesues", UnitCode: p.Unit, SchoolCode: p.School}, true, nil)
}

func (s *Server) renderStaff(w http.ResponseWriter, r *http.Request, p *auth.Principal, st registry.Staff, isNew bool, err error) {
	units, _ := s.registry.ListUnits(r.Context(), p)
	schools, _ := s.registry.ListSchools(r.Context(), p, registry.SchoolFilter{})
	title := st.FirstName + " " + st.LastName
	if isNew {
		title = "Punonjës i ri"
	}
	s.render(w, r, 0, "staff_member", title, staffView{Staff: st, Units: units, Schools: schools, Positions: registry.Positions, New: isNew}, err)
}

func (s *Server) saveStaff(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	if r.PathValue("id") != "" {
		if _, err := pathID(r, "Punonjësi"); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	in := registry.Staff{ID: atoi64(r.PathValue("id")), PersonalNo: r.FormValue("personal_no"), FirstName: r.FormValue("first_name"),
		FatherName: r.FormValue("father_name"), LastName: r.FormValue("last_name"), Sex: r.FormValue("sex"), UnitCode: r.FormValue("unit_code"),
		SchoolCode: r.FormValue("school_code"), Position: r.FormValue("position"), Subjects: r.FormValue("subjects"), Phone: r.FormValue("phone")}
	saved, err := s.registry.SaveStaff(r.Context(), p, in)
	if err != nil {
		s.renderStaff(w, r, p, in, in.ID == 0, err)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/personeli/%d?ok=%s", saved.ID, url.QueryEscape("Të dhënat u ruajtën.")), http.StatusSeeOther)
}

// ---- venues ----

type venuesView struct {
	Venues  []registry.Venue
	CanEdit bool
}

func (s *Server) venuesPage(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	list, err := s.registry.ListVenues(r.Context(), p, r.URL.Query().Get("njesia"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, 0, "venues", "Qendrat e provimit", venuesView{Venues: list, CanEdit: canEditSchools(p)}, nil)
}

type venueView struct {
	Venue   registry.Venue
	Units   []registry.Unit
	Schools []registry.School
	CanEdit bool
	New     bool
}

func (s *Server) venuePage(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	v, err := s.registry.GetVenue(r.Context(), p, r.PathValue("code"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.renderVenue(w, r, p, v, false, nil)
}

func (s *Server) newVenuePage(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	s.renderVenue(w, r, p, registry.Venue{Floors: 1, UnitCode: p.Unit}, true, nil)
}

func (s *Server) renderVenue(w http.ResponseWriter, r *http.Request, p *auth.Principal, v registry.Venue, isNew bool, err error) {
	var units []registry.Unit
	var schools []registry.School
	if canEditSchools(p) {
		units, _ = s.registry.ListUnits(r.Context(), p)
		schools, _ = s.registry.ListSchools(r.Context(), p, registry.SchoolFilter{})
	}
	title := v.Name
	if isNew {
		title = "Qendër e re"
	}
	s.render(w, r, 0, "venue", title, venueView{Venue: v, Units: units, Schools: schools, CanEdit: canEditSchools(p), New: isNew}, err)
}

// saveRoom adds or changes a room (and creates the venue with its first room).
func (s *Server) saveRoom(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	v := registry.Venue{Code: r.FormValue("code"), Name: r.FormValue("name"), UnitCode: r.FormValue("unit_code"), SchoolCode: r.FormValue("school_code"),
		City: r.FormValue("city"), Address: r.FormValue("address"), Floors: atoi(r.FormValue("floors"))}
	if code := r.PathValue("code"); code != "" {
		old, err := s.registry.GetVenue(r.Context(), p, code)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		v = old
		v.Rooms = nil
	}
	room := registry.Room{Name: r.FormValue("room"), Floor: atoi(r.FormValue("floor")), Seats: atoi(r.FormValue("seats")),
		LengthCM: atoi(r.FormValue("length_cm")), WidthCM: atoi(r.FormValue("width_cm"))}
	saved, err := s.registry.SaveRoom(r.Context(), p, v, room)
	if err != nil {
		s.renderVenue(w, r, p, v, r.PathValue("code") == "", err)
		return
	}
	http.Redirect(w, r, "/qendrat/"+url.PathEscape(saved.Code)+"?ok="+url.QueryEscape("Salla u ruajt."), http.StatusSeeOther)
}

// ---- units ----

func (s *Server) unitsPage(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	list, err := s.registry.ListUnits(r.Context(), p)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, 0, "units", "DAR/ZA", list, nil)
}
