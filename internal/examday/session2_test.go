package examday_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"provim/internal/anonym"
	"provim/internal/apperr"
	"provim/internal/auth"
	"provim/internal/custody"
	"provim/internal/draw"
	"provim/internal/examday"
	"provim/internal/examyear"
	"provim/internal/venue"
)

// The second session (Neni 16 ¶2, 58) through the same flows as the
// first, the session a parameter: D1 of session 2 planned from a fixed
// Neni 58 list, its packages collected the day before, its staff drawn,
// its codes (the test "D1-2"), and its exam day with check-in and labels.

// second is the world of newWorld (D1 of session 1 on its morning) with
// D1 of the second session planned from a fixed list of retakers.
type second struct {
	*world
	cfg      examyear.Config
	start    time.Time      // when D1 of session 2 starts
	retakers map[int64]bool // the students on the Neni 58 list
	seats    int            // seats of the session-2 plan
}

func newSecond(t *testing.T) *second {
	t.Helper()
	w := newWorld(t)
	ctx := w.ctx
	y, err := w.k.Years.Active(ctx)
	if err != nil {
		t.Fatal(err)
	}
	start, err := custody.ExamStart(y.Config, examyear.KindD1, 2)
	if err != nil {
		t.Fatal(err)
	}
	s := &second{world: w, cfg: y.Config, start: start, retakers: map[int64]bool{}}
	// Every 20th candidate of D1's final lists failed it (the fixed list
	// the KMSHs sent, Neni 58 ¶1).
	rows, err := w.k.DB.Query(`SELECT student_id, school_code FROM final_lists WHERE year = $1 AND exam = 'D1' ORDER BY student_id`, year)
	if err != nil {
		t.Fatal(err)
	}
	var list []venue.Retaker
	for i := 0; rows.Next(); i++ {
		var r venue.Retaker
		if err := rows.Scan(&r.StudentID, &r.SchoolCode); err != nil {
			t.Fatal(err)
		}
		if i%20 == 0 {
			list = append(list, r)
			s.retakers[r.StudentID] = true
		}
	}
	if err := rows.Close(); err != nil {
		t.Fatal(err)
	}
	if len(list) < 20 {
		t.Fatalf("only %d retakers", len(list))
	}
	w.k.Venues.SetSession2Source(func(ctx context.Context, yr int, exam string) ([]venue.Retaker, error) {
		if yr != year || exam != examyear.KindD1 {
			return nil, nil
		}
		return list, nil
	})
	// The day after the lists' deadline (a month before the exam).
	at := start.AddDate(0, 0, -25)
	if d, ok := y.Config.Deadline(examyear.KeySession2Lists); ok {
		if day, err := time.ParseInLocation("2006-01-02", d.Date, examyear.Tirana); err == nil {
			at = day.AddDate(0, 0, 1).Add(11 * time.Hour)
		}
	}
	w.k.Clock.Set(at)
	// Neni 58: the packages of a second-session exam follow its plan
	// only; before the plan there is nothing to pack.
	if _, err := w.k.Custody.Create(ctx, ava, custody.CreateInput{Exam: "D1", Session: 2}); !apperr.Is(err, apperr.Conflict) {
		t.Fatalf("Neni 58: packages of session 2 before its plan: %v", err)
	}
	res, err := w.k.Venues.Plan(ctx, ava, "D1", 2, "")
	if err != nil {
		t.Fatalf("plan of session 2: %v", err)
	}
	if res.Candidates == 0 {
		t.Fatalf("plan of session 2: %+v", res)
	}
	s.seats, err = w.k.Venues.PlannedSeats(ctx, year, 2, "D1")
	if err != nil || s.seats != res.Candidates {
		t.Fatalf("planned seats %d of %d: %v", s.seats, res.Candidates, err)
	}
	return s
}

// dars are the DARs with venues in the session-2 plan.
func (s *second) dars(t *testing.T) []string {
	t.Helper()
	rows, err := s.k.DB.Query(`SELECT DISTINCT CASE WHEN u.kind = 'DAR' THEN u.code ELSE u.parent_code END FROM exam_seats x
		JOIN venues v ON v.code = x.venue_code JOIN units u ON u.code = v.unit_code
		WHERE x.year = $1 AND x.session = 2 AND x.exam = 'D1' ORDER BY 1`, year)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			t.Fatal(err)
		}
		out = append(out, c)
	}
	if len(out) == 0 {
		t.Fatal("no DAR in the session-2 plan")
	}
	return out
}

