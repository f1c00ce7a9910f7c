package marking_test

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"provim/internal/apperr"
	"provim/internal/auth"
	"provim/internal/clock"
	"provim/internal/marking"
	"provim/internal/store"
	"provim/internal/testkit"
)

// Neni 57.15: the monitors' sample is random and can be drawn again from
// its recorded seed: the same seed gives the same sample whatever the
// order of the population, another seed another sample, and the size
// follows the rate.
func TestNeni57_15_MonitorSampleIsRandomAndReproducibleFromItsSeed(t *testing.T) {
	t.Parallel()
	pop := make([]string, 2000)
	for i := range pop {
		pop[i] = ovCode(i)
	}
	a := marking.SampleCodes("farë-1", pop, 50)
	if len(a) != 100 {
		t.Fatalf("50‰ of 2000: %d sampled, want 100", len(a))
	}
	rev := slices.Clone(pop)
	slices.Reverse(rev)
	if !slices.Equal(a, marking.SampleCodes("farë-1", rev, 50)) {
		t.Fatal("the same seed over the same population gave another sample")
	}
	b := marking.SampleCodes("farë-2", pop, 50)
	common := 0
	for _, c := range b {
		if slices.Contains(a, c) {
			common++
		}
	}
	if common > 30 {
		t.Fatalf("two seeds share %d of 100 codes: not random", common)
	}
	// Over many seeds every part of the population is drawn about as often.
	first := 0
	for s := range 200 {
		for _, c := range marking.SampleCodes("s"+strconv.Itoa(s), pop, 50) {
			if c < ovCode(1000) {
				first++
			}
		}
	}
	if first < 8000 || first > 12000 {
		t.Fatalf("the first half of the population was drawn %d times of 20000, want about 10000", first)
	}
	if n := len(marking.SampleCodes("x", pop[:5], 50)); n != 1 {
		t.Errorf("50‰ of 5: %d sampled, want 1 (rounded up)", n)
	}
	if n := len(marking.SampleCodes("x", pop, 0)); n != 0 {
		t.Errorf("rate 0: %d sampled", n)
	}
	if n := len(marking.SampleCodes("x", pop[:7], 1000)); n != 7 {
		t.Errorf("rate 1000‰: %d of 7 sampled", n)
	}

	// Through the service: the population is the final booklets, not
	// seeded ones, not voided or open ones, and never one of an earlier
	// draw; the draw verifies again from its seed.
	w := newOversightWorld(t, "m1", "m2")
	for i := range 40 {
		w.finalPair(t, ovCode(i), "m1", "m2", []int{1, 2, 3, 4}, "2009-06-20")
	}
	w.booklet(t, "S0001", marking.StateFinal, 1, 10)
	w.booklet(t, "V0001", marking.StateVoided, 0, -1)
	w.booklet(t, "O0001", marking.StateOpen, 0, -1)
	if _, err := w.svc.DrawSample(w.ctx, ovMonitor2, 0, "D1"); !apperr.Is(err, apperr.Forbidden) {
		t.Fatalf("the monitor of D2 draws D1's sample: %v", err)
	}
	if _, err := w.svc.DrawSample(w.ctx, ovAVA, 0, "D1"); !apperr.Is(err, apperr.Forbidden) {
		t.Fatalf("AVA draws the monitors' sample: %v", err)
	}
	d, err := w.svc.DrawSample(w.ctx, ovMonitor, 0, "d1")
	if err != nil {
		t.Fatal(err)
	}
	if d.No != 1 || d.Population != 40 || d.Sampled != 2 || len(d.Codes) != 2 || d.Seed == "" {
		t.Fatalf("draw = %+v, want draw 1 of 2 from 40", d)
	}
	if !slices.Equal(d.Codes, marking.SampleCodes(d.Seed, pop[:40], 50)) {
		t.Fatal("the draw is not SampleCodes of its seed")
	}
	if ok, err := w.svc.VerifyDraw(w.ctx, 0, "D1", 1); err != nil || !ok {
		t.Fatalf("verify draw 1: %v %v", ok, err)
	}
	if _, err := w.svc.DrawSample(w.ctx, ovMonitor, 0, "D1"); !apperr.Is(err, apperr.Conflict) {
		t.Fatalf("a draw with nothing new: %v", err)
	}
	w.exec(t, `INSERT INTO marking_settings (year, exam, tolerance, monitor_rate_pm, seeded_rate_pm, updated_by, updated_at) VALUES (2009, 'D1', 2, 200, 0, 'ava', 'x')`)
	for i := 40; i < 60; i++ {
		w.finalPair(t, ovCode(i), "m1", "m2", []int{1, 1, 1, 1}, "2009-06-21")
	}
	d2, err := w.svc.DrawSample(w.ctx, ovMonitor, 0, "D1")
	if err != nil {
		t.Fatal(err)
	}
	if d2.No != 2 || d2.Population != 20 || d2.Sampled != 4 || d2.RatePM != 200 {
		t.Fatalf("second draw = %+v, want 4 of the 20 new at 200‰", d2)
	}
	for _, c := range d2.Codes {
		if c < ovCode(40) {
			t.Fatalf("the second draw sampled %s of the first population", c)
		}
	}
	// A sample changed afterwards no longer verifies.
	w.exec(t, `UPDATE marking_samples SET code = 'S0001' WHERE year = 2009 AND exam = 'D1' AND code = $1`, d2.Codes[0])
	if ok, err := w.svc.VerifyDraw(w.ctx, 0, "D1", 2); err != nil || ok {
		t.Fatalf("a tampered draw verifies: %v %v", ok, err)
	}
	if _, err := w.svc.VerifyDraw(w.ctx, 0, "D1", 9); !apperr.Is(err, apperr.NotFound) {
		t.Fatalf("verify a draw that does not exist: %v", err)
	}
	m, err := w.svc.Monitoring(w.ctx, ovMonitor, 0, "D1")
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Draws) != 2 || m.Draws[0].Verified || !m.Draws[1].Verified || len(m.Samples) != 6 || m.Waiting != 0 {
		t.Fatalf("monitoring = %+v", m)
	}
	if _, err := w.svc.Monitoring(w.ctx, ovMonitor2, 0, "D1"); !apperr.Is(err, apperr.Forbidden) {
		t.Fatalf("the monitor of D2 sees D1's monitoring: %v", err)
	}
	if _, err := w.svc.Monitoring(w.ctx, ovMarker("m1"), 0, "D1"); !apperr.Is(err, apperr.Forbidden) {
		t.Fatalf("a marker sees the monitoring: %v", err)
	}
	if n := w.count(t, `SELECT COUNT(*) FROM audit_log WHERE action = 'marking.sample' AND object_type = 'marking_exam'`); n != 2 {
		t.Fatalf("%d audit entries of draws, want 2", n)
	}
}

