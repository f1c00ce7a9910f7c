package venues

import (
	"fmt"
	"net/http"

	"provim/internal/auth"
	"provim/internal/doc"
	"provim/internal/venue"
	"provim/internal/web/webkit"
)

func (h *Handler) apiInspections(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	list, err := h.venues.Inspections(r.Context(), p, r.URL.Query().Get("unit"))
	if err != nil {
		return err
	}
	webkit.WriteJSON(w, http.StatusOK, map[string]any{"items": webkit.NonNil(list), "criteria": venue.Criteria})
	return nil
}

func (h *Handler) apiInspection(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	v, err := h.venues.Inspection(r.Context(), p, r.PathValue("code"))
	if err != nil {
		return err
	}
	webkit.WriteJSON(w, http.StatusOK, v)
	return nil
}

func (h *Handler) apiInspect(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	var in venue.InspectionInput
	if err := webkit.Decode(r, &in); err != nil {
		return err
	}
	v, err := h.venues.Inspect(r.Context(), p, r.PathValue("code"), in)
	if err != nil {
		return err
	}
	webkit.WriteJSON(w, http.StatusOK, v)
	return nil
}

func (h *Handler) apiVenueList(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	l, err := h.venues.VenueList(r.Context(), p, r.PathValue("code"))
	if err != nil {
		return err
	}
	l.Venues = webkit.NonNil(l.Venues)
	return webkit.Respond(w, r, l, func() doc.Table { return l.Document(h.clock.Now()) }, fmt.Sprintf("mjediset-%s-%d", l.UnitCode, l.Year))
}

func (h *Handler) apiSendList(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	var in struct {
		Reason string `json:"reason"`
	}
	if err := webkit.DecodeOptional(r, &in); err != nil {
		return err
	}
	st, err := h.venues.SendList(r.Context(), p, r.PathValue("code"), in.Reason)
	if err != nil {
		return err
	}
	webkit.WriteJSON(w, http.StatusOK, st)
	return nil
}