// drawAll runs the staff draw of D1 of session 2 in every DAR of its
// plan, in the draw's window; it returns the draws.
func (s *second) drawAll(t *testing.T) []draw.Record {
	t.Helper()
	openAt, _, _, err := draw.Window(s.cfg, "D1", 2)
	if err != nil {
		t.Fatal(err)
	}
	var out []draw.Record
	for _, dar := range s.dars(t) {
		kmsh := &auth.Principal{Username: "kmsh." + strings.ToLower(dar), Role: auth.RoleKMSH, Unit: dar}
		s.k.Clock.Set(openAt.Add(-30 * time.Minute))
		if _, err := s.k.Draws.FillPool(s.ctx, kmsh, 2, "D1", dar); err != nil {
			t.Fatalf("pool of %s: %v", dar, err)
		}
		rec, err := s.k.Draws.Commit(s.ctx, kmsh, draw.CommitRequest{Session: 2, Exam: "D1", Unit: dar})
		if err != nil {
			t.Fatalf("commit of %s: %v", dar, err)
		}
		s.k.Clock.Set(openAt.Add(15 * time.Minute))
		if rec, err = s.k.Draws.Run(s.ctx, kmsh, rec.ID, "7 21 33 48"); err != nil {
			t.Fatalf("draw of %s: %v", dar, err)
		}
		out = append(out, rec)
	}
	return out
}

// drawnAt2 are the places of the session-2 draw by venue and role.
func (s *second) drawnAt2(t *testing.T) map[string]map[string][]int64 {
	t.Helper()
	list, err := s.k.Draws.DrawnAtAll(s.ctx, year, "")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]map[string][]int64{}
	for _, d := range list {
		if d.Session != 2 {
			continue
		}
		if out[d.Venue] == nil {
			out[d.Venue] = map[string][]int64{}
		}
		out[d.Venue][d.Role] = append(out[d.Venue][d.Role], d.StaffID)
	}
	return out
}

// at2 moves the clock to hh:mm of the session-2 D1 day.
func (s *second) at2(t *testing.T, hm string) {
	t.Helper()
	d, err := time.Parse("15:04", hm)
	if err != nil {
		t.Fatal(err)
	}
	day := time.Date(s.start.Year(), s.start.Month(), s.start.Day(), 0, 0, 0, 0, examyear.Tirana)
	s.k.Clock.Set(day.Add(time.Duration(d.Hour())*time.Hour + time.Duration(d.Minute())*time.Minute))
}

// TestNeni58_StaffDrawOfTheSecondSession: the KMSH draws the staff of a
// second-session exam for the venues of its plan only, as in the first
// session (Neni 47), and the draw records the session.
func TestNeni58_StaffDrawOfTheSecondSession(t *testing.T) {
	t.Parallel()
	s := newSecond(t)
	counts, err := s.k.Venues.PlanCounts(s.ctx, year, 2, "D1")
	if err != nil {
		t.Fatal(err)
	}
	planned := map[string]bool{}
	for _, c := range counts {
		planned[c.Venue] = true
	}
	for _, rec := range s.drawAll(t) {
		if rec.Session != 2 || rec.Status != draw.StatusDrawn || len(rec.Result) == 0 {
			t.Fatalf("draw: session %d, %s, %d places", rec.Session, rec.Status, len(rec.Result))
		}
	}
	at := s.drawnAt2(t)
	if len(at) != len(planned) {
		t.Fatalf("staff at %d venues, the plan has %d", len(at), len(planned))
	}
	for v, roles := range at {
		if !planned[v] {
			t.Fatalf("staff drawn for %s, not in the session-2 plan", v)
		}
		if len(roles[draw.RolePAP]) != 1 {
			t.Fatalf("%s: PAP %v", v, roles[draw.RolePAP])
		}
	}
	// The first session's draw is untouched.
	list, err := s.k.Draws.DrawnAtAll(s.ctx, year, "")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(list, func(d draw.Drawn) bool { return d.Session == 1 }) {
		t.Fatal("the session-1 draw is gone")
	}
}

