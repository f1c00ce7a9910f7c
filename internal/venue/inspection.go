package venue

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"provim/internal/albanian"
	"provim/internal/apperr"
	"provim/internal/audit"
	"provim/internal/auth"
	"provim/internal/clock"
	"provim/internal/examyear"
	"provim/internal/registry"
	"provim/internal/store"
)

const objectInspection = "venue_inspection"

// RoomMeasure is a room's measured dimensions at the inspection; rooms
// not given keep the dimensions in the registry.
type RoomMeasure struct {
	RoomID   int64 `json:"room_id"`
	LengthCM int   `json:"length_cm"` // front to back
	WidthCM  int   `json:"width_cm"`  // across
}

// InspectionInput is what the KMSH records for a venue (Neni 37–38).
type InspectionInput struct {
	Checklist
	Rooms []RoomMeasure `json:"rooms"`
	Note  string        `json:"note"`
	// Reason is AVA's approval of a change after the inspection
	// deadline or after the region's venue list was sent (Neni 41 ¶2).
	Reason string `json:"reason"`
}

// RoomInspection is one room as inspected.
type RoomInspection struct {
	ID       int64  `json:"id"`
	Name     string `json:"name"`
	Floor    int    `json:"floor"`
	Declared int    `json:"declared_seats"` // desks in the registry
	LengthCM int    `json:"length_cm"`
	WidthCM  int    `json:"width_cm"`
	Seats    int    `json:"seats"`  // RoomSeats of the dimensions
	Usable   bool   `json:"usable"` // Seats ≥ 15 (Neni 38.1)
}

// Inspection is a venue and its inspection of the active year.
type Inspection struct {
	Year        int              `json:"year"`
	VenueCode   string           `json:"venue_code"`
	VenueName   string           `json:"venue_name"`
	UnitCode    string           `json:"unit_code"`
	SchoolCode  string           `json:"school_code,omitempty"`
	Public      bool             `json:"public_school"`
	City        string           `json:"city"`
	Address     string           `json:"address"`
	Inspected   bool             `json:"inspected"`
	InspectedAt string           `json:"inspected_at,omitempty"`
	InspectedBy string           `json:"inspected_by,omitempty"`
	Checklist   Checklist        `json:"checklist"`
	Suitable    bool             `json:"suitable"`
	Failed      []string         `json:"failed"`      // codes of Neni 38 not met
	FailedText  string           `json:"failed_text"` // the same, in words
	Seats       int              `json:"seats"`       // of the usable rooms
	Rooms       []RoomInspection `json:"rooms"`
	Note        string           `json:"note,omitempty"`
	LateReason  string           `json:"late_reason,omitempty"`
	// RoomChanges are the changes of the rooms' seats since the
	// inspection, with their reasons (SetRoomSeats; one venue's read only).
	RoomChanges []RoomChange `json:"room_changes,omitempty"`
}

