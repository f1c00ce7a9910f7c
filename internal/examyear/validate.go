package examyear

import (
	"fmt"
	"regexp"
	"time"

	"provim/internal/apperr"
)

// requiredDeadlines are the steps the regulation dates (SPEC "Default
// calendar"); a year may add others but may not drop these.
var requiredDeadlines = []struct{ key, article string }{
	{KeyFormsApproved, "Neni 20.1–20.2"},
	{KeyKMSHFormed, "Neni 9 ¶1"},
	{KeyKSHMSHFormed, "Neni 11"},
	{KeyFormsToSchools, "Neni 20.3"},
	{KeyA1, "Neni 22 ¶1"},
	{KeyTableT, "Neni 22 ¶2"},
	{KeyFormsToKMSH, "Neni 22 ¶3"},
	{KeyListsToAVA, "Neni 22 ¶4"},
	{KeyA2FormApproved, "Neni 21.1–21.2"},
	{KeyRegistrationNumbers, "Neni 34 ¶3"},
	{KeyNotices, "Neni 34 ¶4"},
	{KeyVenueLists, "Neni 41 ¶1"},
	{KeyCorrectionsToKMSH, "Neni 34 ¶5"},
	{KeyCorrectionsToAVA, "Neni 34 ¶5"},
	{KeyA2, "Neni 21 ¶2"},
	{KeyA2ToKMSH, "Neni 32"},
	{KeyA2ToMASH, "Neni 32"},
}

// calendarOrder lists the pairs whose order the regulation fixes: step
// before ends no later than step after starts. Pairs with a step missing
// are skipped (requiredDeadlines reports the missing ones).
var calendarOrder = []struct{ before, after, article string }{
	{KeyFormsApproved, KeyFormsToSchools, "Neni 20"},
	{KeyKMSHFormed, KeyKSHMSHFormed, "Neni 10.1"},
	{KeyKMSHFormed, KeyFormsToSchools, "Neni 20.3"},
	{KeyFormsToSchools, KeyA1, "Neni 20.3, 22"},
	{KeyA1, KeyTableT, "Neni 22 ¶2"},
	{KeyTableT, KeyFormsToKMSH, "Neni 22 ¶3"},
	{KeyFormsToKMSH, KeyListsToAVA, "Neni 22 ¶4"},
	{KeyListsToAVA, KeyRegistrationNumbers, "Neni 34"},
	{KeyRegistrationNumbers, KeyNotices, "Neni 34 ¶4"},
	{KeyNotices, KeyCorrectionsToKMSH, "Neni 34 ¶5"},
	{KeyCorrectionsToKMSH, KeyCorrectionsToAVA, "Neni 34 ¶5"},
	{KeyA2FormApproved, KeyA2, "Neni 21"},
	{KeyA2, KeyA2ToKMSH, "Neni 32"},
	{KeyA2ToKMSH, KeyA2ToMASH, "Neni 32"},
	{KeyFeePayment, KeyA2, "Neni 28"}, // the fee is paid before A2 is handed in
	{KeyAbroadDocuments, KeyAbroadGrades, "Neni 33.5"},
	{KeyAbroadGrades, KeyAbroadA1, "Neni 33.6"},
	{KeySchoolYearEnd, KeyFailingToKMSH, "Neni 35"},
	{KeyFailingToKMSH, KeyFailingToAVA, "Neni 35"},
}

// beforeExams lists steps that must end a number of months before the
// first exam of a session (0: before the exam day itself).
var beforeExams = []struct {
	key     string
	session int
	months  int
	article string
}{
	{KeySchoolYearEnd, 1, 0, "Neni 13"},
	{KeyVenueInspection, 1, 2, "Neni 37"},
	{KeyVenueLists, 1, 0, "Neni 41"},
	{KeyFailingToAVA, 1, 0, "Neni 35–36"},
	{KeySession2Lists, 2, 1, "Neni 58 ¶1"},
}

var (
	clockRE    = regexp.MustCompile(`^([01][0-9]|2[0-3]):[0-5][0-9]$`)
	monthDayRE = regexp.MustCompile(`^[0-9]{2}-[0-9]{2}$`)
)

// problems collects the Albanian descriptions of what is wrong.
type problems []string

