package examday_test

import (
	"strings"
	"testing"

	"provim/internal/apperr"
	"provim/internal/auth"
	"provim/internal/examday"
)

// TestNeni47_5_DrawnStaffWorkWhereTheyWereDrawn: an account linked to a
// staff record gets exactly the venue and exam of the draw, as the role
// drawn; another venue, another role, a person nobody drew, get nothing
// that names the venue; the venue's KMSH and AVA see and do not act; the
// access ends when the materials are back at the KMSH (Neni 45.4, 48.12).
func TestNeni47_5_DrawnStaffWorkWhereTheyWereDrawn(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	v := w.pick(t, 2, anyAS)
	pap := staff(auth.RolePAP, v.roles["PAP"][0])
	w.at(t, "08:00")
	a, err := w.svc.Access(w.ctx, pap, year, "D1")
	if err != nil || a.Venue != v.venue || a.Role != auth.RolePAP || a.DrawRole != "PAP" || a.Viewer {
		t.Fatalf("PAP access: %+v %v", a, err)
	}
	// The same person as another role, or a person drawn elsewhere.
	if _, err := w.svc.Access(w.ctx, staff(auth.RoleAP, v.roles["PAP"][0]), year, "D1"); !apperr.Is(err, apperr.NotFound) {
		t.Fatalf("as another role: %v", err)
	}
	var other string
	for code := range w.venues(t) {
		if code != v.venue {
			other = code
		}
	}
	if _, err := w.svc.Venue(w.ctx, pap, 1, "D1", other, false); !apperr.Is(err, apperr.NotFound) || apperr.MessageOf(err) != "Nuk keni detyrë në këtë provim, ose qendra nuk u gjet." {
		t.Fatalf("another venue: %v", err)
	}
	if _, err := w.svc.Access(w.ctx, staff(auth.RolePAP, 999999), year, "D1"); !apperr.Is(err, apperr.NotFound) {
		t.Fatalf("never drawn: %v", err)
	}
	if _, err := w.svc.Access(w.ctx, pap, year, "D2"); !apperr.Is(err, apperr.NotFound) {
		t.Fatalf("an exam not drawn yet: %v", err)
	}
	// The desk check package anonym asks (Neni 53.2): the AS of a venue
	// that has one, not its PAP; the PAP where no AS was drawn.
	var as *auth.Principal
	for _, va := range w.venues(t) {
		if len(va.roles["AS"]) == 0 {
			continue
		}
		as = staff(auth.RoleAS, va.roles["AS"][0])
		if err := w.svc.CheckStaff(w.ctx, as, year, "D1", va.venue); err != nil {
			t.Fatalf("AS at the desk: %v", err)
		}
		papA := staff(auth.RolePAP, va.roles["PAP"][0])
		if err := w.svc.CheckStaff(w.ctx, papA, year, "D1", va.venue); err != nil {
			t.Fatalf("PAP sealing with the AS (Neni 53.5): %v", err)
		}
		r := w.day(t, va.venue).Rooms[0]
		w.at(t, "09:30")
		if _, err := w.svc.CheckInOne(w.ctx, papA, in(va.venue, r.Name, r.Entries[0].RegNo)); err != nil {
			t.Fatal(err)
		}
		if _, err := w.svc.AttachLabel(w.ctx, papA, examday.Attach{Exam: "D1", Venue: va.venue, RegNo: r.Entries[0].RegNo, Code: "X"}); !apperr.Is(err, apperr.Forbidden) {
			t.Fatalf("PAP attaching labels where an AS was drawn (Neni 53.2): %v", err)
		}
		w.at(t, "08:00")
		break
	}
	vn := w.pick(t, 0, noAS)
	if err := w.svc.CheckStaff(w.ctx, staff(auth.RolePAP, vn.roles["PAP"][0]), year, "D1", vn.venue); err != nil {
		t.Fatalf("PAP where no AS was drawn: %v", err)
	}
	if as != nil {
		if err := w.svc.CheckStaff(w.ctx, as, year, "D1", vn.venue); !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("AS at another venue: %v", err)
		}
	}
	// Viewers: AVA anywhere, the KMSH of another region nowhere.
	if d, err := w.svc.Venue(w.ctx, ava, 1, "D1", v.venue, false); err != nil || !d.Assignment.Viewer {
		t.Fatalf("AVA: %v", err)
	}
	day := w.day(t, v.venue)
	if _, err := w.svc.Venue(w.ctx, &auth.Principal{Role: auth.RoleKMSH, Unit: "DAR-XX"}, 1, "D1", v.venue, false); !apperr.Is(err, apperr.NotFound) {
		t.Fatalf("KMSH of another region: %v", err)
	}
	room := day.Rooms[0]
	if _, err := w.svc.CheckInOne(w.ctx, ava, in(v.venue, room.Name, room.Entries[0].RegNo)); !apperr.Is(err, apperr.Forbidden) {
		t.Fatalf("AVA checking in: %v", err)
	}
	// The materials back at the KMSH: the day's access is over.
	if _, err := w.k.DB.Exec(`UPDATE custody_consignments SET stage = 7 WHERE venue_code = $1 AND exam = 'D1'`, v.venue); err != nil {
		t.Fatal(err)
	}
	if _, err := w.svc.Access(w.ctx, pap, year, "D1"); !apperr.Is(err, apperr.Forbidden) {
		t.Fatalf("after the return: %v", err)
	}
}

