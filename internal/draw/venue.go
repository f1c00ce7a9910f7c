package draw

import (
	"context"
	"fmt"
	"slices"

	"provim/internal/apperr"
	"provim/internal/auth"
	"provim/internal/store"
)

// The venue's own draw (Neni 44 ¶2, 48): the venue's exam administrator
// (PAP) — and the other staff of the venue — must know who was drawn to
// their venue for each exam, and nothing about the other venues of the
// DAR: they read the published record of the draw (pseudonymous, Neni 63)
// with names only on the lines of their own venue.

// covers reports whether the draw's lists include venue.
func covers(rec Record, venue string) bool {
	return slices.ContainsFunc(rec.Inputs.Venues, func(v Venue) bool { return v.Code == venue })
}

// ForVenue is the record as the staff of venue read it: the published
// record (no names, schools or staff ids, no roster key, no one left out
// under Neni 9), with the names and schools of the people drawn to venue
// put back in the lists, so that Lines names exactly them.
func ForVenue(rec Record, venue string) Record {
	mine := map[string]bool{}
	for _, a := range rec.Result {
		if a.Venue == venue {
			mine[a.Ref] = true
		}
	}
	named := map[string]Person{}
	for _, p := range rec.Inputs.Pool {
		if mine[p.Ref] {
			named[p.Ref] = Person{Ref: p.Ref, Role: p.Role, Tag: p.Tag, Barred: p.Barred, Name: p.Name, School: p.School}
		}
	}
	out := Published(rec)
	for i, p := range out.Inputs.Pool {
		if n, ok := named[p.Ref]; ok {
			out.Inputs.Pool[i] = n
			if name, ok := rec.printed[p.Ref]; ok {
				if out.printed == nil {
					out.printed = map[string]string{}
				}
				out.printed[p.Ref] = name
			}
		}
	}
	return out
}

// VenueDraw is the draw of one exam as a venue sees it, with the lines of
// that venue.
type VenueDraw struct {
	ID      int64  `json:"id"`
	Exam    string `json:"exam"`
	Session int    `json:"session"`
	Seq     int    `json:"seq"`
	Status  string `json:"status"`
	DrawnAt string `json:"drawn_at,omitempty"`
	Lines   []Line `json:"lines"`
}

// MayReadVenue: the staff of a venue read their own venue's draw result.
func MayReadVenue(p *auth.Principal) bool { return p.IsVenueRole() && p.Venue != "" }

// VenueDraws returns the current draws (not superseded) of the active year
// whose lists include the caller's venue, by exam; the lines only those of
// the venue. Only the venue's own staff ask (MayReadVenue).
func (s *Service) VenueDraws(ctx context.Context, p *auth.Principal) ([]VenueDraw, error) {
	if !MayReadVenue(p) {
		if err := auth.Require(p, auth.RolePAP, auth.RoleAP, auth.RoleAS); err != nil {
			return nil, err
		}
		return nil, apperr.New(apperr.Forbidden, "Llogaria juaj nuk është e lidhur me një qendër provimi.")
	}
	y, err := s.config(ctx)
	if err != nil {
		return nil, err
	}
	recs, err := store.Select(ctx, s.db.Q(ctx), func(r store.Scanner) (Record, error) {
		rec, _, err := scanDraw(r)
		return rec, err
	}, `SELECT `+drawCols+` FROM draws WHERE year = $1 AND superseded_by IS NULL ORDER BY session, exam, id`, y.Year)
	if err != nil {
		return nil, fmt.Errorf("draw: venue draws: %w", err)
	}
	out := []VenueDraw{}
	for _, rec := range recs {
		if !covers(rec, p.Venue) {
			continue
		}
		v := VenueDraw{ID: rec.ID, Exam: rec.Exam, Session: rec.Session, Seq: rec.Seq, Status: rec.Status, DrawnAt: rec.DrawnAt, Lines: []Line{}}
		rec, err := s.withPrintedNames(ctx, rec, p.Venue)
		if err != nil {
			return nil, err
		}
		for _, l := range Lines(ForVenue(rec, p.Venue)) {
			if l.Venue == p.Venue {
				v.Lines = append(v.Lines, l)
			}
		}
		out = append(out, v)
	}
	return out, nil
}
