package venue_test

import (
	"bytes"
	"context"
	"fmt"
	docpdf "provim/internal/doc/pdf"
	"strings"
	"testing"
	"time"

	"provim/internal/albanian"
	"provim/internal/apperr"
	"provim/internal/auth"
	"provim/internal/clock"
	"provim/internal/registry"
	"provim/internal/store"
	"provim/internal/testkit"
	"provim/internal/venue"
)

var (
	ava    = &auth.Principal{Username: "ava", Role: auth.RoleAVA}
	kmshA  = &auth.Principal{Username: "kmsh.a", Role: auth.RoleKMSH, Unit: "DAR-A"}
	kmshZA = &auth.Principal{Username: "kmsh.za", Role: auth.RoleKMSH, Unit: "ZA-A1"}
	kmshB  = &auth.Principal{Username: "kmsh.b", Role: auth.RoleKMSH, Unit: "DAR-B"}
	school = &auth.Principal{Username: "kshmsh.a", Role: auth.RoleKSHMSH, School: "A-1"}
)

// good is a checklist that meets every criterion of Neni 38.
var good = venue.Checklist{SpacingCM: 120, DeskWidthCM: 60, DeskDepthCM: 40, OneDirection: true, AiredLit: true,
	NoPosters: true, NoOtherActivity: true, RoadAccess: true}

var firstNames = []string{"Arbër", "Besa", "Çlirim", "Dea", "Edi", "Ëngjëll", "Fatos", "Gëzim", "Hana", "Ilir", "Jonida", "Klea", "Luan", "Mira", "Nora"}

type world struct {
	*testkit.Kit
	db  *store.DB
	svc *venue.Service
	ids map[string][]int64 // student ids by school
}

// day moves the clock to noon of date in Tirana.
func (w *world) day(date string) {
	d, _ := time.ParseInLocation("2006-01-02", date, clock.Tirana)
	w.Clock.Set(d.Add(12 * time.Hour))
}

// Last names chosen to test Albanian order: C < Ç < D < Dh < E < Ë.
var lastNames = []string{"Zeka", "Çela", "Cani", "Dhima", "Dema", "Ëmiri", "Elezi", "Shehu", "Sula", "Gjoni", "Gega", "Hoxha", "Lleshi", "Leka", "Xhafa", "Bardhi", "Ahmeti", "Nano", "Nikolla", "Rama"}

