package venue

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strings"

	"provim/internal/apperr"
	"provim/internal/audit"
	"provim/internal/auth"
	"provim/internal/registry"
	"provim/internal/store"
)

// RoomRow is a line of a room's name list.
type RoomRow struct {
	Line       int    `json:"line"`
	SeatNo     int    `json:"seat_no"`
	StudentID  int64  `json:"student_id"`
	RegNo      string `json:"reg_no"`
	FullName   string `json:"full_name"`
	SchoolCode string `json:"school_code"`
	SchoolName string `json:"school_name"`
	Override   string `json:"override_reason,omitempty"`
	sortKey    []byte
}

// RoomVenue is the venue of a room list.
type RoomVenue struct {
	Code     string `json:"code"`
	Name     string `json:"name"`
	City     string `json:"city"`
	Address  string `json:"address"`
	UnitCode string `json:"unit_code"`
}

// RoomList is the name list of one room for one exam (Neni 52–53).
type RoomList struct {
	Year     int         `json:"year"`
	Session  int         `json:"session"`
	Exam     string      `json:"exam"`
	ExamName string      `json:"exam_name"`
	Date     string      `json:"date"`
	Start    string      `json:"start"`
	Venue    RoomVenue   `json:"venue"`
	Room     PlannedRoom `json:"room"`
	// SingleRoom: the exam runs in one room of the venue, where students
	// sit in alphabetical order (Neni 52.8); otherwise they sit one by one
	// in the order they enter (Neni 52.7) and the printed seat column is
	// left for the administrator.
	SingleRoom bool      `json:"single_room"`
	Rows       []RoomRow `json:"rows"`
}