func (ps *problems) addf(format string, args ...any) { *ps = append(*ps, fmt.Sprintf(format, args...)) }

func invalidf(format string, args ...any) *apperr.Error {
	return apperr.New(apperr.Invalid, format, args...)
}

// Validate checks the whole configuration and returns an *apperr.Error
// with code Invalid listing every problem in Details, or nil.
func (c Config) Validate() error {
	var ps problems
	c.checkSchoolYear(&ps)
	c.checkSubjects(&ps)
	c.checkCalendar(&ps)
	c.checkExams(&ps)
	c.checkSittings(&ps)
	c.checkStaffing(&ps)
	c.checkGradeTables(&ps)
	c.checkRest(&ps)
	if len(ps) == 0 {
		return nil
	}
	e := invalidf("Konfigurimi i vitit të provimeve nuk është i vlefshëm (%d probleme).", len(ps))
	if len(ps) == 1 {
		e.Message = "Konfigurimi i vitit të provimeve nuk është i vlefshëm (1 problem)."
	}
	e.Details = ps
	return e
}

// Warnings lists, in Albanian, what a configuration that Validate accepts
// still makes impossible, for the page that saves it to show. Validate
// keeps accepting these: a configuration written before sittings (one
// elective day, one sitting) must still read and validate
// (TestNeni14_3_ConfigWithoutSittingsStillReads).
func (c Config) Warnings() []string {
	var ps problems
	c.warnOneSitting(&ps)
	return ps
}

// examYear is the calendar year of the exams: the second year of the
// school-year label, 0 when the label does not parse.
func (c Config) examYear() int {
	if _, _, to, ok := splitSchoolYear(c.SchoolYear); ok {
		return to
	}
	return 0
}

func (c Config) checkSchoolYear(ps *problems) {
	from, _, to, ok := splitSchoolYear(c.SchoolYear)
	if !ok || to != from+1 {
		ps.addf("Viti shkollor «%s» duhet të jetë në trajtën «2008–2009», me dy vite të njëpasnjëshme.", c.SchoolYear)
	}
}

func (c Config) checkSubjects(ps *problems) {
	seen := map[string]bool{}
	kinds := map[string]int{}
	for i, s := range c.Subjects {
		label := s.Code
		if s.Code == "" {
			label = fmt.Sprintf("në rreshtin %d", i+1)
			ps.addf("Lënda në rreshtin %d nuk ka kod.", i+1)
		} else if seen[s.Code] {
			ps.addf("Kodi i lëndës «%s» përsëritet.", s.Code)
		}
		seen[s.Code] = true
		if s.Name == "" {
			ps.addf("Lënda %s nuk ka emër.", label)
		}
		switch s.Kind {
		case KindD1, KindD2, KindElective:
			kinds[s.Kind]++
		default:
			ps.addf("Lënda %s ka llojin «%s»; lejohen vetëm D1, D2 ose Z (Neni 14.1).", label, s.Kind)
		}
		if s.MaxPoints <= 0 {
			ps.addf("Lënda %s duhet të ketë pikë maksimale më shumë se 0.", label)
		}
	}
	for _, k := range []string{KindD1, KindD2} {
		if kinds[k] != 1 {
			ps.addf("Duhet saktësisht një lëndë e detyruar %s (Neni 14.1, 17); janë %d.", k, kinds[k])
		}
	}
	if c.ElectiveCount < 1 {
		ps.addf("Numri i provimeve me zgjedhje për kandidat duhet të jetë të paktën 1 (Neni 17); është %d.", c.ElectiveCount)
	} else if kinds[KindElective] < c.ElectiveCount {
		ps.addf("Duhen të paktën %d lëndë me zgjedhje (Neni 17); janë %d.", c.ElectiveCount, kinds[KindElective])
	}
	if c.MaxProgrammes < 1 {
		ps.addf("Numri i programeve të studimit në formularin A2 duhet të jetë të paktën 1 (Neni 21.1); është %d.", c.MaxProgrammes)
	}
}

