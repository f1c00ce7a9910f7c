package marking_test

import (
	"encoding/json"
	"strings"
	"testing"

	"provim/internal/apperr"
	"provim/internal/marking"
)

func TestNeni57_13_EveryBookletMarkedByTwoDifferentMarkers(t *testing.T) {
	t.Parallel()
	w := newMkWorld(t, mkYear, append(mkDefaultMarkers, mkMarkerDef{"vl.stop", "", "marker", "stopped"}))
	// Fewer than two qualified markers: refused with a sentence.
	w1 := newMkWorld(t, mkYear, []mkMarkerDef{{"vl.c", "", "marker", "qualified"}, {"vl.t", "", "marker", "training"}})
	w1.booklets(t, 3, "A-1")
	_, err := w1.svc.Allocate(w1.ctx, mkAVA, mkYear, "D1")
	mkWant(t, err, apperr.Conflict)
	if !strings.Contains(apperr.MessageOf(err), "dy vlerësues") {
		t.Fatalf("refusal: %v", err)
	}
	// A plain marker may not allocate; the lead may.
	_, err = w.svc.Allocate(w.ctx, mkP("vl.c"), mkYear, "D1")
	mkWant(t, err, apperr.Forbidden)
	codes := w.booklets(t, 200, "")
	res, err := w.svc.Allocate(w.ctx, mkP("vl.lead"), mkYear, "D1")
	if err != nil || res.Booklets != 200 || res.Markers != 5 {
		t.Fatalf("allocate: %+v %v", res, err)
	}
	load := map[string]int{}
	pairs := map[[2]string]int{}
	for _, c := range codes {
		a, b := w.pair(t, c)
		if a == "" || b == "" || a == b {
			t.Fatalf("booklet %s: markers %q and %q", c, a, b)
		}
		load[a]++
		load[b]++
		if a > b {
			a, b = b, a
		}
		pairs[[2]string{a, b}]++
	}
	if load["vl.stop"] != 0 || load["vl.train"] != 0 {
		t.Fatalf("stopped or untrained markers got booklets: %v", load)
	}
	lo, hi := 1<<30, 0
	for _, n := range load {
		lo, hi = min(lo, n), max(hi, n)
	}
	if hi-lo > 2 {
		t.Fatalf("unbalanced loads %v", load)
	}
	// Random pairs: with 5 markers every pair turns up, none always.
	if len(pairs) < 8 {
		t.Fatalf("pairs not random: %v", pairs)
	}
	// Again: nothing new.
	res, err = w.svc.Allocate(w.ctx, mkAVA, mkYear, "D1")
	if err != nil || res.Booklets != 0 {
		t.Fatalf("second allocation: %+v %v", res, err)
	}
	// New booklets later: only they are allocated.
	w.booklets(t, 4, "")
	if res, err = w.svc.Allocate(w.ctx, mkAVA, mkYear, "D1"); err != nil || res.Booklets != 4 {
		t.Fatalf("third allocation: %+v %v", res, err)
	}
	// A stopped marker cannot submit either.
	mkExec(t, w.k, `UPDATE marking_markers SET status = 'stopped' WHERE username = 'vl.c'`)
	for _, c := range codes {
		if a, b := w.pair(t, c); a == "vl.c" || b == "vl.c" {
			ch, ps := mkMarks("B", "C", 2, 4)
			_, err := w.svc.Mark(w.ctx, mkP("vl.c"), mkYear, "D1", c, ch, ps)
			mkWant(t, err, apperr.Forbidden)
			q, err := w.svc.Queue(w.ctx, mkP("vl.c"), mkYear, "D1")
			if err != nil || len(q.ToMark) != 0 || !q.Stopped {
				t.Fatalf("stopped queue %+v %v", q, err)
			}
			break
		}
	}
}