// Neni 57.15: a monitor may send a sampled booklet back with a reason;
// its markings are emptied (the reason kept) and it is open again.
func TestNeni57_15_MonitorReturnsABookletWithAReason(t *testing.T) {
	t.Parallel()
	w := newOversightWorld(t, "m1", "m2", "m3")
	w.exec(t, `INSERT INTO marking_settings (year, exam, tolerance, monitor_rate_pm, seeded_rate_pm, updated_by, updated_at) VALUES (2009, 'D1', 2, 1000, 0, 'ava', 'x')`)
	w.finalPair(t, "K0001", "m1", "m2", []int{4, 3, 2, 1}, "2009-06-20")
	w.booklet(t, "K0002", marking.StateFinal, 0, 9)
	w.marking(t, "K0002", 1, "m1", []int{1, 1, 1, 1}, "2009-06-20")
	w.marking(t, "K0002", 2, "m2", []int{2, 2, 2, 2}, "2009-06-20")
	w.marking(t, "K0002", 3, "m3", []int{3, 2, 2, 2}, "2009-06-21")
	w.exec(t, `UPDATE marking_booklets SET final_round = 3 WHERE code = 'K0002'`)
	w.exec(t, `INSERT INTO marking_entries (year, exam, code, round, entry, typist, choices, points, entered_at) VALUES (2009, 'D1', 'K0002', 3, 1, 'typ', ',,,', '3,2,2,2', 'x')`)
	if _, err := w.svc.DrawSample(w.ctx, ovMonitor, 0, "D1"); err != nil {
		t.Fatal(err)
	}
	b, err := w.svc.SampledBooklet(w.ctx, ovMonitor, 0, "D1", "K0002")
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Items) != 4 || b.Marks == nil || b.Marks.Total() != 9 || b.Round != 3 {
		t.Fatalf("the monitor sees %+v, want the items and the third's final marks (9)", b)
	}
	if b, _ := w.svc.SampledBooklet(w.ctx, ovMonitor, 0, "D1", "K0001"); b.Marks == nil || b.Marks.Total() != 10 {
		t.Fatalf("an agreeing pair's final marks: %+v", b.Marks)
	}
	if _, err := w.svc.SampledBooklet(w.ctx, ovMonitor, 0, "D1", "K9999"); !apperr.Is(err, apperr.NotFound) {
		t.Fatalf("a booklet outside the sample: %v", err)
	}
	if err := w.svc.ReviewSample(w.ctx, ovMonitor, 0, "D1", "K0002", marking.VerdictReturned, "  "); !apperr.Is(err, apperr.Invalid) {
		t.Fatalf("a return without a reason: %v", err)
	}
	if err := w.svc.ReviewSample(w.ctx, ovMonitor, 0, "D1", "K0002", "maybe", ""); !apperr.Is(err, apperr.Invalid) {
		t.Fatalf("an unknown verdict: %v", err)
	}
	if err := w.svc.ReviewSample(w.ctx, ovMonitor2, 0, "D1", "K0002", marking.VerdictConfirmed, ""); !apperr.Is(err, apperr.Forbidden) {
		t.Fatalf("the monitor of D2 reviews D1: %v", err)
	}
	if err := w.svc.ReviewSample(w.ctx, ovMonitor, 0, "D1", "K9999", marking.VerdictConfirmed, ""); !apperr.Is(err, apperr.NotFound) {
		t.Fatalf("review of a booklet outside the sample: %v", err)
	}
	const why = "Kërkesa 1 është vlerësuar mbi skemën."
	if err := w.svc.ReviewSample(w.ctx, ovMonitor, 0, "D1", "K0002", marking.VerdictReturned, why); err != nil {
		t.Fatal(err)
	}
	var state string
	var final, round int
	w.db.QueryRow(`SELECT state, final_points, final_round FROM marking_booklets WHERE code = 'K0002'`).Scan(&state, &final, &round)
	if state != marking.StateOpen || final != -1 || round != 0 {
		t.Fatalf("returned booklet: %s %d %d, want open -1 0", state, final, round)
	}
	if n := w.count(t, `SELECT COUNT(*) FROM marking_allocations WHERE code = 'K0002' AND points = '' AND choices = '' AND total = -1 AND submitted_at = '' AND source = '' AND returned_reason = $1`, why); n != 3 {
		t.Fatalf("%d of 3 markings emptied with the reason", n)
	}
	if n := w.count(t, `SELECT COUNT(*) FROM marking_entries WHERE code = 'K0002'`); n != 0 {
		t.Fatal("the typed sheets of a returned booklet are kept")
	}
	if err := w.svc.ReviewSample(w.ctx, ovMonitor, 0, "D1", "K0002", marking.VerdictConfirmed, ""); !apperr.Is(err, apperr.Conflict) {
		t.Fatalf("a second verdict: %v", err)
	}
	if err := w.svc.ReviewSample(w.ctx, ovMonitor, 0, "D1", "K0001", marking.VerdictConfirmed, ""); err != nil {
		t.Fatal(err)
	}
	if n := w.count(t, `SELECT COUNT(*) FROM marking_booklets WHERE code = 'K0001' AND state = 'final' AND final_points = 10`); n != 1 {
		t.Fatal("a confirmed booklet changed")
	}
	if n := w.count(t, `SELECT COUNT(*) FROM audit_log WHERE action = 'marking.return' AND object_id = '2009/D1/K0002'`); n != 1 {
		t.Fatal("the return is not in the audit log")
	}
	// After the close nothing is drawn or returned.
	w.finalPair(t, "K0003", "m1", "m2", []int{1, 1, 1, 1}, "2009-06-22")
	w.exec(t, `INSERT INTO marking_closed (year, exam, booklets, closed_by, closed_at) VALUES (2009, 'D1', 3, 'lead', 'x')`)
	if _, err := w.svc.DrawSample(w.ctx, ovMonitor, 0, "D1"); !apperr.Is(err, apperr.Conflict) {
		t.Fatalf("a draw after the close: %v", err)
	}
	w.exec(t, `UPDATE marking_samples SET verdict = '' WHERE code = 'K0001'`)
	if err := w.svc.ReviewSample(w.ctx, ovMonitor, 0, "D1", "K0001", marking.VerdictReturned, why); !apperr.Is(err, apperr.Conflict) {
		t.Fatalf("a return after the close: %v", err)
	}
}

