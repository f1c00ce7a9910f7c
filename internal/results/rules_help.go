package results

import (
	"sort"

	"provim/internal/application"
	"provim/internal/examyear"
)

// kindOf is the kind of an exam: D1, D2, or Z for an elective's code.
func kindOf(exam string) string {
	if exam == examyear.KindD1 || exam == examyear.KindD2 {
		return exam
	}
	return examyear.KindElective
}

// asApplication reads published results as application.Result (the form
// the application's rules of Neni 17 and 26 take); a void or absent
// result is a fail (grade 4) — except an elective the candidate did not
// sit, which is left out: Neni 26.3 counts the latest year the subject
// was sat, so an absence does not replace an earlier year's result.
func asApplication(rs []ExamResult) []application.Result {
	out := make([]application.Result, 0, len(rs))
	for _, r := range rs {
		if r.Absent && kindOf(r.Exam) == examyear.KindElective {
			continue
		}
		g := r.Grade
		if !r.Passed && g >= examyear.PassGrade || g == 0 {
			g = examyear.MinGrade
		}
		out = append(out, application.Result{Year: r.Year, Session: r.Session, Subject: r.Subject, Kind: kindOf(r.Exam), Grade: g})
	}
	return out
}

func findExam(rs []ExamResult, exam string, session int) (ExamResult, bool) {
	for _, r := range rs {
		if r.Exam == exam && r.Session == session {
			return r, true
		}
	}
	return ExamResult{}, false
}

// latestExam is the result of exam of the latest session.
func latestExam(rs []ExamResult, exam string) (ExamResult, bool) {
	var best ExamResult
	found := false
	for _, r := range rs {
		if r.Exam == exam && (!found || r.Session > best.Session) {
			best, found = r, true
		}
	}
	return best, found
}

func passedBefore(prior []application.Result, year int, kind string) bool {
	_, ok := bestPrior(prior, year, kind)
	return ok
}

// bestPrior is the latest passed result of a mandatory kind from a year
// before year (Neni 17 ¶4).
func bestPrior(prior []application.Result, year int, kind string) (application.Result, bool) {
	var best application.Result
	found := false
	for _, p := range prior {
		if p.Kind == kind && p.Year < year && p.Passed() && (!found || p.Year > best.Year) {
			best, found = p, true
		}
	}
	return best, found
}

func withoutElectivesOf(rs []application.Result, year int) []application.Result {
	out := rs[:0:0]
	for _, r := range rs {
		if r.Kind == examyear.KindElective && r.Year == year {
			continue
		}
		out = append(out, r)
	}
	return out
}

func fromPrior(p application.Result, exam string) ExamResult {
	return ExamResult{Year: p.Year, Session: p.Session, Exam: exam, Subject: p.Subject, Grade: p.Grade, Passed: p.Passed()}
}

func sortByYearDesc(subjects []string, m map[string]application.Result) {
	sort.Slice(subjects, func(i, j int) bool {
		a, b := m[subjects[i]], m[subjects[j]]
		if a.Year != b.Year {
			return a.Year > b.Year
		}
		return subjects[i] < subjects[j]
	})
}
