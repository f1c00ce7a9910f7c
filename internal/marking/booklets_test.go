package marking_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"provim/internal/albanian"
	"provim/internal/anonym"
	"provim/internal/apperr"
	"provim/internal/auth"
	"provim/internal/examyear"
	"provim/internal/marking"
	"provim/internal/testkit"
)

// The central flow's world: year 2009 (testkit's), D1's test of four
// items (two choice of 1 point, keys B and C; a short item of 2 and an
// extended of 4 points), the markers below, and booklets inserted by
// code with the schools of their room.
const mkYear = 2009

var mkAVA = testkit.AVA

type mkWorld struct {
	k   *testkit.Kit
	ctx context.Context
	svc *marking.Service
}

// mkMarkerDef is a marker of D1: username, school, task, status.
type mkMarkerDef struct{ user, school, task, status string }

var mkDefaultMarkers = []mkMarkerDef{
	{"vl.a", "A-1", "marker", "qualified"}, {"vl.b", "B-1", "marker", "qualified"},
	{"vl.c", "", "marker", "qualified"}, {"vl.d", "", "marker", "qualified"},
	{"vl.lead", "", "lead", "qualified"}, {"vl.train", "", "marker", "training"},
}

func mkP(user string) *auth.Principal {
	return &auth.Principal{Username: user, FullName: "Vlerësuesi " + user, Role: auth.RoleMarker, Subject: "D1"}
}

