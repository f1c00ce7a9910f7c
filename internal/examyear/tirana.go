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
