package examday

import (
	"context"
	"fmt"
	"sort"

	"provim/internal/auth"
	"provim/internal/custody"
	"provim/internal/store"
)

// Entry is a candidate of a room's list with their day so far.
type Entry struct {
	Listed
	Status    string `json:"status"` // "waiting", "present", "left", "excluded"
	Seat      int    `json:"seat,omitempty"`
	DocType   string `json:"doc_type,omitempty"`
	ArrivedAt string `json:"arrived_at,omitempty"`
	Late      bool   `json:"late,omitempty"`
	Labelled  bool   `json:"labelled"`
	LeftAt    string `json:"left_at,omitempty"`
	Cause     string `json:"cause,omitempty"`
	Paper     bool   `json:"paper,omitempty"`
}

// Event is one event of the day as the procesverbal lists it.
type Event struct {
	ID             int64  `json:"id"`
	Kind           string `json:"kind"`
	KindLabel      string `json:"kind_label"`
	Room           string `json:"room,omitempty"`
	RegNo          string `json:"reg_no,omitempty"`
	FullName       string `json:"full_name,omitempty"`
	Person         string `json:"person,omitempty"`
	Cause          string `json:"cause,omitempty"`
	CauseText      string `json:"cause_text,omitempty"`
	BarsNextYear   bool   `json:"bars_next_year,omitempty"`
	At             string `json:"at"`
	Witnesses      string `json:"witnesses,omitempty"`
	Note           string `json:"note,omitempty"`
	RefusedToLeave bool   `json:"refused_to_leave,omitempty"`
	Helper         string `json:"helper,omitempty"`
	OldBooklet     string `json:"old_booklet,omitempty"`
	NewBooklet     string `json:"new_booklet,omitempty"`
	RecordedBy     string `json:"recorded_by"`
	RecordedRole   string `json:"recorded_role"`
}

// RoomDay is one room on the exam day.
type RoomDay struct {
	Name     string  `json:"name"`
	Floor    int     `json:"floor"`
	Listed   int     `json:"listed"`
	Present  int     `json:"present"`
	Labelled int     `json:"labelled"`
	Left     int     `json:"left"`
	Excluded int     `json:"excluded"`
	Pending  int     `json:"pending"`
	SeenAt   string  `json:"seen_at,omitempty"`
	Behind   bool    `json:"behind"`
	APs      []Staff `json:"aps"`
	Entries  []Entry `json:"entries,omitempty"`
	ID       int64   `json:"-"`
}

// Staff is a drawn member of staff at the venue.
type Staff struct {
	StaffID int64  `json:"-"`
	Ref     string `json:"ref"` // the staff's public reference: their name
	Name    string `json:"name"`
	Role    string `json:"role"`
	Room    string `json:"room,omitempty"`
	// ByPAP: the room was set by the PAP (Neni 48.2), not the draw's.
	ByPAP bool `json:"by_pap"`
}

// VenueDay is a venue's exam day: its rooms, staff, events and packing.
type VenueDay struct {
	Assignment Assignment    `json:"assignment"`
	Timing     Timing        `json:"timing"`
	Phase      string        `json:"phase"`
	Status     string        `json:"status"`
	SingleRoom bool          `json:"single_room"`
	Rooms      []RoomDay     `json:"rooms"`
	Staff      []Staff       `json:"staff"`
	Events     []Event       `json:"events"`
	Labels     []LabelCount  `json:"labels"`
	Packing    *Packing      `json:"packing"`
	Materials  MaterialsView `json:"materials"`
	Causes     []Cause       `json:"causes"`
}

// MaterialsView is the custody chain's count of the venue's materials.
type MaterialsView struct {
	Stage    int    `json:"stage"`
	Holder   string `json:"holder"`
	Booklets int    `json:"booklets"`
	Labels   int    `json:"labels"`
}

// Venue returns the exam day of a venue for the caller's place (Access),
// every room with its entries when withEntries.
func (s *Service) Venue(ctx context.Context, p *auth.Principal, session int, exam, venue string, withEntries bool) (VenueDay, error) {
	if session == 0 {
		session = 1
	}
	d, err := s.dayOf(ctx, exam, session)
	if err != nil {
		return VenueDay{}, err
	}
	a, err := s.access(ctx, p, d.year.Year, session, d.exam, venue)
	if err != nil {
		return VenueDay{}, err
	}
	return s.venueDay(ctx, d, a, withEntries, 0)
}