// TestNeni48_2_PAPPutsEachAPInARoom: the draw's room is the default; the
// PAP moves an AP to another room, recorded and audited; the AP then
// checks in only in that room; nobody but the PAP assigns rooms.
func TestNeni48_2_PAPPutsEachAPInARoom(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	v := w.pick(t, 2, anyAS)
	if len(v.roles["AP"]) == 0 {
		t.Skip("no AP drawn")
	}
	w.at(t, "08:30")
	pap, ap := staff(auth.RolePAP, v.roles["PAP"][0]), staff(auth.RoleAP, v.roles["AP"][0])
	before, err := w.svc.Access(w.ctx, ap, year, "D1")
	if err != nil || before.Room == "" {
		t.Fatalf("AP's draw room: %+v %v", before, err)
	}
	day := w.day(t, v.venue)
	var target examday.RoomDay
	for _, r := range day.Rooms {
		if r.Name != before.Room {
			target = r
		}
	}
	if err := w.svc.AssignRoom(w.ctx, ap, 1, "D1", v.venue, v.roles["AP"][0], target.Name); !apperr.Is(err, apperr.Forbidden) {
		t.Fatalf("AP assigning: %v", err)
	}
	if err := w.svc.AssignRoom(w.ctx, pap, 1, "D1", v.venue, v.roles["PAP"][0], target.Name); !apperr.Is(err, apperr.NotFound) {
		t.Fatalf("assigning the PAP as an AP: %v", err)
	}
	audits := count(t, w, `SELECT COUNT(*) FROM audit_log WHERE action = 'assign_room'`)
	if err := w.svc.AssignRoom(w.ctx, pap, 1, "D1", v.venue, v.roles["AP"][0], target.Name); err != nil {
		t.Fatal(err)
	}
	if count(t, w, `SELECT COUNT(*) FROM audit_log WHERE action = 'assign_room'`) != audits+1 {
		t.Fatal("not audited")
	}
	after, _ := w.svc.Access(w.ctx, ap, year, "D1")
	if after.Room != target.Name {
		t.Fatalf("after: %+v", after)
	}
	for _, st := range w.day(t, v.venue).Staff {
		if st.StaffID == v.roles["AP"][0] && (!st.ByPAP || st.Room != target.Name) {
			t.Fatalf("staff list: %+v", st)
		}
	}
	w.at(t, "09:10")
	var old examday.RoomDay
	for _, r := range day.Rooms {
		if r.Name == before.Room {
			old = r
		}
	}
	if _, err := w.svc.CheckInOne(w.ctx, ap, in(v.venue, old.Name, old.Entries[0].RegNo)); !apperr.Is(err, apperr.Forbidden) {
		t.Fatalf("AP in the draw's room after the PAP moved them: %v", err)
	}
	if o, err := w.svc.CheckInOne(w.ctx, ap, in(v.venue, target.Name, target.Entries[0].RegNo)); err != nil || o.Status != examday.Admitted {
		t.Fatalf("AP in their room: %+v %v", o, err)
	}
}

