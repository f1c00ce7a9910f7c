package web

import (
	"fmt"
	"net/http"
	"strconv"

	"provim/internal/apperr"
	"provim/internal/auth"
	"provim/internal/pdf"
	"provim/internal/venue"
)

// venueService is package venue's service over the server's database, on
// the application clock (which Server.SetToday moves).
func (s *Server) venueService() *venue.Service {
	v := venue.NewService(s.db)
	v.SetClock(s.apps.Now)
	return v
}

// apiVenuesRoutes are the JSON endpoints of package venue: inspections
// (Neni 37–38), venue lists (Neni 41), exam plans (Neni 39–40, 52) and
// the students' venues (Neni 12.9).
func (s *Server) apiVenuesRoutes(mux *http.ServeMux) {
	vs := s.venueService()
	h := &venueAPI{svc: vs}
	mux.HandleFunc("GET /api/v1/venue-inspections", s.api(h.inspections))
	mux.HandleFunc("GET /api/v1/venues/{code}/inspection", s.api(h.inspection))
	mux.HandleFunc("PUT /api/v1/venues/{code}/inspection", s.api(h.inspect))
	mux.HandleFunc("GET /api/v1/units/{code}/venue-list", s.api(h.venueList))
	mux.HandleFunc("POST /api/v1/units/{code}/venue-list/send", s.api(h.sendList))
	mux.HandleFunc("GET /api/v1/plans/{exam}", s.api(h.summary))
	mux.HandleFunc("POST /api/v1/plans/{exam}", s.api(h.plan))
	mux.HandleFunc("POST /api/v1/plans/{exam}/overrides", s.api(h.override))
	mux.HandleFunc("GET /api/v1/plans/{exam}/rooms/{room}", s.api(h.roomList))
	mux.HandleFunc("GET /api/v1/students/{id}/seats", s.api(h.studentSeats))
	mux.HandleFunc("GET /api/v1/schools/{code}/seats/{exam}", s.api(h.schoolSeats))
}

type venueAPI struct{ svc *venue.Service }

// session reads the optional session query parameter (default 1).
func sessionParam(r *http.Request) (int, error) {
	raw := r.URL.Query().Get("session")
	if raw == "" {
		return 1, nil
	}
	n, err := strconv.Atoi(raw)
	if err != nil || n < 1 || n > 2 {
		return 0, apperr.New(apperr.Invalid, "Sesioni duhet të jetë 1 ose 2, jo «%s».", raw)
	}
	return n, nil
}

func (h *venueAPI) inspections(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	list, err := h.svc.Inspections(r.Context(), p, r.URL.Query().Get("unit"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": nonNil(list), "criteria": venue.Criteria})
	return nil
}

func (h *venueAPI) inspection(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	v, err := h.svc.Inspection(r.Context(), p, r.PathValue("code"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, v)
	return nil
}

func (h *venueAPI) inspect(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	var in venue.InspectionInput
	if err := decode(r, &in); err != nil {
		return err
	}
	v, err := h.svc.Inspect(r.Context(), p, r.PathValue("code"), in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, v)
	return nil
}

func (h *venueAPI) venueList(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	l, err := h.svc.VenueList(r.Context(), p, r.PathValue("code"))
	if err != nil {
		return err
	}
	l.Venues = nonNil(l.Venues)
	return writeDocument(w, r, l, func() pdf.Table { return l.Document(h.svc.Now()) }, fmt.Sprintf("mjediset-%s-%d", l.UnitCode, l.Year))
}

func (h *venueAPI) sendList(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	var in struct {
		Reason string `json:"reason"`
	}
	if err := decodeOptional(r, &in); err != nil {
		return err
	}
	st, err := h.svc.SendList(r.Context(), p, r.PathValue("code"), in.Reason)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, st)
	return nil
}

func (h *venueAPI) summary(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	session, err := sessionParam(r)
	if err != nil {
		return err
	}
	sum, err := h.svc.Summary(r.Context(), p, r.PathValue("exam"), session, r.URL.Query().Get("unit"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, sum)
	return nil
}

func (h *venueAPI) plan(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	var in struct {
		Session int    `json:"session"`
		Unit    string `json:"unit"`
	}
	if err := decodeOptional(r, &in); err != nil {
		return err
	}
	if in.Session == 0 {
		in.Session = 1
	}
	res, err := h.svc.Plan(r.Context(), p, r.PathValue("exam"), in.Session, in.Unit)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, res)
	return nil
}

func (h *venueAPI) override(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	var in struct {
		venue.OverrideInput
		Session int `json:"session"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	if in.Session == 0 {
		in.Session = 1
	}
	n, err := h.svc.Override(r.Context(), p, r.PathValue("exam"), in.Session, in.OverrideInput)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]int{"moved": n})
	return nil
}

func (h *venueAPI) roomList(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	session, err := sessionParam(r)
	if err != nil {
		return err
	}
	raw := r.PathValue("room")
	room, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || room <= 0 {
		return apperr.New(apperr.NotFound, "Salla «%s» nuk u gjet.", raw)
	}
	l, err := h.svc.RoomList(r.Context(), p, r.PathValue("exam"), session, room)
	if err != nil {
		return err
	}
	return writeDocument(w, r, l, func() pdf.Table { return l.Document(h.svc.Now()) }, fmt.Sprintf("lista-%s-%s-salla-%d", l.Exam, l.Venue.Code, l.Room.ID))
}

func (h *venueAPI) studentSeats(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	id, err := positiveID(r, "Nxënësi")
	if err != nil {
		return err
	}
	seats, err := h.svc.StudentSeats(r.Context(), p, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": seats})
	return nil
}

func (h *venueAPI) schoolSeats(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	session, err := sessionParam(r)
	if err != nil {
		return err
	}
	list, err := h.svc.SchoolSeats(r.Context(), p, r.PathValue("code"), r.PathValue("exam"), session)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": list})
	return nil
}
