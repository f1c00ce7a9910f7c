package registry

import (
	"context"
	"fmt"

	"provim/internal/albanian"
	"provim/internal/audit"
	"provim/internal/clock"
	"provim/internal/store"
)

// What the results-night load test (cmd/provim loadtest --results
// --synthetic N) writes of the registry: N synthetic maturants of one
// synthetic school, in bulk (COPY on PostgreSQL, multi-row statements on
// SQLite), in one transaction with one audit entry. Only for an empty
// test database: it refuses a registry that holds students. Written by
// part S.

// loadChunk bounds the rows held in memory per bulk statement.
const loadChunk = 20000

var loadFirst = []string{"Arbër", "Ëndrit", "Besa", "Dorina", "Gëzim", "Çlirim", "Jonida", "Klea", "Luan", "Mirela"}
var loadLast = []string{"Hoxha", "Çela", "Dushku", "Gjoni", "Këlliçi", "Leka", "Meta", "Përmeti", "Shehu", "Zeka"}

// LoadStudents writes n synthetic maturants (unit NGK, school NGK-1) and
// returns their ids, in increasing order.
func (s *Service) LoadStudents(ctx context.Context, n int) ([]int64, error) {
	var ids []int64
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		q := s.db.Q(ctx)
		var have int
		if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM students`).Scan(&have); err != nil {
			return err
		}
		if have > 0 {
			return fmt.Errorf("registry: synthetic students only into an empty registry (%d students there)", have)
		}
		if _, err := q.ExecContext(ctx, `INSERT INTO units (code, name, kind, parent_code, city) VALUES ('NGK', 'DAR Ngarkesa', 'DAR', NULL, 'Tiranë')`); err != nil {
			return err
		}
		if _, err := q.ExecContext(ctx, `INSERT INTO schools (code, name, unit_code, city, public, profile, years) VALUES ('NGK-1', 'Gjimnazi i ngarkesës', 'NGK', 'Tiranë', TRUE, 'gjimnaz', 4)`); err != nil {
			return err
		}
		var err error
		if ids, err = store.NextIDs(ctx, "students", n); err != nil {
			return err
		}
		now := clock.Stored(s.db.Now(ctx))
		cols := []string{"id", "personal_no", "first_name", "father_name", "last_name", "sex", "birth_date", "school_code", "category", "sort_key", "updated_at"}
		for _, part := range store.Chunks(ids, loadChunk) {
			rows := make([][]any, len(part))
			for i, id := range part {
				f, l, fa := loadFirst[id%10], loadLast[(id/10)%10], loadFirst[(id/100)%10]
				rows[i] = []any{id, fmt.Sprintf("L%08dN", id), f, fa, l, "M", "2009-05-01", "NGK-1", "maturant", albanian.SortKey(l, f, fa), now}
			}
			if err := store.Insert(ctx, "students", cols, rows); err != nil {
				return err
			}
		}
		return audit.Add(ctx, audit.System, "load_synthetic", "students", "NGK-1", nil, map[string]int{"students": n})
	})
	if err != nil {
		return nil, fmt.Errorf("registry: synthetic students: %w", err)
	}
	return ids, nil
}
