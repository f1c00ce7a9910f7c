package venue

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"provim/internal/apperr"
	"provim/internal/application"
	"provim/internal/auth"
	"provim/internal/examyear"
	"provim/internal/store"
)

// The electives' day has sittings (Neni 14.3, examyear.ExamDay.Subjects):
// the exams of one sitting are held at the same time, so no candidate may
// sit two of them and a room holds at most its seats of all of them
// together.

// overlapping returns the other exams of session (D1, D2 and the
// electives' codes) held at the same time as exam, at least in part.
func overlapping(cfg examyear.Config, exam string, session int) []string {
	var out []string
	for _, other := range examCodes(cfg) {
		if other != exam && cfg.Overlap(exam, other, session) {
			out = append(out, other)
		}
	}
	return out
}

// examCodes are the codes exams are planned and stored under: D1, D2 and
// each elective's subject code.
func examCodes(cfg examyear.Config) []string {
	out := []string{examyear.KindD1, examyear.KindD2}
	for _, sub := range cfg.Electives() {
		out = append(out, sub.Code)
	}
	return out
}

// Clash is a candidate listed for two exams held at the same time.
type Clash struct {
	StudentID int64  `json:"student_id"`
	RegNo     string `json:"reg_no"`
	FullName  string `json:"full_name"`
	School    string `json:"school_code"`
	Exams     string `json:"exams"`   // "KIM, BIO"
	Sitting   string `json:"sitting"` // "15.06.2009 ora 10:00"
}

func (c Clash) String() string {
	return fmt.Sprintf("%s %s (%s): %s në të njëjtën kohë, %s.", c.RegNo, c.FullName, c.School, c.Exams, c.Sitting)
}

// clashes returns the candidates of ids (listed for exam) who are also on
// the final list of one of others, by the final lists of the schools
// (nil: every school).
func (s *Service) clashes(ctx context.Context, cfg examyear.Config, year, session int, exam string, others []string, ids map[int64]bool, schools []string) ([]Clash, error) {
	both := map[int64][]string{}
	for _, other := range others {
		list, err := s.listedOf(ctx, year, session, other, schools)
		if err != nil {
			return nil, fmt.Errorf("venue: sittings: %w", err)
		}
		for _, f := range list {
			if ids[f.StudentID] {
				both[f.StudentID] = append(both[f.StudentID], other)
			}
		}
	}
	if len(both) == 0 {
		return nil, nil
	}
	who := make([]int64, 0, len(both))
	for id := range both {
		who = append(who, id)
	}
	people, err := s.people(ctx, year, session, exam, who)
	if err != nil {
		return nil, fmt.Errorf("venue: sittings: %w", err)
	}
	out := make([]Clash, 0, len(both))
	for id, exams := range both {
		p := people[id]
		out = append(out, Clash{StudentID: id, RegNo: p.regNo, FullName: p.fullName, School: p.school,
			Exams: strings.Join(append([]string{exam}, exams...), ", "), Sitting: cfg.SittingLabel(exam, session)})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].School != out[j].School {
			return out[i].School < out[j].School
		}
		return out[i].RegNo < out[j].RegNo
	})
	return out, nil
}

// maxDetails bounds the lines of a refusal; the message gives the total.
const maxDetails = 50

// clashError refuses a plan or a timetable whose candidates have two exams
// at once, naming them (Neni 14.3, 17).
func clashError(what string, list []Clash) error {
	e := &apperr.Error{Code: apperr.Invalid, Message: fmt.Sprintf("%s: %d kandidatë kanë dy provime në të njëjtën kohë (Neni 14.3, 17). Vendosni lëndët e tyre me zgjedhje në seanca të ndryshme në konfigurimin e vitit.", what, len(list))}
	for i, c := range list {
		if i == maxDetails {
			e.Details = append(e.Details, fmt.Sprintf("… dhe %d të tjerë.", len(list)-maxDetails))
			break
		}
		e.Details = append(e.Details, c.String())
	}
	return e
}

