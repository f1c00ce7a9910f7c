package registry

import (
	"context"
	"fmt"
	"strings"

	"provim/internal/store"
)

// What package marking reads of the registry to appoint markers (Neni
// 57.7–57.8): the members of staff named by id or personal number, with
// their school and the subjects they teach.

// StaffForMarking returns the members of staff with the given ids or
// personal numbers (those that exist), in no particular order.
func (s *Service) StaffForMarking(ctx context.Context, ids []int64, personalNos []string) ([]Staff, error) {
	var out []Staff
	for _, part := range store.Chunks(ids, 0) {
		got, err := store.Select(ctx, s.db.Q(ctx), scanStaff,
			`SELECT `+staffCols+` FROM staff sf WHERE sf.id IN (`+store.Placeholders(1, len(part))+`)`, store.Args(part)...)
		if err != nil {
			return nil, fmt.Errorf("registry: staff for marking: %w", err)
		}
		out = append(out, got...)
	}
	pns := make([]string, 0, len(personalNos))
	for _, pn := range personalNos {
		if pn = strings.ToUpper(strings.TrimSpace(pn)); pn != "" {
			pns = append(pns, pn)
		}
	}
	for _, part := range store.Chunks(pns, 0) {
		got, err := store.Select(ctx, s.db.Q(ctx), scanStaff,
			`SELECT `+staffCols+` FROM staff sf WHERE sf.personal_no IN (`+store.Placeholders(1, len(part))+`)`, store.Args(part)...)
		if err != nil {
			return nil, fmt.Errorf("registry: staff for marking: %w", err)
		}
		out = append(out, got...)
	}
	return out, nil
}
