package web

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

	"provim/internal/apperr"
	"provim/internal/auth"
	"provim/internal/custody"
	"provim/internal/pdf"
)

// custodyService returns the custody service on the server's calendar (the
// training day of SetToday moves its clock too).
func (s *Server) custodyService() *custody.Service {
	svc := custody.NewService(s.db)
	svc.SetClock(s.apps.Now)
	return svc
}

// apiCustodyRoutes are the JSON endpoints of package custody: the packages
// of exam material and the chain of hand-overs (Neni 42–46).
func (s *Server) apiCustodyRoutes(mux *http.ServeMux) {
	svc := s.custodyService()
	mux.HandleFunc("GET /api/v1/custody/steps", s.api(func(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
		if err := auth.Require(p, auth.RoleAVA, auth.RoleKMSH, auth.RolePAP, auth.RoleAP, auth.RoleAS); err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, custody.Steps)
		return nil
	}))
	mux.HandleFunc("GET /api/v1/custody/board", s.api(func(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
		f, err := custodyFilter(r)
		if err != nil {
			return err
		}
		list, err := svc.Board(r.Context(), p, f)
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, map[string]any{"consignments": nonNil(list), "now": svc.Now().Format(time.RFC3339)})
		return nil
	}))
	mux.HandleFunc("POST /api/v1/custody/consignments", s.api(func(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
		var in custody.CreateInput
		if err := decode(r, &in); err != nil {
			return err
		}
		res, err := svc.Create(r.Context(), p, in)
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, res)
		return nil
	}))
	mux.HandleFunc("GET /api/v1/custody/consignments/{venue}/{exam}", s.api(func(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
		session, err := custodySession(r.URL.Query().Get("session"))
		if err != nil {
			return err
		}
		c, err := svc.Get(r.Context(), p, r.PathValue("venue"), r.PathValue("exam"), session)
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, c)
		return nil
	}))
	mux.HandleFunc("POST /api/v1/custody/handovers", s.api(func(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
		var in custody.RecordInput
		if err := decode(r, &in); err != nil {
			return err
		}
		h, err := svc.Record(r.Context(), p, in)
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusCreated, h)
		return nil
	}))
	mux.HandleFunc("GET /api/v1/custody/handovers/{id}", s.api(func(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
		id, err := positiveID(r, "Procesverbali")
		if err != nil {
			return err
		}
		h, c, err := svc.Handover(r.Context(), p, id)
		if err != nil {
			return err
		}
		return writeDocument(w, r, h, func() pdf.Table { return custody.Document(h, c, svc.Now()) },
			fmt.Sprintf("procesverbal-%d-%s-%s-hapi-%d", h.ID, fileName(h.VenueCode), fileName(h.Exam), h.Step))
	}))
	mux.HandleFunc("POST /api/v1/custody/handovers/{id}/confirm", s.api(func(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
		id, err := positiveID(r, "Procesverbali")
		if err != nil {
			return err
		}
		var in custody.ConfirmInput
		if err := decode(r, &in); err != nil {
			return err
		}
		h, err := svc.Confirm(r.Context(), p, id, in)
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, h)
		return nil
	}))
}

// custodyFilter reads the board's filters: unit, exam, session, venue.
func custodyFilter(r *http.Request) (custody.Filter, error) {
	q := r.URL.Query()
	session, err := custodySession(q.Get("session"))
	if err != nil {
		return custody.Filter{}, err
	}
	if q.Get("session") == "" {
		session = 0
	}
	return custody.Filter{Unit: q.Get("unit"), Exam: q.Get("exam"), Session: session, Venue: q.Get("venue")}, nil
}

// custodySession reads a session number: absent is 1.
func custodySession(raw string) (int, error) {
	if raw == "" {
		return 1, nil
	}
	n, err := strconv.Atoi(raw)
	if err != nil || (n != 1 && n != 2) {
		return 0, apperr.New(apperr.Invalid, "Sesioni duhet të jetë 1 ose 2, jo «%s».", raw)
	}
	return n, nil
}
