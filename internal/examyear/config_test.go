package examyear

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"provim/internal/apperr"
)

func TestDefault2009Validates(t *testing.T) {
	if err := Default2009().Validate(); err != nil {
		t.Fatalf("Default2009 does not validate: %v\n%s", err, details(err))
	}
}

func details(err error) string {
	var e *apperr.Error
	if errors.As(err, &e) {
		return strings.Join(e.Details, "\n")
	}
	return ""
}

// The default calendar is SPEC "Default calendar" with the dates of 2009,
// each step citing its article.
func TestNeni20_41_DefaultCalendar(t *testing.T) {
	c := Default2009()
	want := []struct{ key, from, date, article string }{
		{KeyFormsApproved, "", "2009-02-11", "Neni 20.1–20.2"},
		{KeyKMSHFormed, "", "2009-02-13", "Neni 9 ¶1"},
		{KeyKSHMSHFormed, "", "2009-02-17", "Neni 11"},
		{KeyFormsToSchools, "", "2009-02-20", "Neni 20.3"},
		{KeyA1, "", "2009-03-10", "Neni 22 ¶1"},
		{KeyTableT, "2009-03-11", "2009-03-24", "Neni 22 ¶2"},
		{KeyFormsToKMSH, "", "2009-03-25", "Neni 22 ¶3"},
		{KeyListsToAVA, "", "2009-03-31", "Neni 22 ¶4"},
		{KeyA2FormApproved, "", "2009-04-01", "Neni 21.1–21.2"},
		{KeyAbroadDocuments, "2009-04-01", "2009-04-15", "Neni 33.3"},
		{KeyAbroadGrades, "", "2009-04-30", "Neni 33.5"},
		{KeyRegistrationNumbers, "", "2009-05-02", "Neni 34 ¶3"},
		{KeyNotices, "", "2009-05-05", "Neni 34 ¶4"},
		{KeyAbroadA1, "", "2009-05-05", "Neni 33.6"},
		{KeyVenueLists, "", "2009-05-10", "Neni 41 ¶1"},
		{KeyCorrectionsToKMSH, "", "2009-05-10", "Neni 34 ¶5"},
		{KeyCorrectionsToAVA, "", "2009-05-15", "Neni 34 ¶5"},
		{KeyA2, "", "2009-06-30", "Neni 21 ¶2"},
		{KeyA2ToKMSH, "", "2009-07-02", "Neni 32"},
		{KeyA2ToMASH, "", "2009-07-11", "Neni 32"},
	}
	for _, w := range want {
		d, ok := c.Deadline(w.key)
		if !ok {
			t.Errorf("deadline %s missing", w.key)
			continue
		}
		if d.From != w.from || d.Date != w.date || d.Article != w.article || d.Name == "" {
			t.Errorf("deadline %s = %+v, want from %q date %s article %s", w.key, d, w.from, w.date, w.article)
		}
	}
	if _, ok := c.Deadline("nope"); ok {
		t.Error("unknown key found")
	}
}

