package marking_test

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"testing"

	"provim/internal/apperr"
	"provim/internal/marking"
)

// qualityWorld: markers x, a, b and c mark in every pairing two booklets
// a day for two days (24 booklets). On the first day all agree; on the
// second x gives 3 points more on item 1 of each of their booklets, the
// lead marks those as third marker, siding with x's pair. x also marks a
// seeded calibration booklet 3 points over its agreed total.
func qualityWorld(t *testing.T) *oversightWorld {
	t.Helper()
	w := newOversightWorld(t, "x", "a", "b", "c")
	pairs := [][2]string{{"x", "a"}, {"b", "x"}, {"x", "c"}, {"a", "b"}, {"b", "c"}, {"c", "a"}}
	n := 0
	for _, day := range []string{"2009-06-20", "2009-06-21"} {
		for _, p := range pairs {
			for range 2 {
				n++
				code := ovCode(n)
				drift := day == "2009-06-21" && (p[0] == "x" || p[1] == "x")
				if !drift {
					w.finalPair(t, code, p[0], p[1], []int{1, 1, 1, 1}, day)
					continue
				}
				w.booklet(t, code, marking.StateFinal, 0, 4)
				w.exec(t, `UPDATE marking_booklets SET final_round = 3 WHERE code = $1`, code)
				for round, u := range p {
					pts := []int{1, 1, 1, 1}
					if u == "x" {
						pts = []int{4, 1, 1, 1}
					}
					w.marking(t, code, round+1, u, pts, day)
				}
				w.marking(t, code, 3, "lead", []int{1, 1, 1, 1}, day)
			}
		}
	}
	w.exec(t, `INSERT INTO marking_calibration (year, exam, no, purpose, code, choices, points, total, added_by, added_at) VALUES (2009, 'D1', 1, 'seeded', 'S0001', ',,,', '2,2,2,2', 8, 'ava', 'x')`)
	w.booklet(t, "S0001", marking.StateFinal, 1, 8)
	w.marking(t, "S0001", 1, "x", []int{3, 3, 3, 2}, "2009-06-20")
	w.marking(t, "S0001", 2, "b", []int{2, 2, 2, 2}, "2009-06-20")
	return w
}

func qualityOf(q marking.Quality, u string) marking.MarkerQuality {
	for _, m := range q.Markers {
		if m.Username == u {
			return m
		}
	}
	return marking.MarkerQuality{}
}

