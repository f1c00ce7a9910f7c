package registry

import (
	"context"
	"fmt"

	"provim/internal/store"
)

// What package certificate reads of the registry to print a maturity
// certificate: each candidate's name, personal number, birth date,
// school and the school's DAR/ZA.

// Holder is a certificate's holder as the registry knows them.
type Holder struct {
	ID         int64
	PersonalNo string
	FirstName  string
	FatherName string
	LastName   string
	BirthDate  string // YYYY-MM-DD
	SchoolCode string
	SchoolName string
	UnitCode   string
}

// FullName is "First (Father) Last".
func (h Holder) FullName() string { return h.FirstName + " (" + h.FatherName + ") " + h.LastName }

// CertificateHolders returns the students with the ids (those that
// exist), by id.
func (s *Service) CertificateHolders(ctx context.Context, ids []int64) (map[int64]Holder, error) {
	out := make(map[int64]Holder, len(ids))
	for _, part := range store.Chunks(store.Distinct(ids), 1000) {
		list, err := store.Select(ctx, s.db.Q(ctx), func(r store.Scanner) (Holder, error) {
			var h Holder
			err := r.Scan(&h.ID, &h.PersonalNo, &h.FirstName, &h.FatherName, &h.LastName, &h.BirthDate, &h.SchoolCode, &h.SchoolName, &h.UnitCode)
			return h, err
		}, `SELECT st.id, st.personal_no, st.first_name, st.father_name, st.last_name, st.birth_date, st.school_code, sc.name, sc.unit_code
			FROM students st JOIN schools sc ON sc.code = st.school_code WHERE st.id IN (`+store.Placeholders(1, len(part))+`)`, store.Args(part)...)
		if err != nil {
			return nil, fmt.Errorf("registry: certificate holders: %w", err)
		}
		for _, h := range list {
			out[h.ID] = h
		}
	}
	return out, nil
}
