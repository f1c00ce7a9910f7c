package draw_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"provim/internal/draw"
)

// Neni 47.8: ZA-A1 holds D1 in a single venue, V-Z (host A1-1, with
// candidates of A1-1 and, added here, one of A1-2). Its lists put first
// the people Neni 50 bars from V-Z; the draw passes over them and takes
// the first who may serve, whatever the entropy.
func TestNeni47_8_SingleVenueStillRespectsNeni50(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := context.Background()
	for _, s := range []string{"A1-2", "A1-3"} {
		exec(t, w.db, `INSERT INTO schools (code, name, unit_code, city, public, profile, years) VALUES ($1, $2, 'ZA-A1', 'Tiranë', TRUE, 'gjimnaz', 4)`, s, "Gjimnazi "+s)
	}
	sid := w.student(t, "A1-2")
	exec(t, w.db, `INSERT INTO exam_seats (year, session, exam, student_id, venue_code, room_id, seat_no) VALUES (2027, 1, 'D1', $1, 'V-Z', $2, 11)`, sid, w.rooms["V-Z/R1"])
	exec(t, w.db, `INSERT INTO final_lists (year, exam, student_id, reg_no, school_code) VALUES (2027, 'D1', $1, 'R-Z', 'A1-2')`, sid)
	for _, s := range []struct{ last, school, position, subjects, role string }{
		{"Abazi", "A1-1", "drejtor", "MAT", "PAP"},   // the host school
		{"Bajrami", "A1-2", "drejtor", "MAT", "PAP"}, // a school with candidates in V-Z
		{"Cani", "A1-3", "drejtor", "MAT", "PAP"},
		{"Daci", "", "specialist", "", "KMSH"},
		{"Dedja", "A1-1", "mesues", "FIZ", "AP"},  // the host school
		{"Duka", "A1-3", "mesues", "D1", "AP"},    // teaches D1
		{"Gashi", "A1-3", "mesues", "GJSH", "AP"}, // teaches GJSH, a D1 subject
		{"Hysa", "A1-3", "mesues", "KIM", "AP"},
	} {
		id := w.person(t, s.last, "ZA-A1", s.school, s.position, s.subjects)
		if err := w.svc.AddToPool(ctx, kmshZ, "ZA-A1", id, s.role); err != nil {
			t.Fatalf("pool %s: %v", s.last, err)
		}
	}
	w.at(6, 30)
	rec, err := w.svc.Commit(ctx, kmshZ, draw.CommitRequest{Session: 1, Exam: "D1", Unit: "ZA-A1"})
	if err != nil {
		t.Fatalf("commit: %v", err)
	}
	w.at(7, 5)
	rec, err = w.svc.Run(ctx, kmshZ, rec.ID, "5 17 23")
	if err != nil {
		t.Fatalf("run: %v", err)
	}
	if len(rec.Inputs.Venues) != 1 || rec.Inputs.Venues[0].Code != "V-Z" || !slices.Equal(rec.Inputs.Venues[0].Schools, []string{"A1-1", "A1-2"}) {
		t.Fatalf("venues %+v, want V-Z alone with schools A1-1, A1-2", rec.Inputs.Venues)
	}
	want := map[string]int64{draw.RolePAP: w.staff["Cani"], draw.RoleKMSH: w.staff["Daci"], draw.RoleAP: w.staff["Hysa"]}
	check := func(label string, out draw.Outcome) {
		t.Helper()
		if len(out.Shortages) > 0 {
			t.Fatalf("%s: shortage %+v", label, out.Shortages)
		}
		checkConflicts(t, rec.Inputs, out)
		if len(out.Assignments) != len(want) {
			t.Fatalf("%s: %d places filled, want %d: %+v", label, len(out.Assignments), len(want), out.Assignments)
		}
		for _, a := range out.Assignments {
			if a.Venue != "V-Z" || want[a.Role] != a.StaffID {
				t.Fatalf("%s: %+v, want %s %d", label, a, a.Role, want[a.Role])
			}
		}
	}
	check("run", draw.Outcome{VenueOrder: rec.VenueOrder, Assignments: rec.Result})
	for i := range 50 {
		out, err := draw.Compute(rec.Inputs, rec.Seed, fmt.Sprint(i, " ", 3*i+1))
		if err != nil {
			t.Fatal(err)
		}
		check(fmt.Sprint("entropy ", i), out)
	}
	// Without Hysa only barred APs are left: the place stays empty (a
	// shortage), it is not given to one of them.
	in := rec.Inputs
	in.Pool = slices.DeleteFunc(slices.Clone(in.Pool), func(p draw.Person) bool { return p.ID == w.staff["Hysa"] })
	out, err := draw.Compute(in, rec.Seed, "5 17 23")
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Shortages) != 1 || out.Shortages[0].Venue != "V-Z" || out.Shortages[0].Role != draw.RoleAP || out.Shortages[0].Missing != 1 {
		t.Fatalf("shortages %+v, want one AP missing in V-Z", out.Shortages)
	}
	for _, a := range out.Assignments {
		if a.Role == draw.RoleAP {
			t.Fatalf("an AP was drawn without an eligible one: %+v", a)
		}
	}
}