// RoomOf returns the exam day of one room of the caller's venue, by its
// name, with its entries.
func (s *Service) RoomOf(ctx context.Context, p *auth.Principal, session int, exam, venue, room string) (VenueDay, RoomDay, error) {
	if session == 0 {
		session = 1
	}
	d, err := s.dayOf(ctx, exam, session)
	if err != nil {
		return VenueDay{}, RoomDay{}, err
	}
	a, err := s.access(ctx, p, d.year.Year, session, d.exam, venue)
	if err != nil {
		return VenueDay{}, RoomDay{}, err
	}
	r, err := s.rosterOf(ctx, d, a.Session, a.Venue)
	if err != nil {
		return VenueDay{}, RoomDay{}, err
	}
	var id int64
	for _, x := range r.rooms {
		if x.Name == room {
			id = x.ID
		}
	}
	if id == 0 {
		return VenueDay{}, RoomDay{}, nothing()
	}
	v, err := s.venueDay(ctx, d, a, true, id)
	if err != nil {
		return v, RoomDay{}, err
	}
	for _, x := range v.Rooms {
		if x.ID == id {
			return v, x, nil
		}
	}
	return v, RoomDay{}, nothing()
}

func (s *Service) venueDay(ctx context.Context, d day, a Assignment, withEntries bool, onlyRoom int64) (VenueDay, error) {
	now := s.db.Now(ctx)
	v := VenueDay{Assignment: a, Timing: d.timing, Phase: d.timing.Phase(now), Status: d.timing.PhaseLabel(now), Causes: Causes,
		Rooms: []RoomDay{}, Staff: []Staff{}, Events: []Event{}, Labels: []LabelCount{}}
	r, err := s.rosterOf(ctx, d, a.Session, a.Venue)
	if err != nil {
		return v, err
	}
	v.SingleRoom = r.singleRoom
	q := s.db.Q(ctx)
	type ci struct {
		student                int64
		room                   int64
		seat                   int
		doc, arrived, labelled string
		left, source           string
		late                   bool
	}
	cis, err := store.Select(ctx, q, func(rs store.Scanner) (ci, error) {
		var x ci
		return x, rs.Scan(&x.student, &x.room, &x.seat, &x.doc, &x.arrived, &x.late, &x.labelled, &x.left, &x.source)
	}, `SELECT student_id, room_id, seat_no, doc_type, arrived_at, late, labelled_at, left_at, source FROM examday_checkins
		WHERE year = $1 AND session = $2 AND exam = $3 AND venue_code = $4`, a.Year, a.Session, a.Exam, a.Venue)
	if err != nil {
		return v, fmt.Errorf("examday: venue: %w", err)
	}
	byStudent := map[int64]ci{}
	for _, x := range cis {
		byStudent[x.student] = x
	}
	events, err := s.events(ctx, a, r)
	if err != nil {
		return v, err
	}
	excluded := map[int64]string{}
	for _, e := range events {
		if e.Kind == "exclusion" {
			if l := r.byRegNo[e.RegNo]; l != nil {
				excluded[l.StudentID] = e.Cause
			}
		}
	}
	v.Events = events
	type sy struct {
		room    int64
		pending int
		seen    string
	}
	syncs, err := store.Select(ctx, q, func(rs store.Scanner) (sy, error) {
		var x sy
		return x, rs.Scan(&x.room, &x.pending, &x.seen)
	}, `SELECT room_id, pending, seen_at FROM examday_room_sync WHERE year = $1 AND session = $2 AND exam = $3 AND venue_code = $4`, a.Year, a.Session, a.Exam, a.Venue)
	if err != nil {
		return v, fmt.Errorf("examday: venue: %w", err)
	}
	syncOf := map[int64]sy{}
	for _, x := range syncs {
		syncOf[x.room] = x
	}
	staff, err := s.staffAt(ctx, a, r)
	if err != nil {
		return v, err
	}
	v.Staff = staff
	for _, room := range r.rooms {
		rd := RoomDay{ID: room.ID, Name: room.Name, Floor: room.Floor, Listed: len(room.Listed), APs: []Staff{}}
		for _, st := range staff {
			if st.Role == "AP" && st.Room == room.Name {
				rd.APs = append(rd.APs, st)
			}
		}
		for _, l := range room.Listed {
			e := Entry{Listed: l, Status: "waiting"}
			if x, ok := byStudent[l.StudentID]; ok {
				e.Status, e.Seat, e.DocType, e.ArrivedAt, e.Late, e.Labelled, e.Paper = "present", x.seat, x.doc, x.arrived, x.late, x.labelled != "", x.source == "paper"
				rd.Present++
				if e.Labelled {
					rd.Labelled++
				}
				if x.left != "" {
					e.Status, e.LeftAt = "left", x.left
					rd.Left++
				}
			}
			if c, ok := excluded[l.StudentID]; ok {
				e.Status, e.Cause = "excluded", c
				rd.Excluded++
			}
			if withEntries && (onlyRoom == 0 || onlyRoom == room.ID) {
				rd.Entries = append(rd.Entries, e)
			}
		}
		if x, ok := syncOf[room.ID]; ok {
			rd.Pending, rd.SeenAt, rd.Behind = x.pending, x.seen, behind(x.seen, x.pending, now, d.timing)
		}
		// Order of entry (Neni 52.7): those seated first, by seat.
		sort.SliceStable(rd.Entries, func(i, j int) bool {
			ei, ej := rd.Entries[i], rd.Entries[j]
			if (ei.Seat == 0) != (ej.Seat == 0) {
				return ei.Seat == 0
			}
			if ei.Seat != ej.Seat {
				return ei.Seat < ej.Seat
			}
			return ei.Line < ej.Line
		})
		v.Rooms = append(v.Rooms, rd)
	}
	if labels := s.labelsOf(); labels != nil {
		counts, err := labels.Counts(ctx, a.Year, a.test(), a.Venue)
		if err != nil {
			return v, err
		}
		v.Labels = append(v.Labels, counts...)
	}
	m, _, err := s.custody.MaterialsAt(ctx, a.Year, a.Session, a.Exam, a.Venue)
	if err != nil {
		return v, err
	}
	v.Materials = MaterialsView{Stage: m.Stage, Holder: holderLabel(m.Stage), Booklets: m.Booklets, Labels: m.Labels}
	v.Packing, err = s.packing(ctx, a)
	return v, err
}

