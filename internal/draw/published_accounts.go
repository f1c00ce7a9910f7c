package draw

import (
	"context"
	"fmt"

	"provim/internal/store"
)

// What package accounts reads of the draws: who the valid draws placed at
// a venue, for every exam of the year, so that the region (KMSH) or AVA
// creates the accounts of the drawn staff (issue 11, A5; issue 13, item 1).
// Before a draw is made nobody is placed (Neni 47.5).

// Placed is one place a valid draw gave a member of staff at a venue.
type Placed struct {
	DrawID  int64
	Session int
	Exam    string
	StaffID int64
	Role    string // RolePAP, RoleKMSH, RoleAS or RoleAP
}

// PlacedAtVenue returns every place the valid (drawn, not superseded)
// draws of year gave at venue, read from each draw's one result, in the
// order of session, exam and the draw's own order.
func (s *Service) PlacedAtVenue(ctx context.Context, year int, venue string) ([]Placed, error) {
	recs, err := store.Select(ctx, s.db.Q(ctx), func(r store.Scanner) (Record, error) {
		rec, _, err := scanDraw(r)
		return rec, err
	}, `SELECT `+drawCols+` FROM draws WHERE year = $1 AND status = $2 AND superseded_by IS NULL ORDER BY session, exam, id`, year, StatusDrawn)
	if err != nil {
		return nil, fmt.Errorf("draw: placed at venue: %w", err)
	}
	var out []Placed
	for _, rec := range recs {
		for _, a := range rec.Result {
			if a.Venue == venue && a.StaffID != 0 {
				out = append(out, Placed{DrawID: rec.ID, Session: rec.Session, Exam: rec.Exam, StaffID: a.StaffID, Role: a.Role})
			}
		}
	}
	return out, nil
}
