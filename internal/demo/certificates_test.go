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

// certificatesAfterTheSession continues TestRunSession (whose whole first
// session on a small country it shares, the costliest demo build of the
// package) with the results and the certificates: every candidate whose
// Matura is complete gets one, signed with the seal; a re-marking that
// changes a grade revokes it and issues another; the audit chain holds;
// running the step again issues nothing.
func certificatesAfterTheSession(t *testing.T, ctx context.Context, k *testkit.Kit) {
	t.Helper()
	seal, err := certificate.NewSeal()
	if err != nil {
		t.Fatal(err)
	}
	k.Certificates.SetSeal(seal)
	var out []string
	logf := func(s string) { out = append(out, s); t.Log(s) }
	if err := RunResults(ctx, k.Services, k.Clock, ava, nil); err != nil {
		t.Fatal(err)
	}
	if err := RunCertificates(ctx, k.Services, k.Clock, ava, logf); err != nil {
		t.Fatal(err)
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
	auditSpeaksAlbanian(t, k.DB.DB)
}
