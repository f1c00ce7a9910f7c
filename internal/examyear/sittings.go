package examyear

import (
	"fmt"
	"slices"
	"sort"
	"time"
)

// DefaultMinutes is how long an exam lasts when its day gives no Minutes.
// The regulation does not say; 150 minutes is the profile's assumption.
const DefaultMinutes = 150

// ElectiveSitting returns the sitting at which elective subject code is sat
// in session: the elective day that names it, or else the one that names no
// subjects (Neni 14.3).
func (c Config) ElectiveSitting(code string, session int) (ExamDay, bool) {
	var rest ExamDay
	found := false
	for _, e := range c.Exams {
		if e.Code != KindElective || e.Session != session {
			continue
		}
		if slices.Contains(e.Subjects, code) {
			return e, true
		}
		if len(e.Subjects) == 0 && !found {
			rest, found = e, true
		}
	}
	return rest, found
}

// ExamDayOf returns the day and time of exam in session: exam is KindD1,
// KindD2, the subject code of either, or the code of an elective (its
// sitting). KindElective alone gives the first elective sitting.
func (c Config) ExamDayOf(exam string, session int) (ExamDay, bool) {
	switch exam {
	case KindD1, KindD2, KindElective:
		return c.Exam(exam, session)
	}
	sub, ok := c.Subject(exam)
	if !ok {
		return ExamDay{}, false
	}
	if sub.Kind == KindElective {
		return c.ElectiveSitting(exam, session)
	}
	return c.Exam(sub.Kind, session)
}

// Sitting returns when exam (as ExamDayOf reads it) starts and ends in
// session, in Tirana time. ok is false when the year has no such exam or
// its date or start does not parse.
func (c Config) Sitting(exam string, session int) (start, end time.Time, ok bool) {
	e, found := c.ExamDayOf(exam, session)
	if !found {
		return time.Time{}, time.Time{}, false
	}
	return e.Span()
}

// Span returns when the exam day starts and ends, in Tirana time.
func (e ExamDay) Span() (start, end time.Time, ok bool) {
	start, err := time.ParseInLocation("2006-01-02 15:04", e.Date+" "+e.Start, Tirana)
	if err != nil {
		return time.Time{}, time.Time{}, false
	}
	return start, start.Add(time.Duration(e.Length()) * time.Minute), true
}

// Length is how many minutes the exam lasts.
func (e ExamDay) Length() int {
	if e.Minutes > 0 {
		return e.Minutes
	}
	return DefaultMinutes
}

// Overlap reports whether exams a and b of session are held at the same
// time, at least in part (an exam overlaps itself). Exams the year does not
// schedule overlap nothing.
func (c Config) Overlap(a, b string, session int) bool {
	s1, e1, ok1 := c.Sitting(a, session)
	s2, e2, ok2 := c.Sitting(b, session)
	if !ok1 || !ok2 {
		return false
	}
	return s1.Before(e2) && s2.Before(e1)
}

// SittingLabel names the sitting of exam in session for people, e.g.
// "15.06.2009 ora 10:00".
func (c Config) SittingLabel(exam string, session int) string {
	e, ok := c.ExamDayOf(exam, session)
	if !ok {
		return ""
	}
	start, _, ok := e.Span()
	if !ok {
		return e.Date + " " + e.Start
	}
	return start.Format("02.01.2006") + " ora " + e.Start
}

