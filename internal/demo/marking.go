package demo

import (
	"context"
	"fmt"
	"strings"
	"time"

	"provim/internal/auth"
	"provim/internal/clock"
	"provim/internal/examyear"
	"provim/internal/marking"
	"provim/internal/wire"
)

// The demo's marking of D1 (Neni 57): the final test and its scheme
// (defined by AVA's test group before the exam, RunTests), markers
// appointed from the country's Albanian teachers and trained on
// calibration booklets, every booklet marked twice by simulated markers —
// a realistic share of item differences sent to a third marker, one
// marker drifting harsher from the third day — the monitors' sample, a
// few booklets reported for copying through KOPOTED and MASH, and the
// close, which lets the key holders open the link.

// MarkersD1 is how many teachers the demo appoints to mark D1, LeadsD1 of
// them leads (Neni 57.8).
const (
	MarkersD1 = 180
	LeadsD1   = 6
)

// The demo's accounts of a lead and a marker of D1, among those appointed.
const (
	DemoLead   = "pergjegjes.d1"
	DemoMarker = "vleresues.d1"
)

// DriftingMarker is the index (in appointment order) of the marker the
// demo makes drift harsher from the third day of marking.
const DriftingMarker = 17

// RunTests defines, in May, D1's final test and its marking scheme through
// AVA's test group (Neni 19.6, 57.2–57.3) and closes it for changes; it
// stays classified until the exam starts (Neni 59.2).
func RunTests(ctx context.Context, svcs *wire.Services, clk *clock.Manual, ava *auth.Principal, progress func(string)) error {
	if progress == nil {
		progress = func(string) {}
	}
	return runTest(ctx, svcs, clk, ava, examyear.KindD1, progress)
}

// runTest is RunTests for exam: D1's test, or one made to the subject's
// points for D2 and the electives (testFor).
func runTest(ctx context.Context, svcs *wire.Services, clk *clock.Manual, ava *auth.Principal, exam string, progress func(string)) error {
	y, err := svcs.Years.Active(ctx)
	if err != nil {
		return err
	}
	start, _, ok := y.Config.Sitting(examyear.SplitTest(exam))
	if !ok {
		return nil
	}
	if at := start.AddDate(0, 0, -14); clk.Now().Before(at) {
		clk.Set(at)
	}
	if t, err := svcs.Marking.TestOf(ctx, ava, y.Year, exam); err == nil && t.Defined {
		return nil // run before
	}
	began := clock.StartTimer()
	t, err := svcs.Marking.SaveTest(ctx, ava, y.Year, exam, testFor(y.Config, exam))
	if err != nil {
		return fmt.Errorf("demo: %s test: %w", exam, err)
	}
	if err := svcs.Marking.SettleTest(ctx, ava, y.Year, exam); err != nil {
		return fmt.Errorf("demo: settle %s test: %w", exam, err)
	}
	progress(fmt.Sprintf("Testi përfundimtar i %s dhe skema e vlerësimit (Neni 19.6, 57.2–57.3): %d kërkesa, %d pikë, i klasifikuar deri në fillim të provimit (%.1fs)",
		examyear.TestLabel(exam), len(t.Items), t.MaxPoints, began.Elapsed().Seconds()))
	return nil
}

// MarkingStage is how far RunMarking goes.
type MarkingStage int

const (
	// MarkingClosed runs the marking to its close.
	MarkingClosed MarkingStage = iota
	// MarkingUnderway stops after the first two days: about half the
	// markings in, some booklets waiting for a third marker, nothing
	// closed — for trying the marker's and the lead's pages.
	MarkingUnderway
)

// RunMarking marks D1 (Neni 57) after its exam day; see the file's
// comment. Run after RunExamDay and RunTests.
func RunMarking(ctx context.Context, svcs *wire.Services, clk *clock.Manual, ava *auth.Principal, stage MarkingStage, progress func(string)) error {
	if progress == nil {
		progress = func(string) {}
	}
	return markExam(ctx, svcs, clk, ava, examyear.KindD1, stage, progress)
}

