package results

// The candidate's page prepared as HTML (issue 15 item 4): this area
// registers with the results service, once at start, the function that
// writes a page's content with the page's own template (results_me.html,
// its "content" part, run as the layout runs it), and the hash of that
// template as the version. The service stores what it writes with the
// page (publication, a re-marking, PreparePagesHTML), and the request
// sends the stored content inside the layout (results_me_ready.html):
// the layout's per-request part (the user, the form token of "Dil", the
// menu, a confirmation) is still rendered for each request.

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"html/template"
	"io/fs"

	"provim/internal/results"
	"provim/internal/web/webkit"
)

// pagePrepared is the page that writes stored content inside the layout.
const pagePrepared = "results_me_ready"

func init() {
	version, render, err := pageRenderer()
	if err != nil {
		// A template that does not parse alone is served per request
		// (MyPageHTML's fallback); TestPreparedPage fails on it.
		return
	}
	results.SetPageRenderer(version, render)
}

// pageRenderer parses results_me.html on its own, with the area's
// functions, and returns its version and the function that writes the
// content of a page.
func pageRenderer() (string, func(results.Page) ([]byte, error), error) {
	text, err := fs.ReadFile(Templates.FS, "results_me.html")
	if err != nil {
		return "", nil, err
	}
	t, err := template.New("results_me").Funcs(Templates.Funcs).Parse(string(text))
	if err != nil {
		return "", nil, fmt.Errorf("web/results: prepared page: %w", err)
	}
	sum := sha256.Sum256(text)
	version := "results_me:" + hex.EncodeToString(sum[:8])
	return version, func(p results.Page) ([]byte, error) {
		var b bytes.Buffer
		if err := t.ExecuteTemplate(&b, "content", webkit.View{Data: meView{Page: p}}); err != nil {
			return nil, err
		}
		return b.Bytes(), nil
	}, nil
}
