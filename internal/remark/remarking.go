package remark

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"provim/internal/apperr"
	"provim/internal/audit"
	"provim/internal/auth"
	"provim/internal/marking"
	"provim/internal/store"
)

// Re-marking by code (Neni 64 ¶3): "AVA ngre grupet e vlerësimit të
// testeve, me vlerësues të trajnuar. Rivlerësimi bëhet me të njëjtat
// rregulla e procedura si vlerësimi i testeve, duke vazhduar të jenë të
// sekretuara me barkode testet." Each forwarded booklet goes to two
// qualified markers of the subject drawn at random — never one of its
// original markers, never one of the schools whose candidates sat in its
// room (marking's rule, RemarkPool.Pick) — who each mark every item by
// code; where they differ on any item a third, assigned by AVA or the
// subject's lead, marks it and their marks stand (marking.Differ, Final).

// remarkKey is a re-marked booklet's id in the audit log (by code).
func remarkKey(year int, exam, code string) string { return fmt.Sprintf("%d-%s-%s", year, exam, code) }

// StartResult is what Start did.
type StartResult struct {
	Exam     string `json:"exam"`
	Booklets int    `json:"booklets"`
	Markers  int    `json:"markers"`
}

// Start forms the re-marking group of an exam: every request the KMSH
// forwarded gets its booklet's code and two re-markers (AVA).
func (s *Service) Start(ctx context.Context, by *auth.Principal, year int, exam string) (StartResult, error) {
	if !MayManage(by) {
		return StartResult{}, apperr.New(apperr.Forbidden, "Grupet e rivlerësimit i ngre AVA (Neni 64).")
	}
	y, err := s.yearOf(ctx, year)
	if err != nil {
		return StartResult{}, err
	}
	exam = NormExam(exam)
	res := StartResult{Exam: exam}
	err = s.db.InTx(ctx, func(ctx context.Context) error {
		if _, err := s.published(ctx, y.Year, exam); err != nil {
			return err
		}
		// Lock the forwarded requests: a second Start at once waits, then
		// finds them taken.
		if _, err := s.db.Q(ctx).ExecContext(ctx, `UPDATE remark_requests SET state = state WHERE year = $1 AND exam = $2 AND state = $3`, y.Year, exam, StateKMSH); err != nil {
			return fmt.Errorf("remark: lock: %w", err)
		}
		ids, err := store.Select(ctx, s.db.Q(ctx), func(r store.Scanner) (int64, error) {
			var id int64
			return id, r.Scan(&id)
		}, `SELECT student_id FROM remark_requests WHERE year = $1 AND exam = $2 AND state = $3 ORDER BY student_id`, y.Year, exam, StateKMSH)
		if err != nil {
			return fmt.Errorf("remark: forwarded: %w", err)
		}
		loads, err := s.loads(ctx, y.Year, exam)
		if err != nil {
			return err
		}
		// The booklets are assigned, written and audited in the order of
		// their codes, not of the candidates: rows and audit entries in
		// student order would line the codes up with the candidates
		// (Neni 59.3).
		type booklet struct {
			id   int64
			code string
		}
		booklets := make([]booklet, 0, len(ids))
		for _, id := range ids {
			code, ok, err := s.anonym.CodeOfStudent(ctx, y.Year, exam, id)
			if err != nil {
				return err
			}
			if !ok {
				return apperr.New(apperr.Conflict, "Lidhja e kodeve të provimit %s nuk është hapur: testi i një kërkese nuk gjendet sipas kodit (Neni 58).", exam)
			}
			booklets = append(booklets, booklet{id, code})
		}
		slices.SortFunc(booklets, func(a, b booklet) int { return strings.Compare(a.code, b.code) })
		now, used := s.stamp(ctx), map[string]bool{}
		for _, b := range booklets {
			id, code := b.id, b.code
			pool, err := s.marking.RemarkPoolOf(ctx, y.Year, exam, code)
			if err != nil {
				return err
			}
			var picked []string
			for range 2 {
				for i := range pool.Markers {
					pool.Markers[i].Load = loads[pool.Markers[i].Username]
				}
				m, ok := pool.Pick(picked...)
				if !ok {
					return apperr.New(apperr.Conflict, "Testi %s nuk ka dy vlerësues të trajnuar të lëndës që nuk e kanë vlerësuar më parë dhe nuk janë të shkollave të tij (Neni 57.13, 64).", marking.DisplayCode(code))
				}
				picked = append(picked, m.Username)
				loads[m.Username]++
				used[m.Username] = true
			}
			rows := [][]any{{y.Year, exam, code, 1, picked[0], by.Username, now}, {y.Year, exam, code, 2, picked[1], by.Username, now}}
			if err := store.Insert(ctx, "remark_markings", []string{"year", "exam", "code", "round", "username", "assigned_by", "assigned_at"}, rows); err != nil {
				return fmt.Errorf("remark: assign: %w", err)
			}
			if _, err := s.db.Q(ctx).ExecContext(ctx, `UPDATE remark_requests SET state = $1, code = $2, started_at = $3 WHERE year = $4 AND exam = $5 AND student_id = $6`,
				StateMarking, code, now, y.Year, exam, id); err != nil {
				return fmt.Errorf("remark: start: %w", err)
			}
			if err := audit.Add(ctx, by.Actor(), "remark.start", "remark_booklet", remarkKey(y.Year, exam, code), nil,
				map[string]any{"round1": picked[0], "round2": picked[1]}); err != nil {
				return err
			}
			res.Booklets++
		}
		res.Markers = len(used)
		return nil
	})
	return res, err
}

