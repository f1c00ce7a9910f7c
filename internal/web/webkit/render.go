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
	"strconv"
	"strings"
	"sync"

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

// Execute writes page with v (a View) into a buffer (one of bufs: give
// it back with release once written out).
func (p *Pages) Execute(page string, v View) (*bytes.Buffer, error) {
	t, ok := p.byName[page]
	if !ok {
		return nil, fmt.Errorf("webkit: page %q missing", page)
	}
	buf := bufs.Get().(*bytes.Buffer)
	if err := t.ExecuteTemplate(buf, "layout", v); err != nil {
		release(buf)
		return nil, err
	}
	return buf, nil
}

// Fragment writes the template name defined in page's file with data, on
// its own, as HTML to be placed where the page would have called it (in
// the body's text, the context it is escaped for): a part of a page that
// is the same for many requests is run once and kept (the dashboard's
// calendar).
func (p *Pages) Fragment(page, name string, data any) (template.HTML, error) {
	t, ok := p.byName[page]
	if !ok {
		return "", fmt.Errorf("webkit: page %q missing", page)
	}
	buf := bufs.Get().(*bytes.Buffer)
	defer release(buf)
	if err := t.ExecuteTemplate(buf, name, data); err != nil {
		return "", fmt.Errorf("webkit: %s of %s: %w", name, page, err)
	}
	return template.HTML(buf.String()), nil
}

// bufs are the buffers pages are written into, reused from page to page:
// a page is tens of kilobytes, and a new buffer grew to it again each time.
var bufs = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// release empties buf and gives it back to bufs, unless a very large page
// grew it (it would stay allocated for small ones).
func release(buf *bytes.Buffer) {
	if buf.Cap() > 1<<20 {
		return
	}
	buf.Reset()
	bufs.Put(buf)
}

// View is what every page template receives.
type View struct {
	Title  string
	P      *auth.Principal
	CSRF   string
	Path   string
	Nav    []Link   // the main menu of P
	Scope  string   // P's scope by name (Kit.ScopeOf)
	Flash  string   // a success message, kept server-side with the session (RedirectOK)
	Error  string   // an error sentence
	Errors []string // detailed reasons
	Data   any
	// Today is set when the exam calendar runs on a training clock.
	Today string
	// Menu is Nav written as the menu's links (menuHTML), so that a page
	// is not a template run of every link.
	Menu template.HTML
}

// Render executes a page into a buffer first, so a template error never
// sends half a page. status 0 is 200, or the status of err.
func (k *Kit) Render(w http.ResponseWriter, r *http.Request, status int, page, title string, data any, err error) {
	p := Principal(r)
	// The confirmation is the one the server kept with the session
	// (RedirectOK); nothing in the address is ever shown as one.
	v := View{Title: title, P: p, Path: r.URL.Path, Data: data, Flash: k.takeFlash(w, r), Today: k.Today}
	if p != nil {
		v.Nav = markCurrent(k.Nav(p), r.URL.Path)
		v.Scope = k.ScopeOf(r.Context(), p)
		v.Menu = menuHTML(v.Nav)
	}
	if sess := Session(r); sess != nil {
		v.CSRF = sess.CSRF
	}
	if err != nil {
		v.Error = apperr.MessageOf(err)
		if ae, ok := errors.AsType[*apperr.Error](err); ok {
			v.Error, v.Errors = reasons(v.Error, ae.Details)
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
	// The length is known: the page goes out in one piece, not chunked.
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(status)
	buf.WriteTo(w)
	release(buf)
}

// menuHTML writes the links of the main menu as the layout showed them
// ({{range .Nav}}<a href="{{.Href}}"…>{{.Label}}</a>{{end}}), escaped as
// html/template escapes them. The addresses are the server's own paths
// (nav.go), written as they are; any other address is written as
// html/template writes an unsafe one.
func menuHTML(links []Link) template.HTML {
	var b strings.Builder
	for _, l := range links {
		href := l.Href
		if !ownPath(href) {
			href = "#ZgotmplZ"
		}
		b.WriteString(`<a href="`)
		b.WriteString(template.HTMLEscapeString(href))
		b.WriteString(`"`)
		if l.Current {
			b.WriteString(` aria-current="page"`)
		}
		b.WriteString(`>`)
		b.WriteString(template.HTMLEscapeString(l.Label))
		b.WriteString(`</a>`)
	}
	return template.HTML(b.String())
}

// ownPath reports whether href is a path of this server that needs no
// escaping in an attribute: "/" then letters, digits and / - _ . only.
func ownPath(href string) bool {
	if !strings.HasPrefix(href, "/") || strings.HasPrefix(href, "//") {
		return false
	}
	for _, c := range href {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.ContainsRune("/-_.", c)) {
			return false
		}
	}
	return true
}

// distinct is details without the sentence shown above them and without
// repeats, in their order: an error box says each thing once.
func distinct(details []string, shown string) []string {
	seen := map[string]bool{strings.TrimSpace(shown): true}
	var out []string
	for _, d := range details {
		if k := strings.TrimSpace(d); !seen[k] {
			seen[k] = true
			out = append(out, d)
		}
	}
	return out
}

// reasons is what an error box shows of a sentence and its details: each
// thing once. A sentence that already lists every detail ("Përdoruesi nuk
// u krijua: a; b.") shows its head ("Përdoruesi nuk u krijua:") above the
// list; one that says them otherwise is shown alone.
func reasons(msg string, details []string) (string, []string) {
	ds := distinct(details, msg)
	if len(ds) == 0 {
		return msg, nil
	}
	first := len(msg)
	for _, d := range ds {
		k := strings.TrimRight(strings.TrimSpace(d), ".")
		i := strings.Index(msg, k)
		if k == "" || i < 0 {
			return msg, ds
		}
		first = min(first, i)
	}
	if head := strings.TrimSpace(msg[:first]); len(head) > 1 && strings.HasSuffix(head, ":") {
		return head, ds
	}
	return msg, nil
}

// Fail renders the error page for err, with err's status.
func (k *Kit) Fail(w http.ResponseWriter, r *http.Request, err error) {
	k.Render(w, r, 0, "error", errorTitle(err), nil, err)
}

// errorTitle is the heading of the error page of err, by its status.
func errorTitle(err error) string {
	switch StatusOf(err) {
	case http.StatusNotFound:
		return "Nuk u gjet"
	case http.StatusForbidden, http.StatusUnauthorized:
		return "Nuk lejohet"
	case http.StatusUnprocessableEntity, http.StatusConflict:
		return "Kërkesa nuk pranohet"
	case http.StatusTooManyRequests:
		return "Shumë kërkesa"
	}
	return "Gabim"
}

// takeFlash is the session's waiting confirmation, cleared as it is shown
// with its mark; without the mark there is none to read.
func (k *Kit) takeFlash(w http.ResponseWriter, r *http.Request) string {
	if !HasFlash(r) {
		return ""
	}
	http.SetCookie(w, &http.Cookie{Name: FlashCookie, Value: "", Path: "/", HttpOnly: true, MaxAge: -1})
	msg, err := Session(r).TakeFlash(r.Context())
	if err != nil {
		k.Log.Error("flash", "path", r.URL.Path, "err", err)
	}
	return msg
}
