package examday

import (
	"context"
	"fmt"
	"sort"
	"time"

	"provim/internal/apperr"
	"provim/internal/auth"
	"provim/internal/clock"
	"provim/internal/custody"
	"provim/internal/store"
)

// behindAfter is how long a room's device may stay silent during entry
// before the PAP sees it as behind.
const behindAfter = 3 * time.Minute

// BoardRow is one venue on the exam-day board.
type BoardRow struct {
	Venue     string `json:"venue_code"`
	VenueName string `json:"venue_name"`
	City      string `json:"city"`
	Unit      string `json:"unit_code"`
	Expected  int    `json:"expected"`
	Present   int    `json:"present"`
	// Absent counts, once the exam started, who neither entered nor was
	// excluded at the door.
	Absent      int `json:"absent"`
	Late        int `json:"late"`
	Rooms       int `json:"rooms"`
	RoomsActive int `json:"rooms_checking_in"`
	RoomsBehind int `json:"rooms_behind"`
	Refused     int `json:"refused"`
	Incidents   int `json:"incidents"`
	Exclusions  int `json:"exclusions"`
	Labelled    int `json:"labelled"`
	Left        int `json:"left"`
	// Packed: the PAP packed the materials; Balanced: the counts agreed;
	// Explained: they did not, and the PAP explained why (the box closes).
	Packed    bool     `json:"packed"`
	Balanced  bool     `json:"balanced"`
	Explained bool     `json:"explained"`
	Stage     int      `json:"package_stage"`
	Holder    string   `json:"package_holder"`
	Flags     []string `json:"flags"`
}

// Board is the exam-day board of an exam.
type Board struct {
	Year    int        `json:"year"`
	Session int        `json:"session"`
	Exam    string     `json:"exam"`
	Phase   string     `json:"phase"`
	Status  string     `json:"status"`
	Now     string     `json:"now"`
	Rows    []BoardRow `json:"venues"`
	Total   BoardRow   `json:"total"`
}

// Board returns the day of exam at every venue in the caller's scope: AVA
// the country, a KMSH its region (Neni 9–10, 48.7). unit narrows it to a
// DAR/ZA.
func (s *Service) Board(ctx context.Context, p *auth.Principal, session int, exam, unit string) (Board, error) {
	if err := auth.Require(p, auth.RoleAVA, auth.RoleKMSH); err != nil {
		return Board{}, err
	}
	if session == 0 {
		session = 1
	}
	if exam == "" {
		exam = "D1"
	}
	d, err := s.dayOf(ctx, exam, session)
	if err != nil {
		return Board{}, err
	}
	now := s.db.Now(ctx)
	b := Board{Year: d.year.Year, Session: session, Exam: d.exam, Phase: d.timing.Phase(now), Status: d.timing.PhaseLabel(now), Now: clock.Format(now), Rows: []BoardRow{}}
	var units map[string]bool
	if p.Role == auth.RoleKMSH {
		if units, err = s.regionUnits(ctx, p.Unit); err != nil {
			return b, err
		}
		if unit != "" && !units[unit] {
			return b, apperr.New(apperr.NotFound, "DAR/ZA «%s» nuk u gjet.", unit)
		}
	}
	sites, err := s.reg.VenueSites(ctx, unit, "")
	if err != nil {
		return b, err
	}
	plan, err := s.venues.ExamDayVenues(ctx, d.year.Year, session, d.exam)
	if err != nil {
		return b, err
	}
	expected := map[string]int{}
	for _, v := range plan {
		expected[v.Venue] = v.Count
	}
	counts, err := s.venueCounts(ctx, d.year.Year, session, d.exam, now, d.timing)
	if err != nil {
		return b, err
	}
	mats, err := s.custody.MaterialsOf(ctx, d.year.Year, session, d.exam)
	if err != nil {
		return b, err
	}
	started := !now.Before(d.timing.Start)
	for _, v := range sites {
		if units != nil && !units[v.UnitCode] {
			continue
		}
		n, ok := expected[v.Code]
		if !ok {
			continue
		}
		row := counts[v.Code]
		row.Venue, row.VenueName, row.City, row.Unit, row.Expected = v.Code, v.Name, v.City, v.UnitCode, n
		if started {
			row.Absent = max(0, n-row.Present-row.doorExclusions)
		}
		m := mats[v.Code]
		row.Stage, row.Holder = m.Stage, custody.HolderLabel(m.Stage)
		row.flag(d.timing, now)
		b.Rows = append(b.Rows, row.BoardRow)
		b.Total.add(row.BoardRow)
	}
	b.Total.Venue, b.Total.VenueName = "", "Gjithsej"
	b.Total.Flags = []string{}
	return b, nil
}

func (t *BoardRow) add(r BoardRow) {
	t.Expected += r.Expected
	t.Present += r.Present
	t.Absent += r.Absent
	t.Late += r.Late
	t.Rooms += r.Rooms
	t.RoomsActive += r.RoomsActive
	t.RoomsBehind += r.RoomsBehind
	t.Refused += r.Refused
	t.Incidents += r.Incidents
	t.Exclusions += r.Exclusions
	t.Labelled += r.Labelled
	t.Left += r.Left
}

