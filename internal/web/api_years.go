package web

import (
	"net/http"

	"provim/internal/auth"
	"provim/internal/examyear"
)

func (s *Server) apiYearRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /api/v1/years", s.api(s.apiYears))
	mux.HandleFunc("POST /api/v1/years", s.api(s.apiCreateYear))
	mux.HandleFunc("GET /api/v1/years/active", s.api(s.apiActiveYear))
	mux.HandleFunc("GET /api/v1/years/{year}", s.api(s.apiYear))
	mux.HandleFunc("PUT /api/v1/years/{year}", s.api(s.apiUpdateYear))
	mux.HandleFunc("PUT /api/v1/years/{year}/active", s.api(s.apiActivateYear))
}

func (s *Server) apiYears(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	list, err := s.years.List(r.Context(), p)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": nonNil(list)})
	return nil
}

func (s *Server) apiActiveYear(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	if err := auth.Require(p, auth.Roles...); err != nil {
		return err
	}
	y, err := s.years.Active(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, y)
	return nil
}

func (s *Server) apiYear(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	y, err := s.years.Get(r.Context(), p, atoi(r.PathValue("year")))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, y)
	return nil
}

func (s *Server) apiCreateYear(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	var in struct {
		Year    int    `json:"year"`
		Name    string `json:"name"`
		BasedOn int    `json:"based_on"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	y, err := s.years.Create(r.Context(), p, in.Year, in.Name, in.BasedOn)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, y)
	return nil
}

func (s *Server) apiUpdateYear(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	var in struct {
		Name   string          `json:"name"`
		Config examyear.Config `json:"config"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	y, err := s.years.Update(r.Context(), p, atoi(r.PathValue("year")), in.Name, in.Config)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, y)
	return nil
}

func (s *Server) apiActivateYear(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	if err := s.years.SetActive(r.Context(), p, atoi(r.PathValue("year"))); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