// TestNeni58_3_MaterialsCollectedTheDayBefore: the packages of a
// second-session exam are made for the venues of its plan and collected
// at AVA one day before the exam (Neni 58 ¶3); collected on the day
// itself, the step is flagged late.
func TestNeni58_3_MaterialsCollectedTheDayBefore(t *testing.T) {
	t.Parallel()
	s := newSecond(t)
	eve := time.Date(s.start.Year(), s.start.Month(), s.start.Day()-1, 0, 0, 0, 0, examyear.Tirana)
	s.k.Clock.Set(eve.Add(-3 * 24 * time.Hour).Add(9 * time.Hour))
	res, err := s.k.Custody.Create(s.ctx, ava, custody.CreateInput{Exam: "D1", Session: 2})
	if err != nil || !res.FromPlan {
		t.Fatalf("create: %+v %v", res, err)
	}
	counts, err := s.k.Venues.PlanCounts(s.ctx, year, 2, "D1")
	if err != nil {
		t.Fatal(err)
	}
	if res.Created != len(counts) {
		t.Fatalf("%d consignments for %d venues of the plan", res.Created, len(counts))
	}
	board, err := s.k.Custody.Board(s.ctx, ava, custody.Filter{Exam: "D1", Session: 2})
	if err != nil || len(board) != len(counts) || len(board) < 2 {
		t.Fatalf("board: %d %v", len(board), err)
	}
	want := map[string]int{}
	for _, c := range counts {
		want[c.Venue] = c.Count
	}
	for _, c := range board {
		for _, p := range c.Packages {
			if p.Kind == custody.KindCodes && p.Items != 2*want[c.VenueCode] {
				t.Fatalf("%s: %d labels for %d candidates", c.VenueCode, p.Items, want[c.VenueCode])
			}
		}
	}
	seals := func(c custody.Consignment) map[string][]string {
		out := map[string][]string{}
		for _, p := range c.Packages {
			out[p.Code] = p.Seals
		}
		return out
	}
	dars := map[string]string{}
	for _, d := range s.dars(t) {
		dars[d] = d
	}
	hand := func(c custody.Consignment, when time.Time) custody.Consignment {
		t.Helper()
		unit := c.UnitCode
		if _, ok := dars[unit]; !ok {
			var parent string
			if err := s.k.DB.QueryRow(`SELECT parent_code FROM units WHERE code = $1`, unit).Scan(&parent); err != nil {
				t.Fatal(err)
			}
			unit = parent
		}
		rep := &auth.Principal{Username: "kmsh.rep." + unit, Role: auth.RoleKMSH, Unit: unit}
		s.k.Clock.Set(when)
		h, err := s.k.Custody.Record(s.ctx, ava, custody.RecordInput{Venue: c.VenueCode, Exam: "D1", Session: 2, Step: 1,
			Givers: []string{"Arben Hoxha (AVA)"}, Receivers: []string{"Drita Leka (KMSH)", "Genc Çela (MASH)"}, Seals: seals(c)})
		if err != nil {
			t.Fatalf("step 1 at %s: %v", c.VenueCode, err)
		}
		s.k.Clock.Set(when.Add(5 * time.Minute))
		if _, err := s.k.Custody.Confirm(s.ctx, rep, h.ID, custody.ConfirmInput{Seals: seals(c)}); err != nil {
			t.Fatalf("step 1 confirmed at %s: %v", c.VenueCode, err)
		}
		got, err := s.k.Custody.Get(s.ctx, ava, c.VenueCode, "D1", 2)
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	// On the eve: on time; the step is due by the end of the eve.
	c := hand(board[0], eve.Add(9*time.Hour))
	if c.Stage != 1 || c.Late || len(c.Handovers) != 1 || c.Session != 2 {
		t.Fatalf("collected on the eve: stage %d late %v %v", c.Stage, c.Late, c.Flags)
	}
	due, err := time.Parse(time.RFC3339, c.Handovers[0].Due)
	if err != nil || !due.Equal(eve.AddDate(0, 0, 1).Add(-time.Second)) {
		t.Fatalf("Neni 58 ¶3: step 1 due %s, the eve ends %s", c.Handovers[0].Due, eve.AddDate(0, 0, 1).Add(-time.Second))
	}
	// On the morning of the exam: late.
	c = hand(board[1], s.start.Add(-4*time.Hour))
	if c.Stage != 1 || !c.Late {
		t.Fatalf("Neni 58 ¶3: collected on the day, not late: %+v", c.Flags)
	}
	// The first session's consignments are another chain.
	first, err := s.k.Custody.Board(s.ctx, ava, custody.Filter{Exam: "D1", Session: 1})
	if err != nil || len(first) == 0 {
		t.Fatalf("session 1: %d %v", len(first), err)
	}
	for _, f := range first {
		if f.Session != 1 {
			t.Fatalf("session 1 board: %+v", f)
		}
	}
}

// TestNeni58_CodesOfTheSecondSession: AVA makes the codes of D1 of the
// second session (the test "D1-2") for the candidates of its plan only;
// they are codes of the same year as session 1's and none is one of
// them; an elective has no second-session test (Neni 14.4).
func TestNeni58_CodesOfTheSecondSession(t *testing.T) {
	t.Parallel()
	s := newSecond(t)
	before := count(t, s.world, `SELECT COUNT(*) FROM anonym_codes WHERE year = $1 AND exam = 'D1'`, year)
	res, err := s.k.Anonym.Generate(s.ctx, ava, year, "D1-2")
	if err != nil {
		t.Fatal(err)
	}
	if res.Exam != "D1-2" || res.ExamLabel != "D1 (sesioni 2)" || res.Codes != s.seats || res.Labels != 2 || !res.Created {
		t.Fatalf("generate: %+v (seats %d)", res, s.seats)
	}
	if n := count(t, s.world, `SELECT COUNT(*) FROM anonym_codes WHERE year = $1 AND exam = 'D1'`, year); n != before || n == 0 {
		t.Fatalf("session 1's codes: %d, were %d", n, before)
	}
	// Only the candidates of the session-2 plan are seated for the codes.
	rows, err := s.k.DB.Query(`SELECT student_id FROM anonym_seated WHERE year = $1 AND exam = 'D1-2'`, year)
	if err != nil {
		t.Fatal(err)
	}
	seated := 0
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		if !s.retakers[id] {
			t.Fatalf("student %d is not on the Neni 58 list", id)
		}
		seated++
	}
	rows.Close()
	if seated != s.seats {
		t.Fatalf("%d seated of %d", seated, s.seats)
	}
	// No code of session 2 is a code of session 1: the year's codes are
	// one set (anonym_codes' key is year and code).
	if n := count(t, s.world, `SELECT COUNT(DISTINCT code) FROM anonym_codes WHERE year = $1`, year); n != before+s.seats {
		t.Fatalf("%d distinct codes, %d + %d made", n, before, s.seats)
	}
	if n := count(t, s.world, `SELECT COUNT(*) FROM anonym_codes a WHERE a.year = $1 AND a.exam = 'D1-2' AND EXISTS
		(SELECT 1 FROM anonym_codes b WHERE b.year = a.year AND b.exam = 'D1' AND b.code = a.code)`, year); n != 0 {
		t.Fatalf("%d codes of session 2 are session 1's", n)
	}
	// The status and the label sheets name the session.
	st, err := s.k.Anonym.Status(s.ctx, ava, year, "d1-2")
	if err != nil || st.Exam != "D1-2" || st.ExamLabel != "D1 (sesioni 2)" || st.Codes != s.seats {
		t.Fatalf("status: %+v %v", st, err)
	}
	_, exams, err := s.k.Anonym.ExamList(s.ctx)
	if err != nil || !slices.ContainsFunc(exams, func(e anonym.ExamRef) bool { return e.Code == "D1-2" && e.Label == "D1 (sesioni 2)" && e.Session == 2 }) {
		t.Fatalf("exam list: %+v %v", exams, err)
	}
	if slices.ContainsFunc(exams, func(e anonym.ExamRef) bool { return e.Session == 2 && e.Code != "D1-2" && e.Code != "D2-2" }) {
		t.Fatalf("an elective in session 2: %+v", exams)
	}
	set, err := s.k.Anonym.LabelSet(s.ctx, ava, year, "D1-2", st.Venues[0].Venue)
	if err != nil || set.Exam != "D1-2" || len(set.Rooms) == 0 {
		t.Fatalf("label set: %+v %v", set, err)
	}
	if text := pdfOf(t, set); !strings.Contains(text, "D1 (sesioni 2)") {
		t.Fatalf("the label sheets do not name the session: %q", text[:min(len(text), 300)])
	}
	// Neni 14.4: no elective in session 2.
	if el := s.cfg.Electives(); len(el) > 0 {
		if _, err := s.k.Anonym.Generate(s.ctx, ava, year, el[0].Code+"-2"); !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("Neni 14.4: codes of %s-2: %v", el[0].Code, err)
		}
	}
}

