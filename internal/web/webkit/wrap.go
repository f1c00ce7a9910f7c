package webkit

import (
	"net/http"
	"net/url"

	"provim/internal/apperr"
	"provim/internal/auth"
)

// PageFunc is a UI handler for a signed-in user.
type PageFunc func(w http.ResponseWriter, r *http.Request, p *auth.Principal)

// APIFunc is a JSON API handler for an authenticated caller; an error it
// returns is written as the JSON error body with its status.
type APIFunc func(w http.ResponseWriter, r *http.Request, p *auth.Principal) error

// maxForm is the largest form (with its files) a UI POST may send.
const maxForm = 64 << 20

// Page wraps a UI handler: anonymous users go to the login page, and every
// POST must carry the session's form token (besides the cross-origin check).
func (k *Kit) Page(h PageFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		p := Principal(r)
		if p == nil {
			http.Redirect(w, r, "/hyrje?pas="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
			return
		}
		if r.Method == http.MethodPost {
			if err := r.ParseMultipartForm(maxForm); err != nil && err != http.ErrNotMultipart {
				k.Render(w, r, http.StatusBadRequest, "error", "Gabim", nil, apperr.New(apperr.Invalid, "Formulari nuk lexohet."))
				return
			}
			if sess := Session(r); sess == nil || r.FormValue("csrf") != sess.CSRF {
				k.Render(w, r, http.StatusForbidden, "error", "Gabim", nil, apperr.New(apperr.Forbidden, "Formulari ka skaduar. Hapeni faqen përsëri dhe provoni prapë."))
				return
			}
		}
		h(w, r, p)
	}
}

// API wraps an API handler: it requires a bearer token and writes errors
// as {code, message}.
func (k *Kit) API(h APIFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		p := Principal(r)
		if p == nil {
			WriteAPIError(w, apperr.New(apperr.Unauthorized, "Mungon ose ka skaduar token-i (Authorization: Bearer …)."))
			return
		}
		if err := h(w, r, p); err != nil {
			k.apiFailed(w, r, err)
		}
	}
}

// PublicAPI wraps an API handler that anyone may call, without a token.
func (k *Kit) PublicAPI(h func(w http.ResponseWriter, r *http.Request) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			k.apiFailed(w, r, err)
		}
	}
}

func (k *Kit) apiFailed(w http.ResponseWriter, r *http.Request, err error) {
	if StatusOf(err) == http.StatusInternalServerError {
		k.Log.Error("api", "path", r.URL.Path, "err", err)
	}
	WriteAPIError(w, err)
}

// Allow answers what auth.Require answers when a domain's "may" says no:
// Unauthorized for an anonymous caller, else Forbidden naming the role.
func Allow(p *auth.Principal, may bool) error {
	if p == nil || !may {
		return auth.Require(p)
	}
	return nil
}
