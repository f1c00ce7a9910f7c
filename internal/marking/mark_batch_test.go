package marking_test

import (
	"encoding/json"
	"testing"

	"provim/internal/apperr"
	"provim/internal/marking"
)

// TestMarkManyIsManyMarks: a batch stores exactly what as many Mark
// calls would — the signatures, the states (final when the two agree,
// the third when they differ, Neni 57.13–57.14), one audit entry per
// batch naming every marking by its code, marker and moment — the last marks of a booklet sent twice in one batch stand,
// and a batch with one booklet not the marker's writes nothing.
func TestMarkManyIsManyMarks(t *testing.T) {
	t.Parallel()
	w := newMkWorld(t, mkYear, mkDefaultMarkers)
	codes := w.booklets(t, 8, "")
	if _, err := w.svc.Allocate(w.ctx, mkAVA, mkYear, "D1"); err != nil {
		t.Fatal(err)
	}
	var audits0 int
	w.k.DB.QueryRow(`SELECT COUNT(*) FROM audit_log WHERE action = 'marking.mark'`).Scan(&audits0)
	// Every booklet's first marker: 2 points on item 3; the second: the
	// same on even booklets, 1 point on odd ones (a difference).
	batches := map[string][]marking.MarkInput{}
	for i, c := range codes {
		a, b := w.pair(t, c)
		ch, pts := mkMarks("B", "C", 2, 4)
		batches[a] = append(batches[a], marking.MarkInput{Code: c, Choices: ch, Points: pts})
		if i%2 == 1 {
			pts = []int{0, 0, 1, 4}
		}
		batches[b] = append(batches[b], marking.MarkInput{Code: c, Choices: ch, Points: pts})
	}
	// A marker sends one booklet twice in a batch: the last marks stand.

	for user, in := range batches {

		first := in[0]
		ch, _ := mkMarks("A", "C", 0, 0)
		batches[user] = append([]marking.MarkInput{{Code: first.Code, Choices: ch, Points: []int{0, 0, 0, 0}}}, in...)
		break
	}
	// A batch with a booklet not the marker's writes nothing.
	for user, in := range batches {
		bad := append(append([]marking.MarkInput(nil), in...), marking.MarkInput{Code: "0000000000", Choices: []string{"", "", "", ""}, Points: []int{0, 0, 0, 0}})
		if _, err := w.svc.MarkMany(w.ctx, mkP(user), mkYear, "D1", bad); apperr.CodeOf(err) != apperr.NotFound {
			t.Fatalf("a batch with a booklet not %s's: %v", user, err)
		}
		var n int
		w.k.DB.QueryRow(`SELECT COUNT(*) FROM marking_allocations WHERE username = $1 AND submitted_at <> ''`, user).Scan(&n)
		if n != 0 {
			t.Fatalf("a refused batch wrote %d markings", n)
		}
		break
	}
	sent := 0
	for user, in := range batches {
		n, err := w.svc.MarkMany(w.ctx, mkP(user), mkYear, "D1", in)
		if err != nil || n != len(in) {
			t.Fatalf("%s: %d of %d stored: %v", user, n, len(in), err)
		}
		sent += n
	}
	for i, c := range codes {
		state, points, round := w.state(t, c)
		switch {
		case i%2 == 0 && (state != marking.StateFinal || points != 8 || round != 2):
			t.Errorf("agreeing pair on %s: %s %d round %d, want final 8 at round 2", c, state, points, round)
		case i%2 == 1 && state != marking.StateThird:
			t.Errorf("differing pair on %s: %s, want the third (Neni 57.14)", c, state)
		}
	}
	var unsigned, audits int
	w.k.DB.QueryRow(`SELECT COUNT(*) FROM marking_allocations WHERE round < 3 AND (submitted_at = '' OR source <> 'screen' OR total < 0)`).Scan(&unsigned)
	w.k.DB.QueryRow(`SELECT COUNT(*) FROM audit_log WHERE action = 'marking.mark'`).Scan(&audits)
	if unsigned != 0 || audits-audits0 != len(batches) {
		t.Fatalf("%d markings unsigned; %d audit entries for %d batches", unsigned, audits-audits0, len(batches))
	}
	// Each batch's entry is by its marker, at the markings' moment, and
	// names every marking of it by code and round (Neni 57.10).
	rows, err := w.k.DB.Query(`SELECT actor, at, after FROM audit_log WHERE action = 'marking.mark' AND object_type = 'marking_batch'`)
	if err != nil {
		t.Fatal(err)
	}
	named := 0
	for rows.Next() {
		var actor, at, after string
		if err := rows.Scan(&actor, &at, &after); err != nil {
			t.Fatal(err)
		}
		var body struct {
			Markings []struct {
				Code  string `json:"code"`
				Round int    `json:"round"`
			} `json:"markings"`
		}
		if err := json.Unmarshal([]byte(after), &body); err != nil {
			t.Fatal(err)
		}
		for _, m := range body.Markings {
			var signedBy, signedAt string
			w.k.DB.QueryRow(`SELECT username, submitted_at FROM marking_allocations WHERE code = $1 AND round = $2`, m.Code, m.Round).Scan(&signedBy, &signedAt)
			if signedBy != actor || signedAt == "" {
				t.Fatalf("batch entry by %s names %s round %d, marked by %q at %q", actor, m.Code, m.Round, signedBy, signedAt)
			}
			named++
		}
	}
	rows.Close()
	if named != sent {
		t.Fatalf("the batches' audit entries name %d markings, %d were sent", named, sent)
	}

}

