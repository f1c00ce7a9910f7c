package marking_test

import (
	"strings"
	"testing"

	"provim/internal/anonym"
	"provim/internal/apperr"
	"provim/internal/auth"
	"provim/internal/marking"
	"provim/internal/testkit"
)

// calWorld is the central flow's world (D1's test of 8 points) with a
// lead and three markers in training, the tolerance at 1 point and two
// training booklets: nr. 1 agreed at 8 points (B, C, 2, 4), nr. 2 at 4
// (A, C, 1, 2).
func calWorld(t *testing.T) *mkWorld {
	t.Helper()
	w := newMkWorld(t, mkYear, []mkMarkerDef{
		{"vl.lead", "", "lead", "qualified"},
		{"tr.a", "", "marker", "training"}, {"tr.b", "", "marker", "training"}, {"tr.c", "", "marker", "training"},
	})
	if err := w.svc.SetSettings(w.ctx, testkit.AVA, mkYear, "D1", marking.Settings{Tolerance: 1, MonitorRatePM: 50, SeededRatePM: 20}); err != nil {
		t.Fatal(err)
	}
	c1, p1 := mkMarks("B", "C", 2, 4)
	c2, p2 := mkMarks("A", "C", 1, 2)
	got, err := w.svc.AddCalibration(w.ctx, testkit.AVA, mkYear, "D1", marking.PurposeTraining, []marking.CalibrationInput{{Choices: c1, Points: p1}, {Choices: c2, Points: p2}})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].No != 1 || got[0].Total != 8 || got[1].Total != 4 || got[0].Code != "" {
		t.Fatalf("calibration: %+v", got)
	}
	return w
}

func calMark(t *testing.T, w *mkWorld, user string, no int, c1, c2 string, p3, p4 int) marking.TrainingResult {
	t.Helper()
	ch, pts := mkMarks(c1, c2, p3, p4)
	res, err := w.svc.MarkTraining(w.ctx, mkP(user), mkYear, "D1", no, ch, pts)
	if err != nil {
		t.Fatalf("%s marks training %d: %v", user, no, err)
	}
	return res
}

