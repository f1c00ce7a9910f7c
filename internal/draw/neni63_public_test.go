package draw_test

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"provim/internal/audit"
	"provim/internal/draw"
)

// Issue 9, item 8 (Neni 63): the public record of a draw names nobody —
// no names, fathers' names, schools, subjects or staff ids — and anyone
// can still verify it; the commission's record names everyone, and each
// name is bound to its published entry by the keyed hash.
func TestNeni63_PublicDrawRecordCarriesNoPersonalDataAndVerifies(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	rec := w.drawn(t, "3 14 15", "")
	pub, err := w.svc.Public(context.Background(), rec.ID)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(pub)
	body := string(b)
	for last := range w.staff {
		if strings.Contains(body, last) {
			t.Errorf("the public record names %s", last)
		}
	}
	for _, s := range []string{"Ilir", "Besa", `"staff_id"`, `"school"`, `"subjects"`, `"name":"` + rec.Inputs.Pool[0].Name, "roster_key"} {
		if strings.Contains(body, s) {
			t.Errorf("the public record carries %s", s)
		}
	}
	if err := draw.Verify(pub); err != nil {
		t.Fatalf("the public record does not verify: %v", err)
	}
	if pub.InputsHash != rec.InputsHash || len(pub.Result) != len(rec.Result) {
		t.Fatal("the public record is not the record")
	}
	// The commission's record: names, and the tags bind them.
	got, err := w.svc.Get(context.Background(), kmshA, rec.ID)
	if err != nil || got.RosterKey == "" || draw.Verify(got) != nil {
		t.Fatalf("the commission's record: %v", err)
	}
	for _, p := range got.Inputs.Pool {
		if p.Name == "" || p.ID == 0 || draw.Tag(got.RosterKey, p) != p.Tag {
			t.Fatalf("entry %s: %+v", p.Ref, p)
		}
	}
	lines := draw.Lines(got)
	if len(lines) == 0 || lines[0].Name == "" || draw.Lines(pub)[0].Name != "" || draw.Lines(pub)[0].Ref != lines[0].Ref {
		t.Errorf("lines: %+v / %+v", lines[0], draw.Lines(pub)[0])
	}
	// A named entry swapped for another person no longer verifies.
	bad := got
	bad.Inputs.Pool = slices.Clone(got.Inputs.Pool)
	bad.Inputs.Pool[0].Name, bad.Inputs.Pool[1].Name = bad.Inputs.Pool[1].Name, bad.Inputs.Pool[0].Name
	if err := draw.Verify(bad); err == nil || !strings.Contains(err.Error(), "lista emërore") {
		t.Errorf("swapped names verified: %v", err)
	}
}

// Issue 10, item 9: an entropy and result rewritten together in the
// database agree with each other (Verify alone passes), but not with the
// audit entry of the draw: Check and the reconciliation find it.
func TestNeni47_StoredEntropyAndResultRewrittenTogetherAreFound(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := context.Background()
	rec := w.drawn(t, "12 7 33", "")
	if _, err := w.svc.Check(ctx, rec.ID); err != nil {
		t.Fatalf("an intact draw: %v", err)
	}
	// The forger picks an entropy that draws another venue order.
	var forged draw.Outcome
	entropy := ""
	for i := range 50 {
		e := fmt.Sprintf("9 9 %d", i)
		out, err := draw.Compute(rec.Inputs, rec.Seed, e)
		if err == nil && len(out.Shortages) == 0 && !slices.Equal(out.VenueOrder, rec.VenueOrder) {
			forged, entropy = out, e
			break
		}
	}
	if entropy == "" {
		t.Fatal("no other venue order in 50 entropies")
	}
	res, _ := json.Marshal(forged)
	if _, err := w.db.Exec(`UPDATE draws SET entropy = $1, result = $2 WHERE id = $3`, entropy, string(res), rec.ID); err != nil {
		t.Fatal(err)
	}
	stored, err := w.svc.Get(ctx, kmshA, rec.ID)
	if err != nil {
		t.Fatal(err)
	}
	if err := draw.Verify(stored); err != nil {
		t.Fatalf("the forged record is self-consistent, so Verify alone passes: %v", err)
	}
	if _, err := w.svc.Check(ctx, rec.ID); err == nil || !strings.Contains(err.Error(), "entropy") {
		t.Errorf("Check did not find the rewrite: %v", err)
	}
	tb, err := draw.AuditTable(ctx, w.db.DB)
	if err != nil {
		t.Fatal(err)
	}
	diffs, err := audit.Reconcile(ctx, w.db.DB, []audit.Table{tb})
	if err != nil {
		t.Fatal(err)
	}
	fields := map[string]bool{}
	for _, d := range diffs {
		fields[d.Field] = d.ID == fmt.Sprint(rec.ID)
	}
	if !fields["entropy"] || !fields["result_sha256"] {
		t.Errorf("reconcile: %+v", diffs)
	}
}

// Issue 10, item 1 (Neni 14.3): a person drawn for an exam is left out of
// the lists of every other exam of the session held at the same time, so
// nobody is drawn to two venues at once.
func TestNeni14_3_NobodyIsDrawnToTwoVenuesAtOnce(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := context.Background()
	rec := w.drawn(t, "1 2 3", "")
	// The year's timetable sits KIM and HIS together (the morning elective
	// sitting) and FIZ in the afternoon. The drawn people stand for KIM's
	// draw; HIS has the same plan.
	y, err := w.k.Years.Active(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !y.Config.Overlap("KIM", "HIS", 1) || y.Config.Overlap("FIZ", "HIS", 1) {
		t.Fatalf("the timetable does not sit KIM with HIS and FIZ apart: %+v", y.Config.Exams)
	}
	w.exec(t, `UPDATE draws SET exam = 'KIM' WHERE id = $1`, rec.ID)
	w.exec(t, `INSERT INTO exam_seats (year, session, exam, student_id, venue_code, room_id, seat_no)
		SELECT year, session, 'HIS', student_id, venue_code, room_id, seat_no FROM exam_seats WHERE exam = 'D1'`)
	w.exec(t, `INSERT INTO final_lists (year, exam, student_id, reg_no, school_code)
		SELECT year, 'HIS', student_id, reg_no, school_code FROM final_lists WHERE exam = 'D1'`)
	in, err := w.svc.Needs(ctx, kmshA, 1, "HIS", "DAR-A")
	if err != nil {
		t.Fatal(err)
	}
	busy := map[int64]bool{}
	for _, e := range in.Excluded {
		if strings.Contains(e.Reason, "Neni 14.3") && strings.Contains(e.Reason, "KIM") {
			busy[e.ID] = true
		}
	}
	for _, a := range rec.Result {
		if !busy[a.StaffID] {
			t.Errorf("%s (staff %d), drawn for KIM at the same time, is still on HIS's lists", a.Ref, a.StaffID)
		}
	}
	for _, p := range in.Pool {
		if busy[p.ID] {
			t.Errorf("%d is both busy and listed", p.ID)
		}
	}
	// At another time nobody is left out for it.
	w.exec(t, `UPDATE draws SET exam = 'FIZ' WHERE id = $1`, rec.ID)
	if in, err = w.svc.Needs(ctx, kmshA, 1, "HIS", "DAR-A"); err != nil || len(in.Excluded) != 0 {
		t.Errorf("an exam at another time left people out: %+v %v", in.Excluded, err)
	}
}
