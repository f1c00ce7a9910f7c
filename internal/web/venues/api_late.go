package venues

import (
	"net/http"

	"provim/internal/auth"
	"provim/internal/venue"
	"provim/internal/web/webkit"
)

// apiRoomSeats changes a room's seats after the inspection (Neni 41 ¶2).
func (h *Handler) apiRoomSeats(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	var in venue.RoomSeatsInput
	if err := webkit.Decode(r, &in); err != nil {
		return err
	}
	v, err := h.venues.SetRoomSeats(r.Context(), p, r.PathValue("code"), in)
	if err != nil {
		return err
	}
	webkit.WriteJSON(w, http.StatusOK, v)
	return nil
}

// apiNotices lists the caller's notices of the plan's changes.
func (h *Handler) apiNotices(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	if err := webkit.Allow(p, venue.MayReceiveNotices(p)); err != nil {
		return err
	}
	list, err := h.venues.NoticesFor(r.Context(), p)
	if err != nil {
		return err
	}
	webkit.Items(w, list)
	return nil
}

// apiReadNotice marks one of the caller's notices read.
func (h *Handler) apiReadNotice(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	id, err := webkit.PathID(r, "id", "Njoftimi")
	if err != nil {
		return err
	}
	n, err := h.venues.MarkNoticeRead(r.Context(), p, id)
	if err != nil {
		return err
	}
	webkit.WriteJSON(w, http.StatusOK, n)
	return nil
}