func (c Config) checkCalendar(ps *problems) {
	year := c.examYear()
	seen := map[string]bool{}
	for i, d := range c.Calendar {
		label := d.Name
		if label == "" {
			label = d.Key
		}
		switch {
		case d.Key == "":
			ps.addf("Afati në rreshtin %d nuk ka çelës.", i+1)
		case seen[d.Key]:
			ps.addf("Çelësi i afatit «%s» përsëritet.", d.Key)
		}
		seen[d.Key] = true
		if d.Name == "" {
			ps.addf("Afati «%s» nuk ka emër.", d.Key)
		}
		end, err := parseDate(d.Date)
		if err != nil {
			ps.addf("Afati «%s» ka datë të pavlefshme «%s» (duhet VVVV-MM-DD).", label, d.Date)
		} else if year != 0 && end.Year() != year {
			ps.addf("Afati «%s» (%s) nuk është në vitin %d të provimeve.", label, d.Date, year)
		}
		if d.From != "" {
			start, err2 := parseDate(d.From)
			switch {
			case err2 != nil:
				ps.addf("Afati «%s» ka datë fillimi të pavlefshme «%s» (duhet VVVV-MM-DD).", label, d.From)
			case err == nil && start.After(end):
				ps.addf("Afati «%s» fillon (%s) pas përfundimit të tij (%s).", label, d.From, d.Date)
			}
		}
	}
	for _, r := range requiredDeadlines {
		if !seen[r.key] {
			ps.addf("Mungon afati i detyrueshëm «%s» (%s).", r.key, r.article)
		}
	}
	for _, r := range calendarOrder {
		a, okA := c.Deadline(r.before)
		b, okB := c.Deadline(r.after)
		if !okA || !okB {
			continue
		}
		end, err1 := parseDate(a.Date)
		start, err2 := parseDate(b.start())
		if err1 == nil && err2 == nil && end.After(start) {
			ps.addf("Afati «%s» (%s) duhet të jetë jo më vonë se «%s» (%s), sipas %s.", a.Name, a.Date, b.Name, b.start(), r.article)
		}
	}
}

// start is the first day of the step: From, or Date for a single day.
func (d Deadline) start() string {
	if d.From != "" {
		return d.From
	}
	return d.Date
}

func (c Config) checkStaffing(ps *problems) {
	s := c.Staffing
	for _, f := range []struct {
		name    string
		v       int
		article string
	}{
		{"Kufiri i nxënësve në sallë për administratorë provimi", s.APRoomOver, "Neni 47.1"},
		{"Minimumi i nxënësve për një AP", s.StudentsPerAPMin, "Neni 47.1"},
		{"Maksimumi i nxënësve për një AP", s.StudentsPerAPMax, "Neni 47.1"},
		{"Kufiri i kandidatëve në qendër për administratorë sekretimi", s.ASVenueOver, "Neni 51.1"},
		{"Minimumi i kandidatëve për një AS", s.CandidatesPerASMin, "Neni 51.1"},
		{"Maksimumi i kandidatëve për një AS", s.CandidatesPerASMax, "Neni 51.1"},
		{"Orët para provimit për shortin", s.DrawHoursBefore, "Neni 47.5"},
		{"Orët para provimit për tërheqjen e materialeve", s.MaterialsHoursBefore, "Neni 44"},
	} {
		if f.v <= 0 {
			ps.addf("%s duhet të jetë më shumë se 0 (%s); është %d.", f.name, f.article, f.v)
		}
	}
	if s.StudentsPerAPMin > s.StudentsPerAPMax {
		ps.addf("Nxënës për një AP: minimumi %d është më i madh se maksimumi %d (Neni 47.1).", s.StudentsPerAPMin, s.StudentsPerAPMax)
	}
	if s.CandidatesPerASMin > s.CandidatesPerASMax {
		ps.addf("Kandidatë për një AS: minimumi %d është më i madh se maksimumi %d (Neni 51.1).", s.CandidatesPerASMin, s.CandidatesPerASMax)
	}
	if s.DrawHoursBefore <= s.MaterialsHoursBefore {
		ps.addf("Shorti (%d orë para provimit) duhet të hidhet para tërheqjes së materialeve (%d orë para) (Neni 44, 47.5).", s.DrawHoursBefore, s.MaterialsHoursBefore)
	}
}

