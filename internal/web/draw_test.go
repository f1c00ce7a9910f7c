package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"provim/internal/doc/pdf"
	"strconv"
	"strings"
	"testing"
	"time"

	"provim/internal/albanian"
	"provim/internal/clock"
	"provim/internal/draw"
)

// drawFixture is uiAppFixture with an exam plan for D1 in DAR-A (both
// DAR-A candidates in Q-A-1's room) and three more staff of DAR-A: the
// director of A-9 (no candidates) and two office specialists, on 8 June 2027 at 06:30 in Tirana.
func drawFixture(t *testing.T) (*fixture, map[string]int64) {
	t.Helper()
	f := uiAppFixture(t)
	var room int64
	if err := f.db.QueryRow(`SELECT id FROM rooms WHERE venue_code = 'Q-A-1'`).Scan(&room); err != nil {
		t.Fatal(err)
	}
	for i, school := range []string{"A-1", "A1-1"} {
		if _, err := f.db.Exec(`INSERT INTO exam_seats (year, session, exam, student_id, venue_code, room_id, seat_no)
			SELECT 2027, 1, 'D1', id, 'Q-A-1', $1, $2 FROM students WHERE school_code = $3`, room, i+1, school); err != nil {
			t.Fatal(err)
		}
	}
	// A-9 has no candidates: its director may lead any venue.
	if _, err := f.db.Exec(`INSERT INTO schools (code, name, unit_code, city, public, profile, years) VALUES ('A-9', 'Shkolla A-9', 'DAR-A', 'Tiranë', TRUE, 'gjimnaz', 4)`); err != nil {
		t.Fatal(err)
	}
	staff := map[string]int64{}
	for i, s := range [][3]any{{"Bardhi", "drejtor", "A-9"}, {"Çuni", "specialist", nil}, {"Dibra", "specialist", nil}, {"Elezi", "mesues", "A-9"}} {
		last := s[0].(string)
		var id int64
		if err := f.db.QueryRow(`INSERT INTO staff (personal_no, first_name, father_name, last_name, sex, unit_code, school_code, position, sort_key, updated_at)
			VALUES ($1, 'Ana', 'Ilir', $2, 'F', 'DAR-A', $3, $4, $5, '2027-01-01T00:00:00Z') RETURNING id`,
			fmt.Sprintf("X%08d", i), last, s[2], s[1], albanian.SortKey(last, "Ana", "Ilir")).Scan(&id); err != nil {
			t.Fatal(err)
		}
		staff[last] = id
	}
	f.drawAt(t, 6, 30)
	return f, staff
}

// drawAt stands the clock on 8 June 2027, hh:mm in Tirana.
func (f *fixture) drawAt(t *testing.T, hh, mm int) {
	f.k.Clock.Set(time.Date(2027, 6, 8, hh, mm, 0, 0, clock.Tirana))
}

