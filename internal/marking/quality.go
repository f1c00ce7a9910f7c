package marking

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"provim/internal/apperr"
	"provim/internal/auth"
	"provim/internal/clock"
	"provim/internal/store"
)

// Quality measured live (issue 14 item 7): per subject and per marker,
// the booklets marked, agreement with the other marker of the pair
// (exact agreement per item, mean absolute difference of totals,
// weighted kappa), how often the third marker sided with them, drift
// over the days, and the seeded calibration booklets (Neni 57.11). The
// lead is warned about a marker outside tolerance and may stop them.

// Thresholds of the warnings.
const (
	// qualityMinPaired is the least number of paired booklets before a
	// marker's agreement is compared with the subject's.
	qualityMinPaired = 5
	// qualityAgreementGap is how far (as a share) below the subject's
	// exact agreement a marker's is "far below".
	qualityAgreementGap = 0.15
	// qualityMinDay is the least number of paired booklets in a day
	// before its drift is judged.
	qualityMinDay = 3
)

// DayDiff is a marker's mean difference from their pair on one day
// (Tirana date of their markings).
type DayDiff struct {
	Day      string  `json:"day"` // YYYY-MM-DD
	Booklets int     `json:"booklets"`
	Mean     float64 `json:"mean_difference"`
}

// SeededScore is how a marker scored a seeded calibration booklet.
type SeededScore struct {
	Code   string `json:"code"`
	Agreed int    `json:"agreed_total"`
	Total  int    `json:"total"`
	Diff   int    `json:"difference"`
}

// MarkerQuality is one marker's figures.
type MarkerQuality struct {
	Username    string        `json:"username"`
	FullName    string        `json:"full_name"`
	Task        string        `json:"task"`
	Status      string        `json:"status"`
	Marked      int           `json:"marked"`    // markings submitted, every round
	Paired      int           `json:"paired"`    // booklets both of the pair marked
	Agreement   float64       `json:"agreement"` // share of items with equal points
	MeanAbsDiff float64       `json:"mean_abs_difference"`
	Kappa       float64       `json:"kappa"`
	Thirds      int           `json:"thirds"`     // their paired booklets a third marked
	SidedWith   int           `json:"sided_with"` // the third's total closer to theirs
	Drift       []DayDiff     `json:"drift"`
	Seeded      []SeededScore `json:"seeded"`
	SeededMean  float64       `json:"seeded_mean_abs_difference"`
	Warnings    []string      `json:"warnings"`
	// Stoppable: the caller may stop this marker from the board (a
	// flagged marker, not a lead, not stopped yet).
	Stoppable bool `json:"stoppable"`
}

// Flagged reports a marker the lead is warned about.
func (m MarkerQuality) Flagged() bool { return len(m.Warnings) > 0 }

// Quality is an exam's quality board.
type Quality struct {
	Year        int             `json:"year"`
	Exam        Exam            `json:"exam"`
	Tolerance   int             `json:"tolerance"`
	Booklets    int             `json:"booklets"`
	Final       int             `json:"final"`
	Third       int             `json:"third"` // waiting for or marked by a third marker
	Voided      int             `json:"voided"`
	Paired      int             `json:"paired"`
	Agreement   float64         `json:"agreement"`
	MeanAbsDiff float64         `json:"mean_abs_difference"`
	Kappa       float64         `json:"kappa"`
	Days        []string        `json:"days"`
	Markers     []MarkerQuality `json:"markers"`
	CanStop     bool            `json:"can_stop"`
	Closed      bool            `json:"closed"`
}

// mayWatchQuality: AVA, the observers, and the exam's lead.
func (s *Service) mayWatchQuality(ctx context.Context, p *auth.Principal, year int, exam string) (watch, stop bool, err error) {
	switch {
	case MayManage(p):
		return true, true, nil
	case MayObserve(p):
		return true, false, nil
	case MayMark(p):
		m, err := s.markerOf(ctx, p, year, exam)
		if apperr.Is(err, apperr.Forbidden) {
			return false, false, nil
		}
		if err != nil {
			return false, false, err
		}
		return m.Task == TaskLead, m.Task == TaskLead, nil
	}
	return false, false, nil
}

