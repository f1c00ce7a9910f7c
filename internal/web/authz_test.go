package web

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"provim/internal/registry"
	"provim/internal/web/webkit"
)

var allUsers = []string{"ava", "kmsh", "kshmsh", "pap", "vleresues", "nxenes"}

// TestAuthorisationMatrix walks every role over every endpoint, with an
// object inside and one outside the role's scope, and checks that access
// is granted exactly where it should be and nothing else leaks.
func TestAuthorisationMatrix(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	type endpoint struct {
		name    string
		method  string
		path    func(o ids) string
		body    func(o ids) any
		home    []string // roles allowed on the home object
		foreign []string // roles allowed on the foreign object
		ui      bool     // a UI page (GET with the session cookie)
		// state: the step depends on the exam's state (the marking closed,
		// the shares, the codes), so an allowed role may also be refused
		// by the domain on that state (409, 422), never by authorisation
		// (403, 404).
		state bool
	}
	student := func(o ids) any {
		return map[string]any{"personal_no": pnOf(t, f, o.student), "first_name": "Arbër", "father_name": "Ilir", "last_name": "Çela",
			"birth_date": birthOf(t, f, o.student), "school_code": o.school, "phone": "069 000 0000"}
	}
	eps := []endpoint{
		{name: "student", method: "GET", path: func(o ids) string { return fmt.Sprintf("/api/v1/students/%d", o.student) },
			home: []string{"ava", "kmsh", "kshmsh", "nxenes"}, foreign: []string{"ava"}},
		{name: "student history", method: "GET", path: func(o ids) string { return fmt.Sprintf("/api/v1/students/%d/history", o.student) },
			home: []string{"ava", "kmsh", "kshmsh"}, foreign: []string{"ava"}},
		{name: "update student", method: "PUT", path: func(o ids) string { return fmt.Sprintf("/api/v1/students/%d", o.student) }, body: student,
			home: []string{"ava", "kmsh", "kshmsh"}, foreign: []string{"ava"}},
		{name: "school", method: "GET", path: func(o ids) string { return "/api/v1/schools/" + o.school },
			home: []string{"ava", "kmsh", "kshmsh"}, foreign: []string{"ava"}},
		{name: "update school", method: "PUT", path: func(o ids) string { return "/api/v1/schools/" + o.school },
			body: func(o ids) any {
				return map[string]any{"name": "Gjimnazi i ri", "unit_code": map[string]string{"A-1": "DAR-A", "B-1": "DAR-B"}[o.school], "city": "Qyteti", "public": true, "profile": "gjimnaz", "years": 4}
			},
			home: []string{"ava", "kmsh"}, foreign: []string{"ava"}},
		{name: "staff", method: "GET", path: func(o ids) string { return fmt.Sprintf("/api/v1/staff/%d", o.staff) },
			home: []string{"ava", "kmsh", "kshmsh"}, foreign: []string{"ava"}},
		{name: "venue", method: "GET", path: func(o ids) string { return "/api/v1/venues/" + o.venue },
			home: []string{"ava", "kmsh", "kshmsh", "pap"}, foreign: []string{"ava"}},
		{name: "update room", method: "PUT", path: func(o ids) string { return "/api/v1/venues/" + o.venue + "/rooms/Salla%202" },
			body: func(o ids) any { return map[string]any{"room": map[string]any{"seats": 18}} },
			home: []string{"ava", "kmsh"}, foreign: []string{"ava"}},
		{name: "units", method: "GET", path: func(ids) string { return "/api/v1/units" },
			home: []string{"ava", "kmsh", "kshmsh", "pap", "vleresues"}, foreign: []string{"ava", "kmsh", "kshmsh", "pap", "vleresues"}},
		{name: "users", method: "GET", path: func(ids) string { return "/api/v1/users" }, home: []string{"ava"}, foreign: []string{"ava"}},
		{name: "audit", method: "GET", path: func(ids) string { return "/api/v1/audit" }, home: []string{"ava"}, foreign: []string{"ava"}},
		{name: "audit verify", method: "GET", path: func(ids) string { return "/api/v1/audit/verify" }, home: []string{"ava"}, foreign: []string{"ava"}},
		{name: "application", method: "GET", path: func(o ids) string { return fmt.Sprintf("/api/v1/applications/%d", appOf(t, f, o.student)) },
			home: []string{"ava", "kmsh", "kshmsh", "nxenes"}, foreign: []string{"ava"}},
		{name: "application history", method: "GET", path: func(o ids) string { return fmt.Sprintf("/api/v1/applications/%d/history", appOf(t, f, o.student)) },
			home: []string{"ava", "kmsh", "kshmsh", "nxenes"}, foreign: []string{"ava"}},
		{name: "student application", method: "GET", path: func(o ids) string {
			appOf(t, f, o.student)
			return fmt.Sprintf("/api/v1/students/%d/application", o.student)
		},
			home: []string{"ava", "kmsh", "kshmsh", "nxenes"}, foreign: []string{"ava"}},
		{name: "table T", method: "GET", path: func(o ids) string { return "/api/v1/schools/" + o.school + "/table-t" },
			home: []string{"ava", "kmsh", "kshmsh"}, foreign: []string{"ava"}},
		{name: "ui student", ui: true, path: func(o ids) string { return fmt.Sprintf("/nxenesit/%d", o.student) },
			home: []string{"ava", "kmsh", "kshmsh", "nxenes"}, foreign: []string{"ava"}},
		{name: "ui school", ui: true, path: func(o ids) string { return "/shkollat/" + o.school },
			home: []string{"ava", "kmsh", "kshmsh"}, foreign: []string{"ava"}},
		{name: "ui staff", ui: true, path: func(o ids) string { return fmt.Sprintf("/personeli/%d", o.staff) },
			home: []string{"ava", "kmsh", "kshmsh"}, foreign: []string{"ava"}},
		{name: "ui venue", ui: true, path: func(o ids) string { return "/qendrat/" + o.venue },
			home: []string{"ava", "kmsh", "kshmsh", "pap"}, foreign: []string{"ava"}},
		// Notices of the plan's changes (issue 9 item 11): a student's own,
		// a venue's for its staff; no other role receives any.
		{name: "notices", method: "GET", path: func(ids) string { return "/api/v1/notices" }, home: []string{"pap", "nxenes"}, foreign: []string{"pap", "nxenes"}},
		{name: "ui notices", ui: true, path: func(ids) string { return "/njoftimet" }, home: []string{"pap", "nxenes"}, foreign: []string{"pap", "nxenes"}},
		{name: "exam years", method: "GET", path: func(ids) string { return "/api/v1/years" }, home: allUsers, foreign: allUsers},
		{name: "exam year", method: "GET", path: func(ids) string { return "/api/v1/years/2009" }, home: allUsers, foreign: allUsers},
		{name: "active exam year", method: "GET", path: func(ids) string { return "/api/v1/years/active" }, home: allUsers, foreign: allUsers},
		{name: "activate exam year", method: "PUT", path: func(ids) string { return "/api/v1/years/2009/active" }, home: []string{"ava"}, foreign: []string{"ava"}},
		{name: "ui exam years", ui: true, path: func(ids) string { return "/vitet" }, home: allUsers, foreign: allUsers},
		{name: "ui exam year", ui: true, path: func(ids) string { return "/vitet/2009" }, home: allUsers, foreign: allUsers},
		{name: "ui dashboard", ui: true, path: func(ids) string { return "/paneli" }, home: allUsers, foreign: allUsers},
		{name: "ui users", ui: true, path: func(ids) string { return "/perdoruesit" }, home: []string{"ava"}, foreign: []string{"ava"}},
		{name: "ui audit", ui: true, path: func(ids) string { return "/auditimi" }, home: []string{"ava"}, foreign: []string{"ava"}},
		// Accounts in bulk (issue 11, A5): a school's candidates by AVA or
		// the school's own commission; the page by the commissions.
		{name: "school accounts", method: "POST", path: func(o ids) string { return "/api/v1/accounts/schools/" + o.school },
			home: []string{"ava", "kshmsh"}, foreign: []string{"ava"}},
		{name: "ui accounts", ui: true, path: func(ids) string { return "/llogarite" }, home: []string{"ava", "kmsh", "kshmsh"}, foreign: []string{"ava", "kmsh", "kshmsh"}},
		// Anonymisation (Neni 51, 53, 59.3): only AVA sees an exam's codes and
		// key holders and names them; the venue's PAP (and AS) read their
		// venue's label counts; no other role reads anything of it.
		{name: "anonym status", method: "GET", path: func(ids) string { return "/api/v1/anonym/2009/D1" }, home: []string{"ava"}, foreign: []string{"ava"}},
		{name: "anonym key holders", method: "POST", path: func(ids) string { return "/api/v1/anonym/2009/D1/holders" },
			body: func(ids) any { return map[string]any{"holders": []string{"Arta", "Blerim", "Dorina"}, "threshold": 2} },
			home: []string{"ava"}, foreign: []string{"ava"}},
		{name: "anonym counts", method: "GET", path: func(o ids) string { return "/api/v1/anonym/2009/D1/venues/" + o.venue + "/counts" },
			home: []string{"ava", "pap"}, foreign: []string{"ava"}},
		// Opening the link (Neni 58, 59.3) and its shares: AVA's key
		// holders only; a label's attachment at the desk: AVA and the
		// venue's own staff.
		{name: "anonym open", method: "POST", path: func(ids) string { return "/api/v1/anonym/2009/D1/open" }, state: true,
			body: func(ids) any { return map[string]any{"shares": []any{}} }, home: []string{"ava"}, foreign: []string{"ava"}},
		{name: "anonym share", method: "POST", path: func(ids) string { return "/api/v1/anonym/2009/D1/shares" }, state: true,
			body: func(ids) any { return map[string]any{"holder": "Arta", "share": "1-abc"} }, home: []string{"ava"}, foreign: []string{"ava"}},
		{name: "anonym attach", method: "POST", path: func(o ids) string { return "/api/v1/anonym/2009/D1/venues/" + o.venue + "/attach" }, state: true,
			body: func(ids) any { return map[string]any{"code": "ABCDEFGH", "student_id": 1} }, home: []string{"ava", "pap"}, foreign: []string{"ava"}},
		{name: "ui anonym", ui: true, path: func(ids) string { return "/sekretimi" }, home: []string{"ava", "pap"}, foreign: []string{"ava", "pap"}},
		{name: "ui anonym exam", ui: true, path: func(ids) string { return "/sekretimi/2009/D1" }, home: []string{"ava"}, foreign: []string{"ava"}},
		{name: "ui anonym venue", ui: true, path: func(o ids) string { return "/sekretimi/2009/D1/" + o.venue }, home: []string{"ava", "pap"}, foreign: []string{"ava"}},
		// The exam day (Neni 48–56): AVA sees every venue, the KMSH its
		// region's, a venue's staff their own; the board is AVA's and the
		// KMSH's; a candidate reads only their own attendance.
		{name: "examday board", method: "GET", path: func(ids) string { return "/api/v1/examday/board?exam=D1" }, home: []string{"ava", "kmsh"}, foreign: []string{"ava", "kmsh"}},
		{name: "examday venue", method: "GET", path: func(o ids) string { return "/api/v1/examday/venues/" + o.venue + "/D1" },
			home: []string{"ava", "kmsh", "pap"}, foreign: []string{"ava"}},
		{name: "examday attendance", method: "GET", path: func(ids) string { return "/api/v1/examday/attendance" }, home: []string{"nxenes"}, foreign: []string{"nxenes"}},
		{name: "marking exams", method: "GET", path: func(ids) string { return "/api/v1/marking/exams" }, home: []string{"ava", "vleresues"}, foreign: []string{"ava", "vleresues"}},
		{name: "ui marking", ui: true, path: func(ids) string { return "/vleresimi" }, home: []string{"ava", "vleresues"}, foreign: []string{"ava", "vleresues"}},
		// marking rows (each part adds its own below this line)
		// Scanned booklets (issue 14 item 8): AVA marks the exam, reads the
		// counts and the queue; the fixture has no scans, so a queued page
		// and a booklet's page are not found for anyone (a marker not given
		// the booklet finds nothing either).
		{name: "marking scans", method: "GET", path: func(ids) string { return "/api/v1/marking/D1/scans" }, home: []string{"ava"}, foreign: []string{"ava"}},
		{name: "marking scanned flag", method: "PUT", path: func(ids) string { return "/api/v1/marking/D1/scans/scanned" },
			body: func(ids) any { return map[string]any{"scanned": false} }, home: []string{"ava"}, foreign: []string{"ava"}},
		{name: "marking scan queue", method: "GET", path: func(ids) string { return "/api/v1/marking/D1/scans/queue" }, home: []string{"ava"}, foreign: []string{"ava"}},
		{name: "marking queued scan", method: "GET", path: func(ids) string { return "/api/v1/marking/D1/scans/queue/1" }},
		{name: "marking resolve scan", method: "POST", path: func(ids) string { return "/api/v1/marking/D1/scans/queue/1" },
			body: func(ids) any { return map[string]any{"code": "K7Q2-M9XD-R"} }},
		{name: "marking scan page", method: "GET", path: func(ids) string { return "/api/v1/marking/D1/booklets/A-1/scans/1" }},
		{name: "ui marking scans", ui: true, path: func(ids) string { return "/vleresimi/D1/skanimet" }, home: []string{"ava"}, foreign: []string{"ava"}},
		{name: "ui marking scan page", ui: true, path: func(ids) string { return "/vleresimi/D1/broshura/A-1/skanimi/1" }},
		{name: "ui marking queued scan", ui: true, path: func(ids) string { return "/vleresimi/D1/skanimet/radha/1" }},
		// Markers and their training (Neni 57.7–57.11): AVA appoints, sets
		// the exam's settings and reads the calibration; the fixture's marker
		// is not appointed, so reaches no list, training or settings; a
		// username that is no marker of the exam is not found for anyone.
		{name: "marking markers", method: "GET", path: func(ids) string { return "/api/v1/marking/D1/markers" }, home: []string{"ava"}, foreign: []string{"ava"}},
		{name: "marking appoint", method: "POST", path: func(ids) string { return "/api/v1/marking/D1/markers" }, body: func(ids) any {
			return map[string]any{"appointments": []map[string]any{{"personal_no": registry.MakeNID(time.Date(1971, 4, 5, 0, 0, 0, 0, time.UTC), "M", 9),
				"full_name": "Genc Pali", "institution": "Universiteti i Tiranës", "subjects": "D1"}}}
		}, home: []string{"ava"}, foreign: []string{"ava"}},
		{name: "marking stop marker", method: "POST", path: func(ids) string { return "/api/v1/marking/D1/markers/vleresues/stop" },
			body: func(ids) any { return map[string]any{"reason": "Provë"} }},
		{name: "marking staff search", method: "GET", path: func(ids) string { return "/api/v1/marking/D1/staff?q=Kola" }, home: []string{"ava"}, foreign: []string{"ava"}},
		{name: "marking settings", method: "GET", path: func(ids) string { return "/api/v1/marking/D1/settings" }, home: []string{"ava"}, foreign: []string{"ava"}},
		{name: "marking save settings", method: "PUT", path: func(ids) string { return "/api/v1/marking/D1/settings" },
			body: func(ids) any { return map[string]any{"tolerance": 2, "monitor_rate_pm": 50, "seeded_rate_pm": 20} }, home: []string{"ava"}, foreign: []string{"ava"}},
		{name: "marking calibration", method: "GET", path: func(ids) string { return "/api/v1/marking/D1/calibration" }, home: []string{"ava"}, foreign: []string{"ava"}},
		{name: "marking training", method: "GET", path: func(ids) string { return "/api/v1/marking/D1/training" }},
		{name: "marking mark training", method: "PUT", path: func(ids) string { return "/api/v1/marking/D1/training/1" },
			body: func(ids) any { return map[string]any{"choices": []string{"B"}, "points": []int{0}} }},
		{name: "ui marking markers", ui: true, path: func(ids) string { return "/vleresimi/D1/vleresuesit" }, home: []string{"ava"}, foreign: []string{"ava"}},
		{name: "ui marking training", ui: true, path: func(ids) string { return "/vleresimi/D1/trajnimi" }},
		// Oversight (Neni 57.15–57.18): AVA reads the monitoring, the cases
		// and the quality board; the fixture has no monitor, KOPOTED, MASH or
		// lead, so nobody draws, reports, stops or decides; the marker reads
		// none of it.
		{name: "marking monitoring", method: "GET", path: func(ids) string { return "/api/v1/marking/D1/monitoring" }, home: []string{"ava"}, foreign: []string{"ava"}},
		{name: "marking draw", method: "POST", path: func(ids) string { return "/api/v1/marking/D1/monitoring/draws" }},
		{name: "marking sample", method: "GET", path: func(ids) string { return "/api/v1/marking/D1/monitoring/samples/A-1" }},
		{name: "marking report copying", method: "POST", path: func(ids) string { return "/api/v1/marking/D1/booklets/A-1/copying" },
			body: func(ids) any { return map[string]any{"reason": "Përgjigje identike."} }},
		{name: "marking copying", method: "GET", path: func(ids) string { return "/api/v1/marking/D1/copying" }, home: []string{"ava"}, foreign: []string{"ava"}},
		{name: "marking open case", method: "POST", path: func(ids) string { return "/api/v1/marking/D1/copying/cases" },
			body: func(ids) any { return map[string]any{"codes": []string{"A-1"}} }},
		{name: "marking decision", method: "POST", path: func(ids) string { return "/api/v1/marking/D1/copying/cases/1/decision" },
			body: func(ids) any { return map[string]any{"decision": "voided", "ref": "1"} }},
		{name: "marking quality", method: "GET", path: func(ids) string { return "/api/v1/marking/D1/quality" }, home: []string{"ava"}, foreign: []string{"ava"}},
		{name: "marking stop", method: "POST", path: func(ids) string { return "/api/v1/marking/D1/quality/markers/vleresues/stop" },
			body: func(ids) any { return map[string]any{"note": "x"} }},
		{name: "ui marking monitoring", ui: true, path: func(ids) string { return "/vleresimi/D1/monitorimi" }, home: []string{"ava"}, foreign: []string{"ava"}},
		{name: "ui marking copying", ui: true, path: func(ids) string { return "/vleresimi/D1/kopjimi" }, home: []string{"ava"}, foreign: []string{"ava"}},
		{name: "ui marking quality", ui: true, path: func(ids) string { return "/vleresimi/D1/cilesia" }, home: []string{"ava"}, foreign: []string{"ava"}},
		// Marking by code (Neni 57.10, 57.13–57.14): the fixture's marker is
		// not appointed, so reaches no queue, booklet or marks; the third
		// list, progress, registration and paper pages are AVA's (and the
		// lead's); a booklet that does not exist is not found for anyone.
		{name: "marking queue", method: "GET", path: func(ids) string { return "/api/v1/marking/D1/queue" }},
		{name: "marking booklet", method: "GET", path: func(ids) string { return "/api/v1/marking/D1/booklets/A-1" }},
		{name: "marking marks", method: "PUT", path: func(ids) string { return "/api/v1/marking/D1/booklets/A-1/marks" },
			body: func(ids) any { return map[string]any{"choices": []string{"B"}, "points": []int{0}} }},
		{name: "marking third list", method: "GET", path: func(ids) string { return "/api/v1/marking/D1/third" }, home: []string{"ava"}, foreign: []string{"ava"}},
		{name: "marking assign third", method: "PUT", path: func(ids) string { return "/api/v1/marking/D1/third/A-1" },
			body: func(ids) any { return map[string]any{"username": "vleresues"} }},
		{name: "marking sheet", method: "GET", path: func(ids) string { return "/api/v1/marking/D1/sheets/A-1" }},
		{name: "marking paper", method: "POST", path: func(ids) string { return "/api/v1/marking/D1/paper" },
			body: func(ids) any {
				return map[string]any{"code": "A-1", "round": 1, "choices": []string{"B"}, "points": []int{0}}
			}},
		{name: "marking progress", method: "GET", path: func(ids) string { return "/api/v1/marking/D1/progress" }, home: []string{"ava"}, foreign: []string{"ava"}},
		{name: "marking register", method: "POST", path: func(ids) string { return "/api/v1/marking/D1/register" }, home: []string{"ava"}, foreign: []string{"ava"}},
		{name: "ui marking queue", ui: true, path: func(ids) string { return "/vleresimi/D1/radha" }},
		{name: "ui marking third", ui: true, path: func(ids) string { return "/vleresimi/D1/e-treta" }, home: []string{"ava"}, foreign: []string{"ava"}},
		{name: "ui marking close", ui: true, path: func(ids) string { return "/vleresimi/D1/mbyllja" }, home: []string{"ava"}, foreign: []string{"ava"}},
		{name: "ui marking paper", ui: true, path: func(ids) string { return "/vleresimi/D1/letra" }, home: []string{"ava"}, foreign: []string{"ava"}},
		// The test and its scheme (Neni 59.2, 57.5): AVA reads and saves it;
		// the fixture's marker is not appointed, so sees nothing of it.
		{name: "marking test", method: "GET", path: func(ids) string { return "/api/v1/marking/D1/test" }, home: []string{"ava"}, foreign: []string{"ava"}},
		{name: "save marking test", method: "PUT", path: func(ids) string { return "/api/v1/marking/D1/test" }, body: func(ids) any {
			return map[string]any{"title": "Testi", "items": []map[string]any{{"label": "1", "kind": "choice", "max_points": 20, "options": 4, "key": "B"},
				{"label": "2", "kind": "short", "max_points": 40, "levels": []map[string]any{{"points": 40, "text": "e plotë"}}}}}
		}, home: []string{"ava"}, foreign: []string{"ava"}},
		{name: "ui marking test", ui: true, path: func(ids) string { return "/vleresimi/D1/testi" }, home: []string{"ava"}, foreign: []string{"ava"}},
		{name: "ui examday", ui: true, path: func(ids) string { return "/dita-e-provimit" }, home: []string{"ava", "kmsh", "pap"}, foreign: []string{"ava", "kmsh", "pap"}},
		{name: "ui examday venue", ui: true, path: func(o ids) string { return "/dita-e-provimit/" + o.venue + "/D1" },
			home: []string{"ava", "kmsh", "pap"}, foreign: []string{"ava"}},
		{name: "ui examday procesverbal", ui: true, path: func(o ids) string { return "/dita-e-provimit/" + o.venue + "/D1/procesverbal.pdf" },
			home: []string{"ava", "kmsh", "pap"}, foreign: []string{"ava"}},
		// session 2 (B): the second session's tests (Neni 58) under the same
		// routes — the anonymisation of D1-2 is AVA's, its label counts the
		// venue's; the exam day of D1 in session 2 is seen as session 1's.
		{name: "anonym status session 2", method: "GET", path: func(ids) string { return "/api/v1/anonym/2009/D1-2" }, home: []string{"ava"}, foreign: []string{"ava"}},
		{name: "anonym counts session 2", method: "GET", path: func(o ids) string { return "/api/v1/anonym/2009/D1-2/venues/" + o.venue + "/counts" },
			home: []string{"ava", "pap"}, foreign: []string{"ava"}},
		{name: "ui anonym exam session 2", ui: true, path: func(ids) string { return "/sekretimi/2009/D1-2" }, home: []string{"ava"}, foreign: []string{"ava"}},
		{name: "examday venue session 2", method: "GET", path: func(o ids) string { return "/api/v1/examday/venues/" + o.venue + "/D1?session=2" },
			home: []string{"ava", "kmsh", "pap"}, foreign: []string{"ava"}},
		{name: "ui examday venue session 2", ui: true, path: func(o ids) string { return "/dita-e-provimit/" + o.venue + "/D1?sesioni=2" },
			home: []string{"ava", "kmsh", "pap"}, foreign: []string{"ava"}},
		// session 2 (A): the plan of the second session (Neni 58) under the
		// same routes as the first, AVA's and the KMSH's.
		{name: "plan summary session 2", method: "GET", path: func(ids) string { return "/api/v1/plans/D1?session=2" }, home: []string{"ava", "kmsh"}, foreign: []string{"ava", "kmsh"}},
		{name: "ui plan session 2", ui: true, path: func(ids) string { return "/plani?provimi=D1&sesioni=2" }, home: []string{"ava", "kmsh"}, foreign: []string{"ava", "kmsh"}},
		// smip (part S, issue 15 item 9): the feed is SMIP's token's alone
		// (no fixture user has the role); AVA takes the year's file.
		{name: "smip feed", method: "GET", path: func(ids) string { return "/api/v1/smip/results" }},
		{name: "smip export file", method: "GET", path: func(ids) string { return "/api/v1/smip/export/2009?format=json" }, home: []string{"ava"}, foreign: []string{"ava"}},
		{name: "ui smip export", ui: true, path: func(ids) string { return "/eksporti" }, home: []string{"ava"}, foreign: []string{"ava"}},
		{name: "ui smip export file", ui: true, path: func(ids) string { return "/eksporti/2009?format=csv" }, home: []string{"ava"}, foreign: []string{"ava"}},
		// results (part R, issue 15): the lists by scope (AVA all, the KMSH
		// its region, the school its candidates; empty before publication);
		// AVA's state of the exams; the candidate's own page (404 for the
		// fixture's candidate: nothing is published), the second-session
		// list of AVA and the KMSH.
		{name: "results list", method: "GET", path: func(ids) string { return "/api/v1/results" }, home: []string{"ava", "kmsh", "kshmsh"}, foreign: []string{"ava", "kmsh", "kshmsh"}},
		{name: "results exams", method: "GET", path: func(ids) string { return "/api/v1/results/exams" }, home: []string{"ava"}, foreign: []string{"ava"}},
		{name: "results me", method: "GET", path: func(ids) string { return "/api/v1/results/me" }},
		{name: "results session 2", method: "GET", path: func(ids) string { return "/api/v1/results/session2" }, home: []string{"ava", "kmsh"}, foreign: []string{"ava", "kmsh"}},
		{name: "ui results", ui: true, path: func(ids) string { return "/rezultatet" }, home: []string{"ava", "kmsh", "kshmsh", "nxenes"}, foreign: []string{"ava", "kmsh", "kshmsh", "nxenes"}},
		{name: "ui results session 2", ui: true, path: func(ids) string { return "/rezultatet/sesioni-i-dyte" }, home: []string{"ava", "kmsh"}, foreign: []string{"ava", "kmsh"}},
		// certificate: the lists are AVA's, the KMSH's and the school's (in
		// scope); the fixture issues none, so a certificate, the candidate's
		// own and a revocation are found by nobody (internal/web/certificate
		// tests them with certificates issued).
		{name: "certificates", method: "GET", path: func(ids) string { return "/api/v1/certificates" }, home: []string{"ava", "kmsh", "kshmsh"}, foreign: []string{"ava", "kmsh", "kshmsh"}},
		{name: "ui certificates", ui: true, path: func(ids) string { return "/certifikatat" }, home: []string{"ava", "kmsh", "kshmsh"}, foreign: []string{"ava", "kmsh", "kshmsh"}},
		{name: "certificate", method: "GET", path: func(ids) string { return "/api/v1/certificates/MS-2027-0000001-C" }},
		{name: "certificate pdf", method: "GET", path: func(ids) string { return "/api/v1/certificates/MS-2027-0000001-C/pdf" }},
		{name: "my certificate", method: "GET", path: func(ids) string { return "/api/v1/certificates/mine" }},
		{name: "revoke certificate", method: "POST", path: func(ids) string { return "/api/v1/certificates/MS-2027-0000001-C/revoke" },
			body: func(ids) any { return map[string]any{"reason": "gabim"} }},
		{name: "ui certificate", ui: true, path: func(ids) string { return "/certifikatat/MS-2027-0000001-C" }},
		// The candidate's own page says there is none yet (the menu links
		// to it); nobody else has one.
		{name: "ui my certificate", ui: true, path: func(ids) string { return "/certifikata/ime" }, home: []string{"nxenes"}, foreign: []string{"nxenes"}},
		// remark (part M, Neni 64): the fixture's year has no published
		// results, so every action answers 404 (nothing to re-mark); the
		// lists answer their own roles only.
		{name: "remark mine", method: "GET", path: func(ids) string { return "/api/v1/remark/mine" }, home: []string{"nxenes"}, foreign: []string{"nxenes"}},
		{name: "remark request", method: "GET", path: func(ids) string { return "/api/v1/remark/D1/request" }},
		{name: "remark file", method: "POST", path: func(ids) string { return "/api/v1/remark/D1/request" }, body: func(ids) any { return map[string]any{"receipt": "MA-2009-0001"} }},
		{name: "remark copy", method: "GET", path: func(ids) string { return "/api/v1/remark/D1/copy" }},
		{name: "remark request copy", method: "POST", path: func(ids) string { return "/api/v1/remark/D1/copy" }},
		{name: "remark copy scan", method: "GET", path: func(ids) string { return "/api/v1/remark/D1/copy/scans/1" }},
		{name: "remark requests", method: "GET", path: func(ids) string { return "/api/v1/remark/requests" }, home: []string{"kmsh", "kshmsh"}, foreign: []string{"kmsh", "kshmsh"}},
		{name: "remark paper", method: "POST", path: func(ids) string { return "/api/v1/remark/D1/requests" },
			body: func(ids) any { return map[string]any{"reg_no": "090000010", "receipt": "MA-2009-0001"} }},
		{name: "remark request in scope", method: "GET", path: func(ids) string { return "/api/v1/remark/D1/requests/090000010" }},
		{name: "remark refuse", method: "POST", path: func(ids) string { return "/api/v1/remark/D1/requests/090000010/refuse" },
			body: func(ids) any { return map[string]any{"reason": "Mandati nuk është i vlefshëm"} }},
		{name: "remark forward", method: "POST", path: func(ids) string { return "/api/v1/remark/D1/forward" }},
		{name: "remark cases", method: "GET", path: func(ids) string { return "/api/v1/remark/D1/cases" }, home: []string{"ava"}, foreign: []string{"ava"}},
		{name: "remark start", method: "POST", path: func(ids) string { return "/api/v1/remark/D1/start" }},
		{name: "remark third", method: "PUT", path: func(ids) string { return "/api/v1/remark/D1/cases/A-1/third" }},
		{name: "remark send", method: "POST", path: func(ids) string { return "/api/v1/remark/D1/send" }},
		{name: "remark queue", method: "GET", path: func(ids) string { return "/api/v1/remark/queue" }, home: []string{"vleresues"}, foreign: []string{"vleresues"}},
		{name: "remark booklet", method: "GET", path: func(ids) string { return "/api/v1/remark/D1/booklets/A-1" }},
		{name: "remark marks", method: "PUT", path: func(ids) string { return "/api/v1/remark/D1/booklets/A-1/marks" },
			body: func(ids) any { return map[string]any{"choices": []string{"B"}, "points": []int{0}} }},
		{name: "remark copies", method: "GET", path: func(ids) string { return "/api/v1/remark/copies" }, home: []string{"ava"}, foreign: []string{"ava"}},
		{name: "remark answer copy", method: "PUT", path: func(ids) string { return "/api/v1/remark/D1/copies/090000010" },
			body: func(ids) any { return map[string]any{"kind": "scan"} }},
		{name: "ui remark", ui: true, path: func(ids) string { return "/rivleresimi" }, home: []string{"ava", "kmsh", "kshmsh", "vleresues", "nxenes"}, foreign: []string{"ava", "kmsh", "kshmsh", "vleresues", "nxenes"}},
		{name: "ui remark cases", ui: true, path: func(ids) string { return "/rivleresimi/D1/grupi" }, home: []string{"ava"}, foreign: []string{"ava"}},
		{name: "ui remark copies", ui: true, path: func(ids) string { return "/rivleresimi/kopjet" }, home: []string{"ava"}, foreign: []string{"ava"}},
		{name: "ui remark copy", ui: true, path: func(ids) string { return "/rivleresimi/D1/kopja" }},
		{name: "ui remark copy scan", ui: true, path: func(ids) string { return "/rivleresimi/D1/kopja/faqe/1" }},
		{name: "ui remark booklet", ui: true, path: func(ids) string { return "/rivleresimi/D1/test/A-1" }},
		{name: "ui remark booklet scan", ui: true, path: func(ids) string { return "/rivleresimi/D1/test/A-1/faqe/1" }},
		{name: "ui remark notice", ui: true, path: func(ids) string { return "/rivleresimi/njoftimi.pdf" }, home: []string{"kmsh", "kshmsh"}, foreign: []string{"kmsh", "kshmsh"}},
	}
	// The matrix names only routes an area registers.
	ui, api := http.NewServeMux(), http.NewServeMux()
	f.handler.mount(ui, api)
	for _, ep := range eps {
		method, mux := ep.method, api
		if ep.ui {
			method, mux = http.MethodGet, ui
		}
		if _, p := mux.Handler(httptest.NewRequest(method, ep.path(f.home), nil)); p == "" || p == "/api/" {
			t.Errorf("the matrix calls %s %s, which no area registers", method, ep.path(f.home))
		}
	}
	for _, ep := range eps {
		for _, side := range []struct {
			name    string
			obj     ids
			allowed []string
		}{{"home", f.home, ep.home}, {"foreign", f.foreign, ep.foreign}} {
			for _, user := range allUsers {
				t.Run(ep.name+"/"+side.name+"/"+user, func(t *testing.T) {
					want := contains(side.allowed, user)
					var code int
					var body string
					if ep.ui {
						code, body = f.ui(t, user, ep.path(side.obj))
					} else {
						var b any
						if ep.body != nil {
							b = ep.body(side.obj)
						}
						code, body = f.api(t, user, ep.method, ep.path(side.obj), b)
					}
					byState := ep.state && (code == http.StatusConflict || code == http.StatusUnprocessableEntity)
					if want && (code < 200 || code > 299) && !byState {
						t.Fatalf("%s %s: %d, want success\n%s", user, ep.path(side.obj), code, snippet(body))
					}
					if !want && code != http.StatusForbidden && code != http.StatusNotFound {
						t.Fatalf("%s %s: %d, want 403 or 404\n%s", user, ep.path(side.obj), code, snippet(body))
					}
				})
			}
		}
		// Anonymous callers get nothing: 401 on the API, the login page in the UI.
		code, _ := f.ui(t, "", ep.path(f.home))
		if !ep.ui {
			code, _ = f.api(t, "", ep.method, ep.path(f.home), nil)
			if code != http.StatusUnauthorized {
				t.Errorf("anonymous %s: %d, want 401", ep.name, code)
			}
		} else if code != http.StatusSeeOther {
			t.Errorf("anonymous %s: %d, want redirect to login", ep.name, code)
		}
	}
}

