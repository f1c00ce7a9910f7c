package marking_test

import (
	"strings"
	"testing"

	"provim/internal/apperr"
	"provim/internal/auth"
	"provim/internal/marking"
	"provim/internal/testkit"
)

func TestNeni57_14_ThirdReplacedUntilMarkedAndOnlyByTheLead(t *testing.T) {
	t.Parallel()
	w := newMkWorld(t, mkYear, mkDefaultMarkers)
	c := w.booklets(t, 1, "")[0]
	if _, err := w.svc.Allocate(w.ctx, mkAVA, mkYear, "D1"); err != nil {
		t.Fatal(err)
	}
	a, b := w.pair(t, c)
	w.mark(t, a, c, []string{"B", "C", "", ""}, []int{0, 0, 2, 4})
	w.mark(t, b, c, []string{"B", "C", "", ""}, []int{0, 0, 2, 2})
	// Only AVA and the lead assign; a plain marker is refused.
	err := w.svc.AssignThird(w.ctx, mkP("vl.c"), mkYear, "D1", c, "vl.d")
	mkWant(t, err, apperr.Forbidden)
	var free []string
	for _, u := range []string{"vl.a", "vl.b", "vl.c", "vl.d", "vl.lead"} {
		if u != a && u != b {
			free = append(free, u)
		}
	}
	if err := w.svc.AssignThird(w.ctx, mkP("vl.lead"), mkYear, "D1", anonymDisplay(c), free[0]); err != nil {
		t.Fatal(err)
	}
	// Reassigned before marking: the first third loses it.
	if err := w.svc.AssignThird(w.ctx, mkAVA, mkYear, "D1", c, free[1]); err != nil {
		t.Fatal(err)
	}
	_, err = w.svc.BookletFor(w.ctx, mkP(free[0]), mkYear, "D1", c)
	mkWant(t, err, apperr.NotFound)
	// The third is stopped: cannot submit; AVA reassigns.
	mkExec(t, w.k, `UPDATE marking_markers SET status = 'stopped' WHERE username = $1`, free[1])
	_, err = w.svc.Mark(w.ctx, mkP(free[1]), mkYear, "D1", c, []string{"B", "C", "", ""}, []int{0, 0, 2, 3})
	mkWant(t, err, apperr.Forbidden)
	err = w.svc.AssignThird(w.ctx, mkAVA, mkYear, "D1", c, free[1])
	mkWant(t, err, apperr.Invalid)
	if err := w.svc.AssignThird(w.ctx, mkAVA, mkYear, "D1", c, free[2]); err != nil {
		t.Fatal(err)
	}
	// The lead may be the third.
	bk, err := w.svc.BookletFor(w.ctx, mkP(free[2]), mkYear, "D1", c)
	if err != nil || bk.Mine != nil || !bk.Editable {
		t.Fatalf("third's screen: %+v %v", bk, err)
	}
	w.mark(t, free[2], c, []string{"A", "A", "", ""}, []int{0, 0, 0, 0})
	if st, pts, r := w.state(t, c); st != marking.StateFinal || pts != 0 || r != 3 {
		t.Fatalf("third's zero stands: %s %d %d", st, pts, r)
	}
	err = w.svc.AssignThird(w.ctx, mkAVA, mkYear, "D1", c, free[0])
	mkWant(t, err, apperr.Conflict)
	if !strings.Contains(apperr.MessageOf(err), "Neni 57.14") {
		t.Fatalf("refusal: %v", err)
	}
}

func anonymDisplay(c string) string { return c[:4] + "-" + c[4:8] + "-" + c[8:] }

func TestSeededBookletsNeverGoToAThird(t *testing.T) {
	t.Parallel()
	w := newMkWorld(t, mkYear, mkDefaultMarkers)
	c := "SEEDED001"
	mkExec(t, w.k, `INSERT INTO marking_booklets (year, exam, code, seeded, schools, state, registered_at) VALUES ($1, 'D1', $2, 3, '', 'open', '2009-06-10T08:00:00Z')`, mkYear, c)
	if _, err := w.svc.Allocate(w.ctx, mkAVA, mkYear, "D1"); err != nil {
		t.Fatal(err)
	}
	a, b := w.pair(t, c)
	w.mark(t, a, c, []string{"B", "C", "", ""}, []int{0, 0, 2, 4})
	w.mark(t, b, c, []string{"A", "C", "", ""}, []int{0, 0, 1, 1})
	if st, _, r := w.state(t, c); st != marking.StateFinal || r != 2 {
		t.Fatalf("seeded booklet: %s %d", st, r)
	}
}