// checkSittings checks the sittings of the electives' day (Neni 14.3, 17):
// each names electives of the year, no elective at two sittings, every
// elective at one, a length of its own, and no two sittings at the same
// time, so that a candidate can sit both their electives.
func (c Config) checkSittings(ps *problems) {
	at := map[string]string{} // elective → the sitting that names it
	// With a subject code repeated the list of subjects is itself in
	// doubt (checkSubjects says so): the names are not checked against it.
	codes := map[string]bool{}
	unique := true
	for _, s := range c.Subjects {
		unique = unique && !codes[s.Code]
		codes[s.Code] = true
	}
	rest := 0
	var sittings []ExamDay
	for _, e := range c.Exams {
		if e.Minutes < 0 || e.Minutes > 600 {
			ps.addf("Provimi %s i sesionit %d (%s %s) ka kohëzgjatje %d minuta; lejohen 1–600 (0: %d minuta).", e.Code, e.Session, e.Date, e.Start, e.Minutes, DefaultMinutes)
		}
		if e.Code != KindElective {
			if len(e.Subjects) > 0 {
				ps.addf("Provimi %s i sesionit %d nuk ka lëndë me zgjedhje për të renditur; vetëm seancat e provimeve me zgjedhje (Z) emërtojnë lëndë.", e.Code, e.Session)
			}
			continue
		}
		if e.Session != 1 {
			continue // checkExams refuses electives in the second session (Neni 14.4)
		}
		label := "seancën e orës " + e.Start
		sittings = append(sittings, e)
		if len(e.Subjects) == 0 {
			rest++
		}
		for _, code := range e.Subjects {
			sub, ok := c.Subject(code)
			switch {
			case unique && (!ok || sub.Kind != KindElective):
				ps.addf("Në %s të provimeve me zgjedhje është «%s», që nuk është lëndë me zgjedhje e vitit (Neni 14.3).", label, code)
			case at[code] != "":
				ps.addf("Lënda me zgjedhje %s është në dy seanca (%s dhe %s); çdo lëndë ka një seancë (Neni 14.3).", code, at[code], label)
			default:
				at[code] = label
			}
		}
	}
	if rest > 1 {
		ps.addf("Vetëm një seancë e provimeve me zgjedhje mund të jetë pa lëndë të emërtuara (ajo merr lëndët e tjera); janë %d (Neni 14.3).", rest)
	}
	if rest == 0 && len(sittings) > 0 {
		for _, sub := range c.Electives() {
			if at[sub.Code] == "" {
				ps.addf("Lënda me zgjedhje %s (%s) nuk është në asnjë seancë të ditës së provimeve me zgjedhje (Neni 14.3).", sub.Code, sub.Name)
			}
		}
	}
	for i, a := range sittings {
		for _, b := range sittings[i+1:] {
			s1, e1, ok1 := a.Span()
			s2, e2, ok2 := b.Span()
			if ok1 && ok2 && s1.Before(e2) && s2.Before(e1) {
				ps.addf("Seancat e provimeve me zgjedhje të orës %s (%d minuta) dhe të orës %s mbivendosen: një kandidat me dy lëndë me zgjedhje duhet t'i japë ato në kohë të ndryshme (Neni 14.3, 17).", a.Start, a.Length(), b.Start)
			}
		}
	}
}

// warnOneSitting warns (Neni 14.3, 17) when the electives' day of the
// first session has one sitting while a candidate sits two electives: two
// electives are never at one sitting (application.CheckElectives), so
// every A1 with two electives would be refused.
func (c Config) warnOneSitting(ps *problems) {
	if c.ElectiveCount < 2 {
		return
	}
	var sittings []ExamDay
	for _, e := range c.Exams {
		if e.Code == KindElective && e.Session == 1 {
			sittings = append(sittings, e)
		}
	}
	if len(sittings) != 1 {
		return
	}
	label := sittings[0].Date + " ora " + sittings[0].Start
	if start, _, ok := sittings[0].Span(); ok {
		label = start.Format("02.01.2006") + " ora " + sittings[0].Start
	}
	ps.addf("Dita e provimeve me zgjedhje ka vetëm një seancë (%s): me një seancë asnjë kandidat nuk mund të japë dy lëndë me zgjedhje, sepse dy lëndë me zgjedhje nuk jepen kurrë në të njëjtën seancë (Neni 14.3, 17); çdo formular A1 me dy lëndë me zgjedhje do të refuzohet. Shtoni një seancë tjetër që nuk mbivendoset.", label)
}

