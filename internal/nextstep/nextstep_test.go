package nextstep_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"provim/internal/apperr"
	"provim/internal/auth"
	"provim/internal/clock"
	"provim/internal/demo"
	"provim/internal/draw"
	"provim/internal/examyear"
	"provim/internal/nextstep"
	"provim/internal/testkit"
)

// ---- the pure rules ----

// TestNeni52_1_ArriveOneHourBefore: a candidate is at the venue one hour
// before the start, whatever the start.
func TestNeni52_1_ArriveOneHourBefore(t *testing.T) {
	t.Parallel()
	for start, want := range map[string]string{"10:00": "09:00", "08:30": "07:30", "00:15": "23:15"} {
		s, _ := time.ParseInLocation("2006-01-02 15:04", "2027-06-08 "+start, clock.Tirana)
		if got := nextstep.ArriveBy(s).Format("15:04"); got != want {
			t.Errorf("start %s: arrive by %s, want %s", start, got, want)
		}
	}
}

// TestNeni52_5_54_WhatToBringAndWhatIsForbidden: the identity document
// (52.5), the black or blue pen (54.7) and the phone (54.8) are named
// with their articles.
func TestNeni52_5_54_WhatToBringAndWhatIsForbidden(t *testing.T) {
	t.Parallel()
	has := func(list []nextstep.Item, word, article string) bool {
		for _, it := range list {
			if strings.Contains(it.Text, word) && strings.Contains(it.Article, article) {
				return true
			}
		}
		return false
	}
	if !has(nextstep.Bring, "letërnjoftim", "52.5") || !has(nextstep.Bring, "zezë ose blu", "54.7") {
		t.Errorf("bring: %+v", nextstep.Bring)
	}
	if !has(nextstep.Forbidden, "Telefon celular", "54.8") {
		t.Errorf("forbidden: %+v", nextstep.Forbidden)
	}
}

// TestNeni14_CalendarInDateOrderWithTheExamDays: the deadlines and the
// exam days of both sessions are read by date (the 2009 calendar puts
// 15.04 before 08.04 in article order), an exam with its time.
func TestNeni14_CalendarInDateOrderWithTheExamDays(t *testing.T) {
	t.Parallel()
	cfg := examyear.ForYear(examyear.Default2009(), 2009, 2027)
	cal := nextstep.Calendar(cfg)
	exams := 0
	for i, d := range cal {
		if i > 0 && d.Date < cal[i-1].Date {
			t.Fatalf("%s (%s) after %s (%s)", d.Name, d.Date, cal[i-1].Name, cal[i-1].Date)
		}
		if d.Exam {
			exams++
			if d.Time == "" || !strings.HasPrefix(d.Name, "Provim") {
				t.Errorf("exam day %+v", d)
			}
		}
	}
	if exams != len(cfg.Exams) || len(cal) != len(cfg.Calendar)+len(cfg.Exams) {
		t.Fatalf("%d exam days of %d, %d lines", exams, len(cfg.Exams), len(cal))
	}
	inspection, abroad := -1, -1
	for i, d := range cal {
		switch {
		case strings.HasPrefix(d.Name, "Inspektimi i qendrave"):
			inspection = i
		case strings.HasPrefix(d.Name, "Paraqitja e dokumenteve"):
			abroad = i
		}
	}
	if inspection < 0 || abroad < 0 || inspection > abroad {
		t.Errorf("08.04 (inspection, %d) must stand before 15.04 (documents, %d)", inspection, abroad)
	}
	d1, ok := cfg.Exam(examyear.KindD1, 1)
	if !ok || !strings.Contains(nextstep.ExamName(cfg, d1), "Gjuhë shqipe") {
		t.Errorf("D1 is named %q", nextstep.ExamName(cfg, d1))
	}
}