// markExam is RunMarking for exam (D1, D2 or an elective). Only D1 has the
// demo's named accounts, the drifting marker and the copying reports.
func markExam(ctx context.Context, svcs *wire.Services, clk *clock.Manual, ava *auth.Principal, exam string, stage MarkingStage, progress func(string)) error {
	y, err := svcs.Years.Active(ctx)
	if err != nil {
		return err
	}
	start, end, ok := y.Config.Sitting(examyear.SplitTest(exam))
	if !ok {
		return nil
	}
	isD1 := exam == examyear.KindD1
	svc := svcs.Marking
	if pr, err := svc.Progress(ctx, ava, y.Year, exam); err == nil && pr.Registered > 0 {
		return nil // run before: left as it is
	}
	// The day of the exam's afternoon as for an exam at 10:00, moved with
	// the sitting (the electives' afternoon sitting starts at 15:00).
	ten, _ := time.ParseInLocation("2006-01-02 15:04", start.In(clock.Tirana).Format("2006-01-02")+" 10:00", clock.Tirana)
	day := func(n int, hm string) time.Time {
		d := start.In(clock.Tirana).AddDate(0, 0, n)
		t, _ := time.ParseInLocation("2006-01-02 15:04", d.Format("2006-01-02")+" "+hm, clock.Tirana)
		if n == 0 {
			t = t.Add(start.Sub(ten))
		}
		return t
	}
	began := clock.StartTimer()
	// The scheme is published once the exam is over (Neni 57.5).
	clk.Set(end.Add(30 * time.Minute))
	if err := svc.PublishScheme(ctx, ava, y.Year, exam); err != nil {
		return fmt.Errorf("demo: publish the scheme: %w", err)
	}
	test, err := svc.TestOf(ctx, ava, y.Year, exam)
	if err != nil {
		return err
	}
	items := test.Items

	// Markers and leads, appointed by AVA's director (Neni 57.8) from the
	// Albanian teachers of the country; trained on calibration booklets
	// (Neni 57.11).
	clk.Set(day(0, "16:00"))
	markers, leads, err := appointMarkers(ctx, svcs, ava, y.Year, exam)
	if err != nil {
		return err
	}
	qualified, failed, err := trainMarkers(ctx, svcs, clk, ava, y.Year, exam, items, markers, day)
	if err != nil {
		return err
	}
	progress(fmt.Sprintf("Vlerësuesit e %s (Neni 57.8–57.11): %d të emëruar, %d përgjegjës; %d u kualifikuan në trajnim, %d jo (%.1fs)",
		examyear.TestLabel(exam), len(markers), len(leads), qualified, failed, began.Elapsed().Seconds()))

	// The booklets by code, and their pairs (Neni 57.13).
	began = clock.StartTimer()
	clk.Set(day(1, "08:00"))
	reg, err := svc.RegisterBooklets(ctx, ava, y.Year, exam)
	if err != nil {
		return fmt.Errorf("demo: register booklets: %w", err)
	}
	alloc, err := svc.Allocate(ctx, ava, y.Year, exam)
	if err != nil {
		return fmt.Errorf("demo: allocate: %w", err)
	}
	progress(fmt.Sprintf("Test-broshurat e %s: %d me kod (%d kalibrimi të futura pa u dalluar), secila te dy vlerësues nga %d (%.1fs)",
		examyear.TestLabel(exam), reg.Booklets, reg.Seeded, alloc.Markers, began.Elapsed().Seconds()))

	// Marking, day by day: each marker a share of their queue each day;
	// at the day's end the lead sends the booklets the two differ on to a
	// third marker (Neni 57.14), whose queue has them the next morning.
	began = clock.StartTimer()
	marked, reports, thirdsAll := 0, 0, 0
	for d := 1; d <= 8; d++ {
		left := 0
		for i, m := range markers {
			p := markerPrincipal(m, exam)
			q, err := svc.Queue(ctx, p, y.Year, exam)
			if err != nil {
				return fmt.Errorf("demo: queue of %s: %w", m.Username, err)
			}
			n := len(q.ToMark)
			if d < 4 {
				n = len(q.ToMark) / (5 - d) // the rest over the days left
			}
			var in []marking.MarkInput
			for _, e := range q.ToMark[:n] {
				ch, pts := markedBy(items, scriptOf(items, e.Code), m.Username, e.Code, isD1 && i == DriftingMarker && d >= 3)
				in = append(in, marking.MarkInput{Code: e.Code, Choices: ch, Points: pts})
			}
			left += len(q.ToMark) - n
			if len(in) == 0 {
				continue
			}
			clk.Set(day(d, "09:00").Add(time.Duration(i%360) * time.Minute))
			k, err := svc.MarkMany(ctx, p, y.Year, exam, in)
			if err != nil {
				return fmt.Errorf("demo: marks of %s: %w", m.Username, err)
			}
			marked += k
			// Now and then a marker reports a booklet as copied (Neni 57.15).
			if isD1 && d == 2 && i%61 == 3 && reports < 3 {
				if err := svc.ReportCopying(ctx, p, y.Year, exam, in[0].Code, "Ese pothuajse fjalë për fjalë e njëjtë me një tjetër të së njëjtës sallë."); err != nil {
					return fmt.Errorf("demo: copying report: %w", err)
				}
				reports++
			}
		}
		if stage == MarkingUnderway && d == 2 {
			break // the day's differences wait for the lead
		}
		clk.Set(day(d, "17:30"))
		thirds, err := svc.AssignThirdAll(ctx, leads[0], y.Year, exam)
		if err != nil {
			return fmt.Errorf("demo: third markers: %w", err)
		}
		thirdsAll += thirds
		if d >= 4 && left == 0 && thirds == 0 {
			break
		}
	}
	pr, err := svc.Progress(ctx, ava, y.Year, exam)
	if err != nil {
		return err
	}
	progress(fmt.Sprintf("Vlerësimi i %s (Neni 57.13–57.14): %d vlerësime; %d test-broshura (%d%%) te një vlerësues i tretë sepse dy të parët ndryshuan në pikët e një kërkese; %d përfundimtare, %d ende te i treti (%.1fs)",
		examyear.TestLabel(exam), marked, thirdsAll, 100*thirdsAll/max(1, reg.Booklets+reg.Seeded), pr.Final, pr.Third, began.Elapsed().Seconds()))
	if stage == MarkingUnderway {
		return nil
	}
	return oversee(ctx, svcs, clk, ava, y.Year, exam, items, markers, leads, day, progress)
}

