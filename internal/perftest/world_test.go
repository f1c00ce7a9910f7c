package perftest

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"provim/internal/auth"
	"provim/internal/clock"
	"provim/internal/demo"
	"provim/internal/registry"
	"provim/internal/store"
	"provim/internal/store/storetest"
	"provim/internal/testkit"
	"provim/internal/web"
	"provim/internal/web/webkit"
	"provim/internal/wire"
)

const (
	seed     = 20270601
	year     = 2027
	password = "fjalëkalim-provë-123"
)

var ava = &auth.Principal{Username: "demo", FullName: "Demonstrimi", Role: auth.RoleAVA}

// world is a small demo country taken to the eve of D1 (the forms, the
// final lists, A2 and the venue plan done), served by provim's own
// handler over a store that records its statements.
type world struct {
	base    *store.DB // the database, not recording (EXPLAIN runs here)
	svcs    *wire.Services
	rec     *recorder
	handler http.Handler
}

func newWorld(t testing.TB, students int) *world {
	t.Helper()
	ctx := context.Background()
	dsn := storetest.DSN(t)
	base, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { base.Close() })
	rdb, rec := recording(t, base, dsn)
	clk := clock.Fixed(testkit.Start)
	svcs := wire.New(rdb, clk)
	if err := svcs.Years.EnsureDefault(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := svcs.Years.Create(ctx, ava, year, "", 2009); err != nil {
		t.Fatal(err)
	}
	if err := svcs.Years.SetActive(ctx, ava, year); err != nil {
		t.Fatal(err)
	}
	if err := demo.Load(ctx, svcs.Registry, ava, demo.GenerateN(seed, year, students), nil); err != nil {
		t.Fatal(err)
	}
	if err := demo.RunApplications(ctx, svcs, clk, ava, seed, nil); err != nil {
		t.Fatal(err)
	}
	if err := demo.RunVenuePlan(ctx, svcs, clk, ava, nil); err != nil {
		t.Fatal(err)
	}
	clk.Set(testkit.Moment(t, demo.Today(year)))
	srv, err := web.New(svcs, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	return &world{base: base, svcs: svcs, rec: rec, handler: srv.Handler()}
}

// student returns the browser session cookie of a new account for a
// maturant with a seat: the n-th maturant of the registry.
func (w *world) student(t testing.TB, n int) *http.Cookie {
	t.Helper()
	ctx := context.Background()
	st, _, err := w.svcs.Registry.ListStudents(ctx, ava, registry.StudentFilter{Category: registry.Maturant, Page: registry.Page{Limit: 1, Offset: n}})
	if err != nil || len(st) == 0 {
		t.Fatalf("student %d: %v", n, err)
	}
	name := fmt.Sprintf("nxenes.%d", st[0].ID)
	if _, err := w.svcs.Auth.CreateUser(ctx, nil, auth.NewUser{Username: name, FullName: st[0].FirstName + " " + st[0].LastName,
		Password: password, Role: auth.RoleStudent, StudentID: st[0].ID}); err != nil {
		t.Fatal(err)
	}
	sess, err := w.svcs.Auth.Login(ctx, name, password, "127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	return &http.Cookie{Name: webkit.SessionCookie, Value: sess.Token}
}

// get serves one page to the holder of cookie and returns its status and
// where it redirects.
func (w *world) get(cookie *http.Cookie, path string) (int, string) {
	r := httptest.NewRequest(http.MethodGet, path, nil)
	r.AddCookie(cookie)
	rr := httptest.NewRecorder()
	w.handler.ServeHTTP(rr, r)
	return rr.Code, rr.Header().Get("Location")
}