func TestNeni47_DrawAPI(t *testing.T) {
	t.Parallel()
	f, staff := drawFixture(t)
	for name, role := range map[string]string{"Bardhi": "PAP", "Çuni": "KMSH", "Dibra": "AP"} {
		if code, body := f.api(t, "kmsh", "POST", "/api/v1/draw-pools/DAR-A", map[string]any{"staff_id": staff[name], "role": role}); code != http.StatusNoContent {
			t.Fatalf("pool %s: %d %s", name, code, body)
		}
	}
	if code, body := f.api(t, "kmsh", "POST", "/api/v1/draw-pools/DAR-A", map[string]any{"staff_id": f.foreign.staff, "role": "AP"}); code != http.StatusNotFound {
		t.Errorf("DAR-A listed DAR-B's staff: %d %s", code, body)
	}
	code, body := f.api(t, "kmsh", "GET", "/api/v1/staffing/DAR-A?exam=D1", nil)
	var needs struct{ Totals map[string]int }
	json.Unmarshal([]byte(body), &needs)
	if code != 200 || needs.Totals["AP"] != 1 || needs.Totals["PAP"] != 1 || needs.Totals["candidates"] != 2 {
		t.Fatalf("staffing: %d %s", code, body)
	}
	if code, _ := f.api(t, "kmsh", "GET", "/api/v1/staffing/DAR-B", nil); code != 404 {
		t.Errorf("KMSH of DAR-A read DAR-B's needs: %d", code)
	}
	for _, u := range []string{"kshmsh", "pap", "nxenes"} {
		if code, _ := f.api(t, u, "GET", "/api/v1/draws", nil); code != 403 {
			t.Errorf("%s lists draws: %d", u, code)
		}
	}
	code, body = f.api(t, "kmsh", "POST", "/api/v1/draws", map[string]any{"exam": "D1", "unit": "DAR-A"})
	if code != 201 {
		t.Fatalf("commit: %d %s", code, body)
	}
	var rec draw.Record
	json.Unmarshal([]byte(body), &rec)
	if rec.Seed != "" || len(rec.Commitment) != 64 {
		t.Fatalf("commitment leaks the seed or is missing: %+v", rec)
	}
	id := strconv.FormatInt(rec.ID, 10)
	if code, _ := f.api(t, "kmsh", "POST", "/api/v1/draws/"+id+"/run", map[string]string{"entropy": "4 8 15"}); code != 422 {
		t.Errorf("run before the window: %d", code)
	}
	f.drawAt(t, 7, 15)
	if code, body := f.api(t, "kmsh", "POST", "/api/v1/draws/"+id+"/run", map[string]string{"entropy": " "}); code != 422 || !strings.Contains(body, "entropia") {
		t.Errorf("run without entropy: %d %s", code, body)
	}
	if code, _ := f.api(t, "ava", "POST", "/api/v1/draws/"+id+"/run", map[string]string{"entropy": "1"}); code != 403 {
		t.Errorf("AVA ran a KMSH draw: %d", code)
	}
	if code, body := f.api(t, "kmsh", "POST", "/api/v1/draws/"+id+"/run", map[string]string{"entropy": "4 8 15"}); code != 200 {
		t.Fatalf("run: %d %s", code, body)
	}
	// The public record: no token, seed and result, and it verifies.
	code, body = f.api(t, "", "GET", "/api/v1/public/draws/"+id, nil)
	if code != 200 {
		t.Fatalf("public record: %d %s", code, body)
	}
	var pub draw.Record
	if err := json.Unmarshal([]byte(body), &pub); err != nil {
		t.Fatal(err)
	}
	if err := draw.Verify(pub); err != nil || len(pub.Result) != 3 || pub.Entropy != "4 8 15" {
		t.Fatalf("public record does not verify: %v %+v", err, pub.Result)
	}
	// Who was drawn is in the commission's record, not the public one
	// (Neni 63): Kola teaches D1 at A-1 and may not serve in A-1's venue
	// at the D1 exam (Neni 50).
	for _, a := range pub.Result {
		if a.StaffID != 0 {
			t.Errorf("the public record names a staff member: %+v", a)
		}
	}
	code, body = f.api(t, "kmsh", "GET", "/api/v1/draws/"+id, nil)
	var full draw.Record
	if err := json.Unmarshal([]byte(body), &full); code != 200 || err != nil || len(full.Result) != 3 {
		t.Fatalf("the commission's record: %d %v %s", code, err, body)
	}
	for _, a := range full.Result {
		if a.StaffID == 0 {
			t.Errorf("the commission's record does not say who serves: %+v", a)
		}
		if a.StaffID == f.home.staff {
			t.Errorf("Kola (A-1, D1) was drawn in A-1's venue")
		}
	}
	code, body = f.api(t, "kmsh", "GET", "/api/v1/draws/"+id+"/assignments", nil)
	if code != 200 || !strings.Contains(body, "Dibra Ana (Ilir)") {
		t.Errorf("assignments: %d %s", code, body)
	}
	for _, path := range []string{"/api/v1/draws/" + id + "?format=pdf", "/api/v1/draws/" + id + "/assignments?format=pdf"} {
		resp, body := f.raw(t, "kmsh", "GET", path, "", nil)
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != pdf.ContentType || !strings.HasPrefix(body, "%PDF") {
			t.Errorf("%s: %d %q", path, resp.StatusCode, resp.Header.Get("Content-Type"))
		}
	}
	if code, body := f.api(t, "kmsh", "POST", "/api/v1/draws", map[string]any{"exam": "D1", "unit": "DAR-A"}); code != 409 {
		t.Errorf("second draw without a reason: %d %s", code, body)
	}
	if code, _ := f.api(t, "kmsh", "GET", "/api/v1/draws/999", nil); code != 404 {
		t.Errorf("unknown draw: %d", code)
	}
}

