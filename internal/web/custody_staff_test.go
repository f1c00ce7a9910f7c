package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"provim/internal/auth"
	"provim/internal/custody"
)

// TestNeni44_DrawnStaffCustodyAuthorisation is the authorisation matrix
// of the custody endpoints for the drawn staff's own accounts (wave 2,
// part J): the PAP and the KMSH representative drawn for Q-A-1, each
// with an account linked to their staff record, reach Q-A-1's D1
// materials and nothing of Q-B-1 (404, as for what does not exist); a
// staff-linked account no draw placed reaches nothing, whatever its venue
// field says. The representative records the morning hand-over (step 3,
// Neni 44) and the PAP confirms it from their own account.
func TestNeni44_DrawnStaffCustodyAuthorisation(t *testing.T) {
	t.Parallel()
	f, staff := drawFixture(t)
	for name, role := range map[string]string{"Bardhi": "PAP", "Çuni": "KMSH", "Dibra": "AP"} {
		if code, body := f.api(t, "kmsh", "POST", "/api/v1/draw-pools/DAR-A", map[string]any{"staff_id": staff[name], "role": role}); code != http.StatusNoContent {
			t.Fatalf("pool %s: %d %s", name, code, body)
		}
	}
	// Before the draw the PAP's account sees nothing.
	f.addUsers(t,
		auth.NewUser{Username: "pap.bardhi", Role: auth.RolePAP, Venue: "Q-A-1"},
		auth.NewUser{Username: "kmsh.cuni", Role: auth.RoleKMSH, Unit: "DAR-A"},
		auth.NewUser{Username: "pap.elezi", Role: auth.RolePAP, Venue: "Q-A-1"},
		auth.NewUser{Username: "kmsh2", Role: auth.RoleKMSH, Unit: "DAR-A"},
	)
	for user, name := range map[string]string{"pap.bardhi": "Bardhi", "kmsh.cuni": "Çuni", "pap.elezi": "Elezi"} {
		if _, err := f.db.Exec(`UPDATE users SET staff_id = $1 WHERE username = $2`, staff[name], user); err != nil {
			t.Fatal(err)
		}
	}
	// Q-B-1 (DAR-B) seats its school's candidates too: another venue.
	if _, err := f.db.Exec(`INSERT INTO exam_seats (year, session, exam, student_id, venue_code, room_id, seat_no)
		SELECT 2027, 1, 'D1', s.id, 'Q-B-1', r.id, 1 FROM students s, rooms r WHERE s.school_code = 'B-1' AND r.venue_code = 'Q-B-1'`); err != nil {
		t.Fatal(err)
	}
	code, body := f.api(t, "ava", "POST", "/api/v1/custody/consignments", map[string]any{"exam": "D1", "session": 1, "venues": []string{"Q-A-1"}})
	if code != 200 {
		t.Fatalf("packages: %d %s", code, body)
	}
	if code, body := f.api(t, "pap.bardhi", "GET", "/api/v1/custody/consignments/Q-A-1/D1", nil); code != 404 {
		t.Fatalf("before the draw the PAP reads the materials: %d %s", code, body)
	}
	code, body = f.api(t, "kmsh", "POST", "/api/v1/draws", map[string]any{"exam": "D1", "unit": "DAR-A"})
	if code != 201 {
		t.Fatalf("commit: %d %s", code, body)
	}
	var rec struct{ ID int64 }
	json.Unmarshal([]byte(body), &rec)
	f.drawAt(t, 7, 15)
	if code, body := f.api(t, "kmsh", "POST", fmt.Sprintf("/api/v1/draws/%d/run", rec.ID), map[string]string{"entropy": "4 8 15"}); code != 200 {
		t.Fatalf("run: %d %s", code, body)
	}
	// Q-B-1's packages, with a hand-over recorded, stand for another venue.
	code, body = f.api(t, "ava", "POST", "/api/v1/custody/consignments", map[string]any{"exam": "D1", "session": 1, "venues": []string{"Q-B-1"}})
	if code != 200 {
		t.Fatalf("packages of Q-B-1: %d %s", code, body)
	}
	consignment := func(venue string) custody.Consignment {
		_, body := f.api(t, "ava", "GET", "/api/v1/custody/consignments/"+venue+"/D1", nil)
		var c custody.Consignment
		if err := json.Unmarshal([]byte(body), &c); err != nil {
			t.Fatal(err)
		}
		return c
	}
	record := func(user, venue string, step int, givers, receivers []string) (int, custody.Handover) {
		code, body := f.api(t, user, "POST", "/api/v1/custody/handovers", map[string]any{"venue_code": venue, "exam": "D1", "step": step,
			"givers": givers, "receivers": receivers, "seals": custodySealMap(consignment(venue))})
		var h custody.Handover
		json.Unmarshal([]byte(body), &h)
		if code != 201 {
			t.Logf("record %d at %s by %s: %d %s", step, venue, user, code, body)
		}
		return code, h
	}
	confirm := func(user string, h custody.Handover) int {
		code, body := f.api(t, user, "POST", fmt.Sprintf("/api/v1/custody/handovers/%d/confirm", h.ID), map[string]any{"seals": custodySealMap(consignment(h.VenueCode))})
		if code != 200 {
			t.Logf("confirm %d by %s: %d %s", h.Step, user, code, body)
		}
		return code
	}
	_, foreign := record("ava", "Q-B-1", 1, []string{"Arta Hoxha (AVA)"}, []string{"Besa Leka (KMSH)", "Ilir Dema (MASH)"})
	for _, s := range []struct {
		user, confirmer string
		step            int
	}{{"ava", "kmsh", 1}, {"kmsh", "kmsh2", 2}} {
		code, h := record(s.user, "Q-A-1", s.step, []string{"Besa Leka", "Ilir Dema"}, []string{"Genc Kola", "Ilir Dema"})
		if code != 201 || confirm(s.confirmer, h) != 200 {
			t.Fatalf("step %d", s.step)
		}
	}

	for _, row := range []struct {
		path                   string
		drawnPAP, rep, undrawn int
	}{
		{"/api/v1/custody/consignments/Q-A-1/D1", 200, 200, 404},
		{"/api/v1/custody/consignments/Q-B-1/D1", 404, 404, 404},
		{"/api/v1/custody/consignments/Q-A-1/D1?session=2", 404, 404, 404},
		{fmt.Sprintf("/api/v1/custody/handovers/%d", foreign.ID), 404, 404, 404},
		{"/materialet/Q-A-1/D1", 200, 200, 404},
		{"/materialet/Q-B-1/D1", 404, 404, 404},
		{fmt.Sprintf("/materialet/dorezimet/%d/procesverbal.pdf", foreign.ID), 404, 404, 404},
	} {
		for user, want := range map[string]int{"pap.bardhi": row.drawnPAP, "kmsh.cuni": row.rep, "pap.elezi": row.undrawn} {
			var code int
			var body string
			if strings.HasPrefix(row.path, "/api/") {
				code, body = f.api(t, user, "GET", row.path, nil)
			} else {
				code, body = f.ui(t, user, row.path)
			}
			if code != want {
				t.Errorf("%s %s: %d, want %d", user, row.path, code, want)
			}
			if code == 404 && strings.Contains(body, "Gjimnazi Durrësi") {
				t.Errorf("%s %s: the refusal names the other venue", user, row.path)
			}
		}
	}
	for user, want := range map[string]string{"pap.bardhi": "Q-A-1", "kmsh.cuni": "Q-A-1", "pap.elezi": ""} {
		_, body := f.api(t, user, "GET", "/api/v1/custody/board", nil)
		var b struct{ Consignments []custody.Consignment }
		json.Unmarshal([]byte(body), &b)
		if (want == "" && len(b.Consignments) != 0) || (want != "" && (len(b.Consignments) != 1 || b.Consignments[0].VenueCode != want)) {
			t.Errorf("%s's board: %s", user, body)
		}
	}
	// The representative hands over in the morning; the PAP confirms.
	code, h := record("kmsh.cuni", "Q-A-1", 3, []string{"Genc Kola"}, []string{"Ana Bardhi (PAP)", "Ana Çuni (KMSH)"})
	if code != 201 {
		t.Fatalf("the representative records step 3: %d", code)
	}
	if code := confirm("pap.bardhi", h); code != 200 {
		t.Fatalf("the drawn PAP confirms step 3: %d", code)
	}
	if code, _ := record("kmsh.cuni", "Q-B-1", 2, []string{"Besa Leka", "Ilir Dema"}, []string{"Genc Kola"}); code != 404 {
		t.Errorf("the representative records at another venue: %d", code)
	}
	if c := consignment("Q-A-1"); c.Stage != 3 {
		t.Fatalf("stage %d, want 3", c.Stage)
	}
}
