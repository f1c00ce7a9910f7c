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
	"provim/internal/registry"
)

// baseFuncs are the template functions of every page. Every time they
// write is Tirana time, whatever the host's zone (clock.Format).
func baseFuncs() template.FuncMap {
	return template.FuncMap{
		// date writes a day (YYYY-MM-DD) as 02.01.2006 and a stored
		// moment (RFC 3339) as the day and hour in Tirana.
		"date": Date,
		// when is date for the stamps of the application and draw pages.
		"when": When,
		// stamp writes a moment to the second, in Tirana.
		"stamp": func(t time.Time) string { return t.In(clock.Tirana).Format("02.01.2006 15:04:05") },
		"grade": Grade,
		"yesno": func(b bool) string {
			if b {
				return "Po"
			}
			return "Jo"
		},
		// num writes a number with thousands separated (36.110); count
		// with its noun in the number it takes ("1 kandidat", "2
		// kandidatë"), agree the word that agrees with a count.
		"num": number,
		// monthDay writes a day of every year ("12-31") in words.
		"monthDay": albanian.MonthDay,
		"count":    albanian.Count,
		"agree":    albanian.Agree,
		"add":      func(a, b int) int { return a + b },
		"sub":      func(a, b int) int { return a - b },
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
		// place joins an address, a city, a DAR… without saying a place
		// twice ("Shkodër, Shkodër"); person writes a name as every page
		// does, "Emër (Atësi) Mbiemër" (registry.Place, PersonName).
		"place":  registry.Place,
		"person": registry.PersonName,
		// cellLabel is the title of column i of a document table.
		"cellLabel": func(cols []doc.Column, i int) string {
			if i < len(cols) {
				return cols[i].Title
			}
			return ""
		},
	}
}

// number is the template's num: an integer of any size with its
// thousands separated (albanian.Int); any other value as it is, so that a
// count that became another type never breaks a page.
func number(v any) string {
	switch n := v.(type) {
	case int:
		return albanian.Int(n)
	case int64:
		return albanian.Int(int(n))
	case int32:
		return albanian.Int(int(n))
	}
	return fmt.Sprint(v)
}