// TestListsStayInScope checks that list endpoints return only in-scope rows.
func TestListsStayInScope(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	for _, tc := range []struct {
		user  string
		path  string
		count int // -1: refused
	}{
		{"ava", "/api/v1/students", 3}, {"kmsh", "/api/v1/students", 2}, {"kshmsh", "/api/v1/students", 1}, {"nxenes", "/api/v1/students", 1},
		{"pap", "/api/v1/students", -1}, {"vleresues", "/api/v1/students", -1},
		{"ava", "/api/v1/schools", 3}, {"kmsh", "/api/v1/schools", 2}, {"kshmsh", "/api/v1/schools", 1}, {"nxenes", "/api/v1/schools", -1},
		{"ava", "/api/v1/staff", 2}, {"kmsh", "/api/v1/staff", 1}, {"kshmsh", "/api/v1/staff", 1}, {"pap", "/api/v1/staff", -1},
		{"ava", "/api/v1/venues", 2}, {"kmsh", "/api/v1/venues", 1}, {"pap", "/api/v1/venues", 1}, {"vleresues", "/api/v1/venues", -1},
	} {
		code, body := f.api(t, tc.user, "GET", tc.path, nil)
		if tc.count < 0 {
			if code != http.StatusForbidden {
				t.Errorf("%s %s: %d, want 403", tc.user, tc.path, code)
			}
			continue
		}
		var out struct{ Items []json.RawMessage }
		json.Unmarshal([]byte(body), &out)
		if code != 200 || len(out.Items) != tc.count {
			t.Errorf("%s %s: %d with %d items, want %d", tc.user, tc.path, code, len(out.Items), tc.count)
		}
		if tc.user != "ava" && strings.Contains(body, "B-1") {
			t.Errorf("%s %s leaks side B: %s", tc.user, tc.path, snippet(body))
		}
	}
}

