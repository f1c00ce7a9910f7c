package results_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"provim/internal/apperr"
	"provim/internal/results"
	"provim/internal/wire"
)

// Issue 15 item 4: each server keeps the prepared pages it served. A
// re-marking shows at once on the server that made it and within
// PageCacheLag on another server over the same database; a read inside a
// transaction sees the transaction's own page; a database whose pages go
// back (restored from an older copy) forgets every page kept.
func TestPreparedPagesKept_ChangesReachEveryServer(t *testing.T) {
	fakeRenderer(t, "v1")
	w := published(t)
	ctx := context.Background()
	a := w.k.Results
	b := wire.New(w.db, w.k.Clock).Results // another server on the same database
	p := student(w.fail)
	page := func(s *results.Service) string {
		t.Helper()
		h, pg, err := s.MyPageHTML(ctx, p)
		if err != nil || h == nil {
			t.Fatalf("prepared page: %q %+v %v", h, pg, err)
		}
		return string(h)
	}
	json := func(ctx context.Context, s *results.Service) string {
		t.Helper()
		body, etag, err := s.MyPageJSON(ctx, p)
		if err != nil || etag == "" {
			t.Fatalf("page JSON: %v", err)
		}
		return string(body)
	}
	for _, s := range []*results.Service{a, b} {
		for range 2 {
			if got := page(s); got != "<p>v1 D1:11</p>" {
				t.Fatalf("before: %q", got)
			}
			if got := json(ctx, s); !strings.Contains(got, `"points":11`) {
				t.Fatalf("before: %s", got)
			}
		}
		if st := s.PageCacheStats(); st.Pages != 1 || st.Hits != 2 || st.Misses != 2 || st.Bytes == 0 {
			t.Fatalf("kept: %+v; want one page, each read once from the database and once from memory", st)
		}
	}
	if _, _, err := a.ApplyRemark(ctx, ava, year, "D1", w.fail, 12, "Rivlerësim, kërkesa 1"); err != nil {
		t.Fatal(err)
	}
	if got := page(a); got != "<p>v1 D1:12</p>" {
		t.Errorf("the server that re-marked serves %q", got)
	}
	if got := json(ctx, a); !strings.Contains(got, `"points":12`) {
		t.Errorf("the server that re-marked serves %s", got)
	}
	within := func(what string, ok func() bool) {
		t.Helper()
		deadline := time.Now().Add(results.PageCacheLag + 250*time.Millisecond)
		for !ok() {
			if time.Now().After(deadline) {
				t.Fatalf("%s: not within %s", what, results.PageCacheLag)
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
	within("the other server's page", func() bool { return page(b) == "<p>v1 D1:12</p>" })
	within("the other server's JSON", func() bool { return strings.Contains(json(ctx, b), `"points":12`) })

	// A transaction reads its own writes, not what is kept.
	err := w.db.InTx(ctx, func(ctx context.Context) error {
		if _, _, err := b.ApplyRemark(ctx, ava, year, "D1", w.fail, 13, "Rivlerësim, kërkesa 2"); err != nil {
			return err
		}
		if got := json(ctx, b); !strings.Contains(got, `"points":13`) {
			t.Errorf("inside the transaction: %s", got)
		}
		return apperr.New(apperr.Conflict, "rolled back")
	})
	if !apperr.Is(err, apperr.Conflict) {
		t.Fatal(err)
	}
	if got := json(ctx, b); !strings.Contains(got, `"points":12`) {
		t.Errorf("a rolled-back change is served: %s", got)
	}

	// The pages go back: every kept page is forgotten.
	run(t, w.db, `DELETE FROM results_pages WHERE year = $1 AND student_id = $2`, year, w.fail)
	within("a page gone from the database", func() bool {
		_, _, err := b.MyPageJSON(ctx, p)
		return apperr.Is(err, apperr.NotFound)
	})
}
