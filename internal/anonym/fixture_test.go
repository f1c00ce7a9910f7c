package anonym_test

import (
	"context"
	"fmt"
	"testing"

	"provim/internal/albanian"
	"provim/internal/anonym"
	"provim/internal/auth"
	"provim/internal/store"
	"provim/internal/testkit"
)

var (
	ava    = &auth.Principal{Username: "ava", FullName: "AVA", Role: auth.RoleAVA}
	asA    = &auth.Principal{Username: "as.a", Role: auth.RoleAS, Venue: "V-A"}
	papA   = &auth.Principal{Username: "pap.a", Role: auth.RolePAP, Venue: "V-A"}
	apA    = &auth.Principal{Username: "ap.a", Role: auth.RoleAP, Venue: "V-A"}
	asB    = &auth.Principal{Username: "as.b", Role: auth.RoleAS, Venue: "V-B"}
	marker = &auth.Principal{Username: "vl", Role: auth.RoleMarker, Subject: "D1"}
	kmshA  = &auth.Principal{Username: "kmsh.a", Role: auth.RoleKMSH, Unit: "DAR-A"}
)

const year = 2027

// world is a small country with a plan:
//
//	V-A (DAR-A): R1 4 of A-1 for D1, 3 of them for KIM; R2 3 of A-1 for D1
//	V-B (DAR-B): R1 2 of B-1 for D1
type world struct {
	k     *testkit.Kit
	db    *store.DB
	svc   *anonym.Service
	ctx   context.Context
	rooms map[string]int64   // "V-A/R1"
	seats map[string][]int64 // "D1/V-A/R1" → students
	n     int
}

func run(t testing.TB, db *store.DB, q string, args ...any) {
	t.Helper()
	if _, err := db.Exec(q, args...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

func newWorld(t testing.TB) *world {
	t.Helper()
	k := testkit.New(t)
	w := &world{k: k, db: k.DB, svc: k.Anonym, ctx: context.Background(), rooms: map[string]int64{}, seats: map[string][]int64{}}
	// These tests prove the default desk check (AVA, or the venue's PAP or
	// AS account); the exam day's stricter check of the draw, which wiring
	// sets, is proved by package examday.
	k.Anonym.SetStaffCheck(nil)
	w.country(t, []plan{
		{"D1", "V-A", "R1", "A-1", 4}, {"D1", "V-A", "R2", "A-1", 3}, {"D1", "V-B", "R1", "B-1", 2},
		{"KIM", "V-A", "R1", "", 3},
	})
	return w
}

type plan struct {
	exam, venue, room, school string
	n                         int // new students; for school "", the first n of D1 in that room
}

func (w *world) country(t testing.TB, plans []plan) {
	t.Helper()
	ctx, db := w.ctx, w.db
	for _, u := range [][]any{{"DAR-A", "DAR", nil}, {"DAR-B", "DAR", nil}} {
		run(t, db, `INSERT INTO units (code, name, kind, parent_code, city) VALUES ($1, $1, $2, $3, 'Tiranë')`, u...)
	}
	for _, s := range [][]string{{"A-1", "DAR-A"}, {"B-1", "DAR-B"}} {
		run(t, db, `INSERT INTO schools (code, name, unit_code, city, public, profile, years) VALUES ($1, $2, $3, 'Tiranë', TRUE, 'gjimnaz', 4)`,
			s[0], "Gjimnazi "+s[0], s[1])
	}
	for _, v := range [][]any{{"V-A", "Gjimnazi Çajupi", "DAR-A", "A-1"}, {"V-B", "Gjimnazi Durrësi", "DAR-B", "B-1"}} {
		run(t, db, `INSERT INTO venues (code, name, unit_code, school_code, city, floors) VALUES ($1, $2, $3, $4, 'Tiranë', 2)`, v...)
	}
	if _, err := w.k.Years.Create(ctx, ava, year, "", 2009); err != nil {
		t.Fatal(err)
	}
	if err := w.k.Years.SetActive(ctx, ava, year); err != nil {
		t.Fatal(err)
	}
	for _, p := range plans {
		key := p.venue + "/" + p.room
		id, ok := w.rooms[key]
		if !ok {
			if err := db.QueryRow(`INSERT INTO rooms (venue_code, name, floor, seats) VALUES ($1, $2, 1, 30) RETURNING id`, p.venue, p.room).Scan(&id); err != nil {
				t.Fatal(err)
			}
			w.rooms[key] = id
		}
		var list []int64
		if p.school == "" {
			list = w.seats["D1/"+key][:p.n]
		} else {
			for range p.n {
				list = append(list, w.student(t, p.school))
			}
		}
		for i, sid := range list {
			school := "A-1"
			if p.venue == "V-B" {
				school = "B-1"
			}
			run(t, db, `INSERT INTO exam_seats (year, session, exam, student_id, venue_code, room_id, seat_no) VALUES ($1, 1, $2, $3, $4, $5, $6)`,
				year, p.exam, sid, p.venue, id, i+1)
			run(t, db, `INSERT INTO final_lists (year, exam, student_id, reg_no, school_code) VALUES ($1, $2, $3, $4, $5)`,
				year, p.exam, sid, fmt.Sprintf("R%06d", sid), school)
		}
		w.seats[p.exam+"/"+key] = append(w.seats[p.exam+"/"+key], list...)
	}
}

func (w *world) student(t testing.TB, school string) int64 {
	w.n++
	var id int64
	last := fmt.Sprintf("Çela%04d", w.n)
	if err := w.db.QueryRow(`INSERT INTO students (personal_no, first_name, father_name, last_name, sex, birth_date, school_code, category, sort_key, updated_at)
		VALUES ($1, 'Ëndrit', 'Ilir', $2, 'M', '2009-01-01', $3, 'maturant', $4, '2027-01-01T00:00:00Z') RETURNING id`,
		fmt.Sprintf("S%08d", w.n), last, school, albanian.SortKey(last, "Ëndrit", "Ilir")).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

// codes returns the codes of a room as its label sheets print them.
func (w *world) codes(t testing.TB, exam, venue, room string) []string {
	t.Helper()
	set, err := w.svc.LabelSet(w.ctx, ava, year, exam, venue)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range set.Rooms {
		if r.Name == room {
			return r.Codes
		}
	}
	t.Fatalf("no room %s in %s", room, venue)
	return nil
}

// ready generates the codes of exam and names five holders, three of
// whom open; it returns the shares.
func (w *world) ready(t testing.TB, exam string) anonym.KeyResult {
	t.Helper()
	if _, err := w.svc.Generate(w.ctx, ava, year, exam); err != nil {
		t.Fatal(err)
	}
	kr, err := w.svc.NameHolders(w.ctx, ava, year, exam, []string{"Arta Hoxha", "Blerim Çeka", "Dorina Lleshi", "Ervin Gjoka", "Fatjona Ëmini"}, 3)
	if err != nil {
		t.Fatal(err)
	}
	return kr
}
