package venue

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"provim/internal/albanian"
	"provim/internal/auth"
	"provim/internal/clock"
	"provim/internal/doc"
	"provim/internal/registry"
)

// VenueList is a unit's venue list (Neni 41 ¶1) with its status.
type VenueList struct {
	Year     int          `json:"year"`
	UnitCode string       `json:"unit_code"`
	UnitName string       `json:"unit_name"`
	Status   ListStatus   `json:"status"`
	Venues   []Inspection `json:"venues"`
}

// VenueList returns the venues of a unit (a DAR with its ZA) with their
// inspection and the list's status.
func (s *Service) VenueList(ctx context.Context, p *auth.Principal, unitCode string) (VenueList, error) {
	_, units, err := s.scopeUnits(ctx, p, unitCode)
	if err != nil {
		return VenueList{}, err
	}
	list, err := s.Inspections(ctx, p, unitCode)
	if err != nil {
		return VenueList{}, err
	}
	st, err := s.ListStatusOf(ctx, p, unitCode)
	if err != nil {
		return VenueList{}, err
	}
	y, err := s.year(ctx)
	if err != nil {
		return VenueList{}, err
	}
	return VenueList{Year: y.Year, UnitCode: unitCode, UnitName: units[unitCode].Name, Status: st, Venues: list}, nil
}

// Document is the printed venue list: every venue with its inspection,
// usable rooms and seats; the venues that failed a criterion of Neni 38
// are listed with it and no seats.
func (l VenueList) Document(now time.Time) doc.Table {
	title := "Lista e qendrave të provimit"
	if l.UnitName != "" {
		title += " — " + l.UnitName
	}
	t := doc.Table{
		Title: title,
		Subtitle: []string{fmt.Sprintf("Matura Shtetërore %d · Neni 37–41", l.Year),
			"Vendet e çdo salle sipas përmasave dhe largësisë ndërmjet nxënësve (Neni 38.2, 38.7)."},
		Columns: []doc.Column{{Title: "Nr.", Width: 0.5, Align: "R"}, {Title: "Kodi", Width: 1.1}, {Title: "Qendra", Width: 2.4},
			{Title: "Qyteti, adresa", Width: 2}, {Title: "Sallat (vende)", Width: 3}, {Title: "Vende", Width: 0.7, Align: "R"},
			{Title: "Inspektimi", Width: 2.2}},
		Landscape: true,
		Generated: now,
	}
	total := 0
	for i, v := range l.Venues {
		var rooms []string
		for _, r := range v.Rooms {
			if r.Usable && v.Suitable {
				rooms = append(rooms, fmt.Sprintf("%s (%d)", r.Name, r.Seats))
			}
		}
		status := "Pa inspektuar"
		switch {
		case v.Inspected && v.Suitable:
			status = "E përshtatshme, " + albanian.DateString(tiranaDay(v.InspectedAt))
		case v.Inspected:
			status = "E papërshtatshme: Neni " + strings.Join(v.Failed, ", ")
		}
		total += v.Seats
		place := registry.Place(v.City, v.Address) // not "Shkodër, …, Shkodër"
		t.Rows = append(t.Rows, []string{strconv.Itoa(i + 1), v.VenueCode, v.VenueName, place, strings.Join(rooms, ", "), strconv.Itoa(v.Seats), status})
	}
	t.Footer = []string{fmt.Sprintf("Gjithsej: %d qendra, %d vende.", len(l.Venues), total), "Kryetari i KMSH: ______________________", "Data: ____________"}
	return t
}

// Document is a room's printed name list with the empty columns for the
// code label (Neni 53.4) and the student's signature (Neni 53.3). Where
// the exam runs in one room the seat column carries the alphabetical seat
// (Neni 52.8); otherwise it is left empty and filled in the order of
// entry (Neni 52.7).
func (l RoomList) Document(now time.Time) doc.Table {
	seatNote := "Ulja një nga një sipas rendit të hyrjes; kolona «Vendi» plotësohet nga administratori (Neni 52.7)."
	if l.SingleRoom {
		seatNote = "Provimi zhvillohet në një sallë të vetme: nxënësit ulen sipas rendit alfabetik (Neni 52.8)."
	}
	t := doc.Table{
		Title: fmt.Sprintf("Lista emërore — %s, %s", l.Venue.Name, l.Room.Name),
		Subtitle: []string{
			fmt.Sprintf("Provimi %s — %s · sesioni %d · %s, ora %s", l.Exam, l.ExamName, l.Session, albanian.DateString(l.Date), l.Start),
			fmt.Sprintf("Qendra %s, %s · kati %d · %d kandidatë", l.Venue.Code, l.Venue.City, l.Room.Floor, len(l.Rows)),
			seatNote,
		},
		Columns: []doc.Column{{Title: "Nr.", Width: 0.5, Align: "R"}, {Title: "Nr. regjistrimi", Width: 1.3}, {Title: "Emri (atësia) mbiemri", Width: 3},
			{Title: "Shkolla", Width: 2.2}, {Title: "Vendi", Width: 0.7, Align: "C"}, {Title: "Etiketa e kodit (Neni 53.4)", Width: 2.4},
			{Title: "Nënshkrimi (Neni 53.3)", Width: 2}},
		Landscape: true,
		Footer:    []string{"Përgjegjësi i administrimit të provimit: ______________________", "Administratori i sekretimit: ______________________"},
		Generated: now,
	}
	corrected := 0
	for _, r := range l.Rows {
		seat := ""
		if l.SingleRoom {
			seat = strconv.Itoa(r.SeatNo)
		}
		name := r.FullName
		if r.Corrected != "" {
			// Neni 36: a change after the final lists is marked.
			name += " *\n" + r.Corrected
			corrected++
		}
		// The label column is tall enough for a barcode label.
		t.Rows = append(t.Rows, []string{strconv.Itoa(r.Line), r.RegNo, name, r.SchoolName, seat, "\n\n", ""})
	}
	if corrected > 0 {
		t.Footer = append([]string{fmt.Sprintf("* %d kandidatë me të dhëna personale të korrigjuara pas listës përfundimtare (Neni 36): kontrolloni dokumentin e identifikimit sipas të dhënave të reja (Neni 52.5).", corrected)}, t.Footer...)
		if corrected == 1 {
			t.Footer[0] = "* 1 kandidat me të dhëna personale të korrigjuara pas listës përfundimtare (Neni 36): kontrolloni dokumentin e identifikimit sipas të dhënave të reja (Neni 52.5)."
		}
	}
	return t
}

// tiranaDay is the day (YYYY-MM-DD) in Tirana of a stored moment.
func tiranaDay(stored string) string {
	t, err := time.Parse(time.RFC3339, stored)
	if err != nil {
		return stored[:min(len(stored), 10)]
	}
	return t.In(clock.Tirana).Format("2006-01-02")
}