// TestWritesOutsideScopeChangeNothing: a refused write leaves no trace.
func TestWritesOutsideScopeChangeNothing(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	for _, user := range []string{"kmsh", "kshmsh", "pap", "vleresues", "nxenes"} {
		body := map[string]any{"personal_no": pnOf(t, f, f.foreign.student), "first_name": "Hakeri", "father_name": "X", "last_name": "Y",
			"birth_date": birthOf(t, f, f.foreign.student), "school_code": "B-1"}
		if code, _ := f.api(t, user, "PUT", fmt.Sprintf("/api/v1/students/%d", f.foreign.student), body); code < 400 {
			t.Errorf("%s changed a foreign student: %d", user, code)
		}
		body["school_code"] = "A-1" // move them into my school: still refused
		if code, _ := f.api(t, user, "POST", "/api/v1/students", body); code < 400 {
			t.Errorf("%s moved a foreign student: %d", user, code)
		}
	}
	var n int
	f.db.QueryRow(`SELECT COUNT(*) FROM students WHERE first_name = 'Hakeri'`).Scan(&n)
	if n != 0 {
		t.Fatal("a refused write changed data")
	}
}

// TestAPIRefusesCookies: the API authenticates by bearer token only.
func TestAPIRefusesCookies(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	resp, err := f.client(t, "ava").Get(f.srv.URL + "/api/v1/students")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("API accepted a session cookie: %d", resp.StatusCode)
	}
}

