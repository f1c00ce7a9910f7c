package web

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"provim/internal/auth"
)

// venueFixture is uiAppFixture with a venue for the ZA too and every
// student on the final list of D1.
func venueFixture(t *testing.T) *fixture {
	t.Helper()
	f := uiAppFixture(t)
	ctx := context.Background()
	op := &auth.Principal{Username: "setup", Role: auth.RoleAVA}
	if _, err := f.k.Registry.Import(ctx, op, "venues", "venues.csv", strings.NewReader(
		"kodi_qendres,emri_qendres,kodi_shkolles,qyteti,salla,vende,gjatesia_cm,gjeresia_cm\nQ-A1-1,Gjimnazi Kavaja,A1-1,Kavajë,Salla 1,20,900,600\n"), nil); err != nil {
		t.Fatal(err)
	}
	if _, err := f.db.Exec(`INSERT INTO final_lists (year, exam, student_id, reg_no, school_code) SELECT 2027, 'D1', id, 'R' || CAST(id AS TEXT), school_code FROM students`); err != nil {
		t.Fatal(err)
	}
	return f
}

// apiC is f.api with the JSON answer compacted, for substring checks.
func (f *fixture) apiC(t *testing.T, user, method, path string, body any) (int, string) {
	t.Helper()
	code, out := f.api(t, user, method, path, body)
	var buf bytes.Buffer
	if json.Compact(&buf, []byte(out)) == nil {
		out = buf.String()
	}
	return code, out
}

