package application

import (
	"fmt"
	"slices"
	"strings"

	"provim/internal/examyear"
)

// Result is a grade in one subject, sat in a year and session.
type Result struct {
	Year    int    `json:"year"`
	Session int    `json:"session"`
	Subject string `json:"subject"`
	Kind    string `json:"kind"` // examyear.KindD1, KindD2 or KindElective
	Grade   int    `json:"grade"`
}

// Passed reports a passing grade (Neni 57.1: 4 fails).
func (r Result) Passed() bool { return r.Grade >= examyear.PassGrade }

// FormFor is the form of a category. Holders of a maturity certificate
// file A1z (Neni 22 ¶1: kandidat; Neni 25, 26: the 2005–08 cohorts, who
// hold one), everybody else A1 — including the two categories whose
// article names form A1 although they may hold a certificate: Neni 23 ¶3
// ("formularët A1 dhe A2") and Neni 33.5–33.6.
func FormFor(category string) string {
	switch category {
	case Kandidat, Neni25, Neni26:
		return FormA1z
	}
	return FormA1
}

// MandatoryExams returns the mandatory exams an applicant of category
// sits this year.
//
//   - Neni 16: every final-year student who filed A1 sits the mandatory
//     exams; Neni 24: so do those who finished before 2005–06 without a
//     certificate.
//   - Neni 17 ¶4: a pass in one mandatory exam stays valid in later years,
//     so that exam is not sat again.
//   - Neni 23, 25, 26 (certificate holders) and Neni 33 (abroad: the
//     special commission sets the D1 and D2 grades, 33.5) sit none.
func MandatoryExams(category string, prior []Result) []string {
	if category != Regular && category != Neni24 {
		return nil
	}
	var out []string
	for _, kind := range []string{examyear.KindD1, examyear.KindD2} {
		if !passedKind(prior, kind) {
			out = append(out, kind)
		}
	}
	return out
}

func passedKind(results []Result, kind string) bool {
	for _, r := range results {
		if r.Kind == kind && r.Passed() {
			return true
		}
	}
	return false
}

// CheckElectives checks the elective choice of an applicant (Neni 17, 23–26,
// 33): each code is an elective of this year's configuration, none is
// repeated, and the count fits the category. It returns every problem.
//
//   - Neni 17 ¶1, ¶5, Neni 22 ¶1: a final-year student files A1 whether or
//     not they sit electives: none (no public university, or only the
//     academies of Neni 17 ¶5), or the year's full count.
//   - Neni 23, 24, 33.1: these candidates apply to sit the electives: the
//     full count; Neni 25: the full count, or none for the academies only
//     (Neni 25 ¶2).
//   - Neni 2.4, 22 ¶1: a candidate with a maturity certificate files A1z
//     for the elective exam(s): one up to the full count (the results of
//     the others may stand from earlier years, Neni 26.2).
//   - Neni 26.1: the 2005–08 candidates keep their elective results and
//     resit only the subjects they ask for: none up to the full count.
//   - Neni 17 ¶2: a student who failed a mandatory exam in the first
//     session of this year may not sit electives (see MaySitElectives).
func CheckElectives(cfg examyear.Config, category string, electives []string) []string {
	var problems []string
	seen := map[string]bool{}
	for _, code := range electives {
		s, ok := cfg.Subject(code)
		switch {
		case !ok:
			problems = append(problems, fmt.Sprintf("lënda «%s» nuk ofrohet këtë vit", code))
		case s.Kind != examyear.KindElective:
			problems = append(problems, fmt.Sprintf("lënda «%s» është e detyrueshme, jo me zgjedhje", s.Name))
		case seen[code]:
			problems = append(problems, fmt.Sprintf("lënda «%s» është zgjedhur dy herë", s.Name))
		}
		seen[code] = true
	}
	// Neni 14.3, 17: a candidate sits both electives, so the two must be at
	// sittings that do not overlap; two at one sitting would leave the
	// exam plan of both subjects unable to seat the candidate.
	for i, a := range electives {
		for _, b := range electives[i+1:] {
			sa, okA := cfg.Subject(a)
			sb, okB := cfg.Subject(b)
			if okA && okB && a != b && sa.Kind == examyear.KindElective && sb.Kind == examyear.KindElective && cfg.Overlap(a, b, 1) {
				problems = append(problems, fmt.Sprintf("lëndët «%s» dhe «%s» jepen në të njëjtën kohë (%s); zgjidhni lëndë nga seanca të ndryshme (Neni 14.3, 17)", sa.Name, sb.Name, cfg.SittingLabel(a, 1)))
			}
		}
	}
	n, full := len(electives), cfg.ElectiveCount
	switch category {
	case Regular:
		if n != 0 && n != full {
			problems = append(problems, fmt.Sprintf("zgjidhen ose %d lëndë me zgjedhje ose asnjë (Neni 17), jo %d", full, n))
		}
	case Neni23, Neni24, Neni33:
		if n != full {
			problems = append(problems, fmt.Sprintf("kjo kategori jep %d provime me zgjedhje (%s), jo %d", full, articleOf(category), n))
		}
	case Neni25:
		// Neni 25 ¶2: those who apply only to the academies of Neni 17 ¶5
		// sit no electives; they register for form A2 alone.
		if n != 0 && n != full {
			problems = append(problems, fmt.Sprintf("kjo kategori jep %d provime me zgjedhje, ose asnjë për akademitë e Nenit 17 (Neni 25), jo %d", full, n))
		}
	case Neni26:
		// Neni 26.1: resitting is optional; with none, the earlier results
		// stand (Neni 26.2) and the candidate registers for form A2 alone.
		if n > full {
			problems = append(problems, fmt.Sprintf("rijepen deri në %d lëndë me zgjedhje (Neni 26.1), jo %d", full, n))
		}
	case Kandidat:
		if n < 1 || n > full {
			problems = append(problems, fmt.Sprintf("kandidati me dëftesë pjekurie zgjedh nga 1 deri në %d lëndë me zgjedhje (Neni 22), jo %d", full, n))
		}
	default:
		problems = append(problems, fmt.Sprintf("kategoria «%s» nuk njihet", category))
	}
	return problems
}

