package marking_test

import (
	"bytes"
	"os/exec"
	"strings"
	"testing"

	"provim/internal/anonym"
	"provim/internal/apperr"
	"provim/internal/marking"
)

func TestNeni59_3_CloseNeedsEveryBookletFinalAndNoOpenCase(t *testing.T) {
	t.Parallel()
	w, year, kr := mkPlanWorld(t)
	for _, m := range mkDefaultMarkers {
		w.addMarker(t, year, m)
	}
	// No booklets: nothing to close.
	_, err := w.svc.Close(w.ctx, mkAVA, year, "D1")
	mkWant(t, err, apperr.Conflict)
	seeded := anonym.NewCode()
	mkExec(t, w.k, `INSERT INTO marking_calibration (year, exam, no, purpose, code, choices, points, total, added_by, added_at) VALUES ($1, 'D1', 1, 'seeded', $2, '', '2', 2, 'ava', '2027-06-01T08:00:00Z')`, year, seeded)
	if _, err := w.svc.RegisterBooklets(w.ctx, mkAVA, year, "D1"); err != nil {
		t.Fatal(err)
	}
	if _, err := w.svc.Allocate(w.ctx, mkAVA, year, "D1"); err != nil {
		t.Fatal(err)
	}
	used, _ := w.k.Anonym.UsedCodes(w.ctx, year, "D1")
	pairOf := func(c string) (string, string) {
		var a, b string
		w.k.DB.QueryRow(`SELECT (SELECT username FROM marking_allocations WHERE year = $1 AND exam = 'D1' AND code = $2 AND round = 1),
			(SELECT username FROM marking_allocations WHERE year = $1 AND exam = 'D1' AND code = $2 AND round = 2)`, year, c).Scan(&a, &b)
		return a, b
	}
	mk := func(u, c string, p int) {
		t.Helper()
		if _, err := w.svc.Mark(w.ctx, mkP(u), year, "D1", c, []string{""}, []int{p}); err != nil {
			t.Fatalf("%s marks %s: %v", u, c, err)
		}
	}
	// Marked once everywhere: refused, naming what is missing.
	for _, u := range used {
		a, _ := pairOf(u.Code)
		mk(a, u.Code, 2)
	}
	_, err = w.svc.Close(w.ctx, mkP("vl.lead"), year, "D1")
	mkWant(t, err, apperr.Conflict)
	if !strings.Contains(apperr.MessageOf(err), "5 teste pa dy vlerësime") {
		t.Fatalf("refusal: %v", err)
	}
	// One differs: waiting for a third.
	for i, u := range used {
		_, b := pairOf(u.Code)
		mk(b, u.Code, map[bool]int{true: 1, false: 2}[i == 0])
	}
	mkExec(t, w.k, `INSERT INTO marking_cases (year, exam, case_no, opened_by, opened_at) VALUES ($1, 'D1', 1, 'kop', '2027-06-20T08:00:00Z')`, year)
	_, err = w.svc.Close(w.ctx, mkAVA, year, "D1")
	msg := apperr.MessageOf(err)
	if apperr.CodeOf(err) != apperr.Conflict || !strings.Contains(msg, "1 teste që presin vlerësuesin e tretë") || !strings.Contains(msg, "1 raste të KOPOTED-it") {
		t.Fatalf("refusal: %v", err)
	}
	if _, err := w.svc.AssignThirdAll(w.ctx, mkAVA, year, "D1"); err != nil {
		t.Fatal(err)
	}
	var third string
	w.k.DB.QueryRow(`SELECT username FROM marking_allocations WHERE year = $1 AND exam = 'D1' AND code = $2 AND round = 3`, year, used[0].Code).Scan(&third)
	mk(third, used[0].Code, 0)
	_, err = w.svc.Close(w.ctx, mkAVA, year, "D1")
	mkWant(t, err, apperr.Conflict) // the case is still open
	mkExec(t, w.k, `UPDATE marking_cases SET decision = 'voided' WHERE year = $1`, year)
	mkExec(t, w.k, `UPDATE marking_booklets SET state = 'voided' WHERE year = $1 AND code = $2`, year, used[1].Code)
	// Before the close: no points handed on, and the link stays sealed.
	_, err = w.svc.FinalPoints(w.ctx, year, "D1")
	mkWant(t, err, apperr.Conflict)
	shares := make([]anonym.ShareInput, len(kr.Shares))
	for i, sh := range kr.Shares {
		shares[i] = anonym.ShareInput{Holder: sh.Name, Share: sh.Share}
	}
	_, err = w.k.Anonym.Open(w.ctx, mkAVA, year, "D1", shares)
	mkWant(t, err, apperr.Conflict)
	// A plain marker may not close; the observer sees progress but may not close.
	_, err = w.svc.Close(w.ctx, mkP("vl.c"), year, "D1")
	mkWant(t, err, apperr.Forbidden)
	_, err = w.svc.Close(w.ctx, ovObserver, year, "D1")
	mkWant(t, err, apperr.Forbidden)
	pr, err := w.svc.Progress(w.ctx, ovObserver, year, "D1")
	if err != nil || pr.Registered != 5 || pr.Allocated != 5 || pr.MarkedTwice != 5 || pr.Final != 4 || pr.Voided != 1 || pr.Closed {
		t.Fatalf("progress %+v %v", pr, err)
	}
	_, err = w.svc.Progress(w.ctx, mkP("vl.c"), year, "D1")
	mkWant(t, err, apperr.Forbidden)
	// The seeded booklet, marked once only, does not hold the close back.
	res, err := w.svc.Close(w.ctx, mkP("vl.lead"), year, "D1")
	if err != nil || res.Booklets != 4 || res.Voided != 1 {
		t.Fatalf("close: %+v %v", res, err)
	}
	if closed, err := w.svc.Closed(w.ctx, year, "D1"); err != nil || !closed {
		t.Fatalf("closed: %v %v", closed, err)
	}
	pr, _ = w.svc.Progress(w.ctx, mkAVA, year, "D1")
	if !pr.Closed || pr.ClosedAt == "" {
		t.Fatalf("progress after close %+v", pr)
	}
	// After the close nothing changes.
	c := used[2].Code
	a, _ := pairOf(c)
	for what, err := range map[string]error{
		"mark":     func() error { _, err := w.svc.Mark(w.ctx, mkP(a), year, "D1", c, []string{""}, []int{0}); return err }(),
		"allocate": func() error { _, err := w.svc.Allocate(w.ctx, mkAVA, year, "D1"); return err }(),
		"register": func() error { _, err := w.svc.RegisterBooklets(w.ctx, mkAVA, year, "D1"); return err }(),
		"third":    w.svc.AssignThird(w.ctx, mkAVA, year, "D1", c, "vl.c"),
		"thirds":   func() error { _, err := w.svc.AssignThirdAll(w.ctx, mkAVA, year, "D1"); return err }(),
		"paper": func() error {
			_, err := w.svc.EnterPaper(w.ctx, mkAVA, year, "D1", seeded, 2, []string{""}, []int{1})
			return err
		}(),
		"close": func() error { _, err := w.svc.Close(w.ctx, mkAVA, year, "D1"); return err }(),
	} {
		if apperr.CodeOf(err) != apperr.Conflict {
			t.Fatalf("%s after the close: %v", what, err)
		}
	}
	pts, err := w.svc.FinalPoints(w.ctx, year, "D1")
	if err != nil || len(pts) != 5 {
		t.Fatalf("final points %+v %v", pts, err)
	}
	for _, p := range pts {
		switch {
		case p.Code == seeded:
			t.Fatal("seeded booklet handed on")
		case p.Code == used[0].Code && (p.Points != 0 || len(p.Items) != 1 || p.Items[0] != 0):
			t.Fatalf("third's points: %+v", p)
		case p.Code == used[1].Code && !p.Voided:
			t.Fatalf("voided: %+v", p)
		case p.Code != used[0].Code && p.Code != used[1].Code && (p.Points != 2 || p.Items[0] != 2):
			t.Fatalf("agreed points: %+v", p)
		}
	}
	// The key holders may open the link now.
	if _, err := w.k.Anonym.Open(w.ctx, mkAVA, year, "D1", shares); err != nil {
		t.Fatal(err)
	}
}

