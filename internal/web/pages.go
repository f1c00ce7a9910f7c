package web

import (
	"bytes"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"
	"time"

	"provim/internal/albanian"
	"provim/internal/apperr"
	"provim/internal/auth"
)

// pages holds every page template, each parsed together with the layout.
type pages struct {
	byName map[string]*template.Template
}

var funcs = template.FuncMap{
	"date": func(s string) string {
		if t, err := time.Parse("2006-01-02", s); err == nil {
			return t.Format("02.01.2006")
		}
		if t, err := time.Parse(time.RFC3339, s); err == nil {
			return t.Local().Format("02.01.2006 15:04")
		}
		return s
	},
	"stamp": func(t time.Time) string { return t.Local().Format("02.01.2006 15:04:05") },
	"grade": func(g float64) string {
		if g == 0 {
			return "—"
		}
		return albanian.Decimal(g)
	},
	"yesno": func(b bool) string {
		if b {
			return "Po"
		}
		return "Jo"
	},
	"add": func(a, b int) int { return a + b },
	"sub": func(a, b int) int { return a - b },
	"query": func(kv ...any) template.URL {
		v := url.Values{}
		for i := 0; i+1 < len(kv); i += 2 {
			if s := fmt.Sprint(kv[i+1]); s != "" && s != "0" {
				v.Set(fmt.Sprint(kv[i]), s)
			}
		}
		return template.URL(v.Encode())
	},
	"has": func(p *auth.Principal, roles ...string) bool {
		if p == nil {
			return false
		}
		for _, r := range roles {
			if string(p.Role) == r {
				return true
			}
		}
		return false
	},
}

func parsePages() (*pages, error) {
	layout, err := fs.ReadFile(assets, "templates/layout.html")
	if err != nil {
		return nil, err
	}
	files, err := fs.Glob(assets, "templates/*.html")
	if err != nil {
		return nil, err
	}
	p := &pages{byName: map[string]*template.Template{}}
	for _, f := range files {
		name := strings.TrimSuffix(path.Base(f), ".html")
		if name == "layout" {
			continue
		}
		body, err := fs.ReadFile(assets, f)
		if err != nil {
			return nil, err
		}
		t, err := template.New("layout").Funcs(funcs).Parse(string(layout))
		if err != nil {
			return nil, fmt.Errorf("web: parse layout: %w", err)
		}
		if _, err := t.New(name).Parse(string(body)); err != nil {
			return nil, fmt.Errorf("web: parse %s: %w", f, err)
		}
		p.byName[name] = t
	}
	return p, nil
}

// view is what every page template receives.
type view struct {
	Title  string
	P      *auth.Principal
	CSRF   string
	Path   string
	Flash  string   // a success message
	Error  string   // an error sentence
	Errors []string // detailed reasons
	Data   any
	// Today is set when the exam calendar runs on a set day (Server.SetToday).
	Today string
}

// render executes a page into a buffer first, so a template error never
// sends half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, page, title string, data any, err error) {
	v := view{Title: title, P: principalOf(r), Path: r.URL.Path, Data: data, Flash: r.URL.Query().Get("ok"), Today: s.today}
	if sess := sessionOf(r); sess != nil {
		v.CSRF = sess.CSRF
	}
	if err != nil {
		v.Error = apperr.MessageOf(err)
		var ae *apperr.Error
		if asAppErr(err, &ae) {
			v.Errors = ae.Details
		}
		if status == 0 {
			status = statusOf(err)
		}
		if statusOf(err) == http.StatusInternalServerError {
			s.log.Error("request failed", "path", r.URL.Path, "err", err)
		}
	}
	if status == 0 {
		status = http.StatusOK
	}
	t, ok := s.pages.byName[page]
	if !ok {
		http.Error(w, "page "+page+" missing", http.StatusInternalServerError)
		return
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", v); err != nil {
		s.log.Error("template", "page", page, "err", err)
		http.Error(w, "Gabim në shfaqjen e faqes", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	buf.WriteTo(w)
}

// handler is a UI handler for a logged-in user.
type handler func(w http.ResponseWriter, r *http.Request, p *auth.Principal)

// page wraps a UI handler: anonymous users go to the login page, and every
// POST must carry the session's form token (besides the cross-origin check).
func (s *Server) page(h handler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		p := principalOf(r)
		if p == nil {
			http.Redirect(w, r, "/hyrje?pas="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
			return
		}
		if r.Method == http.MethodPost {
			if err := r.ParseMultipartForm(64 << 20); err != nil && err != http.ErrNotMultipart {
				s.render(w, r, http.StatusBadRequest, "error", "Gabim", nil, apperr.New(apperr.Invalid, "Formulari nuk lexohet."))
				return
			}
			if sess := sessionOf(r); sess == nil || r.FormValue("csrf") != sess.CSRF {
				s.render(w, r, http.StatusForbidden, "error", "Gabim", nil, apperr.New(apperr.Forbidden, "Formulari ka skaduar. Hapeni faqen përsëri dhe provoni prapë."))
				return
			}
		}
		h(w, r, p)
	}
}

// fail renders the error page for err.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	s.render(w, r, 0, "error", "Gabim", nil, err)
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

func atoi64(s string) int64 {
	n, _ := strconv.ParseInt(s, 10, 64)
	return n
}