// Neni 57.11: a marker qualifies only when on every training booklet
// their total is within the tolerance of the agreed one — exactly at the
// tolerance qualifies, one point more does not, and the note names the
// booklet and the difference. The agreed marks stay hidden until the
// marker submitted that booklet; a booklet is marked once.
func TestNeni57_11_MarkersQualifyOnlyWithinTheTolerance(t *testing.T) {
	w := calWorld(t)
	tr, err := w.svc.TrainingQueue(w.ctx, mkP("tr.a"), mkYear, "D1")
	if err != nil {
		t.Fatal(err)
	}
	if len(tr.Booklets) != 2 || tr.Remaining != 2 || tr.Tolerance != 1 || len(tr.Items) != 4 || tr.Status != marking.StatusTraining {
		t.Fatalf("queue: %+v", tr)
	}
	for _, b := range tr.Booklets {
		if b.Agreed != nil || b.AgreedTotal != 0 || b.Submitted {
			t.Fatalf("agreed marks shown before submission: %+v", b)
		}
	}
	// tr.a: 7 of 8 (off by exactly the tolerance), then 4 of 4.
	r := calMark(t, w, "tr.a", 1, "B", "C", 1, 4)
	if r.Booklet.Agreed == nil || r.Booklet.AgreedTotal != 8 || r.Booklet.Difference != -1 || !r.Booklet.Within || r.Status != marking.StatusTraining || r.Remaining != 1 {
		t.Fatalf("after 1: %+v", r)
	}
	tr, _ = w.svc.TrainingQueue(w.ctx, mkP("tr.a"), mkYear, "D1")
	if tr.Booklets[0].Agreed == nil || tr.Booklets[1].Agreed != nil {
		t.Fatalf("only the submitted booklet's agreed marks: %+v", tr.Booklets)
	}
	ch, pts := mkMarks("B", "C", 2, 4)
	if _, err := w.svc.MarkTraining(w.ctx, mkP("tr.a"), mkYear, "D1", 1, ch, pts); apperr.CodeOf(err) != apperr.Conflict {
		t.Fatalf("marked twice: %v", err)
	}
	r = calMark(t, w, "tr.a", 2, "A", "C", 1, 2)
	if r.Status != marking.StatusQualified || !strings.Contains(r.StatusNote, "Neni 57.11") {
		t.Fatalf("tr.a: %+v", r)
	}
	// tr.b: 6 of 8 — one point more than the tolerance.
	calMark(t, w, "tr.b", 2, "A", "C", 1, 2)
	r = calMark(t, w, "tr.b", 1, "B", "C", 0, 4)
	if r.Status != marking.StatusNotQualified || !strings.Contains(r.StatusNote, "nr. 1 me 2 pikë") || strings.Contains(r.StatusNote, "nr. 2") {
		t.Fatalf("tr.b: %+v", r)
	}
	if _, err := w.svc.MarkTraining(w.ctx, mkP("tr.a"), mkYear, "D1", 2, ch, pts); apperr.CodeOf(err) != apperr.Conflict {
		t.Fatalf("a qualified marker trains no more: %v", err)
	}
	// The lead sees who qualified; a marker sees only themselves.
	rows, err := w.svc.Markers(w.ctx, mkP("vl.lead"), mkYear, "D1")
	if err != nil || len(rows) != 4 || rows[0].Username != "vl.lead" {
		t.Fatalf("lead's list: %+v %v", rows, err)
	}
	status := map[string]marking.MarkerRow{}
	for _, m := range rows {
		status[m.Username] = m
	}
	if status["tr.a"].Status != marking.StatusQualified || status["tr.a"].Trained != 2 || status["tr.a"].MaxDiff != 1 ||
		status["tr.b"].Status != marking.StatusNotQualified || status["tr.b"].MaxDiff != 2 || status["tr.c"].Trained != 0 || status["tr.c"].Training != 2 {
		t.Fatalf("statuses: %+v", status)
	}
	own, err := w.svc.Markers(w.ctx, mkP("tr.c"), mkYear, "D1")
	if err != nil || len(own) != 1 || own[0].Username != "tr.c" {
		t.Fatalf("own: %+v %v", own, err)
	}
	// Only AVA sees the agreed marks of every calibration booklet.
	if _, err := w.svc.Calibration(w.ctx, mkP("vl.lead"), mkYear, "D1"); apperr.CodeOf(err) != apperr.Forbidden {
		t.Fatalf("lead reads the agreed marks: %v", err)
	}
	// Train again: a marker may not; the lead may, for one not qualified.
	if err := w.svc.Retrain(w.ctx, mkP("tr.c"), mkYear, "D1", "tr.b"); apperr.CodeOf(err) != apperr.Forbidden {
		t.Fatalf("marker retrains: %v", err)
	}
	if err := w.svc.Retrain(w.ctx, mkP("vl.lead"), mkYear, "D1", "tr.a"); apperr.CodeOf(err) != apperr.Conflict {
		t.Fatalf("retrain a qualified marker: %v", err)
	}
	if err := w.svc.Retrain(w.ctx, mkP("vl.lead"), mkYear, "D1", "tr.b"); err != nil {
		t.Fatal(err)
	}
	tr, _ = w.svc.TrainingQueue(w.ctx, mkP("tr.b"), mkYear, "D1")
	if tr.Status != marking.StatusTraining || tr.Remaining != 2 {
		t.Fatalf("after retraining: %+v", tr)
	}
	calMark(t, w, "tr.b", 1, "B", "C", 2, 4)
	if r := calMark(t, w, "tr.b", 2, "A", "C", 1, 2); r.Status != marking.StatusQualified {
		t.Fatalf("tr.b again: %+v", r)
	}
}

// Seeded booklets get a fresh valid code and are not in the training.
func TestNeni57_11_SeededBookletsHaveFreshCodes(t *testing.T) {
	w := calWorld(t)
	c, p := mkMarks("B", "B", 2, 3)
	got, err := w.svc.AddCalibration(w.ctx, testkit.AVA, mkYear, "D1", marking.PurposeSeeded, []marking.CalibrationInput{{Choices: c, Points: p}, {Choices: c, Points: p}})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].No != 3 || !anonym.Valid(got[0].Code) || got[0].Code == got[1].Code || got[0].Total != 6 {
		t.Fatalf("seeded: %+v", got)
	}
	if _, err := w.svc.MarkTraining(w.ctx, mkP("tr.a"), mkYear, "D1", 3, c, p); apperr.CodeOf(err) != apperr.NotFound {
		t.Fatalf("seeded marked as training: %v", err)
	}
	if tr, _ := w.svc.TrainingQueue(w.ctx, mkP("tr.a"), mkYear, "D1"); len(tr.Booklets) != 2 {
		t.Fatalf("seeded in training: %+v", tr.Booklets)
	}
	// Scored against the test: a level the scheme lacks is named.
	bad, badP := mkMarks("B", "C", 3, 4)
	if _, err := w.svc.AddCalibration(w.ctx, testkit.AVA, mkYear, "D1", marking.PurposeTraining, []marking.CalibrationInput{{Choices: bad, Points: badP}}); apperr.CodeOf(err) != apperr.Invalid {
		t.Fatalf("bad agreed marks: %v", err)
	}
	if _, err := w.svc.AddCalibration(w.ctx, mkP("vl.lead"), mkYear, "D1", marking.PurposeTraining, []marking.CalibrationInput{{Choices: c, Points: p}}); apperr.CodeOf(err) != apperr.Forbidden {
		t.Fatalf("lead adds calibration: %v", err)
	}
	all, err := w.svc.Calibration(w.ctx, testkit.AVA, mkYear, "D1")
	if err != nil || len(all) != 4 {
		t.Fatalf("AVA's list: %+v %v", all, err)
	}
}