// shareRooms takes from the rooms of venues the seats held at the same
// time by the plans of the other exams (Neni 14.3, 38–39: a room holds at
// most its seats), and drops the rooms and venues left without a seat.
func (s *Service) shareRooms(ctx context.Context, year, session int, others []string, venues []*pVenue) ([]*pVenue, error) {
	taken, err := s.takenSeats(ctx, year, session, others)
	if err != nil {
		return nil, err
	}
	if len(taken) == 0 {
		return venues, nil
	}
	out := venues[:0]
	for _, v := range venues {
		rooms := v.Rooms[:0]
		v.Seats = 0
		for _, r := range v.Rooms {
			r.Seats -= taken[r.ID]
			if r.Seats > 0 {
				rooms = append(rooms, r)
				v.Seats += r.Seats
			}
		}
		v.Rooms = rooms
		if len(v.Rooms) > 0 {
			out = append(out, v)
		}
	}
	return out, nil
}

// takenSeats counts, by room, the seats of the plans of exams of session
// (only of candidates still on their final list).
func (s *Service) takenSeats(ctx context.Context, year, session int, exams []string) (map[int64]int, error) {
	out := map[int64]int{}
	if len(exams) == 0 {
		return out, nil
	}
	var q store.Query
	q.Add("es.year = ?", year)
	q.Add("es.session = ?", session)
	addIn(&q, "es.exam", exams)
	type count struct {
		room int64
		n    int
	}
	list, err := store.Select(ctx, s.db.Q(ctx), func(r store.Scanner) (count, error) {
		var c count
		return c, r.Scan(&c.room, &c.n)
	}, `SELECT es.room_id, COUNT(*) FROM exam_seats es`+listedJoinOf(session)+q.Where()+` GROUP BY es.room_id`, q.Args()...)
	if err != nil {
		return nil, fmt.Errorf("venue: shared rooms: %w", err)
	}
	for _, c := range list {
		out[c.room] = c.n
	}
	return out, nil
}

// Overfull is a room that holds more candidates at one sitting than its
// seats.
type Overfull struct {
	Venue      string `json:"venue_code"`
	Room       int64  `json:"room_id"`
	Seats      int    `json:"seats"`
	Candidates int    `json:"candidates"`
	Exams      string `json:"exams"`
	Sitting    string `json:"sitting"`
}

// CheckTimetable checks a timetable of year against the lists and the
// plans of both sessions (the final lists in the first, the Neni 58 lists
// in the second): it returns an Invalid error naming every candidate
// listed for two exams that cfg puts at the same time, and every room
// whose plans at one time exceed its seats (Neni 14.3, 17, 38–39, 58).
// AVA edits the year's configuration through examyear; this is the check
// the edit runs before the new timetable is saved.
func (s *Service) CheckTimetable(ctx context.Context, year int, cfg examyear.Config) error {
	for _, session := range []int{1, 2} {
		if err := s.checkTimetable(ctx, year, cfg, session); err != nil {
			return err
		}
	}
	return nil
}

func (s *Service) checkTimetable(ctx context.Context, year int, cfg examyear.Config, session int) error {
	all, err := s.allClashes(ctx, cfg, year, session, nil)
	if err != nil {
		return err
	}
	if len(all) > 0 {
		return clashError("Orari i provimeve nuk u ruajt", all)
	}
	full, err := s.overfull(ctx, cfg, year, session)
	if err != nil || len(full) == 0 {
		return err
	}
	e := &apperr.Error{Code: apperr.Invalid, Message: fmt.Sprintf("Orari i provimeve nuk u ruajt: në %d salla planet e provimeve në të njëjtën kohë kalojnë vendet e sallës (Neni 14.3, 38). Planifikoni përsëri provimet e seancës ose ndryshoni orarin.", len(full))}
	for i, o := range full {
		if i == maxDetails {
			e.Details = append(e.Details, fmt.Sprintf("… dhe %d të tjera.", len(full)-maxDetails))
			break
		}
		e.Details = append(e.Details, fmt.Sprintf("Qendra %s, salla %d: %d kandidatë (%s, %s) në %d vende.", o.Venue, o.Room, o.Candidates, o.Exams, o.Sitting, o.Seats))
	}
	return e
}

