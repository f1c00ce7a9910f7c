package certificate

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"provim/internal/examyear"
)

// The rules of the certificate (pure functions).

// Number is a certificate's public number: "MS-2027-0012345-K", the year
// of the Matura, a serial of seven digits and a check letter over both
// (mod 23, the letters of the Spanish DNI): any one mistyped digit and any
// two neighbours swapped change the letter, so a typo is told apart from
// a certificate that does not exist before anything is looked up.
func Number(year int, serial int64) string {
	return fmt.Sprintf("MS-%04d-%07d-%c", year, serial, checkLetter(year, serial))
}

const checkLetters = "TRWAGMYFPDXBNJZSQVHLCKE"

func checkLetter(year int, serial int64) byte {
	n := int64(year)*10_000_000 + serial
	return checkLetters[n%23]
}

var numberRE = regexp.MustCompile(`^MS-(\d{4})-(\d{7})-([A-Z])$`)

// ParseNumber reads a typed certificate number (case and the spaces
// around it do not matter) and checks its letter; ok false when it is
// not a certificate number at all.
func ParseNumber(s string) (number string, year int, serial int64, ok bool) {
	s = strings.ToUpper(strings.TrimSpace(s))
	m := numberRE.FindStringSubmatch(s)
	if m == nil {
		return "", 0, 0, false
	}
	year, _ = strconv.Atoi(m[1])
	serial, _ = strconv.ParseInt(m[2], 10, 64)
	if checkLetter(year, serial) != m[3][0] {
		return "", 0, 0, false
	}
	return s, year, serial, true
}

// Exam is one exam a certificate counts: D1, D2 and the two electives
// (Neni 17), each with the year of the result that counts — a passed
// mandatory exam stays valid in later years (Neni 17), and an elective's
// result of an earlier year counts, the latest sitting if more than one
// (Neni 26.2–26.3).
type Exam struct {
	Exam        string `json:"exam"`
	Subject     string `json:"subject"`
	SubjectName string `json:"subject_name"`
	Points      int    `json:"points"`
	MaxPoints   int    `json:"max_points"`
	Grade       int    `json:"grade"`
	Passed      bool   `json:"passed"`
	Year        int    `json:"year"`
	// Session is 2 when the mandatory exam was passed in the second
	// session (Neni 16 ¶2, 58): its grade is that session's.
	Session int `json:"session,omitempty"`
}

// Label names the exam as the certificate prints it: "D1", or "D1
// (sesioni 2)" when the grade is the second session's (Neni 58).
func (e Exam) Label() string {
	if e.Session == 2 {
		return examyear.TestLabel(examyear.TestKey(e.Exam, 2))
	}
	return e.Exam
}

// Completion is what package results says of a candidate's Matura: the
// exams that count and whether it is complete.
type Completion struct {
	StudentID int64
	Year      int
	Exams     []Exam
	Completed bool
}

// Neni 2.4, 16, 17 ¶1, 25: the Dëftesë Pjekurie is due when both
// mandatory exams are passed and every result of the year is published
// (the results' verdict, checked again here before signing); the
// electives are for entering a public university (Neni 17 ¶3) and are
// printed with their grades, passed or not — a "kandidat" already holds
// the dëftesë when sitting them (Neni 2.4), and the Neni 25 cohorts sat
// only the mandatory exams. Every grade printed is on the 4–10 scale.
func completes(c Completion) error {
	if !c.Completed {
		return fmt.Errorf("nuk i ka kaluar ende të dy provimet e detyruara të Maturës, me rezultatet e shpallura (Neni 16, 17)")
	}
	mandatory := map[string]bool{}
	for _, e := range c.Exams {
		if e.Grade < 4 || e.Grade > 10 {
			return fmt.Errorf("provimi %s ka notë jashtë shkallës 4–10 (Neni 57.1)", e.Exam)
		}
		if (e.Exam == "D1" || e.Exam == "D2") && e.Passed {
			mandatory[e.Exam] = true
		}
	}
	if !mandatory["D1"] || !mandatory["D2"] {
		return fmt.Errorf("mungon një provim i detyruar kalues: duhen D1 dhe D2 (Neni 16, 17)")
	}
	return nil
}

// Reasons of a revocation.
const (
	// ReasonRemark: a re-marking changed a grade (Neni 64); a new
	// certificate is issued in its place when the Matura is still complete.
	ReasonRemark = "rivlerësim"
	// MaxReason is the longest reason AVA may give by hand.
	MaxReason = 300
	// ReasonByHand is what the public sees of a revocation AVA made by
	// hand: its own words stay internal, since they may name the person
	// (a corrected name, a voided result; Neni 63 ¶3).
	ReasonByHand = "revokuar nga AVA"
)

// PublicReason is a revocation's reason as the public list and check say
// it: the re-marking as it is, any other as ReasonByHand.
func PublicReason(reason string) string {
	if reason == ReasonRemark {
		return reason
	}
	return ReasonByHand
}
