package venue_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"provim/internal/albanian"
	"provim/internal/apperr"
	"provim/internal/application"
	"provim/internal/audit"
	"provim/internal/auth"
	"provim/internal/doc"
	"provim/internal/registry"
	"provim/internal/venue"
)

// plannedOnTheEve: every venue inspected, DAR-A's venue list sent
// (Neni 41), D1 planned on 1 June, and the clock on 7 June 2027, the eve
// of D1.
func plannedOnTheEve(t *testing.T) *world {
	t.Helper()
	ctx := context.Background()
	w := newWorld(t)
	w.inspectAll(t)
	if _, err := w.svc.SendList(ctx, kmshA, "DAR-A", ""); err != nil {
		t.Fatal(err)
	}
	w.day("2027-06-01")
	if _, err := w.svc.Plan(ctx, ava, "D1", 1, ""); err != nil {
		t.Fatal(err)
	}
	w.day("2027-06-07")
	return w
}

// fullestRoom is the room of venue with the most D1 candidates: its name,
// id and how many sit there.
func (w *world) fullestRoom(t *testing.T, code string) (string, int64, int) {
	t.Helper()
	var name string
	var id int64
	var n int
	err := w.db.QueryRow(`SELECT r.name, r.id, COUNT(*) FROM exam_seats es JOIN rooms r ON r.id = es.room_id
		WHERE es.year = 2027 AND es.exam = 'D1' AND es.venue_code = $1 GROUP BY r.name, r.id ORDER BY COUNT(*) DESC, r.name LIMIT 1`, code).Scan(&name, &id, &n)
	if err != nil {
		t.Fatal(err)
	}
	return name, id, n
}

