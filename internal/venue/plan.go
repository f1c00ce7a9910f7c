package venue

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"provim/internal/albanian"
	"provim/internal/apperr"
	"provim/internal/audit"
	"provim/internal/auth"
	"provim/internal/examyear"
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
	if session != 1 {
		return "", examyear.ExamDay{}, "", apperr.New(apperr.Invalid, "Planifikohet vetëm sesioni 1: lista e sesionit të dytë (Neni 58) nuk është ende në sistem.")
	}
	day, ok := cfg.Exam(kind, session)
	if !ok {
		return "", examyear.ExamDay{}, "", apperr.New(apperr.Invalid, "Provimi %s nuk ka ditë në sesionin %d të kalendarit.", exam, session)
	}
	return kind, day, name, nil
}

// normExam is an exam code as stored: D1, D2 or a subject code, upper case.
func normExam(exam string) string { return strings.ToUpper(strings.TrimSpace(exam)) }

// beforeExam refuses a change of the plan from the exam's day on.
func beforeExam(day examyear.ExamDay, exam string, now time.Time) error {
	d, err := time.ParseInLocation("2006-01-02", day.Date, examyear.Tirana)
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
	if err := beforeExam(day, exam, s.now()); err != nil {
		return PlanResult{}, err
	}
	var res PlanResult
	err = s.inTx(ctx, func(tx *sql.Tx, chain *audit.Chain) error {
		var err error
		res, err = s.planTx(ctx, tx, chain, p, y, kind, exam, session, unitCode, codes, units)
		return err
	})
	if err != nil {
		return PlanResult{}, err
	}
	return res, nil
}

