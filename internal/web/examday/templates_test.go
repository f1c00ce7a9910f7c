package examday

import (
	"testing"

	"provim/internal/examday"
	"provim/internal/web/webkit/webkittest"
)

// TestTemplates parses every page of the area and executes it with a
// filled sample of its view.
func TestTemplates(t *testing.T) {
	t.Parallel()
	v := examday.VenueDay{Rooms: []examday.RoomDay{{Name: "A1", Entries: []examday.Entry{{Status: "waiting"}, {Status: "present", Seat: 1}}}},
		Staff: []examday.Staff{{Role: "AP", Name: "X"}}, Causes: examday.Causes, Events: []examday.Event{{Kind: "exclusion", Cause: "54.5"}},
		Labels: []examday.LabelCount{{Room: "A1"}}, Packing: &examday.Packing{}}
	v.Assignment.Role = "pap"
	b := examday.Board{Rows: []examday.BoardRow{{Venue: "Q", Flags: []string{"x"}}}}
	webkittest.ExecuteAll(t, Templates, map[string]any{
		"examday_index":      indexView{Board: &b},
		"examday_venue":      venueView{V: v, Session: 1},
		"examday_room":       roomView{V: v, Room: v.Rooms[0], Session: 1},
		"examday_attendance": []examday.Attendance{{Status: "excluded", Cause: "54.5"}},
	})
}
