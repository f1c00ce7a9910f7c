package draw

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"sort"
	"strings"

	"provim/internal/apperr"
	"provim/internal/examyear"
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

const unitsOf = `(SELECT code FROM units WHERE code = $UNIT OR parent_code = $UNIT)`

type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// buildInputs reads the exam plan and the pool of unit and builds the
// inputs of a draw: the venues with their needs, the lists per role and
// the people left out.
func buildInputs(ctx context.Context, q querier, cfg examyear.Config, year, session int, exam, unit string) (Inputs, error) {
	in := Inputs{Version: Version, Year: year, Session: session, Exam: exam, Unit: unit,
		ExamSubjects: ExamSubjects(cfg, exam), Venues: []Venue{}, Pool: []Person{}, Excluded: []Excluded{}}
	units := strings.ReplaceAll(unitsOf, "$UNIT", "$4")
	// Candidates per room.
	// By room, so that SQLite reads the unit's part of the exam_seats_room
	// index rather than the whole country's plan.
	roomsOf := `(SELECT r.id FROM rooms r JOIN venues v ON v.code = r.venue_code WHERE v.unit_code IN ` + units + `)`
	rows, err := q.QueryContext(ctx, `SELECT es.venue_code, es.room_id, COUNT(*) FROM exam_seats es
		WHERE es.year = $1 AND es.session = $2 AND es.exam = $3 AND es.room_id IN `+roomsOf+`
		GROUP BY es.venue_code, es.room_id`, year, session, exam, unit)
	if err != nil {
		return in, fmt.Errorf("draw: seats: %w", err)
	}
	perRoom := map[string]map[int64]int{}
	for rows.Next() {
		var v string
		var room int64
		var n int
		if err := rows.Scan(&v, &room, &n); err != nil {
			rows.Close()
			return in, err
		}
		if perRoom[v] == nil {
			perRoom[v] = map[int64]int{}
		}
		perRoom[v][room] = n
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return in, err
	}
	if len(perRoom) == 0 {
		return in, apperr.New(apperr.Invalid, "Nuk ka plan provimi (kandidatë të vendosur në mjedise) për provimin %s, sesioni %d, në %s: hartoni planin para shortit.", exam, session, unit)
	}
	// Schools of the candidates of each venue.
	schools := map[string][]string{}
	rows, err = q.QueryContext(ctx, `SELECT DISTINCT es.venue_code, st.school_code FROM exam_seats es
		JOIN students st ON st.id = es.student_id
		WHERE es.year = $1 AND es.session = $2 AND es.exam = $3 AND es.room_id IN `+roomsOf, year, session, exam, unit)
	if err != nil {
		return in, fmt.Errorf("draw: schools: %w", err)
	}
	for rows.Next() {
		var v, sc string
		if err := rows.Scan(&v, &sc); err != nil {
			rows.Close()
			return in, err
		}
		schools[v] = append(schools[v], sc)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return in, fmt.Errorf("draw: schools: %w", err)
	}
	// Venues and rooms.
	rows, err = q.QueryContext(ctx, `SELECT v.code, v.name, COALESCE(v.school_code, ''), v.floors, r.id, r.name
		FROM venues v JOIN rooms r ON r.venue_code = v.code WHERE v.unit_code IN `+strings.ReplaceAll(unitsOf, "$UNIT", "$1")+` ORDER BY v.code, r.id`, unit)
	if err != nil {
		return in, fmt.Errorf("draw: venues: %w", err)
	}
	for rows.Next() {
		var code, name, host, roomName string
		var floors int
		var roomID int64
		if err := rows.Scan(&code, &name, &host, &floors, &roomID, &roomName); err != nil {
			rows.Close()
			return in, err
		}
		n := perRoom[code][roomID]
		if n == 0 {
			continue
		}
		if len(in.Venues) == 0 || in.Venues[len(in.Venues)-1].Code != code {
			sc := schools[code]
			if host != "" && !slices.Contains(sc, host) {
				sc = append(sc, host)
			}
			sort.Strings(sc)
			in.Venues = append(in.Venues, Venue{Code: code, Name: name, Schools: sc, Floors: floors, PAP: 1, KMSH: 1})
		}
		v := &in.Venues[len(in.Venues)-1]
		v.Rooms = append(v.Rooms, Room{ID: roomID, Name: roomName, Candidates: n, AP: RoomAPs(cfg.Staffing, n)})
		v.Candidates += n
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return in, err
	}
	for i := range in.Venues {
		v := &in.Venues[i]
		v.AS = VenueASs(cfg.Staffing, v.Candidates)
		v.FloorAdmins = FloorAdmins(cfg.Staffing, v.Floors, v.Candidates)
	}
	// People who declared a relative sitting the Matura in the unit (Neni 9).
	excluded := map[int64]bool{}
	rows, err = q.QueryContext(ctx, `SELECT DISTINCT d.staff_id FROM staff_declarations d
		JOIN students st ON st.id = d.student_id JOIN schools sc ON sc.code = st.school_code
		WHERE d.year = $1 AND sc.unit_code IN `+strings.ReplaceAll(unitsOf, "$UNIT", "$2"), year, unit)
	if err != nil {
		return in, fmt.Errorf("draw: declarations: %w", err)
	}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return in, fmt.Errorf("draw: declarations: %w", err)
		}
		excluded[id] = true
	}
	rows.Close()
	// A declaration lost to a read error would put a relative's parent in
	// the draw (Neni 9): an error stops the draw.
	if err := rows.Err(); err != nil {
		return in, fmt.Errorf("draw: declarations: %w", err)
	}
	pool, err := loadPool(ctx, q, year, unit)
	if err != nil {
		return in, err
	}
	for _, e := range pool {
		if excluded[e.ID] {
			in.Excluded = append(in.Excluded, Excluded{ID: e.ID, Name: e.Name, Role: e.Role,
				Reason: "Ka deklaruar të afërm maturant në këtë njësi (Neni 9)"})
			continue
		}
		in.Pool = append(in.Pool, e.Person)
	}
	return in, nil
}

// PoolEntry is one person on a role list of a region.
type PoolEntry struct {
	Person
	Position string `json:"position"`
	Unit     string `json:"unit"` // the person's own DAR/ZA
	sortKey  []byte
}

// loadPool returns the lists of unit in role order, each alphabetical
// (Albanian collation of last, first and father's name; then id).
func loadPool(ctx context.Context, q querier, year int, unit string) ([]PoolEntry, error) {
	rows, err := q.QueryContext(ctx, `SELECT dp.staff_id, dp.role, sf.first_name, sf.father_name, sf.last_name,
		COALESCE(sf.school_code, ''), sf.subjects, sf.position, sf.unit_code, sf.sort_key
		FROM draw_pool dp JOIN staff sf ON sf.id = dp.staff_id WHERE dp.year = $1 AND dp.unit_code = $2`, year, unit)
	if err != nil {
		return nil, fmt.Errorf("draw: pool: %w", err)
	}
	defer rows.Close()
	var out []PoolEntry
	for rows.Next() {
		var e PoolEntry
		var first, father, last, subjects string
		if err := rows.Scan(&e.ID, &e.Role, &first, &father, &last, &e.School, &subjects, &e.Position, &e.Unit, &e.sortKey); err != nil {
			return nil, err
		}
		e.Name = staffName(first, father, last)
		e.Subjects = []string{}
		for _, s := range strings.Split(subjects, ",") {
			if s = strings.TrimSpace(s); s != "" {
				e.Subjects = append(e.Subjects, s)
			}
		}
		sort.Strings(e.Subjects)
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, err
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