// TestNeni10_9_44_DrawAndMaterialsHours: the draw is DrawHoursBefore and
// the materials MaterialsHoursBefore hours before the start; the next exam
// is the first of session 1 not yet over.
func TestNeni10_9_44_DrawAndMaterialsHours(t *testing.T) {
	t.Parallel()
	cfg := examyear.ForYear(examyear.Default2009(), 2009, 2027)
	e, start, ok := nextstep.NextExam(cfg, testkit.Moment(t, "2027-06-07 18:00"))
	if !ok || e.Code != examyear.KindD1 {
		t.Fatalf("next exam on the eve of D1: %+v %v", e, ok)
	}
	if got := start.Sub(nextstep.DrawAt(cfg, start)); got != time.Duration(cfg.Staffing.DrawHoursBefore)*time.Hour {
		t.Errorf("draw %v before", got)
	}
	if got := start.Sub(nextstep.MaterialsAt(cfg, start)); got != time.Duration(cfg.Staffing.MaterialsHoursBefore)*time.Hour {
		t.Errorf("materials %v before", got)
	}
	// During D1 it is still the next; after it ends, D2 is.
	if e, _, _ := nextstep.NextExam(cfg, start.Add(time.Hour)); e.Code != examyear.KindD1 {
		t.Errorf("during D1: %s", e.Code)
	}
	if e, _, _ := nextstep.NextExam(cfg, start.Add(6*time.Hour)); e.Code != examyear.KindD2 {
		t.Errorf("after D1: %s", e.Code)
	}
	now := testkit.Moment(t, "2027-06-07 18:00")
	if got := nextstep.Around(now, start.Add(-time.Hour), "para"); got != "nesër, para orës 09:00" {
		t.Errorf("Around = %q", got)
	}
	if got := nextstep.At(now, start.AddDate(0, 0, 7)); got != "më 15.06.2027 në orën 10:00" {
		t.Errorf("At = %q", got)
	}
}

// ---- over a country on the eve of D1 ----

// eveOfD1 is a small demo country run to the eve of D1 (final lists, the
// plan, the draws, the packages in the KMSH safes), at 07.06.2027 18:00.
func eveOfD1(t *testing.T) *testkit.Kit {
	t.Helper()
	ctx := context.Background()
	k := testkit.New(t)
	ava := testkit.AVA
	if _, err := k.Years.Create(ctx, ava, 2027, "", 2009); err != nil {
		t.Fatal(err)
	}
	if err := k.Years.SetActive(ctx, ava, 2027); err != nil {
		t.Fatal(err)
	}
	if err := demo.Load(ctx, k.Registry, ava, demo.GenerateN(20270601, 2027, 600), nil); err != nil {
		t.Fatal(err)
	}
	for _, run := range []func() error{
		func() error { return demo.RunApplications(ctx, k.Services, k.Clock, ava, 20270601, nil) },
		func() error { return demo.RunVenuePlan(ctx, k.Services, k.Clock, ava, nil) },
		func() error { return demo.RunDraws(ctx, k.Services, k.Clock, ava, nil) },
		func() error { return demo.RunCustody(ctx, k.Services, k.Clock, ava, nil) },
	} {
		if err := run(); err != nil {
			t.Fatal(err)
		}
	}
	k.At(t, "2027-06-07 18:00")
	return k
}

// TestEveOfD1 runs the checks below over one country on the eve of D1
// (building it is the slow part).
func TestEveOfD1(t *testing.T) {
	t.Parallel()
	k := eveOfD1(t)
	for name, check := range map[string]func(*testing.T, *testkit.Kit){
		"TestNeni52_StudentOnTheEveOfD1":            testNeni52StudentOnTheEveOfD1,
		"TestNeni35_36_58_FailingStudentIsToldWhy":  testNeni35FailingStudentIsToldWhy,
		"TestNeni36_NothingDueWhenDone":             testNeni36NothingDueWhenDone,
		"TestNeni44_48_PAPOnTheEve":                 testNeni44PAPOnTheEve,
		"TestNeni47_7_PAPReadsOnlyTheOwnVenuesDraw": testNeni47PAPReadsOnlyTheOwnVenuesDraw,
		"TestNeni10_9_KMSHOnTheEve":                 testNeni10KMSHOnTheEve,
	} {
		t.Run(name, func(t *testing.T) { check(t, k) })
	}
}

func stepsSay(d nextstep.Dashboard, word string) bool {
	for _, s := range d.Steps {
		if strings.Contains(s.Text, word) {
			return true
		}
	}
	return false
}

