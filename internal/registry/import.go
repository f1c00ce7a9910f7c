package registry

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"provim/internal/albanian"
	"provim/internal/apperr"
	"provim/internal/audit"
	"provim/internal/auth"
	"provim/internal/clock"
	"provim/internal/store"
)

// RowError is one refused row of an import: its line in the file and every
// reason, in Albanian.
type RowError struct {
	Line    int      `json:"line"`
	Reasons []string `json:"reasons"`
}

func (r RowError) String() string {
	return fmt.Sprintf("Rreshti %d: %s.", r.Line, strings.Join(r.Reasons, "; "))
}

// ImportError lists every bad row; when it is returned nothing was written.
type ImportError struct {
	Rows []RowError
}

func (e *ImportError) Error() string {
	if len(e.Rows) == 1 {
		return "1 rresht ka gabime; asgjë nuk u ruajt. Korrigjoni skedarin dhe ngarkojeni përsëri."
	}
	return fmt.Sprintf("%d rreshta kanë gabime; asgjë nuk u ruajt. Korrigjoni skedarin dhe ngarkojeni përsëri.", len(e.Rows))
}

// ErrorCode makes an ImportError a domain error of code apperr.Invalid.
func (e *ImportError) ErrorCode() string { return apperr.Invalid }

// Result counts what an import did.
type Result struct {
	Entity    string `json:"entity"` // as imported: "units", "schools", "students", "staff" or "venues"
	Rows      int    `json:"rows"`
	Created   int    `json:"created"`
	Updated   int    `json:"updated"`
	Unchanged int    `json:"unchanged"`
}

// Progress is told how far a long import has come.
type Progress func(phase string, done, total int)

type record[T any] struct {
	line int
	val  T
	pre  problems // found while reading the cells
}

// spec describes how one entity is validated, keyed and written.
type spec[T any] struct {
	entity     string // the import's name for the entity (Entities)
	objectType string // the audit log's object type
	label      string // Albanian noun for messages
	check      func(e *env, v T, inFile map[string]T) (T, problems)
	key        func(T) string
	loadKeys   string // SELECT returning existing rows for a set of keys (IN list appended)
	scan       func(row store.Scanner) (T, error)
	same       func(a, b T) bool
	owned      func(e *env, old T) (bool, string) // may the caller change the existing record?
	insert     func(ctx context.Context, w *writer, v T) error
	update     func(ctx context.Context, w *writer, old, v T) error
}

// writer holds the prepared statements of one import transaction.
type writer struct {
	tx    store.Querier
	at    string // the moment of the import, as stored
	stmts map[string]*sql.Stmt
	seen  map[string]bool
}

func (w *writer) exec(ctx context.Context, q string, args ...any) (sql.Result, error) {
	st, ok := w.stmts[q]
	if !ok {
		var err error
		st, err = w.tx.PrepareContext(ctx, q)
		if err != nil {
			return nil, err
		}
		w.stmts[q] = st
	}
	return st.ExecContext(ctx, args...)
}

func (w *writer) close() {
	for _, s := range w.stmts {
		s.Close()
	}
}