// venueRow is a board row being counted.
type venueRow struct {
	BoardRow
	doorExclusions int
	earlyLeaves    int
	overtime       int
	notLeft        int
}

func (r *venueRow) flag(tm Timing, now time.Time) {
	r.Flags = []string{}
	if r.RoomsBehind > 0 {
		r.Flags = append(r.Flags, fmt.Sprintf("%d salla mbeten pas me hyrjet", r.RoomsBehind))
	}
	if r.earlyLeaves > 0 {
		r.Flags = append(r.Flags, fmt.Sprintf("%d tentativa largimi para dy orësh (Neni 56.3)", r.earlyLeaves))
	}
	if r.overtime > 0 {
		r.Flags = append(r.Flags, fmt.Sprintf("%d dorëzime pas mbarimit (Neni 50.14)", r.overtime))
	}
	if r.Late > 0 {
		r.Flags = append(r.Flags, fmt.Sprintf("%d të ardhur pas fillimit", r.Late))
	}
	if !now.Before(tm.End) && r.notLeft > 0 && !r.Packed {
		r.Flags = append(r.Flags, fmt.Sprintf("%d pa dorëzim të shënuar pas mbarimit", r.notLeft))
	}
	if !now.Before(tm.Start.Add(30*time.Minute)) && r.Present > r.Labelled+r.Exclusions && !r.Packed {
		r.Flags = append(r.Flags, fmt.Sprintf("%d pa etiketa kodi", r.Present-r.Labelled))
	}
	switch {
	case r.Packed && !r.Balanced && r.Explained:
		r.Flags = append(r.Flags, "Numërimi i materialeve nuk përputhet: PAP e sqaroi (shih raportin)")
	case r.Packed && !r.Balanced:
		r.Flags = append(r.Flags, "Numërimi i materialeve nuk përputhet: kutia nuk mbyllet")
	}
}

// venueCounts counts the day at every venue of an exam in a few grouped
// reads of the exam day's own tables.
func (s *Service) venueCounts(ctx context.Context, year, session int, exam string, now time.Time, tm Timing) (map[string]*venueRow, error) {
	out := map[string]*venueRow{}
	row := func(v string) *venueRow {
		if out[v] == nil {
			out[v] = &venueRow{}
		}
		return out[v]
	}
	q := s.db.Q(ctx)
	type c struct {
		venue         string
		a, b, c, d, e int
	}
	got, err := store.Select(ctx, q, func(r store.Scanner) (c, error) {
		var x c
		return x, r.Scan(&x.venue, &x.a, &x.b, &x.c, &x.d, &x.e)
	}, `SELECT venue_code, COUNT(*), SUM(CASE WHEN late THEN 1 ELSE 0 END), SUM(CASE WHEN labelled_at <> '' THEN 1 ELSE 0 END),
		SUM(CASE WHEN left_at <> '' THEN 1 ELSE 0 END), COUNT(DISTINCT room_id)
		FROM examday_checkins WHERE year = $1 AND session = $2 AND exam = $3 GROUP BY venue_code`, year, session, exam)
	if err != nil {
		return nil, fmt.Errorf("examday: board: %w", err)
	}
	for _, x := range got {
		r := row(x.venue)
		r.Present, r.Late, r.Labelled, r.Left, r.RoomsActive = x.a, x.b, x.c, x.d, x.e
		r.notLeft = x.a - x.d
	}
	type ev struct {
		venue, kind string
		door        bool
		n           int
	}
	evs, err := store.Select(ctx, q, func(r store.Scanner) (ev, error) {
		var x ev
		return x, r.Scan(&x.venue, &x.kind, &x.door, &x.n)
	}, `SELECT venue_code, kind, cause = '54.1', COUNT(*) FROM examday_events WHERE year = $1 AND session = $2 AND exam = $3 GROUP BY venue_code, kind, cause = '54.1'`,
		year, session, exam)
	if err != nil {
		return nil, fmt.Errorf("examday: board: %w", err)
	}
	for _, x := range evs {
		r := row(x.venue)
		switch x.kind {
		case "refused":
			r.Refused += x.n
		case "exclusion":
			r.Exclusions += x.n
			if x.door {
				r.doorExclusions += x.n
			}
		case "early_leave":
			r.earlyLeaves += x.n
			r.Incidents += x.n
		case "overtime":
			r.overtime += x.n
			r.Incidents += x.n
		default:
			r.Incidents += x.n
		}
	}
	rooms, err := s.venues.ExamDayRoomCounts(ctx, year, session, exam)
	if err != nil {
		return nil, err
	}
	for v, n := range rooms {
		row(v).Rooms = n
	}
	type sy struct {
		venue, seen string
		pending     int
	}
	syncs, err := store.Select(ctx, q, func(r store.Scanner) (sy, error) {
		var x sy
		return x, r.Scan(&x.venue, &x.seen, &x.pending)
	}, `SELECT venue_code, seen_at, pending FROM examday_room_sync WHERE year = $1 AND session = $2 AND exam = $3`, year, session, exam)
	if err != nil {
		return nil, fmt.Errorf("examday: board: %w", err)
	}
	for _, x := range syncs {
		if behind(x.seen, x.pending, now, tm) {
			row(x.venue).RoomsBehind++
		}
	}
	type pk struct {
		venue               string
		balanced, explained bool
	}
	packs, err := store.Select(ctx, q, func(r store.Scanner) (pk, error) {
		var x pk
		return x, r.Scan(&x.venue, &x.balanced, &x.explained)
	}, `SELECT venue_code, balanced, explained FROM examday_packing WHERE year = $1 AND session = $2 AND exam = $3`, year, session, exam)
	if err != nil {
		return nil, fmt.Errorf("examday: board: %w", err)
	}
	for _, x := range packs {
		r := row(x.venue)
		r.Packed, r.Balanced, r.Explained = true, x.balanced, x.explained
	}
	return out, nil
}

