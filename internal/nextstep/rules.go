// Package nextstep tells every user what to do next: from the exam year's
// calendar and from the state of the data that the owning packages publish
// (application, venue, draw, custody), it computes the steps of the
// caller's role that are due, never one that is done, and for a student
// the exams of the session with where and when to be (Neni 52, 54). It
// owns no table: it only reads through the owners' published functions.
package nextstep

import (
	"slices"
	"strings"
	"time"

	"provim/internal/clock"
	"provim/internal/examyear"
)

// ArriveBefore: the candidate presents themselves at the venue one hour
// before the exam starts, for identification and seating (Neni 52.1).
const ArriveBefore = time.Hour

// ArriveBy is when a candidate must be at the venue for an exam that
// starts at start (Neni 52.1).
func ArriveBy(start time.Time) time.Time { return start.Add(-ArriveBefore) }

// Bring is what a candidate brings to every exam: an identity document
// (Neni 52.5; without one they are excluded, Neni 54.1) and a black or
// blue pen (Neni 54.7); ruler and compasses only for mathematics.
var Bring = []Item{
	{"Pasaportën, letërnjoftimin ose certifikatën personale me fotografi", "Neni 52.5, 54.1"},
	{"Stilolaps me ngjyrë të zezë ose blu (për matematikën edhe vizore e kompas)", "Neni 54.7"},
}

// Forbidden is what excludes a candidate from the exam if brought or done
// (Neni 54.8, 54.5, 54.2).
var Forbidden = []Item{
	{"Telefon celular, radio ose çdo mjet tjetër komunikimi", "Neni 54.8"},
	{"Ndihmë, kopje ose komunikim me kandidatët e tjerë", "Neni 54.5"},
	{"Ndërrimi i vendit të caktuar", "Neni 52.7, 54.2"},
}

// Item is one line of what to bring or what is forbidden, with its
// article.
type Item struct {
	Text    string `json:"text"`
	Article string `json:"article"`
}

// Dated is one dated line of the year's calendar: a deadline or an exam.
type Dated struct {
	Name    string `json:"name"`
	From    string `json:"from,omitempty"` // YYYY-MM-DD, first day of a period
	Date    string `json:"date"`           // YYYY-MM-DD
	Time    string `json:"time,omitempty"` // HH:MM, for an exam
	Article string `json:"article"`
	Exam    bool   `json:"exam"`
}

// Calendar is the year's deadlines and the exam days of both sessions in
// date order (then by time, a period by its last day): the exam days are
// dates of the calendar as much as the deadlines are (Neni 14–16, 58).
// The regulation orders the deadlines by article, not by date; people
// read them by date.
func Calendar(cfg examyear.Config) []Dated {
	var out []Dated
	for _, d := range cfg.Calendar {
		out = append(out, Dated{Name: d.Name, From: d.From, Date: d.Date, Article: d.Article})
	}
	for _, e := range cfg.Exams {
		out = append(out, Dated{Name: ExamName(cfg, e), Date: e.Date, Time: e.Start, Article: examArticle(e), Exam: true})
	}
	slices.SortStableFunc(out, func(a, b Dated) int {
		if c := strings.Compare(a.Date, b.Date); c != 0 {
			return c
		}
		return strings.Compare(a.Time, b.Time)
	})
	return out
}

// ExamName names an exam day for people: "Provimi D1 — Gjuhë shqipe dhe
// letërsi", the electives of a sitting by name, and the session.
func ExamName(cfg examyear.Config, e examyear.ExamDay) string {
	var name string
	switch e.Code {
	case examyear.KindD1, examyear.KindD2:
		name = "Provimi " + e.Code
		for _, s := range cfg.Subjects {
			if s.Kind == e.Code {
				name += " — " + s.Name
				break
			}
		}
	default:
		var names []string
		for _, s := range cfg.Electives() {
			if len(e.Subjects) == 0 || slices.Contains(e.Subjects, s.Code) {
				names = append(names, s.Name)
			}
		}
		name = "Provimet me zgjedhje"
		if len(names) > 0 && len(names) <= 4 {
			name += " — " + strings.Join(names, ", ")
		}
	}
	if e.Session == 2 {
		name += " (sesioni i dytë)"
	}
	return name
}

func examArticle(e examyear.ExamDay) string {
	if e.Session == 2 {
		return "Neni 16 ¶2, 58"
	}
	return "Neni 14–16"
}

// DrawAt is when the staff draw of an exam that starts at start takes
// place: DrawHoursBefore hours before it (Neni 10.9, 44 ¶2, 47.5).
func DrawAt(cfg examyear.Config, start time.Time) time.Time {
	return start.Add(-time.Duration(cfg.Staffing.DrawHoursBefore) * time.Hour)
}

// MaterialsAt is when the PAP collects the exam materials from the KMSH:
// MaterialsHoursBefore hours before the exam starts (Neni 44 ¶1).
func MaterialsAt(cfg examyear.Config, start time.Time) time.Time {
	return start.Add(-time.Duration(cfg.Staffing.MaterialsHoursBefore) * time.Hour)
}

// NextExam is the first exam day of session 1 of cfg that has not ended
// at now (the one the commissions prepare for), with its start; ok is
// false after the last.
func NextExam(cfg examyear.Config, now time.Time) (e examyear.ExamDay, start time.Time, ok bool) {
	var best examyear.ExamDay
	var bestStart time.Time
	for _, x := range cfg.Exams {
		if x.Session != 1 {
			continue
		}
		s, end, good := x.Span()
		if !good || !end.After(now) {
			continue
		}
		if !ok || s.Before(bestStart) {
			best, bestStart, ok = x, s, true
		}
	}
	return best, bestStart, ok
}

// DayWord says when t is seen from now, in Tirana: "sot", "nesër", or the
// date ("15.06.2027").
func DayWord(now, t time.Time) string {
	now, t = now.In(clock.Tirana), t.In(clock.Tirana)
	d0 := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, clock.Tirana)
	d1 := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, clock.Tirana)
	switch int(d1.Sub(d0).Hours()/24 + 0.5) {
	case 0:
		return "sot"
	case 1:
		return "nesër"
	}
	return t.Format("02.01.2006")
}

// At says when t is, from now: "sot në orën 07:00", "nesër në orën
// 07:00", "më 15.06.2027 në orën 07:00".
func At(now, t time.Time) string {
	w := DayWord(now, t)
	if w != "sot" && w != "nesër" {
		w = "më " + w
	}
	return w + " në orën " + t.In(clock.Tirana).Format("15:04")
}

// Around says when t is, from now, with a preposition of time: "para"
// ("nesër, para orës 09:00"), "pas" ("nesër, pas orës 12:30") or "nga"
// ("nesër, nga ora 09:00").
func Around(now, t time.Time, prep string) string {
	w := DayWord(now, t)
	if w != "sot" && w != "nesër" {
		w = "më " + w
	}
	hm := t.In(clock.Tirana).Format("15:04")
	switch prep {
	case "para", "pas":
		return w + ", " + prep + " orës " + hm
	case "nga":
		return w + ", nga ora " + hm
	}
	return At(now, t)
}

// daysLeft is how many calendar days from now's day to date (YYYY-MM-DD);
// ok is false for a date that does not parse.
func daysLeft(now time.Time, date string) (int, bool) {
	d, err := time.Parse("2006-01-02", date)
	if err != nil {
		return 0, false
	}
	n := now.In(clock.Tirana)
	today := time.Date(n.Year(), n.Month(), n.Day(), 0, 0, 0, 0, time.UTC)
	return int(d.Sub(today).Hours() / 24), true
}
