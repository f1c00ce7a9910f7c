package draw_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"provim/internal/albanian"
	"provim/internal/auth"
	"provim/internal/clock"
	"provim/internal/draw"
	"provim/internal/store"
	"provim/internal/testkit"
)

var (
	ava   = &auth.Principal{Username: "ava", Role: auth.RoleAVA}
	kmshA = &auth.Principal{Username: "kmsh.a", Role: auth.RoleKMSH, Unit: "DAR-A"}
	kmshZ = &auth.Principal{Username: "kmsh.z", Role: auth.RoleKMSH, Unit: "ZA-A1"}
	kmshB = &auth.Principal{Username: "kmsh.b", Role: auth.RoleKMSH, Unit: "DAR-B"}
)

// world is a small region: DAR-A with ZA-A1, and DAR-B.
//
//	V-A1 (host A-1): R1 28 of A-1, R2 26 of A-2, R3 12 of A-2 → 66: PAP, KMSH, 1 AS, 2+2+1 AP
//	V-A2 (host A-2): R1 18 of A1-1                          → 18: PAP, KMSH, 1 AP
//	V-Z  (host A1-1, in ZA-A1): R1 10 of A1-1                → 10: PAP, KMSH, 1 AP
//
// Needs: 3 PAP, 3 KMSH, 1 AS, 7 AP.
type world struct {
	k     *testkit.Kit
	db    *store.DB
	svc   *draw.Service
	staff map[string]int64 // by last name
	rooms map[string]int64 // "V-A1/R1"
	n     int
}

