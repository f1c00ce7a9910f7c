package results

import (
	"strings"
	"testing"

	"provim/internal/auth"
	"provim/internal/testkit"
)

// Neni 58: AVA's results page lists D1 of the second session by its key
// and computes and publishes it; the candidate's page shows both
// sessions' D1, labelled.
func TestNeni58_AVAComputesAndPublishesASession2Test(t *testing.T) {
	k, ids := published(t)
	cela := ids["Çela"] // 5 of 60 in the first session: failed
	sqlExec(t, k, `INSERT INTO results_session2 (year, exam, student_id, unit_code, school_code, reason) VALUES (2009, 'D1', $1, 'DAR-A', 'A-1', 'Neni 16, 58')`, cela)
	sqlExec(t, k, `INSERT INTO marking_booklets (year, exam, code, seeded, schools, state, final_points, final_round, registered_at) VALUES (2009, 'D1-2', 'S2000001', 0, '', 'final', 44, 0, '2009-10-06T08:00:00Z')`)
	sqlExec(t, k, `INSERT INTO anonym_opened (year, exam, code, student_id) VALUES (2009, 'D1-2', 'S2000001', $1)`, cela)
	sqlExec(t, k, `INSERT INTO marking_closed (year, exam, booklets, closed_by, closed_at) VALUES (2009, 'D1-2', 1, 'ava', '2009-10-08T08:00:00Z')`)
	sqlExec(t, k, `INSERT INTO anonym_keys (year, exam, public_key, threshold, holders, created_at, created_by, opened_at, opened_by) VALUES (2009, 'D1-2', '00', 2, 3, '2009-10-01T08:00:00Z', 'ava', '2009-10-09T09:00:00Z', 'ava')`)
	k.At(t, "2009-10-12")
	do := server(t, k, map[string]*auth.Principal{"ava": testkit.AVA, "cela": testkit.Student(cela)})
	code, _, body := do("ava", "GET", "/rezultatet", "")
	if code != 200 || !strings.Contains(body, "D1 (sesioni 2)") || !strings.Contains(body, `action="/rezultatet/D1-2/llogarit"`) {
		t.Fatalf("AVA's page: %d\n%s", code, body)
	}
	if code, _, body := do("ava", "POST", "/api/v1/results/exams/D1-2/compute", ""); code != 200 || !strings.Contains(body, `"candidates": 1`) {
		t.Fatalf("compute D1-2: %d %s", code, body)
	}
	if code, _, body := do("ava", "POST", "/api/v1/results/exams/D1-2/publish", ""); code != 200 || !strings.Contains(body, `"exam": "D1-2"`) {
		t.Fatalf("publish D1-2: %d %s", code, body)
	}
	if code, _, body := do("ava", "GET", "/api/v1/results?exam=D1-2", ""); code != 200 || !strings.Contains(body, `"exam": "D1-2"`) || strings.Contains(body, "Zeka") {
		t.Fatalf("list of D1-2: %d %s", code, body)
	}
	code, _, body = do("cela", "GET", "/rezultatet", "")
	if code != 200 || !strings.Contains(body, "D1 (sesioni 2) — ") || !strings.Contains(body, "u kalua në sesionin e dytë") || !strings.Contains(body, "44/60") {
		t.Fatalf("the candidate's page: %d\n%s", code, body)
	}
}
