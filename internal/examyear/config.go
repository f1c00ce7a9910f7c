// Package examyear keeps every exam year as a configuration stored as data,
// not code: the subjects, the calendar of deadlines, the exam days, the
// staffing ratios, the fees, the points-to-grade tables and the retention
// rules. Default2009 is the profile of the regulation in force from school
// year 2008–2009 (Neni 66); each new year is copied from an earlier one,
// shifted by ForYear, and then edited by AVA.
package examyear

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Subject kinds (Neni 14.1, 17): the two mandatory exams and the electives.
const (
	KindD1       = "D1" // first mandatory exam (2009: Albanian language and literature)
	KindD2       = "D2" // second mandatory exam (2009: mathematics)
	KindElective = "Z"  // elective exam, Z1 or Z2
)

// Grades (Neni 57.1): points convert to a grade from 4 to 10; 4 fails.
const (
	MinGrade  = 4
	PassGrade = 5
	MaxGrade  = 10
)

// Calendar keys used by the Default2009 calendar. Packages that enforce a
// deadline call Config.CheckDeadline with one of these.
const (
	KeyFormsApproved       = "forms_approved"       // Neni 20.1–20.2
	KeyKMSHFormed          = "kmsh_formed"          // Neni 9 ¶1
	KeyKSHMSHFormed        = "kshmsh_formed"        // Neni 11
	KeyFormsToSchools      = "forms_to_schools"     // Neni 20.3
	KeyA1                  = "a1_due"               // Neni 22 ¶1
	KeyTableT              = "table_t"              // Neni 22 ¶2
	KeyFormsToKMSH         = "forms_to_kmsh"        // Neni 22 ¶3
	KeyListsToAVA          = "lists_to_ava"         // Neni 22 ¶4
	KeyA2FormApproved      = "a2_form_approved"     // Neni 21.1–21.2
	KeyAbroadDocuments     = "abroad_documents"     // Neni 33.3
	KeyVenueInspection     = "venue_inspection"     // Neni 37
	KeyAbroadGrades        = "abroad_grades"        // Neni 33.5
	KeyRegistrationNumbers = "registration_numbers" // Neni 34 ¶3
	KeyNotices             = "notices_to_schools"   // Neni 34 ¶4
	KeyAbroadA1            = "abroad_a1_to_ava"     // Neni 33.6
	KeyVenueLists          = "venue_lists"          // Neni 41 ¶1
	KeyCorrectionsToKMSH   = "corrections_to_kmsh"  // Neni 34 ¶5
	KeyCorrectionsToAVA    = "corrections_to_ava"   // Neni 34 ¶5
	KeySchoolYearEnd       = "school_year_end"      // Neni 13, 35
	KeyFailingToKMSH       = "failing_to_kmsh"      // Neni 35 ¶1–2
	KeyFailingToAVA        = "failing_to_ava"       // Neni 35 ¶3
	KeyA2                  = "a2_due"               // Neni 21 ¶2
	KeyA2ToKMSH            = "a2_to_kmsh"           // Neni 32
	KeyA2ToMASH            = "a2_to_mash"           // Neni 32
	KeySession2Lists       = "session2_lists"       // Neni 58 ¶1
)

// Config is one exam year.
type Config struct {
	// SchoolYear is the label of the school year, e.g. "2026–2027".
	SchoolYear string    `json:"school_year"`
	Subjects   []Subject `json:"subjects"`
	// ElectiveCount is how many electives a candidate sits, Z1 and Z2
	// (Neni 17).
	ElectiveCount int `json:"elective_count"`
	// MaxProgrammes is how many study programmes a candidate may rank on
	// form A2 (Neni 21.1).
	MaxProgrammes int          `json:"max_programmes"`
	Calendar      []Deadline   `json:"calendar"`
	Exams         []ExamDay    `json:"exams"`
	Staffing      Staffing     `json:"staffing"`
	Fees          Fees         `json:"fees"`
	GradeTables   []GradeTable `json:"grade_tables"`
	Retention     Retention    `json:"retention"`
	// ResultsWithinDays: results are published no later than this many
	// days after each exam (Neni 57.19).
	ResultsWithinDays int `json:"results_within_days"`
	// RemarkRequestDays: a re-marking request is filed within this many
	// days of the results (Neni 64 ¶1).
	RemarkRequestDays int `json:"remark_request_days"`
}

