package draw

import (
	"strings"
	"testing"
)

// TestNeni47_6_7_OnlyTheVenuesAreDrawnTheLineMovesDownTheList: the draw
// orders the venues (Neni 47.6); each venue in that order takes the next
// names down the published alphabetical list of each role (Neni 47.7),
// passing over a person who may not serve there (Neni 47.8, 50), who then
// stays for the next venue.
func TestNeni47_6_7_OnlyTheVenuesAreDrawnTheLineMovesDownTheList(t *testing.T) {
	t.Parallel()
	in := Inputs{Version: Version, Year: 2027, Session: 1, Exam: "D1", Unit: "DAR-A", ExamSubjects: []string{"D1", "GJSH"},
		Venues: []Venue{
			{Code: "Q-1", Name: "Qendra 1", Schools: []string{"S-1"}, Rooms: []Room{{ID: 11, Candidates: 20, AP: 1}}, PAP: 1},
			{Code: "Q-2", Name: "Qendra 2", Schools: []string{"S-2"}, Rooms: []Room{{ID: 21, Candidates: 20, AP: 1}}, PAP: 1},
			{Code: "Q-3", Name: "Qendra 3", Schools: []string{"S-3"}, Rooms: []Room{{ID: 31, Candidates: 20, AP: 1}}, PAP: 1},
		},
		Pool: []Person{
			{ID: 1, Name: "Ahmeti Ana", Role: RolePAP, School: "S-9"},
			{ID: 2, Name: "Bardhi Besa", Role: RolePAP, School: "S-9"},
			{ID: 3, Name: "Çela Çlirim", Role: RolePAP, School: "S-9"},
			{ID: 10, Name: "Dema Dea", Role: RoleAP, School: "S-2"},
			{ID: 11, Name: "Ëngjëlli Era", Role: RoleAP, School: "S-9", Subjects: []string{"GJSH"}},
			{ID: 12, Name: "Frashëri Fan", Role: RoleAP, School: "S-9"},
			{ID: 13, Name: "Gjoka Gent", Role: RoleAP, School: "S-9"},
		},
	}
	Seal(&in, strings.Repeat("cd", 32))
	for _, entropy := range []string{"17 42 8", "3 1 4 1 5", "99"} {
		out, err := Compute(in, strings.Repeat("ab", 32), entropy)
		if err != nil || len(out.Shortages) > 0 {
			t.Fatalf("%s: %v %+v", entropy, err, out.Shortages)
		}
		got := map[string]map[string]int64{RolePAP: {}, RoleAP: {}}
		for _, a := range out.Assignments {
			got[a.Role][a.Venue] = a.StaffID
		}
		// PAP: the first drawn venue takes the first name, and so on.
		for i, v := range out.VenueOrder {
			if got[RolePAP][v] != int64(i+1) {
				t.Errorf("%s: PAP of the %d. drawn venue %s is %d, want %d", entropy, i+1, v, got[RolePAP][v], i+1)
			}
		}
		// AP: Ëngjëlli teaches the exam's subject and is never drawn; Dema
		// works at S-2 and is passed over for Q-2 but taken by the next venue.
		var aps []int64
		for _, v := range out.VenueOrder {
			aps = append(aps, got[RoleAP][v])
		}
		want := []int64{10, 12, 13}
		if out.VenueOrder[0] == "Q-2" {
			want = []int64{12, 10, 13}
		}
		for i := range want {
			if aps[i] != want[i] {
				t.Errorf("%s: AP in drawn order %v = %v, want %v", entropy, out.VenueOrder, aps, want)
				break
			}
		}
	}
}
