package demo

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"time"

	"provim/internal/apperr"
	"provim/internal/auth"
	"provim/internal/clock"
	"provim/internal/examyear"
	"provim/internal/marking"
	"provim/internal/remark"
	"provim/internal/wire"
)

// RemarkShare is the share of an exam's candidates the demo has ask for a
// re-marking (one in RemarkShare), at most RemarkMax per exam.
const (
	RemarkShare = 25
	RemarkMax   = 40
)

// RunRemarks takes re-marking requests (a few hundred over the session)
// of every published exam through to their final results (issue 15 item 5, Neni 64): on day
// 1 after the publication candidates file online (one in four on paper
// at the school); on day 5 the schools forward them, on day 6 the KMSH
// refuses the few with a bad receipt and forwards the rest; on day 8 AVA
// forms the group (two of the demo's trained markers per booklet, never
// an original marker nor one of its schools), the markers re-mark by code
// — most confirm the marks, one booklet in four earns more points, one in
// ten splits the two and goes to a third — and on day 15 AVA sends the
// results, which become final (grades follow). Steps already done are
// skipped, so running it again changes nothing.
func RunRemarks(ctx context.Context, svcs *wire.Services, clk *clock.Manual, ava *auth.Principal, progress func(string)) error {
	if progress == nil {
		progress = func(string) {}
	}
	y, err := svcs.Years.Active(ctx)
	if err != nil {
		return err
	}
	exams := []string{examyear.KindD1}
	more, err := SessionExams(ctx, svcs, y.Config)
	if err != nil {
		return err
	}
	exams = append(exams, more...)
	type event struct {
		at   time.Time
		exam string
		step int
	}
	var evs []event
	for _, exam := range exams {
		pub, ok, err := svcs.Results.PublishedAt(ctx, y.Year, exam)
		if err != nil {
			return err
		}
		if !ok {
			continue
		}
		p := pub.In(clock.Tirana)
		day := func(n, hour int) time.Time {
			return time.Date(p.Year(), p.Month(), p.Day()+n, hour, 0, 0, 0, clock.Tirana)
		}
		for i, at := range []time.Time{day(1, 9), day(5, 11), day(6, 11), day(8, 9), day(15, 10)} {
			evs = append(evs, event{at, exam, i})
		}
	}
	sort.SliceStable(evs, func(i, j int) bool { return evs[i].at.Before(evs[j].at) })
	for _, e := range evs {
		if clk.Now().After(e.at.Add(4 * 24 * time.Hour)) {
			continue // long past: done in an earlier run
		}
		if clk.Now().Before(e.at) {
			clk.Set(e.at)
		}
		var err error
		switch e.step {
		case 0:
			err = fileRemarks(ctx, svcs, clk, y.Year, e.exam, progress)
		case 1:
			err = forwardRemarks(ctx, svcs, y.Year, e.exam, false, progress)
		case 2:
			err = forwardRemarks(ctx, svcs, y.Year, e.exam, true, progress)
		case 3:
			err = remarkExam(ctx, svcs, clk, ava, y.Year, e.exam, progress)
		case 4:
			var res remark.SendResult
			res, err = svcs.Remark.Send(ctx, ava, y.Year, e.exam, "")
			if err == nil {
				progress(fmt.Sprintf("Rivlerësimi i %s: AVA dërgoi më %s (dita %d) %d rezultate, %d me pikë të ndryshuara, %d me notë a kalim të ndryshuar; janë përfundimtare (Neni 64).",
					e.exam, clock.Format(clk.Now()), res.Day, res.Sent, res.Changed, res.Grades))
			}
		}
		if apperr.Is(err, apperr.Conflict) {
			continue // done before, or nothing to do
		}
		if err != nil {
			return fmt.Errorf("demo: re-marking of %s: %w", e.exam, err)
		}
	}
	return nil
}

