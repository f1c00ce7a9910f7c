package remark

import (
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"provim/internal/apperr"
	"provim/internal/clock"
	"provim/internal/examyear"
)

// The rules of Neni 64 as pure functions; each has a test named after its
// article.

// The days of Neni 64, counted from the publication of the exam's results.
const (
	// SchoolForwardDays: the school commission forwards its requests to
	// the KMSH "brenda 5 ditëve nga shpallja e rezultateve" (¶2).
	SchoolForwardDays = 5
	// KMSHForwardDays: the KMSH forwards them to AVA "brenda 7 ditëve
	// nga shpallja e rezultateve" (¶2).
	KMSHForwardDays = 7
	// SendFromDay, SendUntilDay: AVA sends the re-marking's results "me
	// një afat nga 15 deri 30 ditë nga data e shpalljes" (¶4).
	SendFromDay  = 15
	SendUntilDay = 30
)

// DayOf is the day, after the publication at pub, on which now falls,
// counted in Tirana calendar days: the day of publication is day 0, the
// next calendar day day 1, and so on, whatever the hour. "Brenda 4 ditëve
// pas shpalljes" (Neni 64 ¶1) is therefore days 0 to 4: a result
// published on Saturday 10 July 2027 at 20:00 may be contested until
// Wednesday 14 July at 23:59 Tirana time, and no longer on Thursday 15
// July.
func DayOf(pub, now time.Time) int {
	p, n := pub.In(clock.Tirana), now.In(clock.Tirana)
	pd := time.Date(p.Year(), p.Month(), p.Day(), 0, 0, 0, 0, time.UTC)
	nd := time.Date(n.Year(), n.Month(), n.Day(), 0, 0, 0, 0, time.UTC)
	return int(nd.Sub(pd).Hours() / 24)
}

// DayDate is the Tirana date of day n after the publication at pub
// (DayOf), "14.07.2027".
func DayDate(pub time.Time, n int) string {
	p := pub.In(clock.Tirana)
	return time.Date(p.Year(), p.Month(), p.Day()+n, 12, 0, 0, 0, clock.Tirana).Format("02.01.2006")
}

// Within reports whether now falls within the first days days after the
// publication at pub (DayOf: days 0 … days).
func Within(pub, now time.Time, days int) bool {
	d := DayOf(pub, now)
	return d >= 0 && d <= days
}

// CheckRequestDay refuses a re-marking request (online or on paper) after
// the last of the days given by the year (RemarkRequestDays, 4: Neni 64
// ¶1), naming the last date.
func CheckRequestDay(exam string, pub, now time.Time, days int) error {
	if !Within(pub, now, days) {
		return apperr.New(apperr.Conflict, "Afati i kërkesave për rivlerësim të provimit %s mbaroi më %s: kërkesa paraqitet brenda %d ditëve pas shpalljes së rezultateve (%s) (Neni 64).",
			examyear.TestLabel(exam), DayDate(pub, days), days, clock.Day(pub))
	}
	return nil
}

// CheckSchoolDay refuses the school commission's forwarding after day 5
// (Neni 64 ¶2), naming the last date.
func CheckSchoolDay(exam string, pub, now time.Time) error {
	if !Within(pub, now, SchoolForwardDays) {
		return apperr.New(apperr.Conflict, "Afati i KSHMSH-së për të përcjellë kërkesat e provimit %s te KMSH mbaroi më %s: brenda %d ditëve nga shpallja e rezultateve (Neni 64).",
			examyear.TestLabel(exam), DayDate(pub, SchoolForwardDays), SchoolForwardDays)
	}
	return nil
}

// CheckKMSHDay refuses the KMSH's review and forwarding after day 7
// (Neni 64 ¶2), naming the last date.
func CheckKMSHDay(exam string, pub, now time.Time) error {
	if !Within(pub, now, KMSHForwardDays) {
		return apperr.New(apperr.Conflict, "Afati i KMSH-së për të shqyrtuar dhe përcjellë kërkesat e provimit %s te AVA mbaroi më %s: brenda %d ditëve nga shpallja e rezultateve (Neni 64).",
			examyear.TestLabel(exam), DayDate(pub, KMSHForwardDays), KMSHForwardDays)
	}
	return nil
}