// Issue 14 item 7: the quality board measures each marker against their
// pair and the seeded calibration booklets, and warns the lead about a
// marker drifting out of tolerance (and only about them), who may stop
// them.
func TestQualityFlagsADriftingMarker(t *testing.T) {
	t.Parallel()
	w := qualityWorld(t)
	q, err := w.svc.Quality(w.ctx, ovLead, 0, "D1")
	if err != nil {
		t.Fatal(err)
	}
	if q.Booklets != 24 || q.Final != 24 || q.Third != 6 || q.Paired != 25 || q.Tolerance != marking.DefaultTolerance || !q.CanStop {
		t.Fatalf("board = %+v", q)
	}
	if q.Agreement != 0.91 || len(q.Days) != 2 {
		t.Fatalf("subject agreement %v over days %v, want 0.91 over 2 days", q.Agreement, q.Days)
	}
	x, a := qualityOf(q, "x"), qualityOf(q, "a")
	if x.Marked != 13 || x.Paired != 13 || x.Thirds != 6 || x.SidedWith != 0 {
		t.Fatalf("x = %+v", x)
	}
	if a.Thirds != 2 || a.SidedWith != 2 || a.Agreement != 0.96 {
		t.Fatalf("a = %+v", a)
	}
	if len(x.Drift) != 2 || x.Drift[1].Mean != 3 || x.Drift[1].Booklets != 6 || x.Drift[0].Booklets != 7 {
		t.Fatalf("x's drift = %+v, want +3 over 6 booklets on the second day", x.Drift)
	}
	if len(x.Seeded) != 1 || x.Seeded[0].Diff != 3 || x.SeededMean != 3 {
		t.Fatalf("x's seeded = %+v", x.Seeded)
	}
	if x.Agreement >= a.Agreement || x.MeanAbsDiff <= a.MeanAbsDiff || q.Kappa >= 1 || q.Kappa < -1 {
		t.Fatalf("x (%v, |d| %v) should agree less than a (%v, |d| %v); subject κ %v", x.Agreement, x.MeanAbsDiff, a.Agreement, a.MeanAbsDiff, q.Kappa)
	}
	if !x.Flagged() || len(x.Warnings) != 2 || !strings.Contains(x.Warnings[0], "Neni 57.11") || !strings.Contains(x.Warnings[1], "rrëshqet") {
		t.Fatalf("x's warnings = %q, want the seeded booklets and the drift", x.Warnings)
	}
	for _, m := range q.Markers {
		if m.Username != "x" && m.Flagged() {
			t.Fatalf("%s is flagged: %q", m.Username, m.Warnings)
		}
	}
	if lead := qualityOf(q, "lead"); lead.Marked != 6 {
		t.Fatalf("the lead as third marker: %+v", lead)
	}
	if !strings.Contains(string(marking.AgreementChart(q)), "<svg") || !strings.Contains(string(marking.DriftChart(q)), "polyline") {
		t.Fatal("the charts are not drawn")
	}

	// Who sees the board and who stops.
	if !w.svc.MayWatchQuality(w.ctx, ovLead, 0, "D1") || !w.svc.MayWatchQuality(w.ctx, ovObserver, 0, "D1") || w.svc.MayWatchQuality(w.ctx, ovMarker("a"), 0, "D1") {
		t.Fatal("MayWatchQuality: the lead and the observer read the board, a marker does not")
	}
	if !marking.MayWatchCopying(ovObserver) || !marking.MayWatchCopying(ovMASH) || marking.MayWatchCopying(ovMarker("a")) || marking.MayWatchCopying(ovMonitor) {
		t.Fatal("MayWatchCopying: KOPOTED, MASH, AVA and observers only")
	}
	if !marking.MayWatchMonitoring(ovMonitor, "d1") || marking.MayWatchMonitoring(ovMonitor2, "D1") || marking.MayWatchMonitoring(ovLead, "D1") {
		t.Fatal("MayWatchMonitoring: the subject's monitors, AVA and observers only")
	}
	if _, err := w.svc.Quality(w.ctx, ovMarker("a"), 0, "D1"); !apperr.Is(err, apperr.Forbidden) {
		t.Fatalf("a marker reads the board: %v", err)
	}
	if _, err := w.svc.Quality(w.ctx, ovMonitor, 0, "D1"); !apperr.Is(err, apperr.Forbidden) {
		t.Fatalf("a monitor reads the board: %v", err)
	}
	if q, err := w.svc.Quality(w.ctx, ovAVA, 0, "D1"); err != nil || !q.CanStop {
		t.Fatalf("AVA: %v %v", q.CanStop, err)
	}
	if err := w.svc.StopFromQuality(w.ctx, ovMarker("a"), 0, "D1", "x", "Jashtë tolerancës."); !apperr.Is(err, apperr.Forbidden) {
		t.Fatalf("a marker stops another: %v", err)
	}
	if err := w.svc.StopFromQuality(w.ctx, ovLead, 0, "D1", "x", ""); !apperr.Is(err, apperr.Invalid) {
		t.Fatalf("a stop without a note: %v", err)
	}
	if err := w.svc.StopFromQuality(w.ctx, ovLead, 0, "D1", "nobody", "x"); !apperr.Is(err, apperr.NotFound) {
		t.Fatalf("a stop of someone not appointed: %v", err)
	}
	if err := w.svc.StopFromQuality(w.ctx, ovLead, 0, "D1", "lead", "x"); !apperr.Is(err, apperr.Forbidden) {
		t.Fatalf("the lead stops the lead (only AVA does): %v", err)
	}
	if err := w.svc.StopFromQuality(w.ctx, ovLead, 0, "D1", "x", "Rrëshqet +3 pikë në ditën e dytë."); err != nil {
		t.Fatal(err)
	}
	if err := w.svc.StopFromQuality(w.ctx, ovLead, 0, "D1", "x", "sërish"); !apperr.Is(err, apperr.Conflict) {
		t.Fatalf("a second stop: %v", err)
	}
	q, _ = w.svc.Quality(w.ctx, ovLead, 0, "D1")
	if x := qualityOf(q, "x"); x.Status != marking.StatusStopped {
		t.Fatalf("x after the stop: %+v", x)
	}
	if n := w.count(t, `SELECT COUNT(*) FROM audit_log WHERE action = 'marking.stop' AND object_id = '2009/D1/x'`); n != 1 {
		t.Fatal("the stop is not in the audit log")
	}
}

