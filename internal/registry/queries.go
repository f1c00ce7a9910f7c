package registry

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"provim/internal/albanian"
	"provim/internal/apperr"
	"provim/internal/audit"
	"provim/internal/auth"
	"provim/internal/store"
)

// Page limits a list.
type Page struct {
	Offset, Limit int
}

// Paging of the lists: a limit ≤ 0 or over MaxLimit means DefaultLimit, a
// negative offset means 0.
const (
	DefaultLimit = 100
	MaxLimit     = 1000
)

// bounds returns the offset and limit actually used.
func (p Page) bounds() (offset, limit int) {
	limit = p.Limit
	if limit <= 0 || limit > MaxLimit {
		limit = DefaultLimit
	}
	return max(p.Offset, 0), limit
}

func (p Page) clause(q *store.Query) string {
	offset, limit := p.bounds()
	return " LIMIT " + q.Arg(limit) + " OFFSET " + q.Arg(offset)
}

// ---- units ----

// ListUnits lists DAR and ZA, DAR first then their ZA, for any staff role.
func (s *Service) ListUnits(ctx context.Context, p *auth.Principal) ([]Unit, error) {
	if p == nil || p.Role == auth.RoleStudent {
		return nil, deny(p)
	}
	rows, err := s.db.QueryContext(ctx, `SELECT code, name, kind, COALESCE(parent_code, ''), city FROM units`)
	if err != nil {
		return nil, fmt.Errorf("registry: list units: %w", err)
	}
	defer rows.Close()
	var out []Unit
	for rows.Next() {
		var u Unit
		if err := rows.Scan(&u.Code, &u.Name, &u.Kind, &u.ParentCode, &u.City); err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	// Each DAR followed by its ZA, both in Albanian order.
	albanian.SortBy(out, func(u Unit) string {
		if u.Kind == "DAR" {
			return u.Name
		}
		for _, d := range out {
			if d.Code == u.ParentCode {
				return d.Name + "\x02" + u.Name
			}
		}
		return u.Name
	})
	return out, rows.Err()
}

// ---- schools ----

const schoolCols = `sc.code, sc.name, sc.unit_code, sc.city, sc.public, sc.profile, sc.years, sc.address`

func scanSchool(row interface{ Scan(...any) error }) (School, error) {
	var s School
	err := row.Scan(&s.Code, &s.Name, &s.UnitCode, &s.City, &s.Public, &s.Profile, &s.Years, &s.Address)
	return s, err
}

// SchoolFilter narrows ListSchools.
type SchoolFilter struct {
	Q       string // name, code or city
	Unit    string
	Profile string
	Page    Page
}

// ListSchools lists the schools in the caller's scope, in Albanian order:
// all of them (for pickers) unless f.Page has a limit; a negative offset
// counts as 0.
func (s *Service) ListSchools(ctx context.Context, p *auth.Principal, f SchoolFilter) ([]School, error) {
	all, err := s.schools(ctx, p, f)
	if err != nil {
		return nil, err
	}
	return pageSlice(all, f.Page), nil
}

// ListSchoolsPage lists one page of the schools in the caller's scope with
// the paging of ListStudents and ListStaff (see Page.bounds), and the total
// count of the filtered set.
func (s *Service) ListSchoolsPage(ctx context.Context, p *auth.Principal, f SchoolFilter) ([]School, int, error) {
	all, err := s.schools(ctx, p, f)
	if err != nil {
		return nil, 0, err
	}
	offset, limit := f.Page.bounds()
	return pageSlice(all, Page{Offset: offset, Limit: limit}), len(all), nil
}

func (s *Service) schools(ctx context.Context, p *auth.Principal, f SchoolFilter) ([]School, error) {
	var q store.Query
	if err := ScopeSchools(p, &q, "sc"); err != nil {
		return nil, err
	}
	if f.Q != "" {
		like := "%" + strings.ToLower(strings.TrimSpace(f.Q)) + "%"
		q.Add("(LOWER(sc.name) LIKE ? OR LOWER(sc.code) LIKE ? OR LOWER(sc.city) LIKE ?)", like, like, like)
	}
	if f.Unit != "" {
		q.Add("sc.unit_code IN "+unitsOf, f.Unit, f.Unit)
	}
	if f.Profile != "" {
		q.Add("sc.profile = ?", f.Profile)
	}
	rows, err := s.db.QueryContext(ctx, `SELECT `+schoolCols+` FROM schools sc`+q.Where(), q.Args()...)
	if err != nil {
		return nil, fmt.Errorf("registry: list schools: %w", err)
	}
	defer rows.Close()
	var out []School
	for rows.Next() {
		sc, err := scanSchool(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, sc)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	albanian.SortBy(out, func(s School) string { return s.Name })
	return out, nil
}

// pageSlice cuts a page out of items: a negative offset counts as 0, a
// limit ≤ 0 means no limit.
func pageSlice[T any](items []T, p Page) []T {
	offset := max(p.Offset, 0)
	if offset >= len(items) {
		return nil
	}
	items = items[offset:]
	if p.Limit > 0 && p.Limit < len(items) {
		items = items[:p.Limit]
	}
	return items
}

// GetSchool returns one school in the caller's scope.
func (s *Service) GetSchool(ctx context.Context, p *auth.Principal, code string) (School, error) {
	var q store.Query
	if err := ScopeSchools(p, &q, "sc"); err != nil {
		return School{}, err
	}
	q.Add("sc.code = ?", code)
	sc, err := scanSchool(s.db.QueryRowContext(ctx, `SELECT `+schoolCols+` FROM schools sc`+q.Where(), q.Args()...))
	if errors.Is(err, sql.ErrNoRows) {
		return School{}, notFound("Shkolla", code)
	}
	if err != nil {
		return School{}, fmt.Errorf("registry: get school: %w", err)
	}
	return sc, nil
}

// SaveSchool creates or updates a school (AVA, or KMSH in its DAR/ZA).
func (s *Service) SaveSchool(ctx context.Context, p *auth.Principal, in School) (School, error) {
	sc, _, err := s.UpsertSchool(ctx, p, in)
	return sc, err
}

// UpsertSchool is SaveSchool that also tells whether the school was created.
func (s *Service) UpsertSchool(ctx context.Context, p *auth.Principal, in School) (School, bool, error) {
	if err := auth.Require(p, auth.RoleAVA, auth.RoleKMSH); err != nil {
		return School{}, false, err
	}
	res, err := importRecords(ctx, s, p, schoolSpec, []record[School]{{val: in}}, nil)
	if err != nil {
		return School{}, false, singleError("Shkolla nuk u ruajt", err)
	}
	sc, err := s.GetSchool(ctx, p, strings.TrimSpace(in.Code))
	return sc, res.Created > 0, err
}

// singleError turns a one-record import failure into a plain error.
func singleError(prefix string, err error) error {
	var ie *ImportError
	if errors.As(err, &ie) && len(ie.Rows) == 1 {
		return &apperr.Error{Code: apperr.Invalid, Message: prefix + ": " + strings.Join(ie.Rows[0].Reasons, "; ") + ".", Details: ie.Rows[0].Reasons}
	}
	return err
}

// ---- students ----

const studentCols = `st.id, st.personal_no, st.first_name, st.father_name, st.last_name, st.sex, st.birth_date,
	st.school_code, sc.name, st.class_name, COALESCE(st.average_grade, 0), st.category, st.phone, st.updated_at`

func scanStudent(row interface{ Scan(...any) error }) (Student, error) {
	var s Student
	err := row.Scan(&s.ID, &s.PersonalNo, &s.FirstName, &s.FatherName, &s.LastName, &s.Sex, &s.BirthDate,
		&s.SchoolCode, &s.SchoolName, &s.ClassName, &s.AverageGrade, &s.Category, &s.Phone, &s.UpdatedAt)
	return s, err
}

// StudentFilter narrows ListStudents.
type StudentFilter struct {
	Q        string // name or personal number
	School   string
	Unit     string
	Category string
	Page     Page
}

// ListStudents lists students in the caller's scope in Albanian
// alphabetical order (surname, name, father's name), with the total count.
func (s *Service) ListStudents(ctx context.Context, p *auth.Principal, f StudentFilter) ([]Student, int, error) {
	var q store.Query
	if err := ScopeStudents(p, &q); err != nil {
		return nil, 0, err
	}
	if f.Q != "" {
		for _, w := range strings.Fields(strings.ToLower(f.Q)) {
			like := "%" + w + "%"
			q.Add("(LOWER(st.first_name) LIKE ? OR LOWER(st.last_name) LIKE ? OR LOWER(st.personal_no) LIKE ?)", like, like, like)
		}
	}
	if f.School != "" {
		q.Add("st.school_code = ?", f.School)
	}
	if f.Unit != "" {
		q.Add("sc.unit_code IN "+unitsOf, f.Unit, f.Unit)
	}
	if f.Category != "" {
		q.Add("st.category = ?", f.Category)
	}
	from := ` FROM students st JOIN schools sc ON sc.code = st.school_code` + q.Where()
	var total int
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*)`+from, q.Args()...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("registry: count students: %w", err)
	}
	// sort_key holds the Albanian collation key, so byte order is correct.
	order := ` ORDER BY st.sort_key, st.id` + f.Page.clause(&q)
	rows, err := s.db.QueryContext(ctx, `SELECT `+studentCols+from+order, q.Args()...)
	if err != nil {
		return nil, 0, fmt.Errorf("registry: list students: %w", err)
	}
	defer rows.Close()
	var out []Student
	for rows.Next() {
		st, err := scanStudent(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, st)
	}
	return out, total, rows.Err()
}

// GetStudent returns one student in the caller's scope.
func (s *Service) GetStudent(ctx context.Context, p *auth.Principal, id int64) (Student, error) {
	var q store.Query
	if err := ScopeStudents(p, &q); err != nil {
		return Student{}, err
	}
	q.Add("st.id = ?", id)
	st, err := scanStudent(s.db.QueryRowContext(ctx, `SELECT `+studentCols+` FROM students st JOIN schools sc ON sc.code = st.school_code`+q.Where(), q.Args()...))
	if errors.Is(err, sql.ErrNoRows) {
		return Student{}, notFound("Nxënësi", strconv.FormatInt(id, 10))
	}
	if err != nil {
		return Student{}, fmt.Errorf("registry: get student: %w", err)
	}
	return st, nil
}

// SaveStudent creates a student (ID 0) or updates one in the caller's
// scope. The natural key is the personal number.
func (s *Service) SaveStudent(ctx context.Context, p *auth.Principal, in Student) (Student, error) {
	st, _, err := s.UpsertStudent(ctx, p, in)
	return st, err
}

// UpsertStudent is SaveStudent that also tells whether the student was
// created. With ID 0 the personal number decides: an existing student in
// the caller's scope is updated. With an ID, that student must be in the
// caller's scope (else not_found) and keep their personal number.
func (s *Service) UpsertStudent(ctx context.Context, p *auth.Principal, in Student) (Student, bool, error) {
	if err := canWrite(p); err != nil {
		return Student{}, false, err
	}
	if in.ID != 0 {
		old, err := s.GetStudent(ctx, p, in.ID)
		if err != nil {
			return Student{}, false, err
		}
		// The personal number is the natural key: changing it here would
		// silently create another person.
		if n, _ := ParseNID(in.PersonalNo); n.Number != old.PersonalNo {
			return Student{}, false, apperr.New(apperr.Invalid, "Numri personal nuk ndryshohet nga kjo faqe: regjistroni nxënësin me numrin e saktë dhe njoftoni AVA-n për të dhënën e gabuar.")
		}
	}
	res, err := importRecords(ctx, s, p, studentSpec, []record[Student]{{val: in}}, nil)
	if err != nil {
		return Student{}, false, singleError("Nxënësi nuk u ruajt", err)
	}
	n, _ := ParseNID(in.PersonalNo)
	var id int64
	if err := s.db.QueryRowContext(ctx, `SELECT id FROM students WHERE personal_no = $1`, n.Number).Scan(&id); err != nil {
		return Student{}, false, fmt.Errorf("registry: reread student: %w", err)
	}
	st, err := s.GetStudent(ctx, p, id)
	return st, res.Created > 0, err
}

// ---- staff ----

const staffCols = `sf.id, sf.personal_no, sf.first_name, sf.father_name, sf.last_name, sf.sex, sf.unit_code,
	COALESCE(sf.school_code, ''), sf.position, sf.subjects, sf.phone, sf.updated_at`

func scanStaff(row interface{ Scan(...any) error }) (Staff, error) {
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
	if f.Q != "" {
		for _, w := range strings.Fields(strings.ToLower(f.Q)) {
			like := "%" + w + "%"
			q.Add("(LOWER(sf.first_name) LIKE ? OR LOWER(sf.last_name) LIKE ? OR LOWER(sf.personal_no) LIKE ?)", like, like, like)
		}
	}
	if f.Unit != "" {
		q.Add("sf.unit_code IN "+unitsOf, f.Unit, f.Unit)
	}
	if f.School != "" {
		q.Add("sf.school_code = ?", f.School)
	}
	if f.Position != "" {
		q.Add("sf.position = ?", f.Position)
	}
	from := ` FROM staff sf` + q.Where()
	var total int
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*)`+from, q.Args()...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("registry: count staff: %w", err)
	}
	rows, err := s.db.QueryContext(ctx, `SELECT `+staffCols+from+` ORDER BY sf.sort_key, sf.id`+f.Page.clause(&q), q.Args()...)
	if err != nil {
		return nil, 0, fmt.Errorf("registry: list staff: %w", err)
	}
	defer rows.Close()
	var out []Staff
	for rows.Next() {
		st, err := scanStaff(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, st)
	}
	return out, total, rows.Err()
}