// loadVenues reads venues (with rooms, inspection and capacities of year)
// whose unit is in units, or the one venue code.
func (s *Service) loadVenues(ctx context.Context, year int, units []string, code string) ([]Inspection, error) {
	var sites []registry.VenueSite
	var err error
	if code != "" {
		sites, err = s.reg.VenueSitesByCode(ctx, []string{code})
	} else {
		sites, err = s.reg.VenueSitesIn(ctx, units)
	}
	if err != nil {
		return nil, fmt.Errorf("venue: venues: %w", err)
	}
	codes := make([]string, len(sites))
	for i, v := range sites {
		codes[i] = v.Code
	}
	type inspection struct {
		code    string
		v       Inspection
		failed  string
		present bool
	}
	type capacity struct {
		room                 int64
		length, width, seats int
		usable               bool
	}
	inspections := map[string]inspection{}
	capacities := map[int64]capacity{}
	for _, part := range store.Chunks(codes, chunk) {
		var q store.Query
		q.Add("year = ?", year)
		addIn(&q, "venue_code", part)
		list, err := store.Select(ctx, s.db.Q(ctx), func(r store.Scanner) (inspection, error) {
			var x inspection
			c := &x.v.Checklist
			err := r.Scan(&x.code, &x.v.InspectedAt, &x.v.InspectedBy, &c.SpacingCM, &c.DeskWidthCM, &c.DeskDepthCM,
				&c.OneDirection, &c.AiredLit, &c.NoPosters, &c.NoOtherActivity, &c.RoadAccess,
				&x.v.Suitable, &x.failed, &x.v.Seats, &x.v.Note, &x.v.LateReason)
			x.present = true
			return x, err
		}, `SELECT venue_code, inspected_at, inspected_by, spacing_cm, desk_width_cm, desk_depth_cm,
			one_direction, aired_lit, no_posters, no_other_activity, road_access, suitable, failed, seats, note, late_reason
			FROM venue_inspections`+q.Where(), q.Args()...)
		if err != nil {
			return nil, fmt.Errorf("venue: venues: %w", err)
		}
		for _, x := range list {
			inspections[x.code] = x
		}
		caps, err := store.Select(ctx, s.db.Q(ctx), func(r store.Scanner) (capacity, error) {
			var c capacity
			err := r.Scan(&c.room, &c.length, &c.width, &c.seats, &c.usable)
			return c, err
		}, `SELECT room_id, length_cm, width_cm, seats, usable FROM venue_room_capacity`+q.Where(), q.Args()...)
		if err != nil {
			return nil, fmt.Errorf("venue: venues: %w", err)
		}
		for _, c := range caps {
			capacities[c.room] = c
		}
	}
	out := make([]Inspection, 0, len(sites))
	for _, site := range sites {
		x := inspections[site.Code]
		v := x.v
		v.Year, v.VenueCode, v.VenueName, v.UnitCode, v.SchoolCode = year, site.Code, site.Name, site.UnitCode, site.SchoolCode
		v.Public, v.City, v.Address = site.PublicSchool, site.City, site.Address
		v.Inspected = v.InspectedAt != ""
		v.Failed = []string{}
		if x.failed != "" {
			v.Failed = strings.Split(x.failed, ",")
		}
		v.FailedText = describeFailed(v.Failed)
		v.Rooms = []RoomInspection{}
		for _, r := range site.Rooms {
			ri := RoomInspection{ID: r.ID, Name: r.Name, Floor: r.Floor, Declared: r.Seats, LengthCM: r.LengthCM, WidthCM: r.WidthCM}
			if c, ok := capacities[r.ID]; ok {
				ri.LengthCM, ri.WidthCM, ri.Seats, ri.Usable = c.length, c.width, c.seats, c.usable
			}
			v.Rooms = append(v.Rooms, ri)
		}
		out = append(out, v)
	}
	return out, nil
}

// Inspections lists the venues of a unit (empty: the caller's whole
// scope) with their inspection of the active year, sorted by city and
// name.
func (s *Service) Inspections(ctx context.Context, p *auth.Principal, unitCode string) ([]Inspection, error) {
	units, _, err := s.scopeUnits(ctx, p, unitCode)
	if err != nil {
		return nil, err
	}
	y, err := s.year(ctx)
	if err != nil {
		return nil, err
	}
	list, err := s.loadVenues(ctx, y.Year, units, "")
	if err != nil {
		return nil, err
	}
	albanian.SortBy(list, func(v Inspection) string { return v.City + "\x01" + v.VenueName + "\x01" + v.VenueCode })
	return list, nil
}