func exec(t testing.TB, db *store.DB, q string, args ...any) {
	t.Helper()
	if _, err := db.Exec(q, args...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

func newWorld(t testing.TB) *world {
	t.Helper()
	ctx := context.Background()
	k := testkit.New(t)
	db := k.DB
	w := &world{k: k, db: db, svc: k.Draws, staff: map[string]int64{}, rooms: map[string]int64{}}
	for _, u := range [][]any{{"DAR-A", "DAR", nil}, {"ZA-A1", "ZA", "DAR-A"}, {"DAR-B", "DAR", nil}} {
		exec(t, db, `INSERT INTO units (code, name, kind, parent_code, city) VALUES ($1, $1, $2, $3, 'Tiranë')`, u...)
	}
	for _, s := range [][]string{{"A-1", "DAR-A"}, {"A-2", "DAR-A"}, {"A-3", "DAR-A"}, {"A1-1", "ZA-A1"}, {"B-1", "DAR-B"}} {
		exec(t, db, `INSERT INTO schools (code, name, unit_code, city, public, profile, years) VALUES ($1, $2, $3, 'Tiranë', TRUE, 'gjimnaz', 4)`,
			s[0], "Gjimnazi "+s[0], s[1])
	}
	for _, v := range [][]any{{"V-A1", "DAR-A", "A-1", 2}, {"V-A2", "DAR-A", "A-2", 1}, {"V-Z", "ZA-A1", "A1-1", 1}, {"V-B", "DAR-B", "B-1", 1}} {
		exec(t, db, `INSERT INTO venues (code, name, unit_code, school_code, city, floors) VALUES ($1, $1, $2, $3, 'Tiranë', $4)`, v...)
	}
	years := k.Years
	if _, err := years.Create(ctx, ava, 2027, "", 2009); err != nil {
		t.Fatal(err)
	}
	if err := years.SetActive(ctx, ava, 2027); err != nil {
		t.Fatal(err)
	}
	for _, r := range []struct {
		venue, room, school string
		n                   int
	}{{"V-A1", "R1", "A-1", 28}, {"V-A1", "R2", "A-2", 26}, {"V-A1", "R3", "A-2", 12}, {"V-A2", "R1", "A1-1", 18}, {"V-Z", "R1", "A1-1", 10}, {"V-B", "R1", "B-1", 20}} {
		var id int64
		if err := db.QueryRow(`INSERT INTO rooms (venue_code, name, floor, seats) VALUES ($1, $2, 0, 30) RETURNING id`, r.venue, r.room).Scan(&id); err != nil {
			t.Fatal(err)
		}
		w.rooms[r.venue+"/"+r.room] = id
		for i := range r.n {
			sid := w.student(t, r.school)
			exec(t, db, `INSERT INTO exam_seats (year, session, exam, student_id, venue_code, room_id, seat_no) VALUES (2027, 1, 'D1', $1, $2, $3, $4)`,
				sid, r.venue, id, i+1)
			// Only candidates on the final list count (Neni 48.3, 52.6).
			exec(t, db, `INSERT INTO final_lists (year, exam, student_id, reg_no, school_code) VALUES (2027, 'D1', $1, $2, $3)`,
				sid, fmt.Sprintf("R%06d", sid), r.school)
		}
	}
	// The staff of DAR-A and its lists.
	for _, s := range []struct{ last, unit, school, position, subjects, role string }{
		{"Aliu", "DAR-A", "A-1", "drejtor", "HIS", "PAP"}, // conflicts with V-A1
		{"Bregu", "DAR-A", "A-3", "drejtor", "MAT", "PAP"},
		{"Çela", "DAR-A", "A-2", "drejtor", "ANG", "PAP"}, // conflicts with V-A1, V-A2
		{"Dervishi", "ZA-A1", "A1-1", "drejtor", "BIO", "PAP"},
		{"Vata", "DAR-A", "A-3", "nendrejtor", "GJE", "PAP"},
		{"Elezi", "DAR-A", "", "specialist", "D1", "KMSH"},
		{"Ëngjëlli", "DAR-A", "", "specialist", "", "KMSH"},
		{"Fejzo", "ZA-A1", "", "specialist", "D2", "KMSH"},
		{"Gjika", "DAR-A", "A-3", "mesues", "FIZ", "AS"},
		{"Hoxha", "DAR-A", "A-3", "mesues", "KIM", "AS"},
		{"Isufi", "DAR-A", "A-3", "mesues", "D1", "AP"},  // teaches D1: never AP of D1
		{"Jaho", "DAR-A", "A-3", "mesues", "GJSH", "AP"}, // teaches GJSH (D1): never AP of D1
		{"Kola", "DAR-A", "A-1", "mesues", "FIZ", "AP"},
		{"Lika", "DAR-A", "A-2", "mesues", "KIM", "AP"},
		{"Llazi", "DAR-A", "A-3", "mesues", "BIO", "AP"},
		{"Meta", "DAR-A", "A-3", "mesues", "HIS", "AP"},
		{"Nika", "DAR-A", "A-3", "mesues", "GJE", "AP"},
		{"Osmani", "DAR-A", "A-3", "mesues", "ANG", "AP"},
		{"Pali", "DAR-A", "A-3", "mesues", "D2,FIZ", "AP"},
		{"Qosja", "DAR-A", "A-3", "mesues", "EKO", "AP"},
		{"Rama", "ZA-A1", "A1-1", "mesues", "INF", "AP"},
		{"Shehu", "DAR-A", "A-3", "mesues", "FIL", "AP"},
		{"Tola", "DAR-A", "A-3", "mesues", "SOC", "AP"}, // declares a relative (Neni 9) in tests
		{"Zeka", "DAR-B", "B-1", "mesues", "MAT", ""},
	} {
		id := w.person(t, s.last, s.unit, s.school, s.position, s.subjects)
		if s.role != "" {
			if err := w.svc.AddToPool(ctx, kmshA, "DAR-A", id, s.role); err != nil {
				t.Fatalf("pool %s: %v", s.last, err)
			}
		}
	}
	k.Clock.Set(time.Date(2027, 5, 20, 12, 0, 0, 0, clock.Tirana))
	return w
}

func (w *world) student(t testing.TB, school string) int64 {
	w.n++
	var id int64
	last := fmt.Sprintf("Nxënës%03d", w.n)
	if err := w.db.QueryRow(`INSERT INTO students (personal_no, first_name, father_name, last_name, sex, birth_date, school_code, category, sort_key, updated_at)
		VALUES ($1, 'Ana', 'Ilir', $2, 'F', '2009-01-01', $3, 'maturant', $4, '2027-01-01T00:00:00Z') RETURNING id`,
		fmt.Sprintf("S%08d", w.n), last, school, albanian.SortKey(last, "Ana", "Ilir")).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

func (w *world) person(t testing.TB, last, unit, school, position, subjects string) int64 {
	w.n++
	var sc any = school
	if school == "" {
		sc = nil
	}
	var id int64
	if err := w.db.QueryRow(`INSERT INTO staff (personal_no, first_name, father_name, last_name, sex, unit_code, school_code, position, subjects, sort_key, updated_at)
		VALUES ($1, 'Besa', 'Ilir', $2, 'F', $3, $4, $5, $6, $7, '2027-01-01T00:00:00Z') RETURNING id`,
		fmt.Sprintf("P%08d", w.n), last, unit, sc, position, subjects, albanian.SortKey(last, "Besa", "Ilir")).Scan(&id); err != nil {
		t.Fatal(err)
	}
	w.staff[last] = id
	return id
}

// at moves the clock to 8 June 2027 (D1, session 1, starts 10:00) at
// hh:mm.
func (w *world) at(hh, mm int) {
	w.k.Clock.Set(time.Date(2027, 6, 8, hh, mm, 0, 0, clock.Tirana))
}

// drawn commits and runs the D1 draw of DAR-A with entropy.
func (w *world) drawn(t testing.TB, entropy, reason string) draw.Record {
	t.Helper()
	ctx := context.Background()
	w.at(6, 30)
	rec, err := w.svc.Commit(ctx, kmshA, draw.CommitRequest{Session: 1, Exam: "D1", Unit: "DAR-A", Reason: reason})
	if err != nil {
		t.Fatalf("commit: %v", err)
	}
	w.at(7, 5)
	rec, err = w.svc.Run(ctx, kmshA, rec.ID, entropy)
	if err != nil {
		t.Fatalf("run: %v", err)
	}
	return rec
}
