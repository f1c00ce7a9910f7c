package demo

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"provim/internal/auth"
	"provim/internal/clock"
	"provim/internal/examyear"
	"provim/internal/marking"
	"provim/internal/registry"
	"provim/internal/wire"
)

// appointMarkers appoints MarkersD1 teachers of D1 spread over the
// country, the first LeadsD1 of them leads (Neni 57.7–57.8).
func appointMarkers(ctx context.Context, svcs *wire.Services, ava *auth.Principal, year int, test string) ([]marking.Marker, []*auth.Principal, error) {
	exam, _ := examyear.SplitTest(test) // the subject the teachers teach
	var teachers []registry.Staff
	for off := 0; ; off += registry.MaxLimit {
		page, _, err := svcs.Registry.ListStaff(ctx, ava, registry.StaffFilter{Position: "mesues", Page: registry.Page{Limit: registry.MaxLimit, Offset: off}})
		if err != nil {
			return nil, nil, err
		}
		for _, sf := range page {
			if sf.SchoolCode != "" && slices.Contains(strings.Split(sf.Subjects, ","), exam) {
				teachers = append(teachers, sf)
			}
		}
		if len(page) < registry.MaxLimit {
			break
		}
	}
	want, leadsN := markersFor(ctx, svcs, year, test)
	n := min(want, len(teachers))
	in := make([]marking.Appointment, 0, want)
	if n > 0 {
		step := float64(len(teachers)) / float64(n)
		for i := range n {
			a := marking.Appointment{StaffID: teachers[int(float64(i)*step)].ID, Task: marking.TaskMarker}
			if test == examyear.KindD1 {
				switch i {
				case 0:
					a.Username = DemoLead
				case LeadsD1:
					a.Username = DemoMarker
				}
			}
			in = append(in, a)
		}
	}
	// A subject the schools' registry has too few teachers of is marked
	// by university lecturers of it (Neni 57.7).
	for i := 0; len(in) < min(want, 6); i++ {
		birth := time.Date(1960+i%20, time.Month(1+i%12), 1+i%27, 0, 0, 0, 0, time.UTC)
		in = append(in, marking.Appointment{PersonalNo: registry.MakeNID(birth, []string{"M", "F"}[i%2], 700+i),
			FullName: person("pedagog/"+test, i), Institution: "Universiteti i Tiranës", Subjects: exam, Task: marking.TaskMarker})
	}
	for i := range min(leadsN, len(in)) {
		in[i].Task = marking.TaskLead
	}
	res, err := svcs.Marking.Appoint(ctx, ava, year, test, in)
	if err != nil {
		return nil, nil, fmt.Errorf("demo: appoint markers: %w", err)
	}
	var leads []*auth.Principal
	for _, m := range res.Markers {
		if m.Task == marking.TaskLead {
			leads = append(leads, markerPrincipal(m, test))
		}
	}
	return res.Markers, leads, nil
}

// trainMarkers adds three training booklets and DemoSeeded seeded ones
// (copies of the training scripts, each with a code of its own) with
// their agreed marks, and lets every marker mark the training booklets:
// careful markers land within the tolerance, one in forty does not
// (Neni 57.11).
func trainMarkers(ctx context.Context, svcs *wire.Services, clk *clock.Manual, ava *auth.Principal, year int, exam string, items []marking.Item,
	markers []marking.Marker, day func(int, string) time.Time) (qualified, failed int, err error) {
	svc := svcs.Marking
	var training, seeded []marking.CalibrationInput
	for i := range 3 {
		s := scriptOf(items, fmt.Sprintf("kalibrim-%d", i))
		training = append(training, marking.CalibrationInput{Choices: s.choices, Points: s.points})
	}
	for i := range seededFor(ctx, svcs, year, exam) {
		s := scriptOf(items, fmt.Sprintf("kalibrim-%d", i%3))
		seeded = append(seeded, marking.CalibrationInput{Choices: s.choices, Points: s.points})
	}
	if _, err := svc.AddCalibration(ctx, ava, year, exam, "training", training); err != nil {
		return 0, 0, fmt.Errorf("demo: training booklets: %w", err)
	}
	if _, err := svc.AddCalibration(ctx, ava, year, exam, "seeded", seeded); err != nil {
		return 0, 0, fmt.Errorf("demo: seeded booklets: %w", err)
	}
	for i, m := range markers {
		p := markerPrincipal(m, exam)
		clk.Set(day(0, "16:30").Add(time.Duration(i%90) * time.Minute))
		for no := 1; no <= len(training); no++ {
			s := script{choices: training[no-1].Choices, points: training[no-1].Points}
			ch, pts := markedBy(items, s, m.Username, fmt.Sprint("t", no), false)
			if i%40 == 39 { // off by more than the tolerance
				pts = offBy(items, pts, 4)
			}
			r, err := svc.MarkTraining(ctx, p, year, exam, no, ch, pts)
			if err != nil {
				return 0, 0, fmt.Errorf("demo: training of %s: %w", m.Username, err)
			}
			if r.Remaining == 0 {
				if r.Status == marking.StatusQualified {
					qualified++
				} else {
					failed++
				}
			}
		}
	}
	return qualified, failed, nil
}

// DemoSeeded is how many calibration booklets the demo seeds unseen into
// the live queues.
const DemoSeeded = 60

// seededFor is how many calibration booklets the demo seeds into the
// queues of test: DemoSeeded in the first session; in the second, whose
// tests are small, about one for every ten seated, at least three.
func seededFor(ctx context.Context, svcs *wire.Services, year int, test string) int {
	exam, session := examyear.SplitTest(test)
	if session == 1 {
		return DemoSeeded
	}
	seats, err := svcs.Venues.PlannedSeats(ctx, year, session, exam)
	if err != nil {
		seats = 0
	}
	return min(DemoSeeded, max(3, seats/10))
}

// markersFor is how many markers (and leads) the demo appoints for exam:
// D1's MarkersD1 and LeadsD1; for the others about one per 190 seated
// candidates, as for D1, at least 6, one lead per 30.
func markersFor(ctx context.Context, svcs *wire.Services, year int, test string) (int, int) {
	if test == examyear.KindD1 {
		return MarkersD1, LeadsD1
	}
	exam, session := examyear.SplitTest(test)
	seats, err := svcs.Venues.PlannedSeats(ctx, year, session, exam)
	if err != nil {
		seats = 0
	}
	n := max(6, min(MarkersD1, seats/190))
	return n, max(1, n/30)
}