// Inspection returns one venue with its inspection. AVA and the KMSH of
// its unit, the school commission of its school and its venue staff may
// read it; for anyone else it does not exist.
func (s *Service) Inspection(ctx context.Context, p *auth.Principal, code string) (Inspection, error) {
	if p == nil {
		return Inspection{}, apperr.New(apperr.Unauthorized, "Duhet të identifikoheni.")
	}
	y, err := s.year(ctx)
	if err != nil {
		return Inspection{}, err
	}
	list, err := s.loadVenues(ctx, y.Year, nil, code)
	if err != nil {
		return Inspection{}, err
	}
	units, err := s.loadUnits(ctx)
	if err != nil {
		return Inspection{}, err
	}
	if len(list) == 0 || !s.canRead(p, units, list[0]) {
		return Inspection{}, apperr.New(apperr.NotFound, "Qendra e provimit «%s» nuk u gjet.", code)
	}
	v := list[0]
	if v.RoomChanges, err = s.roomChanges(ctx, y.Year, v); err != nil {
		return Inspection{}, err
	}
	return v, nil
}

func (s *Service) canRead(p *auth.Principal, units map[string]unit, v Inspection) bool {
	switch {
	case p.Role == auth.RoleAVA || p.Role == auth.RoleKMSH:
		return inScope(p, units, v.UnitCode)
	case p.Role == auth.RoleKSHMSH:
		return v.SchoolCode != "" && v.SchoolCode == p.School
	case p.IsVenueRole():
		return p.Venue == v.VenueCode
	}
	return false
}

// locked reports why changing a unit's venues needs AVA's approval: the
// inspection deadline (Neni 37) has passed, or the unit's venue list has
// been sent (Neni 41 ¶2). "" when it does not.
func (s *Service) locked(ctx context.Context, cfg examyear.Config, year int, unitCode string) (string, error) {
	if err := cfg.CheckDeadline(examyear.KeyVenueInspection, s.db.Now(ctx)); err != nil {
		return apperr.MessageOf(err), nil
	}
	var sent string
	err := s.db.Q(ctx).QueryRowContext(ctx, `SELECT sent_at FROM venue_lists WHERE year = $1 AND unit_code = $2`, year, unitCode).Scan(&sent)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("venue: venue list: %w", err)
	}
	return "Lista e mjediseve të DAR/ZA-së " + unitCode + " është dërguar më " + albanian.DateString(tiranaDay(sent)) + ".", nil
}

// needApproval applies Neni 41 ¶2 to a change of a locked unit: the KMSH
// is refused; AVA approves by acting with a reason.
func needApproval(p *auth.Principal, why, reason string) error {
	if why == "" {
		return nil
	}
	if p.Role != auth.RoleAVA {
		return apperr.New(apperr.Invalid, "%s Ndryshimi i mjediseve tani bëhet vetëm me miratimin e AVA-s (Neni 41).", why)
	}
	if strings.TrimSpace(reason) == "" {
		return apperr.New(apperr.Invalid, "%s AVA e miraton ndryshimin vetëm duke shënuar arsyen (Neni 41).", why)
	}
	return nil
}

// Inspect records the inspection of a venue for the active year (Neni
// 37–38): the checklist of Neni 38 and each room's dimensions, from which
// its seats follow (RoomSeats). A venue that fails a criterion is kept on
// record as not suitable and is never planned; the answer names the
// criteria it failed. A new inspection may not leave fewer seats in a
// room than an exam's plan has placed there.
func (s *Service) Inspect(ctx context.Context, p *auth.Principal, code string, in InspectionInput) (Inspection, error) {
	if err := auth.Require(p, auth.RoleAVA, auth.RoleKMSH); err != nil {
		return Inspection{}, err
	}
	y, err := s.year(ctx)
	if err != nil {
		return Inspection{}, err
	}
	var next Inspection
	err = s.db.InTx(ctx, func(ctx context.Context) error {
		var err error
		next, err = s.inspectTx(ctx, p, y, code, in)
		return err
	})
	if err != nil {
		return Inspection{}, err
	}
	return next, nil
}