func articleOf(category string) string {
	switch category {
	case Neni23:
		return "Neni 23"
	case Neni24:
		return "Neni 24"
	case Neni25:
		return "Neni 25"
	case Neni26:
		return "Neni 26"
	case Neni33:
		return "Neni 33.1"
	}
	return "Neni 22"
}

// MaySitElectives reports whether a student may sit the electives of year
// (Neni 17 ¶1–2): only with a pass in both mandatory exams; a fail in
// either in the first session of year bars the electives that year, even
// after a pass in the second session (they are sat the next year). A pass
// from an earlier year counts (Neni 17 ¶4). Results not yet known do not
// bar: ok is true and pending lists the missing exams.
func MaySitElectives(year int, results []Result) (ok bool, pending []string, reason string) {
	for _, kind := range []string{examyear.KindD1, examyear.KindD2} {
		if passedKind(earlierThan(results, year), kind) {
			continue
		}
		r, found := find(results, year, 1, kind)
		switch {
		case !found:
			pending = append(pending, kind)
		case !r.Passed():
			return false, nil, fmt.Sprintf("mbetës në provimin %s në sesionin e parë të vitit %d (Neni 17)", kind, year)
		}
	}
	return true, pending, ""
}

func earlierThan(results []Result, year int) []Result {
	var out []Result
	for _, r := range results {
		if r.Year < year {
			out = append(out, r)
		}
	}
	return out
}

func find(results []Result, year, session int, kind string) (Result, bool) {
	for _, r := range results {
		if r.Year == year && r.Session == session && r.Kind == kind {
			return r, true
		}
	}
	return Result{}, false
}

// ValidElectiveResults returns the elective result that counts for each
// subject (Neni 26.2–26.3): an earlier year's result stays valid, even
// when only one elective was passed, and is scored with the coefficient
// of the year it was sat (Result.Year says which); when a subject was sat
// more than once, the latest year counts.
func ValidElectiveResults(results []Result) map[string]Result {
	out := map[string]Result{}
	for _, r := range results {
		if r.Kind != examyear.KindElective {
			continue
		}
		if cur, ok := out[r.Subject]; !ok || r.Year > cur.Year || (r.Year == cur.Year && r.Session > cur.Session) {
			out[r.Subject] = r
		}
	}
	return out
}

