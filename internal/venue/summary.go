package venue

import (
	"context"
	"fmt"

	"provim/internal/albanian"
	"provim/internal/auth"
	"provim/internal/registry"
	"provim/internal/store"
)

// PlannedRoom is a room of a planned venue.
type PlannedRoom struct {
	ID         int64  `json:"id"`
	Name       string `json:"name"`
	Floor      int    `json:"floor"`
	Seats      int    `json:"seats"`
	Candidates int    `json:"candidates"`
}

// PlannedVenue is a venue of an exam's plan.
type PlannedVenue struct {
	Code       string        `json:"code"`
	Name       string        `json:"name"`
	City       string        `json:"city"`
	UnitCode   string        `json:"unit_code"`
	Seats      int           `json:"seats"`
	Candidates int           `json:"candidates"`
	Rooms      []PlannedRoom `json:"rooms"`
}

// Group explains why a school's candidates sit in a venue (Neni 39–40).
type Group struct {
	SchoolCode string `json:"school_code"`
	SchoolName string `json:"school_name"`
	VenueCode  string `json:"venue_code"`
	VenueName  string `json:"venue_name"`
	Candidates int    `json:"candidates"`
	Reason     string `json:"reason"`
}

// Summary is an exam's plan in a unit.
type Summary struct {
	Year     int    `json:"year"`
	Session  int    `json:"session"`
	Exam     string `json:"exam"`
	ExamName string `json:"exam_name"`
	Date     string `json:"date"`
	Start    string `json:"start"` // the exam's (an elective's sitting's) start
	// SameTime: the other exams held at the same time (Neni 14.3): they
	// share the rooms' seats and no candidate.
	SameTime   []string `json:"same_time"`
	Listed     int      `json:"listed"`    // on the final name list
	Candidates int      `json:"placed"`    // with a seat
	Overrides  int      `json:"overrides"` // seats changed by the KMSH
	// Stale: how the plan has drifted from the final list since it was
	// made (Neni 36, 48.3, 52.6).
	Stale  Staleness      `json:"stale"`
	Venues []PlannedVenue `json:"venues"`
	Groups []Group        `json:"groups"`
}

// Summary returns the plan of an exam in a unit (empty: the caller's
// whole scope): each venue with its rooms and numbers, and each school's
// grouping with its reason.
func (s *Service) Summary(ctx context.Context, p *auth.Principal, exam string, session int, unitCode string) (Summary, error) {
	exam = normExam(exam)
	codes, units, err := s.scopeUnits(ctx, p, unitCode)
	if err != nil {
		return Summary{}, err
	}
	y, err := s.year(ctx)
	if err != nil {
		return Summary{}, err
	}
	_, day, name, err := examOf(y.Config, exam, session)
	if err != nil {
		return Summary{}, err
	}
	out := Summary{Year: y.Year, Session: session, Exam: exam, ExamName: name, Date: day.Date, Start: day.Start,
		SameTime: overlapping(y.Config, exam, session), Venues: []PlannedVenue{}, Groups: []Group{}}
	if out.SameTime == nil {
		out.SameTime = []string{}
	}
	whole := len(codes) == len(units)
	schools, err := s.reg.SchoolsIn(ctx, codes)
	if err != nil {
		return out, fmt.Errorf("venue: summary: %w", err)
	}
	schoolName := make(map[string]string, len(schools))
	var schoolCodes []string // nil: every school
	if !whole {
		schoolCodes = make([]string, 0, len(schools))
	}
	for _, sc := range schools {
		schoolName[sc.Code] = sc.Name
		if !whole {
			schoolCodes = append(schoolCodes, sc.Code)
		}
	}
	if out.Listed, err = s.countListed(ctx, y.Year, session, exam, schoolCodes); err != nil {
		return out, fmt.Errorf("venue: summary: %w", err)
	}
	sites, err := s.reg.VenueSitesIn(ctx, codes)
	if err != nil {
		return out, fmt.Errorf("venue: summary: %w", err)
	}
	if err := s.summaryVenues(ctx, &out, y.Year, whole, sites); err != nil {
		return out, err
	}
	var venueCodes []string // nil: every venue
	if !whole {
		venueCodes = make([]string, 0, len(sites))
		for _, v := range sites {
			venueCodes = append(venueCodes, v.Code)
		}
	}
	if out.Stale, err = s.staleness(ctx, y.Year, session, exam, venueCodes, schoolCodes, out.Listed); err != nil {
		return out, err
	}
	out.Groups, err = s.summaryGroups(ctx, y.Year, session, exam, schoolCodes, schoolName, sites)
	return out, err
}

