package venue

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"provim/internal/apperr"
	"provim/internal/audit"
	"provim/internal/auth"
	"provim/internal/clock"
	"provim/internal/examyear"
	"provim/internal/store"
)

const objectPlan = "exam_plan"

// examOf checks an exam code (D1, D2 or an elective's subject code) and
// session against the year and returns its day.
func examOf(cfg examyear.Config, exam string, session int) (kind string, day examyear.ExamDay, name string, err error) {
	switch exam {
	case examyear.KindD1, examyear.KindD2:
		kind = exam
		for _, s := range cfg.Subjects {
			if s.Kind == exam {
				name = s.Name
			}
		}
	default:
		sub, ok := cfg.Subject(exam)
		if !ok || sub.Kind != examyear.KindElective {
			return "", examyear.ExamDay{}, "", apperr.New(apperr.NotFound, "Provimi «%s» nuk ekziston në vitin e provimeve.", exam)
		}
		kind, name = examyear.KindElective, sub.Name
	}
	if err := session2Only(exam, session); err != nil {
		return "", examyear.ExamDay{}, "", err
	}
	// An elective's day and time is its sitting (Neni 14.3).
	day, ok := cfg.ExamDayOf(exam, session)
	if !ok {
		return "", examyear.ExamDay{}, "", apperr.New(apperr.Invalid, "Provimi %s nuk ka ditë në sesionin %d të kalendarit.", exam, session)
	}
	return kind, day, name, nil
}

// listFilter is the schools filter of a final-list read: nil for the
// whole country, else the schools' codes.
func listFilter(whole bool, schools map[string]*pSchool) []string {
	if whole {
		return nil
	}
	out := make([]string, 0, len(schools))
	for code := range schools {
		out = append(out, code)
	}
	return out
}

// normExam is an exam code as stored: D1, D2 or a subject code, upper case.
func normExam(exam string) string { return strings.ToUpper(strings.TrimSpace(exam)) }

// beforeExam refuses a change of the plan from the exam's day on.
func beforeExam(day examyear.ExamDay, exam string, now time.Time) error {
	d, err := time.ParseInLocation("2006-01-02", day.Date, clock.Tirana)
	if err != nil {
		return nil
	}
	if !now.Before(d) {
		return apperr.New(apperr.Invalid, "Provimi %s zhvillohet më %s: nga ajo ditë plani i mjediseve nuk ndryshohet më.", exam, d.Format("02.01.2006"))
	}
	return nil
}

// PlanResult tells what Plan did.
type PlanResult struct {
	Year       int    `json:"year"`
	Session    int    `json:"session"`
	Exam       string `json:"exam"`
	Units      int    `json:"units"`
	Candidates int    `json:"candidates"`
	Venues     int    `json:"venues"`
	Rooms      int    `json:"rooms"`
	Replaced   int    `json:"replaced"` // seats of the earlier plan, overrides included
	// Dropped: of the replaced seats, those of candidates no longer on the
	// final list (Neni 48.3, 52.6), who now have none.
	Dropped int `json:"dropped"`
}

// Plan places every candidate of an exam's final name list (Neni 36)
// whose school is in the unit (empty: the caller's whole scope) in a
// suitable venue and room (planUnit, seatRooms), replacing the units'
// earlier plan of the exam, KMSH overrides included. When a unit's
// venues cannot seat its candidates nothing is saved and the error names
// every such unit with the numbers.
func (s *Service) Plan(ctx context.Context, p *auth.Principal, exam string, session int, unitCode string) (PlanResult, error) {
	exam = normExam(exam)
	codes, units, err := s.scopeUnits(ctx, p, unitCode)
	if err != nil {
		return PlanResult{}, err
	}
	y, err := s.year(ctx)
	if err != nil {
		return PlanResult{}, err
	}
	kind, day, _, err := examOf(y.Config, exam, session)
	if err != nil {
		return PlanResult{}, err
	}
	var res PlanResult
	err = s.db.InTx(ctx, func(ctx context.Context) error {
		if err := beforeExam(day, exam, s.db.Now(ctx)); err != nil {
			return err
		}
		var err error
		res, err = s.planTx(ctx, p, y, kind, exam, session, unitCode, codes, units)
		return err
	})
	if err != nil {
		return PlanResult{}, err
	}
	// The draw, the codes and the exam day read the seats by room and
	// venue: PostgreSQL's planner needs their new counts (its autovacuum
	// may not have come by yet, and then the draw took minutes now and
	// then). SQLite's plans are good without, and slower with them.
	if s.db.Dialect == store.Postgres {
		return res, s.db.AnalyzeTables(ctx, "exam_seats", "exam_plan_groups")
	}
	return res, nil
}

