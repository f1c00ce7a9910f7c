package webkit

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"slices"
	"strings"

	"provim/internal/apperr"
	"provim/internal/auth"
)

//go:embed templates
var own embed.FS

// Templates are the pages of one area: the *.html files at the root of FS,
// each named by its file name without .html, and the template functions
// they need besides the kit's own (Funcs).
type Templates struct {
	FS    fs.FS
	Funcs template.FuncMap
}

// Sub is the Templates of the directory dir of an embedded file system.
func Sub(fsys embed.FS, dir string, funcs template.FuncMap) Templates {
	sub, err := fs.Sub(fsys, dir)
	if err != nil {
		panic(err) // dir is a constant of the caller's embed directive
	}
	return Templates{FS: sub, Funcs: funcs}
}

// Kit is the kit's own pages (the error page) with its layout.
func kitTemplates() Templates { return Sub(own, "templates", nil) }

// Pages holds every page template, each parsed together with the layout.
type Pages struct {
	byName map[string]*template.Template
}

// NewPages parses the layout with every page of sets (and the kit's own).
// Two pages or two functions of the same name are an error.
func NewPages(sets ...Templates) (*Pages, error) {
	layout, err := fs.ReadFile(own, "templates/layout.html")
	if err != nil {
		return nil, err
	}
	funcs := baseFuncs()
	sets = append([]Templates{kitTemplates()}, sets...)
	for _, set := range sets {
		for name, fn := range set.Funcs {
			if _, dup := funcs[name]; dup {
				return nil, fmt.Errorf("webkit: template function %q defined twice", name)
			}
			funcs[name] = fn
		}
	}
	p := &Pages{byName: map[string]*template.Template{}}
	for _, set := range sets {
		files, err := fs.Glob(set.FS, "*.html")
		if err != nil {
			return nil, err
		}
		for _, f := range files {
			name := strings.TrimSuffix(path.Base(f), ".html")
			if name == "layout" {
				continue
			}
			if _, dup := p.byName[name]; dup {
				return nil, fmt.Errorf("webkit: page %q defined twice", name)
			}
			body, err := fs.ReadFile(set.FS, f)
			if err != nil {
				return nil, err
			}
			t, err := template.New("layout").Funcs(funcs).Parse(string(layout))
			if err != nil {
				return nil, fmt.Errorf("webkit: parse layout: %w", err)
			}
			if _, err := t.New(name).Parse(string(body)); err != nil {
				return nil, fmt.Errorf("webkit: parse %s: %w", f, err)
			}
			p.byName[name] = t
		}
	}
	return p, nil
}

// Names lists the pages, sorted.
func (p *Pages) Names() []string {
	out := make([]string, 0, len(p.byName))
	for n := range p.byName {
		out = append(out, n)
	}
	slices.Sort(out)
	return out
}

// Execute writes page with v (a View) into a buffer.
func (p *Pages) Execute(page string, v View) (*bytes.Buffer, error) {
	t, ok := p.byName[page]
	if !ok {
		return nil, fmt.Errorf("webkit: page %q missing", page)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", v); err != nil {
		return nil, err
	}
	return &buf, nil
}

// View is what every page template receives.
type View struct {
	Title  string
	P      *auth.Principal
	CSRF   string
	Path   string
	Nav    []Link   // the main menu of P
	Flash  string   // a success message, kept server-side with the session (RedirectOK)
	Error  string   // an error sentence
	Errors []string // detailed reasons
	Data   any
	// Today is set when the exam calendar runs on a training clock.
	Today string
}

// Render executes a page into a buffer first, so a template error never
// sends half a page. status 0 is 200, or the status of err.
func (k *Kit) Render(w http.ResponseWriter, r *http.Request, status int, page, title string, data any, err error) {
	p := Principal(r)
	// The confirmation is the one the server kept with the session
	// (RedirectOK); nothing in the address is ever shown as one.
	v := View{Title: title, P: p, Path: r.URL.Path, Data: data, Flash: k.takeFlash(r), Today: k.Today}
	if p != nil {
		v.Nav = k.Nav(p)
	}
	if sess := Session(r); sess != nil {
		v.CSRF = sess.CSRF
	}
	if err != nil {
		v.Error = apperr.MessageOf(err)
		if ae, ok := errors.AsType[*apperr.Error](err); ok {
			v.Errors = ae.Details
		}
		if status == 0 {
			status = StatusOf(err)
		}
		if StatusOf(err) == http.StatusInternalServerError {
			k.Log.Error("request failed", "path", r.URL.Path, "err", err)
		}
	}
	if status == 0 {
		status = http.StatusOK
	}
	buf, xerr := k.pages.Execute(page, v)
	if xerr != nil {
		k.Log.Error("template", "page", page, "err", xerr)
		http.Error(w, "Gabim në shfaqjen e faqes", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	buf.WriteTo(w)
}

// Fail renders the error page for err, with err's status.
func (k *Kit) Fail(w http.ResponseWriter, r *http.Request, err error) {
	k.Render(w, r, 0, "error", "Gabim", nil, err)
}

// takeFlash is the session's waiting confirmation, cleared as it is shown.
func (k *Kit) takeFlash(r *http.Request) string {
	msg, err := Session(r).TakeFlash(r.Context())
	if err != nil {
		k.Log.Error("flash", "path", r.URL.Path, "err", err)
	}
	return msg
}
