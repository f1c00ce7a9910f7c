package registry

import (
	"net/http"

	"provim/internal/auth"
	"provim/internal/registry"
	"provim/internal/web/webkit"
)

func (h *Handler) apiVenues(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	list, err := h.registry.ListVenues(r.Context(), p, r.URL.Query().Get("unit"))
	if err != nil {
		return err
	}
	webkit.Items(w, list)
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