func (c Config) checkGradeTables(ps *problems) {
	seen := map[string]bool{}
	for _, t := range c.GradeTables {
		label := "e paracaktuar"
		if t.Subject != "" {
			label = "e lëndës " + t.Subject
		}
		if seen[t.Subject] {
			ps.addf("Tabela %s e notave përsëritet.", label)
			continue
		}
		seen[t.Subject] = true
		if t.Subject != "" {
			if _, ok := c.Subject(t.Subject); !ok {
				ps.addf("Tabela e notave i referohet lëndës së panjohur «%s».", t.Subject)
			}
		}
		if len(t.Bands) == 0 {
			ps.addf("Tabela %s e notave nuk ka asnjë kufi.", label)
			continue
		}
		if t.Bands[0].MinPoints != 0 {
			ps.addf("Tabela %s e notave duhet të fillojë nga 0 pikë; fillon nga %d.", label, t.Bands[0].MinPoints)
		}
		if t.Bands[0].Grade != MinGrade {
			ps.addf("Tabela %s e notave duhet të fillojë me notën %d (jokaluese); fillon me %d.", label, MinGrade, t.Bands[0].Grade)
		}
		if last := t.Bands[len(t.Bands)-1].Grade; last < MaxGrade {
			ps.addf("Tabela %s e notave duhet të arrijë notën %d; mbaron me %d.", label, MaxGrade, last)
		}
		for i, b := range t.Bands {
			if b.Grade < MinGrade || b.Grade > MaxGrade {
				ps.addf("Tabela %s e notave: nota %d është jashtë shkallës %d–%d (Neni 57.1).", label, b.Grade, MinGrade, MaxGrade)
			}
			if i == 0 {
				continue
			}
			prev := t.Bands[i-1]
			if b.MinPoints <= prev.MinPoints {
				ps.addf("Tabela %s e notave: kufijtë e pikëve duhet të jenë rritës (%d pas %d).", label, b.MinPoints, prev.MinPoints)
			}
			if b.Grade <= prev.Grade {
				ps.addf("Tabela %s e notave: notat duhet të jenë rritëse (%d pas %d).", label, b.Grade, prev.Grade)
			}
		}
	}
	if !seen[""] {
		ps.addf("Mungon tabela e paracaktuar e notave (me lëndë bosh), që vlen për lëndët pa tabelë të veçantë.")
	}
	// Every subject must be able to reach the top grade of its table.
	for _, s := range c.Subjects {
		t, ok := c.gradeTable(s.Code)
		if !ok || len(t.Bands) == 0 || s.MaxPoints <= 0 {
			continue
		}
		if top := t.Bands[len(t.Bands)-1].MinPoints; top > s.MaxPoints {
			ps.addf("Lënda %s ka %d pikë maksimale, por tabela e saj e notave kërkon %d pikë për notën më të lartë.", s.Code, s.MaxPoints, top)
		}
	}
}

func (c Config) checkRest(ps *problems) {
	f := c.Fees
	for _, x := range []struct {
		name string
		v    int
	}{{"e Maturës Shtetërore (A2)", f.A2}, {"e rivlerësimit", f.Remarking}, {"e riprovimit me zgjedhje", f.ElectiveResit}} {
		if x.v < 0 {
			ps.addf("Tarifa %s nuk mund të jetë negative (%d lekë).", x.name, x.v)
		}
	}
	for _, r := range []struct{ name, v string }{
		{"Ruajtja si sekret e test-broshurave", c.Retention.BookletsSecretUntil},
		{"Asgjësimi i test-broshurave", c.Retention.DestroyAfter},
	} {
		ok := monthDayRE.MatchString(r.v)
		if ok {
			_, err := time.Parse(dateLayout, "2000-"+r.v) // 2000 is leap: 02-29 allowed
			ok = err == nil
		}
		if !ok {
			ps.addf("%s: data «%s» duhet të jetë në trajtën MM-DD (Neni 65).", r.name, r.v)
		}
	}
	if c.ResultsWithinDays < 1 {
		ps.addf("Afati i shpalljes së rezultateve duhet të jetë të paktën 1 ditë (Neni 57.19); është %d.", c.ResultsWithinDays)
	}
	if c.RemarkRequestDays < 1 {
		ps.addf("Afati i kërkesës për rivlerësim duhet të jetë të paktën 1 ditë (Neni 64); është %d.", c.RemarkRequestDays)
	}
}