// Subject is an exam subject of the year.
type Subject struct {
	Code      string `json:"code"`
	Name      string `json:"name"` // Albanian
	Kind      string `json:"kind"` // KindD1, KindD2 or KindElective
	MaxPoints int    `json:"max_points"`
}

// Deadline is one dated step of the calendar. Date is the last day on
// which the step may be done; From, when set, is the first (a period such
// as the 11–24 March filling of table T, Neni 22 ¶2).
type Deadline struct {
	Key     string `json:"key"`
	Name    string `json:"name"` // Albanian
	From    string `json:"from,omitempty"`
	Date    string `json:"date"`    // YYYY-MM-DD
	Article string `json:"article"` // e.g. "Neni 22 ¶1"
}

// ExamDay is the day of one exam (Neni 14–16).
type ExamDay struct {
	Code    string `json:"code"` // KindD1, KindD2 or KindElective
	Date    string `json:"date"` // YYYY-MM-DD
	Start   string `json:"start"`
	Session int    `json:"session"` // 1, or 2 for the retakes (Neni 16 ¶2, 58)
	// Minutes is how long the exam lasts; 0 means DefaultMinutes.
	Minutes int `json:"minutes,omitempty"`
	// Subjects, on an elective sitting (Code KindElective), names the
	// electives sat at it (Neni 14.3: all on one day, at sittings that do
	// not overlap). An elective sitting without subjects holds every
	// elective no other sitting names, so a configuration written before
	// sittings (one elective day) still reads, as one sitting.
	Subjects []string `json:"subjects,omitempty"`
}

// Staffing holds the ratios of exam staff and the times of the draw.
type Staffing struct {
	// APRoomOver: rooms with more than this many students get exam
	// administrators, one per StudentsPerAPMin–StudentsPerAPMax (Neni 47.1).
	APRoomOver       int `json:"ap_room_over"`
	StudentsPerAPMin int `json:"students_per_ap_min"`
	StudentsPerAPMax int `json:"students_per_ap_max"`
	// ASVenueOver: venues with more than this many candidates get
	// anonymisation administrators, one per CandidatesPerASMin–Max
	// (Neni 51.1).
	ASVenueOver        int `json:"as_venue_over"`
	CandidatesPerASMin int `json:"candidates_per_as_min"`
	CandidatesPerASMax int `json:"candidates_per_as_max"`
	// DrawHoursBefore: the draw of staff and venues takes place this many
	// hours before the exam starts (Neni 10.9, 44 ¶2, 47.5).
	DrawHoursBefore int `json:"draw_hours_before"`
	// MaterialsHoursBefore: the PAP collects the materials this many hours
	// before the exam starts (Neni 44 ¶1).
	MaterialsHoursBefore int `json:"materials_hours_before"`
}

// Fees in lekë. The regulation leaves the amounts to MASH (Neni 26.1, 28,
// 64 ¶1); Default2009 uses illustrative amounts.
type Fees struct {
	A2            int `json:"a2"`             // State Matura fee paid before A2 (Neni 28–30)
	Remarking     int `json:"remarking"`      // re-marking request (Neni 64 ¶1)
	ElectiveResit int `json:"elective_resit"` // optional elective resit (Neni 26.1)
}

// GradeTable converts points to grades for one subject, or for every
// subject without a table of its own when Subject is "" (Neni 57.1).
type GradeTable struct {
	Subject string `json:"subject"`
	Bands   []Band `json:"bands"` // ascending MinPoints, first at 0
}

