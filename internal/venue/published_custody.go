package venue

import (
	"context"
	"fmt"

	"provim/internal/registry"
	"provim/internal/store"
)

// What package custody reads of the venues and of the exam plan. Each
// read runs on db.Q(ctx), so it joins the caller's transaction.

// VenueCount is a number of candidates (or seats) of a venue.
type VenueCount struct {
	Venue string
	Count int
}

// PlanCounts returns the candidates of each venue in the plan of an exam,
// by venue code. Before it sizes packages on them, the caller checks the
// plan follows the final list (CheckPlanCurrent).
func (s *Service) PlanCounts(ctx context.Context, year, session int, exam string) ([]VenueCount, error) {
	out, err := store.Select(ctx, s.db.Q(ctx), scanCustodyCount,
		`SELECT venue_code, COUNT(*) FROM exam_seats WHERE year = $1 AND session = $2 AND exam = $3
		GROUP BY venue_code ORDER BY venue_code`, year, session, exam)
	if err != nil {
		return nil, fmt.Errorf("venue: plan: %w", err)
	}
	return out, nil
}

func scanCustodyCount(r store.Scanner) (VenueCount, error) {
	var v VenueCount
	return v, r.Scan(&v.Venue, &v.Count)
}

// RoomSeats returns the seats of the rooms of each venue that has any, by
// venue code: what an exam without a plan yet is sized on.
func (s *Service) RoomSeats(ctx context.Context) ([]VenueCount, error) {
	seats, err := s.reg.SeatsByVenue(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]VenueCount, len(seats))
	for i, v := range seats {
		out[i] = VenueCount{Venue: v.Venue, Count: v.Seats}
	}
	return out, nil
}

// Sites returns the exam venues (without rooms) of unit and of the ZA
// under it, every unit's when unit is "", only the venue code when code is
// not "", by code.
func (s *Service) Sites(ctx context.Context, unit, code string) ([]registry.Venue, error) {
	return s.reg.VenueSites(ctx, unit, code)
}
