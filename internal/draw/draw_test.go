package draw_test

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"provim/internal/apperr"
	docpdf "provim/internal/doc/pdf"
	"provim/internal/draw"
	"provim/internal/examyear"
)

func TestNeni47_1_51_1_StaffingNeeds(t *testing.T) {
	t.Parallel()
	st := examyear.Default2009().Staffing
	for _, c := range []struct{ n, ap int }{{0, 0}, {1, 1}, {15, 1}, {16, 1}, {25, 1}, {26, 2}, {50, 2}, {51, 3}} {
		if got := draw.RoomAPs(st, c.n); got != c.ap {
			t.Errorf("RoomAPs(%d) = %d, want %d", c.n, got, c.ap)
		}
	}
	for _, c := range []struct{ n, as int }{{60, 0}, {61, 1}, {70, 1}, {71, 2}, {140, 2}, {141, 3}} {
		if got := draw.VenueASs(st, c.n); got != c.as {
			t.Errorf("VenueASs(%d) = %d, want %d", c.n, got, c.as)
		}
	}
	w := newWorld(t)
	in, err := w.svc.Needs(context.Background(), kmshA, 1, "D1", "DAR-A")
	if err != nil {
		t.Fatal(err)
	}
	tot := draw.Totals(in.Venues)
	if len(in.Venues) != 3 || tot[draw.RolePAP] != 3 || tot[draw.RoleKMSH] != 3 || tot[draw.RoleAS] != 1 || tot[draw.RoleAP] != 7 || tot["candidates"] != 94 {
		t.Fatalf("needs: %d venues, %v", len(in.Venues), tot)
	}
	if v := in.Venues[0]; v.Code != "V-A1" || v.FloorAdmins != 2 || !slices.Equal(v.Schools, []string{"A-1", "A-2"}) {
		t.Errorf("V-A1: %+v", v)
	}
	if !slices.Equal(in.ExamSubjects, []string{"D1", "GJSH"}) {
		t.Errorf("exam subjects %v", in.ExamSubjects)
	}
	// Neni 47.3: the lists are alphabetical (Albanian: C < Ç < D, E < Ë).
	var pap []string
	for _, p := range in.Pool {
		if p.Role == draw.RolePAP {
			pap = append(pap, strings.Fields(p.Name)[0])
		}
	}
	if !slices.Equal(pap, []string{"Aliu", "Bregu", "Çela", "Dervishi", "Vata"}) {
		t.Errorf("PAP list %v", pap)
	}
}

// checkConflicts asserts every rule of Neni 9, 50 and "never twice" on an
// outcome.
func checkConflicts(t *testing.T, in draw.Inputs, out draw.Outcome) {
	t.Helper()
	people := map[int64]draw.Person{}
	for _, p := range in.Pool {
		people[p.ID] = p
	}
	venues := map[string]draw.Venue{}
	for _, v := range in.Venues {
		venues[v.Code] = v
	}
	seen := map[int64]bool{}
	for _, a := range out.Assignments {
		p, ok := people[a.StaffID]
		if !ok {
			t.Fatalf("assigned %d is not on the lists (excluded?)", a.StaffID)
		}
		if seen[a.StaffID] {
			t.Fatalf("%s drawn twice", p.Name)
		}
		seen[a.StaffID] = true
		if p.Role != a.Role {
			t.Fatalf("%s drawn as %s from the %s list", p.Name, a.Role, p.Role)
		}
		if p.School != "" && slices.Contains(venues[a.Venue].Schools, p.School) {
			t.Fatalf("%s (%s) serves in %s, which seats their school (Neni 50)", p.Name, p.School, a.Venue)
		}
		if a.Role == draw.RoleAP {
			for _, s := range p.Subjects {
				if slices.Contains(in.ExamSubjects, s) {
					t.Fatalf("AP %s teaches %s, the exam's subject (Neni 50)", p.Name, s)
				}
			}
		}
	}
}