// inspectTx is Inspect inside its transaction.
func (s *Service) inspectTx(ctx context.Context, p *auth.Principal, y *examyear.Year, code string, in InspectionInput) (Inspection, error) {
	cur, err := s.Inspection(ctx, p, code)
	if err != nil {
		return Inspection{}, err
	}
	units, err := s.loadUnits(ctx)
	if err != nil {
		return Inspection{}, err
	}
	if !inScope(p, units, cur.UnitCode) {
		return Inspection{}, apperr.New(apperr.NotFound, "Qendra e provimit «%s» nuk u gjet.", code)
	}
	if in.SpacingCM <= 0 || in.DeskWidthCM <= 0 || in.DeskDepthCM <= 0 {
		return Inspection{}, apperr.New(apperr.Invalid, "Shënoni largësinë ndërmjet nxënësve (Neni 38.2) dhe përmasat e sipërfaqes së shkrimit (Neni 38.7), në cm.")
	}
	if len(cur.Rooms) == 0 {
		return Inspection{}, apperr.New(apperr.Invalid, "Qendra %s (%s) nuk ka asnjë sallë në regjistër.", cur.VenueName, code)
	}
	measured := map[int64]RoomMeasure{}
	for _, m := range in.Rooms {
		measured[m.RoomID] = m
	}
	next := cur
	next.Checklist, next.Note, next.Seats = in.Checklist, strings.TrimSpace(in.Note), 0
	next.Rooms = make([]RoomInspection, len(cur.Rooms))
	usable := 0
	var problems []string
	for i, r := range cur.Rooms {
		// A dimension not given (0) keeps the last measured one.
		if m, ok := measured[r.ID]; ok {
			if m.LengthCM > 0 {
				r.LengthCM = m.LengthCM
			}
			if m.WidthCM > 0 {
				r.WidthCM = m.WidthCM
			}
			delete(measured, r.ID)
		}
		if r.LengthCM <= 0 || r.WidthCM <= 0 {
			problems = append(problems, fmt.Sprintf("Salla «%s»: mungojnë gjatësia dhe gjerësia (cm).", r.Name))
		}
		r.Seats = RoomSeats(r.LengthCM, r.WidthCM, r.Declared, in.Checklist)
		r.Usable = r.Seats >= MinRoomSeats
		if r.Usable {
			usable++
			next.Seats += r.Seats
		}
		next.Rooms[i] = r
	}
	for id := range measured {
		problems = append(problems, fmt.Sprintf("Salla %d nuk është salla e kësaj qendre.", id))
	}
	if len(problems) > 0 {
		return Inspection{}, &apperr.Error{Code: apperr.Invalid, Message: "Inspektimi nuk u ruajt.", Details: problems}
	}
	next.Failed = append([]string{}, failedCriteria(in.Checklist, usable)...)
	next.Suitable = len(next.Failed) == 0
	next.FailedText = describeFailed(next.Failed)
	if !next.Suitable {
		next.Seats = 0
	}
	next.InspectedAt, next.InspectedBy, next.Inspected = clock.Stored(s.db.Now(ctx)), p.Username, true
	why, err := s.locked(ctx, y.Config, y.Year, cur.UnitCode)
	if err != nil {
		return Inspection{}, err
	}
	if err := needApproval(p, why, in.Reason); err != nil {
		return Inspection{}, err
	}
	if why != "" {
		next.LateReason = strings.TrimSpace(in.Reason)
	}
	if err := s.checkPlanned(ctx, y.Year, next); err != nil {
		return Inspection{}, err
	}
	q := s.db.Q(ctx)
	if _, err := q.ExecContext(ctx, `DELETE FROM venue_inspections WHERE year = $1 AND venue_code = $2`, y.Year, code); err != nil {
		return Inspection{}, err
	}
	if _, err := q.ExecContext(ctx, `DELETE FROM venue_room_capacity WHERE year = $1 AND venue_code = $2`, y.Year, code); err != nil {
		return Inspection{}, err
	}
	c := next.Checklist
	if _, err := q.ExecContext(ctx, `INSERT INTO venue_inspections (year, venue_code, inspected_at, inspected_by, spacing_cm, desk_width_cm, desk_depth_cm,
		one_direction, aired_lit, no_posters, no_other_activity, road_access, suitable, failed, seats, note, late_reason)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)`,
		y.Year, code, next.InspectedAt, next.InspectedBy, c.SpacingCM, c.DeskWidthCM, c.DeskDepthCM, c.OneDirection, c.AiredLit,
		c.NoPosters, c.NoOtherActivity, c.RoadAccess, next.Suitable, strings.Join(next.Failed, ","), next.Seats, next.Note, next.LateReason); err != nil {
		return Inspection{}, fmt.Errorf("venue: inspection: %w", err)
	}
	for _, r := range next.Rooms {
		if _, err := q.ExecContext(ctx, `INSERT INTO venue_room_capacity (year, room_id, venue_code, length_cm, width_cm, seats, usable) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
			y.Year, r.ID, code, r.LengthCM, r.WidthCM, r.Seats, r.Usable); err != nil {
			return Inspection{}, fmt.Errorf("venue: room capacity: %w", err)
		}
	}
	var before any
	if cur.Inspected {
		before = auditInspection(cur)
	}
	if err := audit.Add(ctx, p.Actor(), "inspect", objectInspection, fmt.Sprintf("%d/%s", y.Year, code), before, auditInspection(next)); err != nil {
		return Inspection{}, err
	}
	return next, nil
}

func auditInspection(v Inspection) map[string]any {
	rooms := map[string]int{}
	for _, r := range v.Rooms {
		rooms[fmt.Sprint(r.ID)] = r.Seats
	}
	out := map[string]any{"checklist": v.Checklist, "suitable": v.Suitable, "failed": v.Failed, "seats": v.Seats, "rooms": rooms}
	if v.LateReason != "" {
		out["approval_reason"] = v.LateReason
	}
	return out
}

// checkPlanned refuses an inspection that would leave a planned exam
// with more candidates in a venue or room than it now seats.
func (s *Service) checkPlanned(ctx context.Context, year int, next Inspection) error {
	type planned struct {
		session, n int
		exam       string
		room       int64
	}
	list, err := store.Select(ctx, s.db.Q(ctx), func(r store.Scanner) (planned, error) {
		var x planned
		err := r.Scan(&x.session, &x.exam, &x.room, &x.n)
		return x, err
	}, `SELECT session, exam, room_id, COUNT(*) FROM exam_seats WHERE year = $1 AND venue_code = $2 GROUP BY session, exam, room_id ORDER BY session, exam, room_id`, year, next.VenueCode)
	if err != nil {
		return fmt.Errorf("venue: planned seats: %w", err)
	}
	seats := map[int64]RoomInspection{}
	for _, r := range next.Rooms {
		seats[r.ID] = r
	}
	var problems []string
	for _, x := range list {
		r := seats[x.room]
		have := r.Seats
		if !r.Usable || !next.Suitable {
			have = 0
		}
		if x.n > have {
			problems = append(problems, fmt.Sprintf("Provimi %s (sesioni %d), salla «%s»: %d kandidatë të planifikuar, %d vende pas inspektimit.", x.exam, x.session, r.Name, x.n, have))
		}
	}
	if len(problems) > 0 {
		msg := fmt.Sprintf("Qendra %s (%s) do të kishte më pak vende se kandidatët që plani i ka caktuar atje.", next.VenueName, next.VenueCode)
		if !next.Suitable {
			msg = fmt.Sprintf("Qendra %s (%s) nuk plotëson: %s; por plani ka kandidatë atje.", next.VenueName, next.VenueCode, next.FailedText)
		}
		return &apperr.Error{Code: apperr.Conflict, Message: msg + " Zhvendosni më parë kandidatët ose rihartoni planin.", Details: problems}
	}
	return nil
}