func TestNeni57_14_AnyItemDifferenceGoesToAThirdWhoseMarksStand(t *testing.T) {
	t.Parallel()
	w := newMkWorld(t, mkYear, mkDefaultMarkers)
	codes := w.booklets(t, 3, "")
	if _, err := w.svc.Allocate(w.ctx, mkAVA, mkYear, "D1"); err != nil {
		t.Fatal(err)
	}
	same, swap, differ := codes[0], codes[1], codes[2]
	// Agreement on every item: final at round 2.
	a, b := w.pair(t, same)
	ch, ps := mkMarks("B", "A", 1, 3)
	w.mark(t, a, same, ch, ps)
	if st, _, _ := w.state(t, same); st != marking.StateOpen {
		t.Fatalf("after one marking: %s", st)
	}
	w.mark(t, b, same, []string{"B", "D", "", ""}, ps) // another wrong answer: same points
	if st, pts, r := w.state(t, same); st != marking.StateFinal || pts != 5 || r != 2 {
		t.Fatalf("agreeing: %s %d %d", st, pts, r)
	}
	// Equal totals, different items: third.
	a, b = w.pair(t, swap)
	ch, ps = mkMarks("B", "C", 2, 3)
	w.mark(t, a, swap, ch, ps)
	ch, ps = mkMarks("B", "C", 1, 4)
	w.mark(t, b, swap, ch, ps)
	if st, pts, _ := w.state(t, swap); st != marking.StateThird || pts != -1 {
		t.Fatalf("equal totals, items differ: %s %d", st, pts)
	}
	list, err := w.svc.ThirdList(w.ctx, mkP("vl.lead"), mkYear, "D1")
	if err != nil || len(list) != 1 || list[0].Code != swap || strings.Join(list[0].Differ, ",") != "3,4a" || len(list[0].Markings) != 2 {
		t.Fatalf("third list: %+v %v", list, err)
	}
	if sg := list[0].Suggested; sg == nil || sg.Username == a || sg.Username == b || sg.Username == "vl.train" {
		t.Fatalf("third list suggests %+v", sg)
	}
	_, err = w.svc.ThirdList(w.ctx, mkP("vl.c"), mkYear, "D1")
	mkWant(t, err, apperr.Forbidden)
	// The third is never one of the two, nor untrained.
	for _, u := range []string{a, b, "vl.train", "nobody"} {
		err := w.svc.AssignThird(w.ctx, mkP("vl.lead"), mkYear, "D1", swap, u)
		mkWant(t, err, apperr.Invalid)
	}
	sug, err := w.svc.SuggestThird(w.ctx, mkP("vl.lead"), mkYear, "D1", swap)
	if err != nil || sug.Username == a || sug.Username == b {
		t.Fatalf("suggested %+v %v", sug, err)
	}
	if err := w.svc.AssignThird(w.ctx, mkP("vl.lead"), mkYear, "D1", swap, sug.Username); err != nil {
		t.Fatal(err)
	}
	// The third's marks stand, even outside both.
	ch, ps = mkMarks("A", "C", 0, 1)
	w.mark(t, sug.Username, swap, ch, ps)
	if st, pts, r := w.state(t, swap); st != marking.StateFinal || pts != 2 || r != 3 {
		t.Fatalf("after the third: %s %d %d", st, pts, r)
	}
	// Nothing overrides a final mark: neither of the three may change it.
	for _, u := range []string{a, b, sug.Username} {
		_, err := w.svc.Mark(w.ctx, mkP(u), mkYear, "D1", swap, ch, []int{0, 0, 2, 4})
		mkWant(t, err, apperr.Conflict)
	}
	// A choice difference alone (one right, one wrong) also calls the third; AssignThirdAll assigns it.
	a, b = w.pair(t, differ)
	ch, ps = mkMarks("B", "C", 2, 4)
	w.mark(t, a, differ, ch, ps)
	ch, ps = mkMarks("BC", "C", 2, 4) // two alternatives: 0 (Neni 57.4)
	w.mark(t, b, differ, ch, ps)
	if st, _, _ := w.state(t, differ); st != marking.StateThird {
		t.Fatalf("choice difference: %s", st)
	}
	// Before the two differ, no third can be assigned.
	_, err = w.svc.SuggestThird(w.ctx, mkAVA, mkYear, "D1", same)
	mkWant(t, err, apperr.Conflict)
	n, err := w.svc.AssignThirdAll(w.ctx, mkAVA, mkYear, "D1")
	if err != nil || n != 1 {
		t.Fatalf("assign all: %d %v", n, err)
	}
	var third string
	w.k.DB.QueryRow(`SELECT username FROM marking_allocations WHERE year = $1 AND exam = 'D1' AND code = $2 AND round = 3`, mkYear, differ).Scan(&third)
	if third == "" || third == a || third == b {
		t.Fatalf("third %q of %s, %s", third, a, b)
	}
	q, err := w.svc.Queue(w.ctx, mkP(third), mkYear, "D1")
	found := false
	for _, e := range q.ToMark {
		found = found || e.Code == differ
	}
	if err != nil || !found {
		t.Fatalf("third's queue: %+v %v", q, err)
	}
}