func TestNeni50_Neni9_ConflictsRespected(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := context.Background()
	// Tola declares a grandchild at A-2 (DAR-A): out of DAR-A's draws.
	var student int64
	w.db.QueryRow(`SELECT MIN(id) FROM students WHERE school_code = 'A-2'`).Scan(&student)
	d, err := w.svc.Declare(ctx, kmshA, w.staff["Tola"], student, "mbesë")
	if err != nil {
		t.Fatal(err)
	}
	// Both are named as people are printed, "Emër (Atësi) Mbiemër".
	if d.StaffName != "Besa (Ilir) Tola" || !strings.HasPrefix(d.Student, "Ana (Ilir) Nxënës") {
		t.Errorf("declaration names %q and %q", d.StaffName, d.Student)
	}
	if _, err := w.svc.Declare(ctx, kmshB, w.staff["Tola"], student, "mbesë"); !apperr.Is(err, apperr.NotFound) {
		t.Errorf("KMSH of DAR-B recorded a declaration of DAR-A's staff: %v", err)
	}
	// A relative outside the commission's unit is neither shown nor
	// recorded (Neni 9 ¶2 concerns the unit where the person serves).
	foreign := w.student(t, "B-1")
	if d, err := w.svc.Declare(ctx, kmshA, w.staff["Tola"], foreign, "nip"); !apperr.Is(err, apperr.NotFound) || d.Student != "" {
		t.Errorf("KMSH of DAR-A read a student of DAR-B: %+v %v", d, err)
	}
	rec := w.drawn(t, "7 42 19 3", "")
	if len(rec.Inputs.Excluded) != 1 || rec.Inputs.Excluded[0].ID != w.staff["Tola"] {
		t.Fatalf("excluded %+v", rec.Inputs.Excluded)
	}
	// Who declared a relative is personal data: never published.
	pub, _ := w.svc.Public(ctx, rec.ID)
	if b, _ := json.Marshal(pub); len(pub.Inputs.Excluded) != 0 || strings.Contains(string(b), "Tola") || draw.Verify(pub) != nil {
		t.Errorf("the public record names the excluded person or does not verify")
	}
	checkConflicts(t, rec.Inputs, draw.Outcome{VenueOrder: rec.VenueOrder, Assignments: rec.Result})
	if len(rec.Result) != 3+3+1+7 {
		t.Fatalf("%d places filled, want 14", len(rec.Result))
	}
	// Every entropy gives a result within the rules.
	for i := range 200 {
		out, err := draw.Compute(rec.Inputs, rec.Seed, fmt.Sprint(i, " ", i*i))
		if err != nil {
			t.Fatal(err)
		}
		if len(out.Shortages) > 0 {
			t.Fatalf("entropy %d: shortage %+v", i, out.Shortages)
		}
		checkConflicts(t, rec.Inputs, out)
	}
	// The assignments are stored once, in the record (issue 10, item 9:
	// one source of truth), and read back from it.
	again, err := w.svc.Get(context.Background(), kmshA, rec.ID)
	if err != nil || !slices.Equal(again.Result, rec.Result) || len(again.Result) != 14 {
		t.Errorf("stored assignments %d, %v", len(again.Result), err)
	}
}

