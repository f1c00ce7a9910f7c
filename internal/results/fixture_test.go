package results_test

import (
	"context"
	"fmt"
	"testing"

	"provim/internal/albanian"
	"provim/internal/auth"
	"provim/internal/store"
	"provim/internal/testkit"
)

// The year of the default configuration: D1 on 08.06.2009, D2 on
// 11.06.2009, the electives on 15.06.2009, session2_lists 05.09.2009.
const year = 2009

var ava = testkit.AVA

// world is a small country whose exams were marked and closed and whose
// links were opened, written straight into the owners' tables (the flows
// that get there are proved by packages marking and anonym):
//
//	DAR-A: school A-1; DAR-B: school B-1.
type world struct {
	k   *testkit.Kit
	db  *store.DB
	ctx context.Context
	n   int
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
	w := &world{k: k, db: k.DB, ctx: context.Background()}
	for _, u := range [][]any{{"DAR-A", "DAR"}, {"DAR-B", "DAR"}} {
		run(t, w.db, `INSERT INTO units (code, name, kind, parent_code, city) VALUES ($1, $1, $2, NULL, 'Tiranë')`, u...)
	}
	for _, s := range [][]string{{"A-1", "DAR-A"}, {"B-1", "DAR-B"}} {
		run(t, w.db, `INSERT INTO schools (code, name, unit_code, city, public, profile, years) VALUES ($1, $2, $3, 'Tiranë', TRUE, 'gjimnaz', 4)`,
			s[0], "Gjimnazi "+s[0], s[1])
	}
	return w
}

// student adds a student of school with the surname given.
func (w *world) student(t testing.TB, school, last string) int64 {
	t.Helper()
	w.n++
	var id int64
	if err := w.db.QueryRow(`INSERT INTO students (personal_no, first_name, father_name, last_name, sex, birth_date, school_code, category, sort_key, updated_at)
		VALUES ($1, 'Ëndrit', 'Ilir', $2, 'M', '1991-01-01', $3, 'maturant', $4, '2009-01-01T00:00:00Z') RETURNING id`,
		fmt.Sprintf("S%08d", w.n), last, school, albanian.SortKey(last, "Ëndrit", "Ilir")).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

func regNo(id int64) string { return fmt.Sprintf("27%07d", id) }

// sit lists the student for exam; with points ≥ 0 a booklet of theirs
// was marked final with those points, with -1 they handed none in, with
// -2 MASH voided their booklet.
func (w *world) sit(t testing.TB, exam string, id int64, school string, points int) {
	t.Helper()
	run(t, w.db, `INSERT INTO final_lists (year, exam, student_id, reg_no, school_code) VALUES ($1, $2, $3, $4, $5)`, year, exam, id, regNo(id), school)
	// The application the number was given to (Neni 34 ¶2).
	run(t, w.db, `INSERT INTO applications (year, student_id, form, category, status, source, reg_no, updated_at)
		VALUES ($1, $2, 'A1', 'maturant', 'final', 'school', $3, '2009-05-28T08:00:00Z') ON CONFLICT DO NOTHING`, year, id, regNo(id))
	if points == -1 {
		return
	}
	code := fmt.Sprintf("%s%06d", exam, id)
	state, pts := "final", points
	if points == -2 {
		state, pts = "voided", -1
	}
	run(t, w.db, `INSERT INTO marking_booklets (year, exam, code, seeded, schools, state, final_points, final_round, registered_at) VALUES ($1, $2, $3, 0, '', $4, $5, 0, '2009-06-09T08:00:00Z')`,
		year, exam, code, state, pts)
	run(t, w.db, `INSERT INTO anonym_opened (year, exam, code, student_id) VALUES ($1, $2, $3, $4)`, year, exam, code, id)
}

// close closes the marking of exam and opens its link.
func (w *world) close(t testing.TB, exam string) {
	t.Helper()
	run(t, w.db, `INSERT INTO marking_closed (year, exam, booklets, closed_by, closed_at) VALUES ($1, $2, 0, 'ava', '2009-06-12T08:00:00Z')`, year, exam)
	run(t, w.db, `INSERT INTO anonym_keys (year, exam, public_key, threshold, holders, created_at, created_by, opened_at, opened_by) VALUES ($1, $2, '00', 2, 3, '2009-06-01T08:00:00Z', 'ava', '2009-06-12T09:00:00Z', 'ava')`, year, exam)
}

// exclude records an exclusion of the student from exam (Neni 54).
func (w *world) exclude(t testing.TB, exam string, id int64, cause string) {
	t.Helper()
	run(t, w.db, `INSERT INTO exam_exclusions (student_id, year, exam, cause, recorded_by, recorded_at) VALUES ($1, $2, $3, $4, 'pap', '2009-06-08T10:00:00Z')`, id, year, exam, cause)
}

func (w *world) at(t testing.TB, when string) { w.k.At(t, when) }

func student(id int64) *auth.Principal { return testkit.Student(id) }

func mustCode(t testing.TB, err error, code string) {
	t.Helper()
	if err == nil {
		t.Fatalf("want error %s, got none", code)
	}
	if got := apperrCode(err); got != code {
		t.Fatalf("want error %s, got %s: %v", code, got, err)
	}
}