// Band: from MinPoints points up to the next band's MinPoints, the grade
// is Grade.
type Band struct {
	MinPoints int `json:"min_points"`
	Grade     int `json:"grade"`
}

// Retention of the completed booklets (Neni 65, Neni 6.10), as month-day
// "MM-DD": secret in AVA's archive until BookletsSecretUntil of the exam
// year, destroyed after DestroyAfter of the next year.
type Retention struct {
	BookletsSecretUntil string `json:"booklets_secret_until"`
	DestroyAfter        string `json:"destroy_after"`
}

// Default2009 returns the profile of the 2008–2009 regulation: the
// subjects, the calendar of Neni 9–41 with the dates of 2009, and the exam
// days of June 2009 with the second session.
func Default2009() Config {
	return Config{
		SchoolYear: "2008–2009",
		Subjects: []Subject{
			{"GJSH", "Gjuhë shqipe dhe letërsi", KindD1, 60},
			{"MAT", "Matematikë", KindD2, 50},
			{"FIZ", "Fizikë", KindElective, 50},
			{"KIM", "Kimi", KindElective, 50},
			{"BIO", "Biologji", KindElective, 50},
			{"HIS", "Histori", KindElective, 50},
			{"GJE", "Gjeografi", KindElective, 50},
			{"ANG", "Gjuhë angleze", KindElective, 50},
			{"FRE", "Gjuhë frënge", KindElective, 50},
			{"ITA", "Gjuhë italiane", KindElective, 50},
			{"GJER", "Gjuhë gjermane", KindElective, 50},
			{"EKO", "Ekonomi", KindElective, 50},
			{"FIL", "Filozofi", KindElective, 50},
			{"SOC", "Sociologji", KindElective, 50},
			{"INF", "Informatikë", KindElective, 50},
		},
		ElectiveCount: 2,
		MaxProgrammes: 10,
		Calendar: []Deadline{
			{Key: KeyFormsApproved, Name: "Miratimi i formularëve A1, A1z dhe i udhëzuesve nga MASH", Date: "2009-02-11", Article: "Neni 20.1–20.2"},
			{Key: KeyKMSHFormed, Name: "Ngritja e KMSH-së pranë DAR/ZA", Date: "2009-02-13", Article: "Neni 9 ¶1"},
			{Key: KeyKSHMSHFormed, Name: "Ngritja e KSHMSH-së në shkollë", Date: "2009-02-17", Article: "Neni 11"},
			{Key: KeyFormsToSchools, Name: "Dërgimi i formularëve A1, A1z dhe i modelit të tabelës T në KSHMSH", Date: "2009-02-20", Article: "Neni 20.3"},
			{Key: KeyA1, Name: "Dorëzimi i formularëve A1/A1z", Date: "2009-03-10", Article: "Neni 22 ¶1"},
			{Key: KeyTableT, Name: "Plotësimi i tabelës T", From: "2009-03-11", Date: "2009-03-24", Article: "Neni 22 ¶2"},
			{Key: KeyFormsToKMSH, Name: "Dërgimi i formularëve A1/A1z dhe i tabelës T në KMSH", Date: "2009-03-25", Article: "Neni 22 ¶3"},
			{Key: KeyListsToAVA, Name: "Dërgimi i listave të kandidatëve nga KMSH në AVA", Date: "2009-03-31", Article: "Neni 22 ¶4"},
			{Key: KeyA2FormApproved, Name: "Miratimi i formularit A2 dhe i udhëzuesit nga MASH", Date: "2009-04-01", Article: "Neni 21.1–21.2"},
			{Key: KeyAbroadDocuments, Name: "Paraqitja e dokumenteve të nxënësve me arsim të mesëm jashtë shtetit", From: "2009-04-01", Date: "2009-04-15", Article: "Neni 33.3"},
			// Two months before the first exam (Neni 37).
			{Key: KeyVenueInspection, Name: "Inspektimi i qendrave të provimit nga KMSH", Date: "2009-04-08", Article: "Neni 37"},
			{Key: KeyAbroadGrades, Name: "Dërgimi i notave të Komisionit të Posaçëm në KMSH", Date: "2009-04-30", Article: "Neni 33.5"},
			{Key: KeyRegistrationNumbers, Name: "Njoftimi i numrave të regjistrimit nga AVA në KMSH", Date: "2009-05-02", Article: "Neni 34 ¶3"},
			{Key: KeyNotices, Name: "Dërgimi i njoftimeve nga KMSH në KSHMSH", Date: "2009-05-05", Article: "Neni 34 ¶4"},
			{Key: KeyAbroadA1, Name: "Dorëzimi në AVA i formularëve A1 të nxënësve me arsim jashtë shtetit", Date: "2009-05-05", Article: "Neni 33.6"},
			{Key: KeyVenueLists, Name: "Dërgimi i listës së qendrave të provimit", Date: "2009-05-10", Article: "Neni 41 ¶1"},
			{Key: KeyCorrectionsToKMSH, Name: "Dërgimi i reklamimeve nga KSHMSH në KMSH", Date: "2009-05-10", Article: "Neni 34 ¶5"},
			{Key: KeyCorrectionsToAVA, Name: "Dërgimi i reklamimeve nga KMSH në AVA", Date: "2009-05-15", Article: "Neni 34 ¶5"},
			// The regulation does not date the end of the final year; 27 May
			// is an assumption, and the two Neni 35 steps follow it by 1 and
			// 2 days.
			{Key: KeySchoolYearEnd, Name: "Përfundimi i vitit shkollor për klasat përfundimtare", Date: "2009-05-27", Article: "Neni 13, 35"},
			{Key: KeyFailingToKMSH, Name: "Njoftimi i numrave të regjistrimit dhe i nxënësve mbetës nga KSHMSH", Date: "2009-05-28", Article: "Neni 35 ¶1–2"},
			{Key: KeyFailingToAVA, Name: "Njoftimi i nxënësve mbetës nga KMSH në AVA", Date: "2009-05-29", Article: "Neni 35 ¶3"},
			{Key: KeyA2, Name: "Dorëzimi i formularit A2", Date: "2009-06-30", Article: "Neni 21 ¶2"},
			{Key: KeyA2ToKMSH, Name: "Dërgimi i formularëve A2 në KMSH", Date: "2009-07-02", Article: "Neni 32"},
			{Key: KeyA2ToMASH, Name: "Dërgimi i formularëve A2 në MASH", Date: "2009-07-11", Article: "Neni 32"},
			// One month before the first exam of the second session (Neni 58).
			{Key: KeySession2Lists, Name: "Dërgimi në AVA i listës së nxënësve për sesionin e dytë", Date: "2009-09-05", Article: "Neni 58 ¶1"},
		},
		// The dates are set by the Minister each year (Neni 15); these are
		// the profile's: each mandatory exam on a day of its own (Neni
		// 14.2), the electives together on one day, once a year (Neni
		// 14.3–14.4), and the mandatory retakes of the second session after
		// the autumn school session (Neni 16 ¶2, 58). The electives' day has
		// two sittings that do not overlap, so that a candidate's two
		// electives are not at the same time (Neni 14.3, 17): the subjects
		// often chosen together (FIZ or BIO with KIM, GJE or FIL with HIS,
		// another language with ANG) are at different sittings. The
		// afternoon sitting is listed last so that the rows of the earlier
		// profile keep their places.
		Exams: []ExamDay{
			{Code: KindD1, Date: "2009-06-08", Start: "10:00", Session: 1},
			{Code: KindD2, Date: "2009-06-11", Start: "10:00", Session: 1},
			{Code: KindElective, Date: "2009-06-15", Start: "10:00", Session: 1, Minutes: DefaultMinutes,
				Subjects: []string{"KIM", "HIS", "ANG", "EKO"}},
			{Code: KindD1, Date: "2009-10-05", Start: "10:00", Session: 2},
			{Code: KindD2, Date: "2009-10-07", Start: "10:00", Session: 2},
			{Code: KindElective, Date: "2009-06-15", Start: "15:00", Session: 1, Minutes: DefaultMinutes,
				Subjects: []string{"FIZ", "BIO", "GJE", "FIL", "SOC", "FRE", "ITA", "GJER", "INF"}},
		},
		Staffing: Staffing{
			APRoomOver: 15, StudentsPerAPMin: 20, StudentsPerAPMax: 25, // Neni 47.1
			ASVenueOver: 60, CandidatesPerASMin: 60, CandidatesPerASMax: 70, // Neni 51.1
			DrawHoursBefore: 3, MaterialsHoursBefore: 2, // Neni 44, 47.5
		},
		// The regulation does not state the amounts (MASH announces them,
		// Neni 26.1, 28, 64 ¶1): these are plausible illustrative values.
		Fees: Fees{A2: 1000, Remarking: 500, ElectiveResit: 1000},
		GradeTables: []GradeTable{
			{Subject: "", Bands: []Band{{0, 4}, {10, 5}, {18, 6}, {25, 7}, {32, 8}, {39, 9}, {45, 10}}},
			{Subject: "GJSH", Bands: []Band{{0, 4}, {12, 5}, {22, 6}, {30, 7}, {38, 8}, {46, 9}, {54, 10}}},
		},
		// Neni 65; Neni 6.10 says 6 months, which the Neni 65 dates exceed.
		Retention:         Retention{BookletsSecretUntil: "12-31", DestroyAfter: "01-31"},
		ResultsWithinDays: 15, // Neni 57.19
		RemarkRequestDays: 4,  // Neni 64 ¶1
	}
}