// importRecords validates every record, and only when all are valid writes
// them in one transaction with an audit entry per change. Re-importing the
// same data changes nothing (upsert by natural key, unchanged rows skipped).
func importRecords[T any](ctx context.Context, s *Service, p *auth.Principal, sp spec[T], recs []record[T], progress Progress) (Result, error) {
	res := Result{Entity: sp.entity, Rows: len(recs)}
	if err := canWrite(p); err != nil {
		return res, err
	}
	if progress == nil {
		progress = func(string, int, int) {}
	}
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		tx := s.db.Q(ctx)
		e, err := loadEnv(ctx, tx, p, s.db.Now(ctx))
		if err != nil {
			return err
		}
		// 1. Validate each row on its own and against the rest of the file.
		var bad []RowError
		clean := make([]record[T], 0, len(recs))
		firstLine := map[string]int{}
		inFile := map[string]T{}
		for i, r := range recs {
			v, ps := sp.check(e, r.val, inFile)
			ps = append(r.pre, ps...)
			k := sp.key(v)
			if k != "" {
				if l, dup := firstLine[k]; dup {
					ps.addf("%s «%s» përsëritet në skedar (njësoj si rreshti %d)", sp.label, k, l)
				} else {
					firstLine[k] = r.line
					inFile[k] = v
				}
			}
			if len(ps) > 0 {
				bad = append(bad, RowError{Line: r.line, Reasons: ps})
			}
			clean = append(clean, record[T]{line: r.line, val: v})
			if i%2000 == 0 {
				progress("kontroll", i, len(recs))
			}
		}
		// 2. Compare with what the database holds.
		existing, err := loadExisting(ctx, tx, sp, firstLine)
		if err != nil {
			return err
		}
		for _, r := range clean {
			old, ok := existing[sp.key(r.val)]
			if !ok || sp.owned == nil {
				continue
			}
			if mine, why := sp.owned(e, old); !mine {
				addReason(&bad, r.line, why)
			}
		}
		if len(bad) > 0 {
			sortRowErrors(bad)
			return &ImportError{Rows: bad}
		}
		// 3. Write, in file order.
		w := &writer{tx: tx, at: clock.Stored(s.db.Now(ctx)), stmts: map[string]*sql.Stmt{}, seen: map[string]bool{}}
		defer w.close()
		who := p.Actor()
		for i, r := range clean {
			k := sp.key(r.val)
			old, ok := existing[k]
			switch {
			case !ok:
				if err := sp.insert(ctx, w, r.val); err != nil {
					return fmt.Errorf("registry: line %d: insert %s %s: %w", r.line, sp.objectType, k, err)
				}
				if err := audit.Add(ctx, who, "create", sp.objectType, k, nil, r.val); err != nil {
					return err
				}
				res.Created++
			case sp.same(old, r.val):
				res.Unchanged++
			default:
				if err := sp.update(ctx, w, old, r.val); err != nil {
					return fmt.Errorf("registry: line %d: update %s %s: %w", r.line, sp.objectType, k, err)
				}
				if err := audit.Add(ctx, who, "update", sp.objectType, k, old, r.val); err != nil {
					return err
				}
				res.Updated++
			}
			if i%2000 == 0 {
				progress("ruajtje", i, len(clean))
			}
		}
		progress("ruajtje", len(clean), len(clean))
		return nil
	})
	if err != nil {
		return Result{Entity: sp.entity, Rows: len(recs)}, err
	}
	return res, nil
}

func addReason(bad *[]RowError, line int, why string) {
	for i := range *bad {
		if (*bad)[i].Line == line {
			(*bad)[i].Reasons = append((*bad)[i].Reasons, why)
			return
		}
	}
	*bad = append(*bad, RowError{Line: line, Reasons: []string{why}})
}

func sortRowErrors(bad []RowError) {
	for i := 1; i < len(bad); i++ {
		for j := i; j > 0 && bad[j].Line < bad[j-1].Line; j-- {
			bad[j], bad[j-1] = bad[j-1], bad[j]
		}
	}
}

// loadExisting reads the stored records whose keys appear in the file, in
// chunks so that the IN lists stay small on both engines.
func loadExisting[T any](ctx context.Context, tx store.Querier, sp spec[T], keys map[string]int) (map[string]T, error) {
	out := make(map[string]T, len(keys))
	all := make([]any, 0, len(keys))
	for k := range keys {
		all = append(all, k)
	}
	const chunk = 500
	for start := 0; start < len(all); start += chunk {
		end := min(start+chunk, len(all))
		ph := make([]string, end-start)
		for i := range ph {
			ph[i] = fmt.Sprintf("$%d", i+1)
		}
		list, err := store.Select(ctx, tx, sp.scan, sp.loadKeys+" IN ("+strings.Join(ph, ", ")+")", all[start:end]...)
		if err != nil {
			return nil, fmt.Errorf("registry: load existing %s: %w", sp.objectType, err)
		}
		for _, v := range list {
			out[sp.key(v)] = v
		}
	}
	return out, nil
}

