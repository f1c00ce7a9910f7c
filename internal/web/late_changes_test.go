package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"provim/internal/application"
)

// TestNeni41_UI_LateChangesConfirmRedirectAndNotify: on the eve of D1 a
// re-plan and a move that makes the draw stale ask for confirmation on a
// page of their own (no JS), every POST answers with a redirect and a
// confirmation kept server-side, the move is typed with the registration
// number and the room's name, and the student and both venues' staff are
// told; a room's seats change only by AVA, with a reason (issue 9 item 11,
// issue 11 C).
func TestNeni41_UI_LateChangesConfirmRedirectAndNotify(t *testing.T) {
	t.Parallel()
	f := venueFixture(t)
	f.setDay(t, "2027-04-01")
	for _, v := range []string{"Q-A-1", "Q-A1-1"} {
		room := fmt.Sprint(f.roomOf(t, v))
		f.mustPost(t, "kmsh", "/qendrat/"+v+"/inspektimi", url.Values{"spacing_cm": {"120"}, "desk_width_cm": {"60"}, "desk_depth_cm": {"40"},
			"one_direction": {"on"}, "aired_lit": {"on"}, "no_posters": {"on"}, "no_other_activity": {"on"}, "road_access": {"on"},
			"room_id": {room}, "length_" + room: {"900"}, "width_" + room: {"600"}})
	}
	f.mustPost(t, "kmsh", "/qendrat/inspektimi/dergo", url.Values{"njesia": {"DAR-A"}})
	f.setDay(t, "2027-06-01")
	if loc := f.mustPost(t, "kmsh", "/plani", url.Values{"provimi": {"D1"}}); !strings.HasPrefix(loc, "/plani?") {
		t.Fatalf("the first plan went to %s", loc)
	}
	// Planning again asks first.
	loc := f.mustPost(t, "kmsh", "/plani", url.Values{"provimi": {"D1"}})
	if !strings.HasPrefix(loc, "/plani/konfirmo?") {
		t.Fatalf("a re-plan without confirmation went to %s", loc)
	}
	f.expect(t, "kmsh", loc, http.StatusOK, "Rihartimi i planit", "Po, riharto planin", `name="konfirmo" value="po"`)
	if loc := f.mustPost(t, "kmsh", "/plani", url.Values{"provimi": {"D1"}, "konfirmo": {"po"}}); !strings.HasPrefix(loc, "/plani?") {
		t.Fatalf("the confirmed re-plan went to %s", loc)
	}
	f.expect(t, "kmsh", "/plani?provimi=D1", http.StatusOK, "Plani u ndërtua")

	// The eve of D1: a draw of DAR-A was made on the plan.
	f.setDay(t, "2027-06-07")
	reg := application.RegNo(2027, 189208)
	if _, err := f.db.Exec(`UPDATE final_lists SET reg_no = $1 WHERE year = 2027 AND exam = 'D1' AND student_id = $2`, reg, f.home.student); err != nil {
		t.Fatal(err)
	}
	if _, err := f.db.Exec(`INSERT INTO draws (year, session, exam, unit_code, seq, status, inputs, inputs_hash, seed, commitment, committed_by, committed_at, drawn_by, drawn_at)
		VALUES (2027, 1, 'D1', 'DAR-A', 1, 'drawn', '{}', 'h', 's', 'c', 'kmsh', '2027-06-07T05:00:00Z', 'kmsh', '2027-06-07T06:00:00Z')`); err != nil {
		t.Fatal(err)
	}
	move := url.Values{"provimi": {"D1"}, "nxenesit": {reg}, "qendra": {"Q-A1-1"}, "salla": {"Salla 1"}, "reason": {"banon në Kavajë"}}
	// A database id is not a registration number; a room is chosen by its
	// name, and "1" names no room.
	bad := url.Values{"provimi": {"D1"}, "nxenesit": {fmt.Sprint(f.home.student)}, "qendra": {"Q-A1-1"}, "salla": {"Salla 1"}, "reason": {"x"}}
	if code, body, _ := f.post(t, "kmsh", "/plani/ndrysho", bad); code != http.StatusUnprocessableEntity || !strings.Contains(body, "9 shifra") {
		t.Fatalf("a move by id: %d %s", code, errorOf(body))
	}
	bad.Set("nxenesit", reg)
	bad.Set("salla", "1")
	if code, body, _ := f.post(t, "kmsh", "/plani/ndrysho", bad); code != http.StatusUnprocessableEntity || !strings.Contains(body, "nuk ka sallë me emrin «1»") {
		t.Fatalf("room «1»: %d %s", code, errorOf(body))
	}
	loc = f.mustPost(t, "kmsh", "/plani/ndrysho", move)
	if !strings.HasPrefix(loc, "/plani/ndrysho/konfirmo?") {
		t.Fatalf("a move after the draw without confirmation went to %s", loc)
	}
	f.expect(t, "kmsh", loc, http.StatusOK, "Konfirmoni zhvendosjen", "Shorti i personelit", "DAR-A", "Po, zhvendos", reg)
	var venue string
	f.db.QueryRow(`SELECT venue_code FROM exam_seats WHERE exam = 'D1' AND student_id = $1`, f.home.student).Scan(&venue)
	if venue != "Q-A-1" {
		t.Fatalf("the confirmation page moved the candidate to %s", venue)
	}
	move.Set("konfirmo", "po")
	if loc := f.mustPost(t, "kmsh", "/plani/ndrysho", move); !strings.HasPrefix(loc, "/plani?") {
		t.Fatalf("the confirmed move went to %s", loc)
	}
	f.expect(t, "kmsh", "/plani?provimi=D1", http.StatusOK, "1 kandidat u zhvendos", "Duhen rishikuar", "Shorti i personelit")
	f.db.QueryRow(`SELECT venue_code FROM exam_seats WHERE exam = 'D1' AND student_id = $1`, f.home.student).Scan(&venue)
	if venue != "Q-A1-1" {
		t.Fatalf("moved to %s", venue)
	}

	// The student and the PAP of the venue left are told; the PAP reads
	// the notice on the venue's page and marks it read.
	f.expect(t, "nxenes", "/njoftimet", http.StatusOK, "Ndryshoi vendi juaj i provimit D1", "Q-A1-1", "Salla 1")
	if code, body := f.apiC(t, "nxenes", "GET", "/api/v1/notices", nil); code != 200 || !strings.Contains(body, "Q-A1-1") {
		t.Fatalf("notices API: %d %s", code, body)
	}
	f.expect(t, "pap", "/qendrat/Q-A-1/inspektimi", http.StatusOK, "Njoftime të reja për qendrën", reg)
	var id int64
	if err := f.db.QueryRow(`SELECT id FROM venue_notices WHERE venue_code = 'Q-A-1'`).Scan(&id); err != nil {
		t.Fatal(err)
	}
	path := fmt.Sprintf("/njoftimet/%d/lexuar", id)
	if code, _, _ := f.post(t, "nxenes", path, url.Values{}); code != http.StatusNotFound {
		t.Fatalf("another's notice: %d", code)
	}
	if loc := f.mustPost(t, "pap", path, url.Values{"pas": {"//evil.example/"}}); loc != "/njoftimet" {
		t.Fatalf("read went to %s", loc)
	}
	if _, body := f.ui(t, "pap", "/qendrat/Q-A-1/inspektimi"); strings.Contains(body, "Njoftime të reja për qendrën") {
		t.Fatal("a read notice is still shown as new")
	}

	// A room's seats on the eve: the KMSH is refused naming Neni 41; AVA
	// needs a reason and never goes below the seated candidates.
	var seated int
	f.db.QueryRow(`SELECT COUNT(*) FROM exam_seats WHERE exam = 'D1' AND venue_code = 'Q-A1-1'`).Scan(&seated)
	if code, body, _ := f.post(t, "kmsh", "/qendrat/Q-A1-1/salla", url.Values{"salla": {"Salla 1"}, "vende": {"10"}, "reason": {"dritare e thyer"}}); code != http.StatusForbidden || !strings.Contains(body, "Neni 41") {
		t.Fatalf("kmsh room seats: %d %s", code, errorOf(body))
	}
	if code, body, _ := f.post(t, "ava", "/qendrat/Q-A1-1/salla", url.Values{"salla": {"Salla 1"}, "vende": {fmt.Sprint(seated - 1)}, "reason": {"dritare e thyer"}}); code != http.StatusConflict {
		t.Fatalf("below the seated: %d %s", code, errorOf(body))
	}
	if loc := f.mustPost(t, "ava", "/qendrat/Q-A1-1/salla", url.Values{"salla": {"Salla 1"}, "vende": {fmt.Sprint(max(seated, 15))}, "reason": {"dy banka të dëmtuara"}}); loc != "/qendrat/Q-A1-1/inspektimi" {
		t.Fatalf("room seats went to %s", loc)
	}
	f.expect(t, "ava", "/qendrat/Q-A1-1/inspektimi", http.StatusOK, "Vendet e sallës «Salla 1» u ndryshuan", "Ndryshimet e vendeve pas inspektimit", "dy banka të dëmtuara")
}
