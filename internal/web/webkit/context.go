package webkit

import (
	"context"
	"net/http"

	"provim/internal/auth"
)

type ctxKey int

const (
	principalKey ctxKey = iota
	sessionKey
)

// WithPrincipal returns r carrying the authenticated caller (a bearer
// token's user on the API).
func WithPrincipal(r *http.Request, p *auth.Principal) *http.Request {
	return r.WithContext(context.WithValue(r.Context(), principalKey, p))
}

// WithSession returns r carrying a browser session and its user.
func WithSession(r *http.Request, s *auth.Session) *http.Request {
	ctx := context.WithValue(r.Context(), principalKey, s.User.Principal())
	return r.WithContext(context.WithValue(ctx, sessionKey, s))
}

// Principal is the caller of r, nil when anonymous. It is the one place
// handlers learn who calls.
func Principal(r *http.Request) *auth.Principal {
	p, _ := r.Context().Value(principalKey).(*auth.Principal)
	return p
}

// Session is the browser session of r, nil on the API and when anonymous.
func Session(r *http.Request) *auth.Session {
	s, _ := r.Context().Value(sessionKey).(*auth.Session)
	return s
}

// SessionCookie is the name of the browser session's cookie.
const SessionCookie = "provim_session"

// FlashCookie marks a browser whose session keeps a confirmation for its
// next page (RedirectOK): only a page with the mark reads the session's
// row for it. It holds no message and no secret; the message stays on the
// server.
const FlashCookie = "provim_flash"

// HasFlash reports whether r carries the mark of a waiting confirmation.
func HasFlash(r *http.Request) bool {
	_, err := r.Cookie(FlashCookie)
	return err == nil
}
