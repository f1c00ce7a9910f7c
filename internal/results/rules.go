package results

// The rules of the regulation the results apply, pure: the grade and
// pass of an exam (Neni 57.1), the void of an excluded or MASH-voided
// result (Neni 54–55, 57.17), the absent candidate, the deadline of
// publication (Neni 57.19), the re-marking window (Neni 64), and what
// follows for a candidate (Neni 16, 17, 26, 58).

import (
	"fmt"
	"time"

	"provim/internal/application"
	"provim/internal/examyear"
)

// Grading is the outcome of one listed candidate's exam before it is
// stored: what Grade returns.
type Grading struct {
	Points     int
	Grade      int
	Passed     bool
	Voided     bool
	VoidReason string
	Absent     bool
}

// Grade grades a listed candidate's exam (Neni 57.1): the points convert
// to 4–10 with the year's table of the subject and pass from
// examyear.PassGrade. A result MASH voided (Neni 57.17) or of a candidate
// excluded from the exam (Neni 54–55: the cause is the point of Neni 54)
// is void: no points, no grade, not passed; a listed candidate with no
// booklet (hasBooklet false) is absent ("mungon"): no points, fails.
// The exclusion wins over the absence: an excluded candidate may have
// handed in nothing.
func Grade(cfg examyear.Config, subject string, points int, hasBooklet, mashVoided bool, excludedCause string) Grading {
	switch {
	case excludedCause != "":
		return Grading{Voided: true, VoidReason: fmt.Sprintf("Përjashtuar nga provimi (Neni %s, 55)", excludedCause)}
	case mashVoided:
		return Grading{Voided: true, VoidReason: "Rezultati u anulua me vendim të MASH-it (Neni 57.17)"}
	case !hasBooklet:
		return Grading{Absent: true}
	}
	g := cfg.Grade(subject, points)
	return Grading{Points: points, Grade: g, Passed: g >= examyear.PassGrade}
}

// PublishDeadline is the last day on which an exam's results may be
// published (Neni 57.19): the exam's day + ResultsWithinDays, in Tirana,
// to the end of that day. ok is false when the year has no such exam day.
func PublishDeadline(cfg examyear.Config, exam string, session int) (last time.Time, ok bool) {
	d, found := cfg.ExamDayOf(exam, session)
	if !found {
		return time.Time{}, false
	}
	day, err := time.ParseInLocation("2006-01-02", d.Date, examyear.Tirana)
	if err != nil {
		return time.Time{}, false
	}
	return day.AddDate(0, 0, cfg.ResultsWithinDays), true
}

// Late reports whether a publication at now is after the deadline's day
// (Neni 57.19: the deadline's whole day is in time).
func Late(last, now time.Time) bool {
	return !now.In(examyear.Tirana).Before(last.AddDate(0, 0, 1))
}

// DaysLeft is the days from now's day to the deadline's day, counted on
// Tirana's calendar (0 on the day itself, -1 on the first late day, when
// Late is true).
func DaysLeft(last, now time.Time) int {
	l, n := last.In(examyear.Tirana), now.In(examyear.Tirana)
	ld := time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, time.UTC)
	nd := time.Date(n.Year(), n.Month(), n.Day(), 0, 0, 0, 0, time.UTC)
	return int(ld.Sub(nd).Hours() / 24)
}

// RemarkLastDay is the last day a re-marking request is filed (Neni 64
// ¶1): publication's day + RemarkRequestDays.
func RemarkLastDay(cfg examyear.Config, published time.Time) time.Time {
	p := published.In(examyear.Tirana)
	return time.Date(p.Year(), p.Month(), p.Day(), 0, 0, 0, 0, examyear.Tirana).AddDate(0, 0, cfg.RemarkRequestDays)
}