// summaryVenues fills in the venues of the sites that hold seats of the
// exam's plan, with their rooms and numbers, in Albanian order of city
// and name.
func (s *Service) summaryVenues(ctx context.Context, out *Summary, year int, whole bool, sites []registry.VenueSite) error {
	type roomCount struct {
		venue          string
		room           int64
		seats, n, over int
	}
	counts := map[string]map[int64]roomCount{}
	var parts [][]registry.VenueSite
	if whole {
		parts = [][]registry.VenueSite{nil}
	} else {
		parts = store.Chunks(sites, chunk)
	}
	for _, part := range parts {
		q := planQuery("e.", year, out.Session, out.Exam)
		if !whole {
			codes := make([]string, len(part))
			for i, v := range part {
				codes[i] = v.Code
			}
			addIn(&q, "e.venue_code", codes)
		}
		list, err := store.Select(ctx, s.db.Q(ctx), func(r store.Scanner) (roomCount, error) {
			var c roomCount
			err := r.Scan(&c.venue, &c.room, &c.seats, &c.n, &c.over)
			return c, err
		}, `SELECT e.venue_code, e.room_id, COALESCE(c.seats, 0), COUNT(*), SUM(CASE WHEN e.override_reason <> '' THEN 1 ELSE 0 END)
			FROM exam_seats e`+listedJoinAs(out.Session, "fl", "e")+` LEFT JOIN venue_room_capacity c ON c.room_id = e.room_id AND c.year = e.year`+q.Where()+`
			GROUP BY e.venue_code, e.room_id, c.seats`, q.Args()...)
		if err != nil {
			return fmt.Errorf("venue: summary: %w", err)
		}
		for _, c := range list {
			if counts[c.venue] == nil {
				counts[c.venue] = map[int64]roomCount{}
			}
			counts[c.venue][c.room] = c
		}
	}
	for _, site := range sites {
		byRoom := counts[site.Code]
		if len(byRoom) == 0 {
			continue
		}
		v := PlannedVenue{Code: site.Code, Name: site.Name, City: site.City, UnitCode: site.UnitCode}
		for _, r := range site.Rooms {
			c, ok := byRoom[r.ID]
			if !ok {
				continue
			}
			v.Rooms = append(v.Rooms, PlannedRoom{ID: r.ID, Name: r.Name, Floor: r.Floor, Seats: c.seats, Candidates: c.n})
			v.Seats += c.seats
			v.Candidates += c.n
			out.Candidates += c.n
			out.Overrides += c.over
		}
		out.Venues = append(out.Venues, v)
	}
	albanian.SortBy(out.Venues, func(v PlannedVenue) string { return v.City + "\x01" + v.Name + "\x01" + v.Code })
	return nil
}

// summaryGroups returns the groupings of the schools (nil: every school)
// in an exam's plan, by school and venue, with their names.
func (s *Service) summaryGroups(ctx context.Context, year, session int, exam string, schools []string, schoolName map[string]string, sites []registry.VenueSite) ([]Group, error) {
	q := planQuery("", year, session, exam)
	if schools != nil {
		addIn(&q, "school_code", schools)
	}
	groups, err := store.Select(ctx, s.db.Q(ctx), func(r store.Scanner) (Group, error) {
		var g Group
		err := r.Scan(&g.SchoolCode, &g.VenueCode, &g.Candidates, &g.Reason)
		return g, err
	}, `SELECT school_code, venue_code, candidates, reason FROM exam_plan_groups`+q.Where()+` ORDER BY school_code, venue_code`, q.Args()...)
	if err != nil {
		return nil, fmt.Errorf("venue: summary groups: %w", err)
	}
	venueName := make(map[string]string, len(sites))
	for _, v := range sites {
		venueName[v.Code] = v.Name
	}
	// A school's candidates moved by AVA into another unit's venue.
	var others []string
	for _, g := range groups {
		if _, ok := venueName[g.VenueCode]; !ok {
			others = append(others, g.VenueCode)
		}
	}
	if len(others) > 0 {
		more, err := s.reg.VenueSitesByCode(ctx, others)
		if err != nil {
			return nil, fmt.Errorf("venue: summary groups: %w", err)
		}
		for _, v := range more {
			venueName[v.Code] = v.Name
		}
	}
	out := make([]Group, 0, len(groups))
	for _, g := range groups {
		sn, sok := schoolName[g.SchoolCode]
		vn, vok := venueName[g.VenueCode]
		if !sok || !vok {
			continue
		}
		g.SchoolName, g.VenueName = sn, vn
		out = append(out, g)
	}
	return out, nil
}
