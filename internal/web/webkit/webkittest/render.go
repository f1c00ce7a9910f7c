package webkittest

import (
	"io"
	"log/slog"
	"reflect"
	"testing"

	"provim/internal/auth"
	"provim/internal/web/webkit"
)

// Render executes page of set as p with view filled (Fill) and then the
// fields named in set over it (e.g. "Window": a closed deadline), and
// returns the page's HTML: a test of what one state of a view shows.
func Render(t *testing.T, set webkit.Templates, page string, p *auth.Principal, view any, fields map[string]any) string {
	t.Helper()
	kit, err := webkit.New(slog.New(slog.NewTextHandler(io.Discard, nil)), "01.03.2027", nil, set)
	if err != nil {
		t.Fatal(err)
	}
	filled := reflect.New(reflect.TypeOf(view)).Elem()
	filled.Set(reflect.ValueOf(Fill(view)))
	for name, val := range fields {
		f := filled.FieldByName(name)
		if !f.IsValid() || !f.CanSet() {
			t.Fatalf("%s: the view %T has no field %s", page, view, name)
		}
		f.Set(reflect.ValueOf(val))
	}
	v := webkit.View{Title: page, P: p, CSRF: "token", Path: "/", Data: filled.Interface(), Today: "01.03.2027"}
	buf, err := kit.Pages().Execute(page, v)
	if err != nil {
		t.Fatalf("page %s: %v", page, err)
	}
	return buf.String()
}