// newWorld: DAR-A (Tiranë) with ZA-A1 (Kavajë) under it, and DAR-B
// (Durrës). DAR-A has a large public school A-1 (30), a small public
// school A-2 (10), a non-public school A-3 (25, no building of its own)
// and a small public school A-4 (8) in Vorë; ZA-A1 a school of 12;
// DAR-B a school of 3. Every candidate is on the final lists of D1 and
// of the elective FIZ.
func newWorld(t *testing.T) *world {
	t.Helper()
	ctx := context.Background()
	k := testkit.New(t)
	db, reg := k.DB, k.Registry
	type sc struct {
		code, name, unit, city, public string
		n                              int
	}
	schools := []sc{
		{"A-1", "Gjimnazi Çajupi", "DAR-A", "Tiranë", "po", 30},
		{"A-2", "Gjimnazi Petro Nini", "DAR-A", "Tiranë", "po", 10},
		{"A-3", "Kolegji Privat Arti", "DAR-A", "Tiranë", "jo", 25},
		{"A-4", "Gjimnazi Vorë", "DAR-A", "Vorë", "po", 8},
		{"A1-1", "Gjimnazi Kavaja", "ZA-A1", "Kavajë", "po", 12},
		{"B-1", "Gjimnazi Durrësi", "DAR-B", "Durrës", "po", 3},
	}
	var schoolCSV, studentCSV strings.Builder
	schoolCSV.WriteString("kodi,emri,kodi_dar_za,qyteti,publike,profili,vite\n")
	studentCSV.WriteString("nr_personal,emri,atesia,mbiemri,datelindja,kodi_shkolles\n")
	serial := 0
	for _, s := range schools {
		fmt.Fprintf(&schoolCSV, "%s,%s,%s,%s,%s,gjimnaz,4\n", s.code, s.name, s.unit, s.city, s.public)
		for i := range s.n {
			serial++
			birth := time.Date(2009, 3, 1+serial%28, 0, 0, 0, 0, time.UTC)
			fmt.Fprintf(&studentCSV, "%s,%s,Atë,%s,%s,%s\n", registry.MakeNID(birth, "M", serial), firstNames[i%len(firstNames)], lastNames[serial%len(lastNames)], birth.Format("02.01.2006"), s.code)
		}
	}
	venues := "kodi_qendres,emri_qendres,kodi_shkolles,qyteti,salla,kati,vende,gjatesia_cm,gjeresia_cm\n" +
		"Q-A-1,Gjimnazi Çajupi,A-1,Tiranë,Salla 1,0,30,900,600\n" +
		"Q-A-1,Gjimnazi Çajupi,A-1,Tiranë,Salla 2,0,30,900,600\n" +
		"Q-A-1,Gjimnazi Çajupi,A-1,Tiranë,Salla 3,1,30,900,600\n" +
		"Q-A-2,Gjimnazi Petro Nini,A-2,Tiranë,Salla 1,0,20,800,500\n" +
		"Q-A-4,Gjimnazi Vorë,A-4,Vorë,Salla 1,0,20,800,500\n" +
		"Q-A1-1,Gjimnazi Kavaja,A1-1,Kavajë,Salla 1,0,30,900,600\n" +
		"Q-B-1,Gjimnazi Durrësi,B-1,Durrës,Salla 1,0,30,900,600\n"
	for _, f := range []struct{ entity, body string }{
		{"units", "kodi,emri,lloji,kodi_prind,qyteti\nDAR-A,DAR Tiranë,DAR,,Tiranë\nZA-A1,ZA Kavajë,ZA,DAR-A,Kavajë\nDAR-B,DAR Durrës,DAR,,Durrës\n"},
		{"schools", schoolCSV.String()},
		{"students", studentCSV.String()},
		{"venues", venues},
	} {
		if _, err := reg.Import(ctx, ava, f.entity, f.entity+".csv", strings.NewReader(f.body), nil); err != nil {
			if ie, ok := err.(*registry.ImportError); ok && len(ie.Rows) > 0 {
				t.Fatalf("%s: %v %s", f.entity, err, ie.Rows[0].String())
			}
			t.Fatalf("%s: %v", f.entity, err)
		}
	}
	if _, err := k.Years.Create(ctx, ava, 2027, "", 2009); err != nil {
		t.Fatal(err)
	}
	if err := k.Years.SetActive(ctx, ava, 2027); err != nil {
		t.Fatal(err)
	}
	w := &world{Kit: k, db: db, svc: k.Venues, ids: map[string][]int64{}}
	rows, err := db.Query(`SELECT id, school_code FROM students ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id int64
		var code string
		rows.Scan(&id, &code)
		w.ids[code] = append(w.ids[code], id)
	}
	rows.Close()
	for _, exam := range []string{"D1", "FIZ"} {
		if _, err := db.Exec(`INSERT INTO final_lists (year, exam, student_id, reg_no, school_code) SELECT 2027, $1, id, 'R' || CAST(id AS TEXT), school_code FROM students`, exam); err != nil {
			t.Fatal(err)
		}
	}
	return w
}

// inspectAll inspects every venue as suitable on 1 April 2027.
func (w *world) inspectAll(t *testing.T) {
	t.Helper()
	w.day("2027-04-01")
	for _, code := range []string{"Q-A-1", "Q-A-2", "Q-A-4", "Q-A1-1", "Q-B-1"} {
		if _, err := w.svc.Inspect(context.Background(), ava, code, venue.InspectionInput{Checklist: good}); err != nil {
			t.Fatalf("inspect %s: %v", code, err)
		}
	}
}

type seat struct {
	Venue string
	Room  int64
	No    int
}

func (w *world) seats(t *testing.T, exam string) map[int64]seat {
	t.Helper()
	rows, err := w.db.Query(`SELECT student_id, venue_code, room_id, seat_no FROM exam_seats WHERE year = 2027 AND session = 1 AND exam = $1`, exam)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[int64]seat{}
	for rows.Next() {
		var id int64
		var s seat
		rows.Scan(&id, &s.Venue, &s.Room, &s.No)
		out[id] = s
	}
	return out
}

func wantCode(t *testing.T, err error, code string, words ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("want %s error, got nil", code)
	}
	if apperr.CodeOf(err) != code {
		t.Fatalf("want %s, got %s: %v", code, apperr.CodeOf(err), err)
	}
	var e *apperr.Error
	msg := apperr.MessageOf(err)
	if ok := asErr(err, &e); ok {
		msg += " " + strings.Join(e.Details, " ")
	}
	for _, word := range words {
		if !strings.Contains(msg, word) {
			t.Errorf("error %q does not mention %q", msg, word)
		}
	}
}

func asErr(err error, target **apperr.Error) bool {
	e, ok := err.(*apperr.Error)
	if ok {
		*target = e
	}
	return ok
}

func TestNeni38_RoomSeatsFollowDimensionsAndSpacing(t *testing.T) {
	t.Parallel()
	// 900 × 600 cm: rows ⌊(900−100−40)/120⌋+1 = 7, columns ⌊(600−60)/120⌋+1 = 5.
	if got := venue.RoomSeats(900, 600, 0, good); got != 35 {
		t.Errorf("900×600: %d seats, want 35", got)
	}
	// Capped by the room's desks.
	if got := venue.RoomSeats(900, 600, 30, good); got != 30 {
		t.Errorf("900×600 with 30 desks: %d, want 30", got)
	}
	// A wider spacing seats fewer: 150 cm → rows 6, columns 4.
	wide := good
	wide.SpacingCM = 150
	if got := venue.RoomSeats(900, 600, 0, wide); got != 24 {
		t.Errorf("spacing 150: %d, want 24", got)
	}
	// A spacing under 120 cm never seats more than the rule allows.
	narrow := good
	narrow.SpacingCM = 80
	if got := venue.RoomSeats(900, 600, 0, narrow); got != 35 {
		t.Errorf("spacing 80: %d, want 35 (the 120 cm rule)", got)
	}
	if got := venue.RoomSeats(120, 50, 0, good); got != 0 {
		t.Errorf("a room narrower than a desk seats %d", got)
	}
}

func TestNeni38_FailedCriterionIsNamedAndVenueCannotBeUsed(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	w := newWorld(t)
	w.inspectAll(t)
	bad := good
	bad.AiredLit = false
	bad.DeskWidthCM = 50
	got, err := w.svc.Inspect(ctx, kmshA, "Q-A-2", venue.InspectionInput{Checklist: bad})
	if err != nil {
		t.Fatal(err)
	}
	if got.Suitable || strings.Join(got.Failed, ",") != "38.4,38.7" || !strings.Contains(got.FailedText, "ajrosura") || got.Seats != 0 {
		t.Fatalf("inspection: suitable=%v failed=%v text=%q seats=%d", got.Suitable, got.Failed, got.FailedText, got.Seats)
	}
	w.day("2027-06-01")
	if _, err := w.svc.Plan(ctx, kmshA, "D1", 1, ""); err != nil {
		t.Fatal(err)
	}
	for id, s := range w.seats(t, "D1") {
		if s.Venue == "Q-A-2" {
			t.Fatalf("student %d planned in the unsuitable venue", id)
		}
	}
	_, err = w.svc.Override(ctx, kmshA, "D1", 1, venue.OverrideInput{StudentIDs: w.ids["A-2"][:1], Venue: "Q-A-2", Reason: "afër shtëpisë"})
	wantCode(t, err, apperr.Invalid, "Q-A-2", "38.4", "38.7")
}

func TestNeni38_1_RoomUnder15IsNotUsed(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	w := newWorld(t)
	w.inspectAll(t)
	// 500 × 400 cm seats 4 × 3 = 12: below 15.
	var room int64
	w.db.QueryRow(`SELECT id FROM rooms WHERE venue_code = 'Q-A-4'`).Scan(&room)
	got, err := w.svc.Inspect(ctx, kmshA, "Q-A-4", venue.InspectionInput{Checklist: good, Rooms: []venue.RoomMeasure{{RoomID: room, LengthCM: 500, WidthCM: 400}}})
	if err != nil {
		t.Fatal(err)
	}
	if got.Rooms[0].Seats != 12 || got.Rooms[0].Usable || got.Suitable || strings.Join(got.Failed, ",") != "38.1" {
		t.Fatalf("room %+v suitable=%v failed=%v", got.Rooms[0], got.Suitable, got.Failed)
	}
}

func TestNeni37_InspectionAfterDeadlineNeedsAVAWithReason(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	w := newWorld(t)
	w.day("2027-04-09") // the day after the inspection deadline (8 April)
	_, err := w.svc.Inspect(ctx, kmshA, "Q-A-1", venue.InspectionInput{Checklist: good})
	wantCode(t, err, apperr.Invalid, "08.04.2027", "AVA")
	_, err = w.svc.Inspect(ctx, ava, "Q-A-1", venue.InspectionInput{Checklist: good})
	wantCode(t, err, apperr.Invalid, "arsyen")
	got, err := w.svc.Inspect(ctx, ava, "Q-A-1", venue.InspectionInput{Checklist: good, Reason: "Rikontroll pas riparimit të çatisë"})
	if err != nil || got.LateReason == "" || !got.Suitable || got.Seats != 90 {
		t.Fatalf("AVA approval: %+v %v", got, err)
	}
	var n int
	w.db.QueryRow(`SELECT COUNT(*) FROM audit_log WHERE object_type = 'venue_inspection' AND after LIKE '%Rikontroll%'`).Scan(&n)
	if n != 1 {
		t.Errorf("audit entries with the approval reason: %d", n)
	}
}

func TestNeni41_VenueListSentByDeadlineThenChangesNeedAVA(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	w := newWorld(t)
	w.day("2027-04-01")
	// Not every venue inspected: the list cannot be sent.
	if _, err := w.svc.Inspect(ctx, kmshA, "Q-A-1", venue.InspectionInput{Checklist: good}); err != nil {
		t.Fatal(err)
	}
	_, err := w.svc.SendList(ctx, kmshA, "DAR-A", "")
	wantCode(t, err, apperr.Invalid, "nuk janë inspektuar", "Q-A-2")
	w.inspectAll(t)
	st, err := w.svc.SendList(ctx, kmshA, "DAR-A", "")
	if err != nil || st.Venues != 4 {
		t.Fatalf("send: %+v %v", st, err)
	}
	// Sent: the KMSH may no longer change a venue, AVA approves with a reason.
	_, err = w.svc.Inspect(ctx, kmshA, "Q-A1-1", venue.InspectionInput{Checklist: good})
	wantCode(t, err, apperr.Invalid, "dërguar", "Neni 41")
	if _, err := w.svc.Inspect(ctx, ava, "Q-A1-1", venue.InspectionInput{Checklist: good, Reason: "Miratuar nga AVA"}); err != nil {
		t.Fatal(err)
	}
	// DAR-B past 10 May: KMSH refused.
	w.day("2027-05-11")
	_, err = w.svc.SendList(ctx, kmshB, "DAR-B", "")
	wantCode(t, err, apperr.Invalid, "10.05.2027")
}

func TestNeni39_SmallSchoolsGroupedNonPublicInPublicVenues(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	w := newWorld(t)
	w.inspectAll(t)
	w.day("2027-06-01")
	res, err := w.svc.Plan(ctx, ava, "D1", 1, "")
	if err != nil {
		t.Fatal(err)
	}
	if res.Candidates != 88 || res.Units != 3 {
		t.Fatalf("plan: %+v", res)
	}
	seats := w.seats(t, "D1")
	if len(seats) != 88 {
		t.Fatalf("%d seats, want 88", len(seats))
	}
	venueOf := func(school string) map[string]int {
		out := map[string]int{}
		for _, id := range w.ids[school] {
			out[seats[id].Venue]++
		}
		return out
	}
	// A-1 (30) in its own building.
	if v := venueOf("A-1"); v["Q-A-1"] != 30 {
		t.Errorf("A-1: %v", v)
	}
	// A-2 (10 ≤ 20) grouped into the venue already open in Tiranë, not alone in its own.
	if v := venueOf("A-2"); v["Q-A-1"] != 10 {
		t.Errorf("A-2: %v", v)
	}
	// A-3 non-public: only public schools' buildings.
	for v := range venueOf("A-3") {
		if v != "Q-A-1" && v != "Q-A-2" && v != "Q-A-4" {
			t.Errorf("A-3 in %s", v)
		}
	}
	// A-4 (8, Vorë) joins an open venue, explained.
	sum, err := w.svc.Summary(ctx, kmshA, "D1", 1, "")
	if err != nil {
		t.Fatal(err)
	}
	if sum.Listed != 85 || sum.Candidates != 85 {
		t.Errorf("DAR-A summary: listed %d placed %d", sum.Listed, sum.Candidates)
	}
	reasons := map[string]string{}
	for _, g := range sum.Groups {
		reasons[g.SchoolCode] += g.Reason
	}
	if !strings.Contains(reasons["A-2"], "Neni 39") || !strings.Contains(reasons["A-3"], "jopublike") || !strings.Contains(reasons["A-4"], "grupohet") {
		t.Errorf("reasons: %v", reasons)
	}
	// Capacity never exceeded, per room.
	perRoom := map[int64]int{}
	for _, s := range seats {
		perRoom[s.Room]++
	}
	for room, n := range perRoom {
		var cap int
		w.db.QueryRow(`SELECT seats FROM venue_room_capacity WHERE year = 2027 AND room_id = $1`, room).Scan(&cap)
		if n > cap {
			t.Errorf("room %d: %d candidates, %d seats", room, n, cap)
		}
	}
}

func TestNeni40_ElectivesOnlyInTheUnitCity(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	w := newWorld(t)
	w.inspectAll(t)
	w.day("2027-06-01")
	if _, err := w.svc.Plan(ctx, kmshA, "FIZ", 1, "DAR-A"); err != nil {
		t.Fatal(err)
	}
	seats := w.seats(t, "FIZ")
	for _, id := range w.ids["A-4"] {
		if s := seats[id]; s.Venue != "Q-A-1" {
			t.Errorf("A-4 (Vorë) elective in %q, want the large venue of Tiranë", s.Venue)
		}
	}
	if len(seats) != 85 {
		t.Errorf("%d seats in DAR-A with its ZA, want 85", len(seats))
	}
	// The ZA's candidates sit in the ZA's city.
	if _, err := w.svc.Plan(ctx, kmshA, "FIZ", 1, "ZA-A1"); err != nil {
		t.Fatal(err)
	}
	for _, id := range w.ids["A1-1"] {
		if s := w.seats(t, "FIZ")[id]; s.Venue != "Q-A1-1" {
			t.Errorf("A1-1 elective in %q", s.Venue)
		}
	}
	// An override to a venue outside the city is refused.
	_, err := w.svc.Override(ctx, kmshA, "FIZ", 1, venue.OverrideInput{StudentIDs: w.ids["A-4"][:1], Venue: "Q-A-4", Reason: "afër"})
	wantCode(t, err, apperr.Invalid, "Neni 40", "Tiranë")
}

func TestNeni52_8_SingleRoomSeatsAlphabetical(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	w := newWorld(t)
	w.inspectAll(t)
	w.day("2027-06-01")
	if _, err := w.svc.Plan(ctx, ava, "D1", 1, "ZA-A1"); err != nil {
		t.Fatal(err)
	}
	var room int64
	w.db.QueryRow(`SELECT id FROM rooms WHERE venue_code = 'Q-A1-1'`).Scan(&room)
	l, err := w.svc.RoomList(ctx, kmshZA, "D1", 1, room)
	if err != nil {
		t.Fatal(err)
	}
	if !l.SingleRoom || len(l.Rows) != 12 {
		t.Fatalf("single=%v rows=%d", l.SingleRoom, len(l.Rows))
	}
	var names []string
	for i, r := range l.Rows {
		if r.SeatNo != i+1 || r.Line != i+1 {
			t.Errorf("row %d: seat %d line %d", i, r.SeatNo, r.Line)
		}
		parts := strings.Fields(r.FullName)
		names = append(names, parts[len(parts)-1]+" "+parts[0])
	}
	sorted := append([]string(nil), names...)
	albanian.SortBy(sorted, func(s string) string { return s })
	if strings.Join(sorted, "|") != strings.Join(names, "|") {
		t.Errorf("not in Albanian order:\n%v\nwant\n%v", names, sorted)
	}
	// The printed list: a PDF with the code-label and signature columns.
	var buf bytes.Buffer
	if err := docpdf.WriteTable(&buf, l.Document(w.svc.Now())); err != nil || !bytes.HasPrefix(buf.Bytes(), []byte("%PDF")) {
		t.Fatalf("pdf: %v", err)
	}
}

func TestNeni52_7_SeveralRoomsFilledInAlphabeticalBlocks(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	w := newWorld(t)
	w.inspectAll(t)
	w.day("2027-06-01")
	if _, err := w.svc.Plan(ctx, ava, "D1", 1, "DAR-A"); err != nil {
		t.Fatal(err)
	}
	sum, err := w.svc.Summary(ctx, ava, "D1", 1, "DAR-A")
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range sum.Venues {
		if v.Code != "Q-A-1" {
			continue
		}
		if len(v.Rooms) < 2 {
			t.Fatalf("Q-A-1 uses %d rooms", len(v.Rooms))
		}
		for _, r := range v.Rooms {
			l, err := w.svc.RoomList(ctx, kmshA, "D1", 1, r.ID)
			if err != nil {
				t.Fatal(err)
			}
			if l.SingleRoom {
				t.Errorf("room %s marked single", r.Name)
			}
			// Rooms spread evenly: none with a handful.
			if r.Candidates < venue.MinRoomSeats {
				t.Errorf("room %s has %d candidates", r.Name, r.Candidates)
			}
		}
	}
}

func TestNeni39_PlanIsDeterministic(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	w := newWorld(t)
	w.inspectAll(t)
	w.day("2027-06-01")
	if _, err := w.svc.Plan(ctx, ava, "D1", 1, ""); err != nil {
		t.Fatal(err)
	}
	first := w.seats(t, "D1")
	res, err := w.svc.Plan(ctx, ava, "D1", 1, "")
	if err != nil || res.Replaced != 88 {
		t.Fatalf("replan: %+v %v", res, err)
	}
	second := w.seats(t, "D1")
	if fmt.Sprint(first) != fmt.Sprint(second) {
		t.Error("the same input gave another plan")
	}
}

func TestNeni39_ShortageNamesUnitAndNumbersAndSavesNothing(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	w := newWorld(t)
	w.inspectAll(t)
	// The ZA's only venue now seats 12 × … : 700 × 400 → rows 5, cols 3 = 15 seats, 12 candidates fit;
	// make it 9 columns short: 600 × 400 → rows 4 × cols 3 = 12 < 15: unusable.
	var room int64
	w.db.QueryRow(`SELECT id FROM rooms WHERE venue_code = 'Q-A1-1'`).Scan(&room)
	if _, err := w.svc.Inspect(ctx, ava, "Q-A1-1", venue.InspectionInput{Checklist: good, Rooms: []venue.RoomMeasure{{RoomID: room, LengthCM: 600, WidthCM: 400}}}); err != nil {
		t.Fatal(err)
	}
	w.day("2027-06-01")
	_, err := w.svc.Plan(ctx, ava, "D1", 1, "")
	wantCode(t, err, apperr.Invalid, "ZA Kavajë", "12 kandidatë", "0 vende")
	var n int
	w.db.QueryRow(`SELECT COUNT(*) FROM exam_seats`).Scan(&n)
	if n != 0 {
		t.Errorf("%d seats saved after a failed plan", n)
	}
}

func TestNeni38_ReinspectionBelowThePlanNamesVenueAndNumbers(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	w := newWorld(t)
	w.inspectAll(t)
	w.day("2027-06-01")
	if _, err := w.svc.Plan(ctx, ava, "D1", 1, "ZA-A1"); err != nil {
		t.Fatal(err)
	}
	var room int64
	w.db.QueryRow(`SELECT id FROM rooms WHERE venue_code = 'Q-A1-1'`).Scan(&room)
	_, err := w.svc.Inspect(ctx, ava, "Q-A1-1", venue.InspectionInput{Checklist: good, Reason: "rimatje", Rooms: []venue.RoomMeasure{{RoomID: room, LengthCM: 600, WidthCM: 400}}})
	wantCode(t, err, apperr.Conflict, "Q-A1-1", "12 kandidatë", "0 vende")
	var seats int
	w.db.QueryRow(`SELECT seats FROM venue_room_capacity WHERE room_id = $1`, room).Scan(&seats)
	if seats != 30 {
		t.Errorf("the refused inspection changed the room to %d seats", seats)
	}
}

func TestNeni39_OverrideWithReasonIsAuditedAndRespectsCapacity(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	w := newWorld(t)
	w.inspectAll(t)
	w.day("2027-06-01")
	if _, err := w.svc.Plan(ctx, ava, "D1", 1, ""); err != nil {
		t.Fatal(err)
	}
	id := w.ids["A-2"][0]
	_, err := w.svc.Override(ctx, kmshA, "D1", 1, venue.OverrideInput{StudentIDs: []int64{id}, Venue: "Q-A-2"})
	wantCode(t, err, apperr.Invalid, "arsyen")
	n, err := w.svc.Override(ctx, kmshA, "D1", 1, venue.OverrideInput{StudentIDs: []int64{id}, Venue: "Q-A-2", Reason: "Nxënës me aftësi të kufizuara lëvizjeje: kati përdhe"})
	if err != nil || n != 1 {
		t.Fatalf("override: %d %v", n, err)
	}
	s := w.seats(t, "D1")[id]
	var reason string
	w.db.QueryRow(`SELECT override_reason FROM exam_seats WHERE student_id = $1 AND exam = 'D1'`, id).Scan(&reason)
	if s.Venue != "Q-A-2" || s.No != 1 || !strings.Contains(reason, "lëvizjeje") {
		t.Fatalf("seat %+v reason %q", s, reason)
	}
	var audited int
	w.db.QueryRow(`SELECT COUNT(*) FROM audit_log WHERE object_type = 'exam_plan' AND action = 'override' AND after LIKE '%lëvizjeje%'`).Scan(&audited)
	if audited != 1 {
		t.Errorf("audit entries: %d", audited)
	}
	// Q-A-2 seats 20 (800 × 500 → 6 × 4 = 24, 20 desks): 19 free, A-1 has 30.
	_, err = w.svc.Override(ctx, kmshA, "D1", 1, venue.OverrideInput{School: "A-1", Venue: "Q-A-2", Reason: "test"})
	wantCode(t, err, apperr.Conflict, "Q-A-2", "19 vende të lira", "30 kandidatë")
	// Non-public candidates only in public buildings: all are public here; a
	// KMSH of another DAR cannot see the venue.
	_, err = w.svc.Override(ctx, kmshB, "D1", 1, venue.OverrideInput{StudentIDs: []int64{id}, Venue: "Q-A-2", Reason: "x"})
	wantCode(t, err, apperr.NotFound)
}

func TestScope_KMSHOnlyItsDARWithItsZA(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	w := newWorld(t)
	w.inspectAll(t)
	w.day("2027-06-01")
	_, err := w.svc.Plan(ctx, kmshB, "D1", 1, "DAR-A")
	wantCode(t, err, apperr.NotFound)
	_, err = w.svc.Plan(ctx, kmshZA, "D1", 1, "DAR-A")
	wantCode(t, err, apperr.NotFound)
	if _, err := w.svc.Plan(ctx, kmshA, "D1", 1, "ZA-A1"); err != nil {
		t.Errorf("a DAR includes its ZA: %v", err)
	}
	_, err = w.svc.Plan(ctx, school, "D1", 1, "")
	wantCode(t, err, apperr.Forbidden)
	_, err = w.svc.Inspect(ctx, kmshB, "Q-A-1", venue.InspectionInput{Checklist: good})
	wantCode(t, err, apperr.NotFound)
	list, err := w.svc.Inspections(ctx, kmshZA, "")
	if err != nil || len(list) != 1 || list[0].VenueCode != "Q-A1-1" {
		t.Errorf("ZA inspections: %v %v", list, err)
	}
	// The exam day: the plan no longer changes.
	w.day("2027-06-08")
	_, err = w.svc.Plan(ctx, ava, "D1", 1, "")
	wantCode(t, err, apperr.Invalid, "08.06.2027")
}

func TestNeni12_9_StudentSeesOwnVenue(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	w := newWorld(t)
	w.inspectAll(t)
	w.day("2027-06-01")
	if _, err := w.svc.Plan(ctx, ava, "D1", 1, ""); err != nil {
		t.Fatal(err)
	}
	id := w.ids["A-1"][0]
	me := &auth.Principal{Username: "n", Role: auth.RoleStudent, StudentID: id}
	seats, err := w.svc.StudentSeats(ctx, me, id)
	if err != nil || len(seats) != 1 || seats[0].VenueCode != "Q-A-1" || seats[0].Date != "2027-06-08" || seats[0].Room == "" {
		t.Fatalf("seats: %+v %v", seats, err)
	}
	_, err = w.svc.StudentSeats(ctx, me, w.ids["A-2"][0])
	wantCode(t, err, apperr.NotFound)
	if _, err := w.svc.StudentSeats(ctx, school, id); err != nil {
		t.Errorf("the school commission informs its students: %v", err)
	}
	list, err := w.svc.SchoolSeats(ctx, school, "A-1", "D1", 1)
	if err != nil || len(list) != 30 || list[0].VenueCode != "Q-A-1" || list[0].Room == "" {
		t.Fatalf("school seats: %d %v", len(list), err)
	}
	_, err = w.svc.SchoolSeats(ctx, school, "A-2", "D1", 1)
	wantCode(t, err, apperr.NotFound)
	_, err = w.svc.SchoolSeats(ctx, kmshB, "A-1", "D1", 1)
	wantCode(t, err, apperr.NotFound)
	_, err = w.svc.SchoolSeats(ctx, me, "A-1", "D1", 1)
	wantCode(t, err, apperr.Forbidden)
}

func TestNeni41_VenueListPDF(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	w := newWorld(t)
	w.inspectAll(t)
	var buf bytes.Buffer
	l, err := w.svc.VenueList(ctx, kmshA, "DAR-A")
	if err != nil {
		t.Fatal(err)
	}
	if err := docpdf.WriteTable(&buf, l.Document(w.svc.Now())); err != nil || !bytes.HasPrefix(buf.Bytes(), []byte("%PDF")) {
		t.Fatalf("pdf: %v", err)
	}
	if _, err := w.svc.VenueList(ctx, kmshB, "DAR-A"); apperr.CodeOf(err) != apperr.NotFound {
		t.Errorf("other DAR: %v", err)
	}
}

// TestNeni39_ReplanOfAUnitKeepsOtherUnitsSeats: a candidate of the DAR
// moved by an override into a ZA's venue keeps that seat; re-planning the
// ZA alone would seat its own candidates over it, so it is refused and
// nothing changes (Neni 39: capacity is never exceeded).
func TestNeni39_ReplanOfAUnitKeepsOtherUnitsSeats(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	w := newWorld(t)
	w.inspectAll(t)
	w.day("2027-06-01")
	if _, err := w.svc.Plan(ctx, ava, "D1", 1, ""); err != nil {
		t.Fatal(err)
	}
	moved := w.ids["A-2"][0]
	if _, err := w.svc.Override(ctx, kmshA, "D1", 1, venue.OverrideInput{StudentIDs: []int64{moved}, Venue: "Q-A1-1", Reason: "banon në Kavajë"}); err != nil {
		t.Fatal(err)
	}
	before := w.seats(t, "D1")
	_, err := w.svc.Plan(ctx, kmshA, "D1", 1, "ZA-A1")
	wantCode(t, err, apperr.Conflict, "1 kandidatë të njësive të tjera")
	after := w.seats(t, "D1")
	if len(after) != len(before) || after[moved] != before[moved] {
		t.Fatalf("a refused re-plan changed the seats: %v → %v", before[moved], after[moved])
	}
	// Re-planning the whole DAR, which holds both, is allowed.
	if _, err := w.svc.Plan(ctx, kmshA, "D1", 1, "DAR-A"); err != nil {
		t.Fatal(err)
	}
}
