package web

import (
	"net/http"
	"strings"

	"provim/internal/apperr"
	"provim/internal/auth"
)

const sessionCookie = "provim_session"

func (s *Server) loginPage(w http.ResponseWriter, r *http.Request) {
	if principalOf(r) != nil {
		http.Redirect(w, r, "/paneli", http.StatusSeeOther)
		return
	}
	s.render(w, r, 0, "login", "Hyrje", safeNext(r.URL.Query().Get("pas")), nil)
}

// safeNext keeps redirects after login on this site.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.Contains(next, "\\") {
		return "/paneli"
	}
	return next
}

func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	sess, err := s.auth.Login(r.Context(), r.FormValue("username"), r.FormValue("password"), clientAddr(r))
	if err != nil {
		if apperr.CodeOf(err) == apperr.Internal {
			s.log.Error("login", "err", err)
		}
		s.render(w, r, statusOf(err), "login", "Hyrje", safeNext(r.FormValue("pas")), err)
		return
	}
	// The old session, if any, ends: a token is never reused across logins.
	if c, err := r.Cookie(sessionCookie); err == nil {
		s.auth.Logout(r.Context(), c.Value)
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: sess.Token, Path: "/", HttpOnly: true,
		Secure: s.SecureCookies, SameSite: http.SameSiteLaxMode, MaxAge: int(s.auth.SessionTTL.Seconds())})
	http.Redirect(w, r, safeNext(r.FormValue("pas")), http.StatusSeeOther)
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request, _ *auth.Principal) {
	if c, err := r.Cookie(sessionCookie); err == nil {
		s.auth.Logout(r.Context(), c.Value)
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", HttpOnly: true, MaxAge: -1})
	http.Redirect(w, r, "/hyrje", http.StatusSeeOther)
}

func (s *Server) accountPage(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	s.render(w, r, 0, "account", "Llogaria", nil, nil)
}

func (s *Server) changePassword(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	if r.FormValue("new") != r.FormValue("again") {
		s.render(w, r, 0, "account", "Llogaria", nil, apperr.New(apperr.Invalid, "Fjalëkalimi i ri dhe përsëritja e tij nuk janë njësoj."))
		return
	}
	if err := s.auth.SetPassword(r.Context(), p, p.Username, r.FormValue("old"), r.FormValue("new")); err != nil {
		s.render(w, r, 0, "account", "Llogaria", nil, err)
		return
	}
	http.Redirect(w, r, "/llogaria?ok=Fjalëkalimi+u+ndryshua.", http.StatusSeeOther)
}
