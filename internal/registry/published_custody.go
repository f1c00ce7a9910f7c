package registry

import (
	"context"
	"fmt"

	"provim/internal/scope"
	"provim/internal/store"
)

// What package custody reads of the registry, through package venue: the
// venues (name, DAR/ZA, city) and the seats of their rooms. Each read runs
// on db.Q(ctx), so it joins the caller's transaction.

// VenueSites returns venues without their rooms, by code: those of unit
// and of the ZA under it (every unit when unit is ""), and only the venue
// code when code is not "".
func (s *Service) VenueSites(ctx context.Context, unit, code string) ([]Venue, error) {
	var q store.Query
	if unit != "" {
		scope.UnitsUnder(&q, "v.unit_code", unit)
	}
	if code != "" {
		q.Add("v.code = ?", code)
	}
	out, err := store.Select(ctx, s.db.Q(ctx), func(r store.Scanner) (Venue, error) {
		var v Venue
		return v, r.Scan(&v.Code, &v.Name, &v.UnitCode, &v.SchoolCode, &v.City, &v.Address, &v.Floors)
	}, `SELECT v.code, v.name, v.unit_code, COALESCE(v.school_code, ''), v.city, v.address, v.floors FROM venues v`+q.Where()+` ORDER BY v.code`, q.Args()...)
	if err != nil {
		return nil, fmt.Errorf("registry: venues: %w", err)
	}
	return out, nil
}

// VenueSeats is the number of seats of the rooms of a venue.
type VenueSeats struct {
	Venue string
	Seats int
}

// SeatsByVenue returns the seats of the rooms of every venue that has
// any, by venue code.
func (s *Service) SeatsByVenue(ctx context.Context) ([]VenueSeats, error) {
	out, err := store.Select(ctx, s.db.Q(ctx), func(r store.Scanner) (VenueSeats, error) {
		var v VenueSeats
		return v, r.Scan(&v.Venue, &v.Seats)
	}, `SELECT venue_code, SUM(seats) FROM rooms GROUP BY venue_code HAVING SUM(seats) > 0 ORDER BY venue_code`)
	if err != nil {
		return nil, fmt.Errorf("registry: rooms: %w", err)
	}
	return out, nil
}
