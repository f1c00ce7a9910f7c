package anonym

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"provim/internal/apperr"
	"provim/internal/audit"
	"provim/internal/auth"
	"provim/internal/clock"
	"provim/internal/examyear"
	"provim/internal/store"
)

// Generate makes the codes of one test of the year (exam is its key:
// "D1", or "D1-2" for D1 of the second session, Neni 58) for every venue
// and room of the current plan of that exam and session: one code per candidate seated and on the
// exam's final list (Neni 51.3), with LabelsPerCode labels each (Neni
// 53.4). AVA only. The codes are kept once made: calling again returns
// what was made (Created false); Regenerate makes them anew.
func (s *Service) Generate(ctx context.Context, by *auth.Principal, year int, exam string) (GenerateResult, error) {
	res, err := s.generate(ctx, by, year, exam, false)
	if err != nil {
		return res, err
	}
	return res, s.analyze(ctx)
}

// analyze refreshes the planner's statistics of the tables a generation
// filled at once: without them SQLite reads a venue's codes by the year's
// primary key (every code of the year) instead of the venue's index.
//
// On SQLite the statistics are sampled (analysis_limit): a full ANALYZE
// reads every code of every exam again after each exam's generation, and
// a sample of each index gives the planner the same choice.
func (s *Service) analyze(ctx context.Context) error {
	tables := []string{"anonym_rooms", "anonym_codes", "anonym_seated"}
	if s.db.Dialect == store.Postgres {
		return s.db.AnalyzeTables(ctx, tables...)
	}
	return s.db.InTx(ctx, func(ctx context.Context) error {
		if _, err := s.db.Q(ctx).ExecContext(ctx, `PRAGMA analysis_limit = 2000`); err != nil {
			return err
		}
		if err := s.db.AnalyzeTables(ctx, tables...); err != nil {
			return err
		}
		_, err := s.db.Q(ctx).ExecContext(ctx, `PRAGMA analysis_limit = 0`)
		return err
	})
}

// Regenerate makes the codes of an exam anew, after the plan changed:
// refused once a label of the exam was attached at a desk.
func (s *Service) Regenerate(ctx context.Context, by *auth.Principal, year int, exam string) (GenerateResult, error) {
	res, err := s.generate(ctx, by, year, exam, true)
	if err != nil {
		return res, err
	}
	return res, s.analyze(ctx)
}

type genRoom struct {
	venue    string
	room     int64
	name     string
	floor    int
	ord      int
	students []int64
}