// behind reports whether a room's device is behind: it holds unsent
// check-ins, or it has been silent too long while the door is open.
func behind(seen string, pending int, now time.Time, tm Timing) bool {
	if pending > 0 {
		return true
	}
	t, err := time.Parse(time.RFC3339, seen)
	if err != nil {
		return true
	}
	return !now.Before(tm.Opens) && now.Before(tm.Start.Add(30*time.Minute)) && now.Sub(t) > behindAfter
}

// Attendance is what a candidate sees of their exam day afterwards.
type Attendance struct {
	Year      int    `json:"year"`
	Session   int    `json:"session"`
	Exam      string `json:"exam"`
	Date      string `json:"date"`
	VenueCode string `json:"venue_code"`
	VenueName string `json:"venue_name"`
	Room      string `json:"room"`
	// Status: "present", "excluded", "absent", or "upcoming" before the
	// exam's end.
	Status     string `json:"status"`
	StatusText string `json:"status_text"`
	ArrivedAt  string `json:"arrived_at,omitempty"`
	LeftAt     string `json:"left_at,omitempty"`
	Seat       int    `json:"seat,omitempty"`
	Cause      string `json:"cause,omitempty"`
	CauseText  string `json:"cause_text,omitempty"`
	// BarredNextYear: Neni 55.2 takes away the next year's Matura.
	BarredNextYear bool `json:"barred_next_year"`
}

// AttendanceOf returns a candidate's exam days of the active year: for
// each exam they have a seat in, whether they were present, absent, or
// excluded with the cause and what it means (Neni 54, 55). Only the
// candidate themselves.
func (s *Service) AttendanceOf(ctx context.Context, p *auth.Principal) ([]Attendance, error) {
	if err := auth.Require(p, auth.RoleStudent); err != nil {
		return nil, err
	}
	seats, err := s.venues.StudentSeats(ctx, p, p.StudentID)
	if err != nil {
		return nil, err
	}
	y, err := s.years.Active(ctx)
	if err != nil {
		return nil, err
	}
	now := s.db.Now(ctx)
	out := []Attendance{}
	for _, st := range seats {
		a := Attendance{Year: y.Year, Session: st.Session, Exam: st.Exam, Date: st.Date, VenueCode: st.VenueCode, VenueName: st.VenueName, Room: st.Room}
		var arrived, left string
		err := s.db.Q(ctx).QueryRowContext(ctx, `SELECT arrived_at, left_at, seat_no FROM examday_checkins WHERE year = $1 AND session = $2 AND exam = $3 AND student_id = $4`,
			y.Year, st.Session, st.Exam, p.StudentID).Scan(&arrived, &left, &a.Seat)
		if err != nil && !isNoRows(err) {
			return nil, fmt.Errorf("examday: attendance: %w", err)
		}
		a.ArrivedAt, a.LeftAt = stampOrEmpty(arrived), stampOrEmpty(left)
		cause, err := s.exclusionOf(ctx, Assignment{Year: y.Year, Session: st.Session, Exam: st.Exam}, p.StudentID)
		if err != nil {
			return nil, err
		}
		_, end, _ := y.Config.Sitting(st.Exam, st.Session)
		switch {
		case cause != "":
			c, _ := CauseOf(cause)
			a.Status, a.Cause, a.CauseText = "excluded", c.Code, c.Text
			a.StatusText = fmt.Sprintf("U përjashtuat nga provimi (Neni %s): rezultati nuk njihet (Neni 55.1).", c.Code)
			if c.BarsNextYear {
				a.BarredNextYear = true
				a.StatusText += fmt.Sprintf(" Ju hiqet e drejta të jepni provimet e Maturës në vitin %d (Neni 55.2).", y.Year+1)
			}
		case arrived != "":
			a.Status, a.StatusText = "present", "Ishit të pranishëm në provim."
		case now.Before(end):
			a.Status, a.StatusText = "upcoming", "Provimi nuk ka përfunduar ende."
		default:
			a.Status, a.StatusText = "absent", "Nuk u paraqitët në provim."
		}
		out = append(out, a)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Date < out[j].Date })
	return out, nil
}