// ---- the entities ----

var unitSpec = spec[Unit]{
	entity: "units", objectType: "unit", label: "kodi",
	check:    func(e *env, v Unit, inFile map[string]Unit) (Unit, problems) { return e.checkUnit(v, inFile) },
	key:      func(u Unit) string { return u.Code },
	loadKeys: `SELECT ` + unitCols + ` FROM units WHERE code`,
	scan:     scanUnit,
	same:     func(a, b Unit) bool { return a == b },
	insert: func(ctx context.Context, w *writer, u Unit) error {
		_, err := w.exec(ctx, `INSERT INTO units (code, name, kind, parent_code, city) VALUES ($1, $2, $3, $4, $5)`,
			u.Code, u.Name, u.Kind, nullIf(u.ParentCode), u.City)
		return err
	},
	update: func(ctx context.Context, w *writer, _, u Unit) error {
		_, err := w.exec(ctx, `UPDATE units SET name = $2, kind = $3, parent_code = $4, city = $5 WHERE code = $1`,
			u.Code, u.Name, u.Kind, nullIf(u.ParentCode), u.City)
		return err
	},
}

var schoolSpec = spec[School]{
	entity: "schools", objectType: "school", label: "kodi i shkollës",
	check:    func(e *env, v School, _ map[string]School) (School, problems) { return e.checkSchool(v) },
	key:      func(s School) string { return s.Code },
	loadKeys: `SELECT ` + schoolCols + ` FROM schools sc WHERE sc.code`,
	scan:     scanSchool,
	same:     func(a, b School) bool { return a == b },
	insert: func(ctx context.Context, w *writer, s School) error {
		_, err := w.exec(ctx, `INSERT INTO schools (code, name, unit_code, city, public, profile, years, address) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
			s.Code, s.Name, s.UnitCode, s.City, s.Public, s.Profile, s.Years, s.Address)
		return err
	},
	update: func(ctx context.Context, w *writer, _, s School) error {
		_, err := w.exec(ctx, `UPDATE schools SET name = $2, unit_code = $3, city = $4, public = $5, profile = $6, years = $7, address = $8 WHERE code = $1`,
			s.Code, s.Name, s.UnitCode, s.City, s.Public, s.Profile, s.Years, s.Address)
		return err
	},
}

var studentSpec = spec[Student]{
	entity: "students", objectType: "student", label: "numri personal",
	check:    func(e *env, v Student, _ map[string]Student) (Student, problems) { return e.checkStudent(v) },
	key:      func(s Student) string { return s.PersonalNo },
	loadKeys: `SELECT ` + studentCols + ` FROM students st JOIN schools sc ON sc.code = st.school_code WHERE st.personal_no`,
	scan:     scanStudent,
	same: func(a, b Student) bool {
		return a.FirstName == b.FirstName && a.FatherName == b.FatherName && a.LastName == b.LastName && a.Sex == b.Sex &&
			a.BirthDate == b.BirthDate && a.SchoolCode == b.SchoolCode && a.ClassName == b.ClassName &&
			a.AverageGrade == b.AverageGrade && a.Category == b.Category && a.Phone == b.Phone
	},
	// A student registered at a school outside the caller's scope is a
	// duplicate: moving them is for whoever holds both schools.
	owned: func(e *env, old Student) (bool, string) {
		if e.schoolInScope(old.SchoolCode) {
			return true, ""
		}
		return false, fmt.Sprintf("ky numër personal është regjistruar tashmë në shkollën «%s», jashtë fushës suaj", old.SchoolCode)
	},
	insert: func(ctx context.Context, w *writer, s Student) error {
		_, err := w.exec(ctx, `INSERT INTO students (personal_no, first_name, father_name, last_name, sex, birth_date, school_code, class_name, average_grade, category, phone, sort_key, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
			s.PersonalNo, s.FirstName, s.FatherName, s.LastName, s.Sex, s.BirthDate, s.SchoolCode, s.ClassName, nullGrade(s.AverageGrade),
			s.Category, s.Phone, albanian.SortKey(s.LastName, s.FirstName, s.FatherName), w.at)
		return err
	},
	update: func(ctx context.Context, w *writer, _, s Student) error {
		_, err := w.exec(ctx, `UPDATE students SET first_name = $2, father_name = $3, last_name = $4, sex = $5, birth_date = $6, school_code = $7,
			class_name = $8, average_grade = $9, category = $10, phone = $11, sort_key = $12, updated_at = $13 WHERE personal_no = $1`,
			s.PersonalNo, s.FirstName, s.FatherName, s.LastName, s.Sex, s.BirthDate, s.SchoolCode, s.ClassName, nullGrade(s.AverageGrade),
			s.Category, s.Phone, albanian.SortKey(s.LastName, s.FirstName, s.FatherName), w.at)
		return err
	},
}

var staffSpec = spec[Staff]{
	entity: "staff", objectType: "staff", label: "numri personal",
	check:    func(e *env, v Staff, _ map[string]Staff) (Staff, problems) { return e.checkStaff(v) },
	key:      func(s Staff) string { return s.PersonalNo },
	loadKeys: `SELECT ` + staffCols + ` FROM staff sf WHERE sf.personal_no`,
	scan:     scanStaff,
	same: func(a, b Staff) bool {
		return a.FirstName == b.FirstName && a.FatherName == b.FatherName && a.LastName == b.LastName && a.Sex == b.Sex &&
			a.UnitCode == b.UnitCode && a.SchoolCode == b.SchoolCode && a.Position == b.Position && a.Subjects == b.Subjects && a.Phone == b.Phone
	},
	// One person belongs to one DAR/ZA's pool: registering them in another
	// region is refused (a person in two regions).
	owned: func(e *env, old Staff) (bool, string) {
		if e.p.Role == auth.RoleKSHMSH {
			if old.SchoolCode == e.p.School {
				return true, ""
			}
			if old.SchoolCode != "" {
				return false, fmt.Sprintf("ky person është regjistruar tashmë në shkollën «%s», jashtë fushës suaj", old.SchoolCode)
			}
		} else if e.unitInScope(old.UnitCode) {
			return true, ""
		}
		return false, fmt.Sprintf("ky person është regjistruar tashmë në DAR/ZA «%s», jashtë fushës suaj", old.UnitCode)
	},
	insert: func(ctx context.Context, w *writer, s Staff) error {
		_, err := w.exec(ctx, `INSERT INTO staff (personal_no, first_name, father_name, last_name, sex, unit_code, school_code, position, subjects, phone, sort_key, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
			s.PersonalNo, s.FirstName, s.FatherName, s.LastName, s.Sex, s.UnitCode, nullIf(s.SchoolCode), s.Position, s.Subjects, s.Phone,
			albanian.SortKey(s.LastName, s.FirstName, s.FatherName), w.at)
		return err
	},
	update: func(ctx context.Context, w *writer, _, s Staff) error {
		_, err := w.exec(ctx, `UPDATE staff SET first_name = $2, father_name = $3, last_name = $4, sex = $5, unit_code = $6, school_code = $7,
			position = $8, subjects = $9, phone = $10, sort_key = $11, updated_at = $12 WHERE personal_no = $1`,
			s.PersonalNo, s.FirstName, s.FatherName, s.LastName, s.Sex, s.UnitCode, nullIf(s.SchoolCode), s.Position, s.Subjects, s.Phone,
			albanian.SortKey(s.LastName, s.FirstName, s.FatherName), w.at)
		return err
	},
}

// venueRoom is one row of a venue file: a room with its venue.
type venueRoom struct {
	Venue Venue `json:"venue"`
	Room  Room  `json:"room"`
}

var roomSpec = spec[venueRoom]{
	entity: "venues", objectType: "room", label: "salla",
	check: func(e *env, v venueRoom, inFile map[string]venueRoom) (venueRoom, problems) {
		venue, room, ps := e.checkRoom(v.Venue, v.Room)
		// All rows of one venue must describe it the same way.
		for _, o := range inFile {
			if o.Venue.Code == venue.Code && !sameVenue(o.Venue, venue) {
				ps.addf("të dhënat e qendrës «%s» ndryshojnë nga rreshtat e mëparshëm", venue.Code)
				break
			}
		}
		return venueRoom{venue, room}, ps
	},
	key: func(v venueRoom) string { return v.Venue.Code + "/" + v.Room.Name },
	loadKeys: `SELECT v.code, v.name, v.unit_code, COALESCE(v.school_code, ''), v.city, v.address, v.floors,
		r.id, r.name, r.floor, r.seats, r.length_cm, r.width_cm
		FROM venues v JOIN rooms r ON r.venue_code = v.code WHERE v.code || '/' || r.name`,
	scan: func(row store.Scanner) (venueRoom, error) {
		var v venueRoom
		err := row.Scan(&v.Venue.Code, &v.Venue.Name, &v.Venue.UnitCode, &v.Venue.SchoolCode, &v.Venue.City, &v.Venue.Address, &v.Venue.Floors,
			&v.Room.ID, &v.Room.Name, &v.Room.Floor, &v.Room.Seats, &v.Room.LengthCM, &v.Room.WidthCM)
		v.Room.VenueCode = v.Venue.Code
		return v, err
	},
	same: func(a, b venueRoom) bool {
		b.Room.ID = a.Room.ID
		return sameVenue(a.Venue, b.Venue) && a.Room == b.Room
	},
	// No owned: checkRoom refuses every row whose venue exists outside the
	// caller's scope, the rows of new rooms included.
	insert: func(ctx context.Context, w *writer, v venueRoom) error {
		if err := upsertVenue(ctx, w, v.Venue); err != nil {
			return err
		}
		_, err := w.exec(ctx, `INSERT INTO rooms (venue_code, name, floor, seats, length_cm, width_cm) VALUES ($1, $2, $3, $4, $5, $6)`,
			v.Venue.Code, v.Room.Name, v.Room.Floor, v.Room.Seats, v.Room.LengthCM, v.Room.WidthCM)
		return err
	},
	update: func(ctx context.Context, w *writer, _, v venueRoom) error {
		if err := upsertVenue(ctx, w, v.Venue); err != nil {
			return err
		}
		_, err := w.exec(ctx, `UPDATE rooms SET floor = $3, seats = $4, length_cm = $5, width_cm = $6 WHERE venue_code = $1 AND name = $2`,
			v.Venue.Code, v.Room.Name, v.Room.Floor, v.Room.Seats, v.Room.LengthCM, v.Room.WidthCM)
		return err
	},
}

func sameVenue(a, b Venue) bool {
	return a.Code == b.Code && a.Name == b.Name && a.UnitCode == b.UnitCode && a.SchoolCode == b.SchoolCode &&
		a.City == b.City && a.Address == b.Address && a.Floors == b.Floors
}

// upsertVenue writes a venue once per import.
func upsertVenue(ctx context.Context, w *writer, v Venue) error {
	if w.seen["venue:"+v.Code] {
		return nil
	}
	w.seen["venue:"+v.Code] = true
	_, err := w.exec(ctx, `INSERT INTO venues (code, name, unit_code, school_code, city, address, floors) VALUES ($1, $2, $3, $4, $5, $6, $7)
		ON CONFLICT (code) DO UPDATE SET name = excluded.name, unit_code = excluded.unit_code, school_code = excluded.school_code,
		city = excluded.city, address = excluded.address, floors = excluded.floors`,
		v.Code, v.Name, v.UnitCode, nullIf(v.SchoolCode), v.City, v.Address, v.Floors)
	return err
}

func nullIf(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func nullGrade(g float64) any {
	if g == 0 {
		return nil
	}
	return g
}