// Outcome is what follows for a candidate from the results of the year
// and of earlier years.
type Outcome struct {
	// Session2 lists the mandatory exams (D1, D2) the candidate retakes
	// in the second session (Neni 16 ¶2, 58): failed in the first, the
	// second session's result not yet published.
	Session2 []string `json:"session2,omitempty"`
	// Session2Failed lists the mandatory exams failed in the second
	// session too: the year ends without them; they are sat in a later
	// year (Neni 17 ¶4).
	Session2Failed []string `json:"session2_failed,omitempty"`
	// ElectivesCount: the electives of this year count (Neni 17 ¶2:
	// not after a fail in a mandatory exam of the first session).
	ElectivesCount bool `json:"electives_count"`
	// University: eligible for every public university programme (Neni
	// 17 ¶3: a pass in all four exams, earlier years' valid ones counted,
	// Neni 17 ¶4, 26).
	University bool `json:"university"`
	// Academies: eligible for the programmes open without electives
	// (Neni 17 ¶5): a pass in both mandatory exams.
	Academies bool `json:"academies"`
	// Pending lists exams whose result is not yet published.
	Pending []string `json:"pending,omitempty"`
	// Notes are the Albanian sentences the candidate reads.
	Notes []string `json:"notes,omitempty"`
}

// Decide applies Neni 16, 17, 26 and 58 to a candidate's published results of
// year (session 1 and 2), their results of earlier years (prior), and the
// exams they were listed for this year (listed, so an unpublished one is
// pending). electiveCount is the year's (Neni 17: two).
func Decide(year, electiveCount int, current []ExamResult, prior []application.Result, listed []string) Outcome {
	all := asApplication(current)
	for _, p := range prior {
		if p.Year < year {
			all = append(all, p)
		}
	}
	var o Outcome
	published := map[string]bool{}
	for _, r := range current {
		published[r.Exam] = true
	}
	for _, e := range listed {
		if !published[e] {
			o.Pending = append(o.Pending, e)
		}
	}
	// Neni 16 ¶2, 58: a fail in a mandatory exam of the first session —
	// unless passed in an earlier year (Neni 17 ¶4) — is retaken in the
	// second session.
	// Once the second session's result is published, it decides (Neni
	// 16 ¶2, 17 ¶2, 58): passed there, the exam is passed and nothing is
	// left to sit for it; failed there too, the year ends without it and
	// it is sat in a later year, the other mandatory exam's pass kept
	// (Neni 17 ¶4). The students who failed the school year and passed
	// the autumn session (Neni 58) have only the second session's result.
	for _, kind := range []string{examyear.KindD1, examyear.KindD2} {
		if passedBefore(prior, year, kind) {
			continue
		}
		r1, found1 := findExam(current, kind, 1)
		if found1 && r1.Passed {
			continue
		}
		r2, found2 := findExam(current, kind, 2)
		switch {
		case found2 && r2.Passed:
			o.Notes = append(o.Notes, fmt.Sprintf("Provimi %s u kalua në sesionin e dytë (Neni 16, 58).", kind))
		case found2:
			o.Session2Failed = append(o.Session2Failed, kind)
			note := fmt.Sprintf("Provimi %s nuk u kalua as në sesionin e dytë: Matura Shtetërore e vitit %d nuk përfundon; provimi jepet në vitin e ardhshëm", kind, year)
			if other := otherMandatory(kind); mandatoryPassed(current, prior, year, other) {
				note += fmt.Sprintf(", ndërsa provimi %s i kaluar mbetet i vlefshëm (Neni 17 ¶4).", other)
			} else {
				note += " (Neni 16, 17 ¶4)."
			}
			o.Notes = append(o.Notes, note)
		case found1:
			o.Session2 = append(o.Session2, kind)
			o.Notes = append(o.Notes, fmt.Sprintf("Provimi %s rijepet në sesionin e dytë (Neni 16, 58).", kind))
		}
	}
	// Neni 17 ¶2: after a fail in a mandatory exam of the first session,
	// this year's electives do not count; the candidate sits them next
	// year after passing the retake.
	ok, _, why := application.MaySitElectives(year, all)
	o.ElectivesCount = ok
	if !ok {
		o.Notes = append(o.Notes, "Provimet me zgjedhje të këtij viti nuk llogariten: "+why+"; jepen vitin e ardhshëm pas kalimit të riprovimit.")
		all = withoutElectivesOf(all, year)
	}
	// Neni 17 ¶3–5, 26.2–26.3.
	o.University, _ = application.UniversityEligible(all, electiveCount, false)
	o.Academies, _ = application.UniversityEligible(all, electiveCount, true)
	if len(o.Pending) > 0 {
		o.University = false
	}
	switch {
	case o.University:
		o.Notes = append(o.Notes, "Keni kaluar të katër provimet: mund të konkurroni për studime në Institucionet e Arsimit të Lartë Publik (Neni 17).")
	case o.Academies && len(o.Pending) == 0:
		o.Notes = append(o.Notes, "Keni kaluar të dy provimet e detyruara: mund të konkurroni vetëm në programet pa provime me zgjedhje (Neni 17 ¶5).")
	}
	return o
}

