// Package clock is provim's one source of the time. Nothing else calls
// time.Now: cmd/provim builds one Clock and the store and every service
// read it, so that --today (training, demonstrations, tests of a later
// phase) moves the whole system the same way, and a transaction stamps one
// moment on all its rows and audit entries (see store.InTx).
package clock

import (
	"sync"
	"time"
	_ "time/tzdata" // Europe/Tirane even where the system has no zoneinfo
)

// Clock tells the time.
type Clock interface {
	Now() time.Time
}

// Tirana is the zone of every deadline and of every time shown to a person
// (pages, receipts, PDFs, XLSX, the audit page), whatever the host's zone.
var Tirana = loadTirana()

func loadTirana() *time.Location {
	if loc, err := time.LoadLocation("Europe/Tirane"); err == nil {
		return loc
	}
	return time.FixedZone("CET", 60*60) // no summer time: last resort only
}

// Real is the wall clock.
type Real struct{}

// Now is the current time.
func (Real) Now() time.Time { return time.Now() }

// Manual stands still until it is set or advanced: tests stand on a chosen
// moment, and the demo walks the exam calendar day by day with it.
// It is safe for concurrent use.
type Manual struct {
	mu sync.Mutex
	t  time.Time
}

// Fixed returns a Manual clock standing on t.
func Fixed(t time.Time) *Manual { return &Manual{t: t} }

// Now is the moment the clock stands on.
func (m *Manual) Now() time.Time {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.t
}

// Set moves the clock to t.
func (m *Manual) Set(t time.Time) {
	m.mu.Lock()
	m.t = t
	m.mu.Unlock()
}

// Advance moves the clock on by d.
func (m *Manual) Advance(d time.Duration) {
	m.mu.Lock()
	m.t = m.t.Add(d)
	m.mu.Unlock()
}

// Training runs the exam calendar on a set day for training and
// demonstrations. Time passes at the real rate: with atMoment the clock
// starts at day's very moment and runs on from there (a draw window of
// Neni 47.5 can be rehearsed at any hour); without it the clock shows the
// set day with the real time of day, in Tirana.
type Training struct {
	day      time.Time
	atMoment bool
	started  time.Time
}

// NewTraining returns a training clock on day (see Training).
func NewTraining(day time.Time, atMoment bool) *Training {
	return &Training{day: day, atMoment: atMoment, started: time.Now()}
}

// Now is the training moment.
func (c *Training) Now() time.Time {
	if c.atMoment {
		return c.day.Add(time.Since(c.started))
	}
	now := time.Now().In(Tirana)
	y, m, d := c.day.In(Tirana).Date()
	return time.Date(y, m, d, now.Hour(), now.Minute(), now.Second(), now.Nanosecond(), Tirana)
}

// Label says, in Albanian date format, the day (and the moment) the
// training clock was set to, for the banner every page shows.
func (c *Training) Label() string {
	if c.atMoment {
		return c.day.In(Tirana).Format("02.01.2006 15:04")
	}
	return c.day.In(Tirana).Format("02.01.2006")
}

// TrainingLabel is the banner text of a training clock, "" for any other.
func TrainingLabel(c Clock) string {
	if t, ok := c.(*Training); ok {
		return t.Label()
	}
	return ""
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

// Format writes t as the day and hour in Tirana ("08.06.2027 07:30").
func Format(t time.Time) string { return t.In(Tirana).Format("02.01.2006 15:04") }

// Day writes t as the day in Tirana ("08.06.2027").
func Day(t time.Time) string { return t.In(Tirana).Format("02.01.2006") }

// Stored is the form every time is stored in: RFC 3339 in UTC.
func Stored(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// Timer measures how long work takes on the wall clock (progress lines,
// request logs), whatever clock the exam calendar runs on.
type Timer struct{ start time.Time }

// StartTimer starts a Timer.
func StartTimer() Timer { return Timer{start: time.Now()} }

// Elapsed is the wall time since the timer started.
func (t Timer) Elapsed() time.Duration { return time.Since(t.start) }

// Started is the wall time the timer started at (a load test's result
// stamps).
func (t Timer) Started() time.Time { return t.start }
