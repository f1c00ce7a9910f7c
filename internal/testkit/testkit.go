// Package testkit is the one fixture kit of provim's tests: a fresh
// database on the engine the run is for (SQLite, or PostgreSQL when
// PROVIM_TEST_DATABASE_URL is set), every service wired over it as
// cmd/provim wires them, a manual clock the test moves, and the
// principals of every role.
package testkit

import (
	"context"
	"testing"
	"time"

	"provim/internal/auth"
	"provim/internal/clock"
	"provim/internal/store/storetest"
	"provim/internal/wire"
)

// Kit is one test's system: its services, over its own database, on its
// own clock.
type Kit struct {
	*wire.Services
	Clock *clock.Manual
}

// Start is the moment a Kit's clock stands on until the test moves it.
var Start = time.Date(2027, 3, 1, 10, 0, 0, 0, clock.Tirana)

// New opens a fresh migrated database for t, with exam year 2009 (the
// default configuration) in it, and wires every service over it on a
// manual clock standing on Start.
func New(t testing.TB) *Kit {
	t.Helper()
	clk := clock.Fixed(Start)
	k := &Kit{Services: wire.New(storetest.Open(t), clk), Clock: clk}
	if err := k.Years.EnsureDefault(context.Background()); err != nil {
		t.Fatalf("testkit: exam year: %v", err)
	}
	return k
}

// At moves the clock to a day and time in Tirana, "2027-06-08 07:30" or
// "2027-06-08" (10:00 that day).
func (k *Kit) At(t testing.TB, when string) {
	t.Helper()
	k.Clock.Set(Moment(t, when))
}

// Moment reads "2027-06-08 07:30" or "2027-06-08" (10:00) in Tirana.
func Moment(t testing.TB, when string) time.Time {
	t.Helper()
	if m, err := time.ParseInLocation("2006-01-02 15:04", when, clock.Tirana); err == nil {
		return m
	}
	d, err := time.ParseInLocation("2006-01-02", when, clock.Tirana)
	if err != nil {
		t.Fatalf("testkit: moment %q: %v", when, err)
	}
	return d.Add(10 * time.Hour)
}

// Principals of every role; scoped roles get the scope given.
var AVA = &auth.Principal{Username: "ava", FullName: "AVA", Role: auth.RoleAVA}

// KMSH is the regional commission of unit.
func KMSH(unit string) *auth.Principal {
	return &auth.Principal{Username: "kmsh." + unit, FullName: "KMSH " + unit, Role: auth.RoleKMSH, Unit: unit}
}

// KSHMSH is the school commission of school.
func KSHMSH(school string) *auth.Principal {
	return &auth.Principal{Username: "kshmsh." + school, FullName: "KSHMSH " + school, Role: auth.RoleKSHMSH, School: school}
}

// PAP is the head of venue.
func PAP(venue string) *auth.Principal {
	return &auth.Principal{Username: "pap." + venue, FullName: "PAP " + venue, Role: auth.RolePAP, Venue: venue}
}

// Student is the candidate with id.
func Student(id int64) *auth.Principal {
	return &auth.Principal{Username: "nxenes", FullName: "Nxënës", Role: auth.RoleStudent, StudentID: id}
}