// planTx is Plan inside its transaction: the final list and the
// capacities are read in the same transaction that writes the plan.
func (s *Service) planTx(ctx context.Context, p *auth.Principal, y *examyear.Year, kind, exam string, session int,
	unitCode string, codes []string, units map[string]unit) (PlanResult, error) {
	res := PlanResult{Year: y.Year, Session: session, Exam: exam}
	whole := len(codes) == len(units)

	// The final name list of the exam in the units' schools.
	all, schools, err := s.finalCandidates(ctx, y.Year, session, exam, codes, whole)
	if err != nil {
		return res, err
	}
	if len(all) == 0 && session == 2 {
		return res, apperr.New(apperr.Invalid, "Listat e sesionit të dytë të provimit %s nuk janë dërguar ende nga KMSH-të e kësaj DAR/ZA në AVA, ose nuk kanë kandidatë (Neni 58): plani i sesionit të dytë bëhet pasi të dërgohen.", exam)
	}
	if len(all) == 0 {
		return res, apperr.New(apperr.Invalid, "Lista emërore përfundimtare e provimit %s nuk ka kandidatë në këtë DAR/ZA (Neni 36): ndërtohet nga AVA pas regjistrimit.", exam)
	}

	// No candidate sits two exams at once (Neni 14.3, 17): the exams held
	// at the same time share no candidate, and their plans' seats are
	// taken from the rooms.
	others := overlapping(y.Config, exam, session)
	if len(others) > 0 {
		ids := make(map[int64]bool, len(all))
		for _, c := range all {
			ids[c.ID] = true
		}
		clash, err := s.clashes(ctx, y.Config, y.Year, session, exam, others, ids, listFilter(whole, schools))
		if err != nil {
			return res, err
		}
		if len(clash) > 0 {
			return res, clashError(fmt.Sprintf("Plani i provimit %s nuk u ruajt", exam), clash)
		}
	}

	// The suitable venues and their usable rooms.
	venues, unitVenues, err := s.suitableVenues(ctx, y.Year, codes, whole)
	if err != nil {
		return res, err
	}
	if len(others) > 0 {
		if venues, err = s.shareRooms(ctx, y.Year, session, others, venues); err != nil {
			return res, err
		}
	}
	byUnitV := map[string][]*pVenue{}
	for _, v := range venues {
		byUnitV[v.Unit] = append(byUnitV[v.Unit], v)
	}
	byUnitS := map[string][]*pSchool{}
	for _, sc := range schools {
		if len(sc.Cands) == 0 {
			continue
		}
		// Candidates in a fixed order within each school.
		sort.Slice(sc.Cands, func(i, j int) bool {
			if c := bytes.Compare(sc.Cands[i].SortKey, sc.Cands[j].SortKey); c != 0 {
				return c < 0
			}
			return sc.Cands[i].ID < sc.Cands[j].ID
		})
		byUnitS[sc.Unit] = append(byUnitS[sc.Unit], sc)
	}
	var groups []pGroup
	var problems []string
	planned := 0
	for _, code := range codes {
		list := byUnitS[code]
		if len(list) == 0 {
			continue
		}
		planned++
		// Larger schools first (their own buildings), then by code.
		sort.Slice(list, func(i, j int) bool {
			if len(list[i].Cands) != len(list[j].Cands) {
				return len(list[i].Cands) > len(list[j].Cands)
			}
			return list[i].Code < list[j].Code
		})
		g, err := planUnit(units[code], kind == examyear.KindElective, list, byUnitV[code])
		if err != nil {
			var sh *shortage
			if errors.As(err, &sh) {
				problems = append(problems, sh.Error())
				continue
			}
			return res, err
		}
		groups = append(groups, g...)
	}
	if len(problems) > 0 {
		msg := fmt.Sprintf("Plani i provimit %s nuk u ruajt: qendrat nuk kanë vende të mjaftueshme.", exam)
		if len(others) > 0 {
			msg += fmt.Sprintf(" Vendet e zëna në të njëjtën kohë nga provimet %s (%s) nuk llogariten (Neni 14.3).", strings.Join(others, ", "), y.Config.SittingLabel(exam, session))
		}
		return res, &apperr.Error{Code: apperr.Invalid, Message: msg, Details: problems}
	}
	byVenue := map[string][]*pCand{}
	for _, c := range all {
		byVenue[c.Venue] = append(byVenue[c.Venue], c)
	}
	for _, v := range venues {
		if cands := byVenue[v.Code]; len(cands) > 0 {
			seatRooms(v, cands)
			res.Venues++
			rooms := map[int64]bool{}
			for _, c := range cands {
				rooms[c.Room] = true
			}
			res.Rooms += len(rooms)
		}
	}
	res.Candidates, res.Units = len(all), planned

	schoolCodes := make([]string, 0, len(schools))
	for code := range schools {
		schoolCodes = append(schoolCodes, code)
	}
	if res.Replaced, res.Dropped, err = s.clearPlan(ctx, y.Year, session, exam, whole, all, schoolCodes, unitVenues); err != nil {
		return res, err
	}
	if err := insertSeats(ctx, y.Year, session, exam, all); err != nil {
		return res, err
	}
	for _, g := range groups {
		if _, err := s.db.Q(ctx).ExecContext(ctx, `INSERT INTO exam_plan_groups (year, session, exam, school_code, venue_code, candidates, reason) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
			y.Year, session, exam, g.School, g.Venue, g.Candidates, g.Reason); err != nil {
			return res, fmt.Errorf("venue: plan groups: %w", err)
		}
	}
	return res, audit.Add(ctx, p.Actor(), "plan", objectPlan, fmt.Sprintf("%d/%d/%s/%s", y.Year, session, exam, pick(unitCode == "", "*", unitCode)), nil, res)
}

// finalCandidates returns the candidates of an exam's list in session
// (the final name list, Neni 36; in the second session the Neni 58 list)
// listed with the units' schools (whole: every unit), and those schools
// by code with their candidates.
func (s *Service) finalCandidates(ctx context.Context, year, session int, exam string, codes []string, whole bool) ([]*pCand, map[string]*pSchool, error) {
	list, err := s.reg.SchoolsIn(ctx, codes)
	if err != nil {
		return nil, nil, fmt.Errorf("venue: final list: %w", err)
	}
	schools := make(map[string]*pSchool, len(list))
	var filter []string // nil: the whole list
	if !whole {
		filter = make([]string, 0, len(list))
	}
	for _, sc := range list {
		schools[sc.Code] = &pSchool{Code: sc.Code, Name: sc.Name, Unit: sc.UnitCode, City: sc.City, Public: sc.Public}
		if !whole {
			filter = append(filter, sc.Code)
		}
	}
	listed, err := s.listedOf(ctx, year, session, exam, filter)
	if err != nil {
		return nil, nil, fmt.Errorf("venue: final list: %w", err)
	}
	ids := make([]int64, len(listed))
	for i, f := range listed {
		ids[i] = f.StudentID
	}
	keys, err := s.reg.StudentSortKeys(ctx, ids)
	if err != nil {
		return nil, nil, fmt.Errorf("venue: final list: %w", err)
	}
	all := make([]*pCand, 0, len(listed))
	for _, f := range listed {
		sc, key := schools[f.SchoolCode], keys[f.StudentID]
		if sc == nil || key == nil {
			continue
		}
		c := &pCand{ID: f.StudentID, School: f.SchoolCode, SortKey: key}
		sc.Cands = append(sc.Cands, c)
		all = append(all, c)
	}
	return all, schools, nil
}

// planQuery selects the rows of an exam's plan; alias is the table's
// ("e.") or "".
func planQuery(alias string, year, session int, exam string) store.Query {
	var q store.Query
	q.Add(alias+"year = ?", year)
	q.Add(alias+"session = ?", session)
	q.Add(alias+"exam = ?", exam)
	return q
}

// insertSeats writes the seats (a national plan is ~35,000 rows) in bulk
// (store.Insert: COPY on PostgreSQL, multi-row INSERTs on SQLite) in the
// transaction ctx carries.
func insertSeats(ctx context.Context, year, session int, exam string, all []*pCand) error {
	rows := make([][]any, len(all))
	for i, c := range all {
		rows[i] = []any{year, session, exam, c.ID, c.Venue, c.Room, c.Seat}
	}
	if err := store.Insert(ctx, "exam_seats", []string{"year", "session", "exam", "student_id", "venue_code", "room_id", "seat_no"}, rows); err != nil {
		return fmt.Errorf("venue: seats: %w", err)
	}
	return nil
}

// suitableVenues returns the venues of the units found suitable at the
// year's inspection, with their usable rooms, by code; and the codes of
// every venue of the units.
func (s *Service) suitableVenues(ctx context.Context, year int, codes []string, whole bool) ([]*pVenue, []string, error) {
	sites, err := s.reg.VenueSitesIn(ctx, codes)
	if err != nil {
		return nil, nil, fmt.Errorf("venue: suitable venues: %w", err)
	}
	codesOf := make([]string, len(sites))
	for i, v := range sites {
		codesOf[i] = v.Code
	}
	// The usable rooms' seats of the suitable venues.
	seats := map[int64]int{}
	var parts [][]string
	if whole {
		parts = [][]string{nil}
	} else {
		parts = store.Chunks(codesOf, chunk)
	}
	for _, part := range parts {
		var q store.Query
		q.Add("c.year = ?", year)
		q.Add("c.usable")
		if !whole {
			addIn(&q, "c.venue_code", part)
		}
		type capacity struct {
			room  int64
			seats int
		}
		list, err := store.Select(ctx, s.db.Q(ctx), func(r store.Scanner) (capacity, error) {
			var c capacity
			err := r.Scan(&c.room, &c.seats)
			return c, err
		}, `SELECT c.room_id, c.seats FROM venue_room_capacity c
			JOIN venue_inspections i ON i.venue_code = c.venue_code AND i.year = c.year AND i.suitable`+q.Where(), q.Args()...)
		if err != nil {
			return nil, nil, fmt.Errorf("venue: suitable venues: %w", err)
		}
		for _, c := range list {
			seats[c.room] = c.seats
		}
	}
	var out []*pVenue
	for _, site := range sites {
		v := &pVenue{Code: site.Code, Name: site.Name, Unit: site.UnitCode, City: site.City, School: site.SchoolCode, Public: site.PublicSchool}
		for _, r := range site.Rooms {
			if n, ok := seats[r.ID]; ok {
				v.Rooms = append(v.Rooms, pRoom{ID: r.ID, Name: r.Name, Floor: r.Floor, Seats: n})
				v.Seats += n
			}
		}
		if len(v.Rooms) > 0 {
			out = append(out, v)
		}
	}
	return out, codesOf, nil
}

// chunk bounds the values of one IN list, well under either engine's
// limit of parameters.
const chunk = 500

// addIn adds "col IN (vals)" to q; no values match no row.
func addIn[T any](q *store.Query, col string, vals []T) {
	if len(vals) == 0 {
		q.Add("1 = 0")
		return
	}
	args := make([]any, len(vals))
	for i, v := range vals {
		args[i] = v
	}
	q.Add(col+" IN ("+strings.TrimSuffix(strings.Repeat("?,", len(vals)), ",")+")", args...)
}

func pick(cond bool, a, b string) string {
	if cond {
		return a
	}
	return b
}
