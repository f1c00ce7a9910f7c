package demo

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"provim/internal/testkit"
)

// TestRunDraws runs the demo's draw phase on a small country: without a
// plan it says so; with every maturant seated in their own DAR/ZA it draws
// D1 in the DAR whose lists suffice and reports the others.
func TestRunDraws(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	k := testkit.New(t)
	db := k.DB
	if err := Load(ctx, k.Registry, ava, GenerateN(seed, 2027, 3000), nil); err != nil {
		t.Fatal(err)
	}
	if _, err := k.Years.Create(ctx, ava, 2027, "", 2009); err != nil {
		t.Fatal(err)
	}
	k.Years.SetActive(ctx, ava, 2027)
	var msgs []string
	progress := func(s string) { msgs = append(msgs, s) }
	if err := RunDraws(ctx, k.Services, k.Clock, ava, progress); err != nil || len(msgs) != 1 || !strings.Contains(msgs[0], "exam_seats") {
		t.Fatalf("without a plan: %v %q", err, msgs)
	}
	// A stand-in plan: each unit's maturants fill its rooms in order.
	type room struct {
		id          int64
		venue       string
		seats, used int
	}
	rooms := map[string][]*room{}
	rows, err := db.Query(`SELECT r.id, r.venue_code, r.seats, v.unit_code FROM rooms r JOIN venues v ON v.code = r.venue_code ORDER BY r.id`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		r := &room{}
		var unit string
		rows.Scan(&r.id, &r.venue, &r.seats, &unit)
		rooms[unit] = append(rooms[unit], r)
	}
	rows.Close()
	type seat struct {
		student int64
		school  string
		r       *room
	}
	var seats []seat
	rows, err = db.Query(`SELECT st.id, sc.code, sc.unit_code FROM students st JOIN schools sc ON sc.code = st.school_code WHERE st.category = 'maturant' ORDER BY st.id`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id int64
		var school, unit string
		rows.Scan(&id, &school, &unit)
		for _, r := range rooms[unit] {
			if r.used < r.seats {
				r.used++
				seats = append(seats, seat{id, school, r})
				break
			}
		}
	}
	rows.Close()
	for _, s := range seats {
		if _, err := db.Exec(`INSERT INTO exam_seats (year, session, exam, student_id, venue_code, room_id, seat_no) VALUES (2027, 1, 'D1', $1, $2, $3, $4)`,
			s.student, s.r.venue, s.r.id, s.r.used); err != nil {
			t.Fatal(err)
		}
		// Only candidates on the final list count (Neni 48.3, 52.6).
		if _, err := db.Exec(`INSERT INTO final_lists (year, exam, student_id, reg_no, school_code) VALUES (2027, 'D1', $1, $2, $3)`,
			s.student, fmt.Sprintf("R%06d", s.student), s.school); err != nil {
			t.Fatal(err)
		}
	}
	msgs = nil
	if err := RunDraws(ctx, k.Services, k.Clock, ava, progress); err != nil {
		t.Fatal(err)
	}
	t.Log(strings.Join(msgs, "\n"))
	last := msgs[len(msgs)-1]
	if !strings.Contains(last, "Shorti i personelit për D1") {
		t.Fatalf("summary %q", last)
	}
	var drawn int
	db.QueryRow(`SELECT COUNT(*) FROM draws WHERE status = 'drawn'`).Scan(&drawn)
	if drawn == 0 {
		t.Errorf("no DAR was drawn:\n%s", strings.Join(msgs, "\n"))
	}
}
