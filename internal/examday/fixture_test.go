package examday_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"provim/internal/auth"
	"provim/internal/demo"
	"provim/internal/examday"
	"provim/internal/testkit"
)

var ava = &auth.Principal{Username: "ava", FullName: "AVA", Role: auth.RoleAVA}

const year = 2027

// world is a small synthetic country run through the demo's phases up to
// the morning of D1: final lists, the plan, the staff draw, the packages
// in the KMSH safes, the codes generated and the key holders named.
type world struct {
	k   *testkit.Kit
	ctx context.Context
	svc *examday.Service
}

func newWorld(t testing.TB) *world {
	t.Helper()
	ctx := context.Background()
	k := testkit.New(t)
	if _, err := k.Years.Create(ctx, ava, year, "", 2009); err != nil {
		t.Fatal(err)
	}
	if err := k.Years.SetActive(ctx, ava, year); err != nil {
		t.Fatal(err)
	}
	if err := demo.Load(ctx, k.Registry, ava, demo.GenerateN(20270601, year, 1500), nil); err != nil {
		t.Fatal(err)
	}
	quiet := func(string) {}
	if err := demo.RunApplications(ctx, k.Services, k.Clock, ava, 20270601, quiet); err != nil {
		t.Fatal(err)
	}
	if err := demo.RunVenuePlan(ctx, k.Services, k.Clock, ava, quiet); err != nil {
		t.Fatal(err)
	}
	if err := demo.RunDraws(ctx, k.Services, k.Clock, ava, quiet); err != nil {
		t.Fatal(err)
	}
	if err := demo.RunCustody(ctx, k.Services, k.Clock, ava, quiet); err != nil {
		t.Fatal(err)
	}
	if _, err := k.Anonym.Generate(ctx, ava, year, "D1"); err != nil {
		t.Fatal(err)
	}
	if _, err := k.Anonym.NameHolders(ctx, ava, year, "D1", []string{"Mbajtësi 1", "Mbajtësi 2", "Mbajtësi 3"}, 2); err != nil {
		t.Fatal(err)
	}
	return &world{k: k, ctx: ctx, svc: k.ExamDay}
}

// staffAt is a venue of the world with its drawn staff by role.
type staffAt struct {
	venue string
	roles map[string][]int64 // PAP, AP, AS, KMSH → staff ids
	rooms int
}

// venues returns the venues the draw placed staff at, with their rooms in
// the plan, by venue code.
func (w *world) venues(t testing.TB) map[string]*staffAt {
	t.Helper()
	list, err := w.k.Draws.DrawnAtAll(w.ctx, year, "")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]*staffAt{}
	for _, d := range list {
		v := out[d.Venue]
		if v == nil {
			v = &staffAt{venue: d.Venue, roles: map[string][]int64{}}
			out[d.Venue] = v
		}
		v.roles[d.Role] = append(v.roles[d.Role], d.StaffID)
	}
	counts, err := w.k.Venues.ExamDayRoomCounts(w.ctx, year, 1, "D1")
	if err != nil {
		t.Fatal(err)
	}
	for code, v := range out {
		v.rooms = counts[code]
	}
	return out
}

// The AS wanted of a venue by pick.
const (
	anyAS = iota
	noAS
	withAS
)

// pick returns a venue with at least rooms rooms (exactly one when rooms
// is 1) and a drawn PAP, with or without a drawn AS.
func (w *world) pick(t testing.TB, rooms int, as int) *staffAt {
	t.Helper()
	for _, v := range w.venues(t) {
		has := len(v.roles["AS"]) > 0
		if (rooms == 1 && v.rooms != 1) || v.rooms < rooms || (as == noAS && has) || (as == withAS && !has) || len(v.roles["PAP"]) == 0 {
			continue
		}
		return v
	}
	t.Fatalf("no venue with %d rooms (AS %d)", rooms, as)
	return nil
}

func staff(role auth.Role, id int64) *auth.Principal {
	return &auth.Principal{Username: fmt.Sprintf("%s.%d", role, id), Role: role, StaffID: id}
}

// day returns a venue's day as AVA sees it.
func (w *world) day(t testing.TB, venue string) examday.VenueDay {
	t.Helper()
	v, err := w.svc.Venue(w.ctx, ava, 1, "D1", venue, true)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func (w *world) at(t testing.TB, hm string) { w.k.At(t, "2027-06-08 "+hm) }

func in(venue, room, regNo string) examday.CheckIn {
	return examday.CheckIn{Exam: "D1", Venue: venue, Room: room, RegNo: regNo, DocType: examday.DocIDCard, DocNo: "I" + regNo}
}

func count(t testing.TB, w *world, q string, args ...any) int {
	t.Helper()
	var n int
	if err := w.k.DB.QueryRow(q, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// testMoment is hh:mm of the D1 day in Tirana, as RFC 3339.
func testMoment(t testing.TB, hm string) string {
	return testkit.Moment(t, "2027-06-08 "+hm).Format(time.RFC3339)
}

func testStart(t testing.TB) time.Time { return testkit.Moment(t, "2027-06-08 10:00") }

func timeMinutes(n int) time.Duration { return time.Duration(n) * time.Minute }
