package examyear

import (
	"time"
	_ "time/tzdata" // Europe/Tirane even where the system has no zoneinfo
)

// Tirana is the time zone of every deadline.
var Tirana = loadTirana()

func loadTirana() *time.Location {
	if loc, err := time.LoadLocation("Europe/Tirane"); err == nil {
		return loc
	}
	return time.FixedZone("CET", 60*60) // no summer time: last resort only
}

// Stamp writes a stored RFC 3339 time as the day and hour in Tirana
// ("08.06.2027 07:30"), the way every document and message shows it; ""
// or an unreadable value gives "—".
func Stamp(stored string) string {
	t, err := time.Parse(time.RFC3339Nano, stored)
	if err != nil {
		return "—"
	}
	return t.In(Tirana).Format("02.01.2006 15:04")
}
