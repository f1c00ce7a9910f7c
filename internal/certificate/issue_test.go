package certificate_test

import (
	"context"
	"strings"
	"testing"

	"provim/internal/apperr"
	"provim/internal/certificate"
	"provim/internal/certificate/certtest"
	"provim/internal/testkit"
)

// Neni 17: a certificate for every candidate who completes the Matura —
// both mandatory exams and two electives passed — and for nobody else;
// issuing again issues nothing new; every certificate is audited.
func TestNeni17_CertificateForEveryoneWhoCompletes(t *testing.T) {
	w := newWorld(t)
	w.src.Set(certtest.Complete(w.land.Home.Student))
	w.src.Set(certtest.Complete(w.land.ZA.Student, 9, 9, 9, 9))
	w.src.Set(certtest.Complete(w.land.Foreign.Student, 8, 4, 9, 9)) // failed D2 (Neni 16: the second session)
	var lines []string
	rep, err := w.svc.IssueAll(w.ctx, testkit.AVA, 2027, func(s string) { lines = append(lines, s) })
	if err != nil {
		t.Fatal(err)
	}
	if rep.Issued != 2 || rep.NotComplete != 1 || rep.Already != 0 || len(lines) == 0 {
		t.Fatalf("report %+v, progress %q", rep, lines)
	}
	c := w.certOf(t, w.land.Home.Student)
	if _, _, _, ok := certificate.ParseNumber(c.Number); !ok || !strings.HasPrefix(c.Number, "MS-2027-") {
		t.Fatalf("number %q", c.Number)
	}
	if c.FullName != "Arbër (Ilir) Çela" || c.PersonalNo != testkit.StudentNID(1, 1) || c.BirthDate != "2008-05-01" ||
		c.SchoolCode != "A-1" || c.SchoolName != "Gjimnazi Çajupi" || len(c.Exams) != 4 || c.Exams[3].Year != 2026 || c.IssuedAt.IsZero() {
		t.Fatalf("certificate %+v", c)
	}
	rec, err := certificate.VerifyRecord(c.Record, w.seal.Public())
	if err != nil || rec.Number != c.Number || rec.PersonalNo != c.PersonalNo || rec.Exams[0].Grade != 8 {
		t.Fatalf("record %+v %v", rec, err)
	}
	again := w.issueAll(t)
	if again.Issued != 0 || again.Already != 2 {
		t.Fatalf("second run %+v", again)
	}
	if n := w.count(t, `SELECT COUNT(*) FROM audit_log WHERE action = 'certificate.issue'`); n != 2 {
		t.Fatalf("%d audit entries", n)
	}
}

// Only AVA issues; without the seal's key nothing is issued.
func TestIssueOnlyByAVAWithTheSeal(t *testing.T) {
	w := newWorld(t)
	w.src.Set(certtest.Complete(w.land.Home.Student))
	if _, err := w.svc.IssueAll(w.ctx, w.land.Home.KMSH(), 2027, nil); !apperr.Is(err, apperr.Forbidden) {
		t.Fatalf("KMSH issue: %v", err)
	}
	bare := certificate.NewService(w.k.DB, w.k.Years, w.k.Registry)
	bare.SetSource(w.src)
	if _, err := bare.IssueAll(w.ctx, testkit.AVA, 2027, nil); !apperr.Is(err, apperr.Conflict) || !strings.Contains(err.Error(), "--seal-key") {
		t.Fatalf("without a seal: %v", err)
	}
}

// Neni 64: a re-marking that changes a grade revokes the certificate
// ("rivlerësim") and issues a new one with the new grade; the old is on
// the public list, replaced by the new; a re-marking that makes the
// Matura incomplete revokes without a replacement; one that completes it
// after the year's issue gives a first certificate.
func TestNeni64_RemarkRevokesAndReissues(t *testing.T) {
	w := newWorld(t)
	home, za, foreign := w.land.Home.Student, w.land.ZA.Student, w.land.Foreign.Student
	w.src.Set(certtest.Complete(home))
	w.src.Set(certtest.Complete(za))
	w.src.Set(certtest.Complete(foreign, 8, 4, 9, 9))
	w.issueAll(t)
	old := w.certOf(t, home)
	w.k.At(t, "2027-08-05 10:00")
	w.src.Set(certtest.Complete(home, 9, 7, 9, 6))
	if err := w.k.DB.InTx(w.ctx, func(ctx context.Context) error { return w.svc.Reissue(ctx, 2027, home) }); err != nil {
		t.Fatal(err)
	}
	fresh := w.certOf(t, home)
	if fresh.Number == old.Number || fresh.Exams[0].Grade != 9 {
		t.Fatalf("new certificate %+v", fresh)
	}
	gone, err := w.svc.Get(w.ctx, testkit.AVA, old.Number)
	if err != nil || gone.Valid() || gone.RevokeReason != certificate.ReasonRemark || gone.ReplacedBy != fresh.Number {
		t.Fatalf("old certificate %+v %v", gone, err)
	}
	list, err := w.svc.Revoked(w.ctx, "", 0)
	if err != nil || len(list) != 1 || list[0].Number != old.Number || list[0].ReplacedBy != fresh.Number {
		t.Fatalf("revocation list %+v %v", list, err)
	}
	// A grade falls below the pass: revoked, nothing in its place.
	w.src.Set(certtest.Complete(za, 8, 7, 4, 6))
	zaOld := w.certOf(t, za)
	if err := w.svc.Reissue(w.ctx, 2027, za); err != nil {
		t.Fatal(err)
	}
	if c, _ := w.svc.Get(w.ctx, testkit.AVA, zaOld.Number); c.Valid() || c.ReplacedBy != "" {
		t.Fatalf("failed after re-marking: %+v", c)
	}
	// A re-marking completes the Matura after the issue: a first one.
	w.src.Set(certtest.Complete(foreign, 8, 5, 9, 9))
	if err := w.svc.Reissue(w.ctx, 2027, foreign); err != nil {
		t.Fatal(err)
	}
	if c := w.certOf(t, foreign); c.Exams[1].Grade != 5 {
		t.Fatalf("first certificate %+v", c)
	}
	if n := w.count(t, `SELECT COUNT(*) FROM audit_log WHERE action = 'certificate.revoke'`); n != 2 {
		t.Fatalf("%d revocations audited", n)
	}
}