// fileRemarks files the requests of an exam on day 1 (of the 4 days of
// Neni 64), one in four on paper by the school.
func fileRemarks(ctx context.Context, svcs *wire.Services, clk *clock.Manual, year int, exam string, progress func(string)) error {
	links, err := svcs.Anonym.OpenedLinks(ctx, year, exam)
	if err != nil {
		return err
	}
	var ids []int64
	for i, l := range links {
		if i%RemarkShare == 7 && len(ids) < RemarkMax {
			ids = append(ids, l.StudentID)
		}
	}
	places, err := svcs.Registry.StudentPlaces(ctx, ids)
	if err != nil {
		return err
	}
	regs, err := svcs.Applications.FinalRegNos(ctx, year, exam, ids)
	if err != nil {
		return err
	}
	start := clk.Now()
	online, paper := 0, 0
	for i, id := range ids {
		// Within the hour, never later: the exams are published a few
		// days apart, several file on one day, and the next exam's steps
		// (each within its own days of Neni 64) follow on the same clock.
		clk.Set(start.Add(time.Duration(i*60/len(ids)) * time.Minute))
		receipt := fmt.Sprintf("MA-%d-%06d", year, i+1)
		var err error
		if i%4 == 1 {
			school := &auth.Principal{Username: "kshmsh." + places[id].School, FullName: "KSHMSH " + places[id].School, Role: auth.RoleKSHMSH, School: places[id].School}
			_, err = svcs.Remark.FileOnPaper(ctx, school, year, exam, regs[id], receipt)
			paper++
		} else {
			_, err = svcs.Remark.File(ctx, &auth.Principal{Username: "nxenes." + regs[id], Role: auth.RoleStudent, StudentID: id}, year, exam, receipt)
			online++
		}
		if err != nil && !apperr.Is(err, apperr.Conflict) && !apperr.Is(err, apperr.NotFound) {
			return err
		}
	}
	clk.Set(start.Add(time.Hour))
	progress(fmt.Sprintf("Rivlerësimi i %s: %d kërkesa brenda 4 ditëve nga shpallja, %d në internet e %d në letër në shkollë.", exam, online+paper, online, paper))
	return nil
}

// forwardRemarks is the schools' forwarding (day 5) or the KMSH's review
// and forwarding (day 6), one request in twenty refused for its receipt.
func forwardRemarks(ctx context.Context, svcs *wire.Services, year int, exam string, kmsh bool, progress func(string)) error {
	links, err := svcs.Anonym.OpenedLinks(ctx, year, exam)
	if err != nil {
		return err
	}
	ids := make([]int64, len(links))
	for i, l := range links {
		ids[i] = l.StudentID
	}
	places, err := svcs.Registry.StudentPlaces(ctx, ids)
	if err != nil {
		return err
	}
	var scopes []string
	for _, pl := range places {
		s := pl.School
		if kmsh {
			s = pl.Unit
		}
		if !slices.Contains(scopes, s) {
			scopes = append(scopes, s)
		}
	}
	slices.Sort(scopes)
	moved, refused := 0, 0
	for _, sc := range scopes {
		p := &auth.Principal{Username: "kshmsh." + sc, FullName: "KSHMSH " + sc, Role: auth.RoleKSHMSH, School: sc}
		if kmsh {
			p = &auth.Principal{Username: "kmsh." + sc, FullName: "KMSH " + sc, Role: auth.RoleKMSH, Unit: sc}
			_, list, err := svcs.Remark.Requests(ctx, p, year, exam)
			if err != nil {
				return err
			}
			for i, r := range list {
				if r.State == remark.StateSchool && i%20 == 3 {
					if _, err := svcs.Remark.Refuse(ctx, p, year, exam, r.RegNo, "Mandat-arkëtimi nuk përputhet me pagesën e tarifës në bankë"); err != nil {
						return err
					}
					refused++
				}
			}
		}
		res, err := svcs.Remark.Forward(ctx, p, year, exam)
		if err != nil {
			return err
		}
		moved += res.Forwarded
	}
	if kmsh {
		progress(fmt.Sprintf("Rivlerësimi i %s: KMSH-të përcollën te AVA %d kërkesa dhe refuzuan %d për mandatin (dita 6, Neni 64).", exam, moved, refused))
	} else {
		progress(fmt.Sprintf("Rivlerësimi i %s: shkollat përcollën te KMSH %d kërkesa (dita 5, Neni 64).", exam, moved))
	}
	return nil
}

