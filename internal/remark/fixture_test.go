package remark_test

import (
	"context"
	"fmt"
	"testing"

	"provim/internal/albanian"
	"provim/internal/anonym"
	"provim/internal/apperr"
	"provim/internal/application"
	"provim/internal/auth"
	"provim/internal/remark"
	"provim/internal/testkit"
)

// The world of these tests: year 2027, D1 with a test of two items (a
// choice item of 1 point, key B, and a short item of 0–4 points), five
// candidates — three of school A-1 (DAR-A) in room V-A/R1, two of B-1
// (DAR-B) in V-B/R1 — each booklet marked 1 + 2 = 3 points by two
// markers who agree, the marking closed, the link opened by the key
// holders, the results computed and published on 10.07.2027 at 18:00.
const year = 2027

var (
	ava     = testkit.AVA
	schoolA = testkit.KSHMSH("A-1")
	schoolB = testkit.KSHMSH("B-1")
	kmshA   = testkit.KMSH("DAR-A")
	kmshB   = testkit.KMSH("DAR-B")
)

// markers of D1: username, school, task.
var markers = [][3]string{
	{"vl.a", "A-1", "marker"}, {"vl.b", "B-1", "marker"}, {"vl.c", "", "marker"}, {"vl.d", "", "marker"},
	{"vl.e", "", "marker"}, {"vl.f", "", "marker"}, {"vl.lead", "", "lead"},
}

func vl(user string) *auth.Principal {
	return &auth.Principal{Username: user, FullName: "Vlerësuesi " + user, Role: auth.RoleMarker, Subject: "D1"}
}

type world struct {
	k        *testkit.Kit
	ctx      context.Context
	svc      *remark.Service
	students []int64          // 0–2, B-1: 3–4
	regNos   map[int64]string // by student
	codes    map[int64]string // by student
}

func (w *world) student(i int) *auth.Principal { return testkit.Student(w.students[i]) }

func (w *world) reg(i int) string { return w.regNos[w.students[i]] }