func TestNeni41_RoomSeatsAfterTheListOnlyByAVAWithReasonNeverBelowSeated(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	w := plannedOnTheEve(t)
	room, roomID, seated := w.fullestRoom(t, "Q-A-1")
	if seated < 15 {
		t.Fatalf("the fullest room of Q-A-1 seats only %d", seated)
	}
	// The reproduction of issue 9: on the eve a KMSH sets the room to 10
	// seats, on the inspection and in the registry. Both are refused,
	// naming Neni 41.
	_, err := w.svc.SetRoomSeats(ctx, kmshA, "Q-A-1", venue.RoomSeatsInput{Room: room, Seats: 10, Reason: "dritare e thyer"})
	wantCode(t, err, apperr.Forbidden, "Neni 41", "vetëm AVA")
	v, err := w.Registry.GetVenue(ctx, kmshA, "Q-A-1")
	if err != nil {
		t.Fatal(err)
	}
	var reg = v.Rooms[0]
	for _, r := range v.Rooms {
		if r.ID == roomID {
			reg = r
		}
	}
	v.Rooms = nil
	cut := reg
	cut.Seats = 10
	_, err = w.Registry.SaveRoom(ctx, kmshA, v, cut)
	wantCode(t, err, apperr.Forbidden, "Neni 41", room)
	_, err = w.Registry.SaveRoom(ctx, ava, v, cut)
	wantCode(t, err, apperr.Forbidden, "Neni 41")
	// Renaming nothing and changing the floor only is still allowed.
	same := reg
	if _, err := w.Registry.SaveRoom(ctx, kmshA, v, same); err != nil {
		t.Fatalf("an unchanged room: %v", err)
	}

	// AVA: a reason first, never below the seated candidates, never above
	// what the room's dimensions allow, a room the venue has.
	_, err = w.svc.SetRoomSeats(ctx, ava, "Q-A-1", venue.RoomSeatsInput{Room: room, Seats: seated})
	wantCode(t, err, apperr.Invalid, "arsyen")
	_, err = w.svc.SetRoomSeats(ctx, ava, "Q-A-1", venue.RoomSeatsInput{Room: room, Seats: 10, Reason: "dritare e thyer"})
	wantCode(t, err, apperr.Conflict, room, "D1", "Zhvendosni")
	_, err = w.svc.SetRoomSeats(ctx, ava, "Q-A-1", venue.RoomSeatsInput{Room: room, Seats: seated - 1, Reason: "dritare e thyer"})
	wantCode(t, err, apperr.Conflict, "nuk mund të jenë më pak")
	_, err = w.svc.SetRoomSeats(ctx, ava, "Q-A-1", venue.RoomSeatsInput{Room: room, Seats: 100, Reason: "banka shtesë"})
	wantCode(t, err, apperr.Invalid, "38.2")
	_, err = w.svc.SetRoomSeats(ctx, ava, "Q-A-1", venue.RoomSeatsInput{Room: "Salla 9", Seats: 20, Reason: "x"})
	wantCode(t, err, apperr.Invalid, "Salla 9", "Salla 1")
	// Outside the scope the venue does not exist.
	_, err = w.svc.SetRoomSeats(ctx, kmshB, "Q-A-1", venue.RoomSeatsInput{Room: room, Seats: 20, Reason: "x"})
	wantCode(t, err, apperr.NotFound)

	// Exactly the seated candidates: saved, with its history.
	got, err := w.svc.SetRoomSeats(ctx, ava, "Q-A-1", venue.RoomSeatsInput{Room: " " + strings.ToLower(room) + " ", Seats: seated, Reason: "dy banka të dëmtuara"})
	if err != nil {
		t.Fatal(err)
	}
	if len(got.RoomChanges) != 1 || got.RoomChanges[0].After != seated || got.RoomChanges[0].Reason != "dy banka të dëmtuara" || got.RoomChanges[0].By != "ava" || got.RoomChanges[0].Room != room {
		t.Fatalf("history: %+v", got.RoomChanges)
	}
	for _, r := range got.Rooms {
		if r.ID == roomID && r.Seats != seated {
			t.Fatalf("room %s: %d seats, want %d", r.Name, r.Seats, seated)
		}
	}
	// A venue file cutting the room's desks is refused the same way.
	vcsv := fmt.Sprintf("kodi_qendres,emri_qendres,kodi_shkolles,qyteti,salla,kati,vende,gjatesia_cm,gjeresia_cm\nQ-A-1,Gjimnazi Çajupi,A-1,Tiranë,%s,%d,10,900,600\n", room, reg.Floor)
	_, err = w.Registry.Import(ctx, kmshA, "venues", "qendrat.csv", strings.NewReader(vcsv), nil)
	var ie *registry.ImportError
	if !errors.As(err, &ie) || len(ie.Rows) != 1 || !strings.Contains(ie.Rows[0].String(), "Neni 41") {
		t.Fatalf("a venue import cutting a room after the list: %v", err)
	}
	var entries int
	if err := w.db.QueryRow(`SELECT COUNT(*) FROM audit_log WHERE action = 'room_seats' AND object_id = '2027/Q-A-1'`).Scan(&entries); err != nil || entries != 1 {
		t.Fatalf("audit entries: %d %v", entries, err)
	}
	// The room is full now: nobody more is moved into it.
	other := w.ids["B-1"][0]
	_, err = w.svc.Override(ctx, ava, "D1", 1, venue.OverrideInput{StudentIDs: []int64{other}, Venue: "Q-A-1", Room: room, Reason: "afër shtëpisë"})
	wantCode(t, err, apperr.Conflict, "0 vende të lira")
}

// setRegNo gives a student a valid registration number on the D1 list.
func (w *world) setRegNo(t *testing.T, id int64, serial int) string {
	t.Helper()
	reg := application.RegNo(2027, serial)
	if _, err := w.db.Exec(`UPDATE final_lists SET reg_no = $1 WHERE year = 2027 AND student_id = $2`, reg, id); err != nil {
		t.Fatal(err)
	}
	return reg
}

