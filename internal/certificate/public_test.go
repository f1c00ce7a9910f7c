package certificate_test

import (
	"strings"
	"testing"
	"time"

	"provim/internal/apperr"
	"provim/internal/certificate"
	"provim/internal/certificate/certtest"
	"provim/internal/testkit"
)

// The public check needs the pair: a number with the wrong personal
// number answers exactly as a number that does not exist; a valid
// certificate shows the name, year and grades; a revoked one its date,
// reason and replacement, and no grades.
func TestPublicCheckNeedsThePair(t *testing.T) {
	w := newWorld(t)
	home := w.land.Home.Student
	w.src.Set(certtest.Complete(home))
	w.issueAll(t)
	c := w.certOf(t, home)
	pn := testkit.StudentNID(1, 1)
	a, err := w.svc.Check(w.ctx, "10.0.0.1", strings.ToLower(c.Number), " "+strings.ToLower(pn))
	if err != nil || a.Status != certificate.StatusValid || a.FullName != c.FullName || a.Year != 2027 || len(a.Exams) != 4 {
		t.Fatalf("valid: %+v %v", a, err)
	}
	wrong, err := w.svc.Check(w.ctx, "10.0.0.2", c.Number, testkit.StudentNID(3, 3))
	if err != nil {
		t.Fatal(err)
	}
	missing, err := w.svc.Check(w.ctx, "10.0.0.2", certificate.Number(2027, 999999), pn)
	if err != nil {
		t.Fatal(err)
	}
	if wrong.Status != certificate.StatusNotFound || wrong.FullName != "" || len(wrong.Exams) != 0 ||
		missing.Status != wrong.Status || missing.FullName != "" {
		t.Fatalf("wrong pair %+v, missing %+v", wrong, missing)
	}
	if _, err := w.svc.Check(w.ctx, "10.0.0.3", "", pn); !apperr.Is(err, apperr.Invalid) {
		t.Fatalf("no number: %v", err)
	}
	if _, err := w.svc.Check(w.ctx, "10.0.0.3", c.Number, strings.Repeat("1", 21)); !apperr.Is(err, apperr.Invalid) {
		t.Fatalf("long personal number: %v", err)
	}
	w.src.Set(certtest.Complete(home, 9, 7, 9, 6))
	if err := w.svc.Reissue(w.ctx, 2027, home); err != nil {
		t.Fatal(err)
	}
	r, err := w.svc.Check(w.ctx, "10.0.0.4", c.Number, pn)
	if err != nil || r.Status != certificate.StatusRevoked || r.Reason != certificate.ReasonRemark || r.ReplacedBy == "" ||
		r.RevokedAt.IsZero() || len(r.Exams) != 0 {
		t.Fatalf("revoked: %+v %v", r, err)
	}
	if n := w.count(t, `SELECT COUNT(*) FROM certificate_checks WHERE address LIKE '10.%'`); n != 0 {
		t.Fatal("an address is kept in clear")
	}
}

// The public check is throttled per address: after MissLimit answers
// "not found" within MissWindow every check from that address is refused
// with a clear message — the right pair too — until the window passes;
// another address is not held back; and at most CheckLimit checks in
// CheckWindow.
func TestCertificateVerifyPageThrottled(t *testing.T) {
	w := newWorld(t)
	w.src.Set(certtest.Complete(w.land.Home.Student))
	w.issueAll(t)
	c := w.certOf(t, w.land.Home.Student)
	pn := testkit.StudentNID(1, 1)
	const guesser = "203.0.113.7"
	for i := range certificate.MissLimit {
		a, err := w.svc.Check(w.ctx, guesser, c.Number, testkit.StudentNID(9, i+10))
		if err != nil || a.Status != certificate.StatusNotFound {
			t.Fatalf("guess %d: %+v %v", i, a, err)
		}
	}
	_, err := w.svc.Check(w.ctx, guesser, c.Number, pn)
	if !apperr.Is(err, apperr.TooMany) || !strings.Contains(err.Error(), "provoni përsëri pas orës") {
		t.Fatalf("after %d misses: %v", certificate.MissLimit, err)
	}
	// The same /64 of IPv6 counts as one address.
	for i := range certificate.MissLimit {
		w.svc.Check(w.ctx, "2001:db8:1:2::"+string(rune('a'+i)), c.Number, "X")
	}
	if _, err := w.svc.Check(w.ctx, "2001:db8:1:2::ff", c.Number, pn); !apperr.Is(err, apperr.TooMany) {
		t.Fatalf("the /64: %v", err)
	}
	if a, err := w.svc.Check(w.ctx, "198.51.100.1", c.Number, pn); err != nil || a.Status != certificate.StatusValid {
		t.Fatalf("another address: %+v %v", a, err)
	}
	w.k.Clock.Set(w.k.Clock.Now().Add(certificate.MissWindow + time.Minute))
	if a, err := w.svc.Check(w.ctx, guesser, c.Number, pn); err != nil || a.Status != certificate.StatusValid {
		t.Fatalf("after the window: %+v %v", a, err)
	}
	// Many right answers: CheckLimit in CheckWindow.
	const reader = "198.51.100.2"
	for i := range certificate.CheckLimit {
		if _, err := w.svc.Check(w.ctx, reader, c.Number, pn); err != nil {
			t.Fatalf("check %d: %v", i, err)
		}
	}
	if _, err := w.svc.Check(w.ctx, reader, c.Number, pn); !apperr.Is(err, apperr.TooMany) {
		t.Fatalf("check %d: %v", certificate.CheckLimit+1, err)
	}
}