// ForYear returns a copy of base, which was the configuration of baseYear,
// with every date moved by year-baseYear years and the school-year label
// moved with it. 29 February becomes 28 February in a common year. Dates
// that do not parse are copied unchanged (Validate reports them).
func ForYear(base Config, baseYear, year int) Config {
	c := base.clone()
	n := year - baseYear
	if n == 0 {
		return c
	}
	for i := range c.Calendar {
		c.Calendar[i].From = shiftDate(c.Calendar[i].From, n)
		c.Calendar[i].Date = shiftDate(c.Calendar[i].Date, n)
	}
	for i := range c.Exams {
		c.Exams[i].Date = shiftDate(c.Exams[i].Date, n)
	}
	if from, sep, to, ok := splitSchoolYear(c.SchoolYear); ok {
		c.SchoolYear = strconv.Itoa(from+n) + sep + strconv.Itoa(to+n)
	}
	return c
}

// clone copies c so that no slice is shared with it.
func (c Config) clone() Config {
	out := c
	out.Subjects = append([]Subject(nil), c.Subjects...)
	out.Calendar = append([]Deadline(nil), c.Calendar...)
	out.Exams = append([]ExamDay(nil), c.Exams...)
	for i, e := range out.Exams {
		out.Exams[i].Subjects = append([]string(nil), e.Subjects...)
	}
	out.GradeTables = make([]GradeTable, len(c.GradeTables))
	for i, t := range c.GradeTables {
		out.GradeTables[i] = GradeTable{Subject: t.Subject, Bands: append([]Band(nil), t.Bands...)}
	}
	return out
}