func TestNeni10_9_DrawDeterministicAndVerifiable(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	rec := w.drawn(t, "  12  7\n33 ", "")
	if rec.Entropy != "12 7 33" {
		t.Errorf("entropy normalised to %q", rec.Entropy)
	}
	if rec.Commitment != draw.Commitment(rec.Seed, draw.InputsHash(rec.Inputs)) {
		t.Fatal("commitment does not match seed and inputs")
	}
	if err := draw.Verify(rec); err != nil {
		t.Fatalf("verify: %v", err)
	}
	// The public record (as stored) verifies too.
	pub, err := w.svc.Public(context.Background(), rec.ID)
	if err != nil {
		t.Fatal(err)
	}
	if err := draw.Verify(pub); err != nil {
		t.Fatalf("verify public: %v", err)
	}
	// Same inputs, seed and entropy: same result; other entropy: another.
	again, _ := draw.Compute(rec.Inputs, rec.Seed, "12 7 33")
	if !slices.Equal(again.Assignments, rec.Result) {
		t.Fatal("same inputs gave another result")
	}
	// Only the venue order is drawn (Neni 47.6), so with few venues two
	// entropies may give the same order; among several, the order changes.
	changed := ""
	for i := range 20 {
		e := fmt.Sprintf("12 7 %d", 34+i)
		if other, _ := draw.Compute(rec.Inputs, rec.Seed, e); !slices.Equal(other.VenueOrder, rec.VenueOrder) {
			changed = e
			break
		}
	}
	if len(rec.VenueOrder) > 1 && changed == "" {
		t.Fatal("twenty other entropies all gave the same venue order")
	}
	// Tampering is found and named.
	bad := pub
	bad.Result = slices.Clone(pub.Result)
	bad.Result[len(bad.Result)-1].Ref, bad.Result[len(bad.Result)-2].Ref = bad.Result[len(bad.Result)-2].Ref, bad.Result[len(bad.Result)-1].Ref
	if err := draw.Verify(bad); err == nil || !strings.Contains(err.Error(), fmt.Sprintf("caktimi %d", len(bad.Result)-1)) {
		t.Errorf("swapped result: %v", err)
	}
	// A record whose entropy was changed to one that draws another venue
	// order no longer verifies. (An entropy that happens to draw the same
	// order gives the same assignment: the entropy typed in at the draw is
	// kept by the hash-chained audit log.)
	bad = pub
	bad.Entropy = changed
	if err := draw.Verify(bad); changed != "" && err == nil {
		t.Error("changed entropy verified")
	}
	bad = pub
	bad.Seed = strings.Repeat("0", 64)
	if err := draw.Verify(bad); err == nil || !strings.Contains(err.Error(), "commitment") {
		t.Errorf("changed seed: %v", err)
	}
	bad = pub
	bad.Inputs.Pool = slices.Clone(pub.Inputs.Pool)
	bad.Inputs.Pool[0].Barred = []string{}
	if err := draw.Verify(bad); err == nil || !strings.Contains(err.Error(), "inputs_hash") {
		t.Errorf("changed lists: %v", err)
	}
	// Before the draw the seed stays secret.
	w.at(6, 0)
	next, err := w.svc.Commit(context.Background(), kmshA, draw.CommitRequest{Session: 1, Exam: "D1", Unit: "DAR-A", Reason: "PAP i sëmurë"})
	if err != nil {
		t.Fatal(err)
	}
	got, _ := w.svc.Public(context.Background(), next.ID)
	if got.Seed != "" || got.Status != draw.StatusCommitted || got.Commitment == "" {
		t.Errorf("committed record shows seed %q status %s", got.Seed, got.Status)
	}
	// Every step is in the audit log.
	var n int
	w.db.QueryRow(`SELECT COUNT(*) FROM audit_log WHERE object_type = 'draw' AND action IN ('draw.commit', 'draw.run')`).Scan(&n)
	if n != 3 {
		t.Errorf("%d audit entries of draws, want 3", n)
	}
}

