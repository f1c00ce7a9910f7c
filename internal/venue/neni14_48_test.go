package venue_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"provim/internal/apperr"
	"provim/internal/examyear"
	"provim/internal/venue"
)

// list puts the students of the schools on the final list of exam, and
// takes them off every exam in drop.
func (w *world) list(t *testing.T, exam string, drop []string, schools ...string) {
	t.Helper()
	for _, sc := range schools {
		for _, d := range drop {
			if _, err := w.db.Exec(`DELETE FROM final_lists WHERE year = 2027 AND exam = $1 AND school_code = $2`, d, sc); err != nil {
				t.Fatal(err)
			}
		}
		if exam == "" {
			continue
		}
		if _, err := w.db.Exec(`INSERT INTO final_lists (year, exam, student_id, reg_no, school_code)
			SELECT 2027, $1, id, 'R' || CAST(id AS TEXT), school_code FROM students WHERE school_code = $2`, exam, sc); err != nil {
			t.Fatal(err)
		}
	}
}

// roomLoad returns, for every room, the seats of the exams planned in it
// and the room's seats.
func (w *world) roomLoad(t *testing.T, exams ...string) map[int64][2]int {
	t.Helper()
	out := map[int64][2]int{}
	for _, exam := range exams {
		rows, err := w.db.Query(`SELECT es.room_id, COUNT(*), MAX(c.seats) FROM exam_seats es JOIN venue_room_capacity c ON c.room_id = es.room_id AND c.year = es.year
			WHERE es.year = 2027 AND es.exam = $1 GROUP BY es.room_id`, exam)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var room int64
			var n, seats int
			if err := rows.Scan(&room, &n, &seats); err != nil {
				t.Fatal(err)
			}
			x := out[room]
			out[room] = [2]int{x[0] + n, seats}
		}
		rows.Close()
	}
	return out
}

// Neni 14.3, 17: the electives of one sitting (Default2009: FIZ and BIO
// at 15:00, KIM at 10:00) share no candidate and no seat. A plan with a
// candidate listed for two exams at once is refused naming them; the
// seats another exam of the sitting holds are not given again; exams of
// different sittings use every seat; a timetable that puts planned or
// listed exams together is refused naming the rooms and the candidates.
func TestNeni14_3_OneSittingSharesNoCandidateAndNoSeat(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	w := newWorld(t)
	w.inspectAll(t)
	// Q-A-1 at 170 cm: 3 rooms of 5 × 4 = 20; Q-A-2 seats 12 < 15 and is
	// not usable: Tiranë has 60 seats for the electives of DAR-A.
	ch := good
	ch.SpacingCM = 170
	for _, code := range []string{"Q-A-1", "Q-A-2"} {
		if _, err := w.svc.Inspect(ctx, ava, code, venue.InspectionInput{Checklist: ch}); err != nil {
			t.Fatal(err)
		}
	}
	w.day("2027-06-01")
	// FIZ: A-1 and A-3 (55); BIO: A-2 and A-4 (18), at the same time.
	w.list(t, "BIO", []string{"FIZ"}, "A-2", "A-4")
	// One A-1 candidate is listed for BIO as well: two exams at once.
	both := w.ids["A-1"][0]
	if _, err := w.db.Exec(`INSERT INTO final_lists (year, exam, student_id, reg_no, school_code) VALUES (2027, 'BIO', $1, $2, 'A-1')`, both, fmt.Sprintf("R%d", both)); err != nil {
		t.Fatal(err)
	}
	_, err := w.svc.Plan(ctx, kmshA, "FIZ", 1, "DAR-A")
	wantCode(t, err, apperr.Invalid, "Plani i provimit FIZ nuk u ruajt", "1 kandidatë kanë dy provime në të njëjtën kohë", "Neni 14.3",
		fmt.Sprintf("R%d", both), "FIZ, BIO", "15.06.2027 ora 15:00")
	if n := len(w.seats(t, "FIZ")); n != 0 {
		t.Fatalf("a refused plan saved %d seats", n)
	}
	// The timetable check names them too (AVA's edit of the year).
	cfg := w.activeConfig(t)
	wantCode(t, w.svc.CheckTimetable(ctx, 2027, cfg), apperr.Invalid, "Orari i provimeve nuk u ruajt", fmt.Sprintf("R%d", both))
	if _, err := w.db.Exec(`DELETE FROM final_lists WHERE exam = 'BIO' AND student_id = $1`, both); err != nil {
		t.Fatal(err)
	}

	if _, err := w.svc.Plan(ctx, kmshA, "FIZ", 1, "DAR-A"); err != nil {
		t.Fatal(err)
	}
	// 55 of the 60 seats are taken at 15:00: BIO's 18 do not fit.
	_, err = w.svc.Plan(ctx, kmshA, "BIO", 1, "DAR-A")
	wantCode(t, err, apperr.Invalid, "Plani i provimit BIO nuk u ruajt", "FIZ", "Neni 14.3", "5 vende të lira")
	// KIM at 10:00 has every seat.
	w.list(t, "KIM", nil, "A-2", "A-4")
	if _, err := w.svc.Plan(ctx, kmshA, "KIM", 1, "DAR-A"); err != nil {
		t.Fatal(err)
	}
	for room, x := range w.roomLoad(t, "FIZ") {
		if x[0] > x[1] {
			t.Errorf("room %d holds %d in %d seats", room, x[0], x[1])
		}
	}
	// The room list and the student's page give the sitting's time.
	seat := w.seats(t, "KIM")[w.ids["A-2"][0]]
	rl, err := w.svc.RoomList(ctx, kmshA, "KIM", 1, seat.Room)
	if err != nil || rl.Start != "10:00" || rl.Date != "2027-06-15" {
		t.Errorf("KIM room list at %s %s (%v)", rl.Date, rl.Start, err)
	}
	if rl, err := w.svc.RoomList(ctx, kmshA, "FIZ", 1, w.seats(t, "FIZ")[w.ids["A-1"][0]].Room); err != nil || rl.Start != "15:00" {
		t.Errorf("FIZ room list at %s (%v)", rl.Start, err)
	}

	// A timetable putting KIM with FIZ: Q-A-1's rooms would hold both.
	together := w.activeConfig(t)
	together.Exams[2].Subjects = nil // 10:00: every elective the 15:00 sitting does not name
	together.Exams[5].Subjects = []string{"BIO"}
	if !together.Overlap("KIM", "FIZ", 1) {
		t.Fatal("KIM and FIZ should overlap")
	}
	err = w.svc.CheckTimetable(ctx, 2027, together)
	wantCode(t, err, apperr.Invalid, "kalojnë vendet e sallës", "Q-A-1", "FIZ, KIM")
	// The year's own timetable passes.
	if err := w.svc.CheckTimetable(ctx, 2027, w.activeConfig(t)); err != nil {
		t.Errorf("CheckTimetable(own) = %v", err)
	}
	clashes, err := w.svc.Clashes(ctx, kmshA, 1, "")
	if err != nil || len(clashes) != 0 {
		t.Errorf("Clashes = %v, %v", clashes, err)
	}
}