func TestPaperSheetsTypedTwiceAndCompared(t *testing.T) {
	t.Parallel()
	w := newMkWorld(t, mkYear, mkDefaultMarkers)
	c := w.booklets(t, 1, "")[0]
	if _, err := w.svc.Allocate(w.ctx, mkAVA, mkYear, "D1"); err != nil {
		t.Fatal(err)
	}
	a, _ := w.pair(t, c)
	typist1, typist2 := testkit.AVA, mkTypist("ava.2")
	_, err := w.svc.EnterPaper(w.ctx, mkP("vl.c"), mkYear, "D1", c, 1, []string{"B", "C", "", ""}, []int{0, 0, 2, 4})
	mkWant(t, err, apperr.Forbidden)
	_, err = w.svc.EnterPaper(w.ctx, typist1, mkYear, "D1", c, 3, []string{"B", "C", "", ""}, []int{0, 0, 2, 4})
	mkWant(t, err, apperr.NotFound)
	r, err := w.svc.EnterPaper(w.ctx, typist1, mkYear, "D1", c, 1, []string{"B", "C", "", ""}, []int{0, 0, 2, 4})
	if err != nil || r.Entry != 1 || r.Matched || r.Mismatch {
		t.Fatalf("entry 1: %+v %v", r, err)
	}
	// The same typist again replaces their entry; it is never the second.
	r, err = w.svc.EnterPaper(w.ctx, typist1, mkYear, "D1", c, 1, []string{"B", "C", "", ""}, []int{0, 0, 2, 3})
	if err != nil || r.Entry != 1 || r.Matched {
		t.Fatalf("entry 1 again: %+v %v", r, err)
	}
	// A mismatch clears both and names the items.
	r, err = w.svc.EnterPaper(w.ctx, typist2, mkYear, "D1", c, 1, []string{"A", "C", "", ""}, []int{0, 0, 2, 4})
	if err != nil || !r.Mismatch || r.Matched || strings.Join(r.Differences, ",") != "1,4a" {
		t.Fatalf("mismatch: %+v %v", r, err)
	}
	var n int
	w.k.DB.QueryRow(`SELECT COUNT(*) FROM marking_entries`).Scan(&n)
	if n != 0 {
		t.Fatalf("%d entries kept after a mismatch", n)
	}
	// Typed again twice, equal: the marker's marking, from paper, signed by the marker.
	if _, err := w.svc.EnterPaper(w.ctx, typist2, mkYear, "D1", c, 1, []string{"b", "C", "", ""}, []int{0, 0, 2, 4}); err != nil {
		t.Fatal(err)
	}
	r, err = w.svc.EnterPaper(w.ctx, typist1, mkYear, "D1", c, 1, []string{"B", "C", "", ""}, []int{0, 0, 2, 4})
	if err != nil || !r.Matched || r.Entry != 2 {
		t.Fatalf("match: %+v %v", r, err)
	}
	bk, err := w.svc.BookletForLead(w.ctx, mkAVA, mkYear, "D1", c)
	if err != nil {
		t.Fatal(err)
	}
	m := bk.Markings[0]
	if m.Round != 1 || m.Username != a || m.Source != "paper" || m.Total != 8 || m.SubmittedAt == "" {
		t.Fatalf("paper marking: %+v", m)
	}
	// Once stored it is not typed again.
	_, err = w.svc.EnterPaper(w.ctx, typist1, mkYear, "D1", c, 1, []string{"B", "C", "", ""}, []int{0, 0, 2, 4})
	mkWant(t, err, apperr.Conflict)
}

func mkTypist(u string) *auth.Principal {
	return &auth.Principal{Username: u, FullName: "AVA " + u, Role: auth.RoleAVA}
}
