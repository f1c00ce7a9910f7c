package web

import (
	"net/http"
	"strings"

	"provim/internal/apperr"
	"provim/internal/web/account"
	"provim/internal/web/admin"
	anonymweb "provim/internal/web/anonym"
	"provim/internal/web/applications"
	certificateweb "provim/internal/web/certificate"
	custodyweb "provim/internal/web/custody"
	"provim/internal/web/draws"
	examdayweb "provim/internal/web/examday"
	markingweb "provim/internal/web/marking"
	registryweb "provim/internal/web/registry"
	remarkweb "provim/internal/web/remark"
	resultsweb "provim/internal/web/results"
	smipweb "provim/internal/web/smip"
	"provim/internal/web/venues"
	"provim/internal/web/webkit"
	"provim/internal/wire"
)

// area is the handler of one part of the site: it registers its pages on
// the UI mux and its endpoints on the API mux (method patterns to handler
// methods, no closures).
type area interface {
	Routes(mux *http.ServeMux)
	APIRoutes(mux *http.ServeMux)
}

// areas builds the handler of every area, once.
func areas(kit *webkit.Kit, svc *wire.Services) []area {
	return []area{
		account.New(kit, svc),
		registryweb.New(kit, svc),
		admin.New(kit, svc),
		applications.New(kit, svc),
		venues.New(kit, svc),
		draws.New(kit, svc),
		custodyweb.New(kit, svc),
		examdayweb.New(kit, svc),
		anonymweb.New(kit, svc),
		markingweb.New(kit, svc),
		certificateweb.New(kit, svc),
		resultsweb.New(kit, svc), // results
		smipweb.New(kit, svc),    // smip
		remarkweb.New(kit, svc),  // remark
	}
}

// templates are the pages of every area, parsed once by webkit.New.
func templates() []webkit.Templates {
	return []webkit.Templates{account.Templates, registryweb.Templates, admin.Templates, applications.Templates,
		venues.Templates, draws.Templates, custodyweb.Templates, examdayweb.Templates, anonymweb.Templates, markingweb.Templates, certificateweb.Templates, resultsweb.Templates,
		smipweb.Templates, remarkweb.Templates}
}

// mount registers every route: on mux the static files, the health check
// and the pages of each area; on api the API of each area, which mux
// serves under /api/, behind the bearer token.
func (s *Server) mount(mux, api *http.ServeMux) {
	mux.Handle("GET /static/", staticFiles())
	mux.HandleFunc("GET /healthz", s.healthz)
	for _, a := range s.areas {
		a.Routes(mux)
		a.APIRoutes(api)
	}
	// Everything else under /api/: the most general pattern, so ServeMux
	// sends here every path no route matches and every method the matching
	// path's routes do not take, and the answer is JSON like all others.
	api.Handle("/api/", noRoute{api})
	mux.Handle("/api/", s.withBearer(api))
}

// probeMethods are the methods noRoute tries to build the Allow header.
var probeMethods = []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodDelete, http.MethodPatch}

// noRoute answers a request no API route matches: 405 with Allow when the
// path has routes for other methods, else 404; both as JSON errors.
type noRoute struct{ mux *http.ServeMux }

func (n noRoute) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var allow []string
	for _, m := range probeMethods {
		probe := r.Clone(r.Context())
		probe.Method = m
		if _, pattern := n.mux.Handler(probe); pattern != "" && pattern != "/api/" {
			allow = append(allow, m)
		}
	}
	if len(allow) > 0 {
		w.Header().Set("Allow", strings.Join(allow, ", "))
		webkit.WriteAPIError(w, apperr.New(webkit.CodeMethodNotAllowed, "Metoda %s nuk pranohet për %s (pranohen: %s).", r.Method, r.URL.Path, strings.Join(allow, ", ")))
		return
	}
	webkit.WriteAPIError(w, apperr.New(apperr.NotFound, "Adresa %s %s nuk ekziston në API (shihni api/openapi.yaml).", r.Method, r.URL.Path))
}
