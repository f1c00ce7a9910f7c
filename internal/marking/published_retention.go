package marking

import (
	"context"
	"fmt"
)

// What retention (Neni 65: "AVA eliminon çdo test-broshurë") destroys of
// the marking once a year's destroy date has passed: the booklets' scanned
// pages (marking_scans) and the pages that waited for a code
// (marking_scan_queue), and the schools behind each booklet's room
// (marking_booklets.schools), kept only so that no marker marked their
// own school and, with the results, a way back to the candidate. The
// points per code, the markings and the cases stay: by code, and with
// the link destroyed, they name nobody. Each call runs on db.Q(ctx), so
// it joins the caller's transaction.

// RetentionTables are the tables DestroyScans changes for a year, in the
// order it reports them.
var RetentionTables = []string{"marking_scans", "marking_scan_queue", "marking_booklets.schools"}

// DestroyScans deletes the year's scans (every exam, every session) and
// blanks the booklets' schools, returning the rows per table; with dryRun
// it only counts. A second call finds nothing and returns zeros.
func (s *Service) DestroyScans(ctx context.Context, year int, dryRun bool) (map[string]int64, error) {
	q := s.db.Q(ctx)
	out := map[string]int64{}
	for _, t := range []struct{ table, count, change string }{
		{"marking_scans", `SELECT COUNT(*) FROM marking_scans WHERE year = $1`, `DELETE FROM marking_scans WHERE year = $1`},
		{"marking_scan_queue", `SELECT COUNT(*) FROM marking_scan_queue WHERE year = $1`, `DELETE FROM marking_scan_queue WHERE year = $1`},
		{"marking_booklets.schools", `SELECT COUNT(*) FROM marking_booklets WHERE year = $1 AND schools <> ''`,
			`UPDATE marking_booklets SET schools = '' WHERE year = $1 AND schools <> ''`},
	} {
		if dryRun {
			var n int64
			if err := q.QueryRowContext(ctx, t.count, year).Scan(&n); err != nil {
				return nil, fmt.Errorf("marking: retention count %s: %w", t.table, err)
			}
			out[t.table] = n
			continue
		}
		res, err := q.ExecContext(ctx, t.change, year)
		if err != nil {
			return nil, fmt.Errorf("marking: retention %s: %w", t.table, err)
		}
		n, err := res.RowsAffected()
		if err != nil {
			return nil, fmt.Errorf("marking: retention %s: %w", t.table, err)
		}
		out[t.table] = n
	}
	return out, nil
}
