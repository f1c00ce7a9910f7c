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

// ScopeNames are the names people know the units, schools and venues of
// accounts by, by code (a code no record has is missing): a page's header
// and the users list name an account's scope with them, never with a
// code alone (issue 11, part C). A unit's name carries its kind ("DAR
// Tiranë"); a school's and a venue's carry their city (Place).
type ScopeNames struct {
	Units, Schools, Venues map[string]string
}

// ScopeNames reads the names of the given codes, one statement per kind
// asked for.
func (s *Service) ScopeNames(ctx context.Context, units, schools, venues []string) (ScopeNames, error) {
	out := ScopeNames{Units: map[string]string{}, Schools: map[string]string{}, Venues: map[string]string{}}
	for _, k := range []struct {
		what, query string
		codes       []string
		into        map[string]string
	}{
		{"units", `SELECT code, name, '' FROM units WHERE code IN (`, units, out.Units},
		{"schools", `SELECT code, name, city FROM schools WHERE code IN (`, schools, out.Schools},
		{"venues", `SELECT code, name, city FROM venues WHERE code IN (`, venues, out.Venues},
	} {
		for _, part := range store.Chunks(store.Distinct(k.codes), 0) {
			got, err := store.Select(ctx, s.db.Q(ctx), func(r store.Scanner) ([3]string, error) {
				var x [3]string
				return x, r.Scan(&x[0], &x[1], &x[2])
			}, k.query+store.Placeholders(1, len(part))+`)`, store.Args(part)...)
			if err != nil {
				return out, fmt.Errorf("registry: names of %s: %w", k.what, err)
			}
			for _, x := range got {
				k.into[x[0]] = Place(x[1], x[2])
			}
		}
	}
	return out, nil
}

// UnitName is a DAR/ZA as a page names it: by name ("DAR Tiranë"), or by
// code ("DAR/ZA DAR-TR") when the registry has no such unit.
func (s *Service) UnitName(ctx context.Context, code string) (string, error) {
	names, err := s.ScopeNames(ctx, []string{code}, nil, nil)
	if err != nil {
		return "", err
	}
	if name := names.Units[code]; name != "" {
		return name, nil
	}
	return "DAR/ZA " + code, nil
}
