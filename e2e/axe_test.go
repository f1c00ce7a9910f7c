package e2e

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// axe-core (npm) checks the pages of the journeys against its default
// rules. It is not committed: .ci/run installs it with npm into a cache
// outside the repository and points PROVIM_AXE at axe.min.js; locally the
// same cache is found under $HOME when PROVIM_AXE is not set.
var axeSrc struct {
	once sync.Once
	js   string
	path string
}

// axeScript is the source of axe.min.js, or "" when it is not installed
// (then the check is skipped outside CI, and fails in CI).
func axeScript(t *testing.T) string {
	axeSrc.once.Do(func() {
		paths := []string{os.Getenv("PROVIM_AXE")}
		if home, err := os.UserHomeDir(); err == nil {
			paths = append(paths, filepath.Join(home, ".cache", "provim-npm", "node_modules", "axe-core", "axe.min.js"))
		}
		for _, p := range paths {
			if p == "" {
				continue
			}
			if b, err := os.ReadFile(p); err == nil {
				axeSrc.js, axeSrc.path = string(b), p
				return
			}
		}
	})
	if axeSrc.js == "" && os.Getenv("CI") != "" {
		t.Fatal("axe-core is required in CI (.ci/run installs it; PROVIM_AXE names axe.min.js)")
	}
	return axeSrc.js
}

// axeViolation is one rule axe found broken, with the first elements.
type axeViolation struct {
	ID     string   `json:"id"`
	Impact string   `json:"impact"`
	Help   string   `json:"help"`
	Nodes  []string `json:"nodes"`
}

// axeCheck runs axe-core's default rules on the page shown, and the touch
// target size of WCAG 2.2 (24 × 24 px), and fails the test on any
// violation, naming the rule and the elements. what names the
// page in the message.
func axeCheck(t *testing.T, ctx context.Context, what string) {
	t.Helper()
	js := axeScript(t)
	if js == "" {
		t.Logf("axe-core not installed: %s not checked (npm install axe-core; PROVIM_AXE=…/axe.min.js)", what)
		return
	}
	// The script is evaluated by the DevTools protocol, not loaded by the
	// page: the page's own CSP (script-src 'self') stays as it is.
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(function(){ if (!window.axe) { `+js+`
	} return true })()`)); err != nil {
		t.Fatalf("%s: load axe-core: %v", what, err)
	}
	res, err := chromedp.Run(ctx, chromedp.Evaluate[[]axeViolation](`axe.run(document, {resultTypes: ['violations'], rules: {'target-size': {enabled: true}}}).then(r =>
		r.violations.map(v => ({id: v.id, impact: v.impact || '', help: v.help,
			nodes: v.nodes.slice(0, 4).map(n => n.target.join(' ') + ' — ' + (n.failureSummary || '').replace(/\s+/g, ' '))})))`,
		chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("%s: axe-core: %v", what, err)
	}
	for _, v := range res {
		t.Errorf("%s: axe %s (%s): %s\n    %s", what, v.ID, v.Impact, v.Help, strings.Join(v.Nodes, "\n    "))
	}
}

// visit opens path, waits for the page, checks it with axe-core and saves
// a full-page screenshot named shot (none for ""). It returns the page's
// HTTP status.
func visit(t *testing.T, ctx context.Context, a *app, path, shot string) int64 {
	t.Helper()
	resp, err := chromedp.RunResponse(ctx, chromedp.Navigate(a.url+path))
	if err != nil {
		t.Fatalf("open %s: %v", path, err)
	}
	do(t, ctx, chromedp.WaitReady(chromedp.CSS("body")))
	axeCheck(t, ctx, path)
	if shot != "" {
		screenshot(t, ctx, shot)
	}
	if resp == nil {
		t.Fatalf("open %s: no response", path)
	}
	return resp.Status
}

// journeyBrowser is browser with a longer limit: a journey visits many
// pages and checks each with axe-core, on a machine that may be busy.
func journeyBrowser(t *testing.T) context.Context {
	t.Helper()
	path := chromium()
	if path == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("chromium is required in CI (apt-get install chromium)")
		}
		t.Skip("chromium not installed: browser test skipped")
	}
	shared.once.Do(func() { startBrowser(path) })
	if shared.err != nil {
		t.Fatal(shared.err)
	}
	jctx, cancel := chromedp.NewContext(shared.ctx, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	if err := chromedp.Do(jctx); err != nil {
		t.Fatalf("open a tab in chromium: %v", err)
	}
	lctx, cancel2 := context.WithTimeout(jctx, 4*time.Minute)
	t.Cleanup(cancel2)
	return lctx
}

// phone makes the tab a 390×844 phone (touch, mobile); desktop 1280×900.
func phone(t *testing.T, ctx context.Context) {
	t.Helper()
	do(t, ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulateScale(2)))
}

func desktop(t *testing.T, ctx context.Context) {
	t.Helper()
	do(t, ctx, chromedp.EmulateViewport(1280, 900))
}

// linksAnswer follows every link of the page's menu and content (same
// site, redirects followed) with the page's own session and returns those
// that do not end on a page that answers 200, as "href: status".
func linksAnswer(t *testing.T, ctx context.Context) []string {
	t.Helper()
	bad, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`Promise.all(Array.from(new Set(
		Array.from(document.querySelectorAll('nav a[href^="/"], main a[href^="/"]'), a => a.getAttribute('href'))
	)).filter(h => !h.startsWith('/api/')).map(h => fetch(h).then(r => [h, r.url.includes('/hyrje') ? 'hyrje' : r.status]))).then(list =>
		list.filter(x => x[1] !== 200).map(x => x[0] + ': ' + x[1]))`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("follow the links: %v", err)
	}
	return bad
}

// fitsWidth fails the test when the page is wider than width CSS pixels
// (it would scroll sideways), naming the elements that stick out.
func fitsWidth(t *testing.T, ctx context.Context, width int) {
	t.Helper()
	out := get(t, ctx, chromedp.Evaluate[[]string](fmt.Sprintf(`Array.from(document.querySelectorAll('body *')).filter(e =>
		e.getBoundingClientRect().right > %d.5 && e.getBoundingClientRect().width > 0).slice(0, 6).map(e =>
		e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className ? '.' + e.className : '') + ' ' + Math.round(e.getBoundingClientRect().right) + 'px')`, width)))
	if len(out) > 0 {
		t.Errorf("the page is wider than %d px: %v", width, out)
	}
}

func text(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	return get(t, ctx, chromedp.Text(chromedp.CSS(sel)))
}