// TestNeni47_5_KMSHRunsAndVerifiesDrawInUI: a KMSH member fills the lists,
// publishes the commitment, draws with the numbers called out, and the
// public page (no login) shows the recomputed, matching result.
func TestNeni47_5_KMSHRunsAndVerifiesDrawInUI(t *testing.T) {
	t.Parallel()
	f, _ := drawFixture(t)
	f.expect(t, "kmsh", "/shorti", 200, "Nevojat sipas qendrave", "Q-A-1")
	f.mustPost(t, "kmsh", "/shorti/listat", url.Values{"provimi": {"D1"}, "sesioni": {"1"}})
	f.expect(t, "kmsh", "/shorti?provimi=D1", 200, "Ana (Ilir) Bardhi")
	loc := f.mustPost(t, "kmsh", "/shorti", url.Values{"provimi": {"D1"}, "sesioni": {"1"}})
	if !strings.HasPrefix(loc, "/shorti/") {
		t.Fatalf("commit went to %s", loc)
	}
	path, _, _ := strings.Cut(loc, "?")
	f.expect(t, "kmsh", path, 200, "Hidh shortin", "Angazhimi")
	f.drawAt(t, 7, 30)
	f.mustPost(t, "kmsh", path+"/hidh", url.Values{"entropy": {"17 4 92"}})
	f.expect(t, "kmsh", path, 200, "përputhet", "17 4 92", "Caktimi sipas qendrave")
	id := strings.TrimPrefix(path, "/shorti/")
	body := f.expect(t, "", "/shorti-publik/"+id, 200, "përputhet", "17 4 92")
	if strings.Contains(body, "Hidh shortin") {
		t.Error("the public page offers the draw")
	}
	resp, pdfBody := f.raw(t, "", "GET", "/shorti-publik/"+id, "", nil)
	if resp.StatusCode != 200 || !strings.Contains(pdfBody, "<dt>Fara</dt>") {
		t.Errorf("public page: %d", resp.StatusCode)
	}
	if _, b := f.ui(t, "kmsh", path+"/procesverbali.pdf"); !strings.HasPrefix(b, "%PDF") {
		t.Error("protocol PDF")
	}
	f.expect(t, "ava", "/shorti", 200, "Shortet", "DAR-A")
	if body := f.expect(t, "ava", "/shorti?njesia=DAR-A", 200, "Nevojat sipas qendrave", id); strings.Contains(body, "Publiko angazhimin") {
		t.Error("AVA is offered the commitment")
	}
	f.expect(t, "", "/shorti/"+id, http.StatusSeeOther)
	if code, _ := f.ui(t, "kshmsh", path); code != 403 {
		t.Errorf("school commission opened a draw: %d", code)
	}
}

// The API names people as the pages do, by their personal number (issue
// 11, part C): a member of staff goes on a list and comes off it by it, a
// declaration names the staff and the student by theirs; the record's id
// is still taken, never together with the number.
func TestDrawPoolsNamePeopleByPersonalNumber(t *testing.T) {
	t.Parallel()
	f, staff := drawFixture(t)
	if code, body := f.api(t, "kmsh", "POST", "/api/v1/draw-pools/DAR-A", map[string]any{"personal_no": "x00000000", "role": "PAP"}); code != http.StatusNoContent {
		t.Fatalf("add by personal number: %d %s", code, body)
	}
	code, body := f.api(t, "kmsh", "GET", "/api/v1/draw-pools/DAR-A", nil)
	if code != 200 || !strings.Contains(body, `"personal_no": "X00000000"`) || !strings.Contains(body, `"role": "PAP"`) {
		t.Fatalf("pool: %d %s", code, body)
	}
	for _, c := range []struct {
		in   map[string]any
		code int
		want string
	}{
		{map[string]any{"personal_no": "X00000001", "staff_id": staff["Çuni"], "role": "KMSH"}, 422, "një herë"},
		{map[string]any{"role": "KMSH"}, 422, "numrin personal"},
		{map[string]any{"personal_no": "Z99999999Z", "role": "KMSH"}, 404, "Z99999999Z"},
	} {
		if code, body := f.api(t, "kmsh", "POST", "/api/v1/draw-pools/DAR-A", c.in); code != c.code || !strings.Contains(body, c.want) {
			t.Errorf("add %v: %d %s, want %d naming %q", c.in, code, body, c.code, c.want)
		}
	}
	if code, body := f.api(t, "kmsh", "DELETE", "/api/v1/draw-pools/DAR-A/X00000000", nil); code != http.StatusNoContent {
		t.Fatalf("remove by personal number: %d %s", code, body)
	}
	if _, body := f.api(t, "kmsh", "GET", "/api/v1/draw-pools/DAR-A", nil); strings.Contains(body, "X00000000") {
		t.Errorf("still listed: %s", body)
	}
	var studentNo string
	if err := f.db.QueryRow(`SELECT personal_no FROM students WHERE id = $1`, f.home.student).Scan(&studentNo); err != nil {
		t.Fatal(err)
	}
	code, body = f.api(t, "kmsh", "POST", "/api/v1/staff-declarations", map[string]any{"staff_personal_no": "X00000003", "student": studentNo, "relation": "mbesë"})
	if code != http.StatusCreated || !strings.Contains(body, "Elezi") {
		t.Fatalf("declaration by personal numbers: %d %s", code, body)
	}
	if code, body := f.api(t, "kmsh", "POST", "/api/v1/staff-declarations", map[string]any{"staff_personal_no": "X00000003", "relation": "mbesë"}); code != 422 || !strings.Contains(body, "numrin personal ose numrin e regjistrimit") {
		t.Errorf("declaration without the student: %d %s", code, body)
	}
}