// Neni 35: the failing-student reports follow the end of the school year
// by 1 and 2 days; Neni 37: venues are inspected 2 months before the
// exams; Neni 58: the session-2 list is due 1 month before it.
func TestNeni35_37_58_RelativeDeadlines(t *testing.T) {
	c := Default2009()
	date := func(key string) time.Time {
		d, _ := c.Deadline(key)
		v, err := parseDate(d.Date)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	end := date(KeySchoolYearEnd)
	if !date(KeyFailingToKMSH).Equal(end.AddDate(0, 0, 1)) || !date(KeyFailingToAVA).Equal(end.AddDate(0, 0, 2)) {
		t.Error("Neni 35: failing-student reports are not 1 and 2 days after the end of the school year")
	}
	d1, _ := c.Exam(KindD1, 1)
	first, _ := parseDate(d1.Date)
	if !date(KeyVenueInspection).Equal(first.AddDate(0, -2, 0)) {
		t.Error("Neni 37: inspection is not 2 months before the first exam")
	}
	r1, _ := c.Exam(KindD1, 2)
	retake, _ := parseDate(r1.Date)
	if !date(KeySession2Lists).Equal(retake.AddDate(0, -1, 0)) {
		t.Error("Neni 58: session-2 list is not 1 month before the first retake")
	}

	late := Default2009()
	setDate(&late, KeyVenueInspection, "2009-05-01")
	setDate(&late, KeySession2Lists, "2009-09-20")
	wantProblems(t, late, "Neni 37", "Neni 58")
}

func TestNeni14_2_MandatoryExamsOnSeparateDays(t *testing.T) {
	c := Default2009()
	for _, s := range []int{1, 2} {
		d1, ok1 := c.Exam(KindD1, s)
		d2, ok2 := c.Exam(KindD2, s)
		if !ok1 || !ok2 || d1.Date == d2.Date {
			t.Errorf("session %d: D1 %v, D2 %v", s, d1, d2)
		}
	}
	same := Default2009()
	same.Exams[1].Date = same.Exams[0].Date
	wantProblems(t, same, "në të njëjtën ditë")

	withZ := Default2009()
	withZ.Exams[2].Date = withZ.Exams[0].Date
	wantProblems(t, withZ, "në të njëjtën ditë")

	missing := Default2009()
	missing.Exams = missing.Exams[1:]
	wantProblems(t, missing, "Sesioni 1 duhet të ketë saktësisht një ditë për provimin D1")
}

func TestNeni14_3_ElectivesOnOneDay(t *testing.T) {
	c := Default2009()
	days := map[string]bool{} // the electives' sittings are on one day
	for _, e := range c.Exams {
		if e.Code == KindElective {
			days[e.Date] = true
			if e.Session != 1 {
				t.Errorf("elective exam in session %d", e.Session)
			}
		}
	}
	if len(days) != 1 {
		t.Fatalf("electives on %d days, want 1", len(days))
	}
	two := Default2009()
	two.Exams = append(two.Exams, ExamDay{Code: KindElective, Date: "2009-06-17", Start: "10:00", Session: 1})
	wantProblems(t, two, "Neni 14.3–14.4")
}

func TestNeni14_4_NoElectivesInSecondSession(t *testing.T) {
	c := Default2009()
	c.Exams = append(c.Exams, ExamDay{Code: KindElective, Date: "2009-10-09", Start: "10:00", Session: 2})
	wantProblems(t, c, "Neni 14.4")
}

func TestNeni16_SecondSessionAfterFirst(t *testing.T) {
	c := Default2009()
	for _, k := range []string{KindD1, KindD2} {
		if _, ok := c.Exam(k, 2); !ok {
			t.Errorf("no %s retake in session 2", k)
		}
	}
	early := Default2009()
	early.Exams[3].Date = "2009-06-01"
	wantProblems(t, early, "Sesioni i dytë (2009-06-01) duhet të jetë pas sesionit të parë")
}

func TestNeni17_Subjects(t *testing.T) {
	c := Default2009()
	d1, d2 := 0, 0
	for _, s := range c.Subjects {
		switch s.Kind {
		case KindD1:
			d1++
			if s.Name != "Gjuhë shqipe dhe letërsi" {
				t.Errorf("D1 = %q", s.Name)
			}
		case KindD2:
			d2++
			if s.Name != "Matematikë" {
				t.Errorf("D2 = %q", s.Name)
			}
		}
	}
	if d1 != 1 || d2 != 1 || c.ElectiveCount != 2 || len(c.Electives()) < 10 {
		t.Errorf("d1=%d d2=%d electiveCount=%d electives=%d", d1, d2, c.ElectiveCount, len(c.Electives()))
	}
	if s, ok := c.Subject("FRE"); !ok || s.Name != "Gjuhë frënge" || s.Kind != KindElective {
		t.Errorf("Subject(FRE) = %+v, %v", s, ok)
	}
	if _, ok := c.Subject("XXX"); ok {
		t.Error("unknown subject found")
	}
	for _, e := range c.Electives() {
		if e.Kind != KindElective {
			t.Errorf("Electives returned %+v", e)
		}
	}
}

func TestNeni47_51_StaffingRatios(t *testing.T) {
	s := Default2009().Staffing
	want := Staffing{APRoomOver: 15, StudentsPerAPMin: 20, StudentsPerAPMax: 25,
		ASVenueOver: 60, CandidatesPerASMin: 60, CandidatesPerASMax: 70, DrawHoursBefore: 3, MaterialsHoursBefore: 2}
	if s != want {
		t.Errorf("staffing = %+v", s)
	}
}

func TestNeni57_1_PointsToGrade(t *testing.T) {
	c := Default2009()
	cases := []struct {
		subject string
		points  int
		want    int
	}{
		{"MAT", 0, 4}, {"MAT", 9, 4}, {"MAT", 10, 5}, {"MAT", 24, 6}, {"MAT", 25, 7},
		{"MAT", 44, 9}, {"MAT", 45, 10}, {"MAT", 50, 10}, {"MAT", -3, 4},
		{"FIZ", 10, 5},  // default table
		{"GJSH", 10, 4}, // own table
		{"GJSH", 12, 5},
		{"GJSH", 60, 10},
		{"", 32, 8},
	}
	for _, tc := range cases {
		if got := c.Grade(tc.subject, tc.points); got != tc.want {
			t.Errorf("Grade(%s, %d) = %d, want %d", tc.subject, tc.points, got, tc.want)
		}
	}
	if got := (Config{}).Grade("MAT", 30); got != 0 {
		t.Errorf("no table: %d", got)
	}
	// Every subject reaches every grade 4–10 and the pass grade is 5.
	for _, s := range c.Subjects {
		if c.Grade(s.Code, 0) != MinGrade || c.Grade(s.Code, s.MaxPoints) != MaxGrade {
			t.Errorf("%s: 0 → %d, max → %d", s.Code, c.Grade(s.Code, 0), c.Grade(s.Code, s.MaxPoints))
		}
	}
}

func TestNeni65_RetentionAndOtherPeriods(t *testing.T) {
	c := Default2009()
	if c.Retention != (Retention{BookletsSecretUntil: "12-31", DestroyAfter: "01-31"}) {
		t.Errorf("retention = %+v", c.Retention)
	}
	if c.ResultsWithinDays != 15 || c.RemarkRequestDays != 4 || c.MaxProgrammes != 10 {
		t.Errorf("results %d, remark %d, programmes %d", c.ResultsWithinDays, c.RemarkRequestDays, c.MaxProgrammes)
	}
	bad := Default2009()
	bad.Retention.DestroyAfter = "02-30"
	wantProblems(t, bad, "Asgjësimi i test-broshurave: data «02-30»")
}

// setDate sets the date of the deadline with key.
func setDate(c *Config, key, date string) {
	for i := range c.Calendar {
		if c.Calendar[i].Key == key {
			c.Calendar[i].Date = date
		}
	}
}

// wantProblems asserts that c is invalid and that every fragment occurs in
// some problem.
func wantProblems(t *testing.T, c Config, fragments ...string) {
	t.Helper()
	err := c.Validate()
	var e *apperr.Error
	if !errors.As(err, &e) || e.Code != apperr.Invalid {
		t.Fatalf("Validate = %v, want an Invalid *apperr.Error", err)
	}
	all := strings.Join(e.Details, "\n")
	for _, f := range fragments {
		if !strings.Contains(all, f) {
			t.Errorf("no problem mentions %q; problems:\n%s", f, all)
		}
	}
}

func TestValidateCatchesEachProblem(t *testing.T) {
	cases := []struct {
		name   string
		change func(c *Config)
		want   string
	}{
		{"duplicate subject", func(c *Config) { c.Subjects[3].Code = "FIZ" }, "Kodi i lëndës «FIZ» përsëritet"},
		{"subject without code", func(c *Config) { c.Subjects[3].Code = "" }, "nuk ka kod"},
		{"subject without name", func(c *Config) { c.Subjects[3].Name = "" }, "Lënda KIM nuk ka emër"},
		{"bad kind", func(c *Config) { c.Subjects[3].Kind = "X" }, "ka llojin «X»"},
		{"max points", func(c *Config) { c.Subjects[3].MaxPoints = 0 }, "pikë maksimale më shumë se 0"},
		{"two D1", func(c *Config) { c.Subjects[1].Kind = KindD1 }, "saktësisht një lëndë e detyruar D1"},
		{"no D2", func(c *Config) { c.Subjects[1].Kind = KindElective }, "saktësisht një lëndë e detyruar D2"},
		{"too few electives", func(c *Config) { c.Subjects = c.Subjects[:3] }, "Duhen të paktën 2 lëndë me zgjedhje"},
		{"elective count", func(c *Config) { c.ElectiveCount = 0 }, "të paktën 1 (Neni 17)"},
		{"max programmes", func(c *Config) { c.MaxProgrammes = 0 }, "formularin A2"},
		{"school year label", func(c *Config) { c.SchoolYear = "2009" }, "Viti shkollor «2009»"},
		{"school year gap", func(c *Config) { c.SchoolYear = "2007–2009" }, "të njëpasnjëshme"},
		{"bad date", func(c *Config) { setDate(c, KeyA1, "2009-02-30") }, "datë të pavlefshme «2009-02-30»"},
		{"bad from", func(c *Config) { c.Calendar[5].From = "11.03.2009" }, "datë fillimi të pavlefshme"},
		{"from after date", func(c *Config) { c.Calendar[5].From = "2009-03-25" }, "fillon (2009-03-25) pas përfundimit"},
		{"wrong year", func(c *Config) { setDate(c, KeyA2ToMASH, "2010-07-11") }, "nuk është në vitin 2009"},
		{"duplicate key", func(c *Config) { c.Calendar[1].Key = KeyFormsApproved }, "Çelësi i afatit «forms_approved» përsëritet"},
		{"empty key", func(c *Config) { c.Calendar[0].Key = "" }, "nuk ka çelës"},
		{"missing required", func(c *Config) { c.Calendar = c.Calendar[1:] }, "Mungon afati i detyrueshëm «forms_approved» (Neni 20.1–20.2)"},
		{"A1 after table T (Neni 22)", func(c *Config) { setDate(c, KeyA1, "2009-03-12") }, "sipas Neni 22 ¶2"},
		{"A2 to MASH before KMSH (Neni 32)", func(c *Config) { setDate(c, KeyA2ToMASH, "2009-07-01") }, "sipas Neni 32"},
		{"corrections order (Neni 34)", func(c *Config) { setDate(c, KeyCorrectionsToAVA, "2009-05-09") }, "sipas Neni 34 ¶5"},
		{"venue lists after exams (Neni 41)", func(c *Config) { setDate(c, KeyVenueLists, "2009-06-08") }, "sipas Neni 41"},
		{"exams before school ends (Neni 13)", func(c *Config) { setDate(c, KeySchoolYearEnd, "2009-06-09") }, "sipas Neni 13"},
		{"bad exam code", func(c *Config) { c.Exams[0].Code = "D3" }, "kodin «D3»"},
		{"bad session", func(c *Config) { c.Exams[0].Session = 3 }, "sesionin 3"},
		{"bad exam date", func(c *Config) { c.Exams[0].Date = "8 qershor" }, "Provimi D1 i sesionit 1 ka datë të pavlefshme"},
		{"bad start", func(c *Config) { c.Exams[0].Start = "25:00" }, "orë fillimi të pavlefshme «25:00»"},
		{"AP ratio", func(c *Config) { c.Staffing.StudentsPerAPMin = 30 }, "minimumi 30 është më i madh se maksimumi 25 (Neni 47.1)"},
		{"AS ratio", func(c *Config) { c.Staffing.CandidatesPerASMax = 50 }, "(Neni 51.1)"},
		{"zero ratio", func(c *Config) { c.Staffing.APRoomOver = 0 }, "duhet të jetë më shumë se 0 (Neni 47.1)"},
		{"draw after materials", func(c *Config) { c.Staffing.DrawHoursBefore = 2 }, "Shorti (2 orë para provimit)"},
		{"negative fee", func(c *Config) { c.Fees.Remarking = -1 }, "Tarifa e rivlerësimit nuk mund të jetë negative"},
		{"bands not ascending", func(c *Config) { c.GradeTables[0].Bands[3].MinPoints = 18 }, "kufijtë e pikëve duhet të jenë rritës (18 pas 18)"},
		{"grades not ascending", func(c *Config) { c.GradeTables[0].Bands[3].Grade = 6 }, "notat duhet të jenë rritëse"},
		{"grade outside 4–10", func(c *Config) { c.GradeTables[0].Bands[6].Grade = 11 }, "nota 11 është jashtë shkallës 4–10"},
		{"table not from 0", func(c *Config) { c.GradeTables[0].Bands[0].MinPoints = 1 }, "duhet të fillojë nga 0 pikë"},
		{"table not from grade 4", func(c *Config) { c.GradeTables[0].Bands = c.GradeTables[0].Bands[1:] }, "duhet të fillojë me notën 4"},
		{"top grade unreachable", func(c *Config) { c.GradeTables[0].Bands[6].MinPoints = 51 }, "Lënda MAT ka 50 pikë maksimale"},
		{"top grade missing", func(c *Config) { c.GradeTables[0].Bands = c.GradeTables[0].Bands[:6] }, "duhet të arrijë notën 10"},
		{"table for unknown subject", func(c *Config) { c.GradeTables[1].Subject = "XXX" }, "lëndës së panjohur «XXX»"},
		{"no default table", func(c *Config) { c.GradeTables = c.GradeTables[1:] }, "Mungon tabela e paracaktuar"},
		{"duplicate table", func(c *Config) { c.GradeTables[1].Subject = "" }, "Tabela e paracaktuar e notave përsëritet"},
		{"results days", func(c *Config) { c.ResultsWithinDays = 0 }, "Neni 57.19"},
		{"remark days", func(c *Config) { c.RemarkRequestDays = 0 }, "Neni 64"},
		{"retention", func(c *Config) { c.Retention.BookletsSecretUntil = "31.12" }, "Ruajtja si sekret"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := Default2009()
			tc.change(&c)
			wantProblems(t, c, tc.want)
		})
	}
}