// TestCrossOriginPostRefused: a form posted from another site is refused.
func TestCrossOriginPostRefused(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	req, _ := http.NewRequest("POST", f.srv.URL+"/llogaria", strings.NewReader("old=x&new=yyyyyyyyyyyy&again=yyyyyyyyyyyy"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", "https://evil.example")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	resp, err := f.client(t, "ava").Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Fatalf("cross-origin POST: %d", resp.StatusCode)
	}
	// And a same-site POST without the form token is refused too.
	resp, _ = f.client(t, "ava").PostForm(f.srv.URL+"/llogaria", url.Values{"old": {"x"}})
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Fatalf("POST without form token: %d", resp.StatusCode)
	}
}

// TestLoginThrottle: after 5 wrong passwords the account is locked for a while.
func TestLoginThrottle(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	for i := 0; i < 5; i++ {
		body, _ := json.Marshal(map[string]string{"username": "kmsh", "password": "gabim-gabim"})
		resp, _ := http.Post(f.srv.URL+"/api/v1/tokens", "application/json", bytes.NewReader(body))
		resp.Body.Close()
		if resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("wrong password %d: %d", i, resp.StatusCode)
		}
	}
	body, _ := json.Marshal(map[string]string{"username": "kmsh", "password": testPassword})
	resp, _ := http.Post(f.srv.URL+"/api/v1/tokens", "application/json", bytes.NewReader(body))
	resp.Body.Close()
	if resp.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("after 5 failures the right password got %d, want 429", resp.StatusCode)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func snippet(s string) string {
	if len(s) > 400 {
		return s[:400] + "…"
	}
	return s
}