// TestNeni52_EntryAtTheDoor proves the rules of entry: the door opens one
// hour before the start (52.1); the document seen is recorded (52.5) and
// its number required; only listed candidates enter, an unlisted person's
// attempt is recorded (52.6) and a listed one of another room is sent
// there; seats follow the order of entry and never change (52.7); a
// candidate without a document is excluded (54.1); a late arrival enters
// without extra time (50.14).
func TestNeni52_EntryAtTheDoor(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	v := w.pick(t, 2, anyAS)
	pap := staff(auth.RolePAP, v.roles["PAP"][0])
	day := w.day(t, v.venue)
	r1, r2 := day.Rooms[0], day.Rooms[1]
	if len(r1.Entries) < 5 {
		t.Skip("room too small")
	}
	w.at(t, "08:50")
	if o, err := w.svc.CheckInOne(w.ctx, pap, in(v.venue, r1.Name, r1.Entries[0].RegNo)); err != nil || o.Status != examday.Rejected {
		t.Fatalf("Neni 52.1, before the door opens: %+v %v", o, err)
	}
	w.at(t, "09:05")
	// Neni 52.7: in order of entry — the third of the list enters first.
	o, err := w.svc.CheckInOne(w.ctx, pap, in(v.venue, r1.Name, r1.Entries[2].RegNo))
	if err != nil || o.Status != examday.Admitted || o.Seat != 1 {
		t.Fatalf("first in: %+v %v", o, err)
	}
	o, _ = w.svc.CheckInOne(w.ctx, pap, in(v.venue, r1.Name, r1.Entries[0].RegNo))
	if o.Seat != 2 {
		t.Fatalf("second in: %+v", o)
	}
	o, _ = w.svc.CheckInOne(w.ctx, pap, in(v.venue, r1.Name, r1.Entries[2].RegNo))
	if o.Status != examday.Rejected || count(t, w, `SELECT seat_no FROM examday_checkins WHERE venue_code = $1 AND room_id IN (SELECT room_id FROM examday_checkins WHERE venue_code = $1) ORDER BY arrived_at LIMIT 1`, v.venue) != 1 {
		t.Fatalf("Neni 52.7, twice: %+v", o)
	}
	// Neni 52.5: the document's type and number.
	bad := in(v.venue, r1.Name, r1.Entries[1].RegNo)
	bad.DocType = "karte-bibloteke"
	if o, _ := w.svc.CheckInOne(w.ctx, pap, bad); o.Status != examday.Rejected {
		t.Fatalf("Neni 52.5, unknown document: %+v", o)
	}
	bad.DocType, bad.DocNo = examday.DocPassport, ""
	if o, _ := w.svc.CheckInOne(w.ctx, pap, bad); o.Status != examday.Rejected {
		t.Fatalf("Neni 52.5, no number: %+v", o)
	}
	// Neni 52.6: an unlisted person, and a listed one of the other room.
	refused := count(t, w, `SELECT COUNT(*) FROM examday_events WHERE kind = 'refused'`)
	stranger := examday.CheckIn{Exam: "D1", Venue: v.venue, Room: r1.Name, Name: "Filan Fisteku", DocType: examday.DocIDCard, DocNo: "J00000000"}
	if o, _ := w.svc.CheckInOne(w.ctx, pap, stranger); o.Status != examday.Refused {
		t.Fatalf("Neni 52.6: %+v", o)
	}
	if count(t, w, `SELECT COUNT(*) FROM examday_events WHERE kind = 'refused'`) != refused+1 {
		t.Fatal("Neni 52.6: the attempt is not recorded")
	}
	if o, _ := w.svc.CheckInOne(w.ctx, pap, in(v.venue, r1.Name, r2.Entries[0].RegNo)); o.Status != examday.Rejected || o.Seat != 0 {
		t.Fatalf("another room: %+v", o)
	}
	// Neni 54.1: no document, excluded and recorded for next year's record.
	none := in(v.venue, r1.Name, r1.Entries[3].RegNo)
	none.DocType = examday.DocNone
	if o, _ := w.svc.CheckInOne(w.ctx, pap, none); o.Status != examday.Excluded {
		t.Fatalf("Neni 54.1: %+v", o)
	}
	if count(t, w, `SELECT COUNT(*) FROM exam_exclusions WHERE cause = '54.1'`) != 1 {
		t.Fatal("Neni 54.1: not in the candidate's exclusions")
	}
	if o, _ := w.svc.CheckInOne(w.ctx, pap, in(v.venue, r1.Name, r1.Entries[3].RegNo)); o.Status != examday.Rejected {
		t.Fatalf("excluded then entering: %+v", o)
	}
	// Neni 50.14: late, let in, flagged, no extra time.
	w.at(t, "10:20")
	if o, _ := w.svc.CheckInOne(w.ctx, pap, in(v.venue, r1.Name, r1.Entries[4].RegNo)); o.Status != examday.Admitted || !o.Late || o.Seat != 3 {
		t.Fatalf("late: %+v", o)
	}
	w.at(t, "12:31")
	if o, _ := w.svc.CheckInOne(w.ctx, pap, in(v.venue, r2.Name, r2.Entries[1].RegNo)); o.Status != examday.Rejected {
		t.Fatalf("after the end: %+v", o)
	}
	b, err := w.svc.Board(w.ctx, ava, 1, "D1", "")
	if err != nil {
		t.Fatal(err)
	}
	for _, row := range b.Rows {
		if row.Venue == v.venue && (row.Present != 3 || row.Refused != 1 || row.Exclusions != 1 || row.Late != 1) {
			t.Fatalf("board: %+v", row)
		}
	}
}