// AVA revokes by hand with a reason (required, at most MaxReason letters),
// and may reissue in its place; a revoked certificate is not revoked twice.
func TestRevokeByHand(t *testing.T) {
	w := newWorld(t)
	w.src.Set(certtest.Complete(w.land.Home.Student))
	w.issueAll(t)
	c := w.certOf(t, w.land.Home.Student)
	if _, err := w.svc.Revoke(w.ctx, testkit.AVA, c.Number, "  ", false); !apperr.Is(err, apperr.Invalid) {
		t.Fatalf("no reason: %v", err)
	}
	if _, err := w.svc.Revoke(w.ctx, testkit.AVA, c.Number, strings.Repeat("ë", certificate.MaxReason+1), false); !apperr.Is(err, apperr.Invalid) {
		t.Fatalf("long reason: %v", err)
	}
	if _, err := w.svc.Revoke(w.ctx, w.land.Home.KSHMSH(), c.Number, "gabim", false); !apperr.Is(err, apperr.Forbidden) {
		t.Fatalf("school revokes: %v", err)
	}
	got, err := w.svc.Revoke(w.ctx, testkit.AVA, c.Number, "Gabim në të dhënat personale", true)
	if err != nil || got.Valid() || got.ReplacedBy == "" {
		t.Fatalf("revoke with reissue: %+v %v", got, err)
	}
	if _, err := w.svc.Revoke(w.ctx, testkit.AVA, c.Number, "sërish", false); !apperr.Is(err, apperr.Conflict) {
		t.Fatalf("twice: %v", err)
	}
	// IssueAll does not undo a revocation by hand.
	fresh := w.certOf(t, w.land.Home.Student)
	if _, err := w.svc.Revoke(w.ctx, testkit.AVA, fresh.Number, "Rezultat i anuluar nga MASH", false); err != nil {
		t.Fatal(err)
	}
	if rep := w.issueAll(t); rep.Issued != 0 {
		t.Fatalf("IssueAll reissued a revoked one: %+v", rep)
	}
	// The public list keeps AVA's words to itself (they may name the
	// person, Neni 63 ¶3); AVA's own view has them.
	list, err := w.svc.Revoked(w.ctx, "", 0)
	if err != nil || len(list) != 2 {
		t.Fatalf("revocation list %+v %v", list, err)
	}
	for _, r := range list {
		if r.Reason != certificate.ReasonByHand {
			t.Errorf("public reason %q", r.Reason)
		}
	}
	if own, err := w.svc.Get(w.ctx, testkit.AVA, fresh.Number); err != nil || own.RevokeReason != "Rezultat i anuluar nga MASH" {
		t.Errorf("AVA's view %+v %v", own, err)
	}
}

// Neni 17 ¶4, 26: a later year's certificate that counts an earlier
// year's result follows a re-marking of that result: revoked and
// reissued; the earlier year's result is printed with its own year.
func TestNeni26_LaterCertificateFollowsARemarkOfAnEarlierResult(t *testing.T) {
	w := newWorld(t)
	id := w.land.Home.Student
	later := certtest.Complete(id)
	later.Year = 2028
	for i := range later.Exams {
		later.Exams[i].Year = 2028
	}
	later.Exams[0].Year = 2027 // D1 passed in 2027 stays valid (Neni 17 ¶4)
	w.src.Set(later)
	if _, err := w.svc.IssueAll(w.ctx, testkit.AVA, 2028, nil); err != nil {
		t.Fatal(err)
	}
	list, err := w.svc.List(w.ctx, testkit.AVA, certificate.Filter{Year: 2028})
	if err != nil || len(list) != 1 || list[0].Exams[0].Year != 2027 {
		t.Fatalf("2028: %+v %v", list, err)
	}
	old := list[0]
	doc, _, err := w.svc.PDF(w.ctx, testkit.AVA, old.Number)
	if err != nil {
		t.Fatal(err)
	}
	if rec, err := certificate.VerifyPDF(doc, w.seal.Public()); err != nil || rec.Exams[0].Year != 2027 || rec.Year != 2028 {
		t.Fatalf("record: %+v %v", rec, err)
	}
	later.Exams[0].Grade = 10
	w.src.Set(later)
	if err := w.svc.Reissue(w.ctx, 2027, id); err != nil {
		t.Fatal(err)
	}
	got, err := w.svc.Get(w.ctx, testkit.AVA, old.Number)
	if err != nil || got.Valid() || got.ReplacedBy == "" {
		t.Fatalf("the 2028 certificate after a 2027 re-marking: %+v %v", got, err)
	}
	fresh, err := w.svc.Get(w.ctx, testkit.AVA, got.ReplacedBy)
	if err != nil || fresh.Year != 2028 || fresh.Exams[0].Grade != 10 {
		t.Fatalf("replacement: %+v %v", fresh, err)
	}
}
