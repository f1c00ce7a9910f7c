package venue_test

import (
	"context"
	"strings"
	"testing"

	"provim/internal/apperr"
	"provim/internal/venue"
)

// Neni 38.2: an inspected spacing under 120 cm refuses the venue and
// names the criterion; exactly 120 cm is enough; a wider spacing seats
// fewer, down to refusing the venue under Neni 38.1 when its only room
// falls below 15.
func TestNeni38_2_SpacingUnder120IsRefusedWiderSeatsFewer(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	w := newWorld(t)
	w.inspectAll(t) // every venue at exactly 120 cm
	// Q-A-2: one room of 800 × 500 cm with 20 desks.
	for _, c := range []struct {
		spacing  int
		suitable bool
		failed   string
		room     int // the room's seats at the spacing
		seats    int // the venue's seats
	}{
		{120, true, "", 20, 20},     // rows 6, columns 4 = 24, capped at 20 desks
		{119, false, "38.2", 20, 0}, // never seated closer than 120 cm, and refused
		{150, true, "", 15, 15},     // rows 5, columns 3 = 15
		{170, false, "38.1", 12, 0}, // rows 4, columns 3 = 12 < 15
	} {
		ch := good
		ch.SpacingCM = c.spacing
		got, err := w.svc.Inspect(ctx, kmshA, "Q-A-2", venue.InspectionInput{Checklist: ch})
		if err != nil {
			t.Fatalf("spacing %d: %v", c.spacing, err)
		}
		if got.Suitable != c.suitable || strings.Join(got.Failed, ",") != c.failed || got.Rooms[0].Seats != c.room || got.Seats != c.seats {
			t.Errorf("spacing %d: suitable=%v failed=%v room seats=%d seats=%d, want %v %q %d %d",
				c.spacing, got.Suitable, got.Failed, got.Rooms[0].Seats, got.Seats, c.suitable, c.failed, c.room, c.seats)
		}
		if c.failed == "38.2" && (!strings.Contains(got.FailedText, "Neni 38.2") || !strings.Contains(got.FailedText, "120 cm")) {
			t.Errorf("spacing %d: failed text %q does not name Neni 38.2", c.spacing, got.FailedText)
		}
	}
	ch := good
	ch.SpacingCM = 100
	if _, err := w.svc.Inspect(ctx, kmshA, "Q-A-2", venue.InspectionInput{Checklist: ch}); err != nil {
		t.Fatal(err)
	}
	_, err := w.svc.Override(ctx, kmshA, "D1", 1, venue.OverrideInput{StudentIDs: w.ids["A-2"][:1], Venue: "Q-A-2", Reason: "afër shtëpisë"})
	wantCode(t, err, apperr.Invalid, "Q-A-2", "Neni 38.2")
	w.day("2027-06-01")
	if _, err := w.svc.Plan(ctx, kmshA, "D1", 1, ""); err != nil {
		t.Fatal(err)
	}
	for id, s := range w.seats(t, "D1") {
		if s.Venue == "Q-A-2" {
			t.Fatalf("student %d planned in a venue spaced at 100 cm", id)
		}
	}
}

// Neni 38.3, 38.5, 38.6: a venue failing any one of them is refused, the
// criterion is named, the refusal is stored, and no candidate can be put
// there.
func TestNeni38_3_5_6_EachFailedCriterionIsNamedAndRefused(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	w := newWorld(t)
	w.inspectAll(t)
	for _, c := range []struct {
		code  string
		words string // from the criterion's label
		fail  func(*venue.Checklist)
	}{
		{"38.3", "aktivitete të tjera që ndërpresin provimin", func(c *venue.Checklist) { c.NoOtherActivity = false }},
		{"38.5", "postera", func(c *venue.Checklist) { c.NoPosters = false }},
		{"38.6", "në të njëjtin drejtim", func(c *venue.Checklist) { c.OneDirection = false }},
	} {
		t.Run(c.code, func(t *testing.T) {
			w.day("2027-04-01")
			ch := good
			c.fail(&ch)
			got, err := w.svc.Inspect(ctx, kmshA, "Q-A-2", venue.InspectionInput{Checklist: ch})
			if err != nil {
				t.Fatal(err)
			}
			if got.Suitable || strings.Join(got.Failed, ",") != c.code || got.Seats != 0 ||
				!strings.Contains(got.FailedText, "Neni "+c.code) || !strings.Contains(got.FailedText, c.words) {
				t.Fatalf("inspection: suitable=%v failed=%v text=%q seats=%d", got.Suitable, got.Failed, got.FailedText, got.Seats)
			}
			var suitable bool
			var failed string
			w.db.QueryRow(`SELECT suitable, failed FROM venue_inspections WHERE year = 2027 AND venue_code = 'Q-A-2'`).Scan(&suitable, &failed)
			if suitable || failed != c.code {
				t.Errorf("stored: suitable=%v failed=%q", suitable, failed)
			}
			_, err = w.svc.Override(ctx, kmshA, "D1", 1, venue.OverrideInput{StudentIDs: w.ids["A-2"][:1], Venue: "Q-A-2", Reason: "afër shtëpisë"})
			wantCode(t, err, apperr.Invalid, "Q-A-2", "Neni "+c.code, c.words)
			w.day("2027-06-01")
			if _, err := w.svc.Plan(ctx, kmshA, "D1", 1, ""); err != nil {
				t.Fatal(err)
			}
			for id, s := range w.seats(t, "D1") {
				if s.Venue == "Q-A-2" {
					t.Fatalf("student %d planned in a venue failing Neni %s", id, c.code)
				}
			}
		})
	}
}

