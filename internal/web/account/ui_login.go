package account

import (
	"net/http"
	"net/url"
	"strings"
	"unicode"

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

// safeNext keeps the redirect after login on this site: a local path
// (starting with one slash, no backslash), with no scheme and no host,
// and no control, space or invisible character, as written or once
// decoded (a browser drops a tab or a newline, so "/<tab>/host" would
// become "//host"); anything else goes to the dashboard.
func safeNext(next string) string {
	const home = "/paneli"
	if len(next) > 2048 || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.Contains(next, "\\") {
		return home
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" || !strings.HasPrefix(u.Path, "/") || strings.HasPrefix(u.Path, "//") {
		return home
	}
	// Also once decoded: "/%09/host" is refused as "/\t/host" is.
	for _, r := range next + u.Path {
		if r < 0x21 || r == 0x7f || !unicode.IsPrint(r) || unicode.Is(unicode.Cf, r) || r == '\\' {
			return home
		}
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
	webkit.RedirectOK(w, r, "/llogaria", nil, "Fjalëkalimi u ndryshua. U mbyllën të gjitha seancat e tjera dhe token-at e API-së të llogarisë suaj.")
}