// Counted returns the exams that count for the Matura (Neni 17, 26): the
// mandatory exams (this year's, or an earlier year's pass, Neni 17 ¶4)
// and the electives (this year's when they count, else the latest earlier
// sitting of each subject, Neni 26.3), at most electiveCount of them.
// Earlier results carry their Year and only a grade.
func Counted(year, electiveCount int, current []ExamResult, prior []application.Result, o Outcome) []ExamResult {
	var out []ExamResult
	for _, kind := range []string{examyear.KindD1, examyear.KindD2} {
		// This year's pass counts, the first session's before the second's:
		// a pass stays valid (Neni 17 ¶4) whatever a later sitting says —
		// a first-session fail turned into a pass by its re-marking (Neni
		// 64 ¶4) after the candidate was listed for the second session.
		if r, ok := findExam(current, kind, 1); ok && r.Passed {
			out = append(out, r)
			continue
		}
		if r, ok := findExam(current, kind, 2); ok && r.Passed {
			out = append(out, r)
			continue
		}
		r, found := latestExam(current, kind)
		if p, ok := bestPrior(prior, year, kind); ok {
			out = append(out, fromPrior(p, kind))
			continue
		}
		if found {
			out = append(out, r)
		}
	}
	var earlier []application.Result
	for _, p := range prior {
		if p.Year < year {
			earlier = append(earlier, p)
		}
	}
	latest := application.ValidElectiveResults(earlier)
	n := 0
	if o.ElectivesCount {
		for _, r := range current {
			// An elective not sat leaves an earlier sitting's result to
			// count (Neni 26.3: the latest year it was sat).
			if r.Exam != examyear.KindD1 && r.Exam != examyear.KindD2 && n < electiveCount && !(r.Absent && latest[r.Subject].Year != 0) {
				out = append(out, r)
				delete(latest, r.Subject)
				n++
			}
		}
	}
	var subjects []string
	for sub := range latest {
		subjects = append(subjects, sub)
	}
	sortByYearDesc(subjects, latest)
	for _, sub := range subjects {
		if n >= electiveCount {
			break
		}
		out = append(out, fromPrior(latest[sub], sub))
		n++
	}
	return out
}

// otherMandatory is the other mandatory exam: D2 for D1, D1 for D2.
func otherMandatory(kind string) string {
	if kind == examyear.KindD1 {
		return examyear.KindD2
	}
	return examyear.KindD1
}

// mandatoryPassed reports whether kind is passed this year, in either
// session, or in an earlier year (Neni 17 ¶4).
func mandatoryPassed(current []ExamResult, prior []application.Result, year int, kind string) bool {
	if passedBefore(prior, year, kind) {
		return true
	}
	for _, session := range []int{1, 2} {
		if r, ok := findExam(current, kind, session); ok && r.Passed {
			return true
		}
	}
	return false
}