// remarkExam forms the group and has the re-markers mark by code; the
// thirds follow.
func remarkExam(ctx context.Context, svcs *wire.Services, clk *clock.Manual, ava *auth.Principal, year int, exam string, progress func(string)) error {
	st, err := svcs.Remark.Start(ctx, ava, year, exam)
	if err != nil {
		return err
	}
	rows, err := svcs.Marking.Markers(ctx, ava, year, exam)
	if err != nil {
		return err
	}
	_, cases, _, err := svcs.Remark.Cases(ctx, ava, year, exam)
	if err != nil {
		return err
	}
	first := map[string]string{} // code → its first re-marker
	for _, c := range cases {
		for _, m := range c.Markings {
			if m.Round == 1 {
				first[c.Code] = m.Username
			}
		}
	}
	marked, n := 0, 0
	for round := range 2 {
		// An hour a round, within the day: the other exams' steps (each
		// within its own days of Neni 64) follow on the same clock.
		clk.Set(clk.Now().Add(time.Hour))
		for _, m := range rows {
			p := markerPrincipal(m.Marker, exam)
			_, queue, _, err := svcs.Remark.Queue(ctx, p, year)
			if err != nil {
				return err
			}
			for _, q := range queue {
				if q.Exam != exam {
					continue
				}
				b, err := svcs.Remark.BookletFor(ctx, p, year, exam, q.Code)
				if err != nil {
					return err
				}
				pool, err := svcs.Marking.RemarkPoolOf(ctx, year, exam, q.Code)
				if err != nil {
					return err
				}
				ch, pts := remarkedBy(b.Items, pool.OriginalItems, q.Code, first[q.Code] == p.Username || round == 1)
				if _, err := svcs.Remark.Mark(ctx, p, year, exam, q.Code, ch, pts); err != nil {
					return fmt.Errorf("re-marks of %s: %w", p.Username, err)
				}
				marked++
			}
		}
		if round == 0 {
			_, cases, _, err := svcs.Remark.Cases(ctx, ava, year, exam)
			if err != nil {
				return err
			}
			for _, c := range cases {
				if c.State == remark.StateThird {
					if _, err := svcs.Remark.AssignThird(ctx, ava, year, exam, c.Code, ""); err != nil {
						return err
					}
					n++
				}
			}
		}
	}
	progress(fmt.Sprintf("Rivlerësimi i %s: %d teste te %d vlerësues të trajnuar, %d rivlerësime, %d te vlerësuesi i tretë (Neni 64, 57.14).", exam, st.Booklets, st.Markers, marked, n))
	return nil
}

// remarkedBy is a re-marker's marks of a booklet: the original points,
// except on one booklet in four (sum of the code's letters), where both
// re-markers find two points more on the open items, and one in ten,
// where only the first does, which the third confirms.
func remarkedBy(items []marking.Item, original []int, code string, firstOrThird bool) ([]string, []int) {
	h := 0
	for _, r := range code {
		h += int(r)
	}
	pts := make([]int, len(items))
	copy(pts, original)
	more := h%4 == 0
	if h%10 == 3 && firstOrThird {
		more = true
	}
	if more {
		add := 2
		for i := range items {
			if items[i].Kind != marking.KindChoice && add > 0 {
				d := min(add, items[i].MaxPoints-pts[i])
				if l := levelPoints(items[i]); len(l) > 0 {
					d = 0
					for _, v := range l {
						if v > pts[i] && v-pts[i] <= add {
							d = v - pts[i]
						}
					}
				}
				pts[i] += d
				add -= d
			}
		}
	}
	ch := make([]string, len(items))
	for i, it := range items {
		if it.Kind == marking.KindChoice {
			if pts[i] >= it.MaxPoints {
				ch[i] = it.Key
			}
			pts[i] = 0
		}
	}
	return ch, pts
}