func (w *world) activeConfig(t *testing.T) examyear.Config {
	t.Helper()
	y, err := w.Years.Active(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	c := y.Config
	c.Exams = append([]examyear.ExamDay(nil), c.Exams...)
	return c
}

// Neni 48.3, 52.6: only the candidates on the final list enter. A
// candidate who loses the right to an exam after the plan (the rebuilt
// final list drops them) disappears from the room list, the school's and
// their own page and the counts the draw and the packages are sized on;
// one added to the list after the plan has no seat, which the summary
// says and CheckPlanCurrent refuses until the exam is planned again.
func TestNeni48_3_SeatsFollowTheFinalList(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	w := newWorld(t)
	w.inspectAll(t)
	w.day("2027-06-01")
	late := w.ids["A-2"][1]
	if _, err := w.db.Exec(`DELETE FROM final_lists WHERE exam = 'D1' AND student_id = $1`, late); err != nil {
		t.Fatal(err)
	}
	if _, err := w.svc.Plan(ctx, ava, "D1", 1, ""); err != nil {
		t.Fatal(err)
	}
	if err := w.svc.CheckPlanCurrent(ctx, 2027, 1, "D1", nil); err != nil {
		t.Fatalf("fresh plan: %v", err)
	}
	gone := w.ids["A-1"][0]
	seat := w.seats(t, "D1")[gone]
	before := w.countsIn(t, seat)
	// The final list is rebuilt without gone (e.g. failed, Neni 17) and
	// with late (a correction).
	if _, err := w.db.Exec(`DELETE FROM final_lists WHERE exam = 'D1' AND student_id = $1`, gone); err != nil {
		t.Fatal(err)
	}
	if _, err := w.db.Exec(`INSERT INTO final_lists (year, exam, student_id, reg_no, school_code) VALUES (2027, 'D1', $1, $2, 'A-2')`, late, fmt.Sprintf("R%d", late)); err != nil {
		t.Fatal(err)
	}
	rl, err := w.svc.RoomList(ctx, ava, "D1", 1, seat.Room)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rl.Rows {
		if r.StudentID == gone {
			t.Errorf("room list still has the dropped candidate: %+v", r)
		}
	}
	mine, err := w.svc.StudentSeats(ctx, ava, gone)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range mine {
		if s.Exam == "D1" {
			t.Errorf("the student's page still shows %+v", s)
		}
	}
	school, err := w.svc.SchoolSeats(ctx, ava, "A-1", "D1", 1)
	if err != nil || len(school) != 29 {
		t.Errorf("A-1 seats %d (%v), want 29", len(school), err)
	}
	// The counts the draw and the packages are sized on still hold the
	// seat: the next steps are refused until the plan follows the list.
	if after := w.countsIn(t, seat); after != before {
		t.Errorf("counts %v before the lists are followed, want %v", after, before)
	}
	sum, err := w.svc.Summary(ctx, ava, "D1", 1, "")
	if err != nil {
		t.Fatal(err)
	}
	if sum.Stale.Dropped != 1 || sum.Stale.Unseated != 1 || !strings.Contains(sum.Stale.Message, "1 kandidatë të listës emërore përfundimtare nuk kanë vend") ||
		sum.Candidates != sum.Listed-1 {
		t.Errorf("summary: stale %+v, placed %d of %d", sum.Stale, sum.Candidates, sum.Listed)
	}
	err = w.svc.CheckPlanCurrent(ctx, 2027, 1, "D1", nil)
	wantCode(t, err, apperr.Conflict, "1 kandidatë të listës emërore përfundimtare nuk kanë vend", "planifikoni përsëri provimin D1",
		"1 kandidatë nuk janë më në listën përfundimtare")
	// The rebuild of the final lists drops the seat at once (FollowFinalLists).
	if n, err := w.svc.FollowFinalLists(ctx, ava.Actor(), 2027); err != nil || n != 1 {
		t.Fatalf("FollowFinalLists = %d, %v; want 1", n, err)
	}
	if after := w.countsIn(t, seat); after[0] != before[0]-1 || after[1] != before[1]-1 {
		t.Errorf("packages and draw counts %v, want one fewer than %v", after, before)
	}
	err = w.svc.CheckPlanCurrent(ctx, 2027, 1, "D1", nil)
	wantCode(t, err, apperr.Conflict, "1 kandidatë të listës emërore përfundimtare nuk kanë vend")
	// DAR-B is not concerned.
	if err := w.svc.CheckPlanCurrent(ctx, 2027, 1, "D1", []string{"DAR-B"}); err != nil {
		t.Errorf("DAR-B: %v", err)
	}
	res, err := w.svc.Plan(ctx, ava, "D1", 1, "")
	if err != nil {
		t.Fatal(err)
	}
	if res.Dropped != 0 || res.Candidates != sum.Listed {
		t.Errorf("re-plan dropped %d, placed %d; want 0 and %d", res.Dropped, res.Candidates, sum.Listed)
	}
	if err := w.svc.CheckPlanCurrent(ctx, 2027, 1, "D1", nil); err != nil {
		t.Errorf("after the re-plan: %v", err)
	}
}

// countsIn returns the candidates the packages are sized on in the seat's
// venue (PlanCounts) and the A-1 candidates the draw counts in its room
// (RoomSchools).
func (w *world) countsIn(t *testing.T, seat seat) [2]int {
	t.Helper()
	ctx := context.Background()
	var out [2]int
	counts, err := w.svc.PlanCounts(ctx, 2027, 1, "D1")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range counts {
		if c.Venue == seat.Venue {
			out[0] = c.Count
		}
	}
	rs, err := w.svc.RoomSchools(ctx, 2027, 1, "D1", []int64{seat.Room})
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range rs {
		if x.School == "A-1" {
			out[1] = x.Count
		}
	}
	return out
}

// Neni 52.6 (only the listed enter), 39: the KMSH re-plans its region
// after a candidate left the final list. The seat kept for them is not
// "a candidate of another unit moved by override": the re-plan goes
// through and removes it; a real override from another unit still stops
// it with the right words.
func TestNeni52_6_ReplanAfterDropIsNotRefusedAsOverride(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	w := newWorld(t)
	w.inspectAll(t)
	w.day("2027-06-01")
	if _, err := w.svc.Plan(ctx, kmshA, "D1", 1, "DAR-A"); err != nil {
		t.Fatal(err)
	}
	gone := w.ids["A-1"][3]
	if _, err := w.db.Exec(`DELETE FROM final_lists WHERE exam = 'D1' AND student_id = $1`, gone); err != nil {
		t.Fatal(err)
	}
	res, err := w.svc.Plan(ctx, kmshA, "D1", 1, "DAR-A")
	if err != nil {
		t.Fatalf("re-plan after a drop: %v", err)
	}
	if res.Dropped != 1 {
		t.Errorf("dropped %d, want 1", res.Dropped)
	}
	if _, ok := w.seats(t, "D1")[gone]; ok {
		t.Error("the dropped candidate keeps a seat")
	}
	// The ZA alone, with nothing moved into it: allowed.
	if _, err := w.svc.Plan(ctx, kmshA, "D1", 1, "ZA-A1"); err != nil {
		t.Fatalf("re-plan of the ZA: %v", err)
	}
	moved := w.ids["A-2"][0]
	if _, err := w.svc.Override(ctx, kmshA, "D1", 1, venue.OverrideInput{StudentIDs: []int64{moved}, Venue: "Q-A1-1", Reason: "banon në Kavajë"}); err != nil {
		t.Fatal(err)
	}
	_, err = w.svc.Plan(ctx, kmshA, "D1", 1, "ZA-A1")
	wantCode(t, err, apperr.Conflict, "1 kandidatë të njësive të tjera, të zhvendosur me ndryshim", fmt.Sprintf("R%d", moved))
}
