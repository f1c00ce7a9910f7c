package webkit

import (
	"fmt"
	"html/template"
	"net/url"
	"time"

	"provim/internal/albanian"
	"provim/internal/auth"
	"provim/internal/clock"
	"provim/internal/doc"
)

// baseFuncs are the template functions of every page. Every time they
// write is Tirana time, whatever the host's zone (clock.Format).
func baseFuncs() template.FuncMap {
	return template.FuncMap{
		// date writes a day (YYYY-MM-DD) as 02.01.2006 and a stored
		// moment (RFC 3339) as the day and hour in Tirana.
		"date": func(s string) string {
			if t, err := time.Parse("2006-01-02", s); err == nil {
				return t.Format("02.01.2006")
			}
			if t, err := time.Parse(time.RFC3339, s); err == nil {
				return clock.Format(t)
			}
			return s
		},
		// when is date for the stamps of the application and draw pages.
		"when": func(s string) string {
			if t, err := time.Parse(time.RFC3339, s); err == nil {
				return clock.Format(t)
			}
			if t, err := time.Parse("2006-01-02", s); err == nil {
				return t.Format("02.01.2006")
			}
			return s
		},
		// stamp writes a moment to the second, in Tirana.
		"stamp": func(t time.Time) string { return t.In(clock.Tirana).Format("02.01.2006 15:04:05") },
		"grade": func(g float64) string {
			if g == 0 {
				return "—"
			}
			return albanian.Decimal(g)
		},
		"yesno": func(b bool) string {
			if b {
				return "Po"
			}
			return "Jo"
		},
		"add": func(a, b int) int { return a + b },
		"sub": func(a, b int) int { return a - b },
		"query": func(kv ...any) template.URL {
			v := url.Values{}
			for i := 0; i+1 < len(kv); i += 2 {
				if s := fmt.Sprint(kv[i+1]); s != "" && s != "0" {
					v.Set(fmt.Sprint(kv[i]), s)
				}
			}
			return template.URL(v.Encode())
		},
		"roleLabel": func(r string) string { return auth.Role(r).Label() },
		// cellLabel is the title of column i of a document table.
		"cellLabel": func(cols []doc.Column, i int) string {
			if i < len(cols) {
				return cols[i].Title
			}
			return ""
		},
	}
}