func pnOf(t *testing.T, f *fixture, id int64) (pn string) {
	f.db.QueryRow(`SELECT personal_no FROM students WHERE id = $1`, id).Scan(&pn)
	return pn
}

func birthOf(t *testing.T, f *fixture, id int64) (b string) {
	f.db.QueryRow(`SELECT birth_date FROM students WHERE id = $1`, id).Scan(&b)
	return b
}

// raw sends a request with a chosen Content-Type and body.
func (f *fixture) raw(t *testing.T, user, method, path, contentType string, body io.Reader) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest(method, f.srv.URL+path, body)
	if user != "" {
		req.Header.Set("Authorization", "Bearer "+f.tokenOf(t, user))
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

// apiErr decodes a JSON error body, failing the test when it is not one.
func apiErr(t *testing.T, resp *http.Response, body string) webkit.APIError {
	t.Helper()
	var e webkit.APIError
	if !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") || json.Unmarshal([]byte(body), &e) != nil || e.Code == "" || e.Message == "" {
		t.Fatalf("%s %s: %d is not a JSON error: %q %s", resp.Request.Method, resp.Request.URL.Path, resp.StatusCode, resp.Header.Get("Content-Type"), snippet(body))
	}
	return e
}

// TestAPIUnknownRoutesAnswerJSON: a path no route matches is a JSON 404, a
// known path with another method a JSON 405 with Allow, for any caller.
func TestAPIUnknownRoutesAnswerJSON(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	for _, tc := range []struct {
		user, method, path string
		status             int
		code, allow        string
	}{
		{"ava", "GET", "/api/v1/nothing", 404, "not_found", ""},
		{"", "GET", "/api/v2/students", 404, "not_found", ""},
		{"ava", "GET", "/api/v1/students/1/unknown", 404, "not_found", ""},
		{"ava", "DELETE", "/api/v1/students", 405, "method_not_allowed", "GET, POST"},
		{"ava", "POST", "/api/v1/students/1", 405, "method_not_allowed", "GET, PUT"},
		{"", "PATCH", "/api/v1/me", 405, "method_not_allowed", "GET"},
		{"ava", "GET", "/api/v1/tokens", 405, "method_not_allowed", "POST, DELETE"},
	} {
		resp, body := f.raw(t, tc.user, tc.method, tc.path, "", nil)
		e := apiErr(t, resp, body)
		if resp.StatusCode != tc.status || e.Code != tc.code || resp.Header.Get("Allow") != tc.allow {
			t.Errorf("%s %s: %d %s Allow=%q, want %d %s Allow=%q", tc.method, tc.path, resp.StatusCode, e.Code, resp.Header.Get("Allow"), tc.status, tc.code, tc.allow)
		}
	}
	// Routes still win over the catch-all.
	if code, _ := f.api(t, "ava", "GET", "/api/v1/me", nil); code != 200 {
		t.Errorf("GET /me: %d", code)
	}
}

