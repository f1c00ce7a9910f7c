package venue

import (
	"context"
	"fmt"
)

// What package demo reads of the exam plan. Each read runs on db.Q(ctx),
// so it joins the caller's transaction.

// PlannedSeats counts the seats of an exam's plan in the whole country: 0
// before the exam is planned.
func (s *Service) PlannedSeats(ctx context.Context, year, session int, exam string) (int, error) {
	var n int
	if err := s.db.Q(ctx).QueryRowContext(ctx, `SELECT COUNT(*) FROM exam_seats WHERE year = $1 AND session = $2 AND exam = $3`,
		year, session, exam).Scan(&n); err != nil {
		return 0, fmt.Errorf("venue: planned seats: %w", err)
	}
	return n, nil
}
