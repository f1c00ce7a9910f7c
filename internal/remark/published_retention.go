package remark

import (
	"context"
	"fmt"
)

// What retention (Neni 65, issue 15 item 10) changes of the re-marking
// once a year's destroy date has passed: a re-marked booklet's request
// keeps its code beside the candidate (remark_requests.code), which is
// the code↔candidate link in clear, so it is blanked; and the re-markings
// by code (remark_markings: points per item by code, for a few dozen
// booklets an exam) are deleted, since beside the requests' points before
// → after they would link a code to its candidate again. The requests,
// their states and their points before → after remain, as the results
// do. Runs on
// db.Q(ctx), in the caller's transaction; package retention writes the
// one audit entry with the counts.

// RetentionTables are the columns ForgetCodes blanks.
var RetentionTables = []string{"remark_requests.code", "remark_markings"}

// ForgetCodes blanks the year's codes and returns the rows per column;
// with dryRun it only counts. A second call finds nothing.
func (s *Service) ForgetCodes(ctx context.Context, year int, dryRun bool) (map[string]int64, error) {
	q := s.db.Q(ctx)
	var n, m int64
	if dryRun {
		if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM remark_requests WHERE year = $1 AND code <> ''`, year).Scan(&n); err != nil {
			return nil, fmt.Errorf("remark: retention count: %w", err)
		}
		if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM remark_markings WHERE year = $1`, year).Scan(&m); err != nil {
			return nil, fmt.Errorf("remark: retention count: %w", err)
		}
		return map[string]int64{"remark_requests.code": n, "remark_markings": m}, nil
	}
	res, err := q.ExecContext(ctx, `UPDATE remark_requests SET code = '' WHERE year = $1 AND code <> ''`, year)
	if err == nil {
		n, err = res.RowsAffected()
	}
	if err != nil {
		return nil, fmt.Errorf("remark: retention: %w", err)
	}
	res, err = q.ExecContext(ctx, `DELETE FROM remark_markings WHERE year = $1`, year)
	if err == nil {
		m, err = res.RowsAffected()
	}
	if err != nil {
		return nil, fmt.Errorf("remark: retention: %w", err)
	}
	return map[string]int64{"remark_requests.code": n, "remark_markings": m}, nil
}