func TestValidateListsEveryProblem(t *testing.T) {
	c := Default2009()
	c.Subjects[3].Code = "FIZ"
	c.Staffing.StudentsPerAPMin = 30
	c.GradeTables[0].Bands[6].Grade = 11
	setDate(&c, KeyA2ToMASH, "2009-07-01")
	err := c.Validate()
	var e *apperr.Error
	if !errors.As(err, &e) || len(e.Details) != 4 {
		t.Fatalf("want 4 problems, got %v: %q", err, details(err))
	}
	if !strings.Contains(e.Message, "4 probleme") {
		t.Errorf("message %q", e.Message)
	}
}

func TestForYearShiftsAllDates(t *testing.T) {
	base := Default2009()
	orig := Default2009()
	c := ForYear(base, 2009, 2027)
	if c.SchoolYear != "2026–2027" {
		t.Errorf("school year %q", c.SchoolYear)
	}
	if err := c.Validate(); err != nil {
		t.Fatalf("shifted config invalid: %v\n%s", err, details(err))
	}
	for i, d := range c.Calendar {
		b := base.Calendar[i]
		if d.Date != "2027"+b.Date[4:] || (b.From != "" && d.From != "2027"+b.From[4:]) || d.Key != b.Key {
			t.Errorf("calendar %s: %+v from %+v", d.Key, d, b)
		}
	}
	for i, e := range c.Exams {
		if e.Date != "2027"+base.Exams[i].Date[4:] {
			t.Errorf("exam %+v from %+v", e, base.Exams[i])
		}
	}
	if !reflect.DeepEqual(base, orig) {
		t.Error("ForYear changed its argument")
	}
	// The copy shares nothing with base.
	c.Subjects[0].Name = "x"
	c.GradeTables[0].Bands[0].Grade = 9
	c.Calendar[0].Name = "x"
	if !reflect.DeepEqual(base, orig) {
		t.Error("the copy shares memory with base")
	}
	// And back again.
	if back := ForYear(c, 2027, 2009); back.Calendar[4].Date != "2009-03-10" || back.SchoolYear != "2008–2009" {
		t.Errorf("back: %+v", back.Calendar[4])
	}
}