// loads counts the re-markings given to each marker of an exam.
func (s *Service) loads(ctx context.Context, year int, exam string) (map[string]int, error) {
	type ld struct {
		u string
		n int
	}
	rows, err := store.Select(ctx, s.db.Q(ctx), func(r store.Scanner) (ld, error) {
		var x ld
		return x, r.Scan(&x.u, &x.n)
	}, `SELECT username, COUNT(*) FROM remark_markings WHERE year = $1 AND exam = $2 GROUP BY username`, year, exam)
	if err != nil {
		return nil, fmt.Errorf("remark: loads: %w", err)
	}
	out := map[string]int{}
	for _, x := range rows {
		out[x.u] = x.n
	}
	return out, nil
}

// Remarking is one re-marking of a booklet as stored.
type Remarking struct {
	Round       int    `json:"round"`
	Username    string `json:"username"`
	Total       int    `json:"total"`
	SubmittedAt string `json:"submitted_at,omitempty"`
	choices     string
	points      string
}

func (s *Service) remarkings(ctx context.Context, year int, exam, code string) ([]Remarking, error) {
	out, err := store.Select(ctx, s.db.Q(ctx), func(r store.Scanner) (Remarking, error) {
		var m Remarking
		return m, r.Scan(&m.Round, &m.Username, &m.choices, &m.points, &m.Total, &m.SubmittedAt)
	}, `SELECT round, username, choices, points, total, submitted_at FROM remark_markings WHERE year = $1 AND exam = $2 AND code = $3 ORDER BY round`, year, exam, code)
	if err != nil {
		return nil, fmt.Errorf("remark: markings of %s: %w", code, err)
	}
	return out, nil
}

// marks decodes a submitted re-marking; nil when not submitted.
func (m Remarking) marks(n int) (*marking.Marks, error) {
	if m.SubmittedAt == "" {
		return nil, nil
	}
	mk := marking.Marks{Choices: make([]string, n), Points: make([]int, n)}
	ps := strings.Split(m.points, ",")
	if len(ps) != n {
		return nil, fmt.Errorf("remark: %d points for %d items", len(ps), n)
	}
	for i, p := range ps {
		v, err := strconv.Atoi(p)
		if err != nil {
			return nil, fmt.Errorf("remark: points: %w", err)
		}
		mk.Points[i] = v
	}
	if cs := strings.Split(m.choices, ","); len(cs) == n {
		copy(mk.Choices, cs)
	}
	return &mk, nil
}

func encode(mk marking.Marks) (choices, points string) {
	ps := make([]string, len(mk.Points))
	for i, p := range mk.Points {
		ps[i] = strconv.Itoa(p)
	}
	return strings.Join(mk.Choices, ","), strings.Join(ps, ",")
}

// settle is the state a booklet's re-markings give it (marking.Final):
// marked when the two agree on every item or the third has marked, third
// when the two differ, else still marking; with the final total.
func settle(rs []Remarking, n int) (state string, total, round int, err error) {
	var got [4]*marking.Marks
	for _, r := range rs {
		if got[r.Round], err = r.marks(n); err != nil {
			return "", 0, 0, err
		}
	}
	if m, rd, ok := marking.Final(got[1], got[2], got[3]); ok {
		return StateMarked, m.Total(), rd, nil
	}
	if got[1] != nil && got[2] != nil {
		return StateThird, -1, 0, nil
	}
	return StateMarking, -1, 0, nil
}