// UniversityEligible reports whether a candidate may compete for a public
// university programme (Neni 17 ¶3, ¶5): a pass in the two mandatory
// exams and in the year's count of electives; for the programmes of the
// Academy of Fine Arts, the Academy of Physical Education and Sports and
// the sports programme of "Luigj Gurakuqi" University Shkodër (noElectives)
// the mandatory exams suffice.
func UniversityEligible(results []Result, electiveCount int, noElectives bool) (bool, string) {
	for _, kind := range []string{examyear.KindD1, examyear.KindD2} {
		if !passedKind(results, kind) {
			return false, fmt.Sprintf("nuk ka kaluar provimin e detyrueshëm %s (Neni 17)", kind)
		}
	}
	if noElectives {
		return true, ""
	}
	passed := 0
	for _, r := range ValidElectiveResults(results) {
		if r.Passed() {
			passed++
		}
	}
	if passed < electiveCount {
		return false, fmt.Sprintf("ka kaluar %d nga %d provimet me zgjedhje (Neni 17)", passed, electiveCount)
	}
	return true, ""
}

// Exclusion causes that also take away the next year's Matura (Neni 55.2):
// sitting for someone else, seeking the test's content unfairly, giving or
// taking help, and bringing a phone or other means of communication.
var barringCauses = []string{"54.3", "54.4", "54.5", "54.8"}

// Exclusion is an exclusion from an exam (Neni 54) recorded in year.
type Exclusion struct {
	Year  int    `json:"year"`
	Exam  string `json:"exam"`
	Cause string `json:"cause"` // the point of Neni 54, e.g. "54.5"
}

// Barred reports whether an exclusion bars the candidate from the Matura
// of year (Neni 55.2): an exclusion for 54.3, 54.4, 54.5 or 54.8 in the
// year before. Exclusions for other causes (Neni 55.1) and from earlier
// years do not bar.
func Barred(exclusions []Exclusion, year int) (bool, string) {
	for _, e := range exclusions {
		cause := strings.TrimPrefix(strings.TrimSpace(e.Cause), "Neni ")
		if e.Year == year-1 && slices.Contains(barringCauses, cause) {
			return true, fmt.Sprintf("përjashtuar në vitin %d për shkelje të pikës %s (Neni 55.2)", e.Year, cause)
		}
	}
	return false, ""
}

// RequiredDocuments are the documents the KMSH checks before it registers
// a special category (Neni 23, 24, 25, 26.1, 33.3), as short keys with
// their Albanian names.
func RequiredDocuments(category string, resit bool) []Document {
	switch category {
	case Neni23:
		return []Document{docGrades, docCertificateCopy, docIdentity, docRequest}
	case Neni24:
		return []Document{docGrades, docIdentity, docRequest}
	case Neni25:
		return []Document{docCertificateOriginal}
	case Neni26:
		if resit {
			return []Document{docCertificateOriginal, docResitFee}
		}
		return []Document{docCertificateOriginal}
	case Neni33:
		return []Document{docRequest, docForeignGrades, docIdentity}
	}
	return nil
}

// Document is one document of a special category's file.
type Document struct {
	Key  string `json:"key"`
	Name string `json:"name"`
}

var (
	docGrades              = Document{"vertetim_notash", "Vërtetim i mbarimit të shkollës me notat e viteve, nga amza"}
	docCertificateCopy     = Document{"deftese_noterizuar", "Kopje e noterizuar e dëftesës së pjekurisë"}
	docCertificateOriginal = Document{"deftese_origjinale", "Dëftesa e pjekurisë origjinale"}
	docIdentity            = Document{"identifikim", "Dokument identifikimi (pasaportë, letërnjoftim ose certifikatë lindjeje me foto)"}
	docRequest             = Document{"kerkese", "Kërkesë me shkrim"}
	docResitFee            = Document{"mandat_pagese", "Mandat-pagesa e tarifës së riprovimit"}
	docForeignGrades       = Document{"deftesa_jashte", "Dëftesat e shkollës së mesme jashtë shtetit, të përkthyera dhe të noterizuara"}
)

// KMSHSetsGrades reports the categories whose average and D1/D2 grades
// are set by a commission rather than sat (Neni 23 ¶3: the KMSH, from the
// documents; Neni 33.5: the special commission at MASH).
func KMSHSetsGrades(category string) bool { return category == Neni23 || category == Neni33 }
