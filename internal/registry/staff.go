package registry

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"

	"provim/internal/apperr"
	"provim/internal/auth"
	"provim/internal/scope"
	"provim/internal/store"
)

// ---- staff ----

const staffCols = `sf.id, sf.personal_no, sf.first_name, sf.father_name, sf.last_name, sf.sex, sf.unit_code,
	COALESCE(sf.school_code, ''), sf.position, sf.subjects, sf.phone, sf.updated_at`

func scanStaff(row store.Scanner) (Staff, error) {
	var s Staff
	err := row.Scan(&s.ID, &s.PersonalNo, &s.FirstName, &s.FatherName, &s.LastName, &s.Sex, &s.UnitCode,
		&s.SchoolCode, &s.Position, &s.Subjects, &s.Phone, &s.UpdatedAt)
	return s, err
}

// StaffFilter narrows ListStaff.
type StaffFilter struct {
	Q        string
	Unit     string
	School   string
	Position string
	Page     Page
}

// ListStaff lists staff in the caller's scope in Albanian order.
func (s *Service) ListStaff(ctx context.Context, p *auth.Principal, f StaffFilter) ([]Staff, int, error) {
	var q store.Query
	if err := scopeStaff(p, &q); err != nil {
		return nil, 0, err
	}
	addSearch(&q, f.Q, "sf.first_name", "sf.last_name", "sf.personal_no")
	if f.Unit != "" {
		scope.UnitsUnder(&q, "sf.unit_code", f.Unit)
	}
	if f.School != "" {
		q.Add("sf.school_code = ?", f.School)
	}
	if f.Position != "" {
		q.Add("sf.position = ?", f.Position)
	}
	from := ` FROM staff sf` + q.Where()
	db := s.db.Q(ctx)
	var total int
	if err := db.QueryRowContext(ctx, `SELECT COUNT(*)`+from, q.Args()...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("registry: count staff: %w", err)
	}
	out, err := store.Select(ctx, db, scanStaff, `SELECT `+staffCols+from+` ORDER BY sf.sort_key, sf.id`+f.Page.clause(&q), q.Args()...)
	if err != nil {
		return nil, 0, fmt.Errorf("registry: list staff: %w", err)
	}
	return out, total, nil
}

// GetStaff returns one staff member in the caller's scope.
func (s *Service) GetStaff(ctx context.Context, p *auth.Principal, id int64) (Staff, error) {
	var q store.Query
	if err := scopeStaff(p, &q); err != nil {
		return Staff{}, err
	}
	q.Add("sf.id = ?", id)
	st, err := scanStaff(s.db.Q(ctx).QueryRowContext(ctx, `SELECT `+staffCols+` FROM staff sf`+q.Where(), q.Args()...))
	if errors.Is(err, sql.ErrNoRows) {
		return Staff{}, notFound("Punonjësi", strconv.FormatInt(id, 10))
	}
	if err != nil {
		return Staff{}, fmt.Errorf("registry: get staff: %w", err)
	}
	return st, nil
}

// SaveStaff creates (ID 0) or updates a staff member by personal number.
func (s *Service) SaveStaff(ctx context.Context, p *auth.Principal, in Staff) (Staff, error) {
	st, _, err := s.UpsertStaff(ctx, p, in)
	return st, err
}

// UpsertStaff is SaveStaff that also tells whether the person was created.
// With ID 0 the personal number decides: an existing person in the
// caller's scope is updated. With an ID, that person must be in the
// caller's scope (else not_found) and keep their personal number.
func (s *Service) UpsertStaff(ctx context.Context, p *auth.Principal, in Staff) (Staff, bool, error) {
	if err := canWrite(p); err != nil {
		return Staff{}, false, err
	}
	if in.ID != 0 {
		old, err := s.GetStaff(ctx, p, in.ID)
		if err != nil {
			return Staff{}, false, err
		}
		// As for students: another personal number is another person, and
		// saving it here would change whoever holds it instead.
		if n, _ := ParseNID(in.PersonalNo); n.Number != old.PersonalNo {
			return Staff{}, false, apperr.New(apperr.Invalid, "Numri personal nuk ndryshohet nga kjo faqe: regjistroni punonjësin me numrin e saktë dhe njoftoni AVA-n për të dhënën e gabuar.")
		}
	}
	res, err := importRecords(ctx, s, p, staffSpec, []record[Staff]{{val: in}}, nil)
	if err != nil {
		return Staff{}, false, singleError("Punonjësi nuk u ruajt", staffSpec.outside, err)
	}
	n, _ := ParseNID(in.PersonalNo)
	var id int64
	if err := s.db.Q(ctx).QueryRowContext(ctx, `SELECT id FROM staff WHERE personal_no = $1`, n.Number).Scan(&id); err != nil {
		return Staff{}, false, fmt.Errorf("registry: reread staff: %w", err)
	}
	st, err := s.GetStaff(ctx, p, id)
	return st, res.Created > 0, err
}
