package venues

import (
	"fmt"
	"net/http"

	"provim/internal/auth"
	"provim/internal/doc"
	"provim/internal/venue"
	"provim/internal/web/webkit"
)

func (h *Handler) apiSummary(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	session, err := webkit.ExamSession(r.URL.Query().Get("session"))
	if err != nil {
		return err
	}
	sum, err := h.venues.Summary(r.Context(), p, r.PathValue("exam"), session, r.URL.Query().Get("unit"))
	if err != nil {
		return err
	}
	webkit.WriteJSON(w, http.StatusOK, sum)
	return nil
}

func (h *Handler) apiPlan(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	var in struct {
		Session int    `json:"session"`
		Unit    string `json:"unit"`
	}
	if err := webkit.DecodeOptional(r, &in); err != nil {
		return err
	}
	session, err := webkit.CheckExamSession(in.Session)
	if err != nil {
		return err
	}
	res, err := h.venues.Plan(r.Context(), p, r.PathValue("exam"), session, in.Unit)
	if err != nil {
		return err
	}
	webkit.WriteJSON(w, http.StatusOK, res)
	return nil
}

func (h *Handler) apiOverride(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	var in struct {
		venue.OverrideInput
		Session int `json:"session"`
		// DryRun answers what the move would do (what it makes stale, the
		// notices) and changes nothing.
		DryRun bool `json:"dry_run"`
	}
	if err := webkit.Decode(r, &in); err != nil {
		return err
	}
	session, err := webkit.CheckExamSession(in.Session)
	if err != nil {
		return err
	}
	move := h.venues.Move
	if in.DryRun {
		move = h.venues.PreviewMove
	}
	res, err := move(r.Context(), p, r.PathValue("exam"), session, in.OverrideInput)
	if err != nil {
		return err
	}
	webkit.WriteJSON(w, http.StatusOK, res)
	return nil
}

func (h *Handler) apiRoomList(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	session, err := webkit.ExamSession(r.URL.Query().Get("session"))
	if err != nil {
		return err
	}
	room, err := webkit.PathID(r, "room", "Salla")
	if err != nil {
		return err
	}
	l, err := h.venues.RoomList(r.Context(), p, r.PathValue("exam"), session, room)
	if err != nil {
		return err
	}
	return webkit.Respond(w, r, l, func() doc.Table { return l.Document(h.clock.Now()) }, fmt.Sprintf("lista-%s-%s-salla-%d", l.Exam, l.Venue.Code, l.Room.ID))
}
