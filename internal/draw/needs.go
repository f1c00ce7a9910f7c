package draw

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"

	"provim/internal/apperr"
	"provim/internal/examyear"
	"provim/internal/registry"
	"provim/internal/store"
)

// RoomAPs is the number of AP of a room with n candidates (Neni 47.1; see
// the package comment).
func RoomAPs(st examyear.Staffing, n int) int {
	switch {
	case n <= 0:
		return 0
	case n <= st.APRoomOver || st.StudentsPerAPMax <= 0:
		return 1
	}
	return (n + st.StudentsPerAPMax - 1) / st.StudentsPerAPMax
}

// VenueASs is the number of AS of a venue with n candidates (Neni 51.1).
func VenueASs(st examyear.Staffing, n int) int {
	if n <= st.ASVenueOver || st.CandidatesPerASMax <= 0 {
		return 0
	}
	return (n + st.CandidatesPerASMax - 1) / st.CandidatesPerASMax
}

// FloorAdmins is the suggested number of floor administrators (Neni 47.4).
func FloorAdmins(st examyear.Staffing, floors, n int) int {
	if floors > 1 && n > st.ASVenueOver {
		return floors
	}
	return 0
}

// ExamSubjects are the subject codes an AP of exam must not teach.
func ExamSubjects(cfg examyear.Config, exam string) []string {
	out := []string{exam}
	for _, s := range cfg.Subjects {
		if s.Kind == exam && !slices.Contains(out, s.Code) {
			out = append(out, s.Code)
		}
	}
	sort.Strings(out)
	return out
}

// examKind is the kind of exam day an exam code runs on.
func examKind(cfg examyear.Config, exam string) (string, error) {
	if exam == examyear.KindD1 || exam == examyear.KindD2 {
		return exam, nil
	}
	if s, ok := cfg.Subject(exam); ok && s.Kind == examyear.KindElective {
		return examyear.KindElective, nil
	}
	return "", apperr.New(apperr.Invalid, "Provimi «%s» nuk njihet: jepni D1, D2 ose kodin e një lënde me zgjedhje.", exam)
}

// buildInputs reads the exam plan and the pool of unit and builds the
// inputs of a draw: the venues with their needs, the lists per role (their
// published entries sealed under rosterKey) and the people left out. Its
// reads join the transaction ctx carries.
func (s *Service) buildInputs(ctx context.Context, cfg examyear.Config, year, session int, exam, unit, rosterKey string) (Inputs, error) {
	in := Inputs{Version: Version, Year: year, Session: session, Exam: exam, Unit: unit,
		ExamSubjects: ExamSubjects(cfg, exam), Venues: []Venue{}, Pool: []Person{}, Excluded: []Excluded{}}
	// The venues and rooms of the unit (and its ZA), by code and room id.
	venues, err := s.reg.RegionVenues(ctx, unit)
	if err != nil {
		return in, fmt.Errorf("draw: venues: %w", err)
	}
	var rooms []int64
	for _, v := range venues {
		for _, r := range v.Rooms {
			rooms = append(rooms, r.ID)
		}
	}
	// Candidates per room and the schools of the candidates of each
	// venue, read by room.
	seats, err := s.venues.RoomSchools(ctx, year, session, exam, rooms)
	if err != nil {
		return in, fmt.Errorf("draw: seats: %w", err)
	}
	perRoom := map[string]map[int64]int{}
	schools := map[string][]string{}
	for _, x := range seats {
		if perRoom[x.Venue] == nil {
			perRoom[x.Venue] = map[int64]int{}
		}
		perRoom[x.Venue][x.Room] += x.Count
		if !slices.Contains(schools[x.Venue], x.School) {
			schools[x.Venue] = append(schools[x.Venue], x.School)
		}
	}
	if len(perRoom) == 0 {
		return in, apperr.New(apperr.Invalid, "Nuk ka plan provimi (kandidatë të vendosur në mjedise) për provimin %s, sesioni %d, në %s: hartoni planin para shortit.", exam, session, unit)
	}
	for _, rv := range venues {
		for _, r := range rv.Rooms {
			n := perRoom[rv.Code][r.ID]
			if n == 0 {
				continue
			}
			if len(in.Venues) == 0 || in.Venues[len(in.Venues)-1].Code != rv.Code {
				sc := schools[rv.Code]
				if rv.SchoolCode != "" && !slices.Contains(sc, rv.SchoolCode) {
					sc = append(sc, rv.SchoolCode)
				}
				sort.Strings(sc)
				in.Venues = append(in.Venues, Venue{Code: rv.Code, Name: rv.Name, Schools: sc, Floors: rv.Floors, PAP: 1, KMSH: 1})
			}
			v := &in.Venues[len(in.Venues)-1]
			v.Rooms = append(v.Rooms, Room{ID: r.ID, Name: r.Name, Candidates: n, AP: RoomAPs(cfg.Staffing, n)})
			v.Candidates += n
		}
	}
	for i := range in.Venues {
		v := &in.Venues[i]
		v.AS = VenueASs(cfg.Staffing, v.Candidates)
		v.FloorAdmins = FloorAdmins(cfg.Staffing, v.Floors, v.Candidates)
	}
	// People who declared a relative sitting the Matura in the unit (Neni
	// 9). A declaration lost to a read error would put a relative's parent
	// in the draw: an error stops the draw.
	excluded, err := s.declared(ctx, year, unit)
	if err != nil {
		return in, fmt.Errorf("draw: declarations: %w", err)
	}
	// People drawn for another exam held at the same time (Neni 14.3).
	busy, err := s.busyAtTheSameTime(ctx, cfg, year, session, exam)
	if err != nil {
		return in, err
	}
	pool, err := s.loadPool(ctx, year, unit)
	if err != nil {
		return in, err
	}
	for _, e := range pool {
		if excluded[e.ID] {
			in.Excluded = append(in.Excluded, Excluded{ID: e.ID, Name: e.Name, Role: e.Role,
				Reason: "Ka deklaruar të afërm maturant në këtë njësi (Neni 9)"})
			continue
		}
		if other, ok := busy[e.ID]; ok {
			in.Excluded = append(in.Excluded, Excluded{ID: e.ID, Name: e.Name, Role: e.Role,
				Reason: fmt.Sprintf("Është caktuar me short për provimin %s, që zhvillohet në të njëjtën kohë (%s): askush nuk shërben në dy mjedise njëherësh (Neni 14.3)",
					other, cfg.SittingLabel(other, session))})
			continue
		}
		in.Pool = append(in.Pool, e.Person)
	}
	Seal(&in, rosterKey)
	return in, nil
}