func TestForYearLeapDay(t *testing.T) {
	c := Config{SchoolYear: "2023-2024", Calendar: []Deadline{{Key: "x", Date: "2024-02-29", From: "2024-02-28"}},
		Exams: []ExamDay{{Code: KindD1, Date: "2024-02-29"}}}
	for _, tc := range []struct {
		year int
		want string
	}{{2025, "2025-02-28"}, {2028, "2028-02-29"}, {2100, "2100-02-28"}, {2000, "2000-02-29"}} {
		got := ForYear(c, 2024, tc.year)
		if got.Calendar[0].Date != tc.want || got.Exams[0].Date != tc.want {
			t.Errorf("ForYear(%d) = %s / %s, want %s", tc.year, got.Calendar[0].Date, got.Exams[0].Date, tc.want)
		}
	}
	if got := ForYear(c, 2024, 2025); got.SchoolYear != "2024-2025" || got.Calendar[0].From != "2025-02-28" {
		t.Errorf("label %q from %q", got.SchoolYear, got.Calendar[0].From)
	}
	bad := Config{Calendar: []Deadline{{Key: "x", Date: "n/a"}}}
	if got := ForYear(bad, 2024, 2025); got.Calendar[0].Date != "n/a" {
		t.Errorf("invalid date changed to %q", got.Calendar[0].Date)
	}
}

