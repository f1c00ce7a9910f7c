package demo

import (
	"testing"

	"provim/internal/audit"
	"provim/internal/examyear"
)

// TestRunSession runs the whole first session on a small country: after
// D1, D2 and every elective with candidates go through plan, draw,
// custody, codes, exam day and marking to the close; no candidate has two
// electives at one sitting (Neni 14.3, 17); each exam's key shares are
// kept for its holders; the audit chain holds. Then, on the same country,
// the results and certificates (certificatesAfterTheSession), and the
// second session (secondSessionAfterTheFirst).
func TestRunSession(t *testing.T) {
	t.Parallel()
	ctx, k := smallCountry(t, 1500)
	var out []string
	for _, run := range []func() error{
		func() error { return RunApplications(ctx, k.Services, k.Clock, ava, seed, nil) },
		func() error { return RunVenuePlan(ctx, k.Services, k.Clock, ava, nil) },
		func() error { return RunTests(ctx, k.Services, k.Clock, ava, nil) },
		func() error { return RunDraws(ctx, k.Services, k.Clock, ava, nil) },
		func() error { return RunCustody(ctx, k.Services, k.Clock, ava, nil) },
		func() error { return RunAnonymisation(ctx, k.Services, k.Clock, ava, nil) },
		func() error { return RunExamDay(ctx, k.Services, k.Clock, ava, false, nil) },
		func() error { return RunMarking(ctx, k.Services, k.Clock, ava, MarkingClosed, nil) },
		func() error {
			return RunSession(ctx, k.Services, k.Clock, ava, func(s string) { out = append(out, s); t.Log(s) })
		},
	} {
		if err := run(); err != nil {
			t.Fatal(err)
		}
	}
	y, err := k.Years.Active(ctx)
	if err != nil {
		t.Fatal(err)
	}
	exams, err := SessionExams(ctx, k.Services, y.Config)
	if err != nil {
		t.Fatal(err)
	}
	closed := 0
	for _, exam := range exams {
		var listed int
		k.DB.QueryRow(`SELECT COUNT(*) FROM final_lists WHERE year = 2027 AND exam = $1`, exam).Scan(&listed)
		if listed == 0 {
			continue
		}
		pr, err := k.Marking.Progress(ctx, ava, 2027, exam)
		if err != nil {
			t.Fatalf("%s: %v", exam, err)
		}
		if !pr.Closed || pr.Final+pr.Voided != pr.Registered || pr.Registered == 0 {
			t.Fatalf("%s after the session: %+v", exam, pr)
		}
		var labelled, seated int
		k.DB.QueryRow(`SELECT COUNT(*) FROM anonym_codes WHERE year = 2027 AND exam = $1 AND used`, exam).Scan(&labelled)
		k.DB.QueryRow(`SELECT COUNT(*) FROM exam_seats WHERE exam = $1`, exam).Scan(&seated)
		if labelled == 0 || labelled > seated || labelled < seated*9/10 {
			t.Fatalf("%s: %d labels attached for %d seated", exam, labelled, seated)
		}
		if h, v := DemoShares(k.Services, 2027, exam); len(h) != AnonymThreshold || len(v) != AnonymThreshold {
			t.Fatalf("%s: shares kept %d", exam, len(v))
		}
		closed++
	}
	if closed < 8 {
		t.Fatalf("only %d exams after D1 closed: %v", closed, out)
	}
	// Neni 14.3, 17: nobody is listed for two electives of one sitting.
	var clash int
	k.DB.QueryRow(`SELECT COUNT(*) FROM final_lists a JOIN final_lists b ON a.year = b.year AND a.student_id = b.student_id AND a.exam < b.exam
		WHERE a.exam NOT IN ('D1', 'D2') AND b.exam NOT IN ('D1', 'D2') AND (a.exam IN ('KIM', 'HIS', 'ANG', 'EKO')) = (b.exam IN ('KIM', 'HIS', 'ANG', 'EKO'))`).Scan(&clash)
	if clash != 0 {
		t.Fatalf("%d candidates listed for two electives of one sitting", clash)
	}
	if _, p, err := audit.Verify(ctx, k.DB.DB); err != nil || p != nil {
		t.Fatalf("audit: %v %v", p, err)
	}
	if err := RunSession(ctx, k.Services, k.Clock, ava, nil); err != nil {
		t.Fatalf("second run: %v", err)
	}
	_ = examyear.KindD2
	if !t.Run("certificates", func(t *testing.T) { certificatesAfterTheSession(t, ctx, k) }) {
		return
	}
	t.Run("second session", func(t *testing.T) { secondSessionAfterTheFirst(t, ctx, k) })
}
