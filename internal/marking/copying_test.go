package marking_test

import (
	"slices"
	"testing"

	"provim/internal/apperr"
	"provim/internal/marking"
)

// copyingWorld has three final booklets of m1 and m2 and one of m3.
func copyingWorld(t *testing.T) *oversightWorld {
	t.Helper()
	w := newOversightWorld(t, "m1", "m2", "m3")
	for _, c := range []string{"K0001", "K0002", "K0003"} {
		w.finalPair(t, c, "m1", "m2", []int{1, 2, 3, 4}, "2009-06-20")
	}
	w.finalPair(t, "K0004", "m3", "lead", []int{1, 1, 1, 1}, "2009-06-20")
	return w
}

// Neni 57.15–57.16: a marker reports a booklet of their queue as
// suspected of copying, with a reason; the reports go to KOPOTED, which
// takes them into a case and records its finding for MASH.
func TestNeni57_16_SuspectedCopyingGoesToKOPOTED(t *testing.T) {
	t.Parallel()
	w := copyingWorld(t)
	m1, m2 := ovMarker("m1"), ovMarker("m2")
	if err := w.svc.ReportCopying(w.ctx, m1, 0, "D1", "K0004", "Përgjigje identike."); !apperr.Is(err, apperr.NotFound) {
		t.Fatalf("a report of a booklet outside my queue: %v", err)
	}
	if err := w.svc.ReportCopying(w.ctx, ovMarker("outsider"), 0, "D1", "K0001", "x"); !apperr.Is(err, apperr.Forbidden) {
		t.Fatalf("a report by a marker not appointed: %v", err)
	}
	if err := w.svc.ReportCopying(w.ctx, ovAVA, 0, "D1", "K0001", "x"); !apperr.Is(err, apperr.Forbidden) {
		t.Fatalf("a report by AVA: %v", err)
	}
	if err := w.svc.ReportCopying(w.ctx, m1, 0, "D1", "K0001", " "); !apperr.Is(err, apperr.Invalid) {
		t.Fatalf("a report without a reason: %v", err)
	}
	for _, r := range []struct {
		by   string
		code string
	}{{"m1", "K0001"}, {"m2", "K0001"}, {"m2", "K0002"}, {"m1", "K0003"}} {
		if err := w.svc.ReportCopying(w.ctx, ovMarker(r.by), 0, "D1", r.code, "Përgjigjet e kërkesës 3 janë fjalë për fjalë si në test-broshurën tjetër."); err != nil {
			t.Fatalf("%s reports %s: %v", r.by, r.code, err)
		}
	}
	if err := w.svc.ReportCopying(w.ctx, m2, 0, "D1", "K0002", "sërish"); !apperr.Is(err, apperr.Conflict) {
		t.Fatalf("a second report of the same booklet by the same marker: %v", err)
	}
	if _, err := w.svc.CopyingBoard(w.ctx, m1, 0, "D1"); !apperr.Is(err, apperr.Forbidden) {
		t.Fatalf("a marker reads KOPOTED's board: %v", err)
	}
	board, err := w.svc.CopyingBoard(w.ctx, ovKOP, 0, "D1")
	if err != nil {
		t.Fatal(err)
	}
	if len(board.Reports) != 4 || !slices.Equal(board.Waiting(), []string{"K0001", "K0002", "K0003"}) {
		t.Fatalf("KOPOTED sees %+v, waiting %v", board.Reports, board.Waiting())
	}
	if _, err := w.svc.OpenCase(w.ctx, ovMASH, 0, "D1", []string{"K0001"}); !apperr.Is(err, apperr.Forbidden) {
		t.Fatalf("MASH opens a case: %v", err)
	}
	if _, err := w.svc.OpenCase(w.ctx, ovKOP, 0, "D1", []string{"K0004"}); !apperr.Is(err, apperr.NotFound) {
		t.Fatalf("a case over a booklet nobody reported: %v", err)
	}
	if _, err := w.svc.OpenCase(w.ctx, ovKOP, 0, "D1", nil); !apperr.Is(err, apperr.Invalid) {
		t.Fatalf("a case over nothing: %v", err)
	}
	no, err := w.svc.OpenCase(w.ctx, ovKOP, 0, "D1", []string{"K0002", "K0001", "K0001"})
	if err != nil || no != 1 {
		t.Fatalf("open case: %d %v", no, err)
	}
	if _, err := w.svc.OpenCase(w.ctx, ovKOP, 0, "D1", []string{"K0001", "K0003"}); !apperr.Is(err, apperr.Conflict) {
		t.Fatalf("a booklet in two cases: %v", err)
	}
	if n, err := w.svc.OpenCases(w.ctx, 2009, "D1"); err != nil || n != 1 {
		t.Fatalf("open cases = %d %v, want 1", n, err)
	}
	if err := w.svc.RecordFinding(w.ctx, ovMASH, 0, "D1", no, marking.FindingCopied, "x"); !apperr.Is(err, apperr.Forbidden) {
		t.Fatalf("MASH records KOPOTED's finding: %v", err)
	}
	if err := w.svc.RecordFinding(w.ctx, ovKOP, 0, "D1", no, "maybe", "x"); !apperr.Is(err, apperr.Invalid) {
		t.Fatalf("an unknown finding: %v", err)
	}
	if err := w.svc.RecordFinding(w.ctx, ovKOP, 0, "D1", no, marking.FindingCopied, ""); !apperr.Is(err, apperr.Invalid) {
		t.Fatalf("a finding without a note: %v", err)
	}
	if err := w.svc.RecordFinding(w.ctx, ovKOP, 0, "D1", 7, marking.FindingCopied, "x"); !apperr.Is(err, apperr.NotFound) {
		t.Fatalf("a finding on no case: %v", err)
	}
	if err := w.svc.RecordFinding(w.ctx, ovKOP, 0, "D1", no, marking.FindingNotCopied, "Fillimisht."); err != nil {
		t.Fatal(err)
	}
	if err := w.svc.RecordFinding(w.ctx, ovKOP, 0, "D1", no, marking.FindingCopied, "Dy test-broshurat kanë të njëjtat gabime në kërkesat 2 dhe 3."); err != nil {
		t.Fatalf("a finding corrected before MASH decides: %v", err)
	}
	board, _ = w.svc.CopyingBoard(w.ctx, ovMASH, 0, "D1")
	if len(board.Cases) != 1 || !board.Cases[0].Open() || board.Cases[0].Finding != marking.FindingCopied ||
		!slices.Equal(board.Cases[0].Codes, []string{"K0001", "K0002"}) || !slices.Equal(board.Waiting(), []string{"K0003"}) {
		t.Fatalf("MASH sees %+v, waiting %v", board.Cases, board.Waiting())
	}
	if n := w.count(t, `SELECT COUNT(*) FROM audit_log WHERE action IN ('marking.report', 'open', 'marking.finding') AND object_type IN ('marking_booklet', 'marking_case')`); n != 7 {
		t.Fatalf("%d audit entries of reports, the case and findings, want 7", n)
	}
}

