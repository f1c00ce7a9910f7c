package application

import (
	"slices"
	"strings"
	"testing"

	"provim/internal/examyear"
)

func res(year, session int, kind, subject string, grade int) Result {
	return Result{Year: year, Session: session, Kind: kind, Subject: subject, Grade: grade}
}

func TestNeni16_24_MandatoryExams(t *testing.T) {
	for _, tc := range []struct {
		category string
		prior    []Result
		want     []string
	}{
		{Regular, nil, []string{"D1", "D2"}},
		{Neni24, nil, []string{"D1", "D2"}},
		{Neni23, nil, nil},
		{Kandidat, nil, nil},
		{Neni25, nil, nil},
		{Neni26, nil, nil},
		{Neni33, nil, nil},
		// Neni 17 ¶4: a pass in one mandatory exam stays valid.
		{Regular, []Result{res(2026, 1, "D1", "GJSH", 7), res(2026, 1, "D2", "MAT", 4)}, []string{"D2"}},
		{Regular, []Result{res(2026, 1, "D1", "GJSH", 4), res(2026, 2, "D1", "GJSH", 5), res(2026, 1, "D2", "MAT", 6)}, nil},
		{Regular, []Result{res(2026, 1, "D1", "GJSH", 4)}, []string{"D1", "D2"}},
	} {
		if got := MandatoryExams(tc.category, tc.prior); !slices.Equal(got, tc.want) {
			t.Errorf("%s %v: %v, want %v", tc.category, tc.prior, got, tc.want)
		}
	}
}

func TestNeni17_2_FailInFirstSessionBarsElectivesThatYear(t *testing.T) {
	// Not yet known: not barred, pending.
	if ok, pending, _ := MaySitElectives(2027, nil); !ok || len(pending) != 2 {
		t.Fatalf("unknown results: %v %v", ok, pending)
	}
	// Fails D2 in session 1: barred, even after passing the retake.
	results := []Result{res(2027, 1, "D1", "GJSH", 8), res(2027, 1, "D2", "MAT", 4), res(2027, 2, "D2", "MAT", 6)}
	if ok, _, why := MaySitElectives(2027, results); ok || !strings.Contains(why, "D2") {
		t.Fatalf("failed D2 in session 1: %v %q", ok, why)
	}
	// The next year the retake pass counts (Neni 17 ¶2 end, ¶4).
	if ok, pending, _ := MaySitElectives(2028, results); !ok || len(pending) != 0 {
		t.Fatalf("next year: %v %v", ok, pending)
	}
	// Both passed in session 1.
	if ok, pending, _ := MaySitElectives(2027, []Result{res(2027, 1, "D1", "GJSH", 5), res(2027, 1, "D2", "MAT", 5)}); !ok || len(pending) != 0 {
		t.Fatal("passed both: barred")
	}
}

func TestNeni17_3_5_UniversityEligibility(t *testing.T) {
	four := []Result{res(2027, 1, "D1", "GJSH", 6), res(2027, 1, "D2", "MAT", 7), res(2027, 1, "Z", "FIZ", 5), res(2027, 1, "Z", "KIM", 9)}
	if ok, why := UniversityEligible(four, 2, false); !ok {
		t.Fatalf("all four passed: %s", why)
	}
	oneElective := []Result{four[0], four[1], four[2], res(2027, 1, "Z", "KIM", 4)}
	if ok, _ := UniversityEligible(oneElective, 2, false); ok {
		t.Fatal("one elective failed: eligible")
	}
	// Neni 17 ¶5: the academies need only the mandatory exams.
	if ok, why := UniversityEligible(four[:2], 2, true); !ok {
		t.Fatalf("academy without electives: %s", why)
	}
	if ok, _ := UniversityEligible([]Result{four[0], res(2027, 1, "D2", "MAT", 4)}, 2, true); ok {
		t.Fatal("academy with a failed mandatory exam: eligible")
	}
}

func TestNeni17_22_23_24_25_26_33_ElectiveChoice(t *testing.T) {
	cfg := examyear.Default2009()
	for _, tc := range []struct {
		category  string
		electives []string
		problems  int
		contains  string
	}{
		{Regular, nil, 0, ""},
		{Regular, []string{"FIZ", "KIM"}, 0, ""},
		{Regular, []string{"FIZ"}, 1, "Neni 17"},
		{Regular, []string{"FIZ", "FIZ"}, 1, "dy herë"},
		{Regular, []string{"FIZ", "XYZ"}, 1, "nuk ofrohet"},
		{Regular, []string{"FIZ", "MAT"}, 1, "e detyrueshme"},
		{Regular, []string{"FIZ", "KIM", "BIO"}, 2, "jo 3"},
		{Neni23, nil, 1, "Neni 23"},
		{Neni24, []string{"HIS", "GJE"}, 0, ""},
		{Neni25, []string{"HIS"}, 1, "Neni 25"},
		{Neni33, []string{"HIS", "FRE"}, 0, ""},
		{Regular, []string{"HIS", "ANG"}, 1, "Neni 14.3"},           // one sitting (10:00)
		{Kandidat, []string{"FIZ", "BIO"}, 1, "në të njëjtën kohë"}, // one sitting (15:00)
		{Neni26, []string{"HIS"}, 0, ""},
		{Kandidat, []string{"HIS"}, 0, ""},
		{Kandidat, []string{"HIS", "GJE"}, 0, ""},
		{Kandidat, nil, 1, "Neni 22"},
		{Neni26, nil, 0, ""}, // Neni 26.2: the earlier results stand
		{Neni26, []string{"HIS", "GJE", "FIZ"}, 2, "Neni 26.1"},
		{Neni25, nil, 0, ""}, // Neni 25 ¶2: academies only
		{Neni25, []string{"HIS", "GJE"}, 0, ""},
		{"tjeter", nil, 1, "nuk njihet"},
	} {
		got := CheckElectives(cfg, tc.category, tc.electives)
		if len(got) != tc.problems || (tc.contains != "" && !strings.Contains(strings.Join(got, ";"), tc.contains)) {
			t.Errorf("%s %v: %v", tc.category, tc.electives, got)
		}
	}
}