// SendCheck decides AVA's sending of the re-marking's results (Neni 64
// ¶4): before day 15 they are held (refused, naming the day they are
// released); from day 15 to day 30 they go; after day 30 they go only
// with a reason, and are flagged late.
func SendCheck(exam string, pub, now time.Time, reason string) (late bool, err error) {
	d := DayOf(pub, now)
	switch {
	case d < SendFromDay:
		return false, apperr.New(apperr.Conflict, "Rezultatet e rivlerësimit të provimit %s mbahen deri më %s: dërgohen nga dita e %d-të deri në të %d-tën pas shpalljes (Neni 64).",
			exam, DayDate(pub, SendFromDay), SendFromDay, SendUntilDay)
	case d > SendUntilDay && strings.TrimSpace(reason) == "":
		return true, apperr.New(apperr.Invalid, "Afati i dërgimit të rezultateve të rivlerësimit të provimit %s mbaroi më %s: shkruani arsyen e vonesës (Neni 64).",
			exam, DayDate(pub, SendUntilDay))
	}
	return d > SendUntilDay, nil
}

// Receipt lengths: a mandat-arkëtimi number as the bank prints it.
const (
	receiptMin = 6
	receiptMax = 24
	// ReasonMax bounds a reason (refusal, lateness) and a place.
	ReasonMax = 300
)

// NormReceipt reads the number of a fee receipt (mandat-arkëtimi, Neni 64
// ¶1): NFC, spaces removed, capitals; 6 to 24 characters of letters A–Z,
// digits, "-" and "/", beginning and ending with a letter or digit, with
// at least four digits. The error names the field.
func NormReceipt(raw string) (string, error) {
	s := strings.ToUpper(strings.Join(strings.Fields(norm.NFC.String(raw)), ""))
	if s == "" {
		return "", apperr.New(apperr.Invalid, "Fusha «Numri i mandat-arkëtimit»: mungon; shkruani numrin e mandatit të pagesës së tarifës (Neni 64).")
	}
	if n := utf8.RuneCountInString(s); n < receiptMin || n > receiptMax {
		return "", apperr.New(apperr.Invalid, "Fusha «Numri i mandat-arkëtimit»: ka %d shenja, duhet nga %d deri në %d.", n, receiptMin, receiptMax)
	}
	digits := 0
	for i, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r >= 'A' && r <= 'Z':
		case (r == '-' || r == '/') && i > 0 && i < len(s)-1:
		default:
			return "", apperr.New(apperr.Invalid, "Fusha «Numri i mandat-arkëtimit»: shenja «%c» nuk lejohet; përdorni shkronja A–Z, shifra, «-» ose «/».", r)
		}
	}
	if digits < 4 {
		return "", apperr.New(apperr.Invalid, "Fusha «Numri i mandat-arkëtimit»: «%s» ka më pak se 4 shifra; kontrolloni numrin në mandat.", s)
	}
	return s, nil
}

// NormText reads a free text (a reason, a place): NFC, spaces collapsed,
// no control characters, at most max characters; empty is refused when
// required. field names it in the error.
func NormText(raw, field string, max int, required bool) (string, error) {
	s := strings.Join(strings.Fields(norm.NFC.String(raw)), " ")
	if s == "" && required {
		return "", apperr.New(apperr.Invalid, "Fusha «%s»: mungon.", field)
	}
	if n := utf8.RuneCountInString(s); n > max {
		return "", apperr.New(apperr.Invalid, "Fusha «%s»: ka %d shenja, më së shumti %d.", field, n, max)
	}
	for _, r := range s {
		if unicode.IsControl(r) {
			return "", apperr.New(apperr.Invalid, "Fusha «%s»: ka një shenjë kontrolli.", field)
		}
	}
	return s, nil
}
