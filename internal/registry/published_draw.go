package registry

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"provim/internal/auth"
	"provim/internal/scope"
	"provim/internal/store"
)

// What package draw reads of the registry: the unit tree, the venues and
// rooms of a region, its staff, and the school of each seated candidate.
// Each read runs on db.Q(ctx), so it joins the caller's transaction.

// UnitParent returns the parent of the unit with code ("" for a DAR), and
// whether there is such a unit.
func (s *Service) UnitParent(ctx context.Context, code string) (parent string, ok bool, err error) {
	var p sql.NullString
	err = s.db.Q(ctx).QueryRowContext(ctx, `SELECT parent_code FROM units WHERE code = $1`, code).Scan(&p)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("registry: unit %s: %w", code, err)
	}
	return p.String, true, nil
}

// RegionUnits returns the codes of unit and, for a DAR, of the ZA under
// it: the region a KMSH acts for.
func (s *Service) RegionUnits(ctx context.Context, unit string) ([]string, error) {
	return store.Select(ctx, s.db.Q(ctx), func(r store.Scanner) (string, error) {
		var c string
		return c, r.Scan(&c)
	}, `SELECT code FROM units u WHERE `+scope.UnitsUnderSQL("u.code", "$1")+` ORDER BY code`, unit)
}

// RegionVenues returns the venues of unit and of the ZA under it, each
// with its rooms: by venue code, rooms by id (the order of a draw's
// published inputs). Venues without rooms are left out.
func (s *Service) RegionVenues(ctx context.Context, unit string) ([]Venue, error) {
	type row struct {
		v Venue
		r Room
	}
	rows, err := store.Select(ctx, s.db.Q(ctx), func(sc store.Scanner) (row, error) {
		var x row
		err := sc.Scan(&x.v.Code, &x.v.Name, &x.v.UnitCode, &x.v.SchoolCode, &x.v.City, &x.v.Floors,
			&x.r.ID, &x.r.Name, &x.r.Floor, &x.r.Seats)
		x.r.VenueCode = x.v.Code
		return x, err
	}, `SELECT v.code, v.name, v.unit_code, COALESCE(v.school_code, ''), v.city, v.floors, r.id, r.name, r.floor, r.seats
		FROM venues v JOIN rooms r ON r.venue_code = v.code
		WHERE `+scope.UnitsUnderSQL("v.unit_code", "$1")+` ORDER BY v.code, r.id`, unit)
	if err != nil {
		return nil, fmt.Errorf("registry: venues of %s: %w", unit, err)
	}
	var out []Venue
	for _, x := range rows {
		if len(out) == 0 || out[len(out)-1].Code != x.v.Code {
			out = append(out, x.v)
		}
		v := &out[len(out)-1]
		v.Rooms = append(v.Rooms, x.r)
		v.Seats += x.r.Seats
	}
	return out, nil
}

// RankedStaff is a member of staff as a staff list shows them, with the
// key of the Albanian alphabetical order of their name (last, first,
// father's name). Only the fields a list needs are read: ID, names, unit,
// school, position and subjects.
type RankedStaff struct {
	Staff
	SortKey []byte `json:"-"`
}

const rankedStaffCols = `sf.id, sf.first_name, sf.father_name, sf.last_name, sf.unit_code,
	COALESCE(sf.school_code, ''), sf.position, sf.subjects, sf.sort_key, sf.personal_no`

func scanRankedStaff(r store.Scanner) (RankedStaff, error) {
	var s RankedStaff
	err := r.Scan(&s.ID, &s.FirstName, &s.FatherName, &s.LastName, &s.UnitCode,
		&s.SchoolCode, &s.Position, &s.Subjects, &s.SortKey, &s.PersonalNo)
	return s, err
}

// RegionStaff returns the staff of unit and of the ZA under it, in no
// particular order.
func (s *Service) RegionStaff(ctx context.Context, unit string) ([]RankedStaff, error) {
	out, err := store.Select(ctx, s.db.Q(ctx), scanRankedStaff,
		`SELECT `+rankedStaffCols+` FROM staff sf WHERE `+scope.UnitsUnderSQL("sf.unit_code", "$1"), unit)
	if err != nil {
		return nil, fmt.Errorf("registry: staff of %s: %w", unit, err)
	}
	return out, nil
}

// StaffByID returns the members of staff with the given ids (those that
// exist), in no particular order.
func (s *Service) StaffByID(ctx context.Context, ids []int64) ([]RankedStaff, error) {
	var out []RankedStaff
	for _, ids := range store.Chunks(ids, 2000) {
		part := store.Args(ids)
		got, err := store.Select(ctx, s.db.Q(ctx), scanRankedStaff,
			`SELECT `+rankedStaffCols+` FROM staff sf WHERE sf.id IN (`+store.Placeholders(1, len(part))+`)`, part...)
		if err != nil {
			return nil, fmt.Errorf("registry: staff: %w", err)
		}
		out = append(out, got...)
	}
	return out, nil
}

// StudentPlace is where a student is registered: their school and the
// school's DAR/ZA.
type StudentPlace struct {
	School string
	Unit   string
}

// StudentPlaces returns the school and unit of each of the students given
// (those that exist), by id.
func (s *Service) StudentPlaces(ctx context.Context, ids []int64) (map[int64]StudentPlace, error) {
	type row struct {
		id int64
		p  StudentPlace
	}
	out := make(map[int64]StudentPlace, len(ids))
	for _, ids := range store.Chunks(ids, 2000) {
		part := store.Args(ids)
		got, err := store.Select(ctx, s.db.Q(ctx), func(r store.Scanner) (row, error) {
			var x row
			return x, r.Scan(&x.id, &x.p.School, &x.p.Unit)
		}, `SELECT st.id, st.school_code, sc.unit_code FROM students st JOIN schools sc ON sc.code = st.school_code
			WHERE st.id IN (`+store.Placeholders(1, len(part))+`)`, part...)
		if err != nil {
			return nil, fmt.Errorf("registry: students' schools: %w", err)
		}
		for _, x := range got {
			out[x.id] = x.p
		}
	}
	return out, nil
}

// StudentSchoolJoin is, for a query over rows that name a student by id
// in column col, the read-only join that brings in the student (alias
// as) and the expression of the student's school code: the draw groups
// the seats of a plan by school in one pass, without reading every
// candidate into memory.
func StudentSchoolJoin(as, col string) (join, school string) {
	return " JOIN students " + as + " ON " + as + ".id = " + col, as + ".school_code"
}

// StudentInScope returns the name and school of the student with id if p
// may see them, and whether so.
func (s *Service) StudentInScope(ctx context.Context, p *auth.Principal, id int64) (Student, bool, error) {
	var q store.Query
	if err := ScopeStudents(p, &q); err != nil {
		return Student{}, false, err
	}
	q.Add("st.id = ?", id)
	var st Student
	err := s.db.Q(ctx).QueryRowContext(ctx, `SELECT st.id, st.first_name, st.father_name, st.last_name, st.school_code, sc.name
		FROM students st JOIN schools sc ON sc.code = st.school_code`+q.Where(), q.Args()...).
		Scan(&st.ID, &st.FirstName, &st.FatherName, &st.LastName, &st.SchoolCode, &st.SchoolName)
	if errors.Is(err, sql.ErrNoRows) {
		return Student{}, false, nil
	}
	if err != nil {
		return Student{}, false, fmt.Errorf("registry: student: %w", err)
	}
	return st, true, nil
}