// TestNeni52_StudentOnTheEveOfD1: a seated student is told tomorrow D1,
// where, which room and floor, by when; every exam of theirs is listed,
// assigned or not; A2 is asked for only while it is not filed.
func testNeni52StudentOnTheEveOfD1(t *testing.T, k *testkit.Kit) {
	ctx := context.Background()
	var withA2, withoutA2 int64
	k.DB.QueryRow(`SELECT s.student_id FROM exam_seats s JOIN a2_forms f ON f.student_id = s.student_id AND f.year = s.year
		WHERE s.year = 2027 AND s.exam = 'D1' ORDER BY s.student_id LIMIT 1`).Scan(&withA2)
	k.DB.QueryRow(`SELECT s.student_id FROM exam_seats s WHERE s.year = 2027 AND s.exam = 'D1'
		AND s.student_id NOT IN (SELECT student_id FROM a2_forms WHERE year = 2027) ORDER BY s.student_id LIMIT 1`).Scan(&withoutA2)
	if withA2 == 0 || withoutA2 == 0 {
		t.Fatalf("fixture: students %d %d", withA2, withoutA2)
	}
	for id, a2Due := range map[int64]bool{withA2: false, withoutA2: true} {
		d, err := k.NextSteps.For(ctx, testkit.Student(id))
		if err != nil {
			t.Fatal(err)
		}
		st := d.Student
		if st == nil || st.Failing || st.Next == nil || st.NextDay != "nesër" || st.Next.Exam != examyear.KindD1 {
			t.Fatalf("student %d: %+v", id, st)
		}
		n := st.Next
		if !n.Assigned || n.Venue == "" || n.Room == "" || n.ArriveBy != "09:00" || n.Date != "2027-06-08" || n.Start != "10:00" {
			t.Errorf("student %d: tomorrow %+v", id, n)
		}
		if len(st.Bring) == 0 || len(st.Forbidden) == 0 {
			t.Errorf("student %d: nothing to bring or forbidden", id)
		}
		if got := stepsSay(d, "formularin A2"); got != a2Due {
			t.Errorf("student %d: A2 step %v, want %v (%+v)", id, got, a2Due, d.Steps)
		}
		if !stepsSay(d, "Nesër D1") {
			t.Errorf("student %d: no step for tomorrow: %+v", id, d.Steps)
		}
		var d2 *nextstep.Exam
		for i, e := range st.Exams {
			if i > 0 && e.Date < st.Exams[i-1].Date {
				t.Errorf("exams out of order: %+v", st.Exams)
			}
			if e.Exam == examyear.KindD2 {
				d2 = &st.Exams[i]
			}
		}
		// The demo plans D1 only: D2 is listed, not yet assigned.
		if d2 == nil || d2.Assigned || d2.Date == "" {
			t.Errorf("student %d: D2 %+v in %+v", id, d2, st.Exams)
		}
	}
}

// TestNeni35_36_58_FailingStudentIsToldWhy: a failing student is not on
// this year's lists; nothing asks for A2 or promises a venue.
func testNeni35FailingStudentIsToldWhy(t *testing.T, k *testkit.Kit) {
	var id int64
	k.DB.QueryRow(`SELECT student_id FROM applications WHERE year = 2027 AND failing ORDER BY student_id LIMIT 1`).Scan(&id)
	if id == 0 {
		t.Fatal("fixture: no failing student")
	}
	d, err := k.NextSteps.For(context.Background(), testkit.Student(id))
	if err != nil {
		t.Fatal(err)
	}
	if d.Student == nil || !d.Student.Failing || d.Student.Next != nil || len(d.Student.Exams) != 0 {
		t.Fatalf("failing student: %+v", d.Student)
	}
	if stepsSay(d, "A2") || stepsSay(d, "qendra") {
		t.Errorf("failing student's steps: %+v", d.Steps)
	}
}

// TestNeni36_NothingDueWhenDone: AVA on the eve of D1 is not told to
// build the final lists (built) nor to assign numbers (assigned), nor to
// follow draws that are all drawn.
func testNeni36NothingDueWhenDone(t *testing.T, k *testkit.Kit) {
	d, err := k.NextSteps.For(context.Background(), testkit.AVA)
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{"listat përfundimtare", "numrat e regjistrimit", "shortet"} {
		if stepsSay(d, w) {
			t.Errorf("AVA is told %q though done: %+v", w, d.Steps)
		}
	}
	// Before the failing students are in, the final lists are not due yet;
	// on the day they are, and built they are not.
	k2 := testkit.New(t)
	ctx := context.Background()
	if _, err := k2.Years.Create(ctx, testkit.AVA, 2027, "", 2009); err != nil {
		t.Fatal(err)
	}
	if err := k2.Years.SetActive(ctx, testkit.AVA, 2027); err != nil {
		t.Fatal(err)
	}
	k2.At(t, "2027-05-29")
	d, err = k2.NextSteps.For(ctx, testkit.AVA)
	if err != nil {
		t.Fatal(err)
	}
	if !stepsSay(d, "listat përfundimtare") {
		t.Errorf("the final lists are not due on 29.05 before they are built: %+v", d.Steps)
	}
}

