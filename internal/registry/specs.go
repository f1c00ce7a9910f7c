package registry

import (
	"context"

	"provim/internal/auth"

	"provim/internal/albanian"
	"provim/internal/store"
)

// ---- the entities ----

var unitSpec = spec[Unit]{
	entity: "units", objectType: "unit", label: "kodi",
	check:    func(e *env, v Unit, inFile map[string]Unit) (Unit, problems, outside) { return e.checkUnit(v, inFile) },
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
	outside: "kjo shkollë është jashtë fushës suaj të veprimit (shkolla ose DAR/ZA e saj): " +
		"për ta kaluar në DAR/ZA-në tuaj, kërkojini AVA-s",
	check:    func(e *env, v School, _ map[string]School) (School, problems, outside) { return e.checkSchool(v) },
	key:      func(s School) string { return s.Code },
	loadKeys: `SELECT ` + schoolCols + ` FROM schools sc WHERE sc.code`,
	scan:     scanSchool,
	same:     func(a, b School) bool { return a == b },
	// An existing school outside the scope is never taken over, whatever
	// DAR/ZA the record names.
	owned: func(e *env, old School) bool { return e.unitInScope(old.UnitCode) },
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
	outside: "ky nxënës është jashtë fushës suaj të veprimit (nxënësi ose shkolla e tij): " +
		"nëse nxënësi ndjek shkollën tuaj, kërkojini KMSH-së ose AVA-s ta transferojë",
	check:    func(e *env, v Student, _ map[string]Student) (Student, problems, outside) { return e.checkStudent(v) },
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
	owned: func(e *env, old Student) bool { return e.schoolInScope(old.SchoolCode) },
	insert: func(ctx context.Context, w *writer, s Student) error {
		_, err := w.exec(ctx, `INSERT INTO students (personal_no, first_name, father_name, last_name, sex, birth_date, school_code, class_name, average_grade, category, phone, sort_key, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
			s.PersonalNo, s.FirstName, s.FatherName, s.LastName, s.Sex, s.BirthDate, s.SchoolCode, s.ClassName, nullGrade(s.AverageGrade),
			s.Category, s.Phone, albanian.SortKey(s.LastName, s.FirstName, s.FatherName), w.at)
		return err
	},
	bulk: &bulkInsert[Student]{
		table: "students",
		cols: []string{"personal_no", "first_name", "father_name", "last_name", "sex", "birth_date", "school_code", "class_name",
			"average_grade", "category", "phone", "sort_key", "updated_at"},
		values: func(w *writer, s Student) []any {
			return []any{s.PersonalNo, s.FirstName, s.FatherName, s.LastName, s.Sex, s.BirthDate, s.SchoolCode, s.ClassName, nullGrade(s.AverageGrade),
				s.Category, s.Phone, albanian.SortKey(s.LastName, s.FirstName, s.FatherName), w.at}
		},
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
	outside: "ky punonjës është jashtë fushës suaj të veprimit (punonjësi, shkolla ose DAR/ZA e tij): " +
		"nëse punon te ju, kërkojini KMSH-së ose AVA-s ta transferojë",
	check:    func(e *env, v Staff, _ map[string]Staff) (Staff, problems, outside) { return e.checkStaff(v) },
	key:      func(s Staff) string { return s.PersonalNo },
	loadKeys: `SELECT ` + staffCols + ` FROM staff sf WHERE sf.personal_no`,
	scan:     scanStaff,
	same: func(a, b Staff) bool {
		return a.FirstName == b.FirstName && a.FatherName == b.FatherName && a.LastName == b.LastName && a.Sex == b.Sex &&
			a.UnitCode == b.UnitCode && a.SchoolCode == b.SchoolCode && a.Position == b.Position && a.Subjects == b.Subjects && a.Phone == b.Phone
	},
	// One person belongs to one DAR/ZA's pool: registering them in another
	// region is refused (a person in two regions).
	owned: func(e *env, old Staff) bool {
		if e.p.Role == auth.RoleKSHMSH {
			return old.SchoolCode == e.p.School
		}
		return e.unitInScope(old.UnitCode)
	},
	insert: func(ctx context.Context, w *writer, s Staff) error {
		_, err := w.exec(ctx, `INSERT INTO staff (personal_no, first_name, father_name, last_name, sex, unit_code, school_code, position, subjects, phone, sort_key, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
			s.PersonalNo, s.FirstName, s.FatherName, s.LastName, s.Sex, s.UnitCode, nullIf(s.SchoolCode), s.Position, s.Subjects, s.Phone,
			albanian.SortKey(s.LastName, s.FirstName, s.FatherName), w.at)
		return err
	},
	bulk: &bulkInsert[Staff]{
		table: "staff",
		cols: []string{"personal_no", "first_name", "father_name", "last_name", "sex", "unit_code", "school_code", "position", "subjects", "phone",
			"sort_key", "updated_at"},
		values: func(w *writer, s Staff) []any {
			return []any{s.PersonalNo, s.FirstName, s.FatherName, s.LastName, s.Sex, s.UnitCode, nullIf(s.SchoolCode), s.Position, s.Subjects, s.Phone,
				albanian.SortKey(s.LastName, s.FirstName, s.FatherName), w.at}
		},
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
	outside: "kjo qendër është jashtë fushës suaj të veprimit (qendra, shkolla ose DAR/ZA e saj): " +
		"për ta kaluar në DAR/ZA-në tuaj, kërkojini AVA-s",
	// All rows of one venue must describe it the same way: each row is
	// compared with the earlier rows of its venue only (comparing it with
	// every earlier row of the file made a national file of 9,000 rooms
	// cost 40 million comparisons).
	checkPeers: func(e *env, v venueRoom, peers func(string) []venueRoom) (venueRoom, problems, outside) {
		venue, room, ps, where := e.checkRoom(v.Venue, v.Room)
		for _, o := range peers(venue.Code) {
			if !sameVenue(o.Venue, venue) {
				ps.addf("të dhënat e qendrës «%s» ndryshojnë nga rreshtat e mëparshëm", venue.Code)
				break
			}
		}
		return venueRoom{venue, room}, ps, where
	},
	group: func(v venueRoom) string { return v.Venue.Code },
	key:   func(v venueRoom) string { return v.Venue.Code + "/" + v.Room.Name },
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
	// caller's scope (recordOutside), the rows of new rooms included.
	insert: func(ctx context.Context, w *writer, v venueRoom) error {
		if err := upsertVenue(ctx, w, v.Venue); err != nil {
			return err
		}
		_, err := w.exec(ctx, `INSERT INTO rooms (venue_code, name, floor, seats, length_cm, width_cm) VALUES ($1, $2, $3, $4, $5, $6)`,
			v.Venue.Code, v.Room.Name, v.Room.Floor, v.Room.Seats, v.Room.LengthCM, v.Room.WidthCM)
		return err
	},
	bulk: &bulkInsert[venueRoom]{
		table: "rooms",
		cols:  []string{"venue_code", "name", "floor", "seats", "length_cm", "width_cm"},
		values: func(_ *writer, v venueRoom) []any {
			return []any{v.Venue.Code, v.Room.Name, v.Room.Floor, v.Room.Seats, v.Room.LengthCM, v.Room.WidthCM}
		},
		prepare: func(ctx context.Context, w *writer, v venueRoom) error { return upsertVenue(ctx, w, v.Venue) },
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