func TestNeni26_2_3_EarlierElectiveResultsStayValidLatestYearCounts(t *testing.T) {
	got := ValidElectiveResults([]Result{
		res(2006, 1, "Z", "FIZ", 6), res(2008, 1, "Z", "FIZ", 4), res(2007, 1, "Z", "HIS", 8), res(2007, 1, "D1", "GJSH", 9),
	})
	if len(got) != 2 {
		t.Fatalf("subjects: %v", got)
	}
	// The latest year counts even when it is worse (Neni 26.3)…
	if got["FIZ"].Year != 2008 || got["FIZ"].Grade != 4 {
		t.Errorf("FIZ: %+v", got["FIZ"])
	}
	// …and a result keeps the year, whose coefficient scores it (Neni 26.2).
	if got["HIS"].Year != 2007 {
		t.Errorf("HIS: %+v", got["HIS"])
	}
}

func TestNeni55_2_BarredTheNextYearForFourCauses(t *testing.T) {
	for _, tc := range []struct {
		cause string
		year  int
		want  bool
	}{
		{"54.3", 2026, true}, {"54.4", 2026, true}, {"Neni 54.5", 2026, true}, {"54.8", 2026, true},
		{"54.1", 2026, false}, {"54.6", 2026, false}, {"54.11", 2026, false},
		{"54.5", 2025, false}, // only the year after
		{"54.5", 2027, false}, // not the same year's later session
	} {
		got, why := Barred([]Exclusion{{Year: tc.year, Exam: "D1", Cause: tc.cause}}, 2027)
		if got != tc.want {
			t.Errorf("%s in %d: %v (%s)", tc.cause, tc.year, got, why)
		}
	}
}

func TestNeni23_24_25_26_33_FormsAndDocuments(t *testing.T) {
	forms := map[string]string{Regular: FormA1, Kandidat: FormA1z, Neni23: FormA1, Neni24: FormA1, Neni25: FormA1z, Neni26: FormA1z, Neni33: FormA1}
	for c, want := range forms {
		if FormFor(c) != want {
			t.Errorf("form of %s: %s", c, FormFor(c))
		}
	}
	want := map[string]int{Neni23: 4, Neni24: 3, Neni25: 1, Neni33: 3}
	for c, n := range want {
		if got := RequiredDocuments(c, false); len(got) != n {
			t.Errorf("%s documents: %v", c, got)
		}
	}
	if len(RequiredDocuments(Neni26, true)) != 2 || len(RequiredDocuments(Neni26, false)) != 1 {
		t.Error("Neni 26.1: the resit adds the fee receipt")
	}
	if !KMSHSetsGrades(Neni23) || !KMSHSetsGrades(Neni33) || KMSHSetsGrades(Neni24) {
		t.Error("grades set by a commission: Neni 23 and 33.5 only")
	}
}

func TestNeni34_RegistrationNumberCatchesTyposAndSwaps(t *testing.T) {
	for _, serial := range []int{1, 42, 123456, 999999} {
		n := RegNo(2027, serial)
		if len(n) != 9 || !strings.HasPrefix(n, "27") || !ValidRegNo(n) || regSerial(n) != serial {
			t.Fatalf("RegNo(2027, %d) = %s", serial, n)
		}
		for i := range n {
			for d := byte('0'); d <= '9'; d++ {
				if d == n[i] {
					continue
				}
				typo := n[:i] + string(d) + n[i+1:]
				if ValidRegNo(typo) {
					t.Errorf("typo %s of %s accepted", typo, n)
				}
			}
			if i+1 < len(n) && n[i] != n[i+1] {
				swap := n[:i] + string(n[i+1]) + string(n[i]) + n[i+2:]
				if ValidRegNo(swap) {
					t.Errorf("swap %s of %s accepted", swap, n)
				}
			}
		}
	}
	for _, bad := range []string{"", "12345678", "1234567890", "27000001a", "-27000001"} {
		if ValidRegNo(bad) {
			t.Errorf("%q accepted", bad)
		}
	}
}

func FuzzValidRegNo(f *testing.F) {
	f.Add("270000017")
	f.Fuzz(func(t *testing.T, s string) {
		if ValidRegNo(s) && RegNo(2000+int(s[0]-'0')*10+int(s[1]-'0'), regSerial(s)) != s {
			t.Fatalf("%q valid but not rebuilt", s)
		}
	})
}

// TestNeni28_FeeAmountsAreReadWholeOrRefused: the fee paid (Neni 28) is
// read in whole lekë; an amount that is not one is refused, never
// silently multiplied or zeroed.
func TestNeni28_FeeAmountsAreReadWholeOrRefused(t *testing.T) {
	for in, want := range map[string]int{"": 0, "1000": 1000, "1 000": 1000, "1.000": 1000, "1.000,00": 1000, "2500.00": 2500, "12.500": 12500, "5.000,00": 5000} {
		if got, err := ParseAmount(in); err != nil || got != want {
			t.Errorf("%q: %d %v, want %d", in, got, err, want)
		}
	}
	for _, bad := range []string{"2500.50", "10,5", "1.00.0", "mijë", "-500", "1..000"} {
		if got, err := ParseAmount(bad); err == nil {
			t.Errorf("%q read as %d", bad, got)
		}
	}
}
