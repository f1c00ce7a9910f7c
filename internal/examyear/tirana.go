package examyear

import "provim/internal/clock"

// Tirana is the time zone of every deadline (clock.Tirana).
var Tirana = clock.Tirana

// Stamp writes a stored RFC 3339 time as the day and hour in Tirana
// (clock.Stamp).
func Stamp(stored string) string { return clock.Stamp(stored) }
