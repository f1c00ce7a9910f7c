package results_test

import (
	"slices"
	"testing"
	"time"

	"provim/internal/application"
	"provim/internal/examyear"
	"provim/internal/results"
)

func res(exam, subject string, grade int) results.ExamResult {
	return results.ExamResult{Year: year, Session: 1, Exam: exam, Subject: subject, Grade: grade, Passed: grade >= examyear.PassGrade}
}

func TestNeni57_1_GradeVoidAbsent(t *testing.T) {
	cfg := examyear.Default2009()
	if g := results.Grade(cfg, "GJSH", 12, true, false, ""); g.Grade != 5 || !g.Passed {
		t.Errorf("12 of GJSH: %+v", g)
	}
	if g := results.Grade(cfg, "GJSH", 11, true, false, ""); g.Grade != 4 || g.Passed {
		t.Errorf("11 of GJSH: %+v", g)
	}
	if g := results.Grade(cfg, "MAT", 10, true, false, ""); g.Grade != 5 {
		t.Errorf("10 of MAT (default table): %+v", g)
	}
	if g := results.Grade(cfg, "GJSH", 0, false, false, ""); !g.Absent || g.Passed || g.Grade != 0 {
		t.Errorf("absent: %+v", g)
	}
	// An exclusion voids even a booklet with full points, and wins over an absence.
	if g := results.Grade(cfg, "GJSH", 60, true, false, "54.3"); !g.Voided || g.Passed || g.Points != 0 {
		t.Errorf("excluded: %+v", g)
	}
	if g := results.Grade(cfg, "GJSH", 0, false, false, "54.1"); !g.Voided || g.Absent {
		t.Errorf("excluded, no booklet: %+v", g)
	}
	if g := results.Grade(cfg, "GJSH", 40, true, true, ""); !g.Voided || g.Passed {
		t.Errorf("MASH voided: %+v", g)
	}
}

func TestNeni16_FailedMandatoryGoesToSecondSession(t *testing.T) {
	cur := []results.ExamResult{res("D1", "GJSH", 4), res("D2", "MAT", 7)}
	o := results.Decide(year, 2, cur, nil, []string{"D1", "D2"})
	if !slices.Equal(o.Session2, []string{"D1"}) {
		t.Errorf("session 2: %v", o.Session2)
	}
	// Both failed: both retaken.
	o = results.Decide(year, 2, []results.ExamResult{res("D1", "GJSH", 4), res("D2", "MAT", 4)}, nil, []string{"D1", "D2"})
	if !slices.Equal(o.Session2, []string{"D1", "D2"}) {
		t.Errorf("both: %v", o.Session2)
	}
	// Absent and voided count as a fail.
	ab := results.ExamResult{Year: year, Session: 1, Exam: "D2", Subject: "MAT", Absent: true}
	o = results.Decide(year, 2, []results.ExamResult{res("D1", "GJSH", 6), ab}, nil, []string{"D1", "D2"})
	if !slices.Equal(o.Session2, []string{"D2"}) {
		t.Errorf("absent: %v", o.Session2)
	}
	// Edge: a pass of D1 in an earlier year (Neni 17 ¶4) — no retake for it.
	prior := []application.Result{{Year: year - 1, Session: 1, Subject: "GJSH", Kind: "D1", Grade: 6}}
	o = results.Decide(year, 2, []results.ExamResult{res("D1", "GJSH", 4), res("D2", "MAT", 5)}, prior, []string{"D1", "D2"})
	if len(o.Session2) != 0 {
		t.Errorf("earlier pass: %v", o.Session2)
	}
}

func TestNeni17_2_ElectivesDoNotCountAfterAMandatoryFail(t *testing.T) {
	cur := []results.ExamResult{res("D1", "GJSH", 4), res("D2", "MAT", 8), res("KIM", "KIM", 9), res("HIS", "HIS", 9)}
	o := results.Decide(year, 2, cur, nil, []string{"D1", "D2", "KIM", "HIS"})
	if o.ElectivesCount || o.University || o.Academies {
		t.Errorf("outcome: %+v", o)
	}
	c := results.Counted(year, 2, cur, nil, o)
	for _, e := range c {
		if e.Exam == "KIM" || e.Exam == "HIS" {
			t.Errorf("elective counted: %+v", c)
		}
	}
}

func TestNeni17_3_UniversityWhenAllFourPass(t *testing.T) {
	cur := []results.ExamResult{res("D1", "GJSH", 5), res("D2", "MAT", 6), res("KIM", "KIM", 5), res("HIS", "HIS", 10)}
	o := results.Decide(year, 2, cur, nil, []string{"D1", "D2", "KIM", "HIS"})
	if !o.University || !o.ElectivesCount || len(o.Session2) != 0 {
		t.Errorf("all four: %+v", o)
	}
	// One elective failed: no university, but the Neni 17 ¶5 programmes.
	cur[3] = res("HIS", "HIS", 4)
	o = results.Decide(year, 2, cur, nil, []string{"D1", "D2", "KIM", "HIS"})
	if o.University || !o.Academies {
		t.Errorf("one elective failed: %+v", o)
	}
	// An elective not yet published: pending, no university yet.
	o = results.Decide(year, 2, cur[:3], nil, []string{"D1", "D2", "KIM", "HIS"})
	if o.University || !slices.Equal(o.Pending, []string{"HIS"}) {
		t.Errorf("pending: %+v", o)
	}
}

