package anonym

import (
	"context"
	"fmt"
)

// What retention (Neni 65, Neni 6.10) destroys of the anonymisation once a
// year's destroy date has passed: the code↔candidate link, sealed
// (anonym_links) and opened (anonym_opened), and the codes by room
// (anonym_codes). The codes go too because a code's room, with the seat
// plan (who sat in which room) and the points kept per code by marking
// and per candidate by the results, would name the candidate again in a
// room of twenty. What stays identifies nobody by code: the exam's public
// key and the holders' share commitments (anonym_keys, anonym_holders),
// the label counts per room (anonym_rooms) and who was seated and
// labelled in each room, without a code (anonym_seated).
// Each call runs on db.Q(ctx), so it joins the caller's transaction.

// RetentionTables are the tables DestroyLinks empties for a year, in the
// order it reports them.
var RetentionTables = []string{"anonym_links", "anonym_opened", "anonym_codes"}

// DestroyLinks deletes the year's link and codes (every exam, every
// session) and returns the rows per table; with dryRun it only counts.
// A second call finds nothing and returns zeros.
func (s *Service) DestroyLinks(ctx context.Context, year int, dryRun bool) (map[string]int64, error) {
	q := s.db.Q(ctx)
	out := map[string]int64{}
	for _, t := range []struct{ table, count, del string }{
		{"anonym_links", `SELECT COUNT(*) FROM anonym_links WHERE year = $1`, `DELETE FROM anonym_links WHERE year = $1`},
		{"anonym_opened", `SELECT COUNT(*) FROM anonym_opened WHERE year = $1`, `DELETE FROM anonym_opened WHERE year = $1`},
		{"anonym_codes", `SELECT COUNT(*) FROM anonym_codes WHERE year = $1`, `DELETE FROM anonym_codes WHERE year = $1`},
	} {
		if dryRun {
			var n int64
			if err := q.QueryRowContext(ctx, t.count, year).Scan(&n); err != nil {
				return nil, fmt.Errorf("anonym: retention count %s: %w", t.table, err)
			}
			out[t.table] = n
			continue
		}
		res, err := q.ExecContext(ctx, t.del, year)
		if err != nil {
			return nil, fmt.Errorf("anonym: retention %s: %w", t.table, err)
		}
		n, err := res.RowsAffected()
		if err != nil {
			return nil, fmt.Errorf("anonym: retention %s: %w", t.table, err)
		}
		out[t.table] = n
	}
	return out, nil
}
