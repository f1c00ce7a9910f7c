// Package web serves provim over HTTP: the Albanian web UI (server-rendered
// html/template, usable without JavaScript) and the JSON API under /api/v1.
// Both are thin: every decision about who may see or change what is made
// by the domain services from the caller's auth.Principal.
package web

import (
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"provim/internal/apperr"
	"provim/internal/application"
	"provim/internal/auth"
	"provim/internal/examyear"
	"provim/internal/registry"
	"provim/internal/store"
)

//go:embed templates static
var assets embed.FS

// Server holds the services the handlers use.
type Server struct {
	db       *store.DB
	auth     *auth.Service
	registry *registry.Service
	years    *examyear.Service
	apps     *application.Service
	log      *slog.Logger
	pages    *pages
	// SecureCookies marks cookies Secure (set when served over HTTPS).
	SecureCookies bool
	// today is the day the exam calendar runs on when set (SetToday).
	today string
}

// SetToday runs the exam calendar as if today were day, for training,
// demonstrations and tests of a later phase; every page says so. With
// atTime false the day keeps the real time of day; with atTime true the
// clock starts at day's very moment and runs on from there (a draw window
// of Neni 47.5 can be rehearsed at any hour). Only the exam calendar
// moves: sessions, tokens and the audit log keep the real time.
func (s *Server) SetToday(day time.Time, atTime bool) {
	y, m, d := day.Date()
	started := time.Now()
	s.apps.SetClock(func() time.Time {
		if atTime {
			return day.Add(time.Since(started))
		}
		now := time.Now().In(examyear.Tirana)
		return time.Date(y, m, d, now.Hour(), now.Minute(), now.Second(), now.Nanosecond(), examyear.Tirana)
	})
	s.today = day.Format("02.01.2006")
	if atTime {
		s.today = day.Format("02.01.2006 15:04")
	}
}

// New builds the server and parses every template once.
func New(db *store.DB, log *slog.Logger) (*Server, error) {
	p, err := parsePages()
	if err != nil {
		return nil, err
	}
	return &Server{db: db, auth: auth.NewService(db), registry: registry.NewService(db),
		years: examyear.NewService(db), apps: application.NewService(db), log: log, pages: p}, nil
}

// Auth exposes the auth service (CLI and demo create users through it).
func (s *Server) Auth() *auth.Service { return s.auth }

type ctxKey int

const (
	principalKey ctxKey = iota
	sessionKey
)

func principalOf(r *http.Request) *auth.Principal {
	p, _ := r.Context().Value(principalKey).(*auth.Principal)
	return p
}

func sessionOf(r *http.Request) *auth.Session {
	s, _ := r.Context().Value(sessionKey).(*auth.Session)
	return s
}

// Handler returns the whole HTTP handler: one route table for UI and API.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	static, _ := fs.Sub(assets, "static")
	mux.Handle("GET /static/", http.StripPrefix("/static/", http.FileServerFS(static)))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		if err := s.db.PingContext(r.Context()); err != nil {
			http.Error(w, "database unavailable", http.StatusServiceUnavailable)
			return
		}
		w.Write([]byte("ok\n"))
	})
	s.uiRoutes(mux)
	api := http.NewServeMux()
	s.apiRoutes(api)
	mux.Handle("/api/", s.withBearer(api))

	cop := http.NewCrossOriginProtection()
	var h http.Handler = mux
	h = s.withSession(h)
	h = cop.Handler(h)
	h = securityHeaders(h)
	h = s.logRequests(h)
	return h
}

// withSession resolves the session cookie for UI requests. The API never
// accepts cookies: it is served by withBearer only.
func (s *Server) withSession(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/api/") {
			next.ServeHTTP(w, r)
			return
		}
		if c, err := r.Cookie(sessionCookie); err == nil {
			sess, err := s.auth.SessionUser(r.Context(), c.Value)
			if err != nil {
				s.log.Error("session lookup", "err", err)
			}
			if sess != nil {
				ctx := context.WithValue(r.Context(), principalKey, sess.User.Principal())
				ctx = context.WithValue(ctx, sessionKey, sess)
				r = r.WithContext(ctx)
			}
		}
		next.ServeHTTP(w, r)
	})
}

// withBearer authenticates API requests by "Authorization: Bearer TOKEN".
func (s *Server) withBearer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if h := r.Header.Get("Authorization"); strings.HasPrefix(h, "Bearer ") {
			u, err := s.auth.TokenUser(r.Context(), strings.TrimPrefix(h, "Bearer "))
			if err != nil {
				writeAPIError(w, err)
				return
			}
			if u != nil {
				r = r.WithContext(context.WithValue(r.Context(), principalKey, u.Principal()))
			}
		}
		next.ServeHTTP(w, r)
	})
}

func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		if !strings.HasPrefix(r.URL.Path, "/static/") {
			h.Set("Cache-Control", "no-store")
		}
		next.ServeHTTP(w, r)
	})
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (s *Server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w, status: 200}
		defer func() {
			if p := recover(); p != nil {
				s.log.Error("panic", "path", r.URL.Path, "panic", p)
				if strings.HasPrefix(r.URL.Path, "/api/") {
					writeAPIError(sw, fmt.Errorf("panic: %v", p))
				} else {
					http.Error(sw, "Gabim i brendshëm", http.StatusInternalServerError)
				}
			}
			s.log.Debug("request", "method", r.Method, "path", r.URL.Path, "status", sw.status, "dur", time.Since(start))
		}()
		next.ServeHTTP(sw, r)
	})
}

// Codes the web layer answers that package apperr does not define.
const (
	codeTooLarge         = registry.TooLarge    // 413: a request body or import file over its limit
	codeMethodNotAllowed = "method_not_allowed" // 405: the API path exists, not with this method
)

// statusOf maps a domain error code to an HTTP status, in one place.
func statusOf(err error) int {
	switch apperr.CodeOf(err) {
	case codeTooLarge:
		return http.StatusRequestEntityTooLarge
	case codeMethodNotAllowed:
		return http.StatusMethodNotAllowed
	case apperr.Invalid:
		return http.StatusUnprocessableEntity
	case apperr.NotFound:
		return http.StatusNotFound
	case apperr.Forbidden:
		return http.StatusForbidden
	case apperr.Unauthorized:
		return http.StatusUnauthorized
	case apperr.Conflict:
		return http.StatusConflict
	case apperr.TooMany:
		return http.StatusTooManyRequests
	}
	return http.StatusInternalServerError
}

// apiError is the JSON error body: {code, message, details?, rows?}.
type apiError struct {
	Code    string              `json:"code"`
	Message string              `json:"message"`
	Details []string            `json:"details,omitempty"`
	Rows    []registry.RowError `json:"rows,omitempty"`
}

func toAPIError(err error) apiError {
	var ie *registry.ImportError
	if errors.As(err, &ie) {
		return apiError{Code: apperr.Invalid, Message: ie.Error(), Rows: ie.Rows}
	}
	var ae *apperr.Error
	if errors.As(err, &ae) {
		return apiError{Code: ae.Code, Message: ae.Message, Details: ae.Details}
	}
	return apiError{Code: apperr.CodeOf(err), Message: apperr.MessageOf(err)}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.Encode(v)
}

func writeAPIError(w http.ResponseWriter, err error) {
	writeJSON(w, statusOf(err), toAPIError(err))
}

// clientAddr is the caller's address for login throttling.
func clientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