// overfull returns the rooms whose planned seats at one time, over the
// exams cfg holds together, exceed the room's seats.
func (s *Service) overfull(ctx context.Context, cfg examyear.Config, year, session int) ([]Overfull, error) {
	type row struct {
		venue, exam string
		room        int64
		seats, n    int
	}
	list, err := store.Select(ctx, s.db.Q(ctx), func(r store.Scanner) (row, error) {
		var x row
		return x, r.Scan(&x.venue, &x.room, &x.exam, &x.seats, &x.n)
	}, `SELECT es.venue_code, es.room_id, es.exam, COALESCE(c.seats, 0), COUNT(*) FROM exam_seats es`+listedJoinOf(session)+`
		LEFT JOIN venue_room_capacity c ON c.room_id = es.room_id AND c.year = es.year
		WHERE es.year = $1 AND es.session = $2 GROUP BY es.venue_code, es.room_id, es.exam, c.seats ORDER BY es.room_id, es.exam`, year, session)
	if err != nil {
		return nil, fmt.Errorf("venue: timetable: %w", err)
	}
	byRoom := map[int64][]row{}
	var rooms []int64
	for _, x := range list {
		if byRoom[x.room] == nil {
			rooms = append(rooms, x.room)
		}
		byRoom[x.room] = append(byRoom[x.room], x)
	}
	sort.Slice(rooms, func(i, j int) bool { return rooms[i] < rooms[j] })
	var out []Overfull
	for _, id := range rooms {
		xs := byRoom[id]
		for _, a := range xs {
			n, exams := 0, []string{}
			for _, b := range xs {
				if cfg.Overlap(a.exam, b.exam, session) {
					n += b.n
					exams = append(exams, b.exam)
				}
			}
			if len(exams) > 1 && n > a.seats {
				out = append(out, Overfull{Venue: a.venue, Room: id, Seats: a.seats, Candidates: n, Exams: strings.Join(exams, ", "), Sitting: cfg.SittingLabel(a.exam, session)})
				break
			}
		}
	}
	return out, nil
}

// Clashes returns the candidates in the caller's scope (AVA: every one)
// listed for two exams of session that the year's timetable puts at the
// same time (Neni 14.3, 17).
func (s *Service) Clashes(ctx context.Context, p *auth.Principal, session int, unitCode string) ([]Clash, error) {
	codes, units, err := s.scopeUnits(ctx, p, unitCode)
	if err != nil {
		return nil, err
	}
	y, err := s.year(ctx)
	if err != nil {
		return nil, err
	}
	var schools []string
	if len(codes) != len(units) {
		list, err := s.reg.SchoolsIn(ctx, codes)
		if err != nil {
			return nil, fmt.Errorf("venue: sittings: %w", err)
		}
		schools = make([]string, 0, len(list))
		for _, sc := range list {
			schools = append(schools, sc.Code)
		}
	}
	return s.allClashes(ctx, y.Config, y.Year, session, schools)
}

// allClashes returns every candidate of the final lists of the schools
// (nil: every school) listed for two exams of session that cfg puts at
// the same time.
func (s *Service) allClashes(ctx context.Context, cfg examyear.Config, year, session int, schools []string) ([]Clash, error) {
	out := []Clash{}
	seen := map[int64]bool{}
	exams := examCodes(cfg)
	for i, exam := range exams {
		var others []string
		for _, o := range exams[i+1:] {
			if cfg.Overlap(exam, o, session) {
				others = append(others, o)
			}
		}
		if len(others) == 0 {
			continue
		}
		list, err := s.listedOf(ctx, year, session, exam, schools)
		if err != nil {
			return nil, fmt.Errorf("venue: sittings: %w", err)
		}
		ids := make(map[int64]bool, len(list))
		for _, f := range list {
			ids[f.StudentID] = true
		}
		got, err := s.clashes(ctx, cfg, year, session, exam, others, ids, schools)
		if err != nil {
			return nil, err
		}
		for _, c := range got {
			if !seen[c.StudentID] {
				seen[c.StudentID] = true
				out = append(out, c)
			}
		}
	}
	return out, nil
}

// listedJoin keeps a seat (alias es) only while its student is on the
// exam's final list (alias fl).
var listedJoin = application.FinalListJoin("fl", "es")
