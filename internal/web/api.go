package web

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"

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

// maxJSONBody is the largest JSON request body decode reads.
const maxJSONBody = 1 << 20

// decode reads a JSON body into v, refusing unknown fields. A body over
// maxJSONBody is too_large (413), not invalid.
func decode(r *http.Request, v any) error {
	dec := json.NewDecoder(http.MaxBytesReader(nil, r.Body, maxJSONBody))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
			return apperr.New(codeTooLarge, "Trupi i kërkesës është më i madh se %d MiB.", maxJSONBody>>20)
		}
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
	s.apiApplicationRoutes(mux)
	s.apiVenuesRoutes(mux)
	s.apiDrawRoutes(mux)
	s.apiCustodyRoutes(mux)
	// Everything else under /api/: the most general pattern, so ServeMux
	// sends here every path no route matches and every method the matching
	// path's routes do not take, and the answer is JSON like all others.
	mux.HandleFunc("/api/", apiNoRoute(mux))
}

// probeMethods are the methods apiNoRoute tries to build the Allow header.
var probeMethods = []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodDelete, http.MethodPatch}

// apiNoRoute answers a request no API route matches: 405 with Allow when
// the path has routes for other methods, else 404; both as JSON errors.
func apiNoRoute(mux *http.ServeMux) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var allow []string
		for _, m := range probeMethods {
			probe := r.Clone(r.Context())
			probe.Method = m
			if _, pattern := mux.Handler(probe); pattern != "" && pattern != "/api/" {
				allow = append(allow, m)
			}
		}
		if len(allow) > 0 {
			w.Header().Set("Allow", strings.Join(allow, ", "))
			writeAPIError(w, apperr.New(codeMethodNotAllowed, "Metoda %s nuk pranohet për %s (pranohen: %s).", r.Method, r.URL.Path, strings.Join(allow, ", ")))
			return
		}
		writeAPIError(w, apperr.New(apperr.NotFound, "Adresa %s %s nuk ekziston në API (shihni api/openapi.yaml).", r.Method, r.URL.Path))
	}
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