// TestAPIBodyTooLarge: a JSON body over 1 MiB is 413 too_large, not 422.
func TestAPIBodyTooLarge(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	big := `{"first_name": "` + strings.Repeat("a", 1<<20) + `"}`
	resp, body := f.raw(t, "ava", "POST", "/api/v1/students", "application/json", strings.NewReader(big))
	if e := apiErr(t, resp, body); resp.StatusCode != http.StatusRequestEntityTooLarge || e.Code != "too_large" {
		t.Fatalf("2 MiB body: %d %s", resp.StatusCode, snippet(body))
	}
	// A small malformed body stays 422.
	resp, body = f.raw(t, "ava", "POST", "/api/v1/students", "application/json", strings.NewReader(`{"first_name":`))
	if e := apiErr(t, resp, body); resp.StatusCode != http.StatusUnprocessableEntity || e.Code != "invalid" {
		t.Fatalf("malformed body: %d %s", resp.StatusCode, snippet(body))
	}
}

// TestListPagingOffsets: a negative offset never panics; the school list
// pages like the student and staff lists, with a total.
func TestListPagingOffsets(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	for _, path := range []string{"/api/v1/schools?offset=-1", "/api/v1/students?offset=-1", "/api/v1/staff?offset=-1&limit=-5",
		"/api/v1/schools?offset=-1&limit=2", "/api/v1/schools?limit=5000", "/api/v1/schools?offset=99"} {
		resp, body := f.raw(t, "ava", "GET", path, "", nil)
		var out struct {
			Total *int
			Items []json.RawMessage
		}
		if resp.StatusCode != 200 || json.Unmarshal([]byte(body), &out) != nil || out.Total == nil {
			t.Errorf("%s: %d %s", path, resp.StatusCode, snippet(body))
		}
	}
	var out struct {
		Total int
		Items []registry.School
	}
	_, body := f.api(t, "ava", "GET", "/api/v1/schools?offset=1&limit=1", nil)
	if json.Unmarshal([]byte(body), &out); out.Total != 3 || len(out.Items) != 1 {
		t.Fatalf("schools page: %s", snippet(body))
	}
	_, body = f.api(t, "kmsh", "GET", "/api/v1/schools", nil)
	if json.Unmarshal([]byte(body), &out); out.Total != 2 || len(out.Items) != 2 {
		t.Fatalf("kmsh schools: %s", snippet(body))
	}
}

// TestMeIsSnakeCase: /me names its fields like every other API object.
func TestMeIsSnakeCase(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	_, body := f.api(t, "kmsh", "GET", "/api/v1/me", nil)
	var got map[string]any
	if err := json.Unmarshal([]byte(body), &got); err != nil {
		t.Fatal(err)
	}
	if got["username"] != "kmsh" || got["role"] != "kmsh" || got["unit"] != "DAR-A" || got["full_name"] != "Përdorues kmsh" || got["user_id"] == nil {
		t.Fatalf("me: %s", body)
	}
	for _, k := range []string{"UserID", "Username", "school", "venue", "subject", "student_id"} {
		if _, ok := got[k]; ok {
			t.Errorf("me has %q: %s", k, body)
		}
	}
}

// TestPutAddressesAnExistingRecord: PUT /students/{id} and /staff/{id}
// with an id that names no record in scope is 404 and creates nothing.
func TestPutAddressesAnExistingRecord(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	student := map[string]any{"personal_no": nidFor(20, 20, "M"), "first_name": "Ri", "father_name": "Ilir", "last_name": "Ri",
		"birth_date": "2008-05-20", "school_code": "A-1"}
	staff := map[string]any{"personal_no": registry.MakeNID(time.Date(1980, 3, 3, 0, 0, 0, 0, time.UTC), "M", 30), "first_name": "Ri",
		"father_name": "Ilir", "last_name": "Ri", "school_code": "A-1", "position": "mesues"}
	count := func() (n int) {
		f.db.QueryRow(`SELECT (SELECT COUNT(*) FROM students) + (SELECT COUNT(*) FROM staff)`).Scan(&n)
		return n
	}
	before := count()
	for _, id := range []string{"abc", "0", "-1", "1e3", "999999"} {
		for _, tc := range []struct {
			path string
			body any
		}{{"/api/v1/students/" + id, student}, {"/api/v1/staff/" + id, staff}} {
			resp, body := f.raw(t, "ava", "PUT", tc.path, "application/json", bytes.NewReader(must(json.Marshal(tc.body))))
			if e := apiErr(t, resp, body); resp.StatusCode != 404 || e.Code != "not_found" {
				t.Errorf("PUT %s: %d %s", tc.path, resp.StatusCode, snippet(body))
			}
			if code, _ := f.api(t, "ava", "GET", tc.path, nil); code != 404 {
				t.Errorf("GET %s: %d", tc.path, code)
			}
		}
	}
	if after := count(); after != before {
		t.Fatalf("PUT to unknown ids created %d records", after-before)
	}
}

func must(b []byte, err error) []byte {
	if err != nil {
		panic(err)
	}
	return b
}