// qualityMarking is one submitted marking as the board reads it.
type qualityMarking struct {
	code, user, day string
	round, total    int
	points          []int
	seeded          int
	state           string
}

// tally gathers a marker's figures while the markings are read.
type tally struct {
	mine, other []int
	diffs       []int
	days        map[string][]int
}

func parsePoints(s string) ([]int, bool) {
	if s == "" {
		return nil, false
	}
	parts := strings.Split(s, ",")
	out := make([]int, len(parts))
	for i, p := range parts {
		v, err := strconv.Atoi(p)
		if err != nil {
			return nil, false
		}
		out[i] = v
	}
	return out, true
}

// tiranaDay is the Tirana date of a stored moment.
func tiranaDay(stored string) string {
	t, err := time.Parse(time.RFC3339, stored)
	if err != nil {
		return ""
	}
	return t.In(clock.Tirana).Format("2006-01-02")
}

// Quality is the exam's quality board, for AVA, the observers and the
// exam's lead (who, with AVA, may stop a marker).
func (s *Service) Quality(ctx context.Context, p *auth.Principal, year int, exam string) (Quality, error) {
	year, e, err := s.oversightExam(ctx, year, exam)
	if err != nil {
		return Quality{}, err
	}
	watch, stop, err := s.mayWatchQuality(ctx, p, year, e.Code)
	if err != nil {
		return Quality{}, err
	}
	if !watch {
		return Quality{}, apperr.New(apperr.Forbidden, "Cilësinë e vlerësimit të %s e shohin AVA, përgjegjësi i lëndës dhe vëzhguesit (Neni 57.18).", e.Label)
	}
	q := Quality{Year: year, Exam: e, CanStop: stop}
	if _, q.Tolerance, err = s.monitorSettings(ctx, year, e.Code); err != nil {
		return q, err
	}
	if q.Closed, err = s.Closed(ctx, year, e.Code); err != nil {
		return q, err
	}
	if q.CanStop && q.Closed {
		q.CanStop = false
	}
	db := s.db.Q(ctx)
	if err := db.QueryRowContext(ctx, `SELECT COUNT(*), COALESCE(SUM(CASE WHEN state = 'final' THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN state = 'third' OR final_round = 3 THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN state = 'voided' THEN 1 ELSE 0 END), 0)
		FROM marking_booklets WHERE year = $1 AND exam = $2 AND seeded = 0`, year, e.Code).Scan(&q.Booklets, &q.Final, &q.Third, &q.Voided); err != nil {
		return q, fmt.Errorf("marking: booklet counts: %w", err)
	}
	markers, err := store.Select(ctx, db, func(r store.Scanner) (m MarkerQuality, err error) {
		return m, r.Scan(&m.Username, &m.FullName, &m.Task, &m.Status)
	}, `SELECT username, full_name, task, status FROM marking_markers WHERE year = $1 AND exam = $2 ORDER BY full_name, username`, year, e.Code)
	if err != nil {
		return q, fmt.Errorf("marking: markers: %w", err)
	}
	agreed := map[int]int{}
	cal, err := store.Select(ctx, db, func(r store.Scanner) (c [2]int, err error) { return c, r.Scan(&c[0], &c[1]) },
		`SELECT no, total FROM marking_calibration WHERE year = $1 AND exam = $2 AND purpose = 'seeded'`, year, e.Code)
	if err != nil {
		return q, fmt.Errorf("marking: calibration: %w", err)
	}
	for _, c := range cal {
		agreed[c[0]] = c[1]
	}
	rows, err := store.Select(ctx, db, func(r store.Scanner) (m qualityMarking, err error) {
		var points, at string
		if err := r.Scan(&m.code, &m.round, &m.user, &points, &m.total, &at, &m.seeded, &m.state); err != nil {
			return m, err
		}
		m.points, _ = parsePoints(points)
		m.day = tiranaDay(at)
		return m, nil
	}, `SELECT a.code, a.round, a.username, a.points, a.total, a.submitted_at, b.seeded, b.state
		FROM marking_allocations a JOIN marking_booklets b ON b.year = a.year AND b.exam = a.exam AND b.code = a.code
		WHERE a.year = $1 AND a.exam = $2 AND a.submitted_at <> '' AND a.total >= 0 ORDER BY a.code, a.round`, year, e.Code)
	if err != nil {
		return q, fmt.Errorf("marking: markings: %w", err)
	}
	// Someone who marked and is no longer among the appointed still counts.
	known := map[string]bool{}
	for _, m := range markers {
		known[m.Username] = true
	}
	for _, m := range rows {
		if !known[m.user] {
			known[m.user] = true
			markers = append(markers, MarkerQuality{Username: m.user, FullName: m.user})
		}
	}
	byUser := map[string]*MarkerQuality{}
	for i := range markers {
		byUser[markers[i].Username] = &markers[i]
	}
	who := func(u string) *MarkerQuality { return byUser[u] }
	tallies := map[string]*tally{}
	tallyOf := func(u string) *tally {
		if t, ok := tallies[u]; ok {
			return t
		}
		t := &tally{days: map[string][]int{}}
		tallies[u] = t
		return t
	}
	var allA, allB, allDiffs []int
	days := map[string]bool{}
	for i := 0; i < len(rows); {
		j := i
		var r [4]*qualityMarking
		for ; j < len(rows) && rows[j].code == rows[i].code; j++ {
			if rows[j].round >= 1 && rows[j].round <= 3 {
				r[rows[j].round] = &rows[j]
			}
		}
		for k := i; k < j; k++ {
			m := &rows[k]
			mq := who(m.user)
			mq.Marked++
			if at, ok := agreed[m.seeded]; ok && m.seeded > 0 {
				mq.Seeded = append(mq.Seeded, SeededScore{Code: m.code, Agreed: at, Total: m.total, Diff: m.total - at})
			}
		}
		i = j
		a, b := r[1], r[2]
		if a == nil || b == nil || len(a.points) != len(b.points) || len(a.points) == 0 {
			continue
		}
		allA, allB = append(allA, a.points...), append(allB, b.points...)
		allDiffs = append(allDiffs, a.total-b.total)
		for _, side := range [][2]*qualityMarking{{a, b}, {b, a}} {
			me, other := side[0], side[1]
			mq, t := who(me.user), tallyOf(me.user)
			mq.Paired++
			t.mine, t.other = append(t.mine, me.points...), append(t.other, other.points...)
			t.diffs = append(t.diffs, me.total-other.total)
			if me.day != "" {
				t.days[me.day] = append(t.days[me.day], me.total-other.total)
				days[me.day] = true
			}
			if third := r[3]; third != nil {
				mq.Thirds++
				if abs(third.total-me.total) < abs(third.total-other.total) {
					mq.SidedWith++
				}
			}
		}
	}
	q.Paired = len(allDiffs)
	if ag, ok := Agreement(allA, allB); ok {
		q.Agreement = round2(ag)
	}
	if k, ok := WeightedKappa(allA, allB); ok {
		q.Kappa = round2(k)
	}
	q.MeanAbsDiff = round2(MeanAbs(allDiffs))
	for d := range days {
		q.Days = append(q.Days, d)
	}
	slices.Sort(q.Days)
	for i := range markers {
		m := &markers[i]
		if t := tallies[m.Username]; t != nil {
			if ag, ok := Agreement(t.mine, t.other); ok {
				m.Agreement = round2(ag)
			}
			if k, ok := WeightedKappa(t.mine, t.other); ok {
				m.Kappa = round2(k)
			}
			m.MeanAbsDiff = round2(MeanAbs(t.diffs))
			for _, d := range q.Days {
				if xs := t.days[d]; len(xs) > 0 {
					m.Drift = append(m.Drift, DayDiff{Day: d, Booklets: len(xs), Mean: round2(Mean(xs))})
				}
			}
		}
		diffs := make([]int, len(m.Seeded))
		for k, sc := range m.Seeded {
			diffs[k] = sc.Diff
		}
		m.SeededMean = round2(MeanAbs(diffs))
		m.Warnings = nonNil(qualityWarnings(*m, q))
		m.Drift, m.Seeded = nonNil(m.Drift), nonNil(m.Seeded)
		m.Stoppable = q.CanStop && m.Flagged() && m.Task == TaskMarker && m.Status != StatusStopped
	}
	q.Days = nonNil(q.Days)
	q.Markers = nonNil(markers)
	return q, nil
}

