package account

import (
	"net/http"
	"strings"

	"provim/internal/apperr"
	"provim/internal/auth"
	"provim/internal/web/webkit"
)

// root sends a visitor to the login page and a user to the dashboard.
func (h *Handler) root(w http.ResponseWriter, r *http.Request) {
	if webkit.Principal(r) == nil {
		http.Redirect(w, r, "/hyrje", http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, "/paneli", http.StatusSeeOther)
}

func (h *Handler) loginPage(w http.ResponseWriter, r *http.Request) {
	if webkit.Principal(r) != nil {
		http.Redirect(w, r, "/paneli", http.StatusSeeOther)
		return
	}
	h.kit.Render(w, r, 0, "login", "Hyrje", safeNext(r.URL.Query().Get("pas")), nil)
}

// safeNext keeps redirects after login on this site.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.Contains(next, "\\") {
		return "/paneli"
	}
	return next
}

func (h *Handler) login(w http.ResponseWriter, r *http.Request) {
	sess, err := h.auth.Login(r.Context(), r.FormValue("username"), r.FormValue("password"), webkit.ClientAddr(r))
	if err != nil {
		if apperr.CodeOf(err) == apperr.Internal {
			h.kit.Log.Error("login", "err", err)
		}
		h.kit.Render(w, r, webkit.StatusOf(err), "login", "Hyrje", safeNext(r.FormValue("pas")), err)
		return
	}
	// The old session, if any, ends: a token is never reused across logins.
	if c, err := r.Cookie(webkit.SessionCookie); err == nil {
		h.auth.Logout(r.Context(), c.Value)
	}
	http.SetCookie(w, &http.Cookie{Name: webkit.SessionCookie, Value: sess.Token, Path: "/", HttpOnly: true,
		Secure: h.kit.SecureCookies, SameSite: http.SameSiteLaxMode, MaxAge: int(h.auth.SessionTTL.Seconds())})
	http.Redirect(w, r, safeNext(r.FormValue("pas")), http.StatusSeeOther)
}

func (h *Handler) logout(w http.ResponseWriter, r *http.Request, _ *auth.Principal) {
	if c, err := r.Cookie(webkit.SessionCookie); err == nil {
		h.auth.Logout(r.Context(), c.Value)
	}
	http.SetCookie(w, &http.Cookie{Name: webkit.SessionCookie, Value: "", Path: "/", HttpOnly: true, MaxAge: -1})
	http.Redirect(w, r, "/hyrje", http.StatusSeeOther)
}

func (h *Handler) accountPage(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	h.kit.Render(w, r, 0, "account", "Llogaria", nil, nil)
}

func (h *Handler) changePassword(w http.ResponseWriter, r *http.Request, p *auth.Principal) {
	if r.FormValue("new") != r.FormValue("again") {
		h.kit.Render(w, r, 0, "account", "Llogaria", nil, apperr.New(apperr.Invalid, "Fjalëkalimi i ri dhe përsëritja e tij nuk janë njësoj."))
		return
	}
	if err := h.auth.SetPassword(r.Context(), p, p.Username, r.FormValue("old"), r.FormValue("new")); err != nil {
		h.kit.Render(w, r, 0, "account", "Llogaria", nil, err)
		return
	}
	http.Redirect(w, r, "/llogaria?ok=Fjalëkalimi+u+ndryshua.", http.StatusSeeOther)
}