// declared returns the people on the lists of unit who declared, for
// year, a relative at a school of unit or of the ZA under it (Neni 9).
func (s *Service) declared(ctx context.Context, year int, unit string) (map[int64]bool, error) {
	type decl struct{ staff, student int64 }
	decls, err := store.Select(ctx, s.db.Q(ctx), func(r store.Scanner) (decl, error) {
		var d decl
		return d, r.Scan(&d.staff, &d.student)
	}, `SELECT d.staff_id, d.student_id FROM staff_declarations d
		WHERE d.year = $1 AND d.staff_id IN (SELECT dp.staff_id FROM draw_pool dp WHERE dp.year = $1 AND dp.unit_code = $2)`, year, unit)
	if err != nil || len(decls) == 0 {
		return nil, err
	}
	units, err := s.reg.RegionUnits(ctx, unit)
	if err != nil {
		return nil, err
	}
	students := make([]int64, len(decls))
	for i, d := range decls {
		students[i] = d.student
	}
	places, err := s.reg.StudentPlaces(ctx, students)
	if err != nil {
		return nil, err
	}
	out := map[int64]bool{}
	for _, d := range decls {
		if pl, ok := places[d.student]; ok && slices.Contains(units, pl.Unit) {
			out[d.staff] = true
		}
	}
	return out, nil
}

// PoolEntry is one person on a role list of a region.
type PoolEntry struct {
	Person
	// PersonalNo is what the API names the person by to take them off
	// the list (DELETE …/{personal_no}), never the record's id alone.
	PersonalNo string `json:"personal_no"`
	Position   string `json:"position"`
	Unit       string `json:"unit"` // the person's own DAR/ZA
	sortKey    []byte
}

// loadPool returns the lists of unit in role order, each alphabetical
// (Albanian collation of last, first and father's name; then id).
func (s *Service) loadPool(ctx context.Context, year int, unit string) ([]PoolEntry, error) {
	type listed struct {
		id   int64
		role string
	}
	lists, err := store.Select(ctx, s.db.Q(ctx), func(r store.Scanner) (listed, error) {
		var l listed
		return l, r.Scan(&l.id, &l.role)
	}, `SELECT staff_id, role FROM draw_pool WHERE year = $1 AND unit_code = $2`, year, unit)
	if err != nil {
		return nil, fmt.Errorf("draw: pool: %w", err)
	}
	// The people on the lists are the staff of the unit (and its ZA), read
	// in one pass over the unit; anyone since moved elsewhere is read by id.
	staff, err := s.reg.RegionStaff(ctx, unit)
	if err != nil {
		return nil, fmt.Errorf("draw: pool: %w", err)
	}
	byID := make(map[int64]registry.RankedStaff, len(staff))
	for _, sf := range staff {
		byID[sf.ID] = sf
	}
	var moved []int64
	for _, l := range lists {
		if _, ok := byID[l.id]; !ok {
			moved = append(moved, l.id)
		}
	}
	if len(moved) > 0 {
		more, err := s.reg.StaffByID(ctx, moved)
		if err != nil {
			return nil, fmt.Errorf("draw: pool: %w", err)
		}
		for _, sf := range more {
			byID[sf.ID] = sf
		}
	}
	var out []PoolEntry
	for _, l := range lists {
		sf, ok := byID[l.id]
		if !ok {
			continue
		}
		e := PoolEntry{Person: Person{ID: sf.ID, Role: l.role, School: sf.SchoolCode, Name: staffName(sf.FirstName, sf.FatherName, sf.LastName)},
			PersonalNo: sf.PersonalNo, Position: sf.Position, Unit: sf.UnitCode, sortKey: sf.SortKey}
		e.Subjects = []string{}
		for _, s := range strings.Split(sf.Subjects, ",") {
			if s = strings.TrimSpace(s); s != "" {
				e.Subjects = append(e.Subjects, s)
			}
		}
		sort.Strings(e.Subjects)
		out = append(out, e)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Role != b.Role {
			return slices.Index(Roles, a.Role) < slices.Index(Roles, b.Role)
		}
		if c := strings.Compare(string(a.sortKey), string(b.sortKey)); c != 0 {
			return c < 0
		}
		return a.ID < b.ID
	})
	return out, nil
}

func staffName(first, father, last string) string {
	return last + " " + first + " (" + father + ")"
}
