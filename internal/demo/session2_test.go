package demo

import (
	"context"
	"strings"
	"testing"

	"provim/internal/audit"
	"provim/internal/auth"
	"provim/internal/testkit"
)

// secondSessionAfterTheFirst continues TestRunSession's country after its
// results and certificates (certificatesAfterTheSession): the KMSHs send
// their Neni 58 lists, and D1 and D2 of the second session go through
// plan, test, packages, codes, draw, exam day, marking, results and
// certificates with the first session's phase functions (Neni 16 ¶2, 58):
// everyone listed is seated, each test is marked to its close and
// published, a candidate who failed D1 in June and passed it in October
// with D2 passed has completed the Matura and holds a certificate, the
// audit chain holds, and running it again changes nothing.
func secondSessionAfterTheFirst(t *testing.T, ctx context.Context, k *testkit.Kit) {
	t.Helper()
	var out []string
	logf := func(s string) { out = append(out, s); t.Log(s) }
	if err := RunSession2Lists(ctx, k.Services, ava, logf); err != nil {
		t.Fatal(err)
	}
	if err := RunSecondSession(ctx, k.Services, k.Clock, ava, logf); err != nil {
		t.Fatal(err)
	}
	y, err := k.Years.Active(ctx)
	if err != nil {
		t.Fatal(err)
	}
	tests := SecondSessionTests(y.Config)
	if len(tests) != 2 {
		t.Fatalf("second-session tests: %v", tests)
	}
	for _, test := range tests {
		exam := test[:2]
		var listed, seated int
		k.DB.QueryRow(`SELECT COUNT(*) FROM results_session2 WHERE year = 2027 AND exam = $1`, exam).Scan(&listed)
		k.DB.QueryRow(`SELECT COUNT(*) FROM exam_seats WHERE year = 2027 AND session = 2 AND exam = $1`, exam).Scan(&seated)
		if listed == 0 || seated != listed {
			t.Fatalf("%s: %d listed, %d seated in session 2", test, listed, seated)
		}
		pr, err := k.Marking.Progress(ctx, ava, 2027, test)
		if err != nil {
			t.Fatalf("%s: %v", test, err)
		}
		if !pr.Closed || pr.Registered == 0 || pr.Final+pr.Voided != pr.Registered {
			t.Fatalf("%s after its marking: %+v", test, pr)
		}
		if _, ok, err := k.Results.PublishedAt(ctx, 2027, test); err != nil || !ok {
			t.Fatalf("%s not published: %v", test, err)
		}
		var results int
		k.DB.QueryRow(`SELECT COUNT(*) FROM results WHERE year = 2027 AND session = 2 AND exam = $1`, exam).Scan(&results)
		if results != listed {
			t.Fatalf("%s: %d results for %d listed", test, results, listed)
		}
	}
	// Failed D1 in June, passed it in October, D2 passed in June.
	var id int64
	k.DB.QueryRow(`SELECT a.student_id FROM results a
		JOIN results b ON b.year = a.year AND b.student_id = a.student_id AND b.exam = 'D1' AND b.session = 2 AND b.passed = 1
		JOIN results c ON c.year = a.year AND c.student_id = a.student_id AND c.exam = 'D2' AND c.session = 1 AND c.passed = 1
		WHERE a.year = 2027 AND a.exam = 'D1' AND a.session = 1 AND a.passed = 0 ORDER BY a.student_id LIMIT 1`).Scan(&id)
	if id == 0 {
		t.Fatalf("no candidate passed D1 in the second session after failing it in the first: %q", out)
	}
	comp, err := k.Results.CompletionOf(ctx, 2027, id)
	if err != nil || !comp.Completed {
		t.Fatalf("completion after the second session: %+v %v", comp, err)
	}
	held, err := k.Certificates.MineValid(ctx, &auth.Principal{Username: "nxenes", Role: auth.RoleStudent, StudentID: id})
	if err != nil || !held.Valid() {
		t.Fatalf("the candidate who passed D1 in the second session holds no valid certificate: %+v %v", held, err)
	}
	passedIn := map[string]int{}
	for _, e := range comp.Exams {
		passedIn[e.Exam] = e.Session
	}
	if passedIn["D1"] != 2 || passedIn["D2"] != 1 {
		t.Errorf("what counts after the second session: %+v", comp.Exams)
	}
	if _, p, err := audit.Verify(ctx, k.DB.DB); err != nil || p != nil {
		t.Fatalf("audit chain: %+v %v", p, err)
	}
	n := len(out)
	if err := RunSecondSession(ctx, k.Services, k.Clock, ava, logf); err != nil {
		t.Fatalf("second run: %v", err)
	}
	if again := strings.Join(out[n:], "\n"); !strings.Contains(again, " 0 të lëshuara") {
		t.Errorf("again: %q", out[n:])
	}
}
