package certificate_test

import (
	"context"
	"os"
	"strconv"
	"testing"
	"time"

	"provim/internal/certificate"
	"provim/internal/certificate/certtest"
	"provim/internal/clock"
	"provim/internal/demo"
	"provim/internal/testkit"
)

// TestIssueAtNationalSize issues the certificates of a country of
// PROVIM_CERT_BULK candidates (35000 for a national year; skipped when
// unset): the time of the bulk issue, of a second (idempotent) run, and
// of one certificate's PDF with its signatures.
func TestIssueAtNationalSize(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("PROVIM_CERT_BULK"))
	if n <= 0 {
		t.Skip("PROVIM_CERT_BULK=35000 measures a national year")
	}
	ctx := context.Background()
	k := testkit.New(t)
	p := testkit.AVA
	if err := demo.Load(ctx, k.Registry, p, demo.GenerateN(1, 2027, n), nil); err != nil {
		t.Fatal(err)
	}
	students, err := k.Registry.EveryStudent(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	src := certtest.New()
	for _, st := range students {
		src.Set(certtest.Complete(st.ID))
	}
	seal, err := certificate.NewSeal()
	if err != nil {
		t.Fatal(err)
	}
	svc := certificate.NewService(k.DB, k.Years, k.Registry)
	svc.SetSource(src)
	svc.SetSeal(seal)
	timer := clock.StartTimer()
	rep, err := svc.IssueAll(ctx, p, 2027, func(s string) { t.Log(s) })
	if err != nil {
		t.Fatal(err)
	}
	first := timer.Elapsed()
	if rep.Issued != len(students) {
		t.Fatalf("issued %d of %d", rep.Issued, len(students))
	}
	timer = clock.StartTimer()
	again, err := svc.IssueAll(ctx, p, 2027, nil)
	if err != nil || again.Issued != 0 || again.Already != len(students) {
		t.Fatalf("again: %+v %v", again, err)
	}
	second := timer.Elapsed()
	list, err := svc.List(ctx, p, certificate.Filter{Year: 2027, Limit: 20})
	if err != nil {
		t.Fatal(err)
	}
	timer = clock.StartTimer()
	for _, c := range list {
		if _, _, err := svc.PDF(ctx, p, c.Number); err != nil {
			t.Fatal(err)
		}
	}
	per := timer.Elapsed() / time.Duration(len(list))
	t.Logf("%d certificates issued in %s (%.0f/s); again in %s; one signed PDF in %s", rep.Issued, first.Round(time.Millisecond),
		float64(rep.Issued)/first.Seconds(), second.Round(time.Millisecond), per.Round(100*time.Microsecond))
}