func TestNeni41_MoveAfterTheDrawNamesWhatItInvalidatesAndNotifies(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	w := plannedOnTheEve(t)
	// A draw of DAR-A (covering its ZA) and the packages of Q-A-1 were
	// made on the plan as it stood.
	if _, err := w.db.Exec(`INSERT INTO draws (year, session, exam, unit_code, seq, status, inputs, inputs_hash, seed, commitment, committed_by, committed_at, drawn_by, drawn_at)
		VALUES (2027, 1, 'D1', 'DAR-A', 1, 'drawn', '{}', 'h', 's', 'c', 'kmsh.a', '2027-06-07T05:00:00Z', 'kmsh.a', '2027-06-07T06:00:00Z')`); err != nil {
		t.Fatal(err)
	}
	if _, err := w.db.Exec(`INSERT INTO custody_consignments (year, session, exam, venue_code, stage, since, created_by) VALUES (2027, 1, 'D1', 'Q-A-1', 1, '2027-06-06T10:00:00Z', 'ava')`); err != nil {
		t.Fatal(err)
	}
	if _, err := w.db.Exec(`INSERT INTO custody_packages (code, year, session, exam, venue_code, kind, items, seals) VALUES ('P-1', 2027, 1, 'D1', 'Q-A-1', 'broshura', 12, '1,2')`); err != nil {
		t.Fatal(err)
	}
	// A candidate of A-1, seated in Q-A-1, moved to Q-A-2's "Salla 1" by
	// registration number and room name.
	id := w.ids["A-1"][0]
	before := w.seats(t, "D1")[id]
	if before.Venue != "Q-A-1" {
		t.Fatalf("the candidate sits in %s", before.Venue)
	}
	reg := w.setRegNo(t, id, 189208)
	in := venue.OverrideInput{RegNos: []string{reg}, Venue: "Q-A-2", Room: "salla 1", Reason: "banon pranë"}

	// A preview says it all and changes nothing.
	pre, err := w.svc.PreviewMove(ctx, kmshA, "D1", 1, in)
	if err != nil {
		t.Fatal(err)
	}
	if pre.Moved != 1 || len(pre.Invalidates) != 2 || pre.Notified != 3 {
		t.Fatalf("preview: %+v", pre)
	}
	if w.seats(t, "D1")[id] != before {
		t.Fatal("the preview moved the candidate")
	}
	student := &auth.Principal{Username: "nx", Role: auth.RoleStudent, StudentID: id}
	if list, err := w.svc.NoticesFor(ctx, student); err != nil || len(list) != 0 {
		t.Fatalf("notices after a preview: %v %v", list, err)
	}

	res, err := w.svc.Move(ctx, kmshA, "D1", 1, in)
	if err != nil {
		t.Fatal(err)
	}
	joined := strings.Join(res.Invalidates, " ")
	for _, want := range []string{"Shorti i personelit", "DAR-A", "Paketat", "Q-A-1", "12 broshura"} {
		if !strings.Contains(joined, want) {
			t.Errorf("invalidates %q: no %q", joined, want)
		}
	}
	if res.Moved != 1 || res.Notified != 3 || res.Venue != "Q-A-2" {
		t.Fatalf("move: %+v", res)
	}
	after := w.seats(t, "D1")[id]
	if after.Venue != "Q-A-2" {
		t.Fatalf("moved to %s", after.Venue)
	}
	// The student, the PAP of the venue left and of the venue joined.
	mine, err := w.svc.NoticesFor(ctx, student)
	if err != nil || len(mine) != 1 || mine[0].Read || !strings.Contains(mine[0].Body, "Salla 1") || !strings.Contains(mine[0].Body, "Q-A-2") || !strings.Contains(mine[0].Body, "banon pranë") {
		t.Fatalf("student's notices: %+v %v", mine, err)
	}
	papOld := &auth.Principal{Username: "pap.a2", Role: auth.RolePAP, Venue: "Q-A-2"}
	papNew := &auth.Principal{Username: "pap.a1", Role: auth.RolePAP, Venue: "Q-A-1"}
	for _, p := range []*auth.Principal{papOld, papNew} {
		list, err := w.svc.UnreadNotices(ctx, p)
		if err != nil || len(list) != 1 || !strings.Contains(list[0].Body, reg) || !strings.Contains(list[0].Body, "1 kandidat") {
			t.Fatalf("%s: %+v %v", p.Venue, list, err)
		}
	}
	// A notice is read by its recipient only.
	if _, err := w.svc.MarkNoticeRead(ctx, papNew, mine[0].ID); apperr.CodeOf(err) != apperr.NotFound {
		t.Fatalf("another's notice: %v", err)
	}
	if n, err := w.svc.MarkNoticeRead(ctx, student, mine[0].ID); err != nil || !n.Read {
		t.Fatalf("read: %+v %v", n, err)
	}
	if list, _ := w.svc.UnreadNotices(ctx, student); len(list) != 0 {
		t.Fatalf("still unread: %+v", list)
	}
	// The KMSH and the school receive no notices.
	if list, err := w.svc.NoticesFor(ctx, kmshA); err != nil || len(list) != 0 {
		t.Fatalf("kmsh: %v %v", list, err)
	}
}

