package venue

import (
	"fmt"
	"strings"
	"testing"
)

func cands(school string, n int, firstID int64) []*pCand {
	out := make([]*pCand, n)
	for i := range out {
		out[i] = &pCand{ID: firstID + int64(i), School: school, SortKey: []byte(fmt.Sprintf("%s%04d", school, i))}
	}
	return out
}

func room(id int64, seats int) pRoom {
	return pRoom{ID: id, Name: fmt.Sprintf("Salla %d", id), Seats: seats}
}

func venueOf(code, school, city string, public bool, rooms ...pRoom) *pVenue {
	v := &pVenue{Code: code, Name: code, Unit: "U", City: city, School: school, Public: public, Rooms: rooms}
	for _, r := range rooms {
		v.Seats += r.Seats
	}
	return v
}

// A large school whose building is too small sits there as far as its
// seats go; the rest is placed in another venue, explained.
func TestNeni39_LargeSchoolOverflowsItsBuilding(t *testing.T) {
	u := unit{Code: "U", Name: "DAR U", City: "Qyteti"}
	big := &pSchool{Code: "S1", Unit: "U", City: "Qyteti", Public: true, Cands: cands("S1", 50, 1)}
	venues := []*pVenue{venueOf("V1", "S1", "Qyteti", true, room(1, 30)), venueOf("V2", "S2", "Qyteti", true, room(2, 30))}
	groups, err := planUnit(u, false, []*pSchool{big}, venues)
	if err != nil {
		t.Fatal(err)
	}
	if len(groups) != 2 || groups[0].Venue != "V1" || groups[0].Candidates != 30 || groups[1].Venue != "V2" || groups[1].Candidates != 20 ||
		!strings.Contains(groups[1].Reason, "nuk zënë vend") {
		t.Fatalf("groups: %+v", groups)
	}
}

// A group no single venue can take is split over venues, and the split is
// explained; when the unit lacks seats the error names it with numbers.
func TestNeni39_SplitAndShortage(t *testing.T) {
	u := unit{Code: "U", Name: "DAR U", City: "Qyteti"}
	np := &pSchool{Code: "P", Unit: "U", City: "Qyteti", Public: false, Cands: cands("P", 40, 1)}
	venues := []*pVenue{venueOf("V1", "S1", "Qyteti", true, room(1, 25)), venueOf("V2", "S2", "Qyteti", true, room(2, 25))}
	groups, err := planUnit(u, false, []*pSchool{np}, venues)
	if err != nil || len(groups) != 2 || !strings.Contains(groups[0].Reason, "Asnjë qendër nuk i merr të gjithë") {
		t.Fatalf("split: %+v %v", groups, err)
	}
	// Non-public candidates never in a building that is not a public school's.
	venues = []*pVenue{venueOf("V1", "", "Qyteti", false, room(1, 60))}
	_, err = planUnit(u, false, []*pSchool{{Code: "P", Unit: "U", City: "Qyteti", Cands: cands("P", 40, 1)}}, venues)
	if err == nil || !strings.Contains(err.Error(), "40 kandidatë") || !strings.Contains(err.Error(), "jopublike") {
		t.Fatalf("non-public in a non-public building: %v", err)
	}
	_, err = planUnit(u, false, []*pSchool{{Code: "S", Unit: "U", City: "Qyteti", Public: true, Cands: cands("S", 70, 1)}},
		[]*pVenue{venueOf("V1", "S", "Qyteti", true, room(1, 30), room(2, 30))})
	if err == nil || !strings.Contains(err.Error(), "70 kandidatë") || !strings.Contains(err.Error(), "60 vende") {
		t.Fatalf("shortage: %v", err)
	}
}

// Rooms: as few as possible, spread evenly, never over their seats, the
// candidates in alphabetical blocks room after room.
func TestNeni52_SeatRoomsEvenAndWithinCapacity(t *testing.T) {
	v := venueOf("V", "S", "Q", true, room(1, 30), room(2, 30), room(3, 30), room(4, 10))
	cs := cands("S", 61, 1)
	seatRooms(v, cs)
	per := map[int64]int{}
	for i, c := range cs {
		per[c.Room]++
		if i > 0 && cs[i-1].Room > c.Room {
			t.Fatalf("not in alphabetical blocks at %d", i)
		}
	}
	if per[1] != 21 || per[2] != 20 || per[3] != 20 || per[4] != 0 {
		t.Fatalf("per room: %v", per)
	}
	for _, r := range v.Rooms {
		if per[r.ID] > r.Seats {
			t.Fatalf("room %d over capacity", r.ID)
		}
	}
}

// Neni 39 ¶1 at its boundary: a public school of exactly 20 candidates is
// grouped into a shared venue even though it has a suitable building of
// its own; one of 21 sits in its own building. A school of 21 whose
// building is not suitable (not among the venues) is placed elsewhere.
func TestNeni39_1_TwentyGroupedTwentyOneOwnBuilding(t *testing.T) {
	u := unit{Code: "U", Name: "DAR U", City: "Qyteti"}
	schools := []*pSchool{
		{Code: "S1", Unit: "U", City: "Qyteti", Public: true, Cands: cands("S1", 30, 1)},
		{Code: "S2", Unit: "U", City: "Qyteti", Public: true, Cands: cands("S2", 20, 101)},
		{Code: "S3", Unit: "U", City: "Qyteti", Public: true, Cands: cands("S3", 21, 201)},
	}
	venues := []*pVenue{
		venueOf("V1", "S1", "Qyteti", true, room(1, 30), room(2, 30)),
		venueOf("V2", "S2", "Qyteti", true, room(3, 30)),
		venueOf("V3", "S3", "Qyteti", true, room(4, 30)),
	}
	groups, err := planUnit(u, false, schools, venues)
	if err != nil {
		t.Fatal(err)
	}
	by := map[string]pGroup{}
	for _, g := range groups {
		if _, dup := by[g.School]; dup {
			t.Fatalf("school %s split: %+v", g.School, groups)
		}
		by[g.School] = g
	}
	if g := by["S2"]; g.Venue != "V1" || g.Candidates != 20 || !strings.Contains(g.Reason, "20 kandidatë (≤ 20)") || !strings.Contains(g.Reason, "grupohet") {
		t.Errorf("20 candidates: %+v, want grouped into V1", g)
	}
	if g := by["S3"]; g.Venue != "V3" || g.Candidates != 21 || !strings.Contains(g.Reason, "Në mjedisin e vet (21 kandidatë)") {
		t.Errorf("21 candidates: %+v, want in its own V3", g)
	}
	for _, c := range schools[1].Cands {
		if c.Venue != "V1" {
			t.Fatalf("candidate %d of S2 in %s", c.ID, c.Venue)
		}
	}
	for _, c := range schools[2].Cands {
		if c.Venue != "V3" {
			t.Fatalf("candidate %d of S3 in %s", c.ID, c.Venue)
		}
	}

	// 21 candidates, but the school's building was not found suitable: it
	// is not a venue, so the school goes to another one, explained.
	s4 := &pSchool{Code: "S4", Unit: "U", City: "Qyteti", Public: true, Cands: cands("S4", 21, 301)}
	groups, err = planUnit(u, false, []*pSchool{s4}, []*pVenue{venueOf("V1", "S1", "Qyteti", true, room(1, 30))})
	if err != nil {
		t.Fatal(err)
	}
	if len(groups) != 1 || groups[0].Venue != "V1" || groups[0].Candidates != 21 || !strings.Contains(groups[0].Reason, "nuk ka mjedis të vetin") {
		t.Fatalf("21 without a suitable building: %+v", groups)
	}
}
