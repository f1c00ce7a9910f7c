package web

import (
	"encoding/json"
	"net/http"

	"provim/internal/apperr"
	"provim/internal/auth"
)

// apiHandler is a JSON API handler for an authenticated caller.
type apiHandler func(w http.ResponseWriter, r *http.Request, p *auth.Principal) error

// api wraps an API handler: it requires a bearer token and writes errors
// as {code, message}.
func (s *Server) api(h apiHandler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		p := principalOf(r)
		if p == nil {
			writeAPIError(w, apperr.New(apperr.Unauthorized, "Mungon ose ka skaduar token-i (Authorization: Bearer …)."))
			return
		}
		if err := h(w, r, p); err != nil {
			if statusOf(err) == http.StatusInternalServerError {
				s.log.Error("api", "path", r.URL.Path, "err", err)
			}
			writeAPIError(w, err)
		}
	}
}

// decode reads a JSON body into v, refusing unknown fields.
func decode(r *http.Request, v any) error {
	dec := json.NewDecoder(http.MaxBytesReader(nil, r.Body, 1<<20))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return apperr.New(apperr.Invalid, "Trupi i kërkesës nuk është JSON i vlefshëm: %v.", err)
	}
	return nil
}

// apiRoutes is the route table of the JSON API (see api/openapi.yaml).
func (s *Server) apiRoutes(mux *http.ServeMux) {
	mux.HandleFunc("POST /api/v1/tokens", s.apiLogin)
	mux.HandleFunc("DELETE /api/v1/tokens", s.api(s.apiLogout))
	mux.HandleFunc("GET /api/v1/me", s.api(func(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
		writeJSON(w, http.StatusOK, p)
		return nil
	}))
	s.apiRegistryRoutes(mux)
	s.apiAdminRoutes(mux)
}

func (s *Server) apiLogin(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Username string `json:"username"`
		Password string `json:"password"`
		Name     string `json:"name"`
	}
	if err := decode(r, &in); err != nil {
		writeAPIError(w, err)
		return
	}
	tok, exp, err := s.auth.IssueToken(r.Context(), in.Username, in.Password, clientAddr(r), in.Name)
	if err != nil {
		writeAPIError(w, err)
		return
	}
	writeJSON(w, http.StatusCreated, map[string]any{"token": tok, "expires_at": exp})
}

func (s *Server) apiLogout(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	h := r.Header.Get("Authorization")
	if err := s.auth.RevokeToken(r.Context(), h[len("Bearer "):]); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