func shiftDate(s string, years int) string {
	d, err := parseDate(s)
	if err != nil {
		return s
	}
	y, m, day := d.Year()+years, d.Month(), d.Day()
	if m == time.February && day == 29 && !isLeap(y) {
		day = 28
	}
	return time.Date(y, m, day, 0, 0, 0, 0, time.UTC).Format(dateLayout)
}

func isLeap(y int) bool { return y%4 == 0 && (y%100 != 0 || y%400 == 0) }

// splitSchoolYear parses "2008–2009" (en dash or hyphen).
func splitSchoolYear(s string) (from int, sep string, to int, ok bool) {
	for _, sep = range []string{"–", "-"} {
		a, b, found := strings.Cut(s, sep)
		if !found {
			continue
		}
		x, err1 := strconv.Atoi(a)
		y, err2 := strconv.Atoi(b)
		if err1 == nil && err2 == nil && len(a) == 4 && len(b) == 4 {
			return x, sep, y, true
		}
	}
	return 0, "", 0, false
}

// Deadline returns the calendar step with key.
func (c Config) Deadline(key string) (Deadline, bool) {
	for _, d := range c.Calendar {
		if d.Key == key {
			return d, true
		}
	}
	return Deadline{}, false
}

// Subject returns the subject with code.
func (c Config) Subject(code string) (Subject, bool) {
	for _, s := range c.Subjects {
		if s.Code == code {
			return s, true
		}
	}
	return Subject{}, false
}

