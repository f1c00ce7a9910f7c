package results

import (
	"context"
	"fmt"
)

// What retention (Neni 65) changes of the results once a year's destroy
// date has passed: the booklet code kept beside each candidate's result
// (results.code) is the code↔candidate link in clear, so it is blanked.
// Points, grades, history and pages remain. Written by part S (retention)
// for package retention; runs on db.Q(ctx), in the caller's transaction.

// RetentionTables are the columns ForgetCodes blanks.
var RetentionTables = []string{"results.code"}

// ForgetCodes blanks the year's codes and returns the rows per column;
// with dryRun it only counts. A second call finds nothing.
func (s *Service) ForgetCodes(ctx context.Context, year int, dryRun bool) (map[string]int64, error) {
	q := s.db.Q(ctx)
	var n int64
	if dryRun {
		if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM results WHERE year = $1 AND code <> ''`, year).Scan(&n); err != nil {
			return nil, fmt.Errorf("results: retention count: %w", err)
		}
		return map[string]int64{"results.code": n}, nil
	}
	res, err := q.ExecContext(ctx, `UPDATE results SET code = '' WHERE year = $1 AND code <> ''`, year)
	if err == nil {
		n, err = res.RowsAffected()
	}
	if err != nil {
		return nil, fmt.Errorf("results: retention: %w", err)
	}
	return map[string]int64{"results.code": n}, nil
}
