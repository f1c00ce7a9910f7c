package demo

import (
	"context"
	"strings"
	"testing"

	"provim/internal/audit"
	"provim/internal/certificate"
	"provim/internal/examyear"
	"provim/internal/testkit"
)

// TestRunCertificatesSaysWhyNone: without the seal's key, and before any
// result is published, the step says so and issues nothing.
func TestRunCertificatesSaysWhyNone(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	k := testkit.New(t)
	var out []string
	logf := func(s string) { out = append(out, s) }
	if err := RunCertificates(ctx, k.Services, k.Clock, ava, logf); err != nil {
		t.Fatal(err)
	}
	seal, err := certificate.NewSeal()
	if err != nil {
		t.Fatal(err)
	}
	k.Certificates.SetSeal(seal)
	if err := RunCertificates(ctx, k.Services, k.Clock, ava, logf); err != nil {
		t.Fatal(err)
	}
	if len(out) != 2 || !strings.Contains(out[0], "--seal-key") || !strings.Contains(out[1], "asnjë rezultat nuk është shpallur") {
		t.Fatalf("progress: %q", out)
	}
}

// TestRunCertificatesAfterTheSession runs the whole first session on a
// small country (D1, D2 and the electives to their results) and then the
// certificates: every candidate whose four exams passed gets one, signed
// with the seal; a re-marking that changes a grade revokes it and issues
// another; the audit chain holds; running the step again issues nothing.
func TestRunCertificatesAfterTheSession(t *testing.T) {
	if testing.Short() {
		t.Skip("the whole session")
	}
	t.Parallel()
	ctx := context.Background()
	k := testkit.New(t)
	if _, err := k.Years.Create(ctx, ava, 2027, "", 2009); err != nil {
		t.Fatal(err)
	}
	if err := k.Years.SetActive(ctx, ava, 2027); err != nil {
		t.Fatal(err)
	}
	if err := Load(ctx, k.Registry, ava, GenerateN(seed, 2027, 1500), nil); err != nil {
		t.Fatal(err)
	}
	seal, err := certificate.NewSeal()
	if err != nil {
		t.Fatal(err)
	}
	k.Certificates.SetSeal(seal)
	var out []string
	logf := func(s string) { out = append(out, s); t.Log(s) }
	for _, run := range []func() error{
		func() error { return RunApplications(ctx, k.Services, k.Clock, ava, seed, nil) },
		func() error { return RunVenuePlan(ctx, k.Services, k.Clock, ava, nil) },
		func() error { return RunTests(ctx, k.Services, k.Clock, ava, nil) },
		func() error { return RunDraws(ctx, k.Services, k.Clock, ava, nil) },
		func() error { return RunCustody(ctx, k.Services, k.Clock, ava, nil) },
		func() error { return RunAnonymisation(ctx, k.Services, k.Clock, ava, nil) },
		func() error { return RunExamDay(ctx, k.Services, k.Clock, ava, false, nil) },
		func() error { return RunMarking(ctx, k.Services, k.Clock, ava, MarkingClosed, nil) },
		func() error { return RunSession(ctx, k.Services, k.Clock, ava, nil) },
		func() error { return RunResults(ctx, k.Services, k.Clock, ava, nil) },
		func() error { return RunCertificates(ctx, k.Services, k.Clock, ava, logf) },
	} {
		if err := run(); err != nil {
			t.Fatal(err)
		}
	}
	list, err := k.Certificates.List(ctx, ava, certificate.Filter{Year: 2027, Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	if len(list) == 0 {
		t.Fatalf("no certificate issued: %q", out)
	}
	c := list[0]
	if _, err := certificate.VerifyRecord(c.Record, seal.Public()); err != nil {
		t.Fatal(err)
	}
	comp, err := k.Results.CompletionOf(ctx, 2027, c.StudentID)
	if err != nil || !comp.Completed || len(comp.Exams) != len(c.Exams) {
		t.Fatalf("completion of a holder: %+v %v", comp, err)
	}
	// A re-marking of D1 to full points changes the grade (unless it was
	// 10 already; then to the pass mark's edge): revoked and reissued.
	var d1 certificate.Exam
	for _, e := range c.Exams {
		if e.Exam == examyear.KindD1 {
			d1 = e
		}
	}
	points := d1.MaxPoints
	if d1.Grade == 10 {
		points = d1.MaxPoints * 6 / 10
	}
	if _, _, err := k.Results.ApplyRemark(ctx, ava, 2027, examyear.KindD1, c.StudentID, points, "Rivlerësim (Neni 64)"); err != nil {
		t.Fatal(err)
	}
	old, err := k.Certificates.Get(ctx, ava, c.Number)
	if err != nil || old.Valid() || old.RevokeReason != certificate.ReasonRemark {
		t.Fatalf("after the re-marking: %+v %v", old, err)
	}
	if old.ReplacedBy != "" {
		fresh, err := k.Certificates.Get(ctx, ava, old.ReplacedBy)
		if err != nil || !fresh.Valid() {
			t.Fatalf("replacement: %+v %v", fresh, err)
		}
	}
	n := len(out)
	if err := RunCertificates(ctx, k.Services, k.Clock, ava, logf); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(strings.Join(out[n:], "\n"), " 0 të lëshuara") {
		t.Errorf("again: %q", out[n:])
	}
	if _, p, err := audit.Verify(ctx, k.DB.DB); err != nil || p != nil {
		t.Fatalf("audit chain: %+v %v", p, err)
	}
}