// TestNeni52_8_OneRoomSeatsAlphabetically: where the exam runs in one
// room, the seat is the place in the alphabetical list, whatever the
// order of entry.
func TestNeni52_8_OneRoomSeatsAlphabetically(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	v := w.pick(t, 1, anyAS)
	pap := staff(auth.RolePAP, v.roles["PAP"][0])
	day := w.day(t, v.venue)
	if !day.SingleRoom {
		t.Fatal("not a single room")
	}
	r := day.Rooms[0]
	w.at(t, "09:20")
	last := r.Entries[len(r.Entries)-1]
	o, err := w.svc.CheckInOne(w.ctx, pap, in(v.venue, r.Name, last.RegNo))
	if err != nil || o.Seat != last.Line {
		t.Fatalf("seat %d, line %d: %v", o.Seat, last.Line, err)
	}
}

// TestNeni52_OfflineQueueReplayedTwiceChangesNothing: a device's queue
// sent twice (the answer lost the first time) is recorded once: the second
// time every check-in gets its first answer, replayed, and no row or audit
// entry is added.
func TestNeni52_OfflineQueueReplayedTwiceChangesNothing(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	v := w.pick(t, 2, anyAS)
	pap := staff(auth.RolePAP, v.roles["PAP"][0])
	r := w.day(t, v.venue).Rooms[0]
	w.at(t, "09:40")
	var queue []examday.CheckIn
	for i, e := range r.Entries {
		c := in(v.venue, r.Name, e.RegNo)
		c.Key = "device-1/" + e.RegNo
		c.ArrivedAt = testMoment(t, "09:1"+string(rune('0'+i%10)))
		queue = append(queue, c)
	}
	queue = append(queue, examday.CheckIn{Key: "device-1/stranger", Exam: "D1", Venue: v.venue, Room: r.Name, Name: "I panjohur", DocType: examday.DocIDCard, DocNo: "X1234"})
	first, err := w.svc.CheckInMany(w.ctx, pap, queue)
	if err != nil {
		t.Fatal(err)
	}
	rows := count(t, w, `SELECT COUNT(*) FROM examday_checkins`)
	events := count(t, w, `SELECT COUNT(*) FROM examday_events`)
	audits := count(t, w, `SELECT COUNT(*) FROM audit_log`)
	if rows != len(r.Entries) {
		t.Fatalf("%d check-ins, want %d", rows, len(r.Entries))
	}
	second, err := w.svc.CheckInMany(w.ctx, pap, queue)
	if err != nil {
		t.Fatal(err)
	}
	for i := range first {
		if !second[i].Replayed || second[i].Status != first[i].Status || second[i].Seat != first[i].Seat || second[i].Message != first[i].Message {
			t.Fatalf("replay %d: %+v, first %+v", i, second[i], first[i])
		}
	}
	if count(t, w, `SELECT COUNT(*) FROM examday_checkins`) != rows || count(t, w, `SELECT COUNT(*) FROM examday_events`) != events ||
		count(t, w, `SELECT COUNT(*) FROM audit_log`) != audits {
		t.Fatal("the replay changed something")
	}
	// The PAP sees a room behind while its device holds check-ins.
	if err := w.svc.Sync(w.ctx, pap, 1, "D1", v.venue, r.Name, 3); err != nil {
		t.Fatal(err)
	}
	for _, x := range w.day(t, v.venue).Rooms {
		if x.Name == r.Name && (!x.Behind || x.Pending != 3) {
			t.Fatalf("room not behind: %+v", x)
		}
	}
}