// RoomList returns the alphabetical name list of a room for an exam. AVA,
// the KMSH of the venue's unit and the venue's own staff may read it.
func (s *Service) RoomList(ctx context.Context, p *auth.Principal, exam string, session int, roomID int64) (RoomList, error) {
	exam = normExam(exam)
	if err := auth.Require(p, auth.RoleAVA, auth.RoleKMSH, auth.RolePAP, auth.RoleAP, auth.RoleAS); err != nil {
		return RoomList{}, err
	}
	y, err := s.year(ctx)
	if err != nil {
		return RoomList{}, err
	}
	_, day, name, err := examOf(y.Config, exam, session)
	if err != nil {
		return RoomList{}, err
	}
	out := RoomList{Year: y.Year, Session: session, Exam: exam, ExamName: name, Date: day.Date, Start: day.Start, Rows: []RoomRow{}}
	notFound := apperr.New(apperr.NotFound, "Salla %d nuk u gjet.", roomID)
	err = s.db.QueryRowContext(ctx, `SELECT v.code, v.name, v.city, v.address, v.unit_code, r.id, r.name, r.floor, COALESCE(c.seats, 0)
		FROM rooms r JOIN venues v ON v.code = r.venue_code LEFT JOIN venue_room_capacity c ON c.room_id = r.id AND c.year = $2
		WHERE r.id = $1`, roomID, y.Year).Scan(&out.Venue.Code, &out.Venue.Name, &out.Venue.City, &out.Venue.Address, &out.Venue.UnitCode,
		&out.Room.ID, &out.Room.Name, &out.Room.Floor, &out.Room.Seats)
	if errors.Is(err, sql.ErrNoRows) {
		return out, notFound
	}
	if err != nil {
		return out, fmt.Errorf("venue: room: %w", err)
	}
	units, err := loadUnits(ctx, s.db)
	if err != nil {
		return out, err
	}
	if !(inScope(p, units, out.Venue.UnitCode) || (p.IsVenueRole() && p.Venue == out.Venue.Code)) {
		return out, notFound
	}
	var rooms int
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(DISTINCT room_id) FROM exam_seats WHERE year = $1 AND session = $2 AND exam = $3 AND venue_code = $4`,
		y.Year, session, exam, out.Venue.Code).Scan(&rooms); err != nil {
		return out, err
	}
	out.SingleRoom = rooms == 1
	rows, err := s.db.QueryContext(ctx, `SELECT e.seat_no, e.student_id, COALESCE(f.reg_no, ''), st.first_name, st.father_name, st.last_name, st.school_code, sc.name, e.override_reason, st.sort_key
		FROM exam_seats e JOIN students st ON st.id = e.student_id JOIN schools sc ON sc.code = st.school_code
		LEFT JOIN final_lists f ON f.year = e.year AND f.exam = e.exam AND f.student_id = e.student_id
		WHERE e.year = $1 AND e.session = $2 AND e.exam = $3 AND e.room_id = $4`, y.Year, session, exam, roomID)
	if err != nil {
		return out, fmt.Errorf("venue: room list: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var r RoomRow
		var first, father, last string
		if err := rows.Scan(&r.SeatNo, &r.StudentID, &r.RegNo, &first, &father, &last, &r.SchoolCode, &r.SchoolName, &r.Override, &r.sortKey); err != nil {
			return out, err
		}
		r.FullName = first + " (" + father + ") " + last
		out.Rows = append(out.Rows, r)
	}
	if err := rows.Err(); err != nil {
		return out, err
	}
	// Albanian alphabetical order (students.sort_key), sorted here rather
	// than by the database.
	sort.SliceStable(out.Rows, func(i, j int) bool {
		if c := bytes.Compare(out.Rows[i].sortKey, out.Rows[j].sortKey); c != 0 {
			return c < 0
		}
		return out.Rows[i].StudentID < out.Rows[j].StudentID
	})
	for i := range out.Rows {
		out.Rows[i].Line = i + 1
	}
	out.Room.Candidates = len(out.Rows)
	return out, nil
}

// OverrideInput moves candidates of an exam's plan: the listed students,
// or every candidate of a school, to a venue (and a room, or the rooms
// with free seats in order).
type OverrideInput struct {
	StudentIDs []int64 `json:"student_ids"`
	School     string  `json:"school"`
	Venue      string  `json:"venue"`
	RoomID     int64   `json:"room_id"`
	Reason     string  `json:"reason"`
}

// Override lets the KMSH (or AVA) change any placement of a plan, with a
// reason that is stored on the seat and in the audit log. The rules still
// hold: the venue must be suitable and in the caller's scope, its rooms'
// seats are never exceeded, candidates of non-public schools sit only in
// public schools' buildings (Neni 39) and electives only in the DAR/ZA's
// city (Neni 40). The rooms touched are renumbered alphabetically.
func (s *Service) Override(ctx context.Context, p *auth.Principal, exam string, session int, in OverrideInput) (int, error) {
	exam = normExam(exam)
	if err := auth.Require(p, auth.RoleAVA, auth.RoleKMSH); err != nil {
		return 0, err
	}
	reason := strings.TrimSpace(in.Reason)
	if reason == "" {
		return 0, apperr.New(apperr.Invalid, "Shënoni arsyen e ndryshimit të vendosjes.")
	}
	y, err := s.year(ctx)
	if err != nil {
		return 0, err
	}
	kind, day, _, err := examOf(y.Config, exam, session)
	if err != nil {
		return 0, err
	}
	if err := beforeExam(day, exam, s.now()); err != nil {
		return 0, err
	}
	units, err := loadUnits(ctx, s.db)
	if err != nil {
		return 0, err
	}
	target, err := s.loadVenues(ctx, s.db, y.Year, nil, strings.TrimSpace(in.Venue))
	if err != nil {
		return 0, err
	}
	if len(target) == 0 || !inScope(p, units, target[0].UnitCode) {
		return 0, apperr.New(apperr.NotFound, "Qendra e provimit «%s» nuk u gjet.", in.Venue)
	}
	v := target[0]
	if !v.Inspected {
		return 0, apperr.New(apperr.Invalid, "Qendra %s (%s) nuk është inspektuar për këtë vit (Neni 37).", v.VenueName, v.VenueCode)
	}
	if !v.Suitable {
		return 0, apperr.New(apperr.Invalid, "Qendra %s (%s) nuk mund të përdoret: nuk plotëson %s.", v.VenueName, v.VenueCode, v.FailedText)
	}
	// The candidates to move, in the caller's scope and on the plan.
	var q store.Query
	if err := registry.ScopeStudents(p, &q); err != nil {
		return 0, err
	}
	q.Add("e.year = ?", y.Year)
	q.Add("e.session = ?", session)
	q.Add("e.exam = ?", exam)
	switch {
	case in.School != "":
		q.Add("st.school_code = ?", in.School)
	case len(in.StudentIDs) > 0:
		ph := make([]string, len(in.StudentIDs))
		for i := range in.StudentIDs {
			ph[i] = "?"
		}
		args := make([]any, len(in.StudentIDs))
		for i, id := range in.StudentIDs {
			args[i] = id
		}
		q.Add("e.student_id IN ("+strings.Join(ph, ",")+")", args...)
	default:
		return 0, apperr.New(apperr.Invalid, "Zgjidhni kandidatët ose shkollën që zhvendosen.")
	}
	type mover struct {
		id             int64
		venue, school  string
		room           int64
		public         bool
		unit, fullName string
	}
	rows, err := s.db.QueryContext(ctx, `SELECT e.student_id, e.venue_code, e.room_id, st.school_code, sc.public, sc.unit_code, st.first_name || ' ' || st.last_name
		FROM exam_seats e JOIN students st ON st.id = e.student_id JOIN schools sc ON sc.code = st.school_code`+q.Where()+` ORDER BY st.sort_key, st.id`, q.Args()...)
	if err != nil {
		return 0, fmt.Errorf("venue: override: %w", err)
	}
	var movers []mover
	for rows.Next() {
		var m mover
		if err := rows.Scan(&m.id, &m.venue, &m.room, &m.school, &m.public, &m.unit, &m.fullName); err != nil {
			rows.Close()
			return 0, err
		}
		movers = append(movers, m)
	}
	rows.Close()
	if len(movers) == 0 || (len(in.StudentIDs) > 0 && in.School == "" && len(movers) != len(in.StudentIDs)) {
		return 0, apperr.New(apperr.NotFound, "Kandidatët nuk u gjetën në planin e provimit %s.", exam)
	}
	for _, m := range movers {
		if !m.public && !v.Public {
			return 0, apperr.New(apperr.Invalid, "%s është nxënës i një shkolle jopublike: provimin e jep vetëm në mjedisin e një shkolle publike (Neni 39); %s nuk është e tillë.", m.fullName, v.VenueName)
		}
		if kind == "Z" && !sameCity(v.City, units[m.unit].City) {
			return 0, apperr.New(apperr.Invalid, "Provimet me zgjedhje zhvillohen vetëm në qytetin e DAR/ZA-së (%s), jo në %s (Neni 40).", units[m.unit].City, v.City)
		}
		if !inScope(p, units, m.unit) {
			return 0, apperr.New(apperr.NotFound, "Kandidatët nuk u gjetën në planin e provimit %s.", exam)
		}
	}
	err = s.inTx(ctx, func(tx *sql.Tx, chain *audit.Chain) error {
		// Free seats per usable room of the target, after those who leave.
		free := map[int64]int{}
		var order []RoomInspection
		for _, r := range v.Rooms {
			if r.Usable && (in.RoomID == 0 || in.RoomID == r.ID) {
				free[r.ID] = r.Seats
				order = append(order, r)
			}
		}
		if in.RoomID != 0 && len(order) == 0 {
			return apperr.New(apperr.NotFound, "Salla %d nuk është sallë e përdorshme e qendrës %s.", in.RoomID, v.VenueCode)
		}
		crows, err := tx.QueryContext(ctx, `SELECT room_id, COUNT(*) FROM exam_seats WHERE year = $1 AND session = $2 AND exam = $3 AND venue_code = $4 GROUP BY room_id`,
			y.Year, session, exam, v.VenueCode)
		if err != nil {
			return err
		}
		for crows.Next() {
			var room int64
			var n int
			if err := crows.Scan(&room, &n); err != nil {
				crows.Close()
				return err
			}
			if _, ok := free[room]; ok {
				free[room] -= n
			}
		}
		crows.Close()
		for _, m := range movers {
			if _, ok := free[m.room]; ok && m.venue == v.VenueCode {
				free[m.room]++
			}
		}
		total := 0
		for _, r := range order {
			total += max(free[r.ID], 0)
		}
		if total < len(movers) {
			where := fmt.Sprintf("Qendra %s (%s)", v.VenueName, v.VenueCode)
			if in.RoomID != 0 {
				where += fmt.Sprintf(", salla «%s»", order[0].Name)
			}
			return apperr.New(apperr.Conflict, "%s ka %d vende të lira për provimin %s, por po zhvendosen %d kandidatë.", where, total, exam, len(movers))
		}
		touched := map[int64]bool{}
		for _, m := range movers {
			var room int64
			if _, ok := free[m.room]; ok && m.venue == v.VenueCode {
				room = m.room // already in a chosen room: stays
				free[room]--
			} else {
				for _, r := range order {
					if free[r.ID] > 0 {
						room = r.ID
						free[r.ID]--
						break
					}
				}
			}
			touched[m.room], touched[room] = true, true
			// The seat is moved only from where it was read: if the plan was
			// replaced meanwhile, nothing is moved and the caller retries.
			res, err := tx.ExecContext(ctx, `UPDATE exam_seats SET venue_code = $1, room_id = $2, override_reason = $3
				WHERE year = $4 AND session = $5 AND exam = $6 AND student_id = $7 AND venue_code = $8 AND room_id = $9`,
				v.VenueCode, room, reason, y.Year, session, exam, m.id, m.venue, m.room)
			if err != nil {
				return fmt.Errorf("venue: override: %w", err)
			}
			if n, err := res.RowsAffected(); err != nil || n != 1 {
				return apperr.New(apperr.Conflict, "Plani i provimit %s ndryshoi ndërkohë (%s): hapeni përsëri dhe provoni prapë.", exam, m.fullName)
			}
			if err := chain.Add(ctx, p.Actor(), "override", objectPlan, fmt.Sprintf("%d/%d/%s/%d", y.Year, session, exam, m.id),
				map[string]any{"venue": m.venue, "room_id": m.room}, map[string]any{"venue": v.VenueCode, "room_id": room, "reason": reason}); err != nil {
				return err
			}
		}
		for room := range touched {
			if err := renumber(ctx, tx, y.Year, session, exam, room); err != nil {
				return err
			}
		}
		return regroup(ctx, tx, y.Year, session, exam, p, reason, func() []string {
			seen := map[string]bool{}
			var out []string
			for _, m := range movers {
				if !seen[m.school] {
					seen[m.school] = true
					out = append(out, m.school)
				}
			}
			return out
		}())
	})
	if err != nil {
		return 0, err
	}
	return len(movers), nil
}

// renumber gives a room's seats their line on the alphabetical list.
func renumber(ctx context.Context, tx *sql.Tx, year, session int, exam string, room int64) error {
	rows, err := tx.QueryContext(ctx, `SELECT e.student_id, st.sort_key FROM exam_seats e JOIN students st ON st.id = e.student_id
		WHERE e.year = $1 AND e.session = $2 AND e.exam = $3 AND e.room_id = $4`, year, session, exam, room)
	if err != nil {
		return err
	}
	type seat struct {
		id  int64
		key []byte
	}
	var list []seat
	for rows.Next() {
		var st seat
		if err := rows.Scan(&st.id, &st.key); err != nil {
			rows.Close()
			return err
		}
		list = append(list, st)
	}
	rows.Close()
	sort.SliceStable(list, func(i, j int) bool {
		if c := bytes.Compare(list[i].key, list[j].key); c != 0 {
			return c < 0
		}
		return list[i].id < list[j].id
	})
	for i, st := range list {
		if _, err := tx.ExecContext(ctx, `UPDATE exam_seats SET seat_no = $1 WHERE year = $2 AND session = $3 AND exam = $4 AND student_id = $5`, i+1, year, session, exam, st.id); err != nil {
			return err
		}
	}
	return nil
}

// regroup recounts the groupings of the schools whose candidates moved;
// a new school–venue pair carries the override's reason.
func regroup(ctx context.Context, tx *sql.Tx, year, session int, exam string, p *auth.Principal, reason string, schools []string) error {
	for _, school := range schools {
		old := map[string]string{}
		rows, err := tx.QueryContext(ctx, `SELECT venue_code, reason FROM exam_plan_groups WHERE year = $1 AND session = $2 AND exam = $3 AND school_code = $4`, year, session, exam, school)
		if err != nil {
			return err
		}
		for rows.Next() {
			var v, r string
			if err := rows.Scan(&v, &r); err != nil {
				rows.Close()
				return err
			}
			old[v] = r
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM exam_plan_groups WHERE year = $1 AND session = $2 AND exam = $3 AND school_code = $4`, year, session, exam, school); err != nil {
			return err
		}
		crows, err := tx.QueryContext(ctx, `SELECT e.venue_code, COUNT(*) FROM exam_seats e JOIN students st ON st.id = e.student_id
			WHERE e.year = $1 AND e.session = $2 AND e.exam = $3 AND st.school_code = $4 GROUP BY e.venue_code ORDER BY e.venue_code`, year, session, exam, school)
		if err != nil {
			return err
		}
		type cnt struct {
			venue string
			n     int
		}
		var counts []cnt
		for crows.Next() {
			var c cnt
			if err := crows.Scan(&c.venue, &c.n); err != nil {
				crows.Close()
				return err
			}
			counts = append(counts, c)
		}
		crows.Close()
		if err := crows.Err(); err != nil {
			return err
		}
		for _, c := range counts {
			why, ok := old[c.venue]
			if !ok {
				why = fmt.Sprintf("Ndryshim nga %s (%s): %s", p.Username, p.Role.Label(), reason)
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO exam_plan_groups (year, session, exam, school_code, venue_code, candidates, reason) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
				year, session, exam, school, c.venue, c.n, why); err != nil {
				return err
			}
		}
	}
	return nil
}