// TestNeni58_ExamDayOfASecondSessionRoom: on the second session's day
// the staff drawn for it check in the candidates of the session-2 rooms
// (Neni 52, 58 ¶4: the same rules); a candidate of session 1 only is not
// on its list; the desk attaches a session-2 label to a session-2
// candidate and refuses a code of session 1 (Neni 53.3).
func TestNeni58_ExamDayOfASecondSessionRoom(t *testing.T) {
	t.Parallel()
	s := newSecond(t)
	eve := time.Date(s.start.Year(), s.start.Month(), s.start.Day()-1, 15, 0, 0, 0, examyear.Tirana)
	s.k.Clock.Set(eve)
	if _, err := s.k.Anonym.Generate(s.ctx, ava, year, "D1-2"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.k.Anonym.NameHolders(s.ctx, ava, year, "D1-2", []string{"Mbajtësi 1", "Mbajtësi 2", "Mbajtësi 3"}, 2); err != nil {
		t.Fatal(err)
	}
	s.drawAll(t)
	var venueCode string
	var roles map[string][]int64
	for v, r := range s.drawnAt2(t) {
		if len(r[draw.RolePAP]) > 0 && (venueCode == "" || v < venueCode) {
			venueCode, roles = v, r
		}
	}
	if venueCode == "" {
		t.Fatal("no venue with a PAP drawn for session 2")
	}
	pap := staff(auth.RolePAP, roles[draw.RolePAP][0])
	desk := pap
	if len(roles[draw.RoleAS]) > 0 {
		desk = staff(auth.RoleAS, roles[draw.RoleAS][0])
	}
	places, err := s.svc.Places(s.ctx, pap)
	if err != nil || !slices.ContainsFunc(places, func(a examday.Assignment) bool {
		return a.Session == 2 && a.Exam == "D1" && a.Venue == venueCode && a.ExamLabel == "D1 (sesioni 2)"
	}) {
		t.Fatalf("the PAP's places: %+v %v", places, err)
	}
	if a, err := s.svc.Access(s.ctx, pap, year, "D1-2"); err != nil || a.Session != 2 || a.Venue != venueCode {
		t.Fatalf("the PAP's place in D1-2: %+v %v", a, err)
	}
	day, err := s.svc.Venue(s.ctx, ava, 2, "D1", venueCode, true)
	if err != nil || len(day.Rooms) == 0 || len(day.Rooms[0].Entries) == 0 {
		t.Fatalf("the venue's session-2 day: %+v %v", day.Rooms, err)
	}
	if day.Assignment.Session != 2 || day.Assignment.ExamLabel != "D1 (sesioni 2)" {
		t.Fatalf("assignment: %+v", day.Assignment)
	}
	for _, r := range day.Rooms {
		for _, e := range r.Entries {
			if !s.retakers[e.StudentID] {
				t.Fatalf("%s in room %s is not on the Neni 58 list", e.RegNo, r.Name)
			}
		}
	}
	room := day.Rooms[0]
	first := room.Entries[0]
	s.at2(t, "09:05")
	o, err := s.svc.CheckInOne(s.ctx, pap, examday.CheckIn{Session: 2, Exam: "D1", Venue: venueCode, Room: room.Name, RegNo: first.RegNo,
		DocType: examday.DocIDCard, DocNo: "I" + first.RegNo})
	if err != nil || o.Status != examday.Admitted || o.Seat == 0 {
		t.Fatalf("check-in in session 2: %+v %v", o, err)
	}
	if n := count(t, s.world, `SELECT COUNT(*) FROM examday_checkins WHERE year = $1 AND session = 2 AND exam = 'D1' AND student_id = $2`, year, first.StudentID); n != 1 {
		t.Fatalf("check-in rows of session 2: %d", n)
	}
	// A candidate of D1 in session 1 only is not on this room's list.
	var other string
	if err := s.k.DB.QueryRow(`SELECT reg_no FROM final_lists WHERE year = $1 AND exam = 'D1' ORDER BY student_id LIMIT 1 OFFSET 1`, year).Scan(&other); err != nil {
		t.Fatal(err)
	}
	if o, _ := s.svc.CheckInOne(s.ctx, pap, examday.CheckIn{Session: 2, Exam: "D1", Venue: venueCode, Room: room.Name, RegNo: other,
		DocType: examday.DocIDCard, DocNo: "I" + other}); o.Status == examday.Admitted {
		t.Fatalf("a session-1 candidate let into session 2: %+v", o)
	}
	// The desk: a code of session 1 is refused, one of the room's
	// session-2 codes attached.
	var old string
	if err := s.k.DB.QueryRow(`SELECT code FROM anonym_codes WHERE year = $1 AND exam = 'D1' ORDER BY venue_code <> $2, code LIMIT 1`, year, venueCode).Scan(&old); err != nil {
		t.Fatal(err)
	}
	if _, err := s.svc.AttachLabel(s.ctx, desk, examday.Attach{Session: 2, Exam: "D1", Venue: venueCode, RegNo: first.RegNo, Code: old}); err == nil {
		t.Fatal("Neni 53.3: a session-1 code attached at a session-2 desk")
	}
	set, err := s.k.Anonym.LabelSet(s.ctx, ava, year, "D1-2", venueCode)
	if err != nil {
		t.Fatal(err)
	}
	var code string
	for _, r := range set.Rooms {
		if r.Name == room.Name && len(r.Codes) > 0 {
			code = r.Codes[0]
		}
	}
	if code == "" {
		t.Fatalf("no session-2 code for room %s", room.Name)
	}
	if _, err := s.svc.AttachLabel(s.ctx, desk, examday.Attach{Session: 2, Exam: "D1", Venue: venueCode, RegNo: first.RegNo, Code: code}); err != nil {
		t.Fatalf("attach a session-2 label: %v", err)
	}
	if n := count(t, s.world, `SELECT COUNT(*) FROM anonym_codes WHERE year = $1 AND exam = 'D1-2' AND used`, year); n != 1 {
		t.Fatalf("session-2 codes used: %d", n)
	}
	if n := count(t, s.world, `SELECT COUNT(*) FROM anonym_codes WHERE year = $1 AND exam = 'D1' AND used`, year); n != 0 {
		t.Fatalf("session-1 codes used: %d", n)
	}
	if n := count(t, s.world, `SELECT COUNT(*) FROM examday_checkins WHERE year = $1 AND session = 2 AND student_id = $2 AND labelled_at <> ''`, year, first.StudentID); n != 1 {
		t.Fatal("the check-in is not labelled")
	}
	// Retention (Neni 65) destroys the links of the year, both sessions'.
	links := count(t, s.world, `SELECT COUNT(*) FROM anonym_links WHERE year = $1`, year)
	if links < 1 || count(t, s.world, `SELECT COUNT(*) FROM anonym_links WHERE year = $1 AND exam = 'D1-2'`, year) != 1 {
		t.Fatalf("links: %d", links)
	}
	if n, err := s.k.Anonym.DestroyLinks(s.ctx, year, true); err != nil || n["anonym_links"] != int64(links) ||
		n["anonym_codes"] != int64(count(t, s.world, `SELECT COUNT(*) FROM anonym_codes WHERE year = $1`, year)) {
		t.Fatalf("retention counts %v of %d links: %v", n, links, err)
	}
	// The venue's label counts are those of the session-2 codes.
	day, err = s.svc.Venue(s.ctx, ava, 2, "D1", venueCode, false)
	if err != nil {
		t.Fatal(err)
	}
	used := 0
	for _, c := range day.Labels {
		used += c.Used
	}
	if used != 1 {
		t.Fatalf("label counts of the session-2 day: %+v", day.Labels)
	}
	// The draw's desk check takes the test key.
	if err := s.svc.CheckStaff(s.ctx, desk, year, "D1-2", venueCode); err != nil {
		t.Fatalf("desk check of D1-2: %v", err)
	}
}

// pdfOf renders a label set and returns its text (pdftotext).
func pdfOf(t *testing.T, set anonym.LabelSet) string {
	t.Helper()
	body, err := anonym.RenderLabels(set)
	if err != nil {
		t.Fatal(err)
	}
	f := filepath.Join(t.TempDir(), "etiketat.pdf")
	if err := os.WriteFile(f, body, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-layout", f, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	return strings.Join(strings.Fields(string(out)), " ")
}
