package registry

// Reads published for package venue, which plans the exam in the
// registry's venues and rooms and prints its lists with the registry's
// names. They run on db.Q(ctx), so they join the caller's transaction, and
// apply no scope: package venue decides who may see what by the unit tree.

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"provim/internal/store"
)

// AllUnits returns every DAR and ZA, ordered by code.
func (s *Service) AllUnits(ctx context.Context) ([]Unit, error) {
	out, err := store.Select(ctx, s.db.Q(ctx), func(r store.Scanner) (Unit, error) {
		var u Unit
		err := r.Scan(&u.Code, &u.Name, &u.Kind, &u.ParentCode, &u.City)
		return u, err
	}, `SELECT code, name, kind, COALESCE(parent_code, ''), city FROM units ORDER BY code`)
	if err != nil {
		return nil, fmt.Errorf("registry: units: %w", err)
	}
	return out, nil
}

const venueSchoolCols = `sc.code, sc.name, sc.unit_code, sc.city, sc.public, sc.profile, sc.years, sc.address`

func scanVenueSchool(r store.Scanner) (School, error) {
	var sc School
	err := r.Scan(&sc.Code, &sc.Name, &sc.UnitCode, &sc.City, &sc.Public, &sc.Profile, &sc.Years, &sc.Address)
	return sc, err
}

// SchoolsIn returns the schools of the units, ordered by code.
func (s *Service) SchoolsIn(ctx context.Context, units []string) ([]School, error) {
	if len(units) == 0 {
		return nil, nil
	}
	var q store.Query
	q.Add("sc.unit_code IN ("+store.Marks(len(units))+")", store.Args(units)...)
	out, err := store.Select(ctx, s.db.Q(ctx), scanVenueSchool, `SELECT `+venueSchoolCols+` FROM schools sc`+q.Where()+` ORDER BY sc.code`, q.Args()...)
	if err != nil {
		return nil, fmt.Errorf("registry: schools: %w", err)
	}
	return out, nil
}

// SchoolsByCode returns the schools with the codes, by code; a code no
// school has is missing from the map.
func (s *Service) SchoolsByCode(ctx context.Context, codes []string) (map[string]School, error) {
	out := map[string]School{}
	for _, part := range store.Chunks(store.Distinct(codes), 500) {
		var q store.Query
		q.Add("sc.code IN ("+store.Marks(len(part))+")", store.Args(part)...)
		list, err := store.Select(ctx, s.db.Q(ctx), scanVenueSchool, `SELECT `+venueSchoolCols+` FROM schools sc`+q.Where(), q.Args()...)
		if err != nil {
			return nil, fmt.Errorf("registry: schools: %w", err)
		}
		for _, sc := range list {
			out[sc.Code] = sc
		}
	}
	return out, nil
}

// VenueSite is a venue with its rooms and whether its building is a
// public school's (Neni 39: candidates of non-public schools sit only in
// public schools' buildings).
type VenueSite struct {
	Venue
	PublicSchool bool `json:"public_school"`
}

// VenueSitesIn returns the venues of the units with their rooms, ordered
// by code, each venue's rooms by floor, name and id.
func (s *Service) VenueSitesIn(ctx context.Context, units []string) ([]VenueSite, error) {
	if len(units) == 0 {
		return nil, nil
	}
	var q store.Query
	q.Add("v.unit_code IN ("+store.Marks(len(units))+")", store.Args(units)...)
	return s.venueSites(ctx, q)
}

// VenueSitesByCode returns the venues with the codes, with their rooms, in
// the order of VenueSitesIn; a code no venue has is left out.
func (s *Service) VenueSitesByCode(ctx context.Context, codes []string) ([]VenueSite, error) {
	var out []VenueSite
	for _, part := range store.Chunks(store.Distinct(codes), 500) {
		var q store.Query
		q.Add("v.code IN ("+store.Marks(len(part))+")", store.Args(part)...)
		list, err := s.venueSites(ctx, q)
		if err != nil {
			return nil, err
		}
		out = append(out, list...)
	}
	return out, nil
}

func (s *Service) venueSites(ctx context.Context, q store.Query) ([]VenueSite, error) {
	type row struct {
		v VenueSite
		r Room
	}
	rows, err := store.Select(ctx, s.db.Q(ctx), func(sc store.Scanner) (row, error) {
		var x row
		err := sc.Scan(&x.v.Code, &x.v.Name, &x.v.UnitCode, &x.v.SchoolCode, &x.v.City, &x.v.Address, &x.v.Floors, &x.v.PublicSchool,
			&x.r.ID, &x.r.Name, &x.r.Floor, &x.r.Seats, &x.r.LengthCM, &x.r.WidthCM)
		x.r.VenueCode = x.v.Code
		return x, err
	}, `SELECT v.code, v.name, v.unit_code, COALESCE(v.school_code, ''), v.city, v.address, v.floors, COALESCE(sc.public, FALSE),
		COALESCE(r.id, 0), COALESCE(r.name, ''), COALESCE(r.floor, 0), COALESCE(r.seats, 0), COALESCE(r.length_cm, 0), COALESCE(r.width_cm, 0)
		FROM venues v LEFT JOIN schools sc ON sc.code = v.school_code LEFT JOIN rooms r ON r.venue_code = v.code`+q.Where()+`
		ORDER BY v.code, r.floor, r.name, r.id`, q.Args()...)
	if err != nil {
		return nil, fmt.Errorf("registry: venues: %w", err)
	}
	var out []VenueSite
	for _, x := range rows {
		if len(out) == 0 || out[len(out)-1].Code != x.v.Code {
			x.v.Rooms = []Room{}
			out = append(out, x.v)
		}
		if x.r.ID != 0 {
			cur := &out[len(out)-1]
			cur.Rooms = append(cur.Rooms, x.r)
			cur.Seats += x.r.Seats
		}
	}
	return out, nil
}