func TestNeni17_4_EarlierMandatoryPassStaysValid(t *testing.T) {
	prior := []application.Result{{Year: 2007, Session: 1, Subject: "GJSH", Kind: "D1", Grade: 7}}
	cur := []results.ExamResult{res("D2", "MAT", 6), res("KIM", "KIM", 6), res("HIS", "HIS", 6)}
	o := results.Decide(year, 2, cur, prior, []string{"D2", "KIM", "HIS"})
	if !o.University {
		t.Errorf("outcome: %+v", o)
	}
	c := results.Counted(year, 2, cur, prior, o)
	if len(c) != 4 || c[0].Exam != "D1" || c[0].Year != 2007 || c[0].Grade != 7 {
		t.Errorf("counted: %+v", c)
	}
	// Edge: an earlier fail does not stand in.
	prior[0].Grade = 4
	o = results.Decide(year, 2, cur, prior, []string{"D2", "KIM", "HIS"})
	if o.University {
		t.Errorf("earlier fail counted: %+v", o)
	}
}

func TestNeni26_EarlierElectivesValidLatestSittingCounts(t *testing.T) {
	prior := []application.Result{
		{Year: 2006, Session: 1, Subject: "FIZ", Kind: "Z", Grade: 9},
		{Year: 2008, Session: 1, Subject: "FIZ", Kind: "Z", Grade: 5}, // the latest sitting counts, though lower
		{Year: 2007, Session: 1, Subject: "BIO", Kind: "Z", Grade: 4}, // valid though failed (Neni 26.2)
	}
	cur := []results.ExamResult{res("D1", "GJSH", 6), res("D2", "MAT", 6)}
	o := results.Decide(year, 2, cur, prior, []string{"D1", "D2"})
	c := results.Counted(year, 2, cur, prior, o)
	if len(c) != 4 {
		t.Fatalf("counted: %+v", c)
	}
	if c[2].Subject != "FIZ" || c[2].Year != 2008 || c[2].Grade != 5 {
		t.Errorf("latest FIZ: %+v", c[2])
	}
	if c[3].Subject != "BIO" || c[3].Passed {
		t.Errorf("BIO: %+v", c[3])
	}
	if o.University {
		t.Errorf("BIO failed: no university: %+v", o)
	}
	// This year's sitting of a subject replaces the earlier one.
	cur = append(cur, res("BIO", "BIO", 7))
	o = results.Decide(year, 2, cur, prior, []string{"D1", "D2", "BIO"})
	c = results.Counted(year, 2, cur, prior, o)
	if !o.University || len(c) != 4 || c[2].Subject != "BIO" || c[2].Year != year || c[3].Subject != "FIZ" {
		t.Errorf("this year's BIO: %+v %+v", o, c)
	}
	// Entered again this year but absent: not sat, so the latest year it
	// was sat (2008) still counts (Neni 26.3), and eligibility with it.
	absent := res("FIZ", "FIZ", 0)
	absent.Absent, absent.Passed = true, false
	cur = []results.ExamResult{res("D1", "GJSH", 6), res("D2", "MAT", 6), res("BIO", "BIO", 7), absent}
	o = results.Decide(year, 2, cur, prior, []string{"D1", "D2", "BIO", "FIZ"})
	c = results.Counted(year, 2, cur, prior, o)
	if !o.University || len(c) != 4 || c[3].Subject != "FIZ" || c[3].Year != 2008 || c[3].Grade != 5 {
		t.Errorf("absent FIZ this year: %+v %+v", o, c)
	}
}

// Neni 57.19: the days left count Tirana's calendar days; the first late
// day is -1 (the page then asks for the reason Publish needs), at any hour.
func TestNeni57_19_DaysLeftOnTheFirstLateDay(t *testing.T) {
	cfg := examyear.Default2009()
	last, ok := results.PublishDeadline(cfg, examyear.KindD1, 1) // 08.06.2009 + 15 = 23.06.2009
	if !ok {
		t.Fatal("no D1")
	}
	at := func(s string) time.Time {
		v, err := time.ParseInLocation("2006-01-02 15:04", s, examyear.Tirana)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	for _, tc := range []struct {
		now  string
		days int
		late bool
	}{
		{"2009-06-22 23:59", 1, false},
		{"2009-06-23 00:00", 0, false},
		{"2009-06-23 23:59", 0, false},
		{"2009-06-24 00:00", -1, true},
		{"2009-06-24 12:00", -1, true},
		{"2009-06-25 23:00", -2, true},
	} {
		now := at(tc.now)
		if d, l := results.DaysLeft(last, now), results.Late(last, now); d != tc.days || l != tc.late {
			t.Errorf("%s: days left %d late %v, want %d %v", tc.now, d, l, tc.days, tc.late)
		}
	}
}