func TestNeni47_5_DrawWindowAndEntropy(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := context.Background()
	w.at(6, 0)
	rec, err := w.svc.Commit(ctx, kmshA, draw.CommitRequest{Session: 1, Exam: "D1", Unit: "DAR-A"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.svc.Run(ctx, kmshA, rec.ID, "1 2 3"); !apperr.Is(err, apperr.Invalid) || !strings.Contains(apperr.MessageOf(err), "07:00") {
		t.Errorf("draw before the window: %v", err)
	}
	w.at(8, 0)
	if _, err := w.svc.Run(ctx, kmshA, rec.ID, "1 2 3"); !apperr.Is(err, apperr.Invalid) {
		t.Errorf("draw after the PAP collected the materials: %v", err)
	}
	w.at(7, 30)
	if _, err := w.svc.Run(ctx, kmshA, rec.ID, "  \n "); !apperr.Is(err, apperr.Invalid) || !strings.Contains(apperr.MessageOf(err), "entropia") {
		t.Errorf("draw without entropy: %v", err)
	}
	if _, err := w.svc.Run(ctx, kmshA, rec.ID, "5"); err != nil {
		t.Fatal(err)
	}
	if _, err := w.svc.Run(ctx, kmshA, rec.ID, "6"); !apperr.Is(err, apperr.Conflict) {
		t.Errorf("drawn twice: %v", err)
	}
	w.at(8, 0)
	if _, err := w.svc.Commit(ctx, kmshA, draw.CommitRequest{Session: 1, Exam: "D1", Unit: "DAR-A", Reason: "x"}); !apperr.Is(err, apperr.Invalid) {
		t.Errorf("commitment after the window: %v", err)
	}
}

func TestNeni44_SecondDrawNeedsReasonBothOnRecord(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := context.Background()
	first := w.drawn(t, "1 2 3", "")
	w.at(7, 10)
	if _, err := w.svc.Commit(ctx, kmshA, draw.CommitRequest{Session: 1, Exam: "D1", Unit: "DAR-A"}); !apperr.Is(err, apperr.Conflict) {
		t.Fatalf("second draw without a reason: %v", err)
	}
	second := w.drawn(t, "4 5 6", "Një AP nuk u paraqit")
	if second.Seq != 2 || second.Reason == "" {
		t.Errorf("second draw %+v", second)
	}
	list, err := w.svc.List(ctx, kmshA)
	if err != nil || len(list) != 2 {
		t.Fatalf("list %v %v", list, err)
	}
	old, _ := w.svc.Get(ctx, kmshA, first.ID)
	if old.SupersededBy != second.ID || old.Status != draw.StatusDrawn || draw.Verify(old) != nil {
		t.Errorf("first draw after the second: superseded_by %d status %s", old.SupersededBy, old.Status)
	}
	// A ZA's draw would overlap its DAR's.
	if _, err := w.svc.Commit(ctx, kmshZ, draw.CommitRequest{Session: 1, Exam: "D1", Unit: "ZA-A1"}); !apperr.Is(err, apperr.Conflict) {
		t.Errorf("ZA draw inside the DAR's: %v", err)
	}
}

func TestNeni47_3_ShortageReportedPerVenueNothingWritten(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := context.Background()
	for _, name := range []string{"Llazi", "Meta", "Nika", "Osmani", "Pali"} {
		if err := w.svc.RemoveFromPool(ctx, kmshA, "DAR-A", w.staff[name]); err != nil {
			t.Fatal(err)
		}
	}
	w.exec(t, `DELETE FROM draw_pool WHERE staff_id = $1`, w.staff["Ëngjëlli"])
	var before int
	w.db.QueryRow(`SELECT COUNT(*) FROM audit_log`).Scan(&before)
	w.at(6, 30)
	_, err := w.svc.Commit(ctx, kmshA, draw.CommitRequest{Session: 1, Exam: "D1", Unit: "DAR-A"})
	var ae *apperr.Error
	if !apperr.Is(err, apperr.Invalid) || !asErr(err, &ae) {
		t.Fatalf("commit with a small pool: %v", err)
	}
	msg := ae.Message + "\n" + strings.Join(ae.Details, "\n")
	for _, want := range []string{"1 KMSH", "AP", "V-A1"} {
		if !strings.Contains(msg, want) {
			t.Errorf("shortage message lacks %q:\n%s", want, msg)
		}
	}
	var draws, after int
	w.db.QueryRow(`SELECT COUNT(*) FROM draws`).Scan(&draws)
	w.db.QueryRow(`SELECT COUNT(*) FROM audit_log`).Scan(&after)
	if draws != 0 || after != before {
		t.Errorf("a refused draw wrote %d draws, %d audit entries", draws, after-before)
	}
}

func TestScope_KMSHOnlyItsUnit(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := context.Background()
	rec := w.drawn(t, "9", "")
	if _, err := w.svc.Get(ctx, kmshB, rec.ID); !apperr.Is(err, apperr.NotFound) {
		t.Errorf("DAR-B read DAR-A's draw: %v", err)
	}
	if _, err := w.svc.Get(ctx, kmshZ, rec.ID); !apperr.Is(err, apperr.NotFound) {
		t.Errorf("ZA read its DAR's draw: %v", err)
	}
	if _, err := w.svc.Get(ctx, ava, rec.ID); err != nil {
		t.Errorf("AVA: %v", err)
	}
	if _, err := w.svc.Commit(ctx, kmshB, draw.CommitRequest{Session: 1, Exam: "D1", Unit: "DAR-A", Reason: "x"}); !apperr.Is(err, apperr.NotFound) {
		t.Errorf("DAR-B drew for DAR-A: %v", err)
	}
	if _, err := w.svc.Commit(ctx, ava, draw.CommitRequest{Session: 1, Exam: "D1", Unit: "DAR-A", Reason: "x"}); !apperr.Is(err, apperr.Forbidden) {
		t.Errorf("AVA drew: %v", err)
	}
	if _, err := w.svc.Needs(ctx, kmshB, 1, "D1", "DAR-A"); !apperr.Is(err, apperr.NotFound) {
		t.Errorf("DAR-B read DAR-A's needs: %v", err)
	}
	if list, _ := w.svc.List(ctx, kmshB); len(list) != 0 {
		t.Errorf("DAR-B lists %d draws", len(list))
	}
	// A person is on the lists of one region only.
	if err := w.svc.AddToPool(ctx, kmshZ, "ZA-A1", w.staff["Rama"], draw.RoleAP); !apperr.Is(err, apperr.Conflict) || !strings.Contains(apperr.MessageOf(err), "dy rajone") {
		t.Errorf("person in two regions: %v", err)
	}
	if err := w.svc.AddToPool(ctx, kmshB, "DAR-B", w.staff["Meta"], draw.RoleAP); !apperr.Is(err, apperr.NotFound) {
		t.Errorf("DAR-B listed DAR-A's staff: %v", err)
	}
}

func TestDrawDocuments(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	rec := w.drawn(t, "3 1 4 1 5", "")
	lines := draw.Lines(rec)
	if len(lines) != 14 || lines[0].Role != draw.RolePAP || lines[0].Venue != rec.VenueOrder[0] {
		t.Fatalf("lines %+v", lines)
	}
	var b strings.Builder
	if err := docpdf.WriteTable(&b, draw.Protocol(rec, w.svc.Now())); err != nil || !strings.HasPrefix(b.String(), "%PDF") {
		t.Fatalf("protocol: %v", err)
	}
	b.Reset()
	if err := docpdf.WriteTable(&b, draw.AssignmentList(rec, w.svc.Now())); err != nil || !strings.HasPrefix(b.String(), "%PDF") {
		t.Fatalf("assignment list: %v", err)
	}
	// The documents are values: the protocol names the seed and every
	// place, the assignment list has a line per place.
	proto := draw.Protocol(rec, w.svc.Now())
	var seed bool
	for _, r := range proto.Rows {
		seed = seed || (r[0] == "Fara" && r[1] == rec.Seed)
	}
	if !seed || len(proto.Rows) < len(lines) || proto.Generated != w.svc.Now() {
		t.Fatalf("protocol: %+v", proto)
	}
	if list := draw.AssignmentList(rec, w.svc.Now()); len(list.Rows) != len(lines) || !list.Landscape {
		t.Fatalf("assignment list: %d rows", len(list.Rows))
	}
}

func asErr(err error, target **apperr.Error) bool {
	e, ok := err.(*apperr.Error)
	*target = e
	return ok
}

func (w *world) exec(t *testing.T, q string, args ...any) { exec(t, w.db, q, args...) }

// TestNeni47_5_DrawRunsOnTheListsItCommittedTo: the commitment covers the
// published needs and lists; if the exam plan changes after it, running
// that draw is refused (a new one is opened with a reason), so no room is
// left without its administrators.
func TestNeni47_5_DrawRunsOnTheListsItCommittedTo(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := context.Background()
	w.at(6, 30)
	rec, err := w.svc.Commit(ctx, kmshA, draw.CommitRequest{Session: 1, Exam: "D1", Unit: "DAR-A"})
	if err != nil {
		t.Fatal(err)
	}
	// One more candidate is placed in the plan after the commitment.
	var venue string
	var room int64
	w.db.QueryRow(`SELECT venue_code, room_id FROM exam_seats WHERE year = 2027 AND exam = 'D1' ORDER BY room_id LIMIT 1`).Scan(&venue, &room)
	late := w.student(t, "A-1")
	w.exec(t, `INSERT INTO exam_seats (year, session, exam, student_id, venue_code, room_id, seat_no) VALUES (2027, 1, 'D1', $1, $2, $3, 999)`,
		late, venue, room)
	w.exec(t, `INSERT INTO final_lists (year, exam, student_id, reg_no, school_code) VALUES (2027, 'D1', $1, 'R-LATE', 'A-1')`, late)
	w.at(7, 5)
	if _, err := w.svc.Run(ctx, kmshA, rec.ID, "7 42 19"); !apperr.Is(err, apperr.Conflict) || !strings.Contains(apperr.MessageOf(err), "short të ri") {
		t.Fatalf("run on a changed plan: %v", err)
	}
}