// GetStaff returns one staff member in the caller's scope.
func (s *Service) GetStaff(ctx context.Context, p *auth.Principal, id int64) (Staff, error) {
	var q store.Query
	if err := scopeStaff(p, &q); err != nil {
		return Staff{}, err
	}
	q.Add("sf.id = ?", id)
	st, err := scanStaff(s.db.QueryRowContext(ctx, `SELECT `+staffCols+` FROM staff sf`+q.Where(), q.Args()...))
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
		return Staff{}, false, singleError("Punonjësi nuk u ruajt", err)
	}
	n, _ := ParseNID(in.PersonalNo)
	var id int64
	if err := s.db.QueryRowContext(ctx, `SELECT id FROM staff WHERE personal_no = $1`, n.Number).Scan(&id); err != nil {
		return Staff{}, false, fmt.Errorf("registry: reread staff: %w", err)
	}
	st, err := s.GetStaff(ctx, p, id)
	return st, res.Created > 0, err
}

// ---- venues ----

// ListVenues lists venues in the caller's scope with their rooms.
func (s *Service) ListVenues(ctx context.Context, p *auth.Principal, unit string) ([]Venue, error) {
	var q store.Query
	if err := scopeVenues(p, &q); err != nil {
		return nil, err
	}
	if unit != "" {
		q.Add("v.unit_code IN "+unitsOf, unit, unit)
	}
	rows, err := s.db.QueryContext(ctx, `SELECT v.code, v.name, v.unit_code, COALESCE(v.school_code, ''), v.city, v.address, v.floors,
		r.id, r.name, r.floor, r.seats, r.length_cm, r.width_cm
		FROM venues v LEFT JOIN rooms r ON r.venue_code = v.code`+q.Where()+` ORDER BY v.code, r.floor, r.name`, q.Args()...)
	if err != nil {
		return nil, fmt.Errorf("registry: list venues: %w", err)
	}
	defer rows.Close()
	var out []Venue
	for rows.Next() {
		var v Venue
		var rid sql.NullInt64
		var rname sql.NullString
		var floor, seats, l, w sql.NullInt64
		if err := rows.Scan(&v.Code, &v.Name, &v.UnitCode, &v.SchoolCode, &v.City, &v.Address, &v.Floors,
			&rid, &rname, &floor, &seats, &l, &w); err != nil {
			return nil, err
		}
		if len(out) == 0 || out[len(out)-1].Code != v.Code {
			out = append(out, v)
		}
		cur := &out[len(out)-1]
		if rid.Valid {
			cur.Rooms = append(cur.Rooms, Room{ID: rid.Int64, VenueCode: v.Code, Name: rname.String, Floor: int(floor.Int64),
				Seats: int(seats.Int64), LengthCM: int(l.Int64), WidthCM: int(w.Int64)})
			cur.Seats += int(seats.Int64)
		}
	}
	albanian.SortBy(out, func(v Venue) string { return v.City + "\x01" + v.Name })
	return out, rows.Err()
}

