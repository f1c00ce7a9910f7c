package marking

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"provim/internal/anonym"
	"provim/internal/auth"
	"provim/internal/marking"
	"provim/internal/testkit"
)

func init() {
	samples = append(samples, func(m map[string]any) {
		q := marking.Queue{Year: 2009, Exam: "D1", ToMark: []marking.QueueEntry{{Code: "K7Q2M9XDR", Display: "K7Q2-M9XD-R", Returned: "pikët e kërkesës 3"}}, Done: 4, Stopped: true}
		m["marking_mark_queue"] = queueView{Exam: "D1", Q: q, Next: "K7Q2-M9XD-R", Lead: true, Total: 5}
		items := []marking.Item{{No: 1, Label: "1", Kind: marking.KindChoice, MaxPoints: 1, Options: 4, Key: "B"}, {No: 2, Label: "2", Kind: marking.KindShort, MaxPoints: 2}}
		mine := marking.Marks{Choices: []string{"B", ""}, Points: []int{1, 2}}
		b := marking.MarkBooklet{Year: 2009, Exam: "D1", Code: "K7Q2M9XDR", Display: "K7Q2-M9XD-R", Items: items, Mine: &mine, Total: 3, SubmittedAt: "2009-06-20T08:00:00Z", Editable: true}
		rows := []itemRow{{No: 1, Label: "1", Choice: true, Options: "A–D", Max: 1, Value: "B"}, {No: 2, Label: "2", Max: 2, Levels: "1 pikë: pjesërisht", Value: "2"}}
		m["marking_mark_booklet"] = bookletView{B: b, Rows: rows, Signed: "20.06.2009 10:00", Next: "K7Q2-M9XD-S", Remaining: 3}
		lb := marking.LeadBooklet{Year: 2009, Exam: "D1", Code: "K7Q2M9XDR", Display: "K7Q2-M9XD-R", State: marking.StateThird, Items: items}
		m["marking_mark_third"] = thirdView{Exam: "D1", Items: []string{"1", "2"}, More: 2, Rows: []thirdRow{{Display: "K7Q2-M9XD-R", Differ: "2",
			Markings: []markingRow{{Round: "I parë", Name: "Arta Hoxha", Total: "3", Signed: "20.06.2009 10:00", Points: []string{"1", "2"}}},
			Third:    "Blerim Çeka", Suggest: "Dorina Lleshi", SuggestU: "dorina"}}}
		m["marking_mark_paper"] = paperView{Exam: "D1", Code: "K7Q2-M9XD-R", Round: 1, B: &lb, Rows: rows, Whose: "Arta Hoxha", Rounds: []int{1, 2, 3}}
		m["marking_mark_close"] = closeView{P: marking.Progress{Year: 2009, Exam: "D1", ExamName: "Gjuhë shqipe", Registered: 3, Final: 3, Closed: false}, Manage: true, Lead: true, Ready: true}
	})
}

