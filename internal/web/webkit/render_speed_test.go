package webkit

import (
	"html/template"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"provim/internal/apperr"
)

// The menu written in Go is, byte for byte, what the layout's template
// wrote for it; an address that is not one of the server's own paths is
// refused as html/template refuses an unsafe one.
func TestMenuIsWrittenAsTheTemplateWroteIt(t *testing.T) {
	t.Parallel()
	tmpl := template.Must(template.New("nav").Parse(`{{range .}}<a href="{{.Href}}"{{if .Current}} aria-current="page"{{end}}>{{.Label}}</a>{{end}}`))
	links := []Link{
		{Href: "/paneli", Label: "Paneli"},
		{Href: "/formulari/a2", Label: "Formulari A2", Current: true},
		{Href: "/aplikimet/kategori-te-vecanta", Label: "Kategoritë e veçanta"},
		{Href: "/x_y.z", Label: `<b>"Të dhënat" & 'mia'</b>`},
	}
	var want strings.Builder
	if err := tmpl.Execute(&want, links); err != nil {
		t.Fatal(err)
	}
	if got := string(menuHTML(links)); got != want.String() {
		t.Errorf("menu:\n got %s\nwant %s", got, want.String())
	}
	for _, bad := range []string{"javascript:alert(1)", "//evil.example/", "/a b", `/a"onclick="x`, "/ë"} {
		got := string(menuHTML([]Link{{Href: bad, Label: "x"}}))
		if !strings.Contains(got, `href="#ZgotmplZ"`) {
			t.Errorf("address %q written as %s", bad, got)
		}
	}
	if menuHTML(nil) != "" {
		t.Error("no links, yet a menu")
	}
}

// A page goes out in one piece with its length, and a buffer reused from
// a longer page leaves nothing of it in the next one.
func TestRenderSendsWholePagesOfTheirOwn(t *testing.T) {
	t.Parallel()
	k, err := New(slog.New(slog.NewTextHandler(io.Discard, nil)), "", nil)
	if err != nil {
		t.Fatal(err)
	}
	render := func(msg string) (*httptest.ResponseRecorder, string) {
		rr := httptest.NewRecorder()
		k.Render(rr, httptest.NewRequest(http.MethodGet, "/x", nil), 0, "error", "Gabim", nil, apperr.New(apperr.Invalid, "%s", msg))
		return rr, rr.Body.String()
	}
	long := strings.Repeat("shumë e gjatë ", 5000)
	for range 3 {
		_, big := render(long)
		rr, small := render("e shkurtër")
		if got, want := rr.Header().Get("Content-Length"), strconv.Itoa(len(small)); got != want {
			t.Errorf("Content-Length %s, body %s bytes", got, want)
		}
		if strings.Contains(small, "shumë e gjatë") || !strings.Contains(small, "e shkurtër") || !strings.HasSuffix(strings.TrimSpace(small), "</html>") {
			t.Fatalf("the short page after a long one:\n%s", small)
		}
		if len(big) < len(long) {
			t.Fatalf("the long page is %d bytes", len(big))
		}
	}
}