// Neni 57.17: MASH decides on KOPOTED's report with its reference: a
// voided result leaves the case's booklets with no points; a result that
// stands leaves them as they were. The case then closes, and nothing of
// it changes again.
func TestNeni57_17_MASHDecidesAndAVoidedBookletHasNoResult(t *testing.T) {
	t.Parallel()
	w := copyingWorld(t)
	for _, c := range []string{"K0001", "K0002", "K0003"} {
		if err := w.svc.ReportCopying(w.ctx, ovMarker("m1"), 0, "D1", c, "Përgjigje të njëjta."); err != nil {
			t.Fatal(err)
		}
	}
	voidCase, _ := w.svc.OpenCase(w.ctx, ovKOP, 0, "D1", []string{"K0001", "K0002"})
	standCase, _ := w.svc.OpenCase(w.ctx, ovKOP, 0, "D1", []string{"K0003"})
	if err := w.svc.RecordDecision(w.ctx, ovMASH, 0, "D1", voidCase, marking.DecisionVoided, "Prot. 12/3"); !apperr.Is(err, apperr.Conflict) {
		t.Fatalf("a decision before KOPOTED's finding: %v", err)
	}
	w.svc.RecordFinding(w.ctx, ovKOP, 0, "D1", voidCase, marking.FindingCopied, "Kopjuar.")
	w.svc.RecordFinding(w.ctx, ovKOP, 0, "D1", standCase, marking.FindingNotCopied, "Nuk ka kopjim.")
	if err := w.svc.RecordDecision(w.ctx, ovKOP, 0, "D1", voidCase, marking.DecisionVoided, "Prot. 12/3"); !apperr.Is(err, apperr.Forbidden) {
		t.Fatalf("KOPOTED decides for MASH: %v", err)
	}
	if err := w.svc.RecordDecision(w.ctx, ovMASH, 0, "D1", voidCase, marking.DecisionVoided, ""); !apperr.Is(err, apperr.Invalid) {
		t.Fatalf("a decision without its reference: %v", err)
	}
	if err := w.svc.RecordDecision(w.ctx, ovMASH, 0, "D1", voidCase, "perhaps", "x"); !apperr.Is(err, apperr.Invalid) {
		t.Fatalf("an unknown decision: %v", err)
	}
	if err := w.svc.RecordDecision(w.ctx, ovMASH, 0, "D1", voidCase, marking.DecisionVoided, "Prot. 12/3"); err != nil {
		t.Fatal(err)
	}
	if n := w.count(t, `SELECT COUNT(*) FROM marking_booklets WHERE code IN ('K0001', 'K0002') AND state = 'voided' AND final_points = -1`); n != 2 {
		t.Fatalf("%d of 2 booklets voided with no points", n)
	}
	if n, _ := w.svc.OpenCases(w.ctx, 2009, "D1"); n != 1 {
		t.Fatalf("open cases = %d, want 1 (the case that waits for MASH)", n)
	}
	if err := w.svc.RecordDecision(w.ctx, ovMASH, 0, "D1", standCase, marking.DecisionStands, "Prot. 12/4"); err != nil {
		t.Fatal(err)
	}
	if n := w.count(t, `SELECT COUNT(*) FROM marking_booklets WHERE code = 'K0003' AND state = 'final' AND final_points = 10`); n != 1 {
		t.Fatal("a result that stands changed")
	}
	if n, _ := w.svc.OpenCases(w.ctx, 2009, "D1"); n != 0 {
		t.Fatalf("open cases = %d after both decisions", n)
	}
	if err := w.svc.RecordDecision(w.ctx, ovMASH, 0, "D1", voidCase, marking.DecisionStands, "x"); !apperr.Is(err, apperr.Conflict) {
		t.Fatalf("a second decision: %v", err)
	}
	if err := w.svc.RecordFinding(w.ctx, ovKOP, 0, "D1", voidCase, marking.FindingNotCopied, "x"); !apperr.Is(err, apperr.Conflict) {
		t.Fatalf("a finding after the decision: %v", err)
	}
	// A voided booklet has no result: the monitors never draw it.
	w.exec(t, `INSERT INTO marking_settings (year, exam, tolerance, monitor_rate_pm, seeded_rate_pm, updated_by, updated_at) VALUES (2009, 'D1', 2, 1000, 0, 'ava', 'x')`)
	d, err := w.svc.DrawSample(w.ctx, ovMonitor, 0, "D1")
	if err != nil || slices.Contains(d.Codes, "K0001") || slices.Contains(d.Codes, "K0002") || d.Population != 2 {
		t.Fatalf("draw after the decision = %+v %v", d, err)
	}
	// After the close nothing is reported any more.
	w.exec(t, `INSERT INTO marking_closed (year, exam, booklets, closed_by, closed_at) VALUES (2009, 'D1', 4, 'lead', 'x')`)
	if err := w.svc.ReportCopying(w.ctx, ovMarker("m3"), 0, "D1", "K0004", "x"); !apperr.Is(err, apperr.Conflict) {
		t.Fatalf("a report after the close: %v", err)
	}
}