// checkExams checks the exam days (Neni 14–16, 58): the sittings of the
// electives' day count as one day.
func (c Config) checkExams(ps *problems) {
	year := c.examYear()
	days := map[int]map[string][]string{1: {}, 2: {}} // session → code → dates
	for i, e := range c.Exams {
		label := fmt.Sprintf("%s i sesionit %d", e.Code, e.Session)
		valid := true
		switch e.Code {
		case KindD1, KindD2, KindElective:
		default:
			ps.addf("Provimi në rreshtin %d ka kodin «%s»; lejohen D1, D2 ose Z (Neni 14.1).", i+1, e.Code)
			valid = false
		}
		if e.Session != 1 && e.Session != 2 {
			ps.addf("Provimi në rreshtin %d ka sesionin %d; lejohen 1 ose 2 (Neni 16).", i+1, e.Session)
			valid = false
		}
		d, err := parseDate(e.Date)
		if err != nil {
			ps.addf("Provimi %s ka datë të pavlefshme «%s» (duhet VVVV-MM-DD).", label, e.Date)
			valid = false
		} else if year != 0 && d.Year() != year {
			ps.addf("Provimi %s (%s) nuk është në vitin %d të provimeve.", label, e.Date, year)
		}
		if !clockRE.MatchString(e.Start) {
			ps.addf("Provimi %s ka orë fillimi të pavlefshme «%s» (duhet OO:MM).", label, e.Start)
		}
		if valid && !(e.Code == KindElective && slices.Contains(days[e.Session][e.Code], e.Date)) {
			days[e.Session][e.Code] = append(days[e.Session][e.Code], e.Date)
		}
	}
	s1, s2 := days[1], days[2]
	// Neni 14.2: each mandatory exam once per session, on a day of its own.
	for _, session := range []int{1, 2} {
		for _, k := range []string{KindD1, KindD2} {
			if n := len(days[session][k]); n != 1 {
				ps.addf("Sesioni %d duhet të ketë saktësisht një ditë për provimin %s (Neni 14.2, 16); janë %d.", session, k, n)
			}
		}
		seen := map[string]string{}
		for _, k := range []string{KindD1, KindD2, KindElective} {
			for _, date := range days[session][k] {
				if other, ok := seen[date]; ok {
					ps.addf("Provimet %s dhe %s të sesionit %d janë në të njëjtën ditë (%s); çdo provim i detyruar zhvillohet në një ditë të veçantë (Neni 14.2).", other, k, session, date)
				}
				seen[date] = k
			}
		}
	}
	// Neni 14.3–14.4: the electives on one day, once a year.
	if n := len(s1[KindElective]); n != 1 {
		ps.addf("Provimet me zgjedhje zhvillohen në një ditë të vetme, një herë në vit (Neni 14.3–14.4); në sesionin 1 janë %d ditë.", n)
	}
	if n := len(s2[KindElective]); n > 0 {
		ps.addf("Provimet me zgjedhje nuk zhvillohen në sesionin e dytë (Neni 14.4).")
	}
	// Neni 16 ¶2, 58: the second session comes after the first.
	if last1, first2 := lastDate(s1), firstDate(s2); last1 != "" && first2 != "" && first2 <= last1 {
		ps.addf("Sesioni i dytë (%s) duhet të jetë pas sesionit të parë (%s) (Neni 16, 58).", first2, last1)
	}
	for _, r := range beforeExams {
		dl, ok := c.Deadline(r.key)
		first := firstDate(days[r.session])
		if !ok || first == "" {
			continue
		}
		d, err1 := parseDate(dl.Date)
		ex, err2 := parseDate(first)
		if err1 != nil || err2 != nil {
			continue
		}
		limit := ex.AddDate(0, -r.months, 0)
		if r.months == 0 && !d.Before(limit) || r.months > 0 && d.After(limit) {
			if r.months == 0 {
				ps.addf("Afati «%s» (%s) duhet të jetë para provimit të parë të sesionit %d (%s), sipas %s.", dl.Name, dl.Date, r.session, first, r.article)
			} else {
				ps.addf("Afati «%s» (%s) duhet të jetë të paktën %d muaj para provimit të parë të sesionit %d (%s), sipas %s.", dl.Name, dl.Date, r.months, r.session, first, r.article)
			}
		}
	}
}

func allDates(byCode map[string][]string) []string {
	var out []string
	for _, ds := range byCode {
		out = append(out, ds...)
	}
	sort.Strings(out) // YYYY-MM-DD sorts as dates
	return out
}

func firstDate(byCode map[string][]string) string {
	if ds := allDates(byCode); len(ds) > 0 {
		return ds[0]
	}
	return ""
}

func lastDate(byCode map[string][]string) string {
	if ds := allDates(byCode); len(ds) > 0 {
		return ds[len(ds)-1]
	}
	return ""
}
