package venue

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"

	"provim/internal/apperr"
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
	// Corrected marks a candidate whose personal data changed after the
	// final lists were built (the registry's correction, Neni 36).
	Corrected string `json:"corrected,omitempty"`
	sortKey   []byte
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
	site, room, found, err := s.reg.RoomSite(ctx, roomID)
	if err != nil {
		return out, fmt.Errorf("venue: room: %w", err)
	}
	if !found {
		return out, notFound
	}
	out.Venue = RoomVenue{Code: site.Code, Name: site.Name, City: site.City, Address: site.Address, UnitCode: site.UnitCode}
	out.Room = PlannedRoom{ID: room.ID, Name: room.Name, Floor: room.Floor}
	q := s.db.Q(ctx)
	err = q.QueryRowContext(ctx, `SELECT seats FROM venue_room_capacity WHERE room_id = $1 AND year = $2`, roomID, y.Year).Scan(&out.Room.Seats)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return out, fmt.Errorf("venue: room: %w", err)
	}
	units, err := s.loadUnits(ctx)
	if err != nil {
		return out, err
	}
	if !(inScope(p, units, out.Venue.UnitCode) || (p.IsVenueRole() && p.Venue == out.Venue.Code)) {
		return out, notFound
	}
	var rooms int
	// Only the candidates on the exam's final list enter (Neni 48.3,
	// 52.6): a seat kept for one who left the list is not printed.
	if err := q.QueryRowContext(ctx, `SELECT COUNT(DISTINCT es.room_id) FROM exam_seats es`+listedJoinOf(session)+` WHERE es.year = $1 AND es.session = $2 AND es.exam = $3 AND es.venue_code = $4`,
		y.Year, session, exam, out.Venue.Code).Scan(&rooms); err != nil {
		return out, err
	}
	out.SingleRoom = rooms == 1
	seats, err := store.Select(ctx, q, func(r store.Scanner) (RoomRow, error) {
		var x RoomRow
		err := r.Scan(&x.SeatNo, &x.StudentID, &x.Override)
		return x, err
	}, `SELECT seat_no, student_id, override_reason FROM exam_seats WHERE year = $1 AND session = $2 AND exam = $3 AND room_id = $4`, y.Year, session, exam, roomID)
	if err != nil {
		return out, fmt.Errorf("venue: room list: %w", err)
	}
	ids := make([]int64, len(seats))
	for i, x := range seats {
		ids[i] = x.StudentID
	}
	people, err := s.people(ctx, y.Year, session, exam, ids)
	if err != nil {
		return out, fmt.Errorf("venue: room list: %w", err)
	}
	for _, r := range seats {
		who, ok := people[r.StudentID]
		if !ok || !who.listed {
			continue
		}
		r.RegNo, r.FullName, r.SchoolCode, r.SchoolName, r.sortKey = who.regNo, who.fullName, who.school, who.schoolName, who.sortKey
		out.Rows = append(out.Rows, r)
	}
	// Albanian alphabetical order (students.sort_key), sorted here rather
	// than by the database.
	sort.SliceStable(out.Rows, func(i, j int) bool {
		if c := bytes.Compare(out.Rows[i].sortKey, out.Rows[j].sortKey); c != 0 {
			return c < 0
		}
		return out.Rows[i].StudentID < out.Rows[j].StudentID
	})
	fixes, err := s.reg.CorrectionsOfYear(ctx, y.Year)
	if err != nil {
		return out, fmt.Errorf("venue: room list: %w", err)
	}
	for i := range out.Rows {
		out.Rows[i].Line = i + 1
		if c, ok := fixes[out.Rows[i].StudentID]; ok {
			out.Rows[i].Corrected = c.Note()
		}
	}
	out.Room.Candidates = len(out.Rows)
	return out, nil
}

// person is a seated candidate as the printed lists show them.
type person struct {
	regNo, fullName    string
	school, schoolName string
	sortKey            []byte
	listed             bool // on the exam's final list
}

