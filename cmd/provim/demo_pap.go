package main

import (
	"context"
	"fmt"
	"strings"

	"provim/internal/auth"
	"provim/internal/draw"
	"provim/internal/wire"
)

// demoPAP is the demo's PAP account of venue: the person the D1 draw
// picked as the venue's PAP (Neni 47.7, 48), linked to their staff record,
// so that the account sees its own venue's draw and is the person the
// draw names. Without a drawn D1 (a demo stopped earlier) it is a PAP of
// the venue with no staff record.
func demoPAP(ctx context.Context, svcs *wire.Services, ava *auth.Principal, venue string) (auth.NewUser, error) {
	u := auth.NewUser{Username: "pap." + strings.ToLower(venue), FullName: "Gëzim Leka (PAP)", Role: auth.RolePAP, Venue: venue}
	list, err := svcs.Draws.VenueDraws(ctx, &auth.Principal{Role: auth.RolePAP, Venue: venue})
	if err != nil {
		return u, err
	}
	for _, d := range list {
		if d.Exam != "D1" || d.Session != 1 || d.Status != draw.StatusDrawn {
			continue
		}
		rec, err := svcs.Draws.Get(ctx, ava, d.ID)
		if err != nil {
			return u, err
		}
		for _, l := range draw.Lines(rec) {
			if l.Venue != venue || l.Role != draw.RolePAP || l.StaffID == 0 {
				continue
			}
			st, err := svcs.Registry.GetStaff(ctx, ava, l.StaffID)
			if err != nil {
				return u, fmt.Errorf("demo: the drawn PAP of %s: %w", venue, err)
			}
			u.FullName, u.StaffID = st.FirstName+" "+st.LastName+" (PAP)", st.ID
			return u, nil
		}
	}
	return u, nil
}
