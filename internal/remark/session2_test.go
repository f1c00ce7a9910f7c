package remark_test

import (
	"fmt"
	"strings"
	"testing"

	"provim/internal/apperr"
	"provim/internal/remark"
	"provim/internal/testkit"
)

// The second session's D1 is a test of its own, "D1-2" (Neni 58): its
// results are published on their own day and the re-marking's days
// (Neni 64) count from that publication.

// s2PubDay is the day D1-2's results are published in this world.
const s2PubDay = "2027-10-12"

// session2 puts students i… on the sent list of D1's retake, writes
// their D1-2 booklets marked final with points (the marking and the
// opened link of the second session, as package results' tests do),
// computes and publishes D1-2 on s2PubDay at 18:00.
func (w *world) session2(t testing.TB, points int, idx ...int) {
	t.Helper()
	k := w.k
	for _, i := range idx {
		id := w.students[i]
		school := map[bool]string{true: "A-1", false: "B-1"}[i < 3]
		unit := map[bool]string{true: "DAR-A", false: "DAR-B"}[i < 3]
		exec(t, k, `INSERT INTO results_session2 (year, exam, student_id, unit_code, school_code, reason) VALUES ($1, 'D1', $2, $3, $4, 'Neni 16, 58')`, year, id, unit, school)
		code := fmt.Sprintf("S2%08d", id)
		exec(t, k, `INSERT INTO marking_booklets (year, exam, code, seeded, schools, state, final_points, final_round, registered_at) VALUES ($1, 'D1-2', $2, 0, $3, 'final', $4, 0, '2027-10-06T08:00:00Z')`,
			year, code, school, points)
		exec(t, k, `INSERT INTO anonym_opened (year, exam, code, student_id) VALUES ($1, 'D1-2', $2, $3)`, year, code, id)
	}
	exec(t, k, `INSERT INTO marking_closed (year, exam, booklets, closed_by, closed_at) VALUES ($1, 'D1-2', 0, 'ava', '2027-10-08T08:00:00Z')`, year)
	exec(t, k, `INSERT INTO anonym_keys (year, exam, public_key, threshold, holders, created_at, created_by, opened_at, opened_by) VALUES ($1, 'D1-2', '00', 2, 3, '2027-10-01T08:00:00Z', 'ava', '2027-10-09T09:00:00Z', 'ava')`, year)
	k.At(t, s2PubDay+" 17:00")
	if _, err := k.Results.Compute(w.ctx, ava, year, "D1-2"); err != nil {
		t.Fatal(err)
	}
	k.At(t, s2PubDay+" 18:00")
	if _, err := k.Results.Publish(w.ctx, ava, year, "D1-2", "Provë e sesionit të dytë"); err != nil {
		t.Fatal(err)
	}
}

// s2At moves the clock to day n after D1-2's publication.
func (w *world) s2At(t testing.TB, n int, hour string) {
	t.Helper()
	d := testkit.Moment(t, s2PubDay).AddDate(0, 0, n)
	w.k.At(t, d.Format("2006-01-02")+" "+hour)
}

func TestNeni64_1_Session2RequestDaysFromItsPublication(t *testing.T) {
	w := newWorld(t)
	w.session2(t, 30, 0, 1, 3)
	// Months after D1's days ran out, D1-2's run from its publication.
	w.s2At(t, 0, "19:30")
	r, err := w.svc.File(w.ctx, w.student(0), year, "d1-2", "MA-2027-0101")
	if err != nil || r.Exam != "D1-2" || r.State != remark.StateFiled || r.PointsBefore != 30 {
		t.Fatalf("day 0: %+v %v", r, err)
	}
	_, err = w.svc.File(w.ctx, w.student(0), year, "D1", "MA-2027-0102")
	want(t, err, apperr.Conflict) // D1 of the first session: its days are over
	// A candidate who did not sit the second session has no result of it.
	_, err = w.svc.File(w.ctx, w.student(2), year, "D1-2", "MA-2027-0103")
	want(t, err, apperr.NotFound)
	// Day 4 on paper, by the final list's registration number.
	w.s2At(t, 4, "23:50")
	if r, err := w.svc.FileOnPaper(w.ctx, schoolA, year, "D1-2", w.reg(1), "MA-2027-0104"); err != nil || r.Channel != "paper" || r.Exam != "D1-2" {
		t.Fatalf("paper day 4: %+v %v", r, err)
	}
	// The candidate's page lists D1-2 with its own last day.
	_, mine, err := w.svc.Mine(w.ctx, w.student(3), year)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, c := range mine {
		if c.Result.Test() == "D1-2" {
			found = true
			if !c.CanFile || c.LastDay != "16.10.2027" {
				t.Fatalf("D1-2 on the page: %+v", c)
			}
		}
	}
	if !found {
		t.Fatalf("D1-2 not on the candidate's page: %+v", mine)
	}
	// Day 5: refused, naming the test and its last day.
	w.s2At(t, 5, "00:05")
	_, err = w.svc.File(w.ctx, w.student(3), year, "D1-2", "MA-2027-0105")
	want(t, err, apperr.Conflict)
	if m := apperr.MessageOf(err); !strings.Contains(m, "D1 (sesioni 2)") || !strings.Contains(m, "16.10.2027") {
		t.Fatalf("day 5 message: %v", err)
	}
	// The school forwards within its five days of D1-2's publication.
	if _, err := w.svc.ForwardSchool(w.ctx, schoolA, year, "D1-2"); err != nil {
		t.Fatalf("school forwards D1-2 on day 5: %v", err)
	}
	w.s2At(t, 6, "09:00")
	_, err = w.svc.ForwardSchool(w.ctx, schoolB, year, "D1-2")
	want(t, err, apperr.Conflict)
}