// Neni 39 ¶3 on a KMSH override: candidates of a non-public school are
// never moved into a building that is not a public school's — here the
// non-public school's own building, inspected as suitable — and the
// refused move changes nothing; a public school's candidate may sit there.
func TestNeni39_3_OverrideRefusesNonPublicIntoNonPublicVenue(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	w := newWorld(t)
	if _, err := w.Registry.Import(ctx, ava, "venues", "venues.csv", strings.NewReader(
		"kodi_qendres,emri_qendres,kodi_shkolles,qyteti,salla,kati,vende,gjatesia_cm,gjeresia_cm\n"+
			"Q-A-3,Kolegji Privat Arti,A-3,Tiranë,Salla 1,0,30,900,600\n"), nil); err != nil {
		t.Fatal(err)
	}
	w.inspectAll(t)
	got, err := w.svc.Inspect(ctx, kmshA, "Q-A-3", venue.InspectionInput{Checklist: good})
	if err != nil || !got.Suitable || got.Public {
		t.Fatalf("Q-A-3: suitable=%v public=%v %v", got.Suitable, got.Public, err)
	}
	w.day("2027-06-01")
	if _, err := w.svc.Plan(ctx, kmshA, "D1", 1, ""); err != nil {
		t.Fatal(err)
	}
	before := w.seats(t, "D1")
	for _, id := range w.ids["A-3"] {
		if before[id].Venue == "Q-A-3" {
			t.Fatalf("the plan put A-3's candidate %d in its own non-public building", id)
		}
	}
	// One candidate, and the whole school.
	_, err = w.svc.Override(ctx, kmshA, "D1", 1, venue.OverrideInput{StudentIDs: w.ids["A-3"][:1], Venue: "Q-A-3", Reason: "afër shtëpisë"})
	wantCode(t, err, apperr.Invalid, "jopublike", "Neni 39", "Kolegji Privat Arti")
	_, err = w.svc.Override(ctx, ava, "D1", 1, venue.OverrideInput{School: "A-3", Venue: "Q-A-3", Reason: "kërkesë e shkollës"})
	wantCode(t, err, apperr.Invalid, "jopublike", "Neni 39")
	// A mixed move (a public school's candidate with a non-public one) is
	// refused whole.
	_, err = w.svc.Override(ctx, kmshA, "D1", 1, venue.OverrideInput{StudentIDs: []int64{w.ids["A-2"][0], w.ids["A-3"][0]}, Venue: "Q-A-3", Reason: "x"})
	wantCode(t, err, apperr.Invalid, "jopublike", "Neni 39")
	after := w.seats(t, "D1")
	for id, s := range before {
		if after[id] != s {
			t.Fatalf("refused overrides moved student %d: %+v → %+v", id, s, after[id])
		}
	}
	// Neni 39 ¶3 binds non-public schools only.
	id := w.ids["A-2"][0]
	if n, err := w.svc.Override(ctx, kmshA, "D1", 1, venue.OverrideInput{StudentIDs: []int64{id}, Venue: "Q-A-3", Reason: "afër shtëpisë"}); err != nil || n != 1 {
		t.Fatalf("public school's candidate into Q-A-3: %d %v", n, err)
	}
	if s := w.seats(t, "D1")[id]; s.Venue != "Q-A-3" {
		t.Fatalf("moved to %+v", s)
	}
}
