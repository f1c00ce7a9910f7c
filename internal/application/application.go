// Package application runs the application phase of the State Matura
// (Neni 16–17, 20–36, 55.2): forms A1 and A1z filed by students and
// candidates or entered from paper by the school, confirmed by the school
// commission (KSHMSH) and summarised in table T, verified by the regional
// commission (KMSH) and sent to AVA, which gives every candidate a
// registration number and, after the failing students are known, builds the
// final name list of each exam. Form A2 ranks the study programmes and
// carries the fee receipt. Special categories (Neni 23–26, 33) are
// registered by the KMSH after checking their documents.
//
// Every read and write is limited to the caller's scope, every deadline of
// the exam year's calendar is enforced, and every change is audited.
package application

// Forms (Neni 20.1, 21.1, 22).
const (
	FormA1  = "A1"  // final-year students, and Neni 24 and 33 candidates
	FormA1z = "A1z" // holders of a maturity certificate (Neni 22, 23, 25, 26)
)

// Categories of applicant.
const (
	Regular  = "rregullt" // final-year student (Neni 16, 22)
	Kandidat = "kandidat" // holds a maturity certificate, sits electives (Neni 2.4, 22 ¶1)
	Neni23   = "neni23"   // finished before 2005–06, holds the certificate
	Neni24   = "neni24"   // finished before 2005–06, no certificate
	Neni25   = "neni25"   // 2005–08, sat only the mandatory exams
	Neni26   = "neni26"   // 2005–08, sat the electives, did not enrol; resits on request
	Neni33   = "neni33"   // secondary education abroad
)

// Categories lists every category in display order.
var Categories = []string{Regular, Kandidat, Neni23, Neni24, Neni25, Neni26, Neni33}

// CategoryLabel is the Albanian name of a category.
func CategoryLabel(c string) string {
	switch c {
	case Regular:
		return "Maturant i vitit të fundit"
	case Kandidat:
		return "Kandidat me dëftesë pjekurie (Neni 22)"
	case Neni23:
		return "Para 2005–06, me dëftesë pjekurie (Neni 23)"
	case Neni24:
		return "Para 2005–06, pa dëftesë pjekurie (Neni 24)"
	case Neni25:
		return "2005–08, vetëm provimet e detyruara (Neni 25)"
	case Neni26:
		return "2005–08, me provime me zgjedhje, pa u regjistruar (Neni 26)"
	case Neni33:
		return "Arsim i mesëm jashtë shtetit (Neni 33)"
	}
	return c
}

// Statuses of an application, in order. Corrected is a registered
// application changed by a correction (reklamim, Neni 34 ¶5).
const (
	Draft      = "draft"
	Submitted  = "submitted"
	Confirmed  = "confirmed"
	Verified   = "verified"
	Registered = "registered"
	Corrected  = "corrected"
	Final      = "final"
)

// StatusLabel is the Albanian name of a status.
func StatusLabel(s string) string {
	switch s {
	case Draft:
		return "E ruajtur, pa dorëzuar"
	case Submitted:
		return "Dorëzuar"
	case Confirmed:
		return "Konfirmuar nga shkolla"
	case Verified:
		return "Verifikuar nga KMSH"
	case Registered:
		return "Regjistruar nga AVA"
	case Corrected:
		return "Korrigjuar (reklamim)"
	case Final:
		return "Në listën përfundimtare"
	}
	return s
}

// Sources of a form.
const (
	Online = "online" // filed by the student on the portal
	Paper  = "paper"  // paper form entered by the school
	ByKMSH = "kmsh"   // special category registered by the KMSH (Neni 27)
)

// Application is one A1 or A1z form with its state.
type Application struct {
	ID           int64    `json:"id"`
	Year         int      `json:"year"`
	StudentID    int64    `json:"student_id"`
	Form         string   `json:"form"`
	Category     string   `json:"category"`
	Mandatory    []string `json:"mandatory"` // "D1", "D2": the mandatory exams to sit
	Electives    []string `json:"electives"` // subject codes, Z1 then Z2
	Status       string   `json:"status"`
	Source       string   `json:"source"`
	Documents    []string `json:"documents,omitempty"`
	ResitReceipt string   `json:"resit_receipt,omitempty"`
	RegNo        string   `json:"reg_no,omitempty"`
	Failing      bool     `json:"failing"`
	SubmittedAt  string   `json:"submitted_at,omitempty"`
	ConfirmedAt  string   `json:"confirmed_at,omitempty"`
	VerifiedAt   string   `json:"verified_at,omitempty"`
	RegisteredAt string   `json:"registered_at,omitempty"`
	UpdatedAt    string   `json:"updated_at"`
	// HandedIn is the day a paper form was handed in to the school
	// (YYYY-MM-DD), the day its deadline applies to (Neni 22 ¶1).
	HandedIn string `json:"handed_in,omitempty"`
	// Late: the form was accepted after its deadline, by a higher level
	// with a reason (in the history).
	Late bool `json:"late"`
	// GraduationYear is the year a special category finished secondary
	// school (Neni 23–26, 33), from the documents; 0 for the others.
	GraduationYear int `json:"graduation_year,omitempty"`

	// From the registry, for lists.
	PersonalNo   string  `json:"personal_no"`
	FullName     string  `json:"full_name"`
	BirthDate    string  `json:"birth_date"`
	ClassName    string  `json:"class_name"`
	SchoolCode   string  `json:"school_code"`
	SchoolName   string  `json:"school_name"`
	UnitCode     string  `json:"unit_code"`
	AverageGrade float64 `json:"average_grade,omitempty"`
}

// Event is one entry of an application's history.
type Event struct {
	At     string `json:"at"`
	Actor  string `json:"actor"`
	Role   string `json:"role"`
	Status string `json:"status"`
	Note   string `json:"note,omitempty"`
}
