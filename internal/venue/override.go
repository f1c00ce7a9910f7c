package venue

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"

	"provim/internal/apperr"
	"provim/internal/audit"
	"provim/internal/auth"
	"provim/internal/store"
)

// OverrideInput moves candidates of an exam's plan: the listed students,
// or every candidate of a school, to a venue (and a room, or the rooms
// with free seats in order).
type OverrideInput struct {
	// RegNos are the candidates by their registration numbers on the
	// exam's final list (Neni 34): what people type (issue 11 part C).
	RegNos     []string `json:"reg_nos,omitempty"`
	StudentIDs []int64  `json:"student_ids,omitempty"`
	School     string   `json:"school"`
	Venue      string   `json:"venue"`
	// Room is the room by its name in the venue ("Salla 1"); RoomID the
	// same by its id. A name the venue has no room of is refused.
	Room   string `json:"room,omitempty"`
	RoomID int64  `json:"room_id,omitempty"`
	Reason string `json:"reason"`
}

// OverrideResult is what a move did: how many candidates moved, what had
// been made on the plan as it was and is now stale (the staff draw of
// which DAR/ZA, the packages of which venues), and how many notices went
// to the students and the venues' staff.
type OverrideResult struct {
	Moved       int      `json:"moved"`
	Venue       string   `json:"venue"`
	VenueName   string   `json:"venue_name"`
	Invalidates []string `json:"invalidates"`
	Notified    int      `json:"notified"`
}

// Override lets the KMSH (or AVA) change any placement of a plan, with a
// reason that is stored on the seat and in the audit log. The rules still
// hold: the venue must be suitable and in the caller's scope, its rooms'
// seats are never exceeded, candidates of non-public schools sit only in
// public schools' buildings (Neni 39) and electives only in the DAR/ZA's
// city (Neni 40). The rooms touched are renumbered alphabetically.
func (s *Service) Override(ctx context.Context, p *auth.Principal, exam string, session int, in OverrideInput) (int, error) {
	res, err := s.Move(ctx, p, exam, session, in)
	return res.Moved, err
}

// Move is Override answering what it did (OverrideResult): the moved
// candidates, what the move makes stale and the notices it wrote.
func (s *Service) Move(ctx context.Context, p *auth.Principal, exam string, session int, in OverrideInput) (OverrideResult, error) {
	return s.move1(ctx, p, exam, session, in, false)
}

// PreviewMove answers what Move would do, changing nothing: the page asks
// for confirmation when the move makes a draw or packages stale.
func (s *Service) PreviewMove(ctx context.Context, p *auth.Principal, exam string, session int, in OverrideInput) (OverrideResult, error) {
	return s.move1(ctx, p, exam, session, in, true)
}

