package venue

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"provim/internal/albanian"
	"provim/internal/apperr"
	"provim/internal/audit"
	"provim/internal/auth"
	"provim/internal/examyear"
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
}

// loadVenues reads venues (with rooms, inspection and capacities of year)
// whose unit is in units, or the one venue code.
func (s *Service) loadVenues(ctx context.Context, q querier, year int, units []string, code string) ([]Inspection, error) {
	var where string
	var args []any
	args = append(args, year)
	if code != "" {
		where = ` WHERE v.code = $2`
		args = append(args, code)
	} else {
		var ph []string
		for _, u := range units {
			args = append(args, u)
			ph = append(ph, fmt.Sprintf("$%d", len(args)))
		}
		if len(ph) == 0 {
			return nil, nil
		}
		where = ` WHERE v.unit_code IN (` + strings.Join(ph, ",") + `)`
	}
	rows, err := q.QueryContext(ctx, `SELECT v.code, v.name, v.unit_code, COALESCE(v.school_code, ''), COALESCE(sc.public, FALSE), v.city, v.address,
		COALESCE(i.inspected_at, ''), COALESCE(i.inspected_by, ''), COALESCE(i.spacing_cm, 0), COALESCE(i.desk_width_cm, 0), COALESCE(i.desk_depth_cm, 0),
		COALESCE(i.one_direction, FALSE), COALESCE(i.aired_lit, FALSE), COALESCE(i.no_posters, FALSE), COALESCE(i.no_other_activity, FALSE),
		COALESCE(i.road_access, FALSE), COALESCE(i.suitable, FALSE), COALESCE(i.failed, ''), COALESCE(i.seats, 0), COALESCE(i.note, ''), COALESCE(i.late_reason, ''),
		COALESCE(r.id, 0), COALESCE(r.name, ''), COALESCE(r.floor, 0), COALESCE(r.seats, 0), COALESCE(c.length_cm, r.length_cm, 0), COALESCE(c.width_cm, r.width_cm, 0),
		COALESCE(c.seats, 0), COALESCE(c.usable, FALSE)
		FROM venues v
		LEFT JOIN schools sc ON sc.code = v.school_code
		LEFT JOIN venue_inspections i ON i.venue_code = v.code AND i.year = $1
		LEFT JOIN rooms r ON r.venue_code = v.code
		LEFT JOIN venue_room_capacity c ON c.room_id = r.id AND c.year = $1`+where+`
		ORDER BY v.code, r.floor, r.name, r.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("venue: venues: %w", err)
	}
	defer rows.Close()
	var out []Inspection
	for rows.Next() {
		var v Inspection
		var failed string
		var r RoomInspection
		if err := rows.Scan(&v.VenueCode, &v.VenueName, &v.UnitCode, &v.SchoolCode, &v.Public, &v.City, &v.Address,
			&v.InspectedAt, &v.InspectedBy, &v.Checklist.SpacingCM, &v.Checklist.DeskWidthCM, &v.Checklist.DeskDepthCM,
			&v.Checklist.OneDirection, &v.Checklist.AiredLit, &v.Checklist.NoPosters, &v.Checklist.NoOtherActivity,
			&v.Checklist.RoadAccess, &v.Suitable, &failed, &v.Seats, &v.Note, &v.LateReason,
			&r.ID, &r.Name, &r.Floor, &r.Declared, &r.LengthCM, &r.WidthCM, &r.Seats, &r.Usable); err != nil {
			return nil, fmt.Errorf("venue: venues: %w", err)
		}
		if len(out) == 0 || out[len(out)-1].VenueCode != v.VenueCode {
			v.Year = year
			v.Inspected = v.InspectedAt != ""
			v.Failed = []string{}
			if failed != "" {
				v.Failed = strings.Split(failed, ",")
			}
			v.FailedText = describeFailed(v.Failed)
			v.Rooms = []RoomInspection{}
			out = append(out, v)
		}
		if r.ID != 0 {
			cur := &out[len(out)-1]
			cur.Rooms = append(cur.Rooms, r)
		}
	}
	return out, rows.Err()
}

type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
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
	list, err := s.loadVenues(ctx, s.db, y.Year, units, "")
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
	list, err := s.loadVenues(ctx, s.db, y.Year, nil, code)
	if err != nil {
		return Inspection{}, err
	}
	units, err := loadUnits(ctx, s.db)
	if err != nil {
		return Inspection{}, err
	}
	if len(list) == 0 || !s.canRead(p, units, list[0]) {
		return Inspection{}, apperr.New(apperr.NotFound, "Qendra e provimit «%s» nuk u gjet.", code)
	}
	return list[0], nil
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
func (s *Service) locked(ctx context.Context, q querier, cfg examyear.Config, year int, unitCode string, now time.Time) (string, error) {
	if err := cfg.CheckDeadline(examyear.KeyVenueInspection, now); err != nil {
		return apperr.MessageOf(err), nil
	}
	var sent string
	err := q.QueryRowContext(ctx, `SELECT sent_at FROM venue_lists WHERE year = $1 AND unit_code = $2`, year, unitCode).Scan(&sent)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("venue: venue list: %w", err)
	}
	return "Lista e mjediseve të DAR/ZA-së " + unitCode + " është dërguar më " + albanian.DateString(sent[:min(len(sent), 10)]) + ".", nil
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
	cur, err := s.Inspection(ctx, p, code)
	if err != nil {
		return Inspection{}, err
	}
	units, err := loadUnits(ctx, s.db)
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
	now := s.now()
	next.InspectedAt, next.InspectedBy, next.Inspected = now.UTC().Format(time.RFC3339), p.Username, true
	err = s.inTx(ctx, func(tx *sql.Tx, chain *audit.Chain) error {
		why, err := s.locked(ctx, tx, y.Config, y.Year, cur.UnitCode, now)
		if err != nil {
			return err
		}
		if err := needApproval(p, why, in.Reason); err != nil {
			return err
		}
		if why != "" {
			next.LateReason = strings.TrimSpace(in.Reason)
		}
		if err := checkPlanned(ctx, tx, y.Year, next); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM venue_inspections WHERE year = $1 AND venue_code = $2`, y.Year, code); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM venue_room_capacity WHERE year = $1 AND venue_code = $2`, y.Year, code); err != nil {
			return err
		}
		c := next.Checklist
		if _, err := tx.ExecContext(ctx, `INSERT INTO venue_inspections (year, venue_code, inspected_at, inspected_by, spacing_cm, desk_width_cm, desk_depth_cm,
			one_direction, aired_lit, no_posters, no_other_activity, road_access, suitable, failed, seats, note, late_reason)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)`,
			y.Year, code, next.InspectedAt, next.InspectedBy, c.SpacingCM, c.DeskWidthCM, c.DeskDepthCM, c.OneDirection, c.AiredLit,
			c.NoPosters, c.NoOtherActivity, c.RoadAccess, next.Suitable, strings.Join(next.Failed, ","), next.Seats, next.Note, next.LateReason); err != nil {
			return fmt.Errorf("venue: inspection: %w", err)
		}
		for _, r := range next.Rooms {
			if _, err := tx.ExecContext(ctx, `INSERT INTO venue_room_capacity (year, room_id, venue_code, length_cm, width_cm, seats, usable) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
				y.Year, r.ID, code, r.LengthCM, r.WidthCM, r.Seats, r.Usable); err != nil {
				return fmt.Errorf("venue: room capacity: %w", err)
			}
		}
		var before any
		if cur.Inspected {
			before = auditInspection(cur)
		}
		return chain.Add(ctx, p.Actor(), "inspect", objectInspection, fmt.Sprintf("%d/%s", y.Year, code), before, auditInspection(next))
	})
	if err != nil {
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
func checkPlanned(ctx context.Context, q querier, year int, next Inspection) error {
	rows, err := q.QueryContext(ctx, `SELECT session, exam, room_id, COUNT(*) FROM exam_seats WHERE year = $1 AND venue_code = $2 GROUP BY session, exam, room_id ORDER BY session, exam, room_id`, year, next.VenueCode)
	if err != nil {
		return fmt.Errorf("venue: planned seats: %w", err)
	}
	defer rows.Close()
	seats := map[int64]RoomInspection{}
	for _, r := range next.Rooms {
		seats[r.ID] = r
	}
	var problems []string
	for rows.Next() {
		var session, n int
		var exam string
		var room int64
		if err := rows.Scan(&session, &exam, &room, &n); err != nil {
			return err
		}
		r := seats[room]
		have := r.Seats
		if !r.Usable || !next.Suitable {
			have = 0
		}
		if n > have {
			problems = append(problems, fmt.Sprintf("Provimi %s (sesioni %d), salla «%s»: %d kandidatë të planifikuar, %d vende pas inspektimit.", exam, session, r.Name, n, have))
		}
	}
	if err := rows.Err(); err != nil {
		return err
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

// ListStatus is a unit's venue list (Neni 41 ¶1).
type ListStatus struct {
	Unit     string `json:"unit_code"`
	SentAt   string `json:"sent_at"`
	SentBy   string `json:"sent_by"`
	Venues   int    `json:"venues"`
	Deadline string `json:"deadline"`
}

// SendList sends the venue list of a unit (a DAR with its ZA) to MASH,
// AVA and the school commissions by the calendar's date, 10 May (Neni 41
// ¶1): every venue of the units must have been inspected, and at least
// one found suitable. After it is sent, changes need AVA's approval. Past
// the date the KMSH is refused; AVA may record it with a reason.
func (s *Service) SendList(ctx context.Context, p *auth.Principal, unitCode, reason string) (ListStatus, error) {
	units, all, err := s.scopeUnits(ctx, p, unitCode)
	if err != nil {
		return ListStatus{}, err
	}
	if strings.TrimSpace(unitCode) == "" {
		return ListStatus{}, apperr.New(apperr.Invalid, "Zgjidhni DAR/ZA-në.")
	}
	y, err := s.year(ctx)
	if err != nil {
		return ListStatus{}, err
	}
	now := s.now()
	if err := y.Config.CheckDeadline(examyear.KeyVenueLists, now); err != nil {
		if err := needApproval(p, apperr.MessageOf(err), reason); err != nil {
			return ListStatus{}, err
		}
	}
	list, err := s.loadVenues(ctx, s.db, y.Year, units, "")
	if err != nil {
		return ListStatus{}, err
	}
	var missing []string
	suitable := 0
	for _, v := range list {
		if !v.Inspected {
			missing = append(missing, fmt.Sprintf("%s (%s)", v.VenueName, v.VenueCode))
		}
		if v.Suitable {
			suitable++
		}
	}
	if len(missing) > 0 {
		return ListStatus{}, &apperr.Error{Code: apperr.Invalid, Message: fmt.Sprintf("%d qendra të DAR/ZA-së %s nuk janë inspektuar ende (Neni 37).", len(missing), all[unitCode].Name), Details: missing}
	}
	if suitable == 0 {
		return ListStatus{}, apperr.New(apperr.Invalid, "DAR/ZA %s nuk ka asnjë qendër të përshtatshme (Neni 38).", all[unitCode].Name)
	}
	st := ListStatus{Unit: unitCode, SentAt: now.UTC().Format(time.RFC3339), SentBy: p.Username, Venues: suitable}
	err = s.inTx(ctx, func(tx *sql.Tx, chain *audit.Chain) error {
		for _, u := range units {
			if _, err := tx.ExecContext(ctx, `DELETE FROM venue_lists WHERE year = $1 AND unit_code = $2`, y.Year, u); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO venue_lists (year, unit_code, sent_at, sent_by, venues) VALUES ($1, $2, $3, $4, $5)`,
				y.Year, u, st.SentAt, st.SentBy, suitable); err != nil {
				return fmt.Errorf("venue: send list: %w", err)
			}
		}
		after := map[string]any{"units": units, "venues": suitable}
		if reason != "" {
			after["reason"] = reason
		}
		return chain.Add(ctx, p.Actor(), "send", "venue_list", fmt.Sprintf("%d/%s", y.Year, unitCode), nil, after)
	})
	return st, err
}

// ListStatusOf returns whether a unit's venue list has been sent.
func (s *Service) ListStatusOf(ctx context.Context, p *auth.Principal, unitCode string) (ListStatus, error) {
	if _, _, err := s.scopeUnits(ctx, p, unitCode); err != nil {
		return ListStatus{}, err
	}
	y, err := s.year(ctx)
	if err != nil {
		return ListStatus{}, err
	}
	st := ListStatus{Unit: unitCode}
	if d, ok := y.Config.Deadline(examyear.KeyVenueLists); ok {
		st.Deadline = d.Date
	}
	err = s.db.QueryRowContext(ctx, `SELECT sent_at, sent_by, venues FROM venue_lists WHERE year = $1 AND unit_code = $2`, y.Year, unitCode).Scan(&st.SentAt, &st.SentBy, &st.Venues)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return ListStatus{}, fmt.Errorf("venue: list status: %w", err)
	}
	return st, nil
}