func (f *fixture) roomOf(t *testing.T, venue string) int64 {
	t.Helper()
	var id int64
	if err := f.db.QueryRow(`SELECT id FROM rooms WHERE venue_code = $1`, venue).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

func inspection(room int64) map[string]any {
	return map[string]any{"spacing_cm": 120, "desk_width_cm": 60, "desk_depth_cm": 40, "one_direction": true, "aired_lit": true,
		"no_posters": true, "no_other_activity": true, "road_access": true,
		"rooms": []map[string]any{{"room_id": room, "length_cm": 900, "width_cm": 600}}}
}

func TestNeni38_API_InspectionScopeAndCriteria(t *testing.T) {
	t.Parallel()
	f := venueFixture(t)
	f.setDay(t, "2027-04-01")
	room := f.roomOf(t, "Q-A-1")
	code, body := f.apiC(t, "kmsh", "PUT", "/api/v1/venues/Q-A-1/inspection", inspection(room))
	if code != 200 || !strings.Contains(body, `"suitable":true`) || !strings.Contains(body, `"seats":20`) {
		t.Fatalf("kmsh inspects its venue: %d %s", code, body)
	}
	// A venue of another DAR does not exist for this KMSH; other roles may not inspect.
	if code, _ := f.api(t, "kmsh", "PUT", "/api/v1/venues/Q-B-1/inspection", inspection(f.roomOf(t, "Q-B-1"))); code != 404 {
		t.Errorf("kmsh on another DAR's venue: %d", code)
	}
	for _, u := range []string{"kshmsh", "pap", "nxenes", "vleresues"} {
		if code, _ := f.api(t, u, "PUT", "/api/v1/venues/Q-A-1/inspection", inspection(room)); code != 403 {
			t.Errorf("%s inspects: %d, want 403", u, code)
		}
	}
	// A failed criterion is named.
	bad := inspection(f.roomOf(t, "Q-A1-1"))
	bad["road_access"] = false
	code, body = f.apiC(t, "kmsh", "PUT", "/api/v1/venues/Q-A1-1/inspection", bad)
	if code != 200 || !strings.Contains(body, `"suitable":false`) || !strings.Contains(body, "38.8") {
		t.Fatalf("failed criterion: %d %s", code, body)
	}
	// The venue staff read their venue's inspection; the school commission of another school does not.
	if code, _ := f.api(t, "pap", "GET", "/api/v1/venues/Q-A-1/inspection", nil); code != 200 {
		t.Errorf("pap reads its venue: %d", code)
	}
	if code, _ := f.api(t, "kshmsh", "GET", "/api/v1/venues/Q-B-1/inspection", nil); code != 404 {
		t.Errorf("kshmsh reads another venue: %d", code)
	}
	code, body = f.apiC(t, "kmsh", "GET", "/api/v1/venue-inspections", nil)
	if code != 200 || !strings.Contains(body, "Q-A1-1") || strings.Contains(body, "Q-B-1") {
		t.Errorf("kmsh list: %d %s", code, body)
	}
}

func TestNeni39_API_PlanShortageOverrideAndStudentSeat(t *testing.T) {
	t.Parallel()
	f := venueFixture(t)
	f.setDay(t, "2027-04-01")
	for _, v := range []string{"Q-A-1", "Q-B-1"} {
		if code, body := f.apiC(t, "ava", "PUT", "/api/v1/venues/"+v+"/inspection", inspection(f.roomOf(t, v))); code != 200 {
			t.Fatalf("inspect %s: %d %s", v, code, body)
		}
	}
	f.setDay(t, "2027-06-01")
	// The ZA's venue is not inspected: its candidate has no seat; nothing is saved.
	code, body := f.apiC(t, "kmsh", "POST", "/api/v1/plans/D1", nil)
	if code != 422 || !strings.Contains(body, "ZA Kavajë") || !strings.Contains(body, "1 kandidatë") {
		t.Fatalf("shortage: %d %s", code, body)
	}
	var n int
	f.db.QueryRow(`SELECT COUNT(*) FROM exam_seats`).Scan(&n)
	if n != 0 {
		t.Fatalf("%d seats saved", n)
	}
	f.setDay(t, "2027-04-02")
	if code, body := f.apiC(t, "kmsh", "PUT", "/api/v1/venues/Q-A1-1/inspection", inspection(f.roomOf(t, "Q-A1-1"))); code != 200 {
		t.Fatalf("inspect ZA venue: %d %s", code, body)
	}
	f.setDay(t, "2027-06-01")
	code, body = f.apiC(t, "kmsh", "POST", "/api/v1/plans/D1", map[string]any{"session": 1})
	if code != 200 || !strings.Contains(body, `"candidates":2`) {
		t.Fatalf("plan: %d %s", code, body)
	}
	if code, _ := f.api(t, "kshmsh", "POST", "/api/v1/plans/D1", nil); code != 403 {
		t.Errorf("kshmsh plans: %d", code)
	}
	if code, _ := f.api(t, "kmsh", "POST", "/api/v1/plans/D1", map[string]any{"unit": "DAR-B"}); code != 404 {
		t.Errorf("kmsh plans another DAR: %d", code)
	}
	code, body = f.apiC(t, "kmsh", "GET", "/api/v1/plans/D1", nil)
	if code != 200 || !strings.Contains(body, "Neni 39") || !strings.Contains(body, `"placed":2`) {
		t.Fatalf("summary: %d %s", code, body)
	}
	// The student sees their venue (Neni 12.9), not another's.
	code, body = f.apiC(t, "nxenes", "GET", fmt.Sprintf("/api/v1/students/%d/seats", f.home.student), nil)
	if code != 200 || !strings.Contains(body, "Q-A-1") || !strings.Contains(body, "2027-06-08") {
		t.Fatalf("student seats: %d %s", code, body)
	}
	if code, _ := f.api(t, "nxenes", "GET", fmt.Sprintf("/api/v1/students/%d/seats", f.foreign.student), nil); code != 404 {
		t.Errorf("another student's seats: %d", code)
	}
	// The room's name list: PDF for the KMSH, JSON for the venue's PAP, nothing for a marker.
	room := f.roomOf(t, "Q-A-1")
	resp, pdfBody := f.raw(t, "kmsh", "GET", fmt.Sprintf("/api/v1/plans/D1/rooms/%d?format=pdf", room), "", nil)
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(pdfBody, "%PDF") {
		t.Fatalf("room list pdf: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	code, body = f.apiC(t, "pap", "GET", fmt.Sprintf("/api/v1/plans/D1/rooms/%d", room), nil)
	if code != 200 || !strings.Contains(body, `"single_room":true`) || !strings.Contains(body, "Çela") {
		t.Fatalf("pap room list: %d %s", code, body)
	}
	if code, _ := f.api(t, "vleresues", "GET", fmt.Sprintf("/api/v1/plans/D1/rooms/%d", room), nil); code != 403 {
		t.Errorf("marker reads a name list: %d", code)
	}
	// Override: a reason is required; the capacity is checked.
	ov := map[string]any{"student_ids": []int64{f.home.student}, "venue": "Q-A1-1"}
	if code, _ := f.api(t, "kmsh", "POST", "/api/v1/plans/D1/overrides", ov); code != 422 {
		t.Errorf("override without a reason: %d", code)
	}
	ov["reason"] = "Afër vendbanimit"
	if code, body := f.apiC(t, "kmsh", "POST", "/api/v1/plans/D1/overrides", ov); code != 200 || !strings.Contains(body, `"moved":1`) {
		t.Fatalf("override: %d %s", code, body)
	}
	code, body = f.apiC(t, "nxenes", "GET", fmt.Sprintf("/api/v1/students/%d/seats", f.home.student), nil)
	if code != 200 || !strings.Contains(body, "Q-A1-1") {
		t.Errorf("the moved student's seat: %s", body)
	}
	// The venue list as PDF.
	resp, pdfBody = f.raw(t, "kmsh", "GET", "/api/v1/units/DAR-A/venue-list?format=pdf", "", nil)
	if resp.StatusCode != 200 || !strings.HasPrefix(pdfBody, "%PDF") {
		t.Errorf("venue list pdf: %d", resp.StatusCode)
	}
}

func TestNeni41_UI_InspectSendListPlanAndStudentPage(t *testing.T) {
	t.Parallel()
	f := venueFixture(t)
	f.setDay(t, "2027-04-01")
	f.expect(t, "kmsh", "/qendrat/inspektimi", http.StatusOK, "Q-A-1", "Q-A1-1", "Pa inspektuar")
	for _, v := range []string{"Q-A-1", "Q-A1-1"} {
		room := fmt.Sprint(f.roomOf(t, v))
		f.expect(t, "kmsh", "/qendrat/"+v+"/inspektimi", http.StatusOK, "Kriteret e Nenit 38")
		loc := f.mustPost(t, "kmsh", "/qendrat/"+v+"/inspektimi", url.Values{"spacing_cm": {"120"}, "desk_width_cm": {"60"}, "desk_depth_cm": {"40"},
			"one_direction": {"on"}, "aired_lit": {"on"}, "no_posters": {"on"}, "no_other_activity": {"on"}, "road_access": {"on"},
			"room_id": {room}, "length_" + room: {"900"}, "width_" + room: {"600"}})
		if loc != "/qendrat/"+v+"/inspektimi" { // the confirmation is kept with the session (issue 9, item 9)
			t.Fatalf("inspect %s: %s", v, loc)
		}
	}
	f.mustPost(t, "kmsh", "/qendrat/inspektimi/dergo", url.Values{"njesia": {"DAR-A"}})
	f.expect(t, "kmsh", "/qendrat/inspektimi?njesia=DAR-A", http.StatusOK, "Dërguar më")
	// Sent: the KMSH can no longer change a venue (Neni 41).
	room := fmt.Sprint(f.roomOf(t, "Q-A-1"))
	code, body, _ := f.post(t, "kmsh", "/qendrat/Q-A-1/inspektimi", url.Values{"spacing_cm": {"120"}, "desk_width_cm": {"60"}, "desk_depth_cm": {"40"}, "room_id": {room}})
	if code != http.StatusUnprocessableEntity || !strings.Contains(body, "Neni 41") {
		t.Fatalf("change after the list: %d %s", code, errorOf(body))
	}
	f.setDay(t, "2027-06-01")
	f.mustPost(t, "kmsh", "/plani", url.Values{"provimi": {"D1"}})
	f.expect(t, "kmsh", "/plani?provimi=D1", http.StatusOK, "Grupimi i shkollave", "Gjimnazi Çajupi")
	f.expect(t, "kmsh", "/plani/salla/"+room+"?provimi=D1", http.StatusOK, "Etiketa e kodit", "Çela")
	f.expect(t, "nxenes", "/qendra-ime", http.StatusOK, "Gjimnazi Çajupi", "08.06.2027")
	f.expect(t, "kshmsh", "/plani/shkolla?provimi=D1", http.StatusOK, "Çela", "Gjimnazi Çajupi")
	if code, body := f.api(t, "kshmsh", "GET", "/api/v1/schools/A-1/seats/D1", nil); code != 200 || !strings.Contains(body, "Q-A-1") {
		t.Errorf("school seats API: %d %s", code, body)
	}
	if code, _ := f.api(t, "kshmsh", "GET", "/api/v1/schools/B-1/seats/D1", nil); code != 404 {
		t.Errorf("another school's seats: %d", code)
	}
	if code, _ := f.ui(t, "kshmsh", "/plani"); code != http.StatusForbidden {
		t.Errorf("kshmsh plan page: %d", code)
	}
}

func TestNeni12_9_UI_SchoolReadsItsVenueInspection(t *testing.T) {
	t.Parallel()
	f := venueFixture(t)
	f.setDay(t, "2027-04-01")
	if code, body := f.api(t, "kmsh", "PUT", "/api/v1/venues/Q-A-1/inspection", inspection(f.roomOf(t, "Q-A-1"))); code != 200 {
		t.Fatalf("inspect: %d %s", code, body)
	}
	body := f.expect(t, "kshmsh", "/qendrat/Q-A-1/inspektimi", http.StatusOK, "E përshtatshme", "20 vende")
	if strings.Contains(body, "inspection-form") {
		t.Error("the school commission sees the inspection form")
	}
	f.expect(t, "kshmsh", "/qendrat/Q-B-1/inspektimi", http.StatusNotFound)
}
