package certificate_test

import (
	"context"
	"testing"

	"provim/internal/certificate"
	"provim/internal/certificate/certtest"
	"provim/internal/testkit"
)

// world is testkit's small country whose results stand in a fixture
// (certtest): the certificates read completions through their Source.
type world struct {
	k    *testkit.Kit
	land *testkit.Land
	svc  *certificate.Service
	src  *certtest.Fixture
	seal *certificate.Seal
	ctx  context.Context
}

func newWorld(t *testing.T) *world {
	t.Helper()
	k := testkit.New(t)
	land := k.Country(t)
	seal, err := certificate.NewSeal()
	if err != nil {
		t.Fatal(err)
	}
	src := certtest.New()
	svc := certificate.NewService(k.DB, k.Years, k.Registry)
	svc.SetSource(src)
	svc.SetSeal(seal)
	k.At(t, "2027-07-20 09:00")
	return &world{k: k, land: land, svc: svc, src: src, seal: seal, ctx: context.Background()}
}

// issueAll issues the year's certificates as AVA.
func (w *world) issueAll(t *testing.T) certificate.IssueReport {
	t.Helper()
	rep, err := w.svc.IssueAll(w.ctx, testkit.AVA, 2027, nil)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// certOf is the valid certificate of a student, as AVA sees it.
func (w *world) certOf(t *testing.T, id int64) certificate.Certificate {
	t.Helper()
	list, err := w.svc.List(w.ctx, testkit.AVA, certificate.Filter{Year: 2027, Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range list {
		if c.StudentID == id && c.Valid() {
			return c
		}
	}
	t.Fatalf("student %d has no valid certificate", id)
	return certificate.Certificate{}
}

func (w *world) count(t *testing.T, q string, args ...any) int {
	t.Helper()
	var n int
	if err := w.k.DB.QueryRow(q, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