func markerPrincipal(m marking.Marker, exam string) *auth.Principal {
	return &auth.Principal{Username: m.Username, FullName: m.FullName, Role: auth.RoleMarker, Subject: exam, StaffID: m.StaffID}
}

// drain marks whatever is in the markers' queues (booklets a monitor
// returned, thirds) until nothing waits; the lead assigns the thirds.
func drain(ctx context.Context, svcs *wire.Services, clk *clock.Manual, year int, exam string, items []marking.Item, markers []marking.Marker, lead *auth.Principal) (int, error) {
	marked := 0
	for range 6 {
		before := marked
		for _, m := range markers {
			p := markerPrincipal(m, exam)
			q, err := svcs.Marking.Queue(ctx, p, year, exam)
			if err != nil {
				return marked, err
			}
			var in []marking.MarkInput
			for _, e := range q.ToMark {
				ch, pts := markedBy(items, scriptOf(items, e.Code), m.Username, e.Code, false)
				in = append(in, marking.MarkInput{Code: e.Code, Choices: ch, Points: pts})
			}
			if len(in) == 0 {
				continue
			}
			k, err := svcs.Marking.MarkMany(ctx, p, year, exam, in)
			if err != nil {
				return marked, fmt.Errorf("demo: marks of %s: %w", m.Username, err)
			}
			marked += k
		}
		clk.Set(clk.Now().Add(time.Hour))
		n, err := svcs.Marking.AssignThirdAll(ctx, lead, year, exam)
		if err != nil {
			return marked, err
		}
		if n == 0 && marked == before {
			break // nothing was left to mark, and no new third
		}
	}
	return marked, nil
}

// OversightAccounts are the demo's accounts of marking's oversight (Neni
// 57.15–57.18); the demo acts as the first three.
var OversightAccounts = []auth.NewUser{
	{Username: "monitorues.d1", FullName: "Luljeta Prifti (monitoruese e MASH)", Role: auth.RoleMonitor, Subject: examyear.KindD1},
	{Username: "kopoted", FullName: "Petrit Rama (KOPOTED)", Role: auth.RoleKOPOTED},
	{Username: "mash", FullName: "Valbona Zeqiri (MASH)", Role: auth.RoleMASH},
	{Username: "vezhgues", FullName: "Artan Meta (Komiteti i Maturës Shtetërore)", Role: auth.RoleObserver},
}

var (
	demoMonitor = principalOf(OversightAccounts[0])
	demoKOPOTED = principalOf(OversightAccounts[1])
	demoMASH    = principalOf(OversightAccounts[2])
)