func TestIssue11C_MoveByRegistrationNumberAndRoomNameRefusesWhatMeansNothing(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	w := plannedOnTheEve(t)
	id := w.ids["A-1"][0]
	reg := w.setRegNo(t, id, 189208)
	move := func(regs []string, room string) error {
		_, err := w.svc.Move(ctx, kmshA, "D1", 1, venue.OverrideInput{RegNos: regs, Venue: "Q-A-2", Room: room, Reason: "x"})
		return err
	}
	// A mistyped registration number (the check digit) and one that is not
	// nine digits are refused as such; a valid one not on the list too.
	wantCode(t, move([]string{reg[:8] + string(rune('0'+(reg[8]-'0'+1)%10))}, "Salla 1"), apperr.Invalid, "shifra e kontrollit")
	wantCode(t, move([]string{"29465"}, "Salla 1"), apperr.Invalid, "9 shifra")
	wantCode(t, move([]string{application.RegNo(2027, 5)}, "Salla 1"), apperr.NotFound, application.RegNo(2027, 5), "listën përfundimtare")
	// A room the venue has not: "1" is no room's name, never another room.
	wantCode(t, move([]string{reg}, "1"), apperr.Invalid, "«1»", "Sallat e saj: Salla 1")
	wantCode(t, move([]string{reg}, "Salla 7"), apperr.Invalid, "Salla 7")
	if w.seats(t, "D1")[id].Venue != "Q-A-1" {
		t.Fatal("a refused move moved the candidate")
	}
	if err := move([]string{reg}, "SALLA 1"); err != nil {
		t.Fatal(err)
	}
	got := w.seats(t, "D1")[id]
	var name string
	if err := w.db.QueryRow(`SELECT name FROM rooms WHERE id = $1`, got.Room).Scan(&name); err != nil || name != "Salla 1" || got.Venue != "Q-A-2" {
		t.Fatalf("moved to %+v (%s) %v", got, name, err)
	}
}