// qualityWarnings are the reasons the lead is warned about a marker: off
// the agreed marks of the seeded calibration booklets by more than the
// tolerance (Neni 57.11), exact agreement far below the subject's, or a
// last day's mean difference from the pair beyond the tolerance (drift).
func qualityWarnings(m MarkerQuality, q Quality) []string {
	var out []string
	tol := float64(q.Tolerance)
	if len(m.Seeded) > 0 && m.SeededMean > tol {
		out = append(out, fmt.Sprintf("Në test-broshurat e kalibrimit të futura në radhë shmanget mesatarisht %.1f pikë nga pikët e miratuara (toleranca %d pikë, Neni 57.11).", m.SeededMean, q.Tolerance))
	}
	if m.Paired >= qualityMinPaired && m.Agreement < q.Agreement-qualityAgreementGap {
		out = append(out, fmt.Sprintf("Përputhja e plotë me vlerësuesin tjetër është %.0f%%, ndërsa e lëndës %.0f%%.", m.Agreement*100, q.Agreement*100))
	}
	if n := len(m.Drift); n > 0 {
		last := m.Drift[n-1]
		if last.Booklets >= qualityMinDay && (last.Mean > tol || last.Mean < -tol) {
			out = append(out, fmt.Sprintf("Më %s jep mesatarisht %+.1f pikë ndaj vlerësuesit tjetër (toleranca %d pikë): vlerësimi i tij po rrëshqet.", dayLabel(last.Day), last.Mean, q.Tolerance))
		}
	}
	return out
}