func tiranaTime(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := time.ParseInLocation("2006-01-02 15:04:05.999999999", s, Tirana)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func wantDeadline(t *testing.T, err error, ok bool, msg string) {
	t.Helper()
	if ok {
		if err != nil {
			t.Errorf("refused: %v", err)
		}
		return
	}
	if !apperr.Is(err, apperr.Invalid) || apperr.MessageOf(err) != msg {
		t.Errorf("got %v, want Invalid %q", err, msg)
	}
}

// Neni 22 ¶1: A1/A1z by 10 March, to the end of that day in Tirana.
func TestNeni22_A1Deadline(t *testing.T) {
	c := ForYear(Default2009(), 2009, 2027)
	msg := "Afati «Dorëzimi i formularëve A1/A1z» ka kaluar më 10.03.2027."
	for _, tc := range []struct {
		at string
		ok bool
	}{
		{"2027-02-01 09:00:00", true},
		{"2027-03-10 00:00:00", true},
		{"2027-03-10 23:59:59", true},
		{"2027-03-10 23:59:59.999999999", true},
		{"2027-03-11 00:00:00", false},
		{"2027-06-01 12:00:00", false},
	} {
		wantDeadline(t, c.CheckDeadline(KeyA1, tiranaTime(t, tc.at)), tc.ok, msg)
	}
	// The instant is what counts, whatever zone the caller's clock is in:
	// 23:30 UTC on 10 March is already 00:30 on 11 March in Tirana (+01:00).
	wantDeadline(t, c.CheckDeadline(KeyA1, time.Date(2027, 3, 10, 22, 59, 59, 0, time.UTC)), true, msg)
	wantDeadline(t, c.CheckDeadline(KeyA1, time.Date(2027, 3, 10, 23, 0, 0, 0, time.UTC)), false, msg)
}

// Neni 21 ¶2: A2 by 30 June; Tirana is on summer time (+02:00) then.
func TestNeni21_A2DeadlineSummerTime(t *testing.T) {
	c := Default2009()
	msg := "Afati «Dorëzimi i formularit A2» ka kaluar më 30.06.2009."
	wantDeadline(t, c.CheckDeadline(KeyA2, tiranaTime(t, "2009-06-30 23:59:59")), true, msg)
	wantDeadline(t, c.CheckDeadline(KeyA2, tiranaTime(t, "2009-07-01 00:00:00")), false, msg)
	wantDeadline(t, c.CheckDeadline(KeyA2, time.Date(2009, 6, 30, 21, 59, 59, 0, time.UTC)), true, msg)
	wantDeadline(t, c.CheckDeadline(KeyA2, time.Date(2009, 6, 30, 22, 0, 0, 0, time.UTC)), false, msg)
}

func TestCheckDeadlineUnknownOrBad(t *testing.T) {
	c := Default2009()
	if err := c.CheckDeadline("nope", time.Now()); !apperr.Is(err, apperr.Invalid) || !strings.Contains(apperr.MessageOf(err), "nuk është përcaktuar") {
		t.Errorf("unknown key: %v", err)
	}
	setDate(&c, KeyA1, "x")
	if err := c.CheckDeadline(KeyA1, time.Now()); !apperr.Is(err, apperr.Invalid) {
		t.Errorf("bad date: %v", err)
	}
}

func TestTiranaZoneLoaded(t *testing.T) {
	if Tirana.String() != "Europe/Tirane" {
		t.Errorf("zone %s", Tirana)
	}
}
