package registry

import (
	"net/http"
	"net/url"

	"provim/internal/auth"
	"provim/internal/registry"
	"provim/internal/web/webkit"
)

type venuesView struct {
	Venues  []registry.Venue
	Filter  registry.VenueFilter
	Total   int
	Prev    int
	Next    int
	CanEdit bool
}

// venuesPage lists the venues page by page (428 in the country), found by
// code, name or city (ignoring case and ë/ç), with the filters in the
// address.
func (h *Handler) venuesPage(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	q := r.URL.Query()
	offset, err := webkit.Offset(q.Get("nga"), "nga")
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	f := registry.VenueFilter{Q: q.Get("q"), Unit: q.Get("njesia"), Page: registry.Page{Offset: offset, Limit: pageSize}}
	list, total, err := h.registry.ListVenuesPage(r.Context(), p, f)
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	v := venuesView{Venues: list, Filter: f, Total: total, CanEdit: registry.MayEditSchools(p)}
	v.Prev, v.Next = pager(offset, total)
	h.kit.Render(w, r, 0, "venues", "Qendrat e provimit", v, nil)
}

type venueView struct {
	Venue   registry.Venue
	Units   []registry.Unit
	Schools []registry.School
	CanEdit bool
	New     bool
}

func (h *Handler) venuePage(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	v, err := h.registry.GetVenue(r.Context(), p, r.PathValue("code"))
	if err != nil {
		h.kit.Fail(w, r, err)
		return
	}
	h.renderVenue(w, r, p, v, false, nil)
}

func (h *Handler) newVenuePage(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	h.renderVenue(w, r, p, registry.Venue{Floors: 1, UnitCode: p.Unit}, true, nil)
}

func (h *Handler) renderVenue(w http.ResponseWriter, r *http.Request, p *auth.Principal, v registry.Venue, isNew bool, err error) {
	var units []registry.Unit
	var schools []registry.School
	canEdit := registry.MayEditSchools(p)
	if canEdit {
		units, _ = h.registry.ListUnits(r.Context(), p)
		schools, _ = h.registry.ListSchools(r.Context(), p, registry.SchoolFilter{})
	}
	title := v.Name
	if isNew {
		title = "Qendër e re"
	}
	h.kit.Render(w, r, 0, "venue", title, venueView{Venue: v, Units: units, Schools: schools, CanEdit: canEdit, New: isNew}, err)
}

// saveRoom adds or changes a room (and creates the venue with its first room).
func (h *Handler) saveRoom(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	f := webkit.Form(r)
	v := registry.Venue{Code: r.FormValue("code"), Name: r.FormValue("name"), UnitCode: r.FormValue("unit_code"), SchoolCode: r.FormValue("school_code"),
		City: r.FormValue("city"), Address: r.FormValue("address"), Floors: f.Int("floors")}
	if code := r.PathValue("code"); code != "" {
		old, err := h.registry.GetVenue(r.Context(), p, code)
		if err != nil {
			h.kit.Fail(w, r, err)
			return
		}
		v = old
		v.Rooms = nil
	}
	room := registry.Room{Name: r.FormValue("room"), Floor: f.Int("floor"), Seats: f.Int("seats"),
		LengthCM: f.Int("length_cm"), WidthCM: f.Int("width_cm")}
	err := f.Err()
	var saved registry.Venue
	if err == nil {
		saved, err = h.registry.SaveRoom(r.Context(), p, v, room)
	}
	if err != nil {
		h.renderVenue(w, r, p, v, r.PathValue("code") == "", err)
		return
	}
	webkit.RedirectOK(w, r, "/qendrat/"+url.PathEscape(saved.Code), nil, "Salla u ruajt.")
}