// ExamName names an exam of the year (D1, D2 or an elective's code) by
// its subject ("Gjuhë shqipe dhe letërsi"); ok is false for an exam the
// year does not hold.
func (c Config) ExamName(exam string) (string, bool) {
	for _, sub := range c.Subjects {
		switch {
		case (exam == KindD1 || exam == KindD2) && sub.Kind == exam:
			return sub.Name, true
		case sub.Code == exam && sub.Kind == KindElective:
			return sub.Name, true
		}
	}
	return "", false
}

// Electives returns the elective subjects in configuration order.
func (c Config) Electives() []Subject {
	var out []Subject
	for _, s := range c.Subjects {
		if s.Kind == KindElective {
			out = append(out, s)
		}
	}
	return out
}

// Exam returns the day of exam code (KindD1, KindD2, KindElective) in
// session (1 or 2).
func (c Config) Exam(code string, session int) (ExamDay, bool) {
	for _, e := range c.Exams {
		if e.Code == code && e.Session == session {
			return e, true
		}
	}
	return ExamDay{}, false
}

// Grade converts points in subject to a grade 4–10 with the subject's
// table, or the default table when the subject has none (Neni 57.1).
// It returns 0 when no table applies.
func (c Config) Grade(subject string, points int) int {
	t, ok := c.gradeTable(subject)
	if !ok || len(t.Bands) == 0 {
		return 0
	}
	grade := t.Bands[0].Grade
	for _, b := range t.Bands {
		if points >= b.MinPoints {
			grade = b.Grade
		}
	}
	return grade
}

func (c Config) gradeTable(subject string) (GradeTable, bool) {
	var def GradeTable
	found := false
	for _, t := range c.GradeTables {
		switch {
		case t.Subject == subject && subject != "":
			return t, true
		case t.Subject == "" && !found:
			def, found = t, true
		}
	}
	return def, found
}

// CheckDeadline returns an Invalid error naming the deadline and its date
// when now is past the end of the deadline's day in Tirana (the day itself
// is allowed until 23:59:59), or when the year has no such deadline.
func (c Config) CheckDeadline(key string, now time.Time) error {
	d, ok := c.Deadline(key)
	if !ok {
		return invalidf("Afati «%s» nuk është përcaktuar në konfigurimin e vitit %s.", key, c.SchoolYear)
	}
	day, err := parseDate(d.Date)
	if err != nil {
		return invalidf("Afati «%s» ka datë të pavlefshme «%s».", d.Name, d.Date)
	}
	end := time.Date(day.Year(), day.Month(), day.Day()+1, 0, 0, 0, 0, Tirana)
	if !now.Before(end) {
		return invalidf("Afati «%s» ka kaluar më %s.", d.Name, day.Format("02.01.2006"))
	}
	return nil
}

const dateLayout = "2006-01-02"

func parseDate(s string) (time.Time, error) {
	d, err := time.Parse(dateLayout, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("date %q: %w", s, err)
	}
	return d, nil
}
