package application

import (
	"fmt"
	"strings"
	"time"

	"provim/internal/apperr"
	"provim/internal/auth"
	"provim/internal/examyear"
)

// handIn is the hand-in of a paper form: the day the student handed it to
// the school, and whether that was after the A1 deadline.
type handIn struct {
	day  time.Time // the day, at midnight in Tirana
	late bool
}

// Stored is the day as stored (YYYY-MM-DD).
func (h handIn) Stored() string { return h.day.Format("2006-01-02") }

// Note is the line the form's history keeps of it.
func (h handIn) Note() string {
	note := "Formular në letër, dorëzuar në shkollë më " + h.day.Format("02.01.2006")
	if h.late {
		note += ", pas afatit të Nenit 22 ¶1"
	}
	return note
}

// ParseDay reads a day as people type it: 2027-03-10 or 10.03.2027.
func ParseDay(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	for _, layout := range []string{"2006-01-02", "02.01.2006", "2.1.2006"} {
		if t, err := time.ParseInLocation(layout, s, examyear.Tirana); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// paperHandIn decides the hand-in day of a paper A1/A1z form (Neni 22
// ¶1–2): the deadline of 10 March applies to the day the student handed
// the form to the school, not to the day the school types it in. typed is
// the day given ("" for today, or prev when the form was entered before);
// a day in the future, or before MASH approved the forms (Neni
// 20.1), is refused. A form handed in after the A1 deadline is late: the
// school commission (KSHMSH) may no longer accept it; a higher level (the
// KMSH, AVA) may, with a reason. A form handed in by the deadline and
// typed in during the table T period (11–24 March) is on time.
func paperHandIn(cfg examyear.Config, typed, prev string, p *auth.Principal, reason string, now time.Time) (handIn, error) {
	today := time.Date(now.In(examyear.Tirana).Year(), now.In(examyear.Tirana).Month(), now.In(examyear.Tirana).Day(), 0, 0, 0, 0, examyear.Tirana)
	h := handIn{day: today}
	given := strings.TrimSpace(typed)
	if given == "" {
		given = prev
	}
	if given != "" {
		d, ok := ParseDay(given)
		if !ok {
			return h, apperr.New(apperr.Invalid, "Data e dorëzimit «%s» nuk është një datë (dd.mm.vvvv).", given)
		}
		if d.After(today) {
			return h, apperr.New(apperr.Invalid, "Data e dorëzimit %s është në të ardhmen.", d.Format("02.01.2006"))
		}
		if approved, ok := cfg.Deadline(examyear.KeyFormsApproved); ok {
			if first, ok := ParseDay(approved.Date); ok && d.Before(first) {
				return h, apperr.New(apperr.Invalid, "Data e dorëzimit %s është para miratimit të formularëve A1/A1z (%s, %s).",
					d.Format("02.01.2006"), first.Format("02.01.2006"), approved.Article)
			}
		}
		h.day = d
	}
	due, ok := cfg.Deadline(examyear.KeyA1)
	if !ok {
		return h, apperr.New(apperr.Invalid, "Afati «%s» nuk është përcaktuar në konfigurimin e vitit %s.", examyear.KeyA1, cfg.SchoolYear)
	}
	last, ok := ParseDay(due.Date)
	if !ok || !h.day.After(last) {
		return h, nil
	}
	h.late = true
	base := fmt.Sprintf("Formulari në letër u dorëzua në shkollë më %s, pas afatit «%s» (%s, %s).",
		h.day.Format("02.01.2006"), due.Name, last.Format("02.01.2006"), due.Article)
	if !LateAllowedOnSchoolStep(p) {
		return h, apperr.New(apperr.Invalid, "%s KSHMSH nuk e pranon më: e pranon vetëm KMSH ose AVA, me arsye. Nëse nxënësi e dorëzoi brenda afatit, shënoni datën e dorëzimit (pa datë merret dita e sotme).", base)
	}
	if strings.TrimSpace(reason) == "" {
		return h, apperr.New(apperr.Invalid, "%s Si nivel më i lartë mund ta pranoni me vonesë vetëm duke shënuar arsyen.", base)
	}
	return h, nil
}
