package venue

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"

	"provim/internal/albanian"
	"provim/internal/apperr"
	"provim/internal/auth"
	"provim/internal/examyear"
	"provim/internal/registry"
)

// errDryRun rolls back the transaction of a preview (PreviewMove).
var errDryRun = errors.New("venue: dry run")

// roomByName finds a room of the venue by its name as people write it
// ("Salla 1", "salla 1 "): a name the venue has no room of is refused
// with the names it has, never replaced by another room (issue 11 C).
func roomByName(v Inspection, name string) (int64, error) {
	want := foldName(name)
	var names []string
	for _, r := range v.Rooms {
		if foldName(r.Name) == want {
			if !r.Usable {
				return 0, apperr.New(apperr.Invalid, "Salla «%s» e qendrës %s nuk përdoret për provim: ka më pak se %d vende (Neni 38.1).", r.Name, v.VenueName, MinRoomSeats)
			}
			return r.ID, nil
		}
		names = append(names, r.Name)
	}
	return 0, apperr.New(apperr.Invalid, "Qendra %s (%s) nuk ka sallë me emrin «%s». Sallat e saj: %s.", v.VenueName, v.VenueCode, strings.TrimSpace(name), strings.Join(names, ", "))
}

// foldName compares room names: NFC, spaces collapsed, case ignored.
func foldName(s string) string {
	return strings.ToLower(strings.Join(strings.Fields(registry.NFC(s)), " "))
}

// candidates writes "1 kandidat" or "3 kandidatë".
func candidates(n int) string {
	if n == 1 {
		return "1 kandidat"
	}
	return fmt.Sprintf("%d kandidatë", n)
}

// afterMove runs in the move's transaction once the seats are moved: it
// asks the steps made on the plan what is now stale (the draw, the
// packages) and writes the notices to every moved student and to the staff
// of the venues they left and joined.
func (s *Service) afterMove(ctx context.Context, p *auth.Principal, year, session int, exam, examName string, day examyear.ExamDay,
	v Inspection, reason string, movers []mover, rooms map[int64]int64, units map[string]unit, res *OverrideResult) error {
	// The venues touched: the ones left and the new one.
	codes := []string{v.VenueCode}
	seen := map[string]bool{v.VenueCode: true}
	for _, m := range movers {
		if !seen[m.venue] {
			seen[m.venue] = true
			codes = append(codes, m.venue)
		}
	}
	sites, roomsByID, err := s.sites(ctx, codes)
	if err != nil {
		return fmt.Errorf("venue: move: %w", err)
	}
	var places []PlanPlace
	for _, c := range codes {
		site := sites[c]
		places = append(places, PlanPlace{Venue: c, VenueName: site.Name, Unit: site.UnitCode, Parent: units[site.UnitCode].Parent})
	}
	stale, err := s.staleAfter(ctx, year, session, exam, places)
	if err != nil {
		return err
	}
	res.Invalidates = append([]string{}, stale...)

	ids := make([]int64, len(movers))
	for i, m := range movers {
		ids[i] = m.id
	}
	people, err := s.people(ctx, year, session, exam, ids)
	if err != nil {
		return fmt.Errorf("venue: move: %w", err)
	}
	when := fmt.Sprintf("%s (%s, ora %s)", exam, albanian.DateString(day.Date), day.Start)
	if examName != "" {
		when = fmt.Sprintf("%s — %s (%s, ora %s)", exam, examName, albanian.DateString(day.Date), day.Start)
	}
	roomName := func(id int64) string { return roomsByID[id].Name }
	place := func(code string) string {
		return fmt.Sprintf("%s (%s)", sites[code].Name, code)
	}
	address := func(code string) string {
		site := sites[code]
		return registry.Place(site.City, site.Address) // not "Shkodër, …, Shkodër"
	}
	by := p.Username
	// Each student: where they now sit.
	for _, m := range movers {
		to := rooms[m.id]
		if m.venue == v.VenueCode && m.room == to {
			continue
		}
		body := fmt.Sprintf("Ndryshoi vendi juaj i provimit %s: e jepni në qendrën %s, %s, salla «%s», kati %d — jo më në %s, salla «%s». Arsyeja: %s. Paraqituni 1 orë para fillimit me pasaportë ose letërnjoftim (Neni 52.1, 52.5).",
			when, place(v.VenueCode), address(v.VenueCode), roomName(to), roomsByID[to].Floor, place(m.venue), roomName(m.room), reason)
		if err := s.notify(ctx, year, m.id, "", body, by); err != nil {
			return err
		}
		res.Notified++
	}
	// Each venue left, and the new one: who leaves, who comes.
	line := func(m mover, room int64) string {
		who := people[m.id]
		return fmt.Sprintf("%s %s (salla «%s»)", who.regNo, who.fullName, roomName(room))
	}
	leaving := map[string][]string{}
	var arriving []string
	for _, m := range movers {
		to := rooms[m.id]
		switch {
		case m.venue == v.VenueCode && m.room == to:
			continue
		case m.venue == v.VenueCode:
			arriving = append(arriving, fmt.Sprintf("%s: salla «%s» → «%s»", people[m.id].regNo+" "+people[m.id].fullName, roomName(m.room), roomName(to)))
		default:
			leaving[m.venue] = append(leaving[m.venue], line(m, m.room))
			arriving = append(arriving, line(m, to)+" nga "+place(m.venue))
		}
	}
	left := make([]string, 0, len(leaving))
	for c := range leaving {
		left = append(left, c)
	}
	sort.Strings(left)
	for _, c := range left {
		list := leaving[c]
		body := fmt.Sprintf("Provimi %s: %s nuk e jep më në qendrën tuaj — u zhvendos në %s: %s. Arsyeja: %s. Hiqini nga lista e sallës (Neni 52.6).",
			when, candidates(len(list)), place(v.VenueCode), strings.Join(list, "; "), reason)
		if len(list) > 1 {
			body = strings.Replace(body, "nuk e jep më", "nuk e japin më", 1)
			body = strings.Replace(body, "u zhvendos në", "u zhvendosën në", 1)
		}
		if err := s.notify(ctx, year, 0, c, body, by); err != nil {
			return err
		}
		res.Notified++
	}
	if len(arriving) > 0 {
		verb := "u zhvendos"
		if len(arriving) > 1 {
			verb = "u zhvendosën"
		}
		body := fmt.Sprintf("Provimi %s: %s %s në qendrën tuaj: %s. Arsyeja: %s. Listat e sallave janë përditësuar.", when, candidates(len(arriving)), verb, strings.Join(arriving, "; "), reason)
		if err := s.notify(ctx, year, 0, v.VenueCode, body, by); err != nil {
			return err
		}
		res.Notified++
	}
	return nil
}