func TestNeni57_10_EveryFinalMarkCarriesItsMarkersAndWhen(t *testing.T) {
	t.Parallel()
	w := newMkWorld(t, mkYear, mkDefaultMarkers)
	codes := w.booklets(t, 6, "")
	if _, err := w.svc.Allocate(w.ctx, mkAVA, mkYear, "D1"); err != nil {
		t.Fatal(err)
	}
	for i, c := range codes {
		a, b := w.pair(t, c)
		ch, ps := mkMarks("B", "C", 2, 4)
		w.mark(t, a, c, ch, ps)
		w.k.At(t, "2027-06-20 11:00")
		if i%2 == 1 {
			ps = []int{0, 0, 1, 4}
		}
		w.mark(t, b, c, ch, ps)
	}
	if _, err := w.svc.AssignThirdAll(w.ctx, mkAVA, mkYear, "D1"); err != nil {
		t.Fatal(err)
	}
	for _, c := range codes {
		bk, err := w.svc.BookletForLead(w.ctx, mkAVA, mkYear, "D1", c)
		if err != nil {
			t.Fatal(err)
		}
		if bk.State == marking.StateThird {
			third := bk.Markings[2].Username
			w.mark(t, third, c, []string{"B", "C", "", ""}, []int{0, 0, 2, 3})
			bk, _ = w.svc.BookletForLead(w.ctx, mkAVA, mkYear, "D1", c)
		}
		if bk.State != marking.StateFinal {
			t.Fatalf("%s not final: %s", c, bk.State)
		}
		want := bk.FinalRound
		if len(bk.Markings) != want {
			t.Fatalf("%s final at round %d with %d markings", c, want, len(bk.Markings))
		}
		seen := map[string]bool{}
		for _, m := range bk.Markings {
			if m.Username == "" || m.FullName == "" || m.SubmittedAt == "" || m.Source != "screen" || seen[m.Username] {
				t.Fatalf("%s marking without its signature: %+v", c, m)
			}
			seen[m.Username] = true
		}
	}
	// The audit log has an entry per marking, by its marker.
	var n int
	w.k.DB.QueryRow(`SELECT COUNT(*) FROM audit_log WHERE action = 'marking.mark'`).Scan(&n)
	if n != 15 {
		t.Fatalf("%d marking.mark audit entries, want 15", n)
	}
}

func TestMarkerNeverSeesTheOtherMarking(t *testing.T) {
	t.Parallel()
	w := newMkWorld(t, mkYear, mkDefaultMarkers)
	codes := w.booklets(t, 4, "B-1")
	if _, err := w.svc.Allocate(w.ctx, mkAVA, mkYear, "D1"); err != nil {
		t.Fatal(err)
	}
	c := codes[0]
	a, b := w.pair(t, c)
	w.mark(t, a, c, []string{"B", "C", "", ""}, []int{0, 0, 2, 4})
	w.mark(t, b, c, []string{"B", "C", "", ""}, []int{0, 0, 1, 4}) // differ: waits for a third
	for _, u := range []string{a, b} {
		q, err := w.svc.Queue(w.ctx, mkP(u), mkYear, "D1")
		if err != nil {
			t.Fatal(err)
		}
		bk, err := w.svc.BookletFor(w.ctx, mkP(u), mkYear, "D1", c)
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range []any{q, bk} {
			js, _ := json.Marshal(v)
			s := strings.ToLower(string(js))
			for _, bad := range []string{"round", "third", "state", "B-1", "schools", `"final`, other(u, a, b)} {
				if strings.Contains(s, strings.ToLower(bad)) {
					t.Fatalf("%s sees %q in %s", u, bad, js)
				}
			}
		}
		if bk.Mine == nil || bk.Display == "" {
			t.Fatalf("own marks missing: %+v", bk)
		}
	}
	// The other's marks: never. Neither is the booklet found by a marker it was not given to.
	for _, u := range []string{"vl.c", "vl.d", "vl.a", "vl.b", "vl.lead"} {
		if u == a || u == b {
			continue
		}
		_, err := w.svc.BookletFor(w.ctx, mkP(u), mkYear, "D1", c)
		mkWant(t, err, apperr.NotFound)
		ch, ps := mkMarks("B", "C", 2, 4)
		_, err = w.svc.Mark(w.ctx, mkP(u), mkYear, "D1", c, ch, ps)
		mkWant(t, err, apperr.NotFound)
	}
	// A marker of another subject, or no marker at all, is refused.
	_, err := w.svc.Queue(w.ctx, mkAVA, mkYear, "D1")
	mkWant(t, err, apperr.Forbidden)
	_, err = w.svc.Queue(w.ctx, mkP("stranger"), mkYear, "D1")
	mkWant(t, err, apperr.Forbidden)
	// A marker may correct their own marking until the mark is final.
	res, err := w.svc.Mark(w.ctx, mkP(b), mkYear, "D1", c, []string{"B", "C", "", ""}, []int{0, 0, 2, 4})
	if err != nil || res.Total != 8 {
		t.Fatalf("correction: %+v %v", res, err)
	}
	if st, pts, r := w.state(t, c); st != marking.StateFinal || pts != 8 || r != 2 {
		t.Fatalf("after the correction: %s %d %d", st, pts, r)
	}
	// Bad input names the item.
	_, err = w.svc.Mark(w.ctx, mkP(a), mkYear, "D1", codes[1], []string{"B", "C", "", ""}, []int{0, 0, 3, 4})
	if a2, b2 := w.pair(t, codes[1]); a2 == a || b2 == a {
		mkWant(t, err, apperr.Invalid)
	}
}

func other(u, a, b string) string {
	if u == a {
		return `"` + b + `"`
	}
	return `"` + a + `"`
}