// TestPutStaffKeepsPersonalNumber: PUT /staff/{id} changes that person
// only; a body with another personal number is a 422 and changes nothing.
func TestPutStaffKeepsPersonalNumber(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	other := registry.MakeNID(time.Date(1980, 4, 4, 0, 0, 0, 0, time.UTC), "M", 40)
	code, body := f.api(t, "kmsh", "POST", "/api/v1/staff", map[string]any{"personal_no": other, "first_name": "Besim", "father_name": "Agim",
		"last_name": "Leka", "school_code": "A-1", "position": "mesues"})
	if code != http.StatusCreated {
		t.Fatalf("create: %d %s", code, snippet(body))
	}
	var home registry.Staff
	_, body = f.api(t, "kmsh", "GET", fmt.Sprintf("/api/v1/staff/%d", f.home.staff), nil)
	json.Unmarshal([]byte(body), &home)
	// The id of one person, the personal number of another.
	code, body = f.api(t, "kmsh", "PUT", fmt.Sprintf("/api/v1/staff/%d", f.home.staff), map[string]any{"personal_no": other, "first_name": "Ndryshuar",
		"father_name": "Agim", "last_name": "Leka", "school_code": "A-1", "position": "mesues"})
	if code != http.StatusUnprocessableEntity || !strings.Contains(body, "Numri personal nuk ndryshohet") {
		t.Fatalf("mismatched personal number: %d %s", code, snippet(body))
	}
	var n int
	f.db.QueryRow(`SELECT COUNT(*) FROM staff WHERE first_name = 'Ndryshuar'`).Scan(&n)
	if n != 0 {
		t.Fatal("the person named by the body was changed")
	}
	// The right personal number updates that person: 200.
	code, body = f.api(t, "kmsh", "PUT", fmt.Sprintf("/api/v1/staff/%d", f.home.staff), map[string]any{"personal_no": strings.ToLower(home.PersonalNo),
		"first_name": "Drita", "father_name": "Agim", "last_name": "Kolaj", "school_code": "A-1", "position": "mesues"})
	if code != http.StatusOK || !strings.Contains(body, "Kolaj") {
		t.Fatalf("update: %d %s", code, snippet(body))
	}
}

// TestSaveStatusCodes: 201 when a save created the record, 200 when it
// updated an existing one, on every create-or-update endpoint.
func TestSaveStatusCodes(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	student := map[string]any{"personal_no": nidFor(21, 21, "F"), "first_name": "Ana", "father_name": "Ilir", "last_name": "Gjoka",
		"birth_date": "2008-05-21", "school_code": "A-1"}
	staff := map[string]any{"personal_no": registry.MakeNID(time.Date(1979, 5, 5, 0, 0, 0, 0, time.UTC), "F", 50), "first_name": "Ana",
		"father_name": "Ilir", "last_name": "Gjoka", "school_code": "A-1", "position": "mesues"}
	school := map[string]any{"code": "A-2", "name": "Gjimnazi i ri", "unit_code": "DAR-A", "city": "Tiranë", "public": true, "profile": "gjimnaz", "years": 4}
	room := map[string]any{"venue": map[string]any{"name": "Qendra e re", "unit_code": "DAR-A", "city": "Tiranë"}, "room": map[string]any{"seats": 20}}
	for _, tc := range []struct {
		name, method, path string
		body               any
		first, again       int
	}{
		{"student", "POST", "/api/v1/students", student, 201, 200},
		{"staff", "POST", "/api/v1/staff", staff, 201, 200},
		{"school", "POST", "/api/v1/schools", school, 201, 200},
		{"school by code", "PUT", "/api/v1/schools/A-2", school, 200, 200},
		{"room", "PUT", "/api/v1/venues/Q-A-2/rooms/Salla%201", room, 201, 200},
		{"room in an existing venue", "PUT", "/api/v1/venues/Q-A-1/rooms/Salla%209", map[string]any{"room": map[string]any{"seats": 20}}, 201, 200},
	} {
		code, body := f.api(t, "kmsh", tc.method, tc.path, tc.body)
		if code != tc.first {
			t.Errorf("%s: first %d, want %d\n%s", tc.name, code, tc.first, snippet(body))
		}
		if code, body = f.api(t, "kmsh", tc.method, tc.path, tc.body); code != tc.again {
			t.Errorf("%s: again %d, want %d\n%s", tc.name, code, tc.again, snippet(body))
		}
	}
	// PUT of a student by id: 200.
	var st registry.Student
	_, body := f.api(t, "kmsh", "GET", fmt.Sprintf("/api/v1/students/%d", f.home.student), nil)
	json.Unmarshal([]byte(body), &st)
	if code, body := f.api(t, "kmsh", "PUT", fmt.Sprintf("/api/v1/students/%d", st.ID), map[string]any{"personal_no": st.PersonalNo,
		"first_name": st.FirstName, "father_name": st.FatherName, "last_name": st.LastName, "school_code": st.SchoolCode, "phone": "069 1"}); code != 200 {
		t.Errorf("PUT student: %d %s", code, snippet(body))
	}
}

// TestSetPasswordDoesNotRevealUsers: for a non-AVA caller another
// username answers the same whether it exists or not.
func TestSetPasswordDoesNotRevealUsers(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	body := map[string]string{"old_password": testPassword, "new_password": "fjalëkalim-i-ri-123"}
	existing, b1 := f.api(t, "kmsh", "PUT", "/api/v1/users/ava/password", body)
	missing, b2 := f.api(t, "kmsh", "PUT", "/api/v1/users/nuk-ekziston/password", body)
	if existing != http.StatusForbidden || missing != existing || b1 != b2 {
		t.Fatalf("existing user %d %s; unknown user %d %s", existing, snippet(b1), missing, snippet(b2))
	}
	if code, _ := f.api(t, "kmsh", "PUT", "/api/v1/users/kmsh/password", body); code != http.StatusNoContent {
		t.Fatalf("own password: %d", code)
	}
	if code, _ := f.api(t, "ava", "PUT", "/api/v1/users/nuk-ekziston/password", body); code != http.StatusNotFound {
		t.Fatalf("ava, unknown user: %d", code)
	}
}

// TestCreateUserChecksRoleFirst: a caller who may not create users gets
// 403 before the body is read, whatever the body.
func TestCreateUserChecksRoleFirst(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	for _, body := range []string{`{"username":`, `{"unknown_field": 1}`, `{"username":"x","role":"ava"}`} {
		resp, b := f.raw(t, "kmsh", "POST", "/api/v1/users", "application/json", strings.NewReader(body))
		if e := apiErr(t, resp, b); resp.StatusCode != http.StatusForbidden || e.Code != "forbidden" {
			t.Errorf("kmsh POST /users %s: %d %s", body, resp.StatusCode, snippet(b))
		}
	}
	resp, b := f.raw(t, "ava", "POST", "/api/v1/users", "application/json", strings.NewReader(`{"username":`))
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("ava malformed body: %d %s", resp.StatusCode, snippet(b))
	}
}