func TestMarkingSheetPDF(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext missing")
	}
	w := newMkWorld(t, mkYear, mkDefaultMarkers)
	c := w.booklets(t, 1, "")[0]
	if _, err := w.svc.Allocate(w.ctx, mkAVA, mkYear, "D1"); err != nil {
		t.Fatal(err)
	}
	a, b := w.pair(t, c)
	w.k.At(t, "2027-06-20 09:15")
	w.mark(t, a, c, []string{"B", "AC", "", ""}, []int{0, 0, 2, 4})
	w.k.At(t, "2027-06-20 10:40")
	w.mark(t, b, c, []string{"B", "C", "", ""}, []int{0, 0, 2, 1})
	if _, err := w.svc.AssignThirdAll(w.ctx, mkAVA, mkYear, "D1"); err != nil {
		t.Fatal(err)
	}
	bk, _ := w.svc.BookletForLead(w.ctx, mkAVA, mkYear, "D1", c)
	third := bk.Markings[2].Username
	w.k.At(t, "2027-06-21 08:05")
	w.mark(t, third, c, []string{"B", "C", "", ""}, []int{0, 0, 1, 3})
	_, err := w.svc.MarkingSheet(w.ctx, mkP("vl.c"), mkYear, "D1", c)
	mkWant(t, err, apperr.Forbidden)
	_, err = w.svc.MarkingSheet(w.ctx, mkAVA, mkYear, "D1", "ZZZZZZZZZ")
	mkWant(t, err, apperr.NotFound)
	body, err := w.svc.MarkingSheet(w.ctx, mkP("vl.lead"), mkYear, "D1", c)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("pdftotext", "-layout", "-", "-")
	cmd.Stdin = bytes.NewReader(body)
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(strings.Fields(string(out)), " ")
	for _, want := range []string{
		"Fleta e vlerësimit", anonymDisplay(c), "Vlerësuesi i parë", "Vlerësuesi i dytë", "Vlerësuesi i tretë",
		"Vlerësuesi " + a, "Vlerësuesi " + b, "Vlerësuesi " + third,
		"20.06.2027 09:15", "20.06.2027 10:40", "21.06.2027 08:05", "0 (AC)",
		"Pikët përfundimtare: 6", "Neni 57.10", "Neni 57.14",
	} {
		if !strings.Contains(text, want) {
			t.Fatalf("sheet lacks %q:\n%s", want, text)
		}
	}
	_ = marking.StateFinal
}
