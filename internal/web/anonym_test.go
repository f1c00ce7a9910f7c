package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"provim/internal/auth"
)

// TestAnonymAPIFlow walks the anonymisation through the API, every answer
// checked against api/openapi.yaml: AVA makes the codes of the home
// venue's one seated candidate, names three key holders (their shares
// answered once), the label is attached at the desk, the venue's PAP reads
// the counts and the label sheets, the room's unused labels are sealed,
// and the link opens with two of the three shares once the marking closed
// — never with one, and never before. No answer before the opening names
// the code with the candidate.
func TestAnonymAPIFlow(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	var room int64
	var regNo string
	if err := f.db.QueryRow(`SELECT id FROM rooms WHERE venue_code = $1 ORDER BY id LIMIT 1`, f.home.venue).Scan(&room); err != nil {
		t.Fatal(err)
	}
	regNo = fmt.Sprintf("R%06d", f.home.student)
	for _, q := range []struct {
		sql  string
		args []any
	}{
		{`INSERT INTO exam_seats (year, session, exam, student_id, venue_code, room_id, seat_no) VALUES (2009, 1, 'D1', $1, $2, $3, 1)`, []any{f.home.student, f.home.venue, room}},
		{`INSERT INTO final_lists (year, exam, student_id, reg_no, school_code) VALUES (2009, 'D1', $1, $2, $3)`, []any{f.home.student, regNo, f.home.school}},
	} {
		if _, err := f.db.Exec(q.sql, q.args...); err != nil {
			t.Fatal(err)
		}
	}
	base := "/api/v1/anonym/2009/D1"
	expect := func(user, method, path string, body any, want int) string {
		t.Helper()
		code, out := f.api(t, user, method, path, body)
		if code != want {
			t.Fatalf("%s %s %s: %d, want %d\n%s", user, method, path, code, want, snippet(out))
		}
		return out
	}
	expect("pap", "POST", base+"/codes", nil, http.StatusForbidden)
	expect("ava", "POST", base+"/codes", nil, http.StatusCreated)
	expect("ava", "POST", base+"/codes", nil, http.StatusOK)
	// Before the key holders are named nothing is sealed.
	ava := &auth.Principal{Username: "ava", Role: auth.RoleAVA}
	set, err := f.k.Anonym.LabelSet(ctx, ava, 2009, "D1", f.home.venue)
	if err != nil || len(set.Rooms) != 1 || len(set.Rooms[0].Codes) != 1 {
		t.Fatalf("labels: %+v %v", set, err)
	}
	code := set.Rooms[0].Codes[0]
	attach := map[string]any{"code": strings.ToLower(code[:4] + "-" + code[4:]), "student_id": f.home.student}
	expect("ava", "POST", base+"/venues/"+f.home.venue+"/attach", attach, http.StatusConflict)
	var key struct {
		Threshold int
		Shares    []struct {
			No          int
			Name, Share string
		}
	}
	out := expect("ava", "POST", base+"/holders", map[string]any{"holders": []string{"Arta", "Blerim", "Dorina"}, "threshold": 2}, http.StatusCreated)
	if err := json.Unmarshal([]byte(out), &key); err != nil || len(key.Shares) != 3 || key.Threshold != 2 {
		t.Fatalf("holders: %s", out)
	}
	out = expect("ava", "POST", base+"/venues/"+f.home.venue+"/attach", attach, http.StatusCreated)
	if strings.Contains(out, code) || strings.Contains(out, "student") || strings.Contains(out, regNo) {
		t.Fatalf("the desk's answer names the code or the candidate: %s", out)
	}
	expect("ava", "POST", base+"/venues/"+f.home.venue+"/attach", attach, http.StatusOK)
	// The venue's PAP reads its counts and sheets; another venue's not.
	out = expect("pap", "GET", base+"/venues/"+f.home.venue+"/counts", nil, http.StatusOK)
	if !strings.Contains(out, `"used": 1`) || !strings.Contains(out, `"printed": 1`) {
		t.Fatalf("counts: %s", out)
	}
	expect("pap", "GET", base+"/venues/"+f.foreign.venue+"/counts", nil, http.StatusNotFound)
	expect("pap", "GET", base+"/venues/"+f.home.venue+"/labels", nil, http.StatusOK)
	expect("vleresues", "GET", base+"/venues/"+f.home.venue+"/labels", nil, http.StatusForbidden)
	var counts struct {
		Rooms []struct {
			Room     string
			Balanced bool
		}
	}
	json.Unmarshal([]byte(out), &counts)
	out = expect("pap", "POST", base+"/venues/"+f.home.venue+"/seal", map[string]any{"room": roomName(t, f, room), "unused": 0}, http.StatusOK)
	if !strings.Contains(out, `"balanced": true`) {
		t.Fatalf("seal: %s", out)
	}
	// Opening: refused before the marking closes, with one share, and by
	// anyone but AVA; two shares open it.
	shares := func(n int) map[string]any {
		var list []map[string]string
		for _, s := range key.Shares[:n] {
			list = append(list, map[string]string{"holder": s.Name, "share": s.Share})
		}
		return map[string]any{"shares": list}
	}
	expect("ava", "POST", base+"/open", shares(2), http.StatusConflict)
	f.k.Anonym.SetMarkingClosed(func(context.Context, int, string) (bool, error) { return true, nil })
	expect("ava", "POST", base+"/open", shares(1), http.StatusUnprocessableEntity)
	expect("pap", "POST", base+"/open", shares(2), http.StatusForbidden)
	out = expect("ava", "POST", base+"/open", shares(2), http.StatusOK)
	if !strings.Contains(out, `"links": 1`) {
		t.Fatalf("open: %s", out)
	}
	if id, ok, err := f.k.Anonym.StudentOfCode(ctx, 2009, "D1", code); err != nil || !ok || id != f.home.student {
		t.Fatalf("opened link: %d %v %v", id, ok, err)
	}
	out = expect("ava", "GET", base, nil, http.StatusOK)
	if !strings.Contains(out, `"opened": true`) || strings.Contains(out, code) {
		t.Fatalf("status: %s", out)
	}
	// The pages: AVA's exam page and the venue's page for its PAP.
	if c, body := f.ui(t, "ava", "/sekretimi/2009/D1"); c != http.StatusOK || !strings.Contains(body, "Arta") || strings.Contains(body, key.Shares[0].Share) {
		t.Fatalf("exam page: %d", c)
	}
	if c, body := f.ui(t, "pap", "/sekretimi/2009/D1/"+f.home.venue); c != http.StatusOK || !strings.Contains(body, "Përputhen") {
		t.Fatalf("venue page: %d\n%s", c, snippet(body))
	}
}

func roomName(t *testing.T, f *fixture, id int64) string {
	t.Helper()
	var name string
	if err := f.db.QueryRow(`SELECT name FROM rooms WHERE id = $1`, id).Scan(&name); err != nil {
		t.Fatal(err)
	}
	return name
}