// markWebWorld is the area over testkit's services with D1's test of
// two items, three markers (vl.a of A-1, vl.b, the lead vl.lead) and two
// booklets of B-1 allocated.
func markWebWorld(t *testing.T) (*testkit.Kit, func(user, method, path, body string) (int, string), []string) {
	t.Helper()
	users := map[string]*auth.Principal{"ava": testkit.AVA}
	for _, u := range []string{"vl.a", "vl.b", "vl.lead"} {
		users[u] = &auth.Principal{Username: u, FullName: "Vlerësuesi " + u, Role: auth.RoleMarker, Subject: "D1"}
	}
	k, srv := schemeServer(t, users)
	exec := func(q string, args ...any) {
		if _, err := k.DB.Exec(q, args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	exec(`INSERT INTO marking_tests (year, exam, title, updated_at, updated_by) VALUES (2009, 'D1', 'Testi', '2009-06-01T08:00:00Z', 'ava')`)
	exec(`INSERT INTO marking_items (year, exam, no, label, kind, max_points, options, answer_key, scheme) VALUES (2009, 'D1', 1, '1', 'choice', 1, 4, 'B', ''), (2009, 'D1', 2, '2', 'short', 2, 0, '', '')`)
	for _, m := range [][]string{{"vl.a", "A-1", "marker"}, {"vl.b", "", "marker"}, {"vl.lead", "", "lead"}} {
		exec(`INSERT INTO marking_markers (year, exam, username, full_name, school_code, task, status, appointed_by, appointed_at) VALUES (2009, 'D1', $1, $2, $3, $4, 'qualified', 'ava', '2009-06-01T08:00:00Z')`,
			m[0], "Vlerësuesi "+m[0], m[1], m[2])
	}
	codes := []string{anonym.NewCode(), anonym.NewCode()}
	for _, c := range codes {
		exec(`INSERT INTO marking_booklets (year, exam, code, seeded, schools, state, registered_at) VALUES (2009, 'D1', $1, 0, 'B-1', 'open', '2009-06-10T08:00:00Z')`, c)
	}
	if _, err := k.Marking.Allocate(context.Background(), testkit.AVA, 2009, "D1"); err != nil {
		t.Fatal(err)
	}
	call := func(user, method, path, body string) (int, string) {
		ct := ""
		if body != "" {
			ct = "application/json"
		}
		return schemeCall(t, srv, user, method, path, ct, []byte(body))
	}
	return k, call, codes
}

func TestMarkPagesAndAPIShowAMarkerCodesAndOwnMarksOnly(t *testing.T) {
	t.Parallel()
	k, call, codes := markWebWorld(t)
	ctx := context.Background()
	holders := func(c string) []string {
		bk, err := k.Marking.BookletForLead(ctx, testkit.AVA, 2009, "D1", c)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, m := range bk.Markings {
			out = append(out, m.Username)
		}
		return out
	}
	c := codes[0]
	two := holders(c)
	me, other := two[0], two[1]
	if me == "vl.lead" {
		me, other = other, me // "me" is a plain marker
	}
	code, body := call(me, "GET", "/vleresimi/D1/radha", "")
	if code != http.StatusOK || !strings.Contains(body, anonym.Display(c)) {
		t.Fatalf("queue page: %d\n%s", code, body)
	}
	code, body = call(me, "PUT", "/api/v1/marking/D1/booklets/"+anonym.Display(c)+"/marks", `{"choices": ["B", ""], "points": [0, 2]}`)
	if code != http.StatusOK || !strings.Contains(body, `"total": 3`) {
		t.Fatalf("mark: %d %s", code, body)
	}
	code, body = call(other, "PUT", "/api/v1/marking/D1/booklets/"+c+"/marks", `{"choices": ["B", ""], "points": [0, 1]}`)
	if code != http.StatusOK {
		t.Fatalf("mark: %d %s", code, body)
	}
	// Every page and answer the marker reaches: no other marker, no school, no round.
	for _, path := range []string{"/vleresimi/D1/radha", "/vleresimi/D1/broshura/" + anonym.Display(c), "/api/v1/marking/D1/queue", "/api/v1/marking/D1/booklets/" + c} {
		code, body := call(me, "GET", path, "")
		if code != http.StatusOK {
			t.Fatalf("%s: %d\n%s", path, code, body)
		}
		for _, bad := range []string{"Vlerësuesi " + other, `"` + other + `"`, "B-1", "round", "raund", "i treti", "third"} {
			if strings.Contains(body, bad) {
				t.Fatalf("%s shows %q to %s", path, bad, me)
			}
		}
	}
	// Not given to a marker: not found.
	var stranger string
	for _, u := range []string{"vl.a", "vl.b", "vl.lead"} {
		if u != me && u != other {
			stranger = u
		}
	}
	if stranger != "" {
		if code, _ := call(stranger, "GET", "/vleresimi/D1/broshura/"+c, ""); code != http.StatusNotFound {
			t.Fatalf("stranger's page: %d", code)
		}
	}
	// The lead and AVA see the third list, the sheet, the close page; the marker does not.
	for _, path := range []string{"/vleresimi/D1/e-treta", "/api/v1/marking/D1/third", "/api/v1/marking/D1/third/" + c, "/vleresimi/D1/fleta/" + anonym.Display(c) + ".pdf", "/api/v1/marking/D1/progress"} {
		code, body := call("ava", "GET", path, "")
		if code != http.StatusOK {
			t.Fatalf("ava %s: %d\n%s", path, code, body)
		}
	}
	for _, path := range []string{"/vleresimi/D1/mbyllja", "/vleresimi/D1/letra", "/vleresimi/D1/letra?kodi=" + c + "&raundi=1"} {
		if code, body := call("ava", "GET", path, ""); code != http.StatusOK {
			t.Fatalf("ava %s: %d\n%s", path, code, body)
		}
	}
	code, body = call("ava", "GET", "/api/v1/marking/D1/third", "")
	var list struct{ Items []marking.LeadBooklet }
	if err := json.Unmarshal([]byte(body), &list); err != nil || code != 200 || len(list.Items) != 1 || list.Items[0].Code != c {
		t.Fatalf("third list: %d %s", code, body)
	}
	for _, path := range []string{"/vleresimi/D1/e-treta", "/vleresimi/D1/fleta/" + c + ".pdf", "/api/v1/marking/D1/third"} {
		if code, _ := call(me, "GET", path, ""); code != http.StatusForbidden {
			t.Fatalf("marker %s: %d", path, code)
		}
	}
	// The lead assigns the suggested third through the API.
	code, body = call("vl.lead", "GET", "/api/v1/marking/D1/third/"+c+"/suggestion", "")
	var sug marking.Marker
	json.Unmarshal([]byte(body), &sug)
	if code != 200 || sug.Username == me || sug.Username == other {
		t.Fatalf("suggestion: %d %s", code, body)
	}
	if code, body := call("vl.lead", "PUT", "/api/v1/marking/D1/third/"+c, `{"username": "`+sug.Username+`"}`); code != 200 {
		t.Fatalf("assign: %d %s", code, body)
	}
	if code, body := call("vl.lead", "POST", "/api/v1/marking/D1/close", ""); code != http.StatusConflict || !strings.Contains(body, "Neni 57.14") {
		t.Fatalf("close: %d %s", code, body)
	}
}
