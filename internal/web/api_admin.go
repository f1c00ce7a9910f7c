package web

import (
	"net/http"

	"provim/internal/audit"
	"provim/internal/auth"
)

func (s *Server) apiAdminRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /api/v1/users", s.api(s.apiUsers))
	mux.HandleFunc("POST /api/v1/users", s.api(s.apiCreateUser))
	mux.HandleFunc("PUT /api/v1/users/{username}/disabled", s.api(s.apiSetDisabled))
	mux.HandleFunc("PUT /api/v1/users/{username}/password", s.api(s.apiSetPassword))
	mux.HandleFunc("GET /api/v1/audit", s.api(s.apiAudit))
	mux.HandleFunc("GET /api/v1/audit/verify", s.api(s.apiAuditVerify))
	s.apiYearRoutes(mux)
}

func (s *Server) apiUsers(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	users, err := s.auth.ListUsers(r.Context(), p)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": nonNil(users)})
	return nil
}

func (s *Server) apiCreateUser(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	// The role first: a body from a caller who may not create users is not
	// read. (nil would mean the operator: the API always acts as its caller.)
	if err := auth.Require(p, auth.RoleAVA); err != nil {
		return err
	}
	var n auth.NewUser
	if err := decode(r, &n); err != nil {
		return err
	}
	u, err := s.auth.CreateUser(r.Context(), p, n)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, u)
	return nil
}

func (s *Server) apiSetDisabled(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	var in struct {
		Disabled bool `json:"disabled"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	if err := s.auth.SetDisabled(r.Context(), p, r.PathValue("username"), in.Disabled); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) apiSetPassword(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	var in struct {
		Old string `json:"old_password"`
		New string `json:"new_password"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	if err := s.auth.SetPassword(r.Context(), p, r.PathValue("username"), in.Old, in.New); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) apiAudit(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	if err := auth.Require(p, auth.RoleAVA); err != nil {
		return err
	}
	q := r.URL.Query()
	limit := atoi(q.Get("limit"))
	if limit <= 0 || limit > 1000 {
		limit = 100
	}
	entries, err := audit.Query(r.Context(), s.db.DB, q.Get("object_type"), q.Get("object_id"), limit)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": nonNil(entries)})
	return nil
}

func (s *Server) apiAuditVerify(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	if err := auth.Require(p, auth.RoleAVA); err != nil {
		return err
	}
	n, problem, err := audit.Verify(r.Context(), s.db.DB)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"verified": n, "intact": problem == nil, "problem": problem})
	return nil
}