func TestNeni36_ListedCandidateChangedAfterTheListsNeedsReasonAndShowsOnTheLists(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	w := plannedOnTheEve(t)
	schoolA1 := &auth.Principal{Username: "kshmsh.a1", Role: auth.RoleKSHMSH, School: "A-1"}
	id := w.ids["A-1"][0]
	st, err := w.Registry.GetStudent(ctx, schoolA1, id)
	if err != nil {
		t.Fatal(err)
	}
	oldName := st.FirstName
	// A phone number is not on the lists: no reason needed.
	st.Phone = "0691234567"
	if _, err := w.Registry.SaveStudent(ctx, schoolA1, st); err != nil {
		t.Fatalf("phone: %v", err)
	}
	// A rename on the eve of the exam: refused without a reason.
	st.FirstName = "Anila"
	_, err = w.Registry.SaveStudent(ctx, schoolA1, st)
	wantCode(t, err, apperr.Invalid, "Neni 36", "arsyen", "Emri: "+oldName+" → Anila", "D1")
	if cur, _ := w.Registry.GetStudent(ctx, schoolA1, id); cur.FirstName != oldName {
		t.Fatalf("renamed without a reason: %s", cur.FirstName)
	}
	st.Reason = "gabim shtypi në certifikatën e lindjes"
	saved, err := w.Registry.SaveStudent(ctx, schoolA1, st)
	if err != nil || saved.FirstName != "Anila" {
		t.Fatalf("rename: %+v %v", saved, err)
	}
	// The history: before → after, who, when, why.
	fixes, err := w.Registry.Corrections(ctx, schoolA1, id)
	if err != nil || len(fixes) != 1 {
		t.Fatalf("corrections: %+v %v", fixes, err)
	}
	c := fixes[0]
	if c.Summary != "Emri: "+oldName+" → Anila" || c.Reason != st.Reason || c.By != "kshmsh.a1" || c.At == "" || strings.Join(c.Exams, ",") != "D1,FIZ" {
		t.Fatalf("correction: %+v", c)
	}
	var entries int
	if err := w.db.QueryRow(`SELECT COUNT(*) FROM audit_log WHERE action = 'correct_listed' AND object_type = 'student'`).Scan(&entries); err != nil || entries != 1 {
		t.Fatalf("audit: %d %v", entries, err)
	}
	// The row agrees with the log: the correction's after-image holds the
	// stored values (audit reconcile, issue 9 item 6).
	tb, err := registry.AuditTable(ctx, w.db.DB)
	if err != nil {
		t.Fatal(err)
	}
	if diffs, err := audit.Reconcile(ctx, w.db.DB, []audit.Table{tb}); err != nil || len(diffs) != 0 {
		t.Fatalf("reconcile after the correction: %v %v", diffs, err)
	}
	// The final list and the room list mark the entry.
	list, err := w.Applications.FinalList(ctx, ava, "D1", "A-1")
	if err != nil {
		t.Fatal(err)
	}
	marked := 0
	for _, e := range list {
		if e.Corrected != "" {
			marked++
			if !strings.Contains(e.FullName, "Anila") || !strings.Contains(e.Corrected, "Korrigjuar") || !strings.Contains(e.Corrected, st.Reason) {
				t.Fatalf("final list entry: %+v", e)
			}
		}
	}
	if marked != 1 {
		t.Fatalf("%d marked entries on the final list", marked)
	}
	seat := w.seats(t, "D1")[id]
	rl, err := w.svc.RoomList(ctx, ava, "D1", 1, seat.Room)
	if err != nil {
		t.Fatal(err)
	}
	var row venue.RoomRow
	for _, r := range rl.Rows {
		if r.StudentID == id {
			row = r
		}
	}
	if !strings.Contains(row.Corrected, "Emri: "+oldName+" → Anila") {
		t.Fatalf("room list row: %+v", row)
	}
	text := pdfText(t, rl.Document(w.Clock.Now()))
	for _, want := range []string{"Korrigjuar", "Anila", "1 kandidat me të dhëna personale të korrigjuara"} {
		if !strings.Contains(text, want) {
			t.Errorf("room list PDF: no %q", want)
		}
	}
	// An import carries no reason: a file renaming a listed candidate is
	// refused naming the line, the rest of the file with it.
	csv := fmt.Sprintf("nr_personal,emri,atesia,mbiemri,datelindja,kodi_shkolles\n%s,Alketa,%s,%s,%s,A-1\n", st.PersonalNo, st.FatherName, st.LastName, albanian.DateString(st.BirthDate))
	_, err = w.Registry.Import(ctx, schoolA1, "students", "nxenesit.csv", strings.NewReader(csv), nil)
	var ie *registry.ImportError
	if !errors.As(err, &ie) || len(ie.Rows) != 1 || ie.Rows[0].Line != 2 || !strings.Contains(ie.Rows[0].String(), "Neni 36") || !strings.Contains(ie.Rows[0].String(), "Anila → Alketa") {
		t.Fatalf("import renaming a listed candidate: %v", err)
	}
	if cur, _ := w.Registry.GetStudent(ctx, schoolA1, id); cur.FirstName != "Anila" {
		t.Fatalf("the import renamed: %s", cur.FirstName)
	}
	// The same file unchanged imports.
	csv = fmt.Sprintf("nr_personal,emri,atesia,mbiemri,datelindja,kodi_shkolles\n%s,Anila,%s,%s,%s,A-1\n", st.PersonalNo, st.FatherName, st.LastName, albanian.DateString(st.BirthDate))
	if _, err := w.Registry.Import(ctx, schoolA1, "students", "nxenesit.csv", strings.NewReader(csv), nil); err != nil {
		t.Fatalf("an unchanged row: %v", err)
	}
	// A student on no list changes freely.
	if _, err := w.db.Exec(`DELETE FROM final_lists WHERE student_id = $1`, w.ids["A-1"][1]); err != nil {
		t.Fatal(err)
	}
	other, err := w.Registry.GetStudent(ctx, schoolA1, w.ids["A-1"][1])
	if err != nil {
		t.Fatal(err)
	}
	other.LastName = "Krasniqi"
	if _, err := w.Registry.SaveStudent(ctx, schoolA1, other); err != nil {
		t.Fatalf("not listed: %v", err)
	}
}

// pdfText renders a document as PDF and returns its text (pdftotext),
// with its lines joined by spaces.
func pdfText(t *testing.T, tb doc.Table) string {
	t.Helper()
	body, _, err := doc.Encode(doc.PDF, tb)
	if err != nil {
		t.Fatal(err)
	}
	f := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(f, body, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-enc", "UTF-8", f, "-").CombinedOutput()
	if err != nil {
		t.Fatalf("pdftotext: %v %s", err, out)
	}
	return strings.Join(strings.Fields(string(out)), " ")
}