// dayLabel writes YYYY-MM-DD as 02.01.2006.
func dayLabel(d string) string {
	t, err := time.Parse("2006-01-02", d)
	if err != nil {
		return d
	}
	return t.Format("02.01.2006")
}

// MayWatchQuality reports whether p reads the exam's quality board (AVA,
// the observers, the exam's lead); the index page asks it for its link.
func (s *Service) MayWatchQuality(ctx context.Context, p *auth.Principal, year int, exam string) bool {
	year, e, err := s.oversightExam(ctx, year, exam)
	if err != nil {
		return false
	}
	watch, _, err := s.mayWatchQuality(ctx, p, year, e.Code)
	return err == nil && watch
}

// StopFromQuality is the lead's (or AVA's) stop of a marker the quality
// board warned about, with a note: Part B's StopMarker (status
// 'stopped', no more booklets), asked from the board.
func (s *Service) StopFromQuality(ctx context.Context, p *auth.Principal, year int, exam, username, note string) error {
	year, e, err := s.oversightExam(ctx, year, exam)
	if err != nil {
		return err
	}
	_, stop, err := s.mayWatchQuality(ctx, p, year, e.Code)
	if err != nil {
		return err
	}
	if !stop {
		return apperr.New(apperr.Forbidden, "Një vlerësues e ndalojnë vetëm përgjegjësi i lëndës dhe AVA.")
	}
	return s.StopMarker(ctx, p, year, e.Code, strings.TrimSpace(username), note)
}
