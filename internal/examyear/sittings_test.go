package examyear

import (
	"encoding/json"
	"testing"
	"time"
)

// Neni 14.3, 17: the electives are on one day, at sittings that do not
// overlap, so that a candidate's two electives are not at the same time.
func TestNeni14_3_ElectiveSittings(t *testing.T) {
	t.Parallel()
	c := Default2009()
	if err := c.Validate(); err != nil {
		t.Fatalf("Default2009: %v", err)
	}
	for _, sub := range c.Electives() {
		if _, ok := c.ElectiveSitting(sub.Code, 1); !ok {
			t.Errorf("%s has no sitting", sub.Code)
		}
	}
	start, end, ok := c.Sitting("KIM", 1)
	want := time.Date(2009, 6, 15, 10, 0, 0, 0, Tirana)
	if !ok || !start.Equal(want) || !end.Equal(want.Add(DefaultMinutes*time.Minute)) {
		t.Errorf("KIM sits %v–%v (%v), want %v", start, end, ok, want)
	}
	if s, _, ok := c.Sitting("BIO", 1); !ok || s.Hour() != 15 {
		t.Errorf("BIO sits at %v (%v), want 15:00", s, ok)
	}
	if s, _, ok := c.Sitting("GJSH", 1); !ok || s.Format("2006-01-02 15:04") != "2009-06-08 10:00" {
		t.Errorf("GJSH (D1) sits at %v", s)
	}
	for _, x := range []struct {
		a, b string
		want bool
	}{
		{"KIM", "BIO", false}, {"FIZ", "KIM", false}, {"HIS", "GJE", false}, {"ANG", "FRE", false},
		{"FIZ", "BIO", true}, {"KIM", "HIS", true}, {"KIM", "KIM", true},
		{"D1", "KIM", false}, {"D1", "GJSH", true}, {"D1", "D2", false}, {"XYZ", "KIM", false},
	} {
		if got := c.Overlap(x.a, x.b, 1); got != x.want {
			t.Errorf("Overlap(%s, %s) = %v, want %v", x.a, x.b, got, x.want)
		}
	}
	if c.Overlap("KIM", "BIO", 2) || c.Overlap("D1", "D1", 3) {
		t.Error("session 2 has no electives; session 3 no exams")
	}
	if got := c.SittingLabel("BIO", 1); got != "15.06.2009 ora 15:00" {
		t.Errorf("SittingLabel = %q", got)
	}

	// The sittings move with the year and are not shared with the base.
	y := ForYear(c, 2009, 2027)
	y.Exams[2].Subjects[0] = "XXX"
	if c.Exams[2].Subjects[0] != "KIM" {
		t.Error("ForYear shares the sittings' subjects with its base")
	}
	if s, _, ok := ForYear(c, 2009, 2027).Sitting("BIO", 1); !ok || s.Year() != 2027 {
		t.Errorf("BIO in 2027 at %v", s)
	}

	// Sittings at the same time cannot both be sat.
	overlap := Default2009()
	overlap.Exams[5].Start = "11:00"
	wantProblems(t, overlap, "Seancat e provimeve me zgjedhje të orës 10:00 (150 minuta) dhe të orës 11:00 mbivendosen")
	long := Default2009()
	long.Exams[2].Minutes = 360 // 10:00–16:00 reaches the 15:00 sitting
	wantProblems(t, long, "mbivendosen")
	// On another day the second sitting breaks Neni 14.3.
	apart := Default2009()
	apart.Exams[5].Date = "2009-06-16"
	wantProblems(t, apart, "Neni 14.3–14.4")

	twice := Default2009()
	twice.Exams[5].Subjects = append(twice.Exams[5].Subjects, "KIM")
	wantProblems(t, twice, "Lënda me zgjedhje KIM është në dy seanca")
	unknown := Default2009()
	unknown.Exams[5].Subjects = append(unknown.Exams[5].Subjects, "MAT")
	wantProblems(t, unknown, "«MAT», që nuk është lëndë me zgjedhje")
	missing := Default2009()
	missing.Exams[5].Subjects = missing.Exams[5].Subjects[1:] // FIZ dropped
	wantProblems(t, missing, "Lënda me zgjedhje FIZ (Fizikë) nuk është në asnjë seancë")
	rest := Default2009()
	rest.Exams[2].Subjects, rest.Exams[5].Subjects = nil, nil
	wantProblems(t, rest, "Vetëm një seancë")
	mandatory := Default2009()
	mandatory.Exams[0].Subjects = []string{"GJSH"}
	wantProblems(t, mandatory, "vetëm seancat e provimeve me zgjedhje")
	minutes := Default2009()
	minutes.Exams[0].Minutes = -5
	wantProblems(t, minutes, "kohëzgjatje -5 minuta")
}

// A configuration stored before sittings (one elective day, no subjects,
// no minutes) still reads and validates: every elective at its one
// sitting, which the planner then treats as one time (Neni 14.3).
func TestNeni14_3_ConfigWithoutSittingsStillReads(t *testing.T) {
	t.Parallel()
	c := Default2009()
	c.Exams = []ExamDay{c.Exams[0], c.Exams[1], {Code: KindElective, Date: "2009-06-15", Start: "10:00", Session: 1}, c.Exams[3], c.Exams[4]}
	raw, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	var back Config
	if err := json.Unmarshal(raw, &back); err != nil {
		t.Fatal(err)
	}
	if err := back.Validate(); err != nil {
		t.Fatalf("old configuration: %v", err)
	}
	if !back.Overlap("KIM", "BIO", 1) {
		t.Error("one elective sitting: KIM and BIO are at the same time")
	}
	if e, ok := back.ElectiveSitting("INF", 1); !ok || e.Start != "10:00" || e.Length() != DefaultMinutes {
		t.Errorf("INF sitting %+v %v", e, ok)
	}
}