// GetVenue returns one venue in the caller's scope.
func (s *Service) GetVenue(ctx context.Context, p *auth.Principal, code string) (Venue, error) {
	var q store.Query
	if err := scopeVenues(p, &q); err != nil {
		return Venue{}, err
	}
	vs, err := s.listVenuesWhere(ctx, q, code)
	if err != nil {
		return Venue{}, err
	}
	if len(vs) == 0 {
		return Venue{}, notFound("Qendra e provimit", code)
	}
	return vs[0], nil
}

func (s *Service) listVenuesWhere(ctx context.Context, q store.Query, code string) ([]Venue, error) {
	q.Add("v.code = ?", code)
	rows, err := s.db.QueryContext(ctx, `SELECT v.code FROM venues v`+q.Where(), q.Args()...)
	if err != nil {
		return nil, fmt.Errorf("registry: get venue: %w", err)
	}
	found := rows.Next()
	rows.Close()
	if !found {
		return nil, nil
	}
	all, err := s.ListVenues(ctx, &auth.Principal{Role: auth.RoleAVA}, "")
	if err != nil {
		return nil, err
	}
	for _, v := range all {
		if v.Code == code {
			return []Venue{v}, nil
		}
	}
	return nil, nil
}

// SaveRoom creates or updates a venue together with one room.
func (s *Service) SaveRoom(ctx context.Context, p *auth.Principal, v Venue, r Room) (Venue, error) {
	saved, _, err := s.UpsertRoom(ctx, p, v, r)
	return saved, err
}

