package registry

import (
	"context"
	"fmt"

	"provim/internal/store"
)

// What package accounts reads of the registry to create the accounts of
// drawn staff (issue 11, A5): the personal number (the username) and the
// name of each person. Students are read with ListStudents, in the
// caller's scope.

// StaffIdentity is a member of staff as an account names them.
type StaffIdentity struct {
	ID         int64
	PersonalNo string
	FirstName  string
	LastName   string
}

// StaffIdentities returns the members of staff with the given ids (those
// that exist), by id.
func (s *Service) StaffIdentities(ctx context.Context, ids []int64) (map[int64]StaffIdentity, error) {
	out := map[int64]StaffIdentity{}
	for _, part := range store.Chunks(ids, 0) {
		got, err := store.Select(ctx, s.db.Q(ctx), func(r store.Scanner) (StaffIdentity, error) {
			var x StaffIdentity
			return x, r.Scan(&x.ID, &x.PersonalNo, &x.FirstName, &x.LastName)
		}, `SELECT sf.id, sf.personal_no, sf.first_name, sf.last_name FROM staff sf WHERE sf.id IN (`+store.Placeholders(1, len(part))+`)`, store.Args(part)...)
		if err != nil {
			return nil, fmt.Errorf("registry: staff identities: %w", err)
		}
		for _, x := range got {
			out[x.ID] = x
		}
	}
	return out, nil
}
