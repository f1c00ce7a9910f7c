package application

import (
	"fmt"

	"provim/internal/registry"
)

// The cohorts of the special categories (Neni 23–26), as the last year of
// the school year in which the candidate finished secondary school: "before
// school year 2005–2006" is 2005 or earlier; "2005–2006, 2006–2007,
// 2007–2008" are 2006 to 2008.
const (
	lastBefore2005_06 = 2005 // Neni 23, 24
	first2005_08      = 2006 // Neni 25, 26
	last2005_08       = 2008
	// minAgeAtGraduation: nobody finishes secondary school younger (the
	// finishing year minus the birth year); it catches a graduation year
	// or category that the birth date makes impossible.
	minAgeAtGraduation = 16
)

// Candidate is what the rules of the special categories look at in a
// person: the registry's record and what the KMSH read from the documents.
type Candidate struct {
	// RegistryCategory is registry.Maturant (no maturity certificate) or
	// registry.Kandidat (holds one).
	RegistryCategory string
	BirthYear        int
	// ClassName is the person's class in the registry: only students of
	// a school this year have one.
	ClassName string
	// GraduationYear is the last year of the school year in which the
	// person finished secondary school (2004 for 2003–2004); 0 if not given.
	GraduationYear int
	// FinalYearForm: the person has this year's A1 as a final-year
	// student (Neni 22).
	FinalYearForm bool
}

// CheckSpecialCandidate returns every reason why a person is not of the
// special category they are registered under, naming the article:
//
//   - Neni 23: finished secondary school before school year 2005–2006 and
//     holds a maturity certificate;
//   - Neni 24: finished before 2005–2006 and holds no certificate;
//   - Neni 25, 26: sat the Matura in 2005–2006, 2006–2007 or 2007–2008
//     and hold the certificate;
//   - Neni 33: finished secondary school abroad, before this exam year.
//
// None of them is a final-year student of a school this year (they file
// A1 themselves, Neni 22): not with a class in the registry, nor with this
// year's A1. The graduation year is required for Neni 23–26 and must be
// possible for the birth date. Grades are set by a commission only where
// the regulation gives it that power (Neni 23 ¶3: the KMSH; 33.5: the
// special commission); a grade given for any other category is refused.
func CheckSpecialCandidate(category string, examYear int, c Candidate, grades bool) []string {
	var out []string
	article := articleOf(category)
	if category == Neni33 {
		article = "Neni 33"
	}
	if c.ClassName != "" || c.FinalYearForm {
		where := "ka formularin A1 të këtij viti si maturant"
		if c.ClassName != "" {
			where = "figuron në regjistër në klasën " + c.ClassName + " të shkollës"
		}
		out = append(out, fmt.Sprintf("personi %s: është nxënës i vitit të fundit dhe plotëson vetë formularin A1 (Neni 22), jo kategori e veçantë (%s)", where, article))
	}
	g := c.GraduationYear
	switch category {
	case Neni23, Neni24:
		switch {
		case g == 0:
			out = append(out, fmt.Sprintf("mungon viti i mbarimit të shkollës së mesme: %s është për ata që e kanë mbaruar para vitit shkollor 2005–2006", article))
		case g > lastBefore2005_06:
			out = append(out, fmt.Sprintf("shkolla e mesme e mbaruar në %d–%d nuk është para vitit shkollor 2005–2006 (%s)", g-1, g, article))
		}
	case Neni25, Neni26:
		switch {
		case g == 0:
			out = append(out, fmt.Sprintf("mungon viti i Maturës: %s është për maturantët e viteve shkollore 2005–2006, 2006–2007 dhe 2007–2008", article))
		case g < first2005_08 || g > last2005_08:
			out = append(out, fmt.Sprintf("Matura e vitit shkollor %d–%d nuk është e viteve 2005–2006, 2006–2007 ose 2007–2008 (%s)", g-1, g, article))
		}
	case Neni33:
		if g >= examYear {
			out = append(out, fmt.Sprintf("shkolla e mesme jashtë shtetit duhet të jetë mbaruar para vitit të provimeve %d: dokumentet e të gjitha viteve paraqiten në prill (Neni 33.3)", examYear))
		}
	}
	if g != 0 && c.BirthYear != 0 && g-c.BirthYear < minAgeAtGraduation {
		out = append(out, fmt.Sprintf("sipas datëlindjes (%d) personi nuk mund ta ketë mbaruar shkollën e mesme në %d (%s)", c.BirthYear, g, article))
	}
	switch category {
	case Neni23, Neni25, Neni26:
		if c.RegistryCategory != registry.Kandidat {
			out = append(out, fmt.Sprintf("%s është për ata që kanë dëftesë pjekurie, ndërsa në regjistër personi nuk ka dëftesë pjekurie", article))
		}
	case Neni24:
		if c.RegistryCategory == registry.Kandidat {
			out = append(out, "Neni 24 është për ata pa dëftesë pjekurie, ndërsa në regjistër personi ka dëftesë pjekurie: regjistrohet sipas Nenit 23")
		}
	}
	if grades && !KMSHSetsGrades(category) {
		out = append(out, fmt.Sprintf("nota mesatare dhe notat D1/D2 vendosen nga komisioni vetëm për Nenin 23 (KMSH) dhe Nenin 33.5 (Komisioni i Posaçëm), jo për %s", article))
	}
	return out
}