// The principals of the oversight tests.
var (
	ovAVA      = testkit.AVA
	ovMonitor  = &auth.Principal{Username: "mon.d1", FullName: "Monitoruesi D1", Role: auth.RoleMonitor, Subject: "D1"}
	ovMonitor2 = &auth.Principal{Username: "mon.d2", FullName: "Monitoruesi D2", Role: auth.RoleMonitor, Subject: "D2"}
	ovKOP      = &auth.Principal{Username: "kop", FullName: "KOPOTED", Role: auth.RoleKOPOTED}
	ovMASH     = &auth.Principal{Username: "mash", FullName: "MASH", Role: auth.RoleMASH}
	ovObserver = &auth.Principal{Username: "vez", FullName: "Vëzhguesi", Role: auth.RoleObserver}
	ovLead     = &auth.Principal{Username: "lead", FullName: "Përgjegjësi", Role: auth.RoleMarker, Subject: "D1"}
)

// ovMarker is the principal of an appointed marker of D1.
func ovMarker(u string) *auth.Principal {
	return &auth.Principal{Username: u, FullName: u, Role: auth.RoleMarker, Subject: "D1"}
}

// oversightWorld is D1 of the default year (2009) with a test of four
// open items of 0–4 points, a lead and markers, into whose tables the
// tests write booklets and markings directly (Part C registers and
// allocates them for real).
type oversightWorld struct {
	k    *testkit.Kit
	db   *store.DB
	svc  *marking.Service
	ctx  context.Context
	year int
}