// Seat is where a student sits an exam (Neni 12.9, 41 ¶4).
type Seat struct {
	Exam      string `json:"exam"`
	ExamName  string `json:"exam_name"`
	Session   int    `json:"session"`
	Date      string `json:"date"`
	Start     string `json:"start"`
	VenueCode string `json:"venue_code"`
	VenueName string `json:"venue_name"`
	City      string `json:"city"`
	Address   string `json:"address"`
	Room      string `json:"room"`
	Floor     int    `json:"floor"`
}

// StudentSeats returns the venues of a student's exams of the active
// year: the student sees their own; their school commission, their KMSH
// and AVA see them too.
func (s *Service) StudentSeats(ctx context.Context, p *auth.Principal, studentID int64) ([]Seat, error) {
	var q store.Query
	if err := registry.ScopeStudents(p, &q); err != nil {
		return nil, err
	}
	y, err := s.year(ctx)
	if err != nil {
		return nil, err
	}
	q.Add("st.id = ?", studentID)
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM students st JOIN schools sc ON sc.code = st.school_code`+q.Where(), q.Args()...).Scan(&n); err != nil {
		return nil, fmt.Errorf("venue: student: %w", err)
	}
	if n == 0 {
		return nil, apperr.New(apperr.NotFound, "Nxënësi «%d» nuk u gjet.", studentID)
	}
	rows, err := s.db.QueryContext(ctx, `SELECT e.exam, e.session, v.code, v.name, v.city, v.address, r.name, r.floor
		FROM exam_seats e JOIN venues v ON v.code = e.venue_code JOIN rooms r ON r.id = e.room_id
		WHERE e.year = $1 AND e.student_id = $2 ORDER BY e.session, e.exam`, y.Year, studentID)
	if err != nil {
		return nil, fmt.Errorf("venue: student seats: %w", err)
	}
	defer rows.Close()
	out := []Seat{}
	for rows.Next() {
		var st Seat
		if err := rows.Scan(&st.Exam, &st.Session, &st.VenueCode, &st.VenueName, &st.City, &st.Address, &st.Room, &st.Floor); err != nil {
			return nil, err
		}
		if _, day, name, err := examOf(y.Config, st.Exam, st.Session); err == nil {
			st.ExamName, st.Date, st.Start = name, day.Date, day.Start
		}
		out = append(out, st)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Date < out[j].Date })
	return out, nil
}

// SchoolSeat is where one of a school's candidates sits an exam.
type SchoolSeat struct {
	StudentID int64  `json:"student_id"`
	RegNo     string `json:"reg_no"`
	FullName  string `json:"full_name"`
	VenueCode string `json:"venue_code"`
	VenueName string `json:"venue_name"`
	City      string `json:"city"`
	Address   string `json:"address"`
	Room      string `json:"room"`
	Floor     int    `json:"floor"`
	sortKey   []byte
}

// SchoolSeats returns where each candidate of a school sits an exam, in
// Albanian alphabetical order: the school commission announces the venues
// and tells every candidate in writing (Neni 12.9, 39 ¶2, 41 ¶4). The
// school commission sees its own school, the KMSH its DAR/ZA, AVA all.
func (s *Service) SchoolSeats(ctx context.Context, p *auth.Principal, school, exam string, session int) ([]SchoolSeat, error) {
	exam = normExam(exam)
	var q store.Query
	if err := registry.ScopeSchools(p, &q, "sc"); err != nil {
		return nil, err
	}
	y, err := s.year(ctx)
	if err != nil {
		return nil, err
	}
	if _, _, _, err := examOf(y.Config, exam, session); err != nil {
		return nil, err
	}
	q.Add("sc.code = ?", school)
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM schools sc`+q.Where(), q.Args()...).Scan(&n); err != nil {
		return nil, fmt.Errorf("venue: school: %w", err)
	}
	if n == 0 {
		return nil, apperr.New(apperr.NotFound, "Shkolla «%s» nuk u gjet.", school)
	}
	rows, err := s.db.QueryContext(ctx, `SELECT e.student_id, COALESCE(f.reg_no, ''), st.first_name, st.father_name, st.last_name,
		v.code, v.name, v.city, v.address, r.name, r.floor, st.sort_key
		FROM exam_seats e JOIN students st ON st.id = e.student_id JOIN venues v ON v.code = e.venue_code JOIN rooms r ON r.id = e.room_id
		LEFT JOIN final_lists f ON f.year = e.year AND f.exam = e.exam AND f.student_id = e.student_id
		WHERE e.year = $1 AND e.session = $2 AND e.exam = $3 AND st.school_code = $4`, y.Year, session, exam, school)
	if err != nil {
		return nil, fmt.Errorf("venue: school seats: %w", err)
	}
	defer rows.Close()
	out := []SchoolSeat{}
	for rows.Next() {
		var x SchoolSeat
		var first, father, last string
		if err := rows.Scan(&x.StudentID, &x.RegNo, &first, &father, &last, &x.VenueCode, &x.VenueName, &x.City, &x.Address, &x.Room, &x.Floor, &x.sortKey); err != nil {
			return nil, err
		}
		x.FullName = first + " (" + father + ") " + last
		out = append(out, x)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	sort.SliceStable(out, func(i, j int) bool {
		if c := bytes.Compare(out[i].sortKey, out[j].sortKey); c != 0 {
			return c < 0
		}
		return out[i].StudentID < out[j].StudentID
	})
	return out, nil
}