func exec(t testing.TB, k *testkit.Kit, q string, args ...any) {
	t.Helper()
	if _, err := k.DB.Exec(q, args...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

func want(t testing.TB, err error, code string) {
	t.Helper()
	if apperr.CodeOf(err) != code {
		t.Fatalf("want %s, got %v", code, err)
	}
}

// newWorld builds the world and publishes D1's results.
func newWorld(t testing.TB) *world {
	t.Helper()
	k := testkit.New(t)
	w := &world{k: k, ctx: context.Background(), svc: k.Remark, regNos: map[int64]string{}, codes: map[int64]string{}}
	ctx, db := w.ctx, k.DB
	for _, u := range []string{"DAR-A", "DAR-B"} {
		exec(t, k, `INSERT INTO units (code, name, kind, parent_code, city) VALUES ($1, $1, 'DAR', NULL, 'Tiranë')`, u)
	}
	for _, s := range [][]string{{"A-1", "DAR-A"}, {"B-1", "DAR-B"}} {
		exec(t, k, `INSERT INTO schools (code, name, unit_code, city, public, profile, years) VALUES ($1, $2, $3, 'Tiranë', TRUE, 'gjimnaz', 4)`, s[0], "Gjimnazi "+s[0], s[1])
	}
	for _, v := range [][]any{{"V-A", "Gjimnazi Çajupi", "DAR-A", "A-1"}, {"V-B", "Gjimnazi Durrësi", "DAR-B", "B-1"}} {
		exec(t, k, `INSERT INTO venues (code, name, unit_code, school_code, city, floors) VALUES ($1, $2, $3, $4, 'Tiranë', 2)`, v...)
	}
	if _, err := k.Years.Create(ctx, ava, year, "", 2009); err != nil {
		t.Fatal(err)
	}
	if err := k.Years.SetActive(ctx, ava, year); err != nil {
		t.Fatal(err)
	}
	n := 0
	seated := map[string][]int64{}
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
			reg := application.RegNo(year, n)
			exec(t, k, `INSERT INTO exam_seats (year, session, exam, student_id, venue_code, room_id, seat_no) VALUES ($1, 1, 'D1', $2, $3, $4, $5)`, year, sid, p.venue, room, i+1)
			exec(t, k, `INSERT INTO final_lists (year, exam, student_id, reg_no, school_code) VALUES ($1, 'D1', $2, $3, $4)`, year, sid, reg, p.school)
			// The application the number was given to (Neni 34 ¶2).
			exec(t, k, `INSERT INTO applications (year, student_id, form, category, status, source, reg_no, updated_at)
				VALUES ($1, $2, 'A1', 'maturant', 'final', 'school', $3, '2027-05-28T08:00:00Z')`, year, sid, reg)
			w.students = append(w.students, sid)
			w.regNos[sid] = reg
			seated[p.venue] = append(seated[p.venue], sid)
		}
	}
	if _, err := k.Anonym.Generate(ctx, ava, year, "D1"); err != nil {
		t.Fatal(err)
	}
	kr, err := k.Anonym.NameHolders(ctx, ava, year, "D1", []string{"Arta Hoxha", "Blerim Çeka", "Dorina Lleshi"}, 2)
	if err != nil {
		t.Fatal(err)
	}
	for _, venue := range []string{"V-A", "V-B"} {
		set, err := k.Anonym.LabelSet(ctx, ava, year, "D1", venue)
		if err != nil {
			t.Fatal(err)
		}
		for i, st := range seated[venue] {
			if err := k.Anonym.Attach(ctx, ava, year, "D1", venue, set.Rooms[0].Codes[i], st); err != nil {
				t.Fatal(err)
			}
		}
	}
	exec(t, k, `INSERT INTO marking_tests (year, exam, title, updated_at, updated_by) VALUES ($1, 'D1', 'Testi D1', '2027-06-01T08:00:00Z', 'ava')`, year)
	exec(t, k, `INSERT INTO marking_items (year, exam, no, label, kind, max_points, options, answer_key, scheme) VALUES ($1, 'D1', 1, '1', 'choice', 1, 4, 'B', '')`, year)
	exec(t, k, `INSERT INTO marking_items (year, exam, no, label, kind, max_points, options, answer_key, scheme) VALUES ($1, 'D1', 2, '2', 'short', 4, 0, '', '')`, year)
	for _, m := range markers {
		exec(t, k, `INSERT INTO marking_markers (year, exam, username, full_name, school_code, task, status, appointed_by, appointed_at)
			VALUES ($1, 'D1', $2, $3, $4, $5, 'qualified', 'ava', '2027-06-01T08:00:00Z')`, year, m[0], "Vlerësuesi "+m[0], m[1], m[2])
	}
	if _, err := k.Marking.RegisterBooklets(ctx, ava, year, "D1"); err != nil {
		t.Fatal(err)
	}
	if _, err := k.Marking.Allocate(ctx, ava, year, "D1"); err != nil {
		t.Fatal(err)
	}
	used, err := k.Anonym.UsedCodes(ctx, year, "D1")
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range used {
		for _, round := range []int{1, 2} {
			var who string
			if err := db.QueryRow(`SELECT username FROM marking_allocations WHERE year = $1 AND exam = 'D1' AND code = $2 AND round = $3`, year, u.Code, round).Scan(&who); err != nil {
				t.Fatal(err)
			}
			if _, err := k.Marking.Mark(ctx, vl(who), year, "D1", u.Code, []string{"B", ""}, []int{0, 2}); err != nil {
				t.Fatalf("%s marks %s: %v", who, u.Code, err)
			}
		}
	}
	if _, err := k.Marking.Close(ctx, ava, year, "D1"); err != nil {
		t.Fatal(err)
	}
	shares := make([]anonym.ShareInput, 2)
	for i := range shares {
		shares[i] = anonym.ShareInput{Holder: kr.Shares[i].Name, Share: kr.Shares[i].Share}
	}
	if _, err := k.Anonym.Open(ctx, ava, year, "D1", shares); err != nil {
		t.Fatal(err)
	}
	for _, st := range w.students {
		c, ok, err := k.Anonym.CodeOfStudent(ctx, year, "D1", st)
		if err != nil || !ok {
			t.Fatalf("code of %d: %v %v", st, ok, err)
		}
		w.codes[st] = c
	}
	if _, err := k.Results.Compute(ctx, ava, year, "D1"); err != nil {
		t.Fatal(err)
	}
	w.at(t, 0, "18:00")
	if _, err := k.Results.Publish(ctx, ava, year, "D1", "Provë e rivlerësimit"); err != nil {
		t.Fatal(err)
	}
	return w
}

// pubDay is the day of D1's publication in this world.
const pubDay = "2027-07-10"

// at moves the clock to day n after the publication, at hour ("HH:MM").
func (w *world) at(t testing.TB, n int, hour string) {
	t.Helper()
	d := testkit.Moment(t, pubDay).AddDate(0, 0, n)
	w.k.At(t, d.Format("2006-01-02")+" "+hour)
}

// forwarded files online requests of the students i…, forwards them by
// their schools and KMSH, and returns nothing; the clock ends on day 7.
func (w *world) forwarded(t testing.TB, idx ...int) {
	t.Helper()
	w.at(t, 1, "09:00")
	for _, i := range idx {
		if _, err := w.svc.File(w.ctx, w.student(i), year, "D1", fmt.Sprintf("MA-2027-%04d", i+1)); err != nil {
			t.Fatal(err)
		}
	}
	w.at(t, 5, "12:00")
	for _, p := range []*auth.Principal{schoolA, schoolB} {
		if _, err := w.svc.ForwardSchool(w.ctx, p, year, "D1"); err != nil {
			t.Fatal(err)
		}
	}
	w.at(t, 7, "12:00")
	for _, p := range []*auth.Principal{kmshA, kmshB} {
		if _, err := w.svc.ForwardKMSH(w.ctx, p, year, "D1"); err != nil {
			t.Fatal(err)
		}
	}
}
