package registry

import (
	"net/http"

	"provim/internal/auth"
	"provim/internal/registry"
	"provim/internal/web/webkit"
)

// apiVenues lists the venues in the caller's scope with the total: all of
// them, or one page when ?limit= or ?offset= is given (limit 1–1000);
// ?q= finds code, name or city, ignoring case and ë/ç.
func (h *Handler) apiVenues(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	offset, limit, err := webkit.Page(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	f := registry.VenueFilter{Q: q.Get("q"), Unit: q.Get("unit"), Page: registry.Page{Offset: offset, Limit: limit}}
	if q.Get("limit") == "" && q.Get("offset") == "" {
		f.Page.Limit = registry.MaxLimit
		list, total, err := h.registry.ListVenuesPage(r.Context(), p, f)
		for err == nil && len(list) < total {
			f.Page.Offset = len(list)
			var more []registry.Venue
			more, _, err = h.registry.ListVenuesPage(r.Context(), p, f)
			if len(more) == 0 {
				break
			}
			list = append(list, more...)
		}
		if err != nil {
			return err
		}
		webkit.WriteJSON(w, http.StatusOK, map[string]any{"items": webkit.NonNil(list), "total": total, "offset": 0})
		return nil
	}
	list, total, err := h.registry.ListVenuesPage(r.Context(), p, f)
	if err != nil {
		return err
	}
	webkit.WriteJSON(w, http.StatusOK, map[string]any{"items": webkit.NonNil(list), "total": total, "offset": max(offset, 0)})
	return nil
}

func (h *Handler) apiVenue(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	v, err := h.registry.GetVenue(r.Context(), p, r.PathValue("code"))
	if err != nil {
		return err
	}
	webkit.WriteJSON(w, http.StatusOK, v)
	return nil
}

// apiSaveRoom creates or updates one room; the body carries the venue's
// fields too, so the first room creates the venue.
func (h *Handler) apiSaveRoom(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	var in struct {
		Venue registry.Venue `json:"venue"`
		Room  registry.Room  `json:"room"`
	}
	if err := webkit.Decode(r, &in); err != nil {
		return err
	}
	in.Venue.Code = r.PathValue("code")
	in.Room.Name = r.PathValue("room")
	if old, err := h.registry.GetVenue(r.Context(), p, in.Venue.Code); err == nil && in.Venue.Name == "" {
		old.Rooms = nil
		in.Venue = old
	}
	v, created, err := h.registry.UpsertRoom(r.Context(), p, in.Venue, in.Room)
	if err != nil {
		return err
	}
	webkit.WriteJSON(w, webkit.SavedStatus(created), v)
	return nil
}