// planTx is Plan inside its transaction: the final list and the
// capacities are read in the same transaction that writes the plan.
func (s *Service) planTx(ctx context.Context, tx *sql.Tx, chain *audit.Chain, p *auth.Principal, y *examyear.Year, kind, exam string, session int,
	unitCode string, codes []string, units map[string]unit) (PlanResult, error) {
	res := PlanResult{Year: y.Year, Session: session, Exam: exam}
	whole := len(codes) == len(units)
	inUnits, args := unitFilter(codes, 3)

	// The final name list of the exam in the units.
	schools := map[string]*pSchool{}
	rows, err := tx.QueryContext(ctx, `SELECT f.student_id, f.school_code, st.sort_key, sc.name, sc.unit_code, sc.city, sc.public
		FROM final_lists f JOIN students st ON st.id = f.student_id JOIN schools sc ON sc.code = f.school_code
		WHERE f.year = $1 AND f.exam = $2`+pick(whole, "", " AND sc.unit_code IN "+inUnits), append([]any{y.Year, exam}, pickArgs(whole, args)...)...)
	if err != nil {
		return res, fmt.Errorf("venue: final list: %w", err)
	}
	var all []*pCand
	for rows.Next() {
		c := &pCand{}
		var name, unitC, city string
		var public bool
		if err := rows.Scan(&c.ID, &c.School, &c.SortKey, &name, &unitC, &city, &public); err != nil {
			rows.Close()
			return res, fmt.Errorf("venue: final list: %w", err)
		}
		sc := schools[c.School]
		if sc == nil {
			sc = &pSchool{Code: c.School, Name: name, Unit: unitC, City: city, Public: public}
			schools[c.School] = sc
		}
		sc.Cands = append(sc.Cands, c)
		all = append(all, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return res, err
	}
	if len(all) == 0 {
		return res, apperr.New(apperr.Invalid, "Lista emërore përfundimtare e provimit %s nuk ka kandidatë në këtë DAR/ZA (Neni 36): ndërtohet nga AVA pas regjistrimit.", exam)
	}

	// The suitable venues and their usable rooms.
	venues, err := s.suitableVenues(ctx, tx, y.Year, codes, whole)
	if err != nil {
		return res, err
	}
	byUnitV := map[string][]*pVenue{}
	for _, v := range venues {
		byUnitV[v.Unit] = append(byUnitV[v.Unit], v)
	}
	byUnitS := map[string][]*pSchool{}
	for _, sc := range schools {
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
		return res, &apperr.Error{Code: apperr.Invalid, Message: fmt.Sprintf("Plani i provimit %s nuk u ruajt: qendrat nuk kanë vende të mjaftueshme.", exam), Details: problems}
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

	inUnits4, args4 := unitFilter(codes, 4)
	var del sql.Result
	if whole {
		del, err = tx.ExecContext(ctx, `DELETE FROM exam_seats WHERE year = $1 AND session = $2 AND exam = $3`, y.Year, session, exam)
	} else {
		// The same candidates the plan places: those of the units' schools
		// on the final list (a school transfer since then does not matter).
		del, err = tx.ExecContext(ctx, `DELETE FROM exam_seats WHERE year = $1 AND session = $2 AND exam = $3 AND student_id IN
			(SELECT f.student_id FROM final_lists f JOIN schools sc ON sc.code = f.school_code
			 WHERE f.year = $1 AND f.exam = $3 AND sc.unit_code IN `+inUnits4+`)`,
			append([]any{y.Year, session, exam}, args4...)...)
	}
	if err != nil {
		return res, fmt.Errorf("venue: replace plan: %w", err)
	}
	if !whole {
		// Seats the units' venues still hold belong to candidates of other
		// units moved there by an override: planning over them would
		// overfill the rooms (Neni 39), so such a re-plan is refused.
		var others int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM exam_seats WHERE year = $1 AND session = $2 AND exam = $3 AND venue_code IN
			(SELECT code FROM venues WHERE unit_code IN `+inUnits4+`)`, append([]any{y.Year, session, exam}, args4...)...).Scan(&others); err != nil {
			return res, fmt.Errorf("venue: replace plan: %w", err)
		}
		if others > 0 {
			return res, apperr.New(apperr.Conflict, "Qendrat e kësaj DAR/ZA mbajnë %d kandidatë të njësive të tjera, të zhvendosur me ndryshim: planifikoni të gjithë DAR-in që i përmban, që të mos mbushen sallat mbi kapacitet (Neni 39).", others)
		}
	}
	n, _ := del.RowsAffected()
	res.Replaced = int(n)
	if whole {
		_, err = tx.ExecContext(ctx, `DELETE FROM exam_plan_groups WHERE year = $1 AND session = $2 AND exam = $3`, y.Year, session, exam)
	} else {
		_, err = tx.ExecContext(ctx, `DELETE FROM exam_plan_groups WHERE year = $1 AND session = $2 AND exam = $3 AND school_code IN
			(SELECT code FROM schools WHERE unit_code IN `+inUnits4+`)`, append([]any{y.Year, session, exam}, args4...)...)
	}
	if err != nil {
		return res, fmt.Errorf("venue: replace plan: %w", err)
	}
	if err := insertSeats(ctx, tx, y.Year, session, exam, all); err != nil {
		return res, err
	}
	for _, g := range groups {
		if _, err := tx.ExecContext(ctx, `INSERT INTO exam_plan_groups (year, session, exam, school_code, venue_code, candidates, reason) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
			y.Year, session, exam, g.School, g.Venue, g.Candidates, g.Reason); err != nil {
			return res, fmt.Errorf("venue: plan groups: %w", err)
		}
	}
	return res, chain.Add(ctx, p.Actor(), "plan", objectPlan, fmt.Sprintf("%d/%d/%s/%s", y.Year, session, exam, pick(unitCode == "", "*", unitCode)), nil, res)
}

// insertSeats writes the seats (a national plan is ~35,000 rows) with
// one prepared multi-row INSERT reused for every full batch: preparing a
// statement with many parameters is costly on SQLite, executing it is not.
func insertSeats(ctx context.Context, tx *sql.Tx, year, session int, exam string, all []*pCand) error {
	stmts := map[int]*sql.Stmt{}
	defer func() {
		for _, st := range stmts {
			st.Close()
		}
	}()
	for start := 0; start < len(all); start += planBatchRows {
		part := all[start:min(start+planBatchRows, len(all))]
		st, ok := stmts[len(part)]
		if !ok {
			var sb strings.Builder
			sb.WriteString(`INSERT INTO exam_seats (year, session, exam, student_id, venue_code, room_id, seat_no) VALUES `)
			for i := range part {
				if i > 0 {
					sb.WriteByte(',')
				}
				n := i * 7
				fmt.Fprintf(&sb, "($%d,$%d,$%d,$%d,$%d,$%d,$%d)", n+1, n+2, n+3, n+4, n+5, n+6, n+7)
			}
			var err error
			if st, err = tx.PrepareContext(ctx, sb.String()); err != nil {
				return fmt.Errorf("venue: seats: %w", err)
			}
			stmts[len(part)] = st
		}
		args := make([]any, 0, len(part)*7)
		for _, c := range part {
			args = append(args, year, session, exam, c.ID, c.Venue, c.Room, c.Seat)
		}
		if _, err := st.ExecContext(ctx, args...); err != nil {
			return fmt.Errorf("venue: seats: %w", err)
		}
	}
	return nil
}

// suitableVenues returns the venues of the units found suitable at the
// year's inspection, with their usable rooms, by code.
func (s *Service) suitableVenues(ctx context.Context, q querier, year int, codes []string, whole bool) ([]*pVenue, error) {
	inUnits, args := unitFilter(codes, 2)
	rows, err := q.QueryContext(ctx, `SELECT v.code, v.name, v.unit_code, v.city, COALESCE(v.school_code, ''), COALESCE(sc.public, FALSE),
		r.id, r.name, r.floor, c.seats
		FROM venues v JOIN venue_inspections i ON i.venue_code = v.code AND i.year = $1 AND i.suitable
		JOIN venue_room_capacity c ON c.venue_code = v.code AND c.year = $1 AND c.usable
		JOIN rooms r ON r.id = c.room_id
		LEFT JOIN schools sc ON sc.code = v.school_code`+pick(whole, "", " WHERE v.unit_code IN "+inUnits)+`
		ORDER BY v.code, r.floor, r.name, r.id`, append([]any{year}, pickArgs(whole, args)...)...)
	if err != nil {
		return nil, fmt.Errorf("venue: suitable venues: %w", err)
	}
	defer rows.Close()
	var out []*pVenue
	for rows.Next() {
		v := &pVenue{}
		var r pRoom
		if err := rows.Scan(&v.Code, &v.Name, &v.Unit, &v.City, &v.School, &v.Public, &r.ID, &r.Name, &r.Floor, &r.Seats); err != nil {
			return nil, err
		}
		if len(out) == 0 || out[len(out)-1].Code != v.Code {
			out = append(out, v)
		}
		cur := out[len(out)-1]
		cur.Rooms = append(cur.Rooms, r)
		cur.Seats += r.Seats
	}
	return out, rows.Err()
}

// unitFilter is "($k,$k+1,…)" for codes, numbered from first.
func unitFilter(codes []string, first int) (string, []any) {
	ph := make([]string, len(codes))
	args := make([]any, len(codes))
	for i, c := range codes {
		ph[i] = fmt.Sprintf("$%d", first+i)
		args[i] = c
	}
	if len(ph) == 0 {
		return "('')", nil
	}
	return "(" + strings.Join(ph, ",") + ")", args
}

func pick(cond bool, a, b string) string {
	if cond {
		return a
	}
	return b
}

func pickArgs(whole bool, args []any) []any {
	if whole {
		return nil
	}
	return args
}

// ---- reading the plan ----

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
	Year       int            `json:"year"`
	Session    int            `json:"session"`
	Exam       string         `json:"exam"`
	ExamName   string         `json:"exam_name"`
	Date       string         `json:"date"`
	Listed     int            `json:"listed"`    // on the final name list
	Candidates int            `json:"placed"`    // with a seat
	Overrides  int            `json:"overrides"` // seats changed by the KMSH
	Venues     []PlannedVenue `json:"venues"`
	Groups     []Group        `json:"groups"`
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
	out := Summary{Year: y.Year, Session: session, Exam: exam, ExamName: name, Date: day.Date, Venues: []PlannedVenue{}, Groups: []Group{}}
	whole := len(codes) == len(units)
	inUnits, args := unitFilter(codes, 3)
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM final_lists f JOIN schools sc ON sc.code = f.school_code WHERE f.year = $1 AND f.exam = $2`+
		pick(whole, "", " AND sc.unit_code IN "+inUnits), append([]any{y.Year, exam}, pickArgs(whole, args)...)...).Scan(&out.Listed); err != nil {
		return out, fmt.Errorf("venue: summary: %w", err)
	}
	inUnits4, args4 := unitFilter(codes, 4)
	rows, err := s.db.QueryContext(ctx, `SELECT v.code, v.name, v.city, v.unit_code, r.id, r.name, r.floor, COALESCE(c.seats, 0), COUNT(*), SUM(CASE WHEN e.override_reason <> '' THEN 1 ELSE 0 END)
		FROM exam_seats e JOIN venues v ON v.code = e.venue_code JOIN rooms r ON r.id = e.room_id
		LEFT JOIN venue_room_capacity c ON c.room_id = r.id AND c.year = e.year
		WHERE e.year = $1 AND e.session = $2 AND e.exam = $3`+pick(whole, "", " AND v.unit_code IN "+inUnits4)+`
		GROUP BY v.code, v.name, v.city, v.unit_code, r.id, r.name, r.floor, c.seats ORDER BY v.code, r.floor, r.name, r.id`,
		append([]any{y.Year, session, exam}, pickArgs(whole, args4)...)...)
	if err != nil {
		return out, fmt.Errorf("venue: summary: %w", err)
	}
	for rows.Next() {
		var v PlannedVenue
		var r PlannedRoom
		var overrides int
		if err := rows.Scan(&v.Code, &v.Name, &v.City, &v.UnitCode, &r.ID, &r.Name, &r.Floor, &r.Seats, &r.Candidates, &overrides); err != nil {
			rows.Close()
			return out, err
		}
		if len(out.Venues) == 0 || out.Venues[len(out.Venues)-1].Code != v.Code {
			out.Venues = append(out.Venues, v)
		}
		cur := &out.Venues[len(out.Venues)-1]
		cur.Rooms = append(cur.Rooms, r)
		cur.Seats += r.Seats
		cur.Candidates += r.Candidates
		out.Candidates += r.Candidates
		out.Overrides += overrides
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return out, err
	}
	albanian.SortBy(out.Venues, func(v PlannedVenue) string { return v.City + "\x01" + v.Name + "\x01" + v.Code })
	grows, err := s.db.QueryContext(ctx, `SELECT g.school_code, sc.name, g.venue_code, v.name, g.candidates, g.reason
		FROM exam_plan_groups g JOIN schools sc ON sc.code = g.school_code JOIN venues v ON v.code = g.venue_code
		WHERE g.year = $1 AND g.session = $2 AND g.exam = $3`+pick(whole, "", " AND sc.unit_code IN "+inUnits4)+`
		ORDER BY g.school_code, g.venue_code`, append([]any{y.Year, session, exam}, pickArgs(whole, args4)...)...)
	if err != nil {
		return out, fmt.Errorf("venue: summary groups: %w", err)
	}
	defer grows.Close()
	for grows.Next() {
		var g Group
		if err := grows.Scan(&g.SchoolCode, &g.SchoolName, &g.VenueCode, &g.VenueName, &g.Candidates, &g.Reason); err != nil {
			return out, err
		}
		out.Groups = append(out.Groups, g)
	}
	return out, grows.Err()
}