// TestImportAPIBodies: the import reads a multipart part named "file", or
// the raw body whatever its Content-Type (curl --data-binary sends
// application/x-www-form-urlencoded); the result names the entity as given.
func TestImportAPIBodies(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	csv := "kodi_qendres,emri_qendres,kodi_shkolles,qyteti,salla,vende\nQ-A-1,Gjimnazi Çajupi,A-1,Tiranë,Salla %d,20\n"
	var res registry.Result
	for i, ct := range []string{"application/x-www-form-urlencoded", "text/csv", "application/octet-stream", ""} {
		resp, body := f.raw(t, "kmsh", "POST", "/api/v1/imports/venues", ct, strings.NewReader(fmt.Sprintf(csv, 10+i)))
		if resp.StatusCode != 200 || json.Unmarshal([]byte(body), &res) != nil || res.Entity != "venues" || res.Created != 1 {
			t.Errorf("raw body as %q: %d %s", ct, resp.StatusCode, snippet(body))
		}
	}
	// ?filename= picks the format of a raw body.
	resp, body := f.raw(t, "kmsh", "POST", "/api/v1/imports/venues?filename=qendrat.pdf", "text/csv", strings.NewReader(fmt.Sprintf(csv, 20)))
	if e := apiErr(t, resp, body); resp.StatusCode != 422 || !strings.Contains(e.Message, "qendrat.pdf") {
		t.Errorf("raw body named .pdf: %d %s", resp.StatusCode, snippet(body))
	}
	// multipart/form-data: the "file" part, after other fields.
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("note", "para skedarit")
	fw, _ := mw.CreateFormFile("file", "qendrat.csv")
	fmt.Fprintf(fw, csv, 21)
	mw.Close()
	resp, body = f.raw(t, "kmsh", "POST", "/api/v1/imports/venues", mw.FormDataContentType(), &buf)
	if resp.StatusCode != 200 || json.Unmarshal([]byte(body), &res) != nil || res.Entity != "venues" || res.Created != 1 {
		t.Errorf("multipart: %d %s", resp.StatusCode, snippet(body))
	}
	// multipart without a "file" part.
	buf.Reset()
	mw = multipart.NewWriter(&buf)
	mw.WriteField("skedari", "x")
	mw.Close()
	resp, body = f.raw(t, "kmsh", "POST", "/api/v1/imports/venues", mw.FormDataContentType(), &buf)
	if e := apiErr(t, resp, body); resp.StatusCode != 422 || !strings.Contains(e.Message, "«file»") {
		t.Errorf("multipart without file: %d %s", resp.StatusCode, snippet(body))
	}
	var rooms int
	f.db.QueryRow(`SELECT COUNT(*) FROM rooms WHERE venue_code = 'Q-A-1'`).Scan(&rooms)
	if rooms != 6 {
		t.Errorf("Q-A-1 has %d rooms, want 6", rooms)
	}
}

// TestImportAPITooLarge: a body over the limit is a JSON 413 and imports
// nothing, with or without a Content-Length, raw or multipart.
func TestImportAPITooLarge(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	h := f.srv.Config.Handler
	header := "kodi_qendres,emri_qendres,kodi_shkolles,qyteti,salla,vende\n"
	oversized := func() io.Reader {
		return io.MultiReader(strings.NewReader(header), io.LimitReader(repeat("Q-A-1,Q,A-1,Tiranë,Salla X,20\n"), registry.MaxFileSize))
	}
	multipartBody := func() (io.Reader, string) {
		pr, pw := io.Pipe()
		mw := multipart.NewWriter(pw)
		go func() {
			fw, _ := mw.CreateFormFile("file", "qendrat.csv")
			io.Copy(fw, oversized())
			mw.Close()
			pw.Close()
		}()
		return pr, mw.FormDataContentType()
	}
	for _, tc := range []struct {
		name    string
		body    func() (io.Reader, string)
		sizeSet bool
	}{
		{"raw with Content-Length", func() (io.Reader, string) { return oversized(), "text/csv" }, true},
		{"raw chunked", func() (io.Reader, string) { return oversized(), "text/csv" }, false},
		{"multipart chunked", multipartBody, false},
	} {
		body, ct := tc.body()
		req := httptest.NewRequest("POST", "/api/v1/imports/venues", body)
		req.Header.Set("Authorization", "Bearer "+f.tokenOf(t, "ava"))
		req.Header.Set("Content-Type", ct)
		req.ContentLength = -1
		if tc.sizeSet {
			req.ContentLength = int64(len(header)) + registry.MaxFileSize
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		var e webkit.APIError
		if rec.Code != http.StatusRequestEntityTooLarge || json.Unmarshal(rec.Body.Bytes(), &e) != nil || e.Code != "too_large" || !strings.Contains(e.Message, "64 MiB") {
			t.Errorf("%s: %d %s", tc.name, rec.Code, snippet(rec.Body.String()))
		}
	}
	var rooms int
	f.db.QueryRow(`SELECT COUNT(*) FROM rooms WHERE name = 'Salla X'`).Scan(&rooms)
	if rooms != 0 {
		t.Fatal("an oversized import was written in part")
	}
}

// repeat reads as s, over and over.
func repeat(s string) io.Reader { return &repeater{s: s} }

type repeater struct {
	s string
	i int
}

func (r *repeater) Read(b []byte) (int, error) {
	n := 0
	for n < len(b) {
		c := copy(b[n:], r.s[r.i:])
		n += c
		r.i = (r.i + c) % len(r.s)
	}
	return n, nil
}

// TestImportUnknownEntity: the import and its template answer the same 404.
func TestImportUnknownEntity(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	r1, b1 := f.raw(t, "ava", "POST", "/api/v1/imports/rooms", "text/csv", strings.NewReader("a,b\n1,2\n"))
	r2, b2 := f.raw(t, "ava", "GET", "/api/v1/imports/rooms/template", "", nil)
	e1, e2 := apiErr(t, r1, b1), apiErr(t, r2, b2)
	if r1.StatusCode != 404 || r2.StatusCode != 404 || e1.Code != e2.Code || e1.Message != e2.Message || !strings.Contains(e1.Message, "«rooms»") {
		t.Fatalf("import %d %s; template %d %s", r1.StatusCode, snippet(b1), r2.StatusCode, snippet(b2))
	}
}

// TestImportCannotTakeOverForeignVenue: a KMSH cannot move another DAR's
// venue into its own by importing a new room for it under its own DAR/ZA.
func TestImportCannotTakeOverForeignVenue(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	body := "kodi_qendres,emri_qendres,kodi_dar_za,qyteti,salla,vende\n" + f.foreign.venue + ",Qendra ime,DAR-A,Tiranë,Salla e re,30\n"
	resp, b := f.raw(t, "kmsh", "POST", "/api/v1/imports/venues", "text/csv", strings.NewReader(body))
	e := apiErr(t, resp, b)
	if resp.StatusCode != 422 || len(e.Rows) != 1 || !strings.Contains(strings.Join(e.Rows[0].Reasons, ";"), "jashtë fushës suaj") {
		t.Fatalf("foreign venue import: %d %s", resp.StatusCode, snippet(b))
	}
	var unit string
	var rooms int
	f.db.QueryRow(`SELECT unit_code FROM venues WHERE code = $1`, f.foreign.venue).Scan(&unit)
	f.db.QueryRow(`SELECT COUNT(*) FROM rooms WHERE venue_code = $1`, f.foreign.venue).Scan(&rooms)
	if unit != "DAR-B" || rooms != 1 {
		t.Fatalf("the venue moved to %s with %d rooms", unit, rooms)
	}
	if code, _ := f.api(t, "kmsh", "GET", "/api/v1/venues/"+f.foreign.venue, nil); code != 404 {
		t.Fatalf("kmsh sees the foreign venue: %d", code)
	}
}

// TestLoginFlows signs in for real, in the browser and on the API, uses
// both, and signs out of both.
func TestLoginFlows(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.uiLogin(t, "kmsh")
	resp, err := c.Get(f.srv.URL + "/paneli")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(b), "Përdorues kmsh") {
		t.Fatalf("dashboard after login: %d", resp.StatusCode)
	}
	m := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(string(b))
	if m == nil {
		t.Fatal("no form token on the dashboard")
	}
	resp, err = c.PostForm(f.srv.URL+"/dalje", url.Values{"csrf": {m[1]}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/hyrje" {
		t.Fatalf("logout: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	if resp, err = c.Get(f.srv.URL + "/paneli"); err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("dashboard after logout: %d", resp.StatusCode)
	}

	tok := f.token(t, "kmsh")
	call := func(method string) int {
		req, _ := http.NewRequest(method, f.srv.URL+map[string]string{"GET": "/api/v1/me", "DELETE": "/api/v1/tokens"}[method], nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if code := call("GET"); code != 200 {
		t.Fatalf("me with a fresh token: %d", code)
	}
	if code := call("DELETE"); code != http.StatusNoContent {
		t.Fatalf("revoke: %d", code)
	}
	if code := call("GET"); code != http.StatusUnauthorized {
		t.Fatalf("me with a revoked token: %d", code)
	}
}
