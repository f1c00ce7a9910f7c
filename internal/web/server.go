// Package web serves provim over HTTP: the Albanian web UI (server-rendered
// html/template, usable without JavaScript) and the JSON API under /api/v1.
// This package holds the server, the middleware and the mounting of the
// areas (routes.go); each area (internal/web/registry, applications,
// venues, draws, custody, admin, account) has one handler over the domain
// services it uses, and internal/web/webkit is the kit they share. Every
// decision about who may see or change what is made by the domain
// services from the caller's auth.Principal.
package web

import (
	"embed"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"net/netip"
	"slices"
	"strings"

	"provim/internal/apperr"
	"provim/internal/auth"
	"provim/internal/clock"
	"provim/internal/store"
	"provim/internal/web/webkit"
	"provim/internal/wire"
)

//go:embed static
var assets embed.FS

// Server is the HTTP side of provim over the program's services.
type Server struct {
	db    *store.DB
	auth  *auth.Service
	log   *slog.Logger
	kit   *webkit.Kit
	areas []area
	// SecureCookies marks cookies Secure (set when served over HTTPS).
	SecureCookies bool
	// TrustedProxies are the reverse proxies whose X-Forwarded-For names
	// the client (webkit.ClientAddr); none: the header is ignored.
	TrustedProxies []netip.Prefix
}

// New builds the server: the kit (every template parsed once), then each
// area's handler, once, over the services of svc.
func New(svc *wire.Services, log *slog.Logger) (*Server, error) {
	kit, err := webkit.New(log, clock.TrainingLabel(svc.Clock), nav, templates()...)
	if err != nil {
		return nil, err
	}
	kit.Scope = svc.Accounts.ScopeLabel
	return &Server{db: svc.DB, auth: svc.Auth, log: log, kit: kit, areas: areas(kit, svc)}, nil
}

// Auth exposes the auth service (CLI and demo create users through it).
func (s *Server) Auth() *auth.Service { return s.auth }

// Handler returns the whole HTTP handler: one route table for UI and API.
func (s *Server) Handler() http.Handler {
	s.kit.SecureCookies = s.SecureCookies
	mux := http.NewServeMux()
	s.mount(mux, http.NewServeMux())
	cop := http.NewCrossOriginProtection()
	var h http.Handler = s.pageOrError(mux)
	h = s.withSession(h)
	h = cop.Handler(h)
	h = securityHeaders(h)
	h = webkit.WithClientAddr(h, s.TrustedProxies)
	h = s.logRequests(h)
	return h
}

// pageOrError serves the pages of mux, and answers a path no page has
// (404) or a method the path's pages do not take (405, with Allow) with an
// Albanian error page inside the layout, never Go's plain text. The API
// answers its own in JSON (noRoute).
func (s *Server) pageOrError(mux *http.ServeMux) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, pattern := mux.Handler(r); pattern != "" || strings.HasPrefix(r.URL.Path, "/api/") {
			mux.ServeHTTP(w, r)
			return
		}
		var allow []string
		for _, m := range probeMethods {
			probe := r.Clone(r.Context())
			probe.Method = m
			if _, pattern := mux.Handler(probe); pattern != "" {
				allow = append(allow, m)
			}
		}
		if len(allow) > 0 {
			w.Header().Set("Allow", strings.Join(allow, ", "))
			msg := "Faqja %s nuk hapet kështu (me metodën %s): përdorni butonin ose formularin e saj në faqe."
			if slices.Contains(allow, http.MethodGet) {
				msg = "Faqja %s nuk pranon metodën %s: hapeni me një lidhje."
			}
			s.kit.Render(w, r, http.StatusMethodNotAllowed, "error", "Veprim i palejuar", nil,
				apperr.New(webkit.CodeMethodNotAllowed, msg, r.URL.Path, r.Method))
			return
		}
		s.kit.Render(w, r, http.StatusNotFound, "error", "Faqja nuk u gjet", nil,
			apperr.New(apperr.NotFound, "Faqja %s nuk ekziston. Kontrolloni adresën ose zgjidhni një faqe nga menuja.", r.URL.Path))
	})
}

// healthz answers whether the database answers.
func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	if err := s.db.PingContext(r.Context()); err != nil {
		http.Error(w, "database unavailable", http.StatusServiceUnavailable)
		return
	}
	w.Write([]byte("ok\n"))
}

// examdaySW is the exam day's service worker, under /static/.
const examdaySW = "examday-sw.js"

// staticFiles serves the stylesheet and the other static files; a file
// it does not have is an Albanian 404 (a stylesheet or script asked for,
// not a page: plain text), never Go's English one.
func staticFiles() http.Handler {
	static, _ := fs.Sub(assets, "static")
	files := http.StripPrefix("/static/", http.FileServerFS(static))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := strings.TrimPrefix(r.URL.Path, "/static/")
		if st, err := fs.Stat(static, name); err != nil || st.IsDir() {
			http.Error(w, "Skedari "+r.URL.Path+" nuk ekziston.", http.StatusNotFound)
			return
		}
		if name == examdaySW {
			// The exam day's service worker keeps the room pages of
			// /dita-e-provimit/ for a dropped connection (Neni 52).
			w.Header().Set("Service-Worker-Allowed", "/dita-e-provimit/")
			w.Header().Set("Cache-Control", "no-cache")
		}
		files.ServeHTTP(w, r)
	})
}

// withSession resolves the session cookie for UI requests. The API never
// accepts cookies: it is served by withBearer only.
func (s *Server) withSession(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/api/") {
			next.ServeHTTP(w, r)
			return
		}
		if c, err := r.Cookie(webkit.SessionCookie); err == nil {
			sess, err := s.auth.SessionUser(r.Context(), c.Value)
			if err != nil {
				s.log.Error("session lookup", "err", err)
			}
			// A confined role (the SMIP's export account) has no pages.
			if sess != nil && sess.User.Principal().ConfinedTo() == "" {
				r = webkit.WithSession(r, sess)
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
				webkit.WriteAPIError(w, err)
				return
			}
			if u != nil {
				// A confined role's token reaches its own prefix only.
				if c := u.Principal().ConfinedTo(); c != "" && !strings.HasPrefix(r.URL.Path, c) {
					webkit.WriteAPIError(w, apperr.New(apperr.Forbidden, "Token-i i rolit %s hap vetëm %s.", u.Principal().Role.Label(), c+"…"))
					return
				}
				r = webkit.WithPrincipal(r, u.Principal())
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
		timer := clock.StartTimer()
		sw := &statusWriter{ResponseWriter: w, status: 200}
		defer func() {
			if p := recover(); p != nil {
				s.log.Error("panic", "path", r.URL.Path, "panic", p)
				if strings.HasPrefix(r.URL.Path, "/api/") {
					webkit.WriteAPIError(sw, fmt.Errorf("panic: %v", p))
				} else {
					http.Error(sw, "Gabim i brendshëm", http.StatusInternalServerError)
				}
			}
			s.log.Debug("request", "method", r.Method, "path", r.URL.Path, "status", sw.status, "dur", timer.Elapsed())
		}()
		next.ServeHTTP(sw, r)
	})
}
