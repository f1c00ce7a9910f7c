package venue

import (
	"bytes"
	"context"
	"fmt"
	"sort"

	"provim/internal/auth"
	"provim/internal/registry"
	"provim/internal/store"
)

// What package examday reads of the exam plan. Each read runs on
// db.Q(ctx), so it joins the caller's transaction.

// examdayReader reads the room lists for the exam day: the examday
// service has authorised the caller (Access) before it asks.
var examdayReader = &auth.Principal{Username: "examday", Role: auth.RoleAVA}

// ExamDayRoster is the name list of one room for an exam of the active
// year, exactly as printed (Neni 52–53): only candidates on the exam's
// final list, in Albanian alphabetical order, and whether the exam runs in
// one room of the venue (Neni 52.8).
func (s *Service) ExamDayRoster(ctx context.Context, session int, exam string, roomID int64) (RoomList, error) {
	return s.RoomList(ctx, examdayReader, exam, session, roomID)
}

// ExamDayRoom is a room of a venue that has seats in an exam's plan.
type ExamDayRoom struct {
	ID    int64
	Seats int // seats of the plan in the room
}

// ExamDayRooms returns the rooms of venue that have seats in the plan of
// an exam, by room id.
func (s *Service) ExamDayRooms(ctx context.Context, year, session int, exam, venue string) ([]ExamDayRoom, error) {
	out, err := store.Select(ctx, s.db.Q(ctx), func(r store.Scanner) (ExamDayRoom, error) {
		var x ExamDayRoom
		return x, r.Scan(&x.ID, &x.Seats)
	}, `SELECT room_id, COUNT(*) FROM exam_seats WHERE year = $1 AND session = $2 AND exam = $3 AND venue_code = $4
		GROUP BY room_id ORDER BY room_id`, year, session, exam, venue)
	if err != nil {
		return nil, fmt.Errorf("venue: exam-day rooms: %w", err)
	}
	return out, nil
}

// ExamDayVenues counts the seats of an exam's plan by venue.
func (s *Service) ExamDayVenues(ctx context.Context, year, session int, exam string) ([]VenueCount, error) {
	return s.PlanCounts(ctx, year, session, exam)
}

// ExamDayRoomCounts counts the rooms with seats in an exam's plan, by
// venue code.
func (s *Service) ExamDayRoomCounts(ctx context.Context, year, session int, exam string) (map[string]int, error) {
	list, err := store.Select(ctx, s.db.Q(ctx), scanCustodyCount,
		`SELECT venue_code, COUNT(DISTINCT room_id) FROM exam_seats WHERE year = $1 AND session = $2 AND exam = $3 GROUP BY venue_code`, year, session, exam)
	if err != nil {
		return nil, fmt.Errorf("venue: exam-day rooms: %w", err)
	}
	out := make(map[string]int, len(list))
	for _, v := range list {
		out[v.Venue] = v.Count
	}
	return out, nil
}

// ExamDayRosters are the name lists of every room of venue for an exam of
// the active year, as RoomList prints each (only candidates on the final
// list, Albanian alphabetical order, Neni 52.6–52.8), read in one pass for
// the whole venue: a room id → its list. SingleRoom is set on each list.
func (s *Service) ExamDayRosters(ctx context.Context, session int, exam, venueCode string) (map[int64]*RoomList, error) {
	y, err := s.year(ctx)
	if err != nil {
		return nil, err
	}
	exam = normExam(exam)
	type seat struct {
		room, student int64
		no            int
	}
	seats, err := store.Select(ctx, s.db.Q(ctx), func(r store.Scanner) (seat, error) {
		var x seat
		return x, r.Scan(&x.room, &x.student, &x.no)
	}, `SELECT room_id, student_id, seat_no FROM exam_seats WHERE year = $1 AND session = $2 AND exam = $3 AND venue_code = $4`, y.Year, session, exam, venueCode)
	if err != nil {
		return nil, fmt.Errorf("venue: rosters: %w", err)
	}
	ids := make([]int64, len(seats))
	for i, x := range seats {
		ids[i] = x.student
	}
	people, err := s.people(ctx, y.Year, session, exam, ids)
	if err != nil {
		return nil, fmt.Errorf("venue: rosters: %w", err)
	}
	sites, err := s.reg.VenueSitesByCode(ctx, []string{venueCode})
	if err != nil {
		return nil, err
	}
	rooms := map[int64]registry.Room{}
	for _, v := range sites {
		for _, r := range v.Rooms {
			rooms[r.ID] = r
		}
	}
	out := map[int64]*RoomList{}
	for _, x := range seats {
		who, ok := people[x.student]
		if !ok || !who.listed {
			continue
		}
		l := out[x.room]
		if l == nil {
			rm := rooms[x.room]
			l = &RoomList{Year: y.Year, Session: session, Exam: exam, Room: PlannedRoom{ID: x.room, Name: rm.Name, Floor: rm.Floor}, Rows: []RoomRow{}}
			out[x.room] = l
		}
		l.Rows = append(l.Rows, RoomRow{SeatNo: x.no, StudentID: x.student, RegNo: who.regNo, FullName: who.fullName, SchoolCode: who.school,
			SchoolName: who.schoolName, sortKey: who.sortKey})
	}
	for _, l := range out {
		sort.SliceStable(l.Rows, func(i, j int) bool {
			if c := bytes.Compare(l.Rows[i].sortKey, l.Rows[j].sortKey); c != 0 {
				return c < 0
			}
			return l.Rows[i].StudentID < l.Rows[j].StudentID
		})
		for i := range l.Rows {
			l.Rows[i].Line = i + 1
		}
		l.Room.Candidates = len(l.Rows)
		l.SingleRoom = len(out) == 1
	}
	return out, nil
}