// The lead (or AVA) stops a marker with a reason and lets them go on;
// a lead is stopped by AVA only; a marker stops no one.
func TestNeni57_11_StopAndResume(t *testing.T) {
	w := calWorld(t)
	calMark(t, w, "tr.a", 1, "B", "C", 2, 4)
	calMark(t, w, "tr.a", 2, "A", "C", 1, 2)
	lead := mkP("vl.lead")
	if err := w.svc.StopMarker(w.ctx, mkP("tr.b"), mkYear, "D1", "tr.a", "arsye"); apperr.CodeOf(err) != apperr.Forbidden {
		t.Fatalf("marker stops: %v", err)
	}
	if err := w.svc.StopMarker(w.ctx, lead, mkYear, "D1", "tr.a", "  "); apperr.CodeOf(err) != apperr.Invalid {
		t.Fatalf("no reason: %v", err)
	}
	if err := w.svc.StopMarker(w.ctx, lead, mkYear, "D1", "nuk.ka", "arsye"); apperr.CodeOf(err) != apperr.NotFound {
		t.Fatalf("unknown: %v", err)
	}
	if err := w.svc.StopMarker(w.ctx, lead, mkYear, "D1", "vl.lead", "arsye"); apperr.CodeOf(err) != apperr.Forbidden {
		t.Fatalf("lead stops a lead: %v", err)
	}
	if err := w.svc.StopMarker(w.ctx, lead, mkYear, "D1", "tr.a", "Shmanget nga skema"); err != nil {
		t.Fatal(err)
	}
	rows, _ := w.svc.Markers(w.ctx, testkit.AVA, mkYear, "D1")
	for _, m := range rows {
		if m.Username == "tr.a" && (m.Status != marking.StatusStopped || !strings.Contains(m.StatusNote, "Shmanget nga skema")) {
			t.Fatalf("stopped: %+v", m)
		}
	}
	if err := w.svc.StopMarker(w.ctx, lead, mkYear, "D1", "tr.a", "sërish"); apperr.CodeOf(err) != apperr.Conflict {
		t.Fatalf("stopped twice: %v", err)
	}
	if _, err := w.svc.TrainingQueue(w.ctx, mkP("tr.a"), mkYear, "D1"); err != nil {
		t.Fatalf("a stopped marker still reads their training: %v", err)
	}
	if err := w.svc.ResumeMarker(w.ctx, lead, mkYear, "D1", "tr.b"); apperr.CodeOf(err) != apperr.Conflict {
		t.Fatalf("resume one not stopped: %v", err)
	}
	if err := w.svc.ResumeMarker(w.ctx, lead, mkYear, "D1", "tr.a"); err != nil {
		t.Fatal(err)
	}
	own, _ := w.svc.Markers(w.ctx, mkP("tr.a"), mkYear, "D1")
	if own[0].Status != marking.StatusQualified {
		t.Fatalf("resumed: %+v", own[0])
	}
	if err := w.svc.StopMarker(w.ctx, testkit.AVA, mkYear, "D1", "vl.lead", "AVA e ndalon"); err != nil {
		t.Fatalf("AVA stops a lead: %v", err)
	}
	if ok, _ := w.svc.IsLead(w.ctx, lead, mkYear, "D1"); ok {
		t.Fatal("a stopped lead leads no more")
	}
}

// Scope: a marker of D2 sees nothing of D1's training or markers.
func TestNeni57_11_MarkerOfAnotherSubjectSeesNothing(t *testing.T) {
	w := calWorld(t)
	d2 := &auth.Principal{Username: "vl.d2", FullName: "Vlerësuesi D2", Role: auth.RoleMarker, Subject: "D2"}
	if _, err := w.svc.TrainingQueue(w.ctx, d2, mkYear, "D1"); apperr.CodeOf(err) != apperr.Forbidden {
		t.Fatalf("training: %v", err)
	}
	if _, err := w.svc.Markers(w.ctx, d2, mkYear, "D1"); apperr.CodeOf(err) != apperr.Forbidden {
		t.Fatalf("markers: %v", err)
	}
	ch, pts := mkMarks("B", "C", 2, 4)
	if _, err := w.svc.MarkTraining(w.ctx, d2, mkYear, "D1", 1, ch, pts); apperr.CodeOf(err) != apperr.Forbidden {
		t.Fatalf("mark: %v", err)
	}
	if _, err := w.svc.Markers(w.ctx, testkit.KMSH("DAR-A"), mkYear, "D1"); apperr.CodeOf(err) != apperr.Forbidden {
		t.Fatalf("KMSH: %v", err)
	}
}
