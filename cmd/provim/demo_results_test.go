package main

import (
	"bytes"
	"context"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"provim/internal/certificate"
	"provim/internal/clock"
	"provim/internal/store"
	"provim/internal/wire"
)

// TestDemoUntilResults: the stop "rezultatet" runs the whole first
// session on a small country, publishes every exam, issues the
// certificates and stops on the morning after the last publication; the
// printed accounts name a candidate with results and a certificate that
// anyone can check with the holder's personal number (and not with
// another's). No re-marking has run.
func TestDemoUntilResults(t *testing.T) {
	if testing.Short() {
		t.Skip("the whole session")
	}
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "demo.db")
	var out, errs bytes.Buffer
	if err := cmdDemo(ctx, []string{"--no-serve", "--db", path, "--students", "600", "--until", untilResults}, nil, &out, &errs); err != nil {
		t.Fatalf("demo: %v\n%s%s", err, out.String(), errs.String())
	}
	txt := out.String()
	for _, want := range []string{"Rezultatet e D1:", "Dëftesat e Pjekurisë 2027:", "Demonstrimi ndalon më 01.07.2027 10:00", "(pa llogari) /vertetimi"} {
		if !strings.Contains(txt, want) {
			t.Fatalf("the demo's output lacks %q:\n%s", want, txt)
		}
	}
	if strings.Contains(txt, "Rivlerësimi i D1:") {
		t.Fatalf("the stop rezultatet ran the re-marking:\n%s", txt)
	}
	m := regexp.MustCompile(`nr\. (MS-\S+) me nr\. personal (\S+)`).FindStringSubmatch(txt)
	if m == nil {
		t.Fatalf("no certificate in the accounts:\n%s", txt)
	}
	db, err := store.Open(ctx, "sqlite:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	svcs := wire.New(db, clock.Real{})
	if a, err := svcs.Certificates.Check(ctx, "192.0.2.1", m[1], m[2]); err != nil || a.Status != certificate.StatusValid {
		t.Fatalf("check %s with %s: %+v %v", m[1], m[2], a, err)
	}
	if a, err := svcs.Certificates.Check(ctx, "192.0.2.1", m[1], "K00000000A"); err != nil || a.Status == certificate.StatusValid {
		t.Fatalf("check %s with another personal number: %+v %v", m[1], a, err)
	}
}

// TestDemoUntilRefusesAnUnknownStop names the stops, "rezultatet" among
// them.
func TestDemoUntilRefusesAnUnknownStop(t *testing.T) {
	var out, errs bytes.Buffer
	err := cmdDemo(context.Background(), []string{"--no-serve", "--db", filepath.Join(t.TempDir(), "x.db"), "--until", "certifikatat"}, nil, &out, &errs)
	if err == nil || !strings.Contains(err.Error(), `"rezultatet"`) {
		t.Fatalf("--until certifikatat: %v", err)
	}
}