// events returns the events of the day at a venue, in time order.
func (s *Service) events(ctx context.Context, a Assignment, r *roster) ([]Event, error) {
	type row struct {
		Event
		room    int64
		student int64
	}
	list, err := store.Select(ctx, s.db.Q(ctx), func(rs store.Scanner) (row, error) {
		var x row
		return x, rs.Scan(&x.ID, &x.Kind, &x.room, &x.student, &x.Person, &x.Cause, &x.At, &x.Witnesses, &x.Note, &x.RefusedToLeave,
			&x.Helper, &x.OldBooklet, &x.NewBooklet, &x.RecordedBy, &x.RecordedRole)
	}, `SELECT id, kind, room_id, student_id, person, cause, happened_at, witnesses, note, refused_to_leave, helper, old_booklet, new_booklet,
		recorded_by, recorded_role FROM examday_events WHERE year = $1 AND session = $2 AND exam = $3 AND venue_code = $4 ORDER BY happened_at, id`,
		a.Year, a.Session, a.Exam, a.Venue)
	if err != nil {
		return nil, fmt.Errorf("examday: events: %w", err)
	}
	out := make([]Event, 0, len(list))
	for _, x := range list {
		e := x.Event
		e.KindLabel = KindLabel(e.Kind)
		if room := r.room(x.room); room != nil {
			e.Room = room.Name
		}
		if l := r.byStudent[x.student]; l != nil {
			e.RegNo, e.FullName = l.RegNo, l.FullName
		}
		if c, ok := CauseOf(e.Cause); ok {
			e.CauseText, e.BarsNextYear = c.Text, c.BarsNextYear
		}
		out = append(out, e)
	}
	return out, nil
}

// staffAt is the drawn staff of the venue with their rooms.
func (s *Service) staffAt(ctx context.Context, a Assignment, r *roster) ([]Staff, error) {
	drawn, err := s.draws.DrawnAt(ctx, a.Year, a.Session, a.Exam, a.Venue)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, len(drawn))
	for i, x := range drawn {
		ids[i] = x.StaffID
	}
	people, err := s.reg.StaffByID(ctx, ids)
	if err != nil {
		return nil, err
	}
	names := map[int64]string{}
	for _, x := range people {
		names[x.ID] = x.FirstName + " " + x.LastName
	}
	type ar struct {
		staff, room int64
	}
	moved, err := store.Select(ctx, s.db.Q(ctx), func(rs store.Scanner) (ar, error) {
		var x ar
		return x, rs.Scan(&x.staff, &x.room)
	}, `SELECT staff_id, room_id FROM examday_rooms WHERE year = $1 AND session = $2 AND exam = $3 AND venue_code = $4`, a.Year, a.Session, a.Exam, a.Venue)
	if err != nil {
		return nil, fmt.Errorf("examday: staff: %w", err)
	}
	byPAP := map[int64]int64{}
	for _, x := range moved {
		byPAP[x.staff] = x.room
	}
	out := make([]Staff, 0, len(drawn))
	for _, x := range drawn {
		st := Staff{StaffID: x.StaffID, Name: names[x.StaffID], Ref: names[x.StaffID], Role: x.Role}
		room := x.RoomID
		if m, ok := byPAP[x.StaffID]; ok {
			room, st.ByPAP = m, true
		}
		if rm := r.room(room); rm != nil {
			st.Room = rm.Name
		}
		out = append(out, st)
	}
	return out, nil
}

// holderLabel names who holds the materials after stage.
func holderLabel(stage int) string { return custody.HolderLabel(stage) }
