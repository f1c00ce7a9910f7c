package retention_test

import (
	"context"
	"strings"
	"testing"

	"provim/internal/apperr"
	"provim/internal/auth"
	"provim/internal/clock"
	"provim/internal/examyear"
	"provim/internal/retention"
	"provim/internal/store"
	"provim/internal/testkit"
)

// The exam year of the tests: 2009, the default configuration (secret
// until 31.12.2009, destroyed after 31.01.2010).
const year = 2009

type world struct {
	k   *testkit.Kit
	svc *retention.Service
	ctx context.Context
}

func exec(t *testing.T, db *store.DB, q string, args ...any) {
	t.Helper()
	if _, err := db.Exec(q, args...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

// newWorld is a country whose 2009 D1 was marked, scanned and linked: two
// booklets with scans (one page waiting for a code), the sealed and the
// opened link, the codes by room, and what stays (the key, the seated
// candidates, the points per code).
func newWorld(t *testing.T) *world {
	t.Helper()
	k := testkit.New(t)
	land := k.Country(t)
	db := k.DB
	now := clock.Stored(k.Clock.Now())
	var room int64
	if err := db.QueryRow(`SELECT id FROM rooms ORDER BY id LIMIT 1`).Scan(&room); err != nil {
		t.Fatal(err)
	}
	exec(t, db, `INSERT INTO anonym_keys (year, exam, public_key, threshold, holders, created_at, created_by) VALUES ($1, 'D1', 'ab', 2, 3, $2, 'ava')`, year, now)
	for i, st := range []int64{land.Home.Student, land.Foreign.Student} {
		code := []string{"K7Q2-M9XD-R", "P3LX-Z8QW-T"}[i]
		exec(t, db, `INSERT INTO anonym_codes (year, code, exam, venue_code, room_id, used) VALUES ($1, $2, 'D1', $3, $4, TRUE)`, year, code, land.Home.Venue, room)
		exec(t, db, `INSERT INTO anonym_seated (year, exam, student_id, venue_code, room_id, labelled) VALUES ($1, 'D1', $2, $3, $4, TRUE)`, year, st, land.Home.Venue, room)
		exec(t, db, `INSERT INTO anonym_links (year, exam, eph, sealed) VALUES ($1, 'D1', $2, 'c2VhbGVk')`, year, code+"-eph")
		exec(t, db, `INSERT INTO anonym_opened (year, exam, code, student_id) VALUES ($1, 'D1', $2, $3)`, year, code, st)
		exec(t, db, `INSERT INTO marking_booklets (year, exam, code, schools, state, final_points, final_round, registered_at) VALUES ($1, 'D1', $2, 'A-1,B-1', 'final', 41, 2, $3)`, year, code, now)
		for page := 1; page <= 2; page++ {
			exec(t, db, `INSERT INTO marking_scans (year, exam, code, page, content_type, sha256, bytes, uploaded_by, uploaded_at) VALUES ($1, 'D1', $2, $3, 'image/png', 'x', $4, 'ava', $5)`,
				year, code, page, []byte{0x89, 'P', 'N', 'G'}, now)
		}
	}
	exec(t, db, `INSERT INTO marking_scan_queue (year, exam, id, image, content_type, sha256, reason, uploaded_by, uploaded_at) VALUES ($1, 'D1', 1, $2, 'image/png', 'x', 'pa etiketë', 'ava', $3)`,
		year, []byte{0x89, 'P', 'N', 'G'}, now)
	// The code kept beside the result and the re-marking request.
	exec(t, db, `INSERT INTO results (year, exam, session, student_id, subject, reg_no, school_code, unit_code, code, points, max_points, grade, passed, voided, absent)
		VALUES ($1, 'D1', 1, $2, 'GJSH', 'R-1', 'A-1', 'DAR-A', 'K7Q2-M9XD-R', 41, 60, 8, 1, 0, 0)`, year, land.Home.Student)
	exec(t, db, `INSERT INTO remark_requests (year, exam, student_id, reg_no, school_code, unit_code, receipt, channel, filed_by, filed_at, state, code)
		VALUES ($1, 'D1', $2, 'R-1', 'A-1', 'DAR-A', 'M-1', 'online', 'nx', $3, 'final', 'K7Q2-M9XD-R')`, year, land.Home.Student, now)
	return &world{k: k, svc: k.Retention, ctx: context.Background()}
}

// rows counts every table of the database (the blanked schools of the
// booklets as their own line).
func (w *world) rows(t *testing.T) map[string]int64 {
	t.Helper()
	db := w.k.DB
	q := `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`
	if db.Dialect == store.Postgres {
		q = `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`
	}
	var names []string
	rs, err := db.Query(q)
	if err != nil {
		t.Fatal(err)
	}
	for rs.Next() {
		var n string
		rs.Scan(&n)
		names = append(names, n)
	}
	rs.Close()
	out := map[string]int64{}
	for _, n := range names {
		var c int64
		if err := db.QueryRow(`SELECT COUNT(*) FROM ` + n).Scan(&c); err != nil {
			t.Fatal(n, err)
		}
		out[n] = c
	}
	var c int64
	db.QueryRow(`SELECT COUNT(*) FROM marking_booklets WHERE schools <> ''`).Scan(&c)
	out["marking_booklets.schools"] = c
	db.QueryRow(`SELECT COUNT(*) FROM results WHERE code <> ''`).Scan(&c)
	out["results.code"] = c
	db.QueryRow(`SELECT COUNT(*) FROM remark_requests WHERE code <> ''`).Scan(&c)
	out["remark_requests.code"] = c
	return out
}

func (w *world) at(t *testing.T, when string) { w.k.At(t, when) }

var destroyed = map[string]int64{"marking_scans": 4, "marking_scan_queue": 1, "marking_booklets.schools": 2,
	"anonym_links": 2, "anonym_opened": 2, "anonym_codes": 2, "results.code": 1, "remark_requests.code": 1}

// Neni 65 ¶2: until 31 January of the next year nothing is destroyed,
// and a run for the year is refused with the date named.
func TestNeni65_BeforeTheDateNothingIsDestroyed(t *testing.T) {
	w := newWorld(t)
	before := w.rows(t)
	w.at(t, "2010-01-31 23:59")
	rep, err := w.svc.Run(w.ctx, nil, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Years) != 1 || rep.Years[0].Due || rep.Years[0].Total != 0 || rep.Years[0].Secret {
		t.Fatalf("report %+v", rep)
	}
	if clock.Day(rep.Years[0].DestroyOn) != "01.02.2010" || clock.Day(rep.Years[0].SecretUntil) != "31.12.2009" {
		t.Errorf("dates %s, %s", clock.Day(rep.Years[0].DestroyOn), clock.Day(rep.Years[0].SecretUntil))
	}
	_, err = w.svc.RunYear(w.ctx, nil, year, false)
	if !apperr.Is(err, apperr.Conflict) || !strings.Contains(err.Error(), "01.02.2010") || !strings.Contains(err.Error(), "Neni 65") {
		t.Errorf("run before the date: %v", err)
	}
	if after := w.rows(t); !equal(before, after) {
		t.Errorf("changed before the date:\n%v\n%v", before, after)
	}
}

// Neni 65 ¶1: until 31 December of the exam year the booklets are secret
// in the archive; the report says so.
func TestNeni65_SecretUntilTheEndOfTheYear(t *testing.T) {
	w := newWorld(t)
	w.at(t, "2009-12-31 23:00")
	rep, err := w.svc.Run(w.ctx, nil, true)
	if err != nil || !rep.Years[0].Secret || rep.Years[0].Due {
		t.Fatalf("%+v %v", rep, err)
	}
}

// Neni 65 ¶2: from 1 February of the next year the scans and the link are
// destroyed; results, everything else and the audit log remain (one entry
// more, with the counts).
func TestNeni65_AfterTheDateScansAndLinkDestroyed(t *testing.T) {
	w := newWorld(t)
	before := w.rows(t)
	w.at(t, "2010-02-01 00:00")
	rep, err := w.svc.Run(w.ctx, nil, false)
	if err != nil {
		t.Fatal(err)
	}
	y := rep.Years[0]
	if !y.Due || y.Total != 15 {
		t.Fatalf("report %+v", y)
	}
	for _, c := range y.Destroyed {
		if destroyed[c.Table] != c.Rows {
			t.Errorf("%s: %d destroyed, want %d", c.Table, c.Rows, destroyed[c.Table])
		}
	}
	after := w.rows(t)
	for tb, n := range before {
		want := n - destroyed[tb]
		if tb == "audit_log" {
			want = n + 1
		}
		if after[tb] != want {
			t.Errorf("%s: %d rows after, want %d", tb, after[tb], want)
		}
	}
	var act, obj, body string
	w.k.DB.QueryRow(`SELECT action, object_id, after FROM audit_log ORDER BY seq DESC LIMIT 1`).Scan(&act, &obj, &body)
	if act != "retention_destroy" || obj != "2009" || !strings.Contains(body, `"anonym_opened"`) || !strings.Contains(body, "01.02.2010") {
		t.Errorf("audit %s %s %s", act, obj, body)
	}
	var pts int
	w.k.DB.QueryRow(`SELECT final_points FROM marking_booklets WHERE year = $1 AND code = 'K7Q2-M9XD-R'`, year).Scan(&pts)
	if pts != 41 {
		t.Errorf("points per code: %d", pts)
	}
}

// A second run destroys nothing, writes no audit entry and says so.
func TestNeni65_TwiceIsOnce(t *testing.T) {
	w := newWorld(t)
	w.at(t, "2011-05-01")
	if _, err := w.svc.Run(w.ctx, nil, false); err != nil {
		t.Fatal(err)
	}
	once := w.rows(t)
	rep, err := w.svc.RunYear(w.ctx, nil, year, false)
	if err != nil || rep.Total != 0 {
		t.Fatalf("second run: %+v %v", rep, err)
	}
	if twice := w.rows(t); !equal(once, twice) {
		t.Errorf("second run changed:\n%v\n%v", once, twice)
	}
}

// A dry run counts what would go and changes nothing.
func TestNeni65_DryRunChangesNothing(t *testing.T) {
	w := newWorld(t)
	before := w.rows(t)
	w.at(t, "2010-03-01")
	rep, err := w.svc.Run(w.ctx, nil, true)
	if err != nil || rep.Years[0].Total != 15 {
		t.Fatalf("%+v %v", rep, err)
	}
	if after := w.rows(t); !equal(before, after) {
		t.Errorf("a dry run changed:\n%v\n%v", before, after)
	}
}

// Only AVA (or the console) runs it.
func TestNeni65_OnlyAVA(t *testing.T) {
	w := newWorld(t)
	w.at(t, "2010-03-01")
	for _, p := range []*auth.Principal{testkit.KMSH("DAR-A"), {Username: "x", Role: auth.RoleMASH}} {
		if _, err := w.svc.Run(w.ctx, p, false); !apperr.Is(err, apperr.Forbidden) {
			t.Errorf("%s: %v", p.Role, err)
		}
	}
	if _, err := w.svc.Run(w.ctx, testkit.AVA, true); err != nil {
		t.Error(err)
	}
}

// The destroy date follows the year's configuration: the day after
// DestroyAfter of the next year; 29 February falls on 28 in a common year.
func TestNeni65_DestroyDateFromTheConfiguration(t *testing.T) {
	for _, c := range []struct {
		after, want string
	}{{"01-31", "01.02.2010"}, {"06-30", "01.07.2010"}, {"12-31", "01.01.2011"}, {"02-29", "01.03.2010"}} {
		on, err := retention.DestroyOn(year, examyear.Retention{BookletsSecretUntil: "12-31", DestroyAfter: c.after})
		if err != nil || clock.Day(on) != c.want {
			t.Errorf("%s: %s %v, want %s", c.after, clock.Day(on), err, c.want)
		}
	}
	if _, err := retention.DestroyOn(year, examyear.Retention{DestroyAfter: "31.01"}); err == nil {
		t.Error("a bad date accepted")
	}
}

func equal(a, b map[string]int64) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}