// TestNeni44_48_PAPOnTheEve: the PAP's dashboard names its rooms with
// their lists, the staff drawn to the venue, the materials, and the steps
// of tomorrow.
func testNeni44PAPOnTheEve(t *testing.T, k *testkit.Kit) {
	var venue string
	k.DB.QueryRow(`SELECT venue_code FROM exam_seats WHERE year = 2027 AND exam = 'D1' ORDER BY venue_code LIMIT 1`).Scan(&venue)
	d, err := k.NextSteps.For(context.Background(), testkit.PAP(venue))
	if err != nil {
		t.Fatal(err)
	}
	if d.Venue == nil || d.Venue.Code != venue || len(d.Venue.Exams) == 0 {
		t.Fatalf("venue: %+v", d.Venue)
	}
	ve := d.Venue.Exams[0]
	if ve.Exam != "D1" || len(ve.Rooms) == 0 || !strings.HasPrefix(ve.Rooms[0].Link, "/plani/salla/") || ve.Candidates == 0 {
		t.Errorf("D1 at the venue: %+v", ve)
	}
	if !ve.Drawn || ve.DrawID == 0 || len(ve.Staff) == 0 || ve.Materials == "" {
		t.Errorf("draw and materials: %+v", ve)
	}
	for _, l := range ve.Staff {
		if l.Venue != venue || l.Name == "" {
			t.Errorf("a line of the venue's staff: %+v", l)
		}
	}
	if !stepsSay(d, "Tërhiqni materialet") || !stepsSay(d, "Pritni kandidatët") {
		t.Errorf("steps: %+v", d.Steps)
	}
}

// TestNeni47_7_PAPReadsOnlyTheOwnVenuesDraw: the PAP reads the draw of
// its venue named only on its venue's lines; a draw that does not cover
// the venue does not exist for it; the record still verifies as
// published.
func testNeni47PAPReadsOnlyTheOwnVenuesDraw(t *testing.T, k *testkit.Kit) {
	ctx := context.Background()
	var venue string
	k.DB.QueryRow(`SELECT venue_code FROM exam_seats WHERE year = 2027 AND exam = 'D1' ORDER BY venue_code LIMIT 1`).Scan(&venue)
	pap := testkit.PAP(venue)
	list, err := k.Draws.VenueDraws(ctx, pap)
	if err != nil || len(list) != 1 {
		t.Fatalf("venue draws: %+v %v", list, err)
	}
	rec, err := k.Draws.Get(ctx, pap, list[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if rec.RosterKey != "" || len(rec.Inputs.Excluded) != 0 {
		t.Error("the venue's record carries the roster key or the people left out")
	}
	named := 0
	for _, l := range draw.Lines(rec) {
		if l.Name != "" {
			named++
			if l.Venue != venue {
				t.Errorf("a name of another venue: %+v", l)
			}
		}
		if l.StaffID != 0 {
			t.Errorf("a staff id: %+v", l)
		}
	}
	if named == 0 || named != len(list[0].Lines) {
		t.Errorf("%d named lines, %d of the venue", named, len(list[0].Lines))
	}
	if err := draw.Verify(draw.Published(rec)); err != nil {
		t.Errorf("the venue's record does not verify as published: %v", err)
	}
	// A draw of another DAR/ZA is not found; the list of draws stays the
	// commissions'.
	var other int64
	k.DB.QueryRow(`SELECT id FROM draws WHERE year = 2027 AND id <> $1 ORDER BY id LIMIT 1`, list[0].ID).Scan(&other)
	if _, err := k.Draws.Get(ctx, pap, other); !apperr.Is(err, apperr.NotFound) {
		t.Errorf("another DAR's draw: %v", err)
	}
	if _, err := k.Draws.List(ctx, pap); !apperr.Is(err, apperr.Forbidden) {
		t.Errorf("the PAP lists the draws: %v", err)
	}
	if _, err := k.Draws.VenueDraws(ctx, testkit.KSHMSH("TR-003")); err == nil {
		t.Error("a school commission read a venue's draws")
	}
	if _, err := k.Draws.VenueDraws(ctx, &auth.Principal{Role: auth.RolePAP}); err == nil {
		t.Error("a PAP without a venue read draws")
	}
}

// TestNeni10_9_KMSHOnTheEve: the regional commission is told the
// hand-over of materials to the PAP at the set hour; the draw, drawn, is
// not called due.
func testNeni10KMSHOnTheEve(t *testing.T, k *testkit.Kit) {
	var unit string
	k.DB.QueryRow(`SELECT unit_code FROM draws WHERE year = 2027 AND exam = 'D1' ORDER BY unit_code LIMIT 1`).Scan(&unit)
	d, err := k.NextSteps.For(context.Background(), testkit.KMSH(unit))
	if err != nil {
		t.Fatal(err)
	}
	if !stepsSay(d, "Materialet e D1") {
		t.Errorf("no materials step: %+v", d.Steps)
	}
	if stepsSay(d, "Hidhni shortin") || stepsSay(d, "Publikoni angazhimin") {
		t.Errorf("a drawn draw is called due: %+v", d.Steps)
	}
}