func (s *Service) generate(ctx context.Context, by *auth.Principal, year int, exam string, force bool) (GenerateResult, error) {
	exam = normExam(exam)
	if err := auth.Require(by, auth.RoleAVA); err != nil {
		return GenerateResult{}, err
	}
	y, err := s.yearOf(ctx, year)
	if err != nil {
		return GenerateResult{}, err
	}
	name, labels, err := examOf(y.Config, exam)
	if err != nil {
		return GenerateResult{}, err
	}
	res := GenerateResult{Year: year, Exam: exam, ExamName: name, ExamLabel: examyear.TestLabel(exam), Labels: labels}
	done, err := s.summary(ctx, year, exam)
	if err != nil {
		return res, err
	}
	if done.Codes > 0 && !force {
		done.ExamName, done.ExamLabel, done.Labels = name, res.ExamLabel, labels
		return done, nil
	}
	planExam, session := examyear.SplitTest(exam)
	if err := s.venues.CheckPlanCurrent(ctx, year, session, planExam, nil); err != nil {
		return res, err
	}
	rooms, err := s.plannedRooms(ctx, by, year, exam)
	if err != nil {
		return res, err
	}
	if len(rooms) == 0 {
		return res, apperr.New(apperr.Conflict, "Provimi %s nuk ka ende plan me kandidatë në salla: kodet bëhen sipas planit (Neni 51.3).", examyear.TestLabel(exam))
	}
	err = s.db.InTx(ctx, func(ctx context.Context) error {
		q := s.db.Q(ctx)
		if done.Codes > 0 {
			var used int
			if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM anonym_codes WHERE year = $1 AND exam = $2 AND used`, year, exam).Scan(&used); err != nil {
				return err
			}
			if used > 0 {
				return apperr.New(apperr.Conflict, "Kodet e provimit %s nuk bëhen më nga e para: %d etiketa janë ngjitur tashmë në test-broshura (Neni 53.3).", examyear.TestLabel(exam), used)
			}
			for _, t := range []string{"anonym_codes", "anonym_seated", "anonym_rooms"} {
				if _, err := q.ExecContext(ctx, `DELETE FROM `+t+` WHERE year = $1 AND exam = $2`, year, exam); err != nil {
					return err
				}
			}
		}
		// Every code of the year, of every test of both sessions: a code
		// names one booklet of the year (anonym_codes' key is year, code).
		taken, err := store.Select(ctx, q, func(r store.Scanner) (string, error) {
			var c string
			return c, r.Scan(&c)
		}, `SELECT code FROM anonym_codes WHERE year = $1`, year)
		if err != nil {
			return err
		}
		seen := make(map[string]bool, len(taken))
		for _, c := range taken {
			seen[c] = true
		}
		now := clock.Stored(s.db.Now(ctx))
		type codeRow struct {
			code, venue string
			room        int64
		}
		type seatRow struct {
			student int64
			venue   string
			room    int64
		}
		var codes []codeRow
		var seats []seatRow
		var roomRows [][]any
		venues := map[string]bool{}
		for _, r := range rooms {
			venues[r.venue] = true
			roomRows = append(roomRows, []any{year, exam, r.venue, r.room, r.name, r.floor, r.ord, len(r.students), labels, -1, now})
			for _, st := range r.students {
				c := NewCode()
				for seen[c] {
					c = NewCode()
				}
				seen[c] = true
				codes = append(codes, codeRow{c, r.venue, r.room})
				seats = append(seats, seatRow{st, r.venue, r.room})
			}
		}
		// Stored in key order: the order of the rows says nothing of the
		// seating.
		sort.Slice(codes, func(i, j int) bool { return codes[i].code < codes[j].code })
		sort.Slice(seats, func(i, j int) bool { return seats[i].student < seats[j].student })
		if err := insertRows(ctx, q, `INSERT INTO anonym_rooms (year, exam, venue_code, room_id, room_name, floor, ord, printed, labels, unused, made_at) VALUES `, roomRows); err != nil {
			return err
		}
		rows := make([][]any, len(codes))
		for i, c := range codes {
			rows[i] = []any{year, c.code, exam, c.venue, c.room}
		}
		if err := insertRows(ctx, q, `INSERT INTO anonym_codes (year, code, exam, venue_code, room_id) VALUES `, rows); err != nil {
			return err
		}
		rows = make([][]any, len(seats))
		for i, st := range seats {
			rows[i] = []any{year, exam, st.student, st.venue, st.room}
		}
		if err := insertRows(ctx, q, `INSERT INTO anonym_seated (year, exam, student_id, venue_code, room_id) VALUES `, rows); err != nil {
			return err
		}
		res.Venues, res.Rooms, res.Codes, res.Created = len(venues), len(rooms), len(codes), true
		action := "anonym_generate"
		if done.Codes > 0 {
			action = "anonym_regenerate"
		}
		// The codes themselves are classified (Neni 59.3): the log keeps
		// the numbers.
		return audit.Add(ctx, by.Actor(), action, "anonym_exam", examKey(year, exam), nil,
			map[string]any{"venues": res.Venues, "rooms": res.Rooms, "codes": res.Codes, "labels_per_code": labels})
	})
	if err != nil {
		return GenerateResult{Year: year, Exam: exam, ExamName: name, ExamLabel: examyear.TestLabel(exam), Labels: labels}, err
	}
	return res, nil
}

// plannedRooms returns the rooms of the exam's plan that have candidates
// on the final list, with those candidates (by id), by venue and room. It
// reads the plan's listed seats at once (venue.ListedSeats: what
// SchoolSeats gives school by school; a school at a time cost an elective
// of a few hundred candidates as much as D1).
func (s *Service) plannedRooms(ctx context.Context, by *auth.Principal, year int, exam string) ([]genRoom, error) {
	planExam, session := examyear.SplitTest(exam)
	counts, err := s.venues.PlanCounts(ctx, year, session, planExam)
	if err != nil {
		return nil, err
	}
	codes := make([]string, len(counts))
	for i, c := range counts {
		codes[i] = c.Venue
	}
	sites, err := s.registry.VenueSitesByCode(ctx, codes)
	if err != nil {
		return nil, err
	}
	type roomKey struct {
		venue string
		room  int64
	}
	rooms := map[roomKey]*genRoom{}
	var order []*genRoom
	sort.Slice(sites, func(i, j int) bool { return sites[i].Code < sites[j].Code })
	for _, v := range sites {
		for i, r := range v.Rooms {
			g := &genRoom{venue: v.Code, room: r.ID, name: r.Name, floor: r.Floor, ord: i}
			rooms[roomKey{v.Code, r.ID}] = g
			order = append(order, g)
		}
	}
	seats, err := s.venues.ListedSeats(ctx, year, session, planExam)
	if err != nil {
		return nil, err
	}
	for _, st := range seats {
		g := rooms[roomKey{st.VenueCode, st.RoomID}]
		if g == nil {
			return nil, fmt.Errorf("anonym: the seat of candidate %d names room %d of venue %s, which the registry does not have", st.StudentID, st.RoomID, st.VenueCode)
		}
		g.students = append(g.students, st.StudentID)
	}
	var out []genRoom
	for _, g := range order {
		if len(g.students) > 0 {
			out = append(out, *g)
		}
	}
	return out, nil
}

// insertRows inserts rows with multi-row VALUES, a few hundred at a time.
func insertRows(ctx context.Context, q store.Querier, prefix string, rows [][]any) error {
	if len(rows) == 0 {
		return nil
	}
	// In a transaction the rows go through the store's bulk write (COPY on
	// PostgreSQL; anonymous ? placeholders on SQLite, where the driver
	// otherwise looks up the name of each of thousands of $n one by one).
	if table, cols, ok := insertTarget(prefix); ok && store.TxFrom(ctx) != nil {
		return store.Insert(ctx, table, cols, rows)
	}
	per := max(1, 4000/len(rows[0]))
	for _, part := range store.Chunks(rows, per) {
		var b strings.Builder
		b.WriteString(prefix)
		args := make([]any, 0, len(part)*len(part[0]))
		for i, r := range part {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteByte('(')
			for j, v := range r {
				if j > 0 {
					b.WriteString(", ")
				}
				args = append(args, v)
				fmt.Fprintf(&b, "$%d", len(args))
			}
			b.WriteByte(')')
		}
		if _, err := q.ExecContext(ctx, b.String(), args...); err != nil {
			return fmt.Errorf("anonym: insert: %w", err)
		}
	}
	return nil
}

// insertTarget reads the table and columns of "INSERT INTO t (a, b) VALUES ".
func insertTarget(prefix string) (string, []string, bool) {
	rest, ok := strings.CutPrefix(strings.TrimSpace(prefix), "INSERT INTO ")
	if !ok {
		return "", nil, false
	}
	table, rest, ok := strings.Cut(rest, " (")
	if !ok {
		return "", nil, false
	}
	list, rest, ok := strings.Cut(rest, ")")
	if !ok || strings.TrimSpace(rest) != "VALUES" {
		return "", nil, false
	}
	cols := strings.Split(list, ",")
	for i := range cols {
		cols[i] = strings.TrimSpace(cols[i])
	}
	return strings.TrimSpace(table), cols, true
}

// summary counts what was made for an exam.
func (s *Service) summary(ctx context.Context, year int, exam string) (GenerateResult, error) {
	res := GenerateResult{Year: year, Exam: exam}
	err := s.db.Q(ctx).QueryRowContext(ctx, `SELECT COUNT(DISTINCT venue_code), COUNT(*), COALESCE(SUM(printed), 0) FROM anonym_rooms WHERE year = $1 AND exam = $2`,
		year, exam).Scan(&res.Venues, &res.Rooms, &res.Codes)
	if err != nil {
		return res, fmt.Errorf("anonym: summary: %w", err)
	}
	return res, nil
}