// move1 is Move; a dry run rolls its transaction back.
func (s *Service) move1(ctx context.Context, p *auth.Principal, exam string, session int, in OverrideInput, dry bool) (OverrideResult, error) {
	exam = normExam(exam)
	if err := auth.Require(p, auth.RoleAVA, auth.RoleKMSH); err != nil {
		return OverrideResult{}, err
	}
	reason := strings.TrimSpace(in.Reason)
	if reason == "" {
		return OverrideResult{}, apperr.New(apperr.Invalid, "Shënoni arsyen e ndryshimit të vendosjes.")
	}
	y, err := s.year(ctx)
	if err != nil {
		return OverrideResult{}, err
	}
	kind, day, name, err := examOf(y.Config, exam, session)
	if err != nil {
		return OverrideResult{}, err
	}
	var res OverrideResult
	err = s.db.InTx(ctx, func(ctx context.Context) error {
		if err := beforeExam(day, exam, s.db.Now(ctx)); err != nil {
			return err
		}
		units, err := s.loadUnits(ctx)
		if err != nil {
			return err
		}
		target, err := s.loadVenues(ctx, y.Year, nil, strings.TrimSpace(in.Venue))
		if err != nil {
			return err
		}
		if len(target) == 0 || !inScope(p, units, target[0].UnitCode) {
			return apperr.New(apperr.NotFound, "Qendra e provimit «%s» nuk u gjet.", in.Venue)
		}
		v := target[0]
		res.Venue, res.VenueName = v.VenueCode, v.VenueName
		if in.Room != "" {
			id, err := roomByName(v, in.Room)
			if err != nil {
				return err
			}
			if in.RoomID != 0 && in.RoomID != id {
				return apperr.New(apperr.Invalid, "Salla «%s» dhe salla e zgjedhur me numër nuk janë e njëjta: zgjidhni sallën vetëm me emër.", in.Room)
			}
			in.RoomID = id
		}
		if len(in.RegNos) > 0 {
			ids, err := s.apps.FinalStudentsByRegNo(ctx, y.Year, exam, in.RegNos)
			if err != nil {
				return err
			}
			for _, r := range in.RegNos {
				in.StudentIDs = append(in.StudentIDs, ids[strings.TrimSpace(r)])
			}
		}
		if !v.Inspected {
			return apperr.New(apperr.Invalid, "Qendra %s (%s) nuk është inspektuar për këtë vit (Neni 37).", v.VenueName, v.VenueCode)
		}
		if !v.Suitable {
			return apperr.New(apperr.Invalid, "Qendra %s (%s) nuk mund të përdoret: nuk plotëson %s.", v.VenueName, v.VenueCode, v.FailedText)
		}
		movers, err := s.movers(ctx, p, y.Year, session, exam, in, units)
		if err != nil {
			return err
		}
		for _, m := range movers {
			if !m.public && !v.Public {
				return apperr.New(apperr.Invalid, "%s është nxënës i një shkolle jopublike: provimin e jep vetëm në mjedisin e një shkolle publike (Neni 39); %s nuk është e tillë.", m.fullName, v.VenueName)
			}
			if kind == "Z" && !sameCity(v.City, units[m.unit].City) {
				return apperr.New(apperr.Invalid, "Provimet me zgjedhje zhvillohen vetëm në qytetin e DAR/ZA-së (%s), jo në %s (Neni 40).", units[m.unit].City, v.City)
			}
			if !inScope(p, units, m.unit) {
				return apperr.New(apperr.NotFound, "Kandidatët nuk u gjetën në planin e provimit %s.", exam)
			}
		}
		res.Moved = len(movers)
		rooms, err := s.move(ctx, p, y.Year, session, exam, v, in.RoomID, reason, movers)
		if err != nil {
			return err
		}
		if err := s.afterMove(ctx, p, y.Year, session, exam, name, day, v, reason, movers, rooms, units, &res); err != nil {
			return err
		}
		if dry {
			return errDryRun
		}
		return nil
	})
	if dry && errors.Is(err, errDryRun) {
		return res, nil
	}
	if err != nil {
		return OverrideResult{}, err
	}
	return res, nil
}

// mover is a candidate an override moves, where they sit now.
type mover struct {
	id             int64
	venue, school  string
	room           int64
	public         bool
	unit, fullName string
	sortKey        []byte
}

// movers returns the candidates of an override on the exam's plan and in
// the caller's scope, in Albanian alphabetical order: the students listed,
// or every candidate now in the school.
func (s *Service) movers(ctx context.Context, p *auth.Principal, year, session int, exam string, in OverrideInput, units map[string]unit) ([]mover, error) {
	var ids []int64
	switch {
	case in.School != "":
		var err error
		if ids, err = s.reg.StudentIDsOfSchool(ctx, in.School); err != nil {
			return nil, fmt.Errorf("venue: override: %w", err)
		}
	case len(in.StudentIDs) > 0:
		seen := map[int64]bool{}
		for _, id := range in.StudentIDs {
			if !seen[id] {
				seen[id] = true
				ids = append(ids, id)
			}
		}
	default:
		return nil, apperr.New(apperr.Invalid, "Zgjidhni kandidatët ose shkollën që zhvendosen.")
	}
	var seats []mover
	for _, part := range store.Chunks(ids, chunk) {
		q := planQuery("", year, session, exam)
		addIn(&q, "student_id", part)
		got, err := store.Select(ctx, s.db.Q(ctx), func(r store.Scanner) (mover, error) {
			var m mover
			err := r.Scan(&m.id, &m.venue, &m.room)
			return m, err
		}, `SELECT student_id, venue_code, room_id FROM exam_seats`+q.Where(), q.Args()...)
		if err != nil {
			return nil, fmt.Errorf("venue: override: %w", err)
		}
		seats = append(seats, got...)
	}
	seated := make([]int64, len(seats))
	for i, m := range seats {
		seated[i] = m.id
	}
	students, err := s.reg.ListedStudents(ctx, seated)
	if err != nil {
		return nil, fmt.Errorf("venue: override: %w", err)
	}
	codes := make([]string, 0, len(students))
	for _, st := range students {
		codes = append(codes, st.SchoolCode)
	}
	schools, err := s.reg.SchoolsByCode(ctx, codes)
	if err != nil {
		return nil, fmt.Errorf("venue: override: %w", err)
	}
	var movers []mover
	for _, m := range seats {
		st, ok := students[m.id]
		if !ok {
			continue
		}
		sc, ok := schools[st.SchoolCode]
		if !ok || !inScope(p, units, sc.UnitCode) || (in.School != "" && st.SchoolCode != in.School) {
			continue
		}
		m.school, m.public, m.unit, m.fullName, m.sortKey = st.SchoolCode, sc.Public, sc.UnitCode, st.FirstName+" "+st.LastName, st.SortKey
		movers = append(movers, m)
	}
	sort.SliceStable(movers, func(i, j int) bool {
		if c := bytes.Compare(movers[i].sortKey, movers[j].sortKey); c != 0 {
			return c < 0
		}
		return movers[i].id < movers[j].id
	})
	if len(movers) == 0 || (len(in.StudentIDs) > 0 && in.School == "" && len(movers) != len(in.StudentIDs)) {
		return nil, apperr.New(apperr.NotFound, "Kandidatët nuk u gjetën në planin e provimit %s.", exam)
	}
	return movers, nil
}