// people returns the candidates with the ids by id: their name and school
// from the registry, and their registration number on the exam's final
// name list ("" when not on it).
func (s *Service) people(ctx context.Context, year, session int, exam string, ids []int64) (map[int64]person, error) {
	students, err := s.reg.ListedStudents(ctx, ids)
	if err != nil {
		return nil, err
	}
	codes := make([]string, 0, len(students))
	for _, st := range students {
		codes = append(codes, st.SchoolCode)
	}
	schools, err := s.reg.SchoolsByCode(ctx, codes)
	if err != nil {
		return nil, err
	}
	regNos, err := s.listedRegNos(ctx, year, session, exam, ids)
	if err != nil {
		return nil, err
	}
	out := make(map[int64]person, len(students))
	for id, st := range students {
		sc, ok := schools[st.SchoolCode]
		if !ok {
			continue
		}
		regNo, listed := regNos[id]
		out[id] = person{regNo: regNo, listed: listed, fullName: registry.PersonName(st.FirstName, st.FatherName, st.LastName),
			school: st.SchoolCode, schoolName: sc.Name, sortKey: st.SortKey}
	}
	return out, nil
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
	// The student in the caller's scope: a refused role answers first, an
	// unknown student after the year.
	_, serr := s.reg.GetStudent(ctx, p, studentID)
	if serr != nil && apperr.CodeOf(serr) != apperr.NotFound {
		return nil, serr
	}
	y, err := s.year(ctx)
	if err != nil {
		return nil, err
	}
	if serr != nil {
		return nil, apperr.New(apperr.NotFound, "Nxënësi «%d» nuk u gjet.", studentID)
	}
	type seat struct {
		exam, venue string
		session     int
		room        int64
	}
	list, err := store.Select(ctx, s.db.Q(ctx), func(r store.Scanner) (seat, error) {
		var x seat
		err := r.Scan(&x.exam, &x.session, &x.venue, &x.room)
		return x, err
	}, `SELECT exam, session, venue_code, room_id FROM exam_seats WHERE year = $1 AND student_id = $2 ORDER BY session, exam`, y.Year, studentID)
	if err != nil {
		return nil, fmt.Errorf("venue: student seats: %w", err)
	}
	// Only the exams whose final list still has the student (Neni 48.3,
	// 52.6): a seat kept after they lost the right to the exam is not
	// shown.
	kept := list[:0]
	for _, x := range list {
		regNos, err := s.listedRegNos(ctx, y.Year, x.session, x.exam, []int64{studentID})
		if err != nil {
			return nil, fmt.Errorf("venue: student seats: %w", err)
		}
		if _, ok := regNos[studentID]; ok {
			kept = append(kept, x)
		}
	}
	list = kept
	codes := make([]string, len(list))
	for i, x := range list {
		codes[i] = x.venue
	}
	sites, rooms, err := s.sites(ctx, codes)
	if err != nil {
		return nil, fmt.Errorf("venue: student seats: %w", err)
	}
	out := []Seat{}
	for _, x := range list {
		v, vok := sites[x.venue]
		r, rok := rooms[x.room]
		if !vok || !rok {
			continue
		}
		st := Seat{Exam: x.exam, Session: x.session, VenueCode: v.Code, VenueName: v.Name, City: v.City, Address: v.Address, Room: r.Name, Floor: r.Floor}
		if _, day, name, err := examOf(y.Config, st.Exam, st.Session); err == nil {
			st.ExamName, st.Date, st.Start = name, day.Date, day.Start
		}
		out = append(out, st)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Date < out[j].Date })
	return out, nil
}

// sites returns the venues with the codes and their rooms, by code and by
// room id.
func (s *Service) sites(ctx context.Context, codes []string) (map[string]registry.VenueSite, map[int64]registry.Room, error) {
	list, err := s.reg.VenueSitesByCode(ctx, codes)
	if err != nil {
		return nil, nil, err
	}
	sites := make(map[string]registry.VenueSite, len(list))
	rooms := map[int64]registry.Room{}
	for _, v := range list {
		sites[v.Code] = v
		for _, r := range v.Rooms {
			rooms[r.ID] = r
		}
	}
	return sites, rooms, nil
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
	// The school in the caller's scope: a refused role answers first, an
	// unknown school after the year and the exam.
	_, serr := s.reg.GetSchool(ctx, p, school)
	if serr != nil && apperr.CodeOf(serr) != apperr.NotFound {
		return nil, serr
	}
	y, err := s.year(ctx)
	if err != nil {
		return nil, err
	}
	if _, _, _, err := examOf(y.Config, exam, session); err != nil {
		return nil, err
	}
	if serr != nil {
		return nil, apperr.New(apperr.NotFound, "Shkolla «%s» nuk u gjet.", school)
	}
	ids, err := s.reg.StudentIDsOfSchool(ctx, school)
	if err != nil {
		return nil, fmt.Errorf("venue: school seats: %w", err)
	}
	type seat struct {
		id    int64
		venue string
		room  int64
	}
	var list []seat
	for _, part := range store.Chunks(ids, chunk) {
		q := planQuery("", y.Year, session, exam)
		addIn(&q, "student_id", part)
		got, err := store.Select(ctx, s.db.Q(ctx), func(r store.Scanner) (seat, error) {
			var x seat
			err := r.Scan(&x.id, &x.venue, &x.room)
			return x, err
		}, `SELECT student_id, venue_code, room_id FROM exam_seats`+q.Where(), q.Args()...)
		if err != nil {
			return nil, fmt.Errorf("venue: school seats: %w", err)
		}
		list = append(list, got...)
	}
	seated := make([]int64, len(list))
	codes := make([]string, len(list))
	for i, x := range list {
		seated[i], codes[i] = x.id, x.venue
	}
	people, err := s.people(ctx, y.Year, session, exam, seated)
	if err != nil {
		return nil, fmt.Errorf("venue: school seats: %w", err)
	}
	sites, rooms, err := s.sites(ctx, codes)
	if err != nil {
		return nil, fmt.Errorf("venue: school seats: %w", err)
	}
	out := []SchoolSeat{}
	for _, x := range list {
		who, pok := people[x.id]
		v, vok := sites[x.venue]
		r, rok := rooms[x.room]
		if !pok || !vok || !rok || who.school != school || !who.listed {
			continue
		}
		out = append(out, SchoolSeat{StudentID: x.id, RegNo: who.regNo, FullName: who.fullName, VenueCode: v.Code, VenueName: v.Name,
			City: v.City, Address: v.Address, Room: r.Name, Floor: r.Floor, sortKey: who.sortKey})
	}
	sort.SliceStable(out, func(i, j int) bool {
		if c := bytes.Compare(out[i].sortKey, out[j].sortKey); c != 0 {
			return c < 0
		}
		return out[i].StudentID < out[j].StudentID
	})
	return out, nil
}
