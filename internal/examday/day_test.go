package examday_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"provim/internal/apperr"
	"provim/internal/auth"
	"provim/internal/custody"
	"provim/internal/doc"
	"provim/internal/examday"
)

// TestNeni54_56_TheDayOfOneVenue runs one venue's day past the entry: the
// desk's labels (Neni 53.2–53.3), the timing of hand-ins (56.3, 50.14,
// 54.9), exclusions and their next-year bar (54, 55.1, 55.2), the events
// of Neni 56, the procesverbal (48.7–48.8, 50.17, 55), the packing and its
// counts that close the box (48.9–48.10, 53.5) and the report of 48.11,
// and what the candidate sees afterwards.
func TestNeni54_56_TheDayOfOneVenue(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	v := w.pick(t, 0, noAS)
	pap := staff(auth.RolePAP, v.roles["PAP"][0])
	day := w.day(t, v.venue)
	r := day.Rooms[0]
	if len(r.Entries) < 6 {
		t.Skip("room too small")
	}
	e := r.Entries
	w.at(t, "09:30")
	for _, x := range e {
		if o, err := w.svc.CheckInOne(w.ctx, pap, in(v.venue, r.Name, x.RegNo)); err != nil || o.Status != examday.Admitted {
			t.Fatalf("%+v %v", o, err)
		}
	}
	// Neni 53: the desk attaches each candidate's labels (the PAP: no AS).
	set, err := w.k.Anonym.LabelSet(w.ctx, ava, year, "D1", v.venue)
	if err != nil {
		t.Fatal(err)
	}
	var codes []string
	for _, lr := range set.Rooms {
		if lr.Name == r.Name {
			codes = lr.Codes
		}
	}
	if len(codes) < len(e) {
		t.Fatalf("%d codes for %d candidates", len(codes), len(e))
	}
	w.at(t, "10:05")
	if _, err := w.svc.AttachLabel(w.ctx, staff(auth.RoleAP, 1), examday.Attach{Exam: "D1", Venue: v.venue, RegNo: e[0].RegNo, Code: codes[0]}); err == nil {
		t.Fatal("an AP attached labels")
	}
	if _, err := w.svc.AttachLabel(w.ctx, pap, examday.Attach{Exam: "D1", Venue: v.venue, RegNo: e[0].RegNo, Code: codes[0]}); err != nil {
		t.Fatalf("Neni 53.2, PAP without AS: %v", err)
	}
	if _, err := w.svc.AttachLabel(w.ctx, pap, examday.Attach{Exam: "D1", Venue: v.venue, RegNo: e[0].RegNo, Code: codes[1]}); !apperr.Is(err, apperr.Conflict) {
		t.Fatalf("twice: %v", err)
	}
	var bulk []examday.Attach
	for i, x := range e[1 : len(e)-1] {
		bulk = append(bulk, examday.Attach{RegNo: x.RegNo, Code: codes[i+1]})
	}
	if n, err := w.svc.AttachLabels(w.ctx, pap, 1, "D1", v.venue, bulk); err != nil || n != len(bulk) {
		t.Fatalf("bulk: %d %v", n, err)
	}
	// Neni 56.3: nobody leaves before two hours from the start.
	w.at(t, "11:00")
	if _, err := w.svc.RecordLeave(w.ctx, pap, examday.Leave{Exam: "D1", Venue: v.venue, RegNo: e[1].RegNo}); !apperr.Is(err, apperr.Conflict) {
		t.Fatalf("Neni 56.3: %v", err)
	}
	if count(t, w, `SELECT COUNT(*) FROM examday_events WHERE kind = 'early_leave'`) != 1 {
		t.Fatal("Neni 56.3: the attempt is not flagged")
	}
	// Neni 54.5 → 55.2; the candidate refused to leave (Neni 55).
	if err := w.svc.Exclude(w.ctx, staff(auth.RoleAP, v.roles["PAP"][0]), examday.Exclusion{Exam: "D1", Venue: v.venue, RegNo: e[2].RegNo, Cause: "54.5", Witnesses: "AP"}); err == nil {
		t.Fatal("an AP excluded")
	}
	if err := w.svc.Exclude(w.ctx, pap, examday.Exclusion{Exam: "D1", Venue: v.venue, RegNo: e[2].RegNo, Cause: "54.12", Witnesses: "AP"}); !apperr.Is(err, apperr.Invalid) {
		t.Fatalf("cause 54.12: %v", err)
	}
	if err := w.svc.Exclude(w.ctx, pap, examday.Exclusion{Exam: "D1", Venue: v.venue, RegNo: e[2].RegNo, Cause: "54.5", Witnesses: ""}); !apperr.Is(err, apperr.Invalid) {
		t.Fatalf("no witnesses: %v", err)
	}
	if err := w.svc.Exclude(w.ctx, pap, examday.Exclusion{Exam: "D1", Venue: v.venue, RegNo: e[2].RegNo, Cause: "54.5", At: "10:50",
		Witnesses: "AP Arta Hoxha", Note: "Kopjonte nga fleta e fqinjit.", RefusedToLeave: true}); err != nil {
		t.Fatal(err)
	}
	if err := w.svc.Exclude(w.ctx, pap, examday.Exclusion{Exam: "D1", Venue: v.venue, RegNo: e[2].RegNo, Cause: "54.6", Witnesses: "AP"}); !apperr.Is(err, apperr.Conflict) {
		t.Fatalf("excluded twice: %v", err)
	}
	if err := w.svc.Exclude(w.ctx, pap, examday.Exclusion{Exam: "D1", Venue: v.venue, RegNo: e[3].RegNo, Cause: "54.6", Witnesses: "AP"}); err != nil {
		t.Fatal(err)
	}
	student := func(regNo string) int64 {
		for _, x := range w.day(t, v.venue).Rooms[0].Entries {
			if x.RegNo == regNo {
				return x.StudentID
			}
		}
		t.Fatalf("no %s", regNo)
		return 0
	}
	if barred, why, err := w.k.Applications.BarredNextYear(w.ctx, student(e[2].RegNo), year+1); err != nil || !barred || !strings.Contains(why, "55.2") {
		t.Fatalf("Neni 55.2, 54.5 bars %d: %v %q %v", year+1, barred, why, err)
	}
	if barred, _, _ := w.k.Applications.BarredNextYear(w.ctx, student(e[3].RegNo), year+1); barred {
		t.Fatal("Neni 55.1: 54.6 does not bar the next year")
	}
	// Neni 56: a candidate's report, a replaced booklet, a blind candidate.
	for _, rep := range []examday.Report{
		{Kind: examday.KindIrregularity, RegNo: e[4].RegNo, Note: "Raportoi se dikush fliste."},
		{Kind: examday.KindBooklet, RegNo: e[4].RegNo, OldBooklet: "B-0012", NewBooklet: "B-0099"},
		{Kind: examday.KindBlind, RegNo: e[5].RegNo, Helper: "Drita Lika", Note: "Salla 0-B; përgjigjet u regjistruan me zë."},
	} {
		rep.Exam, rep.Venue = "D1", v.venue
		if _, err := w.svc.Record(w.ctx, pap, rep); err != nil {
			t.Fatalf("%s: %v", rep.Kind, err)
		}
	}
	if _, err := w.svc.Record(w.ctx, pap, examday.Report{Kind: examday.KindBooklet, Exam: "D1", Venue: v.venue, RegNo: e[4].RegNo, OldBooklet: "B-1", NewBooklet: "B-1"}); !apperr.Is(err, apperr.Invalid) {
		t.Fatalf("Neni 56.4, the same booklet: %v", err)
	}
	// Neni 54.9: leaving before the desk attached the labels.
	w.at(t, "12:10")
	lastNo := e[len(e)-1].RegNo
	if _, err := w.svc.RecordLeave(w.ctx, pap, examday.Leave{Exam: "D1", Venue: v.venue, RegNo: lastNo}); !apperr.Is(err, apperr.Conflict) {
		t.Fatalf("Neni 50.10: %v", err)
	}
	if msg, err := w.svc.RecordLeave(w.ctx, pap, examday.Leave{Exam: "D1", Venue: v.venue, RegNo: lastNo, WithoutAnonymisation: true}); err != nil || !strings.Contains(msg, "54.9") {
		t.Fatalf("Neni 54.9: %q %v", msg, err)
	}
	if msg, err := w.svc.RecordLeave(w.ctx, pap, examday.Leave{Exam: "D1", Venue: v.venue, RegNo: e[1].RegNo}); err != nil || strings.Contains(msg, "Neni 54") {
		t.Fatalf("leave: %q %v", msg, err)
	}
	// Neni 50.14: no hand-in after the end.
	w.at(t, "12:40")
	if _, err := w.svc.RecordLeave(w.ctx, pap, examday.Leave{Exam: "D1", Venue: v.venue, RegNo: e[4].RegNo, At: "12:35"}); !apperr.Is(err, apperr.Conflict) {
		t.Fatalf("Neni 50.14: %v", err)
	}
	// Neni 48.9–48.10, 53.5: the counts, and the box.
	if _, err := w.svc.ReturnCheck(w.ctx, year, 1, "D1", v.venue); !apperr.Is(err, apperr.Conflict) {
		t.Fatalf("the box before the packing: %v", err)
	}
	mats, _, _ := w.k.Custody.MaterialsAt(w.ctx, year, 1, "D1", v.venue)
	day = w.day(t, v.venue)
	present := 0
	unusedLabels := map[string]int{}
	for _, x := range day.Rooms {
		present += x.Present
	}
	counts, _ := w.k.Anonym.Counts(w.ctx, year, "D1", v.venue)
	for _, c := range counts {
		unusedLabels[c.Room] = c.Printed - c.Used
	}
	pk, err := w.svc.PackMaterials(w.ctx, pap, examday.Pack{Exam: "D1", Venue: v.venue, UsedBooklets: &present, UnusedBooklets: mats.Booklets - present, UnusedLabels: unusedLabels})
	if err != nil || pk.Balanced {
		t.Fatalf("wrong counts balanced: %+v %v", pk, err)
	}
	if _, err := w.svc.ReturnCheck(w.ctx, year, 1, "D1", v.venue); !apperr.Is(err, apperr.Conflict) {
		t.Fatalf("the box with wrong counts: %v", err)
	}
	// The custody chain asks the same check when the PAP closes the box.
	if _, err := w.k.DB.Exec(`UPDATE custody_consignments SET stage = 5 WHERE venue_code = $1 AND exam = 'D1'`, v.venue); err != nil {
		t.Fatal(err)
	}
	c, err := w.k.Custody.Get(w.ctx, ava, v.venue, "D1", 1)
	if err != nil {
		t.Fatal(err)
	}
	seals := map[string][]string{}
	for _, p := range c.Packages {
		seals[p.Code] = p.Seals
	}
	step6 := custody.RecordInput{Venue: v.venue, Exam: "D1", Session: 1, Step: custody.ReturnStep, Givers: []string{"PAP", "Drejtori"}, Receivers: []string{"KMSH"}, Seals: seals}
	legacyPAP := &auth.Principal{Username: "pap.x", Role: auth.RolePAP, Venue: v.venue}
	if _, err := w.k.Custody.Record(w.ctx, legacyPAP, step6); !apperr.Is(err, apperr.Conflict) || !strings.Contains(apperr.MessageOf(err), "numërimi") {
		t.Fatalf("custody step 6 with wrong counts: %v", err)
	}
	// One booklet was replaced (Neni 56.4): counted, the packing balances.
	right := examday.Pack{Exam: "D1", Venue: v.venue, UsedBooklets: &present, UnusedBooklets: mats.Booklets - present - 1, UnusedLabels: unusedLabels}
	pk, err = w.svc.PackMaterials(w.ctx, pap, right)
	if err != nil || !pk.Balanced {
		t.Fatalf("right counts: %+v %v", pk, err)
	}
	// Neni 48.10: the used booklets are counted, one per candidate
	// present: one missing does not balance, and the box stays open until
	// the PAP counts again or explains what happened (Neni 48.11: the
	// explanation is in the report).
	lost := right
	one := present - 1
	lost.UsedBooklets = &one
	if pk, err = w.svc.PackMaterials(w.ctx, pap, lost); err != nil || pk.Balanced || pk.Closes() || !strings.Contains(strings.Join(pk.Problems, " "), "të përdorura") {
		t.Fatalf("a used booklet missing: %+v %v", pk, err)
	}
	if _, err := w.svc.ReturnCheck(w.ctx, year, 1, "D1", v.venue); !apperr.Is(err, apperr.Conflict) || !strings.Contains(apperr.MessageOf(err), "sqarimin") {
		t.Fatalf("the box with a booklet missing: %v", err)
	}
	uncounted := right
	uncounted.UsedBooklets = nil
	if _, err := w.svc.PackMaterials(w.ctx, pap, uncounted); !apperr.Is(err, apperr.Invalid) || !strings.Contains(apperr.MessageOf(err), "përdorura") {
		t.Fatalf("a packing without the used booklets counted: %v", err)
	}
	lost.Explanation = "gabim"
	if _, err := w.svc.PackMaterials(w.ctx, pap, lost); !apperr.Is(err, apperr.Invalid) {
		t.Fatalf("an explanation that says nothing: %v", err)
	}
	lost.Explanation = "Një test-broshurë u gjet në sallën e pritjes dhe iu dorëzua KMSH veçmas."
	if pk, err = w.svc.PackMaterials(w.ctx, pap, lost); err != nil || pk.Balanced || !pk.Closes() || pk.Explanation != lost.Explanation {
		t.Fatalf("explained: %+v %v", pk, err)
	}
	if counts, err := w.svc.ReturnCheck(w.ctx, year, 1, "D1", v.venue); err != nil || !strings.Contains(counts, "sallën e pritjes") {
		t.Fatalf("the box with the counts explained: %v", err)
	}
	if rep := pdfText(t, examday.ExamReport(w.day(t, v.venue), w.k.Clock.Now())); !strings.Contains(rep, "Sqarimi i PAP") || !strings.Contains(rep, "sallën e pritjes") {
		t.Errorf("the report lacks the explanation:\n%s", rep)
	}
	board, err := w.svc.Board(w.ctx, ava, 1, "D1", "")
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range board.Rows {
		if b.Venue == v.venue && (!b.Packed || b.Balanced || !b.Explained || !strings.Contains(strings.Join(b.Flags, " "), "sqaroi")) {
			t.Errorf("the board: %+v", b)
		}
	}
	if pk, err = w.svc.PackMaterials(w.ctx, pap, right); err != nil || !pk.Balanced || pk.Explanation != "" {
		t.Fatalf("counted again: %+v %v", pk, err)
	}
	// The box closes with the counts in the hand-over's notes.
	h, err := w.k.Custody.Record(w.ctx, legacyPAP, step6)
	if err != nil {
		t.Fatalf("custody step 6 after the counts balance: %v", err)
	}
	if !strings.Contains(h.Note, "Numërimi i PAP (Neni 48.10)") || !strings.Contains(h.Note, fmt.Sprintf("%d kandidatë të pranishëm", present)) || !strings.Contains(h.Note, "përputhet") {
		t.Errorf("the hand-over does not carry the counts: %q", h.Note)
	}
	// The documents: the procesverbal says what happened, the report
	// counts it, the room sheet lists the room.
	day = w.day(t, v.venue)
	now := w.k.Clock.Now()
	pv := pdfText(t, examday.Procesverbal(day, now))
	for _, want := range []string{"54.5", "Refuzoi të largohej", "55.2", "54.9", "B-0099", "Drita Lika", "Nënshkrimi"} {
		if !strings.Contains(pv, want) {
			t.Errorf("procesverbal lacks %q", want)
		}
	}
	rep := pdfText(t, examday.ExamReport(day, now))
	for _, want := range []string{"48.11", "Të pranishëm", "Përputhet"} {
		if !strings.Contains(rep, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	sheet := pdfText(t, examday.RoomSheet(day, day.Rooms[0], now))
	if !strings.Contains(sheet, e[0].RegNo) || !strings.Contains(sheet, "52.6") {
		t.Error("room sheet lacks the list")
	}
	// The candidate afterwards (Neni 54, 55).
	list, err := w.svc.AttendanceOf(w.ctx, &auth.Principal{Role: auth.RoleStudent, StudentID: student(e[2].RegNo)})
	if err != nil || len(list) == 0 || list[0].Status != "excluded" || !list[0].BarredNextYear || list[0].Cause != "54.5" {
		t.Fatalf("attendance: %+v %v", list, err)
	}
	list, _ = w.svc.AttendanceOf(w.ctx, &auth.Principal{Role: auth.RoleStudent, StudentID: student(e[1].RegNo)})
	if len(list) == 0 || list[0].Status != "present" {
		t.Fatalf("attendance: %+v", list)
	}
	if _, err := w.svc.AttendanceOf(w.ctx, pap); !apperr.Is(err, apperr.Forbidden) {
		t.Fatalf("the PAP reading attendance: %v", err)
	}
}

// pdfText renders a document and returns its text (pdftotext).
func pdfText(t *testing.T, tb doc.Table) string {
	t.Helper()
	body, _, err := doc.Encode(doc.PDF, tb)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	f := filepath.Join(dir, "d.pdf")
	if err := os.WriteFile(f, body, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-layout", f, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	return strings.Join(strings.Fields(string(out)), " ")
}

// TestNeni49_9_TheTimingOfTheDay: the door one hour before the start,
// the 30-minute warning, no leaving before two hours, no extra time.
func TestNeni49_9_TheTimingOfTheDay(t *testing.T) {
	t.Parallel()
	start := testStart(t)
	tm := examday.TimingOf(start, start.Add(150*60e9))
	cases := []struct {
		min   int
		phase string
	}{{-61, examday.PhaseBefore}, {-60, examday.PhaseEntry}, {-1, examday.PhaseEntry}, {0, examday.PhaseRunning}, {119, examday.PhaseRunning},
		{120, examday.PhaseWarning}, {149, examday.PhaseWarning}, {150, examday.PhaseEnded}}
	for _, c := range cases {
		if got := tm.Phase(start.Add(timeMinutes(c.min))); got != c.phase {
			t.Errorf("%d min: %s, want %s", c.min, got, c.phase)
		}
	}
	if !strings.Contains(tm.PhaseLabel(start.Add(timeMinutes(125))), "30 minuta") {
		t.Error("Neni 49.9: no warning")
	}
	for _, c := range []struct {
		min  int
		want string
	}{{119, "56.3"}, {120, ""}, {150, ""}, {151, "50.14"}} {
		if got := tm.CheckLeave(start.Add(timeMinutes(c.min))); got != c.want {
			t.Errorf("leave at %d min: %q, want %q", c.min, got, c.want)
		}
	}
	if tm.Late(start) || !tm.Late(start.Add(timeMinutes(1))) {
		t.Error("late")
	}
	for _, c := range examday.Causes {
		if c.BarsNextYear != (c.Code == "54.3" || c.Code == "54.4" || c.Code == "54.5" || c.Code == "54.8") {
			t.Errorf("Neni 55.2: %s", c.Code)
		}
	}
	if len(examday.Causes) != 11 {
		t.Error("Neni 54 has 11 points")
	}
}

// Neni 49.7–49.8: the AP reports an irregularity of their room to the PAP,
// described; it shows on the venue's page and in the procesverbal. An AP
// reports for the room the PAP put them in only; AVA, who sees the venue,
// records nothing there (the venue's staff do).
func TestNeni49_7_APReportsAnIncidentToThePAP(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	v := w.pick(t, 2, anyAS)
	if len(v.roles["AP"]) == 0 {
		t.Skip("no AP drawn")
	}
	ap := staff(auth.RoleAP, v.roles["AP"][0])
	w.at(t, "10:40")
	acc, err := w.svc.Access(w.ctx, ap, year, "D1")
	if err != nil || acc.Room == "" {
		t.Fatalf("the AP's room: %+v %v", acc, err)
	}
	other := ""
	for _, r := range w.day(t, v.venue).Rooms {
		if r.Name != acc.Room {
			other = r.Name
		}
	}
	report := examday.Report{Kind: examday.KindIncident, Exam: "D1", Venue: v.venue, Room: acc.Room, Witnesses: "AP i sallës"}
	if _, err := w.svc.Record(w.ctx, ap, report); !apperr.Is(err, apperr.Invalid) {
		t.Fatalf("an incident without a description: %v", err)
	}
	report.Note = "Një kandidat u kap duke parë fletën e fqinjit; u paralajmërua."
	elsewhere := report
	elsewhere.Room = other
	if _, err := w.svc.Record(w.ctx, ap, elsewhere); !apperr.Is(err, apperr.Forbidden) {
		t.Fatalf("an incident of another room: %v", err)
	}
	if _, err := w.svc.Record(w.ctx, ava, report); !apperr.Is(err, apperr.Forbidden) {
		t.Fatalf("AVA recording an incident of the venue: %v", err)
	}
	if _, err := w.svc.Record(w.ctx, ap, report); err != nil {
		t.Fatal(err)
	}
	day := w.day(t, v.venue)
	found := false
	for _, e := range day.Events {
		if e.Kind == examday.KindIncident && e.Room == acc.Room && strings.Contains(e.Note, "fletën e fqinjit") {
			found = true
		}
	}
	if !found {
		t.Fatalf("the incident is not on the venue's page: %+v", day.Events)
	}
	if pv := pdfText(t, examday.Procesverbal(day, w.k.Clock.Now())); !strings.Contains(pv, "fletën e fqinjit") {
		t.Errorf("the procesverbal lacks the incident")
	}
	if n := count(t, w, `SELECT COUNT(*) FROM audit_log WHERE object_type = 'examday_event'`); n == 0 {
		t.Error("the incident is not in the audit log")
	}
}

// Neni 48.3, 52.6: the PAP enters, later, the check-ins of a room written
// on the paper room sheet, each with the reason; an AP may not; the entry
// is marked as from paper on the venue's page and in the audit log.
func TestNeni52_PaperRoomSheetEnteredByThePAPWithAReason(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	v := w.pick(t, 2, anyAS)
	pap := staff(auth.RolePAP, v.roles["PAP"][0])
	r := w.day(t, v.venue).Rooms[0]
	w.at(t, "11:30")
	c := in(v.venue, r.Name, r.Entries[0].RegNo)
	c.ArrivedAt = testMoment(t, "09:20")
	c.PaperReason = "Tableti i sallës u fik; hyrjet u shënuan në fletën e sallës."
	if len(v.roles["AP"]) > 0 {
		if _, err := w.svc.CheckInOne(w.ctx, staff(auth.RoleAP, v.roles["AP"][0]), c); !apperr.Is(err, apperr.Forbidden) {
			t.Fatalf("an AP entering from paper: %v", err)
		}
	}
	o, err := w.svc.CheckInOne(w.ctx, pap, c)
	if err != nil || o.Status != examday.Admitted {
		t.Fatalf("from paper: %+v %v", o, err)
	}
	for _, x := range w.day(t, v.venue).Rooms {
		for _, e := range x.Entries {
			if e.RegNo == r.Entries[0].RegNo && (!e.Paper || e.Status != "present") {
				t.Errorf("the entry: %+v", e)
			}
		}
	}
	var after string
	if err := w.k.DB.QueryRow(`SELECT after FROM audit_log WHERE action = 'check_in' ORDER BY seq DESC LIMIT 1`).Scan(&after); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(after, "Tableti i sallës u fik") || !strings.Contains(after, `"source":"paper"`) {
		t.Errorf("the audit entry lacks the reason: %s", after)
	}
}

// Neni 53.5, 48.10: an explanation accounts for counts that do not agree,
// never for unused labels left unsealed; and a packing older than the
// day's check-ins (a device's queue sent after it) is packed again before
// the box closes.
func TestNeni53_5_AnExplanationDoesNotStandInForSealing(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	v := w.pick(t, 2, anyAS)
	pap := staff(auth.RolePAP, v.roles["PAP"][0])
	r := w.day(t, v.venue).Rooms[0]
	w.at(t, "09:40")
	if o, err := w.svc.CheckInOne(w.ctx, pap, in(v.venue, r.Name, r.Entries[0].RegNo)); err != nil || o.Status != examday.Admitted {
		t.Fatalf("check-in: %+v %v", o, err)
	}
	w.at(t, "13:10")
	mats, _, _ := w.k.Custody.MaterialsAt(w.ctx, year, 1, "D1", v.venue)
	one := 1
	pack := examday.Pack{Exam: "D1", Venue: v.venue, UsedBooklets: &one, UnusedBooklets: mats.Booklets - 1,
		Explanation: "Etiketat e papërdorura mbetën në zarf pa u numëruar."}
	pk, err := w.svc.PackMaterials(w.ctx, pap, pack)
	if err != nil || pk.Balanced || pk.LabelsSealed || pk.Closes() {
		t.Fatalf("unsealed labels explained: %+v %v", pk, err)
	}
	if _, err := w.svc.ReturnCheck(w.ctx, year, 1, "D1", v.venue); !apperr.Is(err, apperr.Conflict) {
		t.Fatalf("the box with unsealed labels: %v", err)
	}
	counts, _ := w.k.Anonym.Counts(w.ctx, year, "D1", v.venue)
	pack.UnusedLabels = map[string]int{}
	for _, c := range counts {
		pack.UnusedLabels[c.Room] = c.Printed - c.Used
	}
	if pk, err = w.svc.PackMaterials(w.ctx, pap, pack); err != nil || !pk.LabelsSealed || !pk.Closes() {
		t.Fatalf("sealed, the rest explained: %+v %v", pk, err)
	}
	if _, err := w.svc.ReturnCheck(w.ctx, year, 1, "D1", v.venue); err != nil {
		t.Fatalf("the box sealed and explained: %v", err)
	}
	// A device's queue arrives after the packing: the counts are old.
	late := in(v.venue, r.Name, r.Entries[1].RegNo)
	late.ArrivedAt = testMoment(t, "09:45")
	if o, err := w.svc.CheckInOne(w.ctx, pap, late); err != nil || o.Status != examday.Admitted {
		t.Fatalf("the queued check-in: %+v %v", o, err)
	}
	if _, err := w.svc.ReturnCheck(w.ctx, year, 1, "D1", v.venue); !apperr.Is(err, apperr.Conflict) || !strings.Contains(apperr.MessageOf(err), "pas paketimit") {
		t.Fatalf("the box after a later check-in: %v", err)
	}
}