// The PAP names an AP by personal number (issue 11, part C; Neni 48.2):
// only an AP drawn to the venue for the exam is found, and only by the
// venue's PAP.
func TestNeni48_2_PAPFindsTheDrawnAPByPersonalNumber(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	v := w.pick(t, 2, anyAS)
	if len(v.roles["AP"]) == 0 {
		t.Skip("no AP drawn")
	}
	w.at(t, "08:30")
	pap, ap := staff(auth.RolePAP, v.roles["PAP"][0]), staff(auth.RoleAP, v.roles["AP"][0])
	var apNo, papNo string
	if err := w.k.DB.QueryRow(`SELECT personal_no FROM staff WHERE id = $1`, v.roles["AP"][0]).Scan(&apNo); err != nil {
		t.Fatal(err)
	}
	if err := w.k.DB.QueryRow(`SELECT personal_no FROM staff WHERE id = $1`, v.roles["PAP"][0]).Scan(&papNo); err != nil {
		t.Fatal(err)
	}
	if id, err := w.svc.DrawnAP(w.ctx, pap, 1, "D1", v.venue, strings.ToLower(apNo)); err != nil || id != v.roles["AP"][0] {
		t.Fatalf("the drawn AP by personal number: %d %v", id, err)
	}
	if _, err := w.svc.DrawnAP(w.ctx, pap, 1, "D1", v.venue, papNo); !apperr.Is(err, apperr.NotFound) {
		t.Fatalf("the PAP found as an AP: %v", err)
	}
	if _, err := w.svc.DrawnAP(w.ctx, ap, 1, "D1", v.venue, apNo); !apperr.Is(err, apperr.Forbidden) {
		t.Fatalf("an AP looking up APs: %v", err)
	}
}

