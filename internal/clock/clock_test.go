package clock

import (
	"sync"
	"testing"
	"time"
)

func TestManualStandsStillUntilMoved(t *testing.T) {
	t.Parallel()
	start := time.Date(2027, 6, 8, 7, 30, 0, 0, Tirana)
	m := Fixed(start)
	if got := m.Now(); !got.Equal(start) {
		t.Fatalf("Fixed: %v, want %v", got, start)
	}
	time.Sleep(2 * time.Millisecond)
	if got := m.Now(); !got.Equal(start) {
		t.Fatalf("a manual clock moved by itself: %v", got)
	}
	m.Advance(90 * time.Minute)
	if got, want := m.Now(), start.Add(90*time.Minute); !got.Equal(want) {
		t.Errorf("Advance: %v, want %v", got, want)
	}
	later := time.Date(2027, 6, 9, 0, 0, 0, 0, time.UTC)
	m.Set(later)
	if got := m.Now(); !got.Equal(later) {
		t.Errorf("Set: %v, want %v", got, later)
	}

	// Safe for concurrent use: the test and the services read and move it
	// from several goroutines (run with -race).
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 100 {
				m.Advance(time.Second)
				m.Now()
			}
		})
	}
	wg.Wait()
	if got, want := m.Now(), later.Add(800*time.Second); !got.Equal(want) {
		t.Errorf("after concurrent advances: %v, want %v", got, want)
	}
}

func TestTrainingAtAMomentRunsOnFromIt(t *testing.T) {
	t.Parallel()
	day := time.Date(2027, 6, 8, 7, 20, 0, 0, Tirana)
	c := NewTraining(day, true)
	first := c.Now()
	if d := first.Sub(day); d < 0 || d > time.Second {
		t.Fatalf("training clock at %v starts at %v", day, first)
	}
	time.Sleep(20 * time.Millisecond)
	if d := c.Now().Sub(first); d < 20*time.Millisecond || d > 5*time.Second {
		t.Errorf("training clock moved by %v in 20ms", d)
	}
	if got := c.Label(); got != "08.06.2027 07:20" {
		t.Errorf("Label %q", got)
	}
	if got := TrainingLabel(c); got != "08.06.2027 07:20" {
		t.Errorf("TrainingLabel %q", got)
	}
}

func TestTrainingOnADayKeepsTheRealTimeOfDay(t *testing.T) {
	t.Parallel()
	// 23:30 UTC on the 7th is already the 8th in Tirana: the day is
	// Tirana's.
	day := time.Date(2027, 6, 7, 23, 30, 0, 0, time.UTC)
	c := NewTraining(day, false)
	before := time.Now().In(Tirana)
	got := c.Now()
	after := time.Now().In(Tirana)
	if got.Location() != Tirana {
		t.Errorf("location %v, want Tirana", got.Location())
	}
	if y, m, d := got.Date(); y != 2027 || m != time.June || d != 8 {
		t.Errorf("training day %v, want 8 June 2027 in Tirana", got)
	}
	// The time of day is the real one, in Tirana.
	of := func(t time.Time) time.Duration {
		return time.Duration(t.Hour())*time.Hour + time.Duration(t.Minute())*time.Minute +
			time.Duration(t.Second())*time.Second + time.Duration(t.Nanosecond())
	}
	if lo, hi, x := of(before), of(after), of(got); lo <= hi && (x < lo || x > hi) {
		t.Errorf("time of day %v, want between %v and %v", x, lo, hi)
	}
	if got := c.Label(); got != "08.06.2027" {
		t.Errorf("Label %q", got)
	}
}

func TestTrainingLabelOfOtherClocks(t *testing.T) {
	t.Parallel()
	for _, c := range []Clock{Real{}, Fixed(time.Now())} {
		if got := TrainingLabel(c); got != "" {
			t.Errorf("TrainingLabel(%T) = %q, want none", c, got)
		}
	}
}

// TestTiranaWhateverTheHostZone: every time shown to a person is Tirana
// time, in summer (CEST) and in winter (CET), whatever the host's zone
// (run also with TZ=UTC); storage is RFC 3339 in UTC.
func TestTiranaWhateverTheHostZone(t *testing.T) {
	// Not parallel: it moves time.Local, the host's zone, for its run.
	defer func(l *time.Location) { time.Local = l }(time.Local)
	for _, host := range []*time.Location{time.UTC, time.FixedZone("UTC-7", -7*3600), time.FixedZone("UTC+9", 9*3600)} {
		time.Local = host
		if Tirana.String() != "Europe/Tirane" {
			t.Errorf("Tirana is %q", Tirana)
		}
		summer := time.Date(2027, 6, 8, 5, 30, 0, 0, time.UTC) // 07:30 in Tirana
		winter := time.Date(2027, 1, 15, 23, 15, 0, 0, time.UTC)
		for _, c := range []struct {
			at               time.Time
			format, day, utc string
		}{
			{summer, "08.06.2027 07:30", "08.06.2027", "2027-06-08T05:30:00Z"},
			{summer.In(host), "08.06.2027 07:30", "08.06.2027", "2027-06-08T05:30:00Z"},
			{winter, "16.01.2027 00:15", "16.01.2027", "2027-01-15T23:15:00Z"}, // the next day in Tirana
			{winter.In(host), "16.01.2027 00:15", "16.01.2027", "2027-01-15T23:15:00Z"},
		} {
			if got := Format(c.at); got != c.format {
				t.Errorf("host %v: Format(%v) = %q, want %q", host, c.at, got, c.format)
			}
			if got := Day(c.at); got != c.day {
				t.Errorf("host %v: Day(%v) = %q, want %q", host, c.at, got, c.day)
			}
			if got := Stored(c.at); got != c.utc {
				t.Errorf("host %v: Stored(%v) = %q, want %q", host, c.at, got, c.utc)
			}
			if got := Stamp(Stored(c.at)); got != c.format {
				t.Errorf("host %v: Stamp(%q) = %q, want %q", host, Stored(c.at), got, c.format)
			}
		}
		if got := Stamp("2027-06-08T05:30:00.123456Z"); got != "08.06.2027 07:30" {
			t.Errorf("host %v: Stamp with fraction = %q", host, got)
		}
		if got := Stamp("2027-06-08T07:30:00+02:00"); got != "08.06.2027 07:30" {
			t.Errorf("host %v: Stamp with offset = %q", host, got)
		}
	}
	for _, bad := range []string{"", "08.06.2027", "not a time"} {
		if got := Stamp(bad); got != "—" {
			t.Errorf("Stamp(%q) = %q, want —", bad, got)
		}
	}
}

func TestTimerMeasuresWallTime(t *testing.T) {
	t.Parallel()
	tm := StartTimer()
	time.Sleep(5 * time.Millisecond)
	if d := tm.Elapsed(); d < 5*time.Millisecond || d > 5*time.Second {
		t.Errorf("Elapsed %v after 5ms", d)
	}
}
