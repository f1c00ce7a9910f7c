package venue_test

import (
	"strings"
	"testing"
	"time"

	"provim/internal/venue"
)

// TestVenueListSaysNoCityTwice: the printed venue list (Neni 41) joins a
// venue's city and address without repeating the city an address already
// ends with (issue 11, part D: not "Shkodër, …, Shkodër"), and names
// the venues "qendra provimi", as every page does.
func TestVenueListSaysNoCityTwice(t *testing.T) {
	t.Parallel()
	l := venue.VenueList{Year: 2027, UnitName: "DAR Shkodër", Venues: []venue.Inspection{
		{VenueCode: "Q-S-1", VenueName: "Gjimnazi Migjeni", City: "Shkodër", Address: "Rruga Ura e Re 4, Shkodër"},
		{VenueCode: "Q-S-2", VenueName: "Gjimnazi 28 Nëntori", City: "Shkodër", Address: "Rruga Kolë Idromeno"},
		{VenueCode: "Q-S-3", VenueName: "Shkolla Pukë", City: "Pukë"},
	}}
	d := l.Document(time.Date(2027, 4, 20, 10, 0, 0, 0, time.UTC))
	if !strings.HasPrefix(d.Title, "Lista e qendrave të provimit") {
		t.Errorf("title %q", d.Title)
	}
	want := []string{"Rruga Ura e Re 4, Shkodër", "Shkodër, Rruga Kolë Idromeno", "Pukë"}
	for i, row := range d.Rows {
		if row[3] != want[i] {
			t.Errorf("row %d: place %q, want %q", i+1, row[3], want[i])
		}
	}
}
