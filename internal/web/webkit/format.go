package webkit

import (
	"time"

	"provim/internal/albanian"
	"provim/internal/clock"
)

// Date writes a day (YYYY-MM-DD) as 02.01.2006 and a stored moment (RFC
// 3339) as the day and hour in Tirana; anything else as it is. It is the
// templates' date, for views that write their dates before the template
// runs.
func Date(s string) string {
	if t, err := time.Parse("2006-01-02", s); err == nil {
		return t.Format("02.01.2006")
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return clock.Format(t)
	}
	return s
}

// When is Date for the stamps of the application and draw pages (a moment
// first): the templates' when.
func When(s string) string {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return clock.Format(t)
	}
	if t, err := time.Parse("2006-01-02", s); err == nil {
		return t.Format("02.01.2006")
	}
	return s
}

// Grade writes a grade with a decimal comma, "—" for none: the templates'
// grade.
func Grade(g float64) string {
	if g == 0 {
		return "—"
	}
	return albanian.Decimal(g)
}