// move seats the movers in the venue v (in room, or its usable rooms with
// free seats in order), audits each move with its reason, renumbers the
// rooms touched and recounts the schools' groupings.
func (s *Service) move(ctx context.Context, p *auth.Principal, year, session int, exam string, v Inspection, roomID int64, reason string, movers []mover) (map[int64]int64, error) {
	tx := s.db.Q(ctx)
	placed := map[int64]int64{}
	// Free seats per usable room of the target, after those who leave.
	free := map[int64]int{}
	var order []RoomInspection
	for _, r := range v.Rooms {
		if r.Usable && (roomID == 0 || roomID == r.ID) {
			free[r.ID] = r.Seats
			order = append(order, r)
		}
	}
	if roomID != 0 && len(order) == 0 {
		return nil, apperr.New(apperr.NotFound, "Salla %d nuk është sallë e përdorshme e qendrës %s.", roomID, v.VenueCode)
	}
	type roomCount struct {
		room int64
		n    int
	}
	// The seats of the exam and of those held at the same time (Neni
	// 14.3), of candidates still on their final lists.
	y, err := s.year(ctx)
	if err != nil {
		return nil, err
	}
	w := store.Query{}
	w.Add("es.year = ?", year)
	w.Add("es.session = ?", session)
	addIn(&w, "es.exam", append([]string{exam}, overlapping(y.Config, exam, session)...))
	w.Add("es.venue_code = ?", v.VenueCode)
	counts, err := store.Select(ctx, tx, func(r store.Scanner) (roomCount, error) {
		var c roomCount
		err := r.Scan(&c.room, &c.n)
		return c, err
	}, `SELECT es.room_id, COUNT(*) FROM exam_seats es`+listedJoinOf(session)+w.Where()+` GROUP BY es.room_id`, w.Args()...)
	if err != nil {
		return nil, fmt.Errorf("venue: override: %w", err)
	}
	for _, c := range counts {
		if _, ok := free[c.room]; ok {
			free[c.room] -= c.n
		}
	}
	for _, m := range movers {
		if _, ok := free[m.room]; ok && m.venue == v.VenueCode {
			free[m.room]++
		}
	}
	total := 0
	for _, r := range order {
		total += max(free[r.ID], 0)
	}
	if total < len(movers) {
		where := fmt.Sprintf("Qendra %s (%s)", v.VenueName, v.VenueCode)
		if roomID != 0 {
			where += fmt.Sprintf(", salla «%s»", order[0].Name)
		}
		return nil, apperr.New(apperr.Conflict, "%s ka %d vende të lira për provimin %s, por po zhvendosen %d kandidatë.", where, total, exam, len(movers))
	}
	touched := map[int64]bool{}
	for _, m := range movers {
		var room int64
		if _, ok := free[m.room]; ok && m.venue == v.VenueCode {
			room = m.room // already in a chosen room: stays
			free[room]--
		} else {
			for _, r := range order {
				if free[r.ID] > 0 {
					room = r.ID
					free[r.ID]--
					break
				}
			}
		}
		touched[m.room], touched[room] = true, true
		// The seat is moved only from where it was read: if the plan was
		// replaced meanwhile, nothing is moved and the caller retries.
		res, err := tx.ExecContext(ctx, `UPDATE exam_seats SET venue_code = $1, room_id = $2, override_reason = $3
			WHERE year = $4 AND session = $5 AND exam = $6 AND student_id = $7 AND venue_code = $8 AND room_id = $9`,
			v.VenueCode, room, reason, year, session, exam, m.id, m.venue, m.room)
		if err != nil {
			return nil, fmt.Errorf("venue: override: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			return nil, apperr.New(apperr.Conflict, "Plani i provimit %s ndryshoi ndërkohë (%s): hapeni përsëri dhe provoni prapë.", exam, m.fullName)
		}
		if err := audit.Add(ctx, p.Actor(), "override", objectPlan, fmt.Sprintf("%d/%d/%s/%d", year, session, exam, m.id),
			map[string]any{"venue": m.venue, "room_id": m.room}, map[string]any{"venue": v.VenueCode, "room_id": room, "reason": reason}); err != nil {
			return nil, err
		}
		placed[m.id] = room
	}
	for room := range touched {
		if err := s.renumber(ctx, year, session, exam, room); err != nil {
			return nil, err
		}
	}
	return placed, s.regroup(ctx, year, session, exam, p, reason, func() []string {
		seen := map[string]bool{}
		var out []string
		for _, m := range movers {
			if !seen[m.school] {
				seen[m.school] = true
				out = append(out, m.school)
			}
		}
		return out
	}())
}

// renumber gives a room's seats their line on the alphabetical list.
func (s *Service) renumber(ctx context.Context, year, session int, exam string, room int64) error {
	tx := s.db.Q(ctx)
	q := planQuery("", year, session, exam)
	q.Add("room_id = ?", room)
	ids, err := store.Select(ctx, tx, scanID, `SELECT student_id FROM exam_seats`+q.Where(), q.Args()...)
	if err != nil {
		return fmt.Errorf("venue: renumber: %w", err)
	}
	keys, err := s.reg.StudentSortKeys(ctx, ids)
	if err != nil {
		return fmt.Errorf("venue: renumber: %w", err)
	}
	sort.SliceStable(ids, func(i, j int) bool {
		if c := bytes.Compare(keys[ids[i]], keys[ids[j]]); c != 0 {
			return c < 0
		}
		return ids[i] < ids[j]
	})
	for i, id := range ids {
		if _, err := tx.ExecContext(ctx, `UPDATE exam_seats SET seat_no = $1 WHERE year = $2 AND session = $3 AND exam = $4 AND student_id = $5`, i+1, year, session, exam, id); err != nil {
			return err
		}
	}
	return nil
}

func scanID(r store.Scanner) (int64, error) {
	var id int64
	err := r.Scan(&id)
	return id, err
}

// regroup recounts the groupings of the schools whose candidates moved;
// a new school–venue pair carries the override's reason.
func (s *Service) regroup(ctx context.Context, year, session int, exam string, p *auth.Principal, reason string, schools []string) error {
	tx := s.db.Q(ctx)
	type group struct{ venue, reason string }
	for _, school := range schools {
		q := planQuery("", year, session, exam)
		q.Add("school_code = ?", school)
		groups, err := store.Select(ctx, tx, func(r store.Scanner) (group, error) {
			var g group
			err := r.Scan(&g.venue, &g.reason)
			return g, err
		}, `SELECT venue_code, reason FROM exam_plan_groups`+q.Where(), q.Args()...)
		if err != nil {
			return fmt.Errorf("venue: regroup: %w", err)
		}
		old := map[string]string{}
		for _, g := range groups {
			old[g.venue] = g.reason
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM exam_plan_groups`+q.Where(), q.Args()...); err != nil {
			return err
		}
		// The school's candidates by venue: those now in the school.
		ids, err := s.reg.StudentIDsOfSchool(ctx, school)
		if err != nil {
			return fmt.Errorf("venue: regroup: %w", err)
		}
		counts := map[string]int{}
		type venueCount struct {
			venue string
			n     int
		}
		for _, part := range store.Chunks(ids, chunk) {
			q := planQuery("", year, session, exam)
			addIn(&q, "student_id", part)
			list, err := store.Select(ctx, tx, func(r store.Scanner) (venueCount, error) {
				var c venueCount
				err := r.Scan(&c.venue, &c.n)
				return c, err
			}, `SELECT venue_code, COUNT(*) FROM exam_seats`+q.Where()+` GROUP BY venue_code`, q.Args()...)
			if err != nil {
				return fmt.Errorf("venue: regroup: %w", err)
			}
			for _, c := range list {
				counts[c.venue] += c.n
			}
		}
		venues := make([]string, 0, len(counts))
		for v := range counts {
			venues = append(venues, v)
		}
		sort.Strings(venues)
		for _, venue := range venues {
			why, ok := old[venue]
			if !ok {
				// Who by name, as the plan's readers know them (issue 11).
				who := p.FullName
				if who == "" {
					who = p.Username
				}
				why = fmt.Sprintf("Ndryshim nga %s, %s: %s", p.Role.Label(), who, reason)
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO exam_plan_groups (year, session, exam, school_code, venue_code, candidates, reason) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
				year, session, exam, school, venue, counts[venue], why); err != nil {
				return err
			}
		}
	}
	return nil
}