func newOversightWorld(t *testing.T, markers ...string) *oversightWorld {
	t.Helper()
	k := testkit.New(t)
	w := &oversightWorld{k: k, db: k.DB, svc: k.Marking, ctx: context.Background(), year: 2009}
	at := clock.Stored(testkit.Start)
	w.exec(t, `INSERT INTO marking_tests (year, exam, title, updated_at, updated_by) VALUES (2009, 'D1', 'Testi D1', $1, 'ava')`, at)
	for no := 1; no <= 4; no++ {
		w.exec(t, `INSERT INTO marking_items (year, exam, no, label, kind, max_points) VALUES (2009, 'D1', $1, $2, 'short', 4)`, no, strconv.Itoa(no))
	}
	w.exec(t, `INSERT INTO marking_markers (year, exam, username, full_name, task, status, appointed_by, appointed_at) VALUES (2009, 'D1', 'lead', 'Përgjegjësi', 'lead', 'qualified', 'ava', $1)`, at)
	for _, m := range markers {
		w.exec(t, `INSERT INTO marking_markers (year, exam, username, full_name, task, status, appointed_by, appointed_at) VALUES (2009, 'D1', $1, $2, 'marker', 'qualified', 'ava', $3)`,
			m, "Vlerësuesi "+strings.ToUpper(m), at)
	}
	return w
}

func (w *oversightWorld) exec(t *testing.T, q string, args ...any) {
	t.Helper()
	if _, err := w.db.Exec(q, args...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

// booklet registers a booklet of D1 in a state (seeded: its calibration
// no, 0 for a candidate's).
func (w *oversightWorld) booklet(t *testing.T, code, state string, seeded, final int) {
	t.Helper()
	round := 0
	if state == marking.StateFinal {
		round = 2
	}
	w.exec(t, `INSERT INTO marking_booklets (year, exam, code, seeded, schools, state, final_points, final_round, registered_at) VALUES (2009, 'D1', $1, $2, 'A-1', $3, $4, $5, $6)`,
		code, seeded, state, final, round, clock.Stored(testkit.Start))
}

// marking writes a submitted marking of a booklet by user in a round, on
// a day (YYYY-MM-DD, Tirana; "" for not submitted).
func (w *oversightWorld) marking(t *testing.T, code string, round int, user string, points []int, day string) {
	t.Helper()
	ps := make([]string, len(points))
	total := 0
	for i, p := range points {
		ps[i] = strconv.Itoa(p)
		total += p
	}
	at := ""
	if day != "" {
		d, err := time.ParseInLocation("2006-01-02", day, clock.Tirana)
		if err != nil {
			t.Fatal(err)
		}
		at = clock.Stored(d.Add(11 * time.Hour))
	} else {
		total = -1
		ps = nil
	}
	w.exec(t, `INSERT INTO marking_allocations (year, exam, code, round, username, allocated_by, allocated_at, choices, points, total, submitted_at, source)
		VALUES (2009, 'D1', $1, $2, $3, 'ava', $4, $5, $6, $7, $8, $9)`,
		code, round, user, clock.Stored(testkit.Start), strings.Repeat(",", max(len(ps)-1, 0)), strings.Join(ps, ","), total, at, map[bool]string{true: "screen", false: ""}[at != ""])
}

// finalPair registers a final booklet both markers marked alike.
func (w *oversightWorld) finalPair(t *testing.T, code, a, b string, points []int, day string) {
	t.Helper()
	total := 0
	for _, p := range points {
		total += p
	}
	w.booklet(t, code, marking.StateFinal, 0, total)
	w.marking(t, code, 1, a, points, day)
	w.marking(t, code, 2, b, points, day)
}

func (w *oversightWorld) count(t *testing.T, q string, args ...any) int {
	t.Helper()
	var n int
	if err := w.db.QueryRow(q, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

func ovCode(i int) string { return fmt.Sprintf("K%04d", i) }
