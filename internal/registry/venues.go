package registry

import (
	"context"
	"database/sql"
	"fmt"

	"provim/internal/albanian"
	"provim/internal/auth"
	"provim/internal/scope"
	"provim/internal/store"
)

// ---- venues ----

// ListVenues lists venues in the caller's scope with their rooms.
func (s *Service) ListVenues(ctx context.Context, p *auth.Principal, unit string) ([]Venue, error) {
	var q store.Query
	if err := scopeVenues(p, &q); err != nil {
		return nil, err
	}
	if unit != "" {
		scope.UnitsUnder(&q, "v.unit_code", unit)
	}
	return s.venues(ctx, q)
}

// venueRoomRow is one row of venues left-joined to rooms.
type venueRoomRow struct {
	v    Venue
	room sql.NullInt64 // the room's id; invalid for a venue without rooms
	r    Room
}

func scanVenueRoom(row store.Scanner) (venueRoomRow, error) {
	var x venueRoomRow
	var rname sql.NullString
	var floor, seats, l, w sql.NullInt64
	err := row.Scan(&x.v.Code, &x.v.Name, &x.v.UnitCode, &x.v.SchoolCode, &x.v.City, &x.v.Address, &x.v.Floors,
		&x.room, &rname, &floor, &seats, &l, &w)
	x.r = Room{ID: x.room.Int64, VenueCode: x.v.Code, Name: rname.String, Floor: int(floor.Int64),
		Seats: int(seats.Int64), LengthCM: int(l.Int64), WidthCM: int(w.Int64)}
	return x, err
}

// venues reads the venues q selects (alias v) with their rooms, in
// Albanian order of city and name.
func (s *Service) venues(ctx context.Context, q store.Query) ([]Venue, error) {
	rows, err := store.Select(ctx, s.db.Q(ctx), scanVenueRoom, `SELECT v.code, v.name, v.unit_code, COALESCE(v.school_code, ''), v.city, v.address, v.floors,
		r.id, r.name, r.floor, r.seats, r.length_cm, r.width_cm
		FROM venues v LEFT JOIN rooms r ON r.venue_code = v.code`+q.Where()+` ORDER BY v.code, r.floor, r.name`, q.Args()...)
	if err != nil {
		return nil, fmt.Errorf("registry: list venues: %w", err)
	}
	var out []Venue
	for _, x := range rows {
		if len(out) == 0 || out[len(out)-1].Code != x.v.Code {
			out = append(out, x.v)
		}
		if cur := &out[len(out)-1]; x.room.Valid {
			cur.Rooms = append(cur.Rooms, x.r)
			cur.Seats += x.r.Seats
		}
	}
	albanian.SortBy(out, func(v Venue) string { return v.City + "\x01" + v.Name })
	return out, nil
}

// GetVenue returns one venue in the caller's scope.
func (s *Service) GetVenue(ctx context.Context, p *auth.Principal, code string) (Venue, error) {
	var q store.Query
	if err := scopeVenues(p, &q); err != nil {
		return Venue{}, err
	}
	q.Add("v.code = ?", code)
	vs, err := s.venues(ctx, q)
	if err != nil {
		return Venue{}, fmt.Errorf("registry: get venue: %w", err)
	}
	if len(vs) == 0 {
		return Venue{}, notFound("Qendra e provimit", code)
	}
	return vs[0], nil
}

// SaveRoom creates or updates a venue together with one room.
func (s *Service) SaveRoom(ctx context.Context, p *auth.Principal, v Venue, r Room) (Venue, error) {
	saved, _, err := s.UpsertRoom(ctx, p, v, r)
	return saved, err
}

// UpsertRoom is SaveRoom that also tells whether the room was created.
func (s *Service) UpsertRoom(ctx context.Context, p *auth.Principal, v Venue, r Room) (Venue, bool, error) {
	if err := auth.Require(p, auth.RoleAVA, auth.RoleKMSH); err != nil {
		return Venue{}, false, err
	}
	// A venue outside the caller's scope gets roomSpec.outside, the same
	// answer as a new venue naming another scope.
	code := trim(v.Code)
	// After the venue list is sent a room's seats change only by AVA, on
	// the venue's inspection (Neni 41 ¶2; venue.GuardRoomEdit).
	if err := s.guardRoom(ctx, p, v, r); err != nil {
		return Venue{}, false, err
	}
	res, err := importRecords(ctx, s, p, roomSpec, []record[venueRoom]{{val: venueRoom{v, r}}}, nil)
	if err != nil {
		return Venue{}, false, singleError("Qendra nuk u ruajt", roomSpec.outside, err)
	}
	saved, err := s.GetVenue(ctx, p, code)
	return saved, res.Created > 0, err
}
