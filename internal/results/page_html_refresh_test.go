package results_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"

	"provim/internal/results"
)

// fakeRenderer registers a renderer of version v writing the page's
// points, and restores none after the test (not parallel: the renderer is
// the program's one).
func fakeRenderer(t *testing.T, v string) {
	t.Helper()
	results.SetPageRenderer(v, func(p results.Page) ([]byte, error) {
		var b strings.Builder
		fmt.Fprintf(&b, "<p>%s", v)
		for _, e := range p.Exams {
			fmt.Fprintf(&b, " %s:%d", e.Test(), e.Points)
		}
		b.WriteString("</p>")
		return []byte(b.String()), nil
	})
	t.Cleanup(func() { results.SetPageRenderer("", nil) })
}

// Neni 6.9: the results AVA announces are served from pages prepared at
// publication. After an upgrade whose template differs (here: version
// "v2" replaces "v1"), the stale pages are rendered per request, right,
// until provim serve's start brings them up to date (RefreshPagesHTML);
// two servers starting at once write each page once, and a second run
// finds none stale.
func TestNeni6_9_StalePreparedPagesRefreshedAtStart(t *testing.T) {
	w := newD1(t)
	ctx := context.Background()
	fakeRenderer(t, "v1")
	w.close(t, "D1")
	if _, err := w.k.Results.Compute(ctx, ava, year, "D1"); err != nil {
		t.Fatal(err)
	}
	w.at(t, "2009-06-20")
	if _, err := w.k.Results.Publish(ctx, ava, year, "D1", ""); err != nil {
		t.Fatal(err)
	}
	if h, _, err := w.k.Results.MyPageHTML(ctx, student(w.pass)); err != nil || string(h) != "<p>v1 D1:40</p>" {
		t.Fatalf("prepared at publication: %q %v", h, err)
	}
	// The upgrade: another template. Meanwhile the page is the page.
	fakeRenderer(t, "v2")
	h, page, err := w.k.Results.MyPageHTML(ctx, student(w.pass))
	if err != nil || h != nil || len(page.Exams) != 1 || page.Exams[0].Points != 40 {
		t.Fatalf("stale page served as prepared: %q %+v %v", h, page, err)
	}
	var logs [2]bytes.Buffer
	var wrote [2]int
	var errs [2]error
	var wg sync.WaitGroup
	for i := range 2 {
		wg.Go(func() {
			wrote[i], errs[i] = w.k.Results.RefreshPagesHTML(ctx, results.RefreshOptions{Chunk: 2,
				Log: slog.New(slog.NewTextHandler(&logs[i], nil))})
		})
	}
	wg.Wait()
	pages, err := w.k.Results.PageStudents(ctx, year)
	if err != nil {
		t.Fatal(err)
	}
	if errs[0] != nil || errs[1] != nil || wrote[0]+wrote[1] != len(pages) {
		t.Fatalf("two servers at once wrote %v of %d pages: %v %v", wrote, len(pages), errs[0], errs[1])
	}
	all := logs[0].String() + logs[1].String()
	if !strings.Contains(all, "prepared pages: progress") || !strings.Contains(all, "prepared pages: up to date") {
		t.Errorf("no progress logged:\n%s", all)
	}
	if h, _, err := w.k.Results.MyPageHTML(ctx, student(w.pass)); err != nil || string(h) != "<p>v2 D1:40</p>" {
		t.Fatalf("after the refresh: %q %v", h, err)
	}
	if n, err := w.k.Results.RefreshPagesHTML(ctx, results.RefreshOptions{Log: slog.New(slog.NewTextHandler(io.Discard, nil))}); err != nil || n != 0 {
		t.Errorf("second start wrote %d, %v; want 0", n, err)
	}
	var rows int
	if err := w.db.QueryRow(`SELECT COUNT(*) FROM results_page_html WHERE year = $1 AND version = 'v2'`, year).Scan(&rows); err != nil || rows != len(pages) {
		t.Errorf("%d rows of v2 for %d pages (%v)", rows, len(pages), err)
	}
}

// A refresh stopped (the server shuts down) leaves the pages it did not
// reach to the per-request rendering, and the next start finishes them.
func TestNeni6_9_RefreshStoppedLeavesPagesRenderedPerRequest(t *testing.T) {
	w := newD1(t)
	ctx := context.Background()
	fakeRenderer(t, "v1")
	w.close(t, "D1")
	if _, err := w.k.Results.Compute(ctx, ava, year, "D1"); err != nil {
		t.Fatal(err)
	}
	w.at(t, "2009-06-20")
	if _, err := w.k.Results.Publish(ctx, ava, year, "D1", ""); err != nil {
		t.Fatal(err)
	}
	fakeRenderer(t, "v2")
	stop, cancel := context.WithCancel(ctx)
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	n, err := w.k.Results.RefreshPagesHTML(stop, results.RefreshOptions{Chunk: 1, Pause: 1, Log: slog.New(cancelOnProgress{quiet.Handler(), cancel})})
	if err == nil || n != 1 {
		t.Fatalf("stopped refresh wrote %d, %v; want 1 and the context's error", n, err)
	}
	pages, _ := w.k.Results.PageStudents(ctx, year)
	if n, err := w.k.Results.RefreshPagesHTML(ctx, results.RefreshOptions{Log: quiet}); err != nil || n != len(pages)-1 {
		t.Fatalf("next start wrote %d, %v; want %d", n, err, len(pages)-1)
	}
}

// cancelOnProgress cancels at the first progress record.
type cancelOnProgress struct {
	slog.Handler
	cancel context.CancelFunc
}

func (c cancelOnProgress) Handle(ctx context.Context, r slog.Record) error {
	if strings.Contains(r.Message, "progress") {
		c.cancel()
	}
	return c.Handler.Handle(ctx, r)
}