// Neni 57.18: the State Matura Committee's observers read the monitoring,
// the cases and the quality board, and change nothing.
func TestNeni57_18_ObserverReadsOnly(t *testing.T) {
	t.Parallel()
	w := qualityWorld(t)
	w.exec(t, `INSERT INTO marking_settings (year, exam, tolerance, monitor_rate_pm, seeded_rate_pm, updated_by, updated_at) VALUES (2009, 'D1', 2, 1000, 0, 'ava', 'x')`)
	if _, err := w.svc.DrawSample(w.ctx, ovMonitor, 0, "D1"); err != nil {
		t.Fatal(err)
	}
	if err := w.svc.ReportCopying(w.ctx, ovMarker("a"), 0, "D1", ovCode(1), "Përgjigje të njëjta."); err != nil {
		t.Fatal(err)
	}
	if err := w.svc.ReportCopying(w.ctx, ovMarker("a"), 0, "D1", ovCode(2), "Përgjigje të njëjta."); err != nil {
		t.Fatal(err)
	}
	caseNo, err := w.svc.OpenCase(w.ctx, ovKOP, 0, "D1", []string{ovCode(1)})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.svc.RecordFinding(w.ctx, ovKOP, 0, "D1", caseNo, marking.FindingCopied, "Kopjuar."); err != nil {
		t.Fatal(err)
	}
	if _, err := w.svc.Monitoring(w.ctx, ovObserver, 0, "D1"); err != nil {
		t.Fatalf("the observer reads the monitoring: %v", err)
	}
	if _, err := w.svc.SampledBooklet(w.ctx, ovObserver, 0, "D1", ovCode(1)); err != nil {
		t.Fatalf("the observer reads a sampled booklet: %v", err)
	}
	if b, err := w.svc.CopyingBoard(w.ctx, ovObserver, 0, "D1"); err != nil || len(b.Cases) != 1 {
		t.Fatalf("the observer reads the cases: %v", err)
	}
	q, err := w.svc.Quality(w.ctx, ovObserver, 0, "D1")
	if err != nil || q.CanStop {
		t.Fatalf("the observer reads the board (can stop %v): %v", q.CanStop, err)
	}
	snapshot := func() string {
		var parts []string
		for _, table := range []string{"audit_log", "marking_monitor_draws", "marking_samples", "marking_reports", "marking_cases", "marking_booklets", "marking_allocations"} {
			parts = append(parts, fmt.Sprint(w.count(t, `SELECT COUNT(*) FROM `+table)))
		}
		parts = append(parts, fmt.Sprint(w.count(t, `SELECT COUNT(*) FROM marking_samples WHERE verdict <> ''`)),
			fmt.Sprint(w.count(t, `SELECT COUNT(*) FROM marking_markers WHERE status = 'stopped'`)),
			fmt.Sprint(w.count(t, `SELECT COUNT(*) FROM marking_cases WHERE decision <> ''`)))
		return strings.Join(parts, " ")
	}
	before := snapshot()
	w.finalPair(t, "K9000", "a", "b", []int{1, 1, 1, 1}, "2009-06-22") // something to draw
	w.exec(t, `INSERT INTO marking_allocations (year, exam, code, round, username, allocated_by, allocated_at) VALUES (2009, 'D1', 'K9000', 3, 'vez', 'ava', 'x')`)
	before = snapshot()
	for name, err := range map[string]error{
		"draw":     func() error { _, err := w.svc.DrawSample(w.ctx, ovObserver, 0, "D1"); return err }(),
		"review":   w.svc.ReviewSample(w.ctx, ovObserver, 0, "D1", ovCode(1), marking.VerdictReturned, "x"),
		"report":   w.svc.ReportCopying(w.ctx, ovObserver, 0, "D1", "K9000", "x"),
		"case":     func() error { _, err := w.svc.OpenCase(w.ctx, ovObserver, 0, "D1", []string{ovCode(2)}); return err }(),
		"finding":  w.svc.RecordFinding(w.ctx, ovObserver, 0, "D1", caseNo, marking.FindingNotCopied, "x"),
		"decision": w.svc.RecordDecision(w.ctx, ovObserver, 0, "D1", caseNo, marking.DecisionVoided, "x"),
		"stop":     w.svc.StopFromQuality(w.ctx, ovObserver, 0, "D1", "x", "x"),
	} {
		if !apperr.Is(err, apperr.Forbidden) {
			t.Errorf("the observer's %s: %v, want Forbidden", name, err)
		}
	}
	if after := snapshot(); after != before {
		t.Fatalf("the observer changed something: %s → %s", before, after)
	}
}

// The charts are SVG with every text escaped.
func TestChartsAreEscapedSVG(t *testing.T) {
	t.Parallel()
	bar := string(marking.BarChart("Përputhja <b>", []marking.Bar{{Label: `<script>alert("x")</script>`, Value: 0.5, Warn: true}}, 0.8))
	line := string(marking.LineChart("Drift", []string{"20.06", "21.06"}, []marking.Line{{Label: "A&B", Values: []float64{0, 3}, Warn: true}}, 2))
	for _, s := range []string{bar, line} {
		if !strings.HasPrefix(s, "<svg") || !strings.HasSuffix(s, "</svg>") || strings.Contains(s, "<script") || strings.Contains(s, "<b>") || strings.Contains(s, "A&B") {
			t.Fatalf("chart not escaped SVG: %s", s)
		}
	}
	for _, svg := range []string{bar, line} {
		d := xml.NewDecoder(strings.NewReader(svg))
		for {
			if _, err := d.Token(); err == io.EOF {
				break
			} else if err != nil {
				t.Fatalf("the chart is not well-formed XML: %v\n%s", err, svg)
			}
		}
	}
	if !strings.Contains(bar, "&lt;script&gt;") || !strings.Contains(line, "A&amp;B") {
		t.Fatal("labels missing")
	}
	if marking.BarChart("x", nil, 0) != "" || marking.LineChart("x", nil, nil, 2) != "" {
		t.Fatal("an empty chart draws something")
	}
}
