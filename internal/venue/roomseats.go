package venue

import (
	"context"
	"fmt"
	"strings"

	"provim/internal/apperr"
	"provim/internal/audit"
	"provim/internal/auth"
	"provim/internal/clock"
	"provim/internal/registry"
	"provim/internal/store"
)

// A room's seats after the inspection (Neni 41 ¶2, issue 9 item 11): on
// the eve of an exam a room may lose seats (a broken window, desks taken
// away). After the region's venue list is sent only AVA changes them, and
// always with a reason kept in the room's history and the audit log; a
// room never gets fewer seats than the candidates the plan has seated in
// it, nor more than its dimensions allow (Neni 38.2, 38.7).

// RoomSeatsInput changes the seats of one room, named as people name it.
type RoomSeatsInput struct {
	Room   string `json:"room"`
	Seats  int    `json:"seats"`
	Reason string `json:"reason"`
}

// RoomChange is one change of a room's seats after its inspection.
type RoomChange struct {
	Room   string `json:"room"`
	Before int    `json:"seats_before"`
	After  int    `json:"seats_after"`
	Reason string `json:"reason"`
	By     string `json:"changed_by"`
	At     string `json:"changed_at"`
}

// seatedInRoom is the most candidates the plan seats in a room at one
// time (an exam with those held at the same time, Neni 14.3), and which
// exam that is.
func (s *Service) seatedInRoom(ctx context.Context, year int, roomID int64) (int, string, error) {
	type count struct {
		session, n int
		exam       string
	}
	list, err := store.Select(ctx, s.db.Q(ctx), func(r store.Scanner) (count, error) {
		var c count
		return c, r.Scan(&c.session, &c.exam, &c.n)
	}, `SELECT session, exam, COUNT(*) FROM exam_seats WHERE year = $1 AND room_id = $2 GROUP BY session, exam`, year, roomID)
	if err != nil {
		return 0, "", fmt.Errorf("venue: seated in room: %w", err)
	}
	if len(list) == 0 {
		return 0, "", nil
	}
	y, err := s.year(ctx)
	if err != nil {
		return 0, "", err
	}
	by := map[string]int{}
	for _, c := range list {
		by[fmt.Sprintf("%d/%s", c.session, c.exam)] = c.n
	}
	most, which := 0, ""
	for _, c := range list {
		n := c.n
		for _, o := range overlapping(y.Config, c.exam, c.session) {
			n += by[fmt.Sprintf("%d/%s", c.session, o)]
		}
		if n > most || (n == most && c.exam < which) {
			most, which = n, c.exam
		}
	}
	return most, which, nil
}

// seatedError is the refusal of fewer seats than candidates seated.
func seatedError(room, venueName string, seated int, exam string) error {
	return apperr.New(apperr.Conflict, "Salla «%s» e qendrës %s ka %s të vendosur për provimin %s: vendet e saj nuk mund të jenë më pak se kaq. Zhvendosni më parë kandidatët në një sallë tjetër (Neni 41).",
		room, venueName, candidates(seated), exam)
}