// TestReturnedBookletWaitsForThePairNotTheThird: a booklet a monitor sent
// back (Neni 57.15) is marked again by its two markers first; the third
// marker of before sees it only if the two differ again (Neni 57.14).
func TestReturnedBookletWaitsForThePairNotTheThird(t *testing.T) {
	t.Parallel()
	w := newMkWorld(t, mkYear, mkDefaultMarkers)
	c := w.booklets(t, 1, "")[0]
	if _, err := w.svc.Allocate(w.ctx, mkAVA, mkYear, "D1"); err != nil {
		t.Fatal(err)
	}
	a, b := w.pair(t, c)
	w.mark(t, a, c, []string{"B", "C", "", ""}, []int{0, 0, 2, 4})
	w.mark(t, b, c, []string{"B", "C", "", ""}, []int{0, 0, 1, 4})
	third, err := w.svc.SuggestThird(w.ctx, mkAVA, mkYear, "D1", c)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.svc.AssignThird(w.ctx, mkAVA, mkYear, "D1", c, third.Username); err != nil {
		t.Fatal(err)
	}
	w.mark(t, third.Username, c, []string{"B", "C", "", ""}, []int{0, 0, 2, 3})
	// The monitor's return (returnBooklet) empties the markings.
	mkExec(t, w.k, `UPDATE marking_allocations SET choices = '', points = '', total = -1, submitted_at = '', source = '', returned_reason = 'Kthyer' WHERE code = $1`, c)
	mkExec(t, w.k, `UPDATE marking_booklets SET state = 'open', final_points = -1, final_round = 0 WHERE code = $1`, c)
	inQueue := func(user string) bool {
		q, err := w.svc.Queue(w.ctx, mkP(user), mkYear, "D1")
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range q.ToMark {
			if e.Code == c {
				return true
			}
		}
		return false
	}
	if !inQueue(a) || !inQueue(b) || inQueue(third.Username) {
		t.Fatalf("returned booklet: in the queue of %s %v, %s %v, third %s %v", a, inQueue(a), b, inQueue(b), third.Username, inQueue(third.Username))
	}
	w.mark(t, a, c, []string{"B", "C", "", ""}, []int{0, 0, 2, 4})
	w.mark(t, b, c, []string{"B", "C", "", ""}, []int{0, 0, 1, 4})
	if !inQueue(third.Username) {
		t.Fatal("the two differ again: the third sees it")
	}
}
