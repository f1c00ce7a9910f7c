package main

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"provim/internal/clock"
	"provim/internal/store"
	"provim/internal/web"
	"provim/internal/web/webkit"
	"provim/internal/wire"
)

// BenchmarkResultsNight serves the candidate's page (UI and API) through
// the whole server handler (every middleware, the session or token read
// from the database each request) over a synthetic country of 5,000, on
// SQLite, or on PROVIM_BENCH_DATABASE_URL (an empty PostgreSQL database).
// The CPU a request costs, without the load generator's:
//
//	go test ./cmd/provim/ -run '^$' -bench ResultsNight -benchtime 5000x
func BenchmarkResultsNight(b *testing.B) {
	ctx := context.Background()
	target := os.Getenv("PROVIM_BENCH_DATABASE_URL")
	if target == "" {
		target = "sqlite:" + filepath.Join(b.TempDir(), "results.db")
	}
	db, err := store.Open(ctx, target)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	ids, err := syntheticResults(ctx, db, 5000)
	if err != nil {
		b.Fatal(err)
	}
	clk := clock.Fixed(resultsEvening)
	sessions, tokens, err := wire.New(db, clk).Auth.LoadSessions(ctx, ids)
	if err != nil {
		b.Fatal(err)
	}
	srv, err := web.New(wire.New(db, clk), slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		b.Fatal(err)
	}
	h := srv.Handler()
	for _, page := range []string{resultsPage, resultsAPI} {
		b.Run(strings.TrimPrefix(page, "/"), func(b *testing.B) {
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				r := httptest.NewRequest(http.MethodGet, page, nil)
				if page == resultsAPI {
					r.Header.Set("Authorization", "Bearer "+tokens[i%len(ids)])
				} else {
					r.Header.Set("Cookie", webkit.SessionCookie+"="+sessions[i%len(ids)])
				}
				w := httptest.NewRecorder()
				h.ServeHTTP(w, r)
				if w.Code != http.StatusOK {
					b.Fatalf("%s: %d %s", page, w.Code, w.Body.String())
				}
				i++
			}
		})
	}
}
