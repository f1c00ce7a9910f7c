package remark_test

import (
	"slices"
	"strings"
	"testing"

	"provim/internal/apperr"
	"provim/internal/marking"
	"provim/internal/remark"
)

// remarkers returns the re-markers of a booklet by round.
func (w *world) remarkers(t testing.TB, code string) map[int]string {
	t.Helper()
	rows, err := w.k.DB.Query(`SELECT round, username FROM remark_markings WHERE year = $1 AND exam = 'D1' AND code = $2`, year, code)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[int]string{}
	for rows.Next() {
		var r int
		var u string
		rows.Scan(&r, &u)
		out[r] = u
	}
	return out
}

func (w *world) original(t testing.TB, code string) []string {
	t.Helper()
	rows, err := w.k.DB.Query(`SELECT username FROM marking_allocations WHERE year = $1 AND exam = 'D1' AND code = $2`, year, code)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var u string
		rows.Scan(&u)
		out = append(out, u)
	}
	return out
}

func TestNeni64_3_RemarkedByCodeByTwoNewMarkersAndAThirdWhereTheyDiffer(t *testing.T) {
	w := newWorld(t)
	w.forwarded(t, 0, 1, 3)
	// Only AVA forms the group.
	_, err := w.svc.Start(w.ctx, vl("vl.lead"), year, "D1")
	want(t, err, apperr.Forbidden)
	res, err := w.svc.Start(w.ctx, ava, year, "D1")
	if err != nil || res.Booklets != 3 {
		t.Fatalf("start: %+v %v", res, err)
	}
	for _, i := range []int{0, 1, 3} {
		code := w.codes[w.students[i]]
		rm := w.remarkers(t, code)
		if len(rm) != 2 || rm[1] == rm[2] {
			t.Fatalf("re-markers of %s: %v", code, rm)
		}
		for _, u := range rm {
			if slices.Contains(w.original(t, code), u) {
				t.Fatalf("%s re-marks a booklet they marked", u)
			}
			if i < 3 && u == "vl.a" || i >= 3 && u == "vl.b" {
				t.Fatalf("%s re-marks a booklet of their own school", u)
			}
		}
	}
	// The lead and AVA see the booklets by code only, never a name.
	_, cases, counts, err := w.svc.Cases(w.ctx, vl("vl.lead"), year, "D1")
	if err != nil || len(cases) != 3 || counts[remark.StateMarking] != 3 {
		t.Fatalf("cases: %+v %v %v", cases, counts, err)
	}
	_, _, _, err = w.svc.Cases(w.ctx, vl("vl.c"), year, "D1")
	want(t, err, apperr.Forbidden) // a plain marker does not follow the re-marking
	// Booklet 0: the two agree (1 + 3 = 4, one point more): marked at round 2.
	c0 := w.codes[w.students[0]]
	rm := w.remarkers(t, c0)
	q0 := vl(rm[1])
	_, queue, _, err := w.svc.Queue(w.ctx, q0, year)
	if err != nil || !slices.ContainsFunc(queue, func(e remark.QueueEntry) bool { return e.Code == c0 && e.Display == marking.DisplayCode(c0) }) {
		t.Fatalf("queue of %s: %+v %v", rm[1], queue, err)
	}
	b, err := w.svc.BookletFor(w.ctx, q0, year, "D1", marking.DisplayCode(c0))
	if err != nil || len(b.Items) != 2 || !b.Editable || b.Mine != nil {
		t.Fatalf("booklet: %+v %v", b, err)
	}
	// A marker not given it does not find it.
	for _, u := range []string{"vl.a", "vl.b", "vl.c", "vl.d", "vl.e", "vl.f"} {
		if u != rm[1] && u != rm[2] {
			_, err := w.svc.BookletFor(w.ctx, vl(u), year, "D1", c0)
			want(t, err, apperr.NotFound)
			_, err = w.svc.Mark(w.ctx, vl(u), year, "D1", c0, []string{"B", ""}, []int{0, 3})
			want(t, err, apperr.NotFound)
			break
		}
	}
	// The scheme's limits apply: 5 points on a 4-point item is refused.
	_, err = w.svc.Mark(w.ctx, q0, year, "D1", c0, []string{"B", ""}, []int{0, 5})
	want(t, err, apperr.Invalid)
	for _, u := range []string{rm[1], rm[2]} {
		if _, err := w.svc.Mark(w.ctx, vl(u), year, "D1", c0, []string{"B", ""}, []int{0, 3}); err != nil {
			t.Fatal(err)
		}
	}
	var state string
	var after, round int
	w.k.DB.QueryRow(`SELECT state, points_after, final_round FROM remark_requests WHERE year = $1 AND code = $2`, year, c0).Scan(&state, &after, &round)
	if state != remark.StateMarked || after != 4 || round != 2 {
		t.Fatalf("agreed: %s %d %d", state, after, round)
	}
	// Once marked it does not change.
	_, err = w.svc.Mark(w.ctx, q0, year, "D1", c0, []string{"B", ""}, []int{0, 1})
	want(t, err, apperr.Conflict)
	// Booklet 3: same total (3), different items → a third (Neni 57.14).
	c3 := w.codes[w.students[3]]
	rm3 := w.remarkers(t, c3)
	if _, err := w.svc.Mark(w.ctx, vl(rm3[1]), year, "D1", c3, []string{"B", ""}, []int{0, 2}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.svc.Mark(w.ctx, vl(rm3[2]), year, "D1", c3, []string{"A", ""}, []int{0, 3}); err != nil {
		t.Fatal(err)
	}
	_, cases, _, _ = w.svc.Cases(w.ctx, ava, year, "D1")
	for _, c := range cases {
		if c.Code == c3 && (c.State != remark.StateThird || strings.Join(c.Differ, ",") != "1,2") {
			t.Fatalf("third case: %+v", c)
		}
	}
	// The third is never one of the two, nor an original marker, nor of B-1.
	for _, u := range append([]string{rm3[1], rm3[2], "vl.b"}, w.original(t, c3)...) {
		_, err := w.svc.AssignThird(w.ctx, ava, year, "D1", c3, u)
		want(t, err, apperr.Invalid)
	}
	_, err = w.svc.AssignThird(w.ctx, vl("vl.c"), year, "D1", c3, "")
	want(t, err, apperr.Forbidden) // a plain marker does not assign
	// Nor the lead who assigns, who has seen both markings (Neni 57.14).
	_, err = w.svc.AssignThird(w.ctx, vl("vl.lead"), year, "D1", c3, "vl.lead")
	want(t, err, apperr.Invalid)
	third, err := w.svc.AssignThird(w.ctx, vl("vl.lead"), year, "D1", c3, "")
	if err != nil || third == rm3[1] || third == rm3[2] || third == "vl.b" || third == "vl.lead" || slices.Contains(w.original(t, c3), third) {
		t.Fatalf("third %q: %v", third, err)
	}
	// The third's marks stand, even outside both (1 + 4 = 5).
	if _, err := w.svc.Mark(w.ctx, vl(third), year, "D1", c3, []string{"B", ""}, []int{0, 4}); err != nil {
		t.Fatal(err)
	}
	w.k.DB.QueryRow(`SELECT state, points_after, final_round FROM remark_requests WHERE year = $1 AND code = $2`, year, c3).Scan(&state, &after, &round)
	if state != remark.StateMarked || after != 5 || round != 3 {
		t.Fatalf("third: %s %d %d", state, after, round)
	}
	// Every step is audited.
	var n int
	w.k.DB.QueryRow(`SELECT COUNT(*) FROM audit_log WHERE action IN ('remark.start', 'remark.mark', 'remark.third')`).Scan(&n)
	if n != 3+2+2+1+1 {
		t.Fatalf("%d audit entries", n)
	}
	// The candidate still sees "in re-marking": the result is held (¶4).
	r, _ := w.svc.RequestFor(w.ctx, w.student(3), year, "D1")
	if r.StateLabel != "Në rivlerësim në AVA" || r.PointsAfter != 0 {
		t.Fatalf("held: %+v", r)
	}
}

func TestNeni64_4_ResultsSentFromDay15ToDay30AndFinal(t *testing.T) {
	w := newWorld(t)
	w.forwarded(t, 0, 3)
	if _, err := w.svc.Start(w.ctx, ava, year, "D1"); err != nil {
		t.Fatal(err)
	}
	markAll := func(i int, choice string, p int) {
		c := w.codes[w.students[i]]
		for _, u := range w.remarkers(t, c) {
			if _, err := w.svc.Mark(w.ctx, vl(u), year, "D1", c, []string{choice, ""}, []int{0, p}); err != nil {
				t.Fatal(err)
			}
		}
	}
	markAll(0, "B", 4) // 3 → 5
	// Day 14: held, naming the day of release.
	w.at(t, 14, "23:00")
	_, err := w.svc.Send(w.ctx, ava, year, "D1", "")
	want(t, err, apperr.Conflict)
	if !strings.Contains(apperr.MessageOf(err), "25.07.2027") {
		t.Fatalf("day 14: %v", err)
	}
	// Day 15: sent; only AVA sends.
	w.at(t, 15, "09:00")
	_, err = w.svc.Send(w.ctx, schoolA, year, "D1", "")
	want(t, err, apperr.Forbidden)
	res, err := w.svc.Send(w.ctx, ava, year, "D1", "")
	if err != nil || res.Sent != 1 || res.Changed != 1 || res.Pending != 1 || res.Late || res.Day != 15 {
		t.Fatalf("day 15: %+v %v", res, err)
	}
	r, _ := w.svc.RequestFor(w.ctx, w.student(0), year, "D1")
	if !r.Final() || r.PointsBefore != 3 || r.PointsAfter != 5 || !r.Changed || r.SentAt == "" {
		t.Fatalf("candidate sees %+v", r)
	}
	got, err := w.k.Results.ResultOf(w.ctx, year, "D1", w.students[0])
	if err != nil || got.Points != 5 || !got.Remarked {
		t.Fatalf("result %+v %v", got, err)
	}
	// The school sees the final result of its candidate.
	_, list, _ := w.svc.Requests(w.ctx, schoolA, year, "D1")
	if len(list) != 1 || list[0].PointsAfter != 5 || list[0].GradeAfter != got.Grade {
		t.Fatalf("school sees %+v", list)
	}
	// Nothing left to send: refused.
	_, err = w.svc.Send(w.ctx, ava, year, "D1", "")
	want(t, err, apperr.Conflict)
	// Day 31: the second goes only with a reason and is flagged late.
	c3 := w.codes[w.students[3]]
	rm := w.remarkers(t, c3)
	if _, err := w.svc.Mark(w.ctx, vl(rm[1]), year, "D1", c3, []string{"B", ""}, []int{0, 2}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.svc.Mark(w.ctx, vl(rm[2]), year, "D1", c3, []string{"B", ""}, []int{0, 2}); err != nil {
		t.Fatal(err)
	}
	w.at(t, 31, "10:00")
	_, err = w.svc.Send(w.ctx, ava, year, "D1", "")
	want(t, err, apperr.Invalid)
	res, err = w.svc.Send(w.ctx, ava, year, "D1", "Vonesë në vlerësimin e tretë")
	if err != nil || res.Sent != 1 || res.Changed != 0 || !res.Late {
		t.Fatalf("day 31: %+v %v", res, err)
	}
	r, _ = w.svc.RequestFor(w.ctx, w.student(3), year, "D1")
	if !r.Final() || !r.Late || r.Changed || r.LateReason != "Vonesë në vlerësimin e tretë" {
		t.Fatalf("late: %+v", r)
	}
}
