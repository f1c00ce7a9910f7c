package venue_test

import (
	"context"
	"testing"

	"provim/internal/apperr"
	"provim/internal/auth"
	"provim/internal/venue"
)

// retakersOf is a second-session source that lists, for D1 and D2, the
// students given (as the KMSHs' Neni 58 lists would).
func retakersOf(w *world, ids map[int64]string) func(ctx context.Context, year int, exam string) ([]venue.Retaker, error) {
	return func(ctx context.Context, year int, exam string) ([]venue.Retaker, error) {
		var out []venue.Retaker
		for _, sc := range []string{"A-1", "A-2", "A-3", "A-4", "A1-1", "B-1"} {
			for _, id := range w.ids[sc] {
				if ids[id] != "" {
					out = append(out, venue.Retaker{StudentID: id, SchoolCode: sc})
				}
			}
		}
		return out, nil
	}
}

func TestNeni58_Session2PlannedFromTheSentListsOnly(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	w := newWorld(t)
	w.inspectAll(t)
	w.day("2027-06-01")
	if _, err := w.svc.Plan(ctx, ava, "D1", 1, ""); err != nil {
		t.Fatal(err)
	}
	// No list sent yet: the clear refusal naming Neni 58.
	w.svc.SetSession2Source(nil)
	w.day("2027-09-20")
	_, err := w.svc.Plan(ctx, ava, "D1", 2, "")
	wantCode(t, err, apperr.Invalid, "Neni 58", "nuk janë dërguar")
	w.svc.SetSession2Source(func(context.Context, int, string) ([]venue.Retaker, error) { return nil, nil })
	_, err = w.svc.Plan(ctx, kmshA, "D1", 2, "")
	wantCode(t, err, apperr.Invalid, "Neni 58")

	// Four of A-1, two of A-3 (non-public: a public building, Neni 39), one
	// of Kavajë and the one failing student of B-1 (not on the final list).
	listed := map[int64]string{}
	for _, id := range w.ids["A-1"][:4] {
		listed[id] = "A-1"
	}
	for _, id := range w.ids["A-3"][:2] {
		listed[id] = "A-3"
	}
	listed[w.ids["A1-1"][0]] = "A1-1"
	failer := w.ids["B-1"][0]
	listed[failer] = "B-1"
	if _, err := w.db.Exec(`DELETE FROM final_lists WHERE student_id = $1`, failer); err != nil {
		t.Fatal(err)
	}
	w.svc.SetSession2Source(retakersOf(w, listed))

	// A KMSH plans its own unit: DAR-A with ZA-A1.
	res, err := w.svc.Plan(ctx, kmshA, "D1", 2, "")
	if err != nil {
		t.Fatal(err)
	}
	if res.Session != 2 || res.Candidates != 7 || res.Units != 2 {
		t.Fatalf("plan: %+v", res)
	}
	if res, err = w.svc.Plan(ctx, kmshB, "D1", 2, ""); err != nil || res.Candidates != 1 {
		t.Fatalf("DAR-B: %+v %v", res, err)
	}
	rows, err := w.db.Query(`SELECT student_id, venue_code FROM exam_seats WHERE year = 2027 AND session = 2 AND exam = 'D1'`)
	if err != nil {
		t.Fatal(err)
	}
	seated := map[int64]string{}
	for rows.Next() {
		var id int64
		var v string
		rows.Scan(&id, &v)
		seated[id] = v
	}
	rows.Close()
	if len(seated) != len(listed) {
		t.Fatalf("seats only for the listed: %v", seated)
	}
	for id, sc := range listed {
		v := seated[id]
		switch sc {
		case "A-3":
			if v != "Q-A-1" && v != "Q-A-2" { // a public school's building (Neni 39)
				t.Errorf("non-public school's candidate in %q", v)
			}
		case "A1-1":
			if v != "Q-A1-1" {
				t.Errorf("Kavajë's candidate in %q", v)
			}
		case "B-1":
			if v != "Q-B-1" {
				t.Errorf("Durrës's candidate in %q", v)
			}
		}
	}
	// The first session's plan is untouched.
	if n := len(w.seats(t, "D1")); n != 88 {
		t.Errorf("session 1 seats: %d", n)
	}
	// The plan follows its list; the summary and the staff steps read it.
	sum, err := w.svc.Summary(ctx, ava, "D1", 2, "")
	if err != nil || sum.Listed != 8 || sum.Candidates != 8 || sum.Stale.Message != "" {
		t.Fatalf("summary: %+v %v", sum, err)
	}
	if err := w.svc.CheckPlanCurrent(ctx, 2027, 2, "D1", nil); err != nil {
		t.Fatalf("current: %v", err)
	}
	seats, err := w.svc.ListedSeats(ctx, 2027, 2, "D1")
	if err != nil || len(seats) != 8 {
		t.Fatalf("listed seats: %+v %v", seats, err)
	}
	// The failing student sees the second session's D1 with venue and room.
	me := &auth.Principal{Username: "n", Role: auth.RoleStudent, StudentID: failer}
	mine, err := w.svc.StudentSeats(ctx, me, failer)
	if err != nil || len(mine) != 1 || mine[0].Session != 2 || mine[0].VenueCode != "Q-B-1" || mine[0].Room == "" || mine[0].Date == "" {
		t.Fatalf("student seats: %+v %v", mine, err)
	}
	// "Qendra ime" and the eve card: the failing student (Neni 35) sees the
	// second session's D1 with venue and room, and is told the day before.
	if _, err := w.db.Exec(`INSERT INTO applications (year, student_id, form, category, status, source, failing, updated_at) VALUES (2027, $1, 'A1', 'maturant', 'registered', 'school', TRUE, '2027-05-28T08:00:00Z')`, failer); err != nil {
		t.Fatal(err)
	}
	w.day("2027-10-04")
	d, err := w.NextSteps.For(ctx, me)
	if err != nil || d.Student == nil || !d.Student.Failing || len(d.Student.Exams) != 1 {
		t.Fatalf("dashboard: %+v %v", d.Student, err)
	}
	if e := d.Student.Exams[0]; e.Session != 2 || !e.Assigned || e.Venue == "" || e.Room == "" || d.Student.Next == nil || d.Student.NextDay != "nesër" {
		t.Fatalf("second session on the dashboard: %+v next %+v", e, d.Student.Next)
	}
	w.day("2027-09-20")
	// Its room list names them, with "—" for the registration number the
	// final list never gave.
	var room int64
	w.db.QueryRow(`SELECT room_id FROM exam_seats WHERE year = 2027 AND session = 2 AND student_id = $1`, failer).Scan(&room)
	list, err := w.svc.RoomList(ctx, kmshB, "D1", 2, room)
	if err != nil || len(list.Rows) != 1 || list.Rows[0].RegNo != "—" {
		t.Fatalf("room list: %+v %v", list, err)
	}
	// A candidate taken off the list (a later sending) leaves the plan stale.
	delete(listed, w.ids["A-1"][0])
	err = w.svc.CheckPlanCurrent(ctx, 2027, 2, "D1", nil)
	wantCode(t, err, apperr.Conflict, "sesionin e dytë", "Neni 58")
	// Planned again, the plan follows the list.
	if res, err := w.svc.Plan(ctx, kmshA, "D1", 2, ""); err != nil || res.Candidates != 6 || res.Dropped != 1 {
		t.Fatalf("replan: %+v %v", res, err)
	}
	if err := w.svc.CheckPlanCurrent(ctx, 2027, 2, "D1", nil); err != nil {
		t.Fatalf("current after replan: %v", err)
	}
}

func TestNeni14_4_NoElectiveInTheSecondSession(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	w := newWorld(t)
	w.inspectAll(t)
	w.day("2027-09-20")
	_, err := w.svc.Plan(ctx, ava, "FIZ", 2, "")
	wantCode(t, err, apperr.Invalid, "Neni 14.4", "FIZ")
	_, err = w.svc.Summary(ctx, ava, "FIZ", 2, "")
	wantCode(t, err, apperr.Invalid, "Neni 14.4")
	_, err = w.svc.Plan(ctx, ava, "D1", 3, "")
	wantCode(t, err, apperr.Invalid, "Sesioni 3")
}