// SetRoomSeats changes the seats of a room of an inspected venue: AVA or
// the KMSH of its unit, with a reason; after the venue list is sent (or
// the inspection date has passed) AVA only (Neni 41 ¶2). Never below the
// candidates seated there, never above what its dimensions allow; a room
// under 15 seats is no longer used (Neni 38.1).
func (s *Service) SetRoomSeats(ctx context.Context, p *auth.Principal, code string, in RoomSeatsInput) (Inspection, error) {
	if err := auth.Require(p, auth.RoleAVA, auth.RoleKMSH); err != nil {
		return Inspection{}, err
	}
	reason := strings.TrimSpace(in.Reason)
	y, err := s.year(ctx)
	if err != nil {
		return Inspection{}, err
	}
	err = s.db.InTx(ctx, func(ctx context.Context) error {
		cur, err := s.Inspection(ctx, p, code)
		if err != nil {
			return err
		}
		units, err := s.loadUnits(ctx)
		if err != nil {
			return err
		}
		if !inScope(p, units, cur.UnitCode) {
			return apperr.New(apperr.NotFound, "Qendra e provimit «%s» nuk u gjet.", code)
		}
		// Neni 41 ¶2 first: a KMSH after the list is sent is told so
		// whatever it asked.
		why, err := s.locked(ctx, y.Config, y.Year, cur.UnitCode)
		if err != nil {
			return err
		}
		if why != "" && p.Role != auth.RoleAVA {
			return apperr.New(apperr.Forbidden, "%s Vendet e një salle tani i ndryshon vetëm AVA, duke shënuar arsyen (Neni 41).", why)
		}
		if reason == "" {
			return apperr.New(apperr.Invalid, "Shënoni arsyen e ndryshimit të vendeve të sallës: ruhet në historinë e qendrës (Neni 41).")
		}
		if !cur.Inspected {
			return apperr.New(apperr.Invalid, "Qendra %s nuk është inspektuar ende këtë vit: vendet e sallave i jep inspektimi (Neni 37–38).", cur.VenueName)
		}
		idx := -1
		var names []string
		for i, r := range cur.Rooms {
			if foldName(r.Name) == foldName(in.Room) {
				idx = i
			}
			names = append(names, r.Name)
		}
		if idx < 0 {
			return apperr.New(apperr.Invalid, "Qendra %s (%s) nuk ka sallë me emrin «%s». Sallat e saj: %s.", cur.VenueName, cur.VenueCode, strings.TrimSpace(in.Room), strings.Join(names, ", "))
		}
		room := cur.Rooms[idx]
		if in.Seats < 0 {
			return apperr.New(apperr.Invalid, "Numri i vendeve nuk mund të jetë negativ.")
		}
		if most := RoomSeats(room.LengthCM, room.WidthCM, room.Declared, cur.Checklist); in.Seats > most {
			return apperr.New(apperr.Invalid, "Salla «%s» mban më së shumti %d vende sipas përmasave, bankave dhe largësisë ndërmjet nxënësve (Neni 38.2, 38.7).", room.Name, most)
		}
		seated, exam, err := s.seatedInRoom(ctx, y.Year, room.ID)
		if err != nil {
			return err
		}
		if in.Seats < seated {
			return seatedError(room.Name, cur.VenueName, seated, exam)
		}
		if in.Seats == room.Seats {
			return apperr.New(apperr.Invalid, "Salla «%s» ka tashmë %d vende.", room.Name, in.Seats)
		}
		before := room.Seats
		room.Seats, room.Usable = in.Seats, in.Seats >= MinRoomSeats
		cur.Rooms[idx] = room
		usable, total := 0, 0
		for _, r := range cur.Rooms {
			if r.Usable {
				usable++
				total += r.Seats
			}
		}
		failed := failedCriteria(cur.Checklist, usable)
		suitable := len(failed) == 0
		if !suitable {
			total = 0
		}
		q := s.db.Q(ctx)
		if _, err := q.ExecContext(ctx, `UPDATE venue_room_capacity SET seats = $1, usable = $2 WHERE year = $3 AND room_id = $4`,
			room.Seats, room.Usable, y.Year, room.ID); err != nil {
			return fmt.Errorf("venue: room seats: %w", err)
		}
		if _, err := q.ExecContext(ctx, `UPDATE venue_inspections SET seats = $1, suitable = $2, failed = $3 WHERE year = $4 AND venue_code = $5`,
			total, suitable, strings.Join(failed, ","), y.Year, cur.VenueCode); err != nil {
			return fmt.Errorf("venue: room seats: %w", err)
		}
		at := clock.Stored(s.db.Now(ctx))
		if _, err := q.ExecContext(ctx, `INSERT INTO venue_room_changes (year, venue_code, room_id, seats_before, seats_after, reason, changed_by, changed_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, y.Year, cur.VenueCode, room.ID, before, room.Seats, reason, p.Username, at); err != nil {
			return fmt.Errorf("venue: room seats: %w", err)
		}
		return audit.Add(ctx, p.Actor(), "room_seats", objectInspection, fmt.Sprintf("%d/%s", y.Year, cur.VenueCode),
			map[string]any{"room": room.Name, "room_id": room.ID, "seats": before},
			map[string]any{"room": room.Name, "room_id": room.ID, "seats": room.Seats, "reason": reason, "venue_seats": total})
	})
	if err != nil {
		return Inspection{}, err
	}
	return s.Inspection(ctx, p, code)
}

// roomChanges returns the changes of a venue's rooms' seats in the year,
// oldest first.
func (s *Service) roomChanges(ctx context.Context, year int, v Inspection) ([]RoomChange, error) {
	names := map[int64]string{}
	for _, r := range v.Rooms {
		names[r.ID] = r.Name
	}
	type row struct {
		room int64
		c    RoomChange
	}
	list, err := store.Select(ctx, s.db.Q(ctx), func(r store.Scanner) (row, error) {
		var x row
		return x, r.Scan(&x.room, &x.c.Before, &x.c.After, &x.c.Reason, &x.c.By, &x.c.At)
	}, `SELECT room_id, seats_before, seats_after, reason, changed_by, changed_at FROM venue_room_changes WHERE year = $1 AND venue_code = $2 ORDER BY changed_at, id`,
		year, v.VenueCode)
	if err != nil {
		return nil, fmt.Errorf("venue: room changes: %w", err)
	}
	out := make([]RoomChange, len(list))
	for i, x := range list {
		x.c.Room = names[x.room]
		out[i] = x.c
	}
	return out, nil
}

// GuardRoomEdit applies the same rule to a room edited in the registry
// (its desks or dimensions, from which the inspection counts its seats):
// after the venue list is sent (or the inspection date has passed) nobody
// changes them there, AVA does it with a reason on the venue's inspection
// (Neni 41 ¶2); and a room never gets fewer desks than the candidates
// seated in it. wire.New sets it as the registry's room guard; the
// registry calls it only for a venue in the caller's scope.
func (s *Service) GuardRoomEdit(ctx context.Context, p *auth.Principal, venueCode string, old, next registry.Room) error {
	changed := old.Seats != next.Seats || (next.LengthCM != 0 && next.LengthCM != old.LengthCM) || (next.WidthCM != 0 && next.WidthCM != old.WidthCM)
	if !changed {
		return nil
	}
	y, err := s.year(ctx)
	if err != nil {
		return nil // no active year: nothing planned, nothing sent
	}
	sites, err := s.reg.VenueSitesByCode(ctx, []string{venueCode})
	if err != nil {
		return fmt.Errorf("venue: room guard: %w", err)
	}
	if len(sites) == 0 {
		return nil
	}
	why, err := s.locked(ctx, y.Config, y.Year, sites[0].UnitCode)
	if err != nil {
		return err
	}
	if why != "" {
		return apperr.New(apperr.Forbidden, "%s Bankat dhe përmasat e sallës «%s» nuk ndryshohen më në regjistër: vendet e një salle tani i ndryshon vetëm AVA, me arsye, te inspektimi i qendrës (Neni 41).", why, old.Name)
	}
	seated, exam, err := s.seatedInRoom(ctx, y.Year, old.ID)
	if err != nil {
		return err
	}
	if next.Seats < seated {
		return seatedError(old.Name, sites[0].Name, seated, exam)
	}
	return nil
}

// SeatsLocked says why the principal may no longer change the seats of a
// venue's rooms (the venue list is sent or the inspection date has
// passed, and only AVA may, Neni 41 ¶2); "" when they may. The page
// disables its form before anyone fills it in; SetRoomSeats refuses
// anyway.
func (s *Service) SeatsLocked(ctx context.Context, p *auth.Principal, v Inspection) (string, error) {
	if !MayInspect(p) {
		return "", nil
	}
	if p.Role == auth.RoleAVA {
		return "", nil
	}
	y, err := s.year(ctx)
	if err != nil {
		return "", err
	}
	why, err := s.locked(ctx, y.Config, y.Year, v.UnitCode)
	if err != nil || why == "" {
		return "", err
	}
	return why + " Vendet e një salle tani i ndryshon vetëm AVA, duke shënuar arsyen (Neni 41).", nil
}