// UpsertRoom is SaveRoom that also tells whether the room was created.
func (s *Service) UpsertRoom(ctx context.Context, p *auth.Principal, v Venue, r Room) (Venue, bool, error) {
	if err := auth.Require(p, auth.RoleAVA, auth.RoleKMSH); err != nil {
		return Venue{}, false, err
	}
	// A venue outside the caller's scope answers as if it did not exist.
	code := strings.TrimSpace(v.Code)
	if _, err := s.GetVenue(ctx, p, code); apperr.Is(err, apperr.NotFound) {
		var n int
		if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM venues WHERE code = $1`, code).Scan(&n); err != nil {
			return Venue{}, false, fmt.Errorf("registry: venue %s: %w", code, err)
		}
		if n > 0 {
			return Venue{}, false, err
		}
	}
	res, err := importRecords(ctx, s, p, roomSpec, []record[venueRoom]{{val: venueRoom{v, r}}}, nil)
	if err != nil {
		return Venue{}, false, singleError("Qendra nuk u ruajt", err)
	}
	saved, err := s.GetVenue(ctx, p, code)
	return saved, res.Created > 0, err
}

// Counts is a summary of the registry in the caller's scope.
type Counts struct {
	Units, Schools, Students, Staff, Venues, Rooms, Seats int
}

// Count summarises the registry for the dashboard.
func (s *Service) Count(ctx context.Context, p *auth.Principal) (Counts, error) {
	var c Counts
	if p == nil || p.Role == auth.RoleStudent || p.Role == auth.RoleMarker {
		return c, nil
	}
	if p.Role == auth.RoleAVA || p.Role == auth.RoleKMSH {
		var q store.Query
		if p.Role == auth.RoleKMSH {
			q.Add("code IN "+unitsOf, p.Unit, p.Unit)
		}
		s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM units`+q.Where(), q.Args()...).Scan(&c.Units)
	}
	var q store.Query
	if ScopeSchools(p, &q, "sc") == nil {
		s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM schools sc`+q.Where(), q.Args()...).Scan(&c.Schools)
	}
	q = store.Query{}
	if ScopeStudents(p, &q) == nil {
		s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM students st JOIN schools sc ON sc.code = st.school_code`+q.Where(), q.Args()...).Scan(&c.Students)
	}
	q = store.Query{}
	if scopeStaff(p, &q) == nil {
		s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM staff sf`+q.Where(), q.Args()...).Scan(&c.Staff)
	}
	q = store.Query{}
	if scopeVenues(p, &q) == nil {
		s.db.QueryRowContext(ctx, `SELECT COUNT(DISTINCT v.code), COUNT(r.id), COALESCE(SUM(r.seats), 0) FROM venues v LEFT JOIN rooms r ON r.venue_code = v.code`+q.Where(), q.Args()...).Scan(&c.Venues, &c.Rooms, &c.Seats)
	}
	return c, nil
}

// History returns the audit entries of one object, for those who may see it.
func (s *Service) History(ctx context.Context, objectType, objectID string) ([]audit.Entry, error) {
	return audit.Query(ctx, s.db.DB, objectType, objectID, 50)
}

func nowStamp() string { return time.Now().UTC().Format(time.RFC3339) }
