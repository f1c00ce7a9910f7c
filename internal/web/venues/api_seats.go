package venues

import (
	"net/http"

	"provim/internal/auth"
	"provim/internal/web/webkit"
)

func (h *Handler) apiStudentSeats(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	id, err := webkit.ID(r, "Nxënësi")
	if err != nil {
		return err
	}
	seats, err := h.venues.StudentSeats(r.Context(), p, id)
	if err != nil {
		return err
	}
	webkit.WriteJSON(w, http.StatusOK, map[string]any{"items": webkit.NonNil(seats)})
	return nil
}

func (h *Handler) apiSchoolSeats(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	session, err := webkit.ExamSession(r.URL.Query().Get("session"))
	if err != nil {
		return err
	}
	list, err := h.venues.SchoolSeats(r.Context(), p, r.PathValue("code"), r.PathValue("exam"), session)
	if err != nil {
		return err
	}
	webkit.WriteJSON(w, http.StatusOK, map[string]any{"items": webkit.NonNil(list)})
	return nil
}
