package draw_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"provim/internal/albanian"
	"provim/internal/auth"
	"provim/internal/clock"
	"provim/internal/demo"
	"provim/internal/draw"
	"provim/internal/testkit"
)

// nationalPlan loads the demo's national registry (~35,000 maturants,
// ~4,000 staff, ~1,500 rooms) and seats every maturant for D1 in the rooms
// of their own DAR/ZA, room after room (a stand-in for the venue plan).
func nationalPlan(b *testing.B) (*testkit.Kit, []string) {
	ctx := context.Background()
	kit := testkit.New(b)
	db := kit.DB
	if err := demo.Load(ctx, kit.Registry, ava, demo.Generate(20270601, 2027), nil); err != nil {
		b.Fatal(err)
	}
	years := kit.Years
	if _, err := years.Create(ctx, ava, 2027, "", 2009); err != nil {
		b.Fatal(err)
	}
	years.SetActive(ctx, ava, 2027)
	type room struct {
		id    int64
		venue string
		seats int
	}
	rooms := map[string][]room{}
	rows, err := db.Query(`SELECT r.id, r.venue_code, r.seats, v.unit_code FROM rooms r JOIN venues v ON v.code = r.venue_code ORDER BY v.code, r.id`)
	if err != nil {
		b.Fatal(err)
	}
	for rows.Next() {
		var r room
		var unit string
		rows.Scan(&r.id, &r.venue, &r.seats, &unit)
		rooms[unit] = append(rooms[unit], r)
	}
	rows.Close()
	students := map[string][]int64{}
	rows, err = db.Query(`SELECT st.id, sc.unit_code FROM students st JOIN schools sc ON sc.code = st.school_code WHERE st.category = 'maturant' ORDER BY st.id`)
	if err != nil {
		b.Fatal(err)
	}
	for rows.Next() {
		var id int64
		var unit string
		rows.Scan(&id, &unit)
		students[unit] = append(students[unit], id)
	}
	rows.Close()
	seated := 0
	err = db.InTx(ctx, func(ctx context.Context) error {
		st, err := db.Q(ctx).PrepareContext(ctx, `INSERT INTO exam_seats (year, session, exam, student_id, venue_code, room_id, seat_no) VALUES (2027, 1, 'D1', $1, $2, $3, $4)`)
		if err != nil {
			return err
		}
		defer st.Close()
		for unit, ids := range students {
			rs, k, seat := rooms[unit], 0, 0
			for _, id := range ids {
				for k < len(rs) && seat >= rs[k].seats {
					k, seat = k+1, 0
				}
				if k == len(rs) {
					break
				}
				seat++
				if _, err := st.ExecContext(ctx, id, rs[k].venue, rs[k].id, seat); err != nil {
					return err
				}
				seated++
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	// The demo's staff (~4,000, one teacher per 11 maturants) is too few
	// for D1 once Neni 50 takes out the Albanian teachers and each venue's
	// own schools: add one reserve teacher (no school, informatics) per 40
	// candidates of each DAR/ZA, so that every DAR can be drawn.
	err = db.InTx(ctx, func(ctx context.Context) error {
		st, err := db.Q(ctx).PrepareContext(ctx, `INSERT INTO staff (personal_no, first_name, father_name, last_name, sex, unit_code, position, subjects, sort_key, updated_at)
			VALUES ($1, 'Rezervë', 'X', $2, 'F', $3, 'mesues', 'INF', $4, '2027-01-01T00:00:00Z')`)
		if err != nil {
			return err
		}
		defer st.Close()
		n := 0
		for unit, ids := range students {
			for range len(ids) / 40 {
				n++
				last := fmt.Sprintf("Rezervë%05d", n)
				if _, err := st.ExecContext(ctx, fmt.Sprintf("R%09d", n), last, unit, albanian.SortKey(last, "Rezervë", "X")); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	db.Analyze(ctx)
	var dars []string
	rows, _ = db.Query(`SELECT code FROM units WHERE kind = 'DAR' ORDER BY code`)
	for rows.Next() {
		var c string
		rows.Scan(&c)
		dars = append(dars, c)
	}
	rows.Close()
	b.Logf("%d candidates seated", seated)
	return kit, dars
}

// BenchmarkStaffingAndDrawNational35k measures the target: the
// staffing needs and the draw (commitment and draw) of D1 in every DAR of
// the national demo on SQLite. The lists per role are filled beforehand.
func BenchmarkStaffingAndDrawNational35k(b *testing.B) {
	ctx := context.Background()
	k, dars := nationalPlan(b)
	svc := k.Draws
	kmsh := func(dar string) *auth.Principal {
		return &auth.Principal{Username: "kmsh." + dar, Role: auth.RoleKMSH, Unit: dar}
	}
	k.Clock.Set(time.Date(2027, 6, 8, 6, 0, 0, 0, clock.Tirana))
	for _, dar := range dars {
		if _, err := svc.FillPool(ctx, kmsh(dar), 1, "D1", dar); err != nil {
			b.Fatal(err)
		}
	}
	if testing.Verbose() {
		for _, dar := range dars {
			in, _ := svc.Needs(ctx, kmsh(dar), 1, "D1", dar)
			have := map[string]int{}
			for _, p := range in.Pool {
				have[p.Role]++
			}
			b.Logf("%s: needs %v, lists %v", dar, draw.Totals(in.Venues), have)
		}
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		places, venues, rooms, candidates := 0, 0, 0, 0
		for _, dar := range dars {
			k.Clock.Set(time.Date(2027, 6, 8, 6, 30, 0, 0, clock.Tirana))
			in, err := svc.Needs(ctx, kmsh(dar), 1, "D1", dar)
			if err != nil {
				b.Fatal(err)
			}
			venues += len(in.Venues)
			candidates += draw.Totals(in.Venues)["candidates"]
			for _, v := range in.Venues {
				rooms += len(v.Rooms)
			}
			reason := ""
			if i > 0 {
				reason = fmt.Sprintf("matje %d", i)
			}
			rec, err := svc.Commit(ctx, kmsh(dar), draw.CommitRequest{Session: 1, Exam: "D1", Unit: dar, Reason: reason})
			if err != nil {
				b.Fatalf("%s: %v", dar, err)
			}
			k.Clock.Set(time.Date(2027, 6, 8, 7, 15, 0, 0, clock.Tirana))
			rec, err = svc.Run(ctx, kmsh(dar), rec.ID, "12 7 33 41")
			if err != nil {
				b.Fatalf("%s: %v", dar, err)
			}
			places += len(rec.Result)
		}
		b.ReportMetric(float64(venues), "venues")
		b.ReportMetric(float64(rooms), "rooms")
		b.ReportMetric(float64(candidates), "candidates")
		b.ReportMetric(float64(places), "places")
	}
}