func mkExec(t testing.TB, k *testkit.Kit, q string, args ...any) {
	t.Helper()
	if _, err := k.DB.Exec(q, args...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

func newMkWorld(t testing.TB, year int, markers []mkMarkerDef) *mkWorld {
	t.Helper()
	k := testkit.New(t)
	w := &mkWorld{k: k, ctx: context.Background(), svc: k.Marking}
	mkExec(t, k, `INSERT INTO marking_tests (year, exam, title, updated_at, updated_by) VALUES ($1, 'D1', 'Testi D1', '2009-06-01T08:00:00Z', 'ava')`, year)
	items := []struct {
		label, kind string
		max, opts   int
		key, scheme string
	}{
		{"1", "choice", 1, 4, "B", ""}, {"2", "choice", 1, 4, "C", ""},
		{"3", "short", 2, 0, "", `[{"points":1,"text":"pjesërisht"},{"points":2,"text":"plotësisht"}]`},
		{"4a", "extended", 4, 0, "", ""},
	}
	for i, it := range items {
		mkExec(t, k, `INSERT INTO marking_items (year, exam, no, label, kind, max_points, options, answer_key, scheme) VALUES ($1, 'D1', $2, $3, $4, $5, $6, $7, $8)`,
			year, i+1, it.label, it.kind, it.max, it.opts, it.key, it.scheme)
	}
	for _, m := range markers {
		w.addMarker(t, year, m)
	}
	return w
}

func (w *mkWorld) addMarker(t testing.TB, year int, m mkMarkerDef) {
	mkExec(t, w.k, `INSERT INTO marking_markers (year, exam, username, full_name, school_code, task, status, appointed_by, appointed_at)
		VALUES ($1, 'D1', $2, $3, $4, $5, $6, 'ava', '2009-06-01T08:00:00Z')`, year, m.user, "Vlerësuesi "+m.user, m.school, m.task, m.status)
}

// booklets inserts n booklets of the given schools and returns their codes.
func (w *mkWorld) booklets(t testing.TB, n int, schools string) []string {
	t.Helper()
	var out []string
	for range n {
		c := anonym.NewCode()
		mkExec(t, w.k, `INSERT INTO marking_booklets (year, exam, code, seeded, schools, state, registered_at) VALUES ($1, 'D1', $2, 0, $3, 'open', '2009-06-10T08:00:00Z')`,
			mkYear, c, schools)
		out = append(out, c)
	}
	return out
}

// pair returns the markers of rounds 1 and 2 of a booklet (by the
// database, as the test sees it).
func (w *mkWorld) pair(t testing.TB, code string) (string, string) {
	t.Helper()
	var a, b string
	if err := w.k.DB.QueryRow(`SELECT (SELECT username FROM marking_allocations WHERE year = $1 AND exam = 'D1' AND code = $2 AND round = 1),
		(SELECT username FROM marking_allocations WHERE year = $1 AND exam = 'D1' AND code = $2 AND round = 2)`, mkYear, code).Scan(&a, &b); err != nil {
		t.Fatal(err)
	}
	return a, b
}

func (w *mkWorld) state(t testing.TB, code string) (state string, points, round int) {
	t.Helper()
	if err := w.k.DB.QueryRow(`SELECT state, final_points, final_round FROM marking_booklets WHERE year = $1 AND exam = 'D1' AND code = $2`, mkYear, code).
		Scan(&state, &points, &round); err != nil {
		t.Fatal(err)
	}
	return
}

func (w *mkWorld) mark(t testing.TB, user, code string, choices []string, points []int) {
	t.Helper()
	if _, err := w.svc.Mark(w.ctx, mkP(user), mkYear, "D1", code, choices, points); err != nil {
		t.Fatalf("%s marks %s: %v", user, code, err)
	}
}

// mkMarks are marks of the four items: choices for 1–2, points for 3–4.
func mkMarks(c1, c2 string, p3, p4 int) ([]string, []int) {
	return []string{c1, c2, "", ""}, []int{0, 0, p3, p4}
}

func mkWant(t testing.TB, err error, code string) {
	t.Helper()
	if apperr.CodeOf(err) != code {
		t.Fatalf("want %s, got %v", code, err)
	}
}

// mkPlanWorld is a country with a plan and D1's codes attached through
// package anonym, in year 2027: V-A room R1 with 3 of A-1, V-B room R1
// with 2 of B-1.
func mkPlanWorld(t *testing.T) (*mkWorld, int, anonym.KeyResult) {
	t.Helper()
	return mkPlanWorldOf(t, 1)
}

// mkPlanWorldOf is mkPlanWorld for D1 of session: in the second (Neni
// 58) the seats are of session 2, the candidates on the sent list of the
// retake (results_session2), and the test is "D1-2".
func mkPlanWorldOf(t *testing.T, session int) (*mkWorld, int, anonym.KeyResult) {
	t.Helper()
	const year = 2027
	key := examyear.TestKey("D1", session)
	w := newMkWorld(t, 2009, nil)
	k, db := w.k, w.k.DB
	for _, u := range [][]any{{"DAR-A"}, {"DAR-B"}} {
		mkExec(t, k, `INSERT INTO units (code, name, kind, parent_code, city) VALUES ($1, $1, 'DAR', NULL, 'Tiranë')`, u...)
	}
	for _, s := range [][]string{{"A-1", "DAR-A"}, {"B-1", "DAR-B"}} {
		mkExec(t, k, `INSERT INTO schools (code, name, unit_code, city, public, profile, years) VALUES ($1, $2, $3, 'Tiranë', TRUE, 'gjimnaz', 4)`, s[0], "Gjimnazi "+s[0], s[1])
	}
	for _, v := range [][]any{{"V-A", "Gjimnazi Çajupi", "DAR-A", "A-1"}, {"V-B", "Gjimnazi Durrësi", "DAR-B", "B-1"}} {
		mkExec(t, k, `INSERT INTO venues (code, name, unit_code, school_code, city, floors) VALUES ($1, $2, $3, $4, 'Tiranë', 2)`, v...)
	}
	if _, err := k.Years.Create(w.ctx, mkAVA, year, "", 2009); err != nil {
		t.Fatal(err)
	}
	if err := k.Years.SetActive(w.ctx, mkAVA, year); err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, p := range []struct {
		venue, school string
		n             int
	}{{"V-A", "A-1", 3}, {"V-B", "B-1", 2}} {
		var room int64
		if err := db.QueryRow(`INSERT INTO rooms (venue_code, name, floor, seats) VALUES ($1, 'R1', 1, 30) RETURNING id`, p.venue).Scan(&room); err != nil {
			t.Fatal(err)
		}
		for i := range p.n {
			n++
			var sid int64
			last := fmt.Sprintf("Çela%04d", n)
			if err := db.QueryRow(`INSERT INTO students (personal_no, first_name, father_name, last_name, sex, birth_date, school_code, category, sort_key, updated_at)
				VALUES ($1, 'Ëndrit', 'Ilir', $2, 'M', '2009-01-01', $3, 'maturant', $4, '2027-01-01T00:00:00Z') RETURNING id`,
				fmt.Sprintf("S%08d", n), last, p.school, albanian.SortKey(last, "Ëndrit", "Ilir")).Scan(&sid); err != nil {
				t.Fatal(err)
			}
			mkExec(t, k, `INSERT INTO exam_seats (year, session, exam, student_id, venue_code, room_id, seat_no) VALUES ($1, $2, 'D1', $3, $4, $5, $6)`, year, session, sid, p.venue, room, i+1)
			mkExec(t, k, `INSERT INTO final_lists (year, exam, student_id, reg_no, school_code) VALUES ($1, 'D1', $2, $3, $4)`, year, sid, fmt.Sprintf("R%06d", sid), p.school)
			if session == 2 {
				unit := map[string]string{"A-1": "DAR-A", "B-1": "DAR-B"}[p.school]
				mkExec(t, k, `INSERT INTO results_session2 (year, exam, student_id, unit_code, school_code, reason) VALUES ($1, 'D1', $2, $3, $4, 'Neni 16, 58')`, year, sid, unit, p.school)
			}
		}
	}
	if _, err := k.Anonym.Generate(w.ctx, mkAVA, year, key); err != nil {
		t.Fatal(err)
	}
	kr, err := k.Anonym.NameHolders(w.ctx, mkAVA, year, key, []string{"Arta Hoxha", "Blerim Çeka", "Dorina Lleshi"}, 2)
	if err != nil {
		t.Fatal(err)
	}
	for _, venue := range []string{"V-A", "V-B"} {
		set, err := k.Anonym.LabelSet(w.ctx, mkAVA, year, key, venue)
		if err != nil {
			t.Fatal(err)
		}
		var students []int64
		rows, err := db.Query(`SELECT student_id FROM exam_seats WHERE year = $1 AND session = $2 AND exam = 'D1' AND venue_code = $3 ORDER BY seat_no`, year, session, venue)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var id int64
			rows.Scan(&id)
			students = append(students, id)
		}
		rows.Close()
		for i, st := range students {
			if err := k.Anonym.Attach(w.ctx, mkAVA, year, key, venue, set.Rooms[0].Codes[i], st); err != nil {
				t.Fatal(err)
			}
		}
	}
	mkExec(t, k, `INSERT INTO marking_tests (year, exam, title, updated_at, updated_by) VALUES ($1, $2, 'Testi D1', '2027-06-01T08:00:00Z', 'ava')`, year, key)
	mkExec(t, k, `INSERT INTO marking_items (year, exam, no, label, kind, max_points, options, answer_key, scheme) VALUES ($1, $2, 1, '1', 'short', 2, 0, '', '')`, year, key)
	return w, year, kr
}

func TestRegisterBookletsFromTheCodesUsedWithTheirSchools(t *testing.T) {
	t.Parallel()
	w, year, _ := mkPlanWorld(t)
	seeded := anonym.NewCode()
	mkExec(t, w.k, `INSERT INTO marking_calibration (year, exam, no, purpose, code, choices, points, total, added_by, added_at) VALUES ($1, 'D1', 7, 'seeded', $2, '', '2', 2, 'ava', '2027-06-01T08:00:00Z')`, year, seeded)
	if _, err := w.svc.RegisterBooklets(w.ctx, mkP("vl.a"), year, "D1"); apperr.CodeOf(err) != apperr.Forbidden {
		t.Fatalf("a marker registered booklets: %v", err)
	}
	res, err := w.svc.RegisterBooklets(w.ctx, mkAVA, year, "D1")
	if err != nil {
		t.Fatal(err)
	}
	if res.Booklets != 5 || res.Seeded != 1 || res.Rooms != 2 {
		t.Fatalf("registered %+v", res)
	}
	used, _ := w.k.Anonym.UsedCodes(w.ctx, year, "D1")
	for _, u := range used {
		var schools string
		var seededNo int
		if err := w.k.DB.QueryRow(`SELECT schools, seeded FROM marking_booklets WHERE year = $1 AND exam = 'D1' AND code = $2`, year, u.Code).Scan(&schools, &seededNo); err != nil {
			t.Fatal(err)
		}
		want := "A-1"
		if u.Venue == "V-B" {
			want = "B-1"
		}
		if schools != want || seededNo != 0 {
			t.Fatalf("booklet %s of %s: schools %q seeded %d", u.Code, u.Venue, schools, seededNo)
		}
	}
	var sno int
	var ssch string
	if err := w.k.DB.QueryRow(`SELECT seeded, schools FROM marking_booklets WHERE year = $1 AND exam = 'D1' AND code = $2`, year, seeded).Scan(&sno, &ssch); err != nil || sno != 7 || ssch != "" {
		t.Fatalf("seeded booklet: %d %q %v", sno, ssch, err)
	}
	again, err := w.svc.RegisterBooklets(w.ctx, mkAVA, year, "D1")
	if err != nil || again.Booklets != 0 || again.Seeded != 0 {
		t.Fatalf("second registration: %+v %v", again, err)
	}
}

func TestMarkerNeverMarksOwnSchool(t *testing.T) {
	t.Parallel()
	w := newMkWorld(t, mkYear, mkDefaultMarkers)
	a1 := w.booklets(t, 30, "A-1")
	b1 := w.booklets(t, 30, "A-1,B-1")
	if _, err := w.svc.Allocate(w.ctx, mkAVA, mkYear, "D1"); err != nil {
		t.Fatal(err)
	}
	for _, c := range a1 {
		x, y := w.pair(t, c)
		if x == "vl.a" || y == "vl.a" {
			t.Fatalf("%s of A-1 went to vl.a of A-1", c)
		}
	}
	for _, c := range b1 {
		x, y := w.pair(t, c)
		if slices.Contains([]string{"vl.a", "vl.b"}, x) || slices.Contains([]string{"vl.a", "vl.b"}, y) {
			t.Fatalf("%s of A-1 and B-1 went to %s and %s", c, x, y)
		}
	}
	// The third marker is never of the booklet's schools either.
	c := a1[0]
	x, y := w.pair(t, c)
	w.mark(t, x, c, []string{"B", "C", "", ""}, []int{0, 0, 2, 4})
	w.mark(t, y, c, []string{"B", "C", "", ""}, []int{0, 0, 2, 3})
	if err := w.svc.AssignThird(w.ctx, mkAVA, mkYear, "D1", c, "vl.a"); apperr.CodeOf(err) != apperr.Invalid || !strings.Contains(apperr.MessageOf(err), "shkollës") {
		t.Fatalf("vl.a assigned third of own school: %v", err)
	}
	sug, err := w.svc.SuggestThird(w.ctx, mkAVA, mkYear, "D1", c)
	if err != nil || sug.Username == "vl.a" || sug.Username == x || sug.Username == y {
		t.Fatalf("suggested %+v %v", sug, err)
	}
	// With every other marker of the booklet's schools, allocation is refused with a sentence.
	w2 := newMkWorld(t, mkYear, []mkMarkerDef{{"vl.a", "A-1", "marker", "qualified"}, {"vl.c", "", "lead", "qualified"}})
	w2.booklets(t, 1, "A-1")
	_, err = w2.svc.Allocate(w2.ctx, mkAVA, mkYear, "D1")
	mkWant(t, err, apperr.Conflict)
	if !strings.Contains(apperr.MessageOf(err), "Neni 57.13") {
		t.Fatalf("refusal names no article: %v", err)
	}
	// Without a lead, who assigns the third (Neni 57.8, 57.14), nothing is allocated.
	w3 := newMkWorld(t, mkYear, []mkMarkerDef{{"vl.a", "", "marker", "qualified"}, {"vl.c", "", "marker", "qualified"}})
	w3.booklets(t, 1, "")
	_, err = w3.svc.Allocate(w3.ctx, mkAVA, mkYear, "D1")
	mkWant(t, err, apperr.Conflict)
	if !strings.Contains(apperr.MessageOf(err), "Neni 57.8") {
		t.Fatalf("no lead: %v", err)
	}
}