// Neni 52, 63 ¶3: a check-in's key gets its first answer only at the exam
// and venue it was given for, and only for the same candidate: a key
// another venue used (or another candidate of the same venue) is refused
// without naming anyone or recording anything, and the check-in goes
// through under a key of its own.
func TestNeni52_CheckInKeyOfAnotherCheckInRevealsNothing(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	var venues []*staffAt
	for _, v := range w.venues(t) {
		if len(v.roles["PAP"]) > 0 && len(venues) < 2 {
			venues = append(venues, v)
		}
	}
	if len(venues) < 2 {
		t.Fatal("two venues with a PAP are needed")
	}
	v1, v2 := venues[0], venues[1]
	pap1, pap2 := staff(auth.RolePAP, v1.roles["PAP"][0]), staff(auth.RolePAP, v2.roles["PAP"][0])
	r1, r2 := w.day(t, v1.venue).Rooms[0], w.day(t, v2.venue).Rooms[0]
	w.at(t, "09:40")
	c := in(v1.venue, r1.Name, r1.Entries[0].RegNo)
	c.Key = "pajisja-1/0001"
	first, err := w.svc.CheckInOne(w.ctx, pap1, c)
	if err != nil || first.Status != examday.Admitted || first.FullName == "" {
		t.Fatalf("first check-in: %+v %v", first, err)
	}
	before := count(t, w, `SELECT COUNT(*) FROM examday_checkins`)
	audits := count(t, w, `SELECT COUNT(*) FROM audit_log`)
	clash := func(what string, p *auth.Principal, c examday.CheckIn) {
		t.Helper()
		o, err := w.svc.CheckInOne(w.ctx, p, c)
		if err != nil || o.Status != examday.Rejected || o.Replayed || o.FullName != "" || o.RegNo != "" || o.Seat != 0 ||
			strings.Contains(o.Message, first.FullName) || !strings.Contains(o.Message, "Asgjë nuk u regjistrua") {
			t.Errorf("%s: %+v %v", what, o, err)
		}
	}
	other := in(v2.venue, r2.Name, r2.Entries[0].RegNo)
	other.Key = c.Key
	clash("the same key at another venue", pap2, other)
	same := in(v1.venue, r1.Name, r1.Entries[1].RegNo)
	same.Key = c.Key
	clash("the same key for another candidate of the venue", pap1, same)
	otherDoc := c
	otherDoc.DocNo = "X0000000"
	clash("the same key for the candidate with another document", pap1, otherDoc)
	// An unlisted person's refusal names nobody, yet its key is its own.
	stranger := examday.CheckIn{Key: "pajisja-1/0002", Exam: "D1", Venue: v1.venue, Room: r1.Name, Name: "I panjohur", DocType: examday.DocIDCard, DocNo: "X1"}
	if o, err := w.svc.CheckInOne(w.ctx, pap1, stranger); err != nil || o.Status != examday.Refused {
		t.Fatalf("an unlisted person: %+v %v", o, err)
	}
	audits = count(t, w, `SELECT COUNT(*) FROM audit_log`)
	reuse := in(v1.venue, r1.Name, r1.Entries[2].RegNo)
	reuse.Key = stranger.Key
	clash("an unlisted person's key for a listed candidate", pap1, reuse)
	if n := count(t, w, `SELECT COUNT(*) FROM examday_checkins`); n != before || count(t, w, `SELECT COUNT(*) FROM audit_log`) != audits {
		t.Fatalf("a refused key recorded something: %d check-ins, before %d", n, before)
	}
	// The same check-in sent again gets its first answer; the refused one
	// goes through under its own key.
	if again, err := w.svc.CheckInOne(w.ctx, pap1, c); err != nil || !again.Replayed || again.Seat != first.Seat {
		t.Errorf("the same check-in again: %+v %v", again, err)
	}
	other.Key = "pajisja-2/0001"
	if o, err := w.svc.CheckInOne(w.ctx, pap2, other); err != nil || o.Status != examday.Admitted {
		t.Errorf("under its own key: %+v %v", o, err)
	}
}