// RoomSite returns a room with its venue (whose Rooms hold that room
// only); found is false when no room has the id.
func (s *Service) RoomSite(ctx context.Context, id int64) (v VenueSite, r Room, found bool, err error) {
	var code string
	err = s.db.Q(ctx).QueryRowContext(ctx, `SELECT venue_code FROM rooms WHERE id = $1`, id).Scan(&code)
	if errors.Is(err, sql.ErrNoRows) {
		return v, r, false, nil
	}
	if err != nil {
		return v, r, false, fmt.Errorf("registry: room: %w", err)
	}
	list, err := s.VenueSitesByCode(ctx, []string{code})
	if err != nil || len(list) == 0 {
		return v, r, false, err
	}
	v = list[0]
	for _, x := range v.Rooms {
		if x.ID == id {
			v.Rooms = []Room{x}
			return v, x, true, nil
		}
	}
	return v, r, false, nil
}

// ListedStudent is a student as the printed lists show them: the name,
// the school they are in now, and the key of Albanian alphabetical order.
type ListedStudent struct {
	ID         int64
	FirstName  string
	FatherName string
	LastName   string
	SchoolCode string
	SortKey    []byte
}

// ListedStudents returns the students with the ids, by id.
func (s *Service) ListedStudents(ctx context.Context, ids []int64) (map[int64]ListedStudent, error) {
	out := make(map[int64]ListedStudent, len(ids))
	for _, part := range store.Chunks(store.Distinct(ids), 500) {
		var q store.Query
		q.Add("id IN ("+store.Marks(len(part))+")", store.Args(part)...)
		list, err := store.Select(ctx, s.db.Q(ctx), func(r store.Scanner) (ListedStudent, error) {
			var st ListedStudent
			err := r.Scan(&st.ID, &st.FirstName, &st.FatherName, &st.LastName, &st.SchoolCode, &st.SortKey)
			return st, err
		}, `SELECT id, first_name, father_name, last_name, school_code, sort_key FROM students`+q.Where(), q.Args()...)
		if err != nil {
			return nil, fmt.Errorf("registry: students: %w", err)
		}
		for _, st := range list {
			out[st.ID] = st
		}
	}
	return out, nil
}

// StudentSortKeys returns the Albanian sort keys of the students with the
// ids, by id. A long list (a national plan seats ~35,000) is read in one
// pass over the students rather than by hundreds of ids at a time.
func (s *Service) StudentSortKeys(ctx context.Context, ids []int64) (map[int64][]byte, error) {
	type key struct {
		id  int64
		key []byte
	}
	scan := func(r store.Scanner) (key, error) {
		var k key
		err := r.Scan(&k.id, &k.key)
		return k, err
	}
	out := make(map[int64][]byte, len(ids))
	if len(ids) >= venueScanAll {
		want := make(map[int64]bool, len(ids))
		for _, id := range ids {
			want[id] = true
		}
		list, err := store.Select(ctx, s.db.Q(ctx), scan, `SELECT id, sort_key FROM students`)
		if err != nil {
			return nil, fmt.Errorf("registry: students: %w", err)
		}
		for _, k := range list {
			if want[k.id] {
				out[k.id] = k.key
			}
		}
		return out, nil
	}
	for _, part := range store.Chunks(store.Distinct(ids), 500) {
		var q store.Query
		q.Add("id IN ("+store.Marks(len(part))+")", store.Args(part)...)
		list, err := store.Select(ctx, s.db.Q(ctx), scan, `SELECT id, sort_key FROM students`+q.Where(), q.Args()...)
		if err != nil {
			return nil, fmt.Errorf("registry: students: %w", err)
		}
		for _, k := range list {
			out[k.id] = k.key
		}
	}
	return out, nil
}

// venueScanAll is the length of an id list from which one pass over the
// table is cheaper than reading it by parts.
const venueScanAll = 4000

// StudentIDsOfSchool returns the ids of the students now in the school.
func (s *Service) StudentIDsOfSchool(ctx context.Context, school string) ([]int64, error) {
	out, err := store.Select(ctx, s.db.Q(ctx), func(r store.Scanner) (int64, error) {
		var id int64
		err := r.Scan(&id)
		return id, err
	}, `SELECT id FROM students WHERE school_code = $1 ORDER BY id`, school)
	if err != nil {
		return nil, fmt.Errorf("registry: students: %w", err)
	}
	return out, nil
}