func principalOf(n auth.NewUser) *auth.Principal {
	return &auth.Principal{Username: n.Username, FullName: n.FullName, Role: n.Role, Subject: n.Subject}
}

// oversee runs the monitors' sample (one booklet sent back), KOPOTED's
// cases and MASH's decisions, and closes the marking of D1.
func oversee(ctx context.Context, svcs *wire.Services, clk *clock.Manual, ava *auth.Principal, year int, exam string, items []marking.Item,
	markers []marking.Marker, leads []*auth.Principal, day func(int, string) time.Time, progress func(string)) error {
	svc := svcs.Marking
	began := clock.StartTimer()
	clk.Set(day(5, "09:00"))
	monitor := demoMonitor
	if exam != examyear.KindD1 {
		monitor = &auth.Principal{Username: "monitorues." + strings.ToLower(exam), FullName: "Monitorues i MASH (" + exam + ")", Role: auth.RoleMonitor, Subject: exam}
	}
	draw, err := svc.DrawSample(ctx, monitor, year, exam)
	if err != nil {
		return fmt.Errorf("demo: monitors' sample: %w", err)
	}
	returned := 0
	for i, code := range draw.Codes {
		if i >= 40 {
			break // the monitors look at the rest in the following days
		}
		verdict, reason := "confirmed", ""
		if i == 7 && exam == examyear.KindD1 {
			verdict, reason = "returned", "Kërkesa 30 u vlerësua me 8 pikë, por eseja nuk ka argumente me shembuj (niveli 4 i skemës)."
			returned++
		}
		if err := svc.ReviewSample(ctx, monitor, year, exam, code, verdict, reason); err != nil {
			return fmt.Errorf("demo: monitor's verdict: %w", err)
		}
	}
	if _, err := drain(ctx, svcs, clk, year, exam, items, markers, leads[0]); err != nil {
		return err
	}
	// KOPOTED takes the reported booklets: two in one case found copied,
	// which MASH voids; the rest in a case found not copied.
	clk.Set(day(6, "10:00"))
	board, err := svc.CopyingBoard(ctx, demoKOPOTED, year, exam)
	if err != nil {
		return err
	}
	waiting := board.Waiting()
	voided := 0
	if len(waiting) > 0 {
		cut := min(2, len(waiting))
		groups := [][]string{waiting[:cut]}
		if len(waiting) > cut {
			groups = append(groups, waiting[cut:])
		}
		for g, codes := range groups {
			no, err := svc.OpenCase(ctx, demoKOPOTED, year, exam, codes)
			if err != nil {
				return fmt.Errorf("demo: KOPOTED case: %w", err)
			}
			finding, note, decision := "copied", "Tekste të njëjta në dy test-broshura të së njëjtës sallë; u krahasuan me kujdes.", "voided"
			if g == 1 {
				finding, note, decision = "not_copied", "Ngjashmëri e zakonshme me tekstin mësimor; nuk ka kopjim.", "stands"
			}
			clk.Set(day(6, "12:00"))
			if err := svc.RecordFinding(ctx, demoKOPOTED, year, exam, no, finding, note); err != nil {
				return fmt.Errorf("demo: KOPOTED finding: %w", err)
			}
			clk.Set(day(7, "11:00"))
			if err := svc.RecordDecision(ctx, demoMASH, year, exam, no, decision, fmt.Sprintf("Nr. %d/%d prot.", 410+g, year)); err != nil {
				return fmt.Errorf("demo: MASH decision: %w", err)
			}
			if decision == "voided" {
				voided += len(codes)
			}
		}
	}
	clk.Set(day(7, "15:00"))
	closed, err := svc.Close(ctx, ava, year, exam)
	if err != nil {
		return fmt.Errorf("demo: close the marking: %w", err)
	}
	progress(fmt.Sprintf("Monitorimi, KOPOTED dhe MASH (Neni 57.15–57.17): %d test-broshura në kampion, %d e kthyer për rivlerësim; %d të raportuara për kopjim, %d të anuluara nga MASH. Vlerësimi i %s u mbyll: %d test-broshura me pikë përfundimtare (%.1fs)",
		draw.Sampled, returned, len(waiting), voided, examyear.TestLabel(exam), closed.Booklets, began.Elapsed().Seconds()))
	return nil
}
