package marking

import (
	"strings"
	"testing"

	"provim/internal/auth"
	"provim/internal/testkit"
)

// Neni 58: the marking index lists the second session's tests by their
// key and label; a marker appointed for D1-2 reaches its queue.
func TestNeni58_MarkingIndexListsSession2Tests(t *testing.T) {
	users := map[string]*auth.Principal{
		"ava":  testkit.AVA,
		"vl.2": {Username: "vl.2", FullName: "Vlerësuesi vl.2", Role: auth.RoleMarker, Subject: "D1-2"},
	}
	k, srv := schemeServer(t, users)
	if _, err := k.DB.Exec(`INSERT INTO marking_markers (year, exam, username, full_name, school_code, task, status, appointed_by, appointed_at) VALUES (2009, 'D1-2', 'vl.2', 'Vlerësuesi vl.2', '', 'marker', 'qualified', 'ava', '2009-09-01T08:00:00Z')`); err != nil {
		t.Fatal(err)
	}
	code, body := schemeCall(t, srv, "ava", "GET", "/vleresimi", "", nil)
	if code != 200 || !strings.Contains(body, "<td>D1 (sesioni 2)</td>") || !strings.Contains(body, `href="/vleresimi/D1-2/`) || !strings.Contains(body, "<td>D2 (sesioni 2)</td>") {
		t.Fatalf("AVA's index: %d\n%s", code, body)
	}
	code, body = schemeCall(t, srv, "vl.2", "GET", "/vleresimi/D1-2/radha", "", nil)
	if code != 200 || !strings.Contains(body, "Testet për vlerësim — D1 (sesioni 2)") {
		t.Fatalf("the queue of D1-2: %d\n%s", code, body)
	}
	if code, _ := schemeCall(t, srv, "vl.2", "GET", "/vleresimi/D1/radha", "", nil); code == 200 {
		t.Fatal("a marker of D1-2 reaches D1's queue")
	}
}
