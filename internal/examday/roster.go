package examday

import (
	"context"
	"sort"
	"time"

	"provim/internal/application"
	"provim/internal/clock"
	"provim/internal/registry"
)

// A venue's name lists are frozen on the exam day (the final lists were
// sent before it, Neni 36): each device's check-ins read them from a
// short-lived copy rather than rebuild them for every candidate.
const rosterTTL = 30 * time.Second

type dayKey struct {
	year, session int
	exam, venue   string
}

type cachedDay struct {
	at     time.Duration // on uptime
	roster *roster
}

// uptime measures the age of cached rosters (wall time, never a time of
// the exam: the exam's clock may be a training or manual one).
var uptime = clock.StartTimer()

// Listed is one candidate on a room's name list.
type Listed struct {
	StudentID int64  `json:"-"`
	RegNo     string `json:"reg_no"`
	FullName  string `json:"full_name"`
	School    string `json:"school"`
	Line      int    `json:"line"` // place in the room's alphabetical list
	RoomID    int64  `json:"-"`
	Room      string `json:"room"`
}

// Room is a room of the venue in the exam, with its name list.
type Room struct {
	ID     int64    `json:"-"`
	Name   string   `json:"name"`
	Floor  int      `json:"floor"`
	Listed []Listed `json:"listed"`
}

// roster is a venue's rooms and name lists for one exam.
type roster struct {
	venue      registry.VenueSite
	rooms      []Room
	byRegNo    map[string]*Listed
	byStudent  map[int64]*Listed
	singleRoom bool // Neni 52.8
}

func (r *roster) room(id int64) *Room {
	for i := range r.rooms {
		if r.rooms[i].ID == id {
			return &r.rooms[i]
		}
	}
	return nil
}

// rosterOf returns the rooms and name lists of venue for the exam.
func (s *Service) rosterOf(ctx context.Context, d day, session int, venueCode string) (*roster, error) {
	key := dayKey{d.year.Year, session, d.exam, venueCode}
	now := uptime.Elapsed()
	s.mu.RLock()
	c := s.cache[key]
	s.mu.RUnlock()
	if c != nil && now-c.at < rosterTTL {
		return c.roster, nil
	}
	site, err := s.site(ctx, venueCode)
	if err != nil {
		return nil, err
	}
	r := &roster{byRegNo: map[string]*Listed{}, byStudent: map[int64]*Listed{}}
	if site != nil {
		r.venue = *site
	}
	lists, err := s.venues.ExamDayRosters(ctx, session, d.exam, venueCode)
	if err != nil {
		return nil, err
	}
	for id, list := range lists {
		if len(list.Rows) == 0 {
			continue
		}
		r.singleRoom = list.SingleRoom
		room := Room{ID: id, Name: list.Room.Name, Floor: list.Room.Floor}
		for _, row := range list.Rows {
			room.Listed = append(room.Listed, Listed{StudentID: row.StudentID, RegNo: row.RegNo, FullName: row.FullName,
				School: row.SchoolName, Line: row.Line, RoomID: id, Room: list.Room.Name})
		}
		r.rooms = append(r.rooms, room)
	}
	sort.SliceStable(r.rooms, func(i, j int) bool {
		if r.rooms[i].Floor != r.rooms[j].Floor {
			return r.rooms[i].Floor < r.rooms[j].Floor
		}
		return r.rooms[i].Name < r.rooms[j].Name
	})
	for i := range r.rooms {
		for j := range r.rooms[i].Listed {
			l := &r.rooms[i].Listed[j]
			// A candidate without a registration number ("—": no
			// numbered application) is not found by one: two of them
			// would share it, and a label could go to the wrong one.
			if application.ValidRegNo(l.RegNo) {
				r.byRegNo[l.RegNo] = l
			}
			r.byStudent[l.StudentID] = l
		}
	}
	s.mu.Lock()
	s.cache[key] = &cachedDay{at: now, roster: r}
	s.mu.Unlock()
	return r, nil
}
