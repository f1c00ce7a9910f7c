package marking

import (
	"context"
	crand "crypto/rand"
	"fmt"
	"math/rand/v2"
	"slices"

	"provim/internal/apperr"
	"provim/internal/audit"
	"provim/internal/auth"
	"provim/internal/store"
)

// Allocation (Neni 57.13): every booklet goes to two different qualified
// markers of the subject, drawn at random among those with the lightest
// load, never a marker of one of the booklet's schools.

// AllocateResult is what Allocate did: the booklets given their pair and
// the markers they went to.
type AllocateResult struct {
	Booklets int `json:"booklets"`
	Markers  int `json:"markers"`
}

// eligible is a marker who may be given booklets, with their load.
type eligible struct {
	Username string
	FullName string
	School   string
	Load     int
}

// eligibleMarkers lists the qualified markers (and leads) of an exam with
// the markings they have been given (open is true: only those not yet
// submitted count), by username.
func (s *Service) eligibleMarkers(ctx context.Context, year int, exam string, open bool) ([]eligible, error) {
	cond := ""
	if open {
		cond = " AND a.submitted_at = ''"
	}
	out, err := store.Select(ctx, s.db.Q(ctx), func(r store.Scanner) (eligible, error) {
		var m eligible
		return m, r.Scan(&m.Username, &m.FullName, &m.School, &m.Load)
	}, `SELECT m.username, m.full_name, m.school_code,
		(SELECT COUNT(*) FROM marking_allocations a WHERE a.year = m.year AND a.exam = m.exam AND a.username = m.username`+cond+`)
		FROM marking_markers m WHERE m.year = $1 AND m.exam = $2 AND m.status = 'qualified' ORDER BY m.username`, year, exam)
	if err != nil {
		return nil, fmt.Errorf("marking: eligible markers: %w", err)
	}
	return out, nil
}

// newRand is a generator seeded from crypto/rand.
func newRand() *rand.Rand {
	var seed [32]byte
	if _, err := crand.Read(seed[:]); err != nil {
		panic(err) // crypto/rand does not fail on supported systems
	}
	return rand.New(rand.NewChaCha8(seed))
}

// pick chooses at random, among the markers allowed for a booklet (not
// of its schools, not in skip), one of those with the lightest load; -1
// when none is allowed.
func pick(rng *rand.Rand, ms []eligible, schools []string, skip ...string) int {
	best, ties := -1, 0
	for i := range ms {
		m := &ms[i]
		if slices.Contains(skip, m.Username) || (m.School != "" && slices.Contains(schools, m.School)) {
			continue
		}
		switch {
		case best < 0 || m.Load < ms[best].Load:
			best, ties = i, 1
		case m.Load == ms[best].Load:
			ties++
			if rng.IntN(ties) == 0 {
				best = i
			}
		}
	}
	return best
}

// Allocate gives every registered booklet without its two markings a
// pair of different qualified markers at random (Neni 57.13), balanced
// so that the loads differ by at most a booklet or two, and never a
// marker of the booklet's schools. The seeded calibration booklets go
// into the queues the same way. AVA or the subject's lead allocates.
func (s *Service) Allocate(ctx context.Context, by *auth.Principal, year int, exam string) (AllocateResult, error) {
	year, e, err := s.markExam(ctx, year, exam)
	if err != nil {
		return AllocateResult{}, err
	}
	if err := s.mayLead(ctx, by, year, e.Code); err != nil {
		return AllocateResult{}, err
	}
	var res AllocateResult
	err = s.db.InTx(ctx, func(ctx context.Context) error {
		if err := s.openForMarking(ctx, year, e.Code); err != nil {
			return err
		}
		ms, err := s.eligibleMarkers(ctx, year, e.Code, false)
		if err != nil {
			return err
		}
		if len(ms) < 2 {
			return apperr.New(apperr.Conflict, "Testet e provimit %s nuk ndahen: duhen të paktën dy vlerësues të kualifikuar, ka %d (Neni 57.13).", e.Label, len(ms))
		}
		var leads int
		if err := s.db.Q(ctx).QueryRowContext(ctx, `SELECT COUNT(*) FROM marking_markers WHERE year = $1 AND exam = $2 AND task = 'lead' AND status <> 'stopped'`,
			year, e.Code).Scan(&leads); err != nil {
			return fmt.Errorf("marking: leads: %w", err)
		}
		if leads == 0 {
			return apperr.New(apperr.Conflict, "Testet e provimit %s nuk ndahen: lënda nuk ka ende përgjegjës të vlerësuesve, që cakton vlerësuesin e tretë (Neni 57.8, 57.14).", e.Label)
		}
		type need struct {
			code    string
			schools []string
			have    []string // the markers of rounds 1–2 already given
			rounds  []int    // the rounds missing
		}
		type row struct {
			code, schools, user string
			round               int
		}
		rs, err := store.Select(ctx, s.db.Q(ctx), func(r store.Scanner) (row, error) {
			var x row
			return x, r.Scan(&x.code, &x.schools, &x.round, &x.user)
		}, `SELECT b.code, b.schools, COALESCE(a.round, 0), COALESCE(a.username, '') FROM marking_booklets b
			LEFT JOIN marking_allocations a ON a.year = b.year AND a.exam = b.exam AND a.code = b.code AND a.round IN (1, 2)
			WHERE b.year = $1 AND b.exam = $2 AND b.state = 'open' ORDER BY b.code`, year, e.Code)
		if err != nil {
			return fmt.Errorf("marking: booklets to allocate: %w", err)
		}
		var needs []need
		for i := 0; i < len(rs); {
			j := i
			n := need{code: rs[i].code, schools: splitList(rs[i].schools)}
			got := map[int]bool{}
			for ; j < len(rs) && rs[j].code == rs[i].code; j++ {
				if rs[j].round > 0 {
					got[rs[j].round] = true
					n.have = append(n.have, rs[j].user)
				}
			}
			for _, r := range []int{1, 2} {
				if !got[r] {
					n.rounds = append(n.rounds, r)
				}
			}
			if len(n.rounds) > 0 {
				needs = append(needs, n)
			}
			i = j
		}
		rng := newRand()
		rng.Shuffle(len(needs), func(i, j int) { needs[i], needs[j] = needs[j], needs[i] })
		now := s.stamp(ctx)
		var out [][]any
		used := map[string]bool{}
		for _, n := range needs {
			skip := n.have
			for _, r := range n.rounds {
				k := pick(rng, ms, n.schools, skip...)
				if k < 0 {
					return apperr.New(apperr.Conflict, "Testi %s nuk ka dy vlerësues të kualifikuar që nuk janë të shkollave të tij (Neni 57.13).", displayCode(n.code))
				}
				ms[k].Load++
				used[ms[k].Username] = true
				skip = append(slices.Clip(skip), ms[k].Username)
				out = append(out, []any{year, e.Code, n.code, r, ms[k].Username, by.Username, now})
			}
		}
		res = AllocateResult{Booklets: len(needs), Markers: len(used)}
		if len(out) == 0 {
			return nil
		}
		if err := store.Insert(ctx, "marking_allocations", []string{"year", "exam", "code", "round", "username", "allocated_by", "allocated_at"}, out); err != nil {
			return fmt.Errorf("marking: allocate: %w", err)
		}
		return audit.Add(ctx, by.Actor(), "marking.allocate", "marking_exam", testKey(year, e.Code), nil,
			map[string]any{"booklets": res.Booklets, "markings": len(out), "markers": res.Markers})
	})
	if err != nil {
		return res, err
	}
	// The queues are read by marker: the planner needs the new counts. On
	// SQLite sampled (analysis_limit): a full ANALYZE reads every marking
	// of every exam again after each exam's allocation.
	tables := []string{"marking_allocations", "marking_booklets"}
	if s.db.Dialect == store.Postgres {
		return res, s.db.AnalyzeTables(ctx, tables...)
	}
	return res, s.db.InTx(ctx, func(ctx context.Context) error {
		if _, err := s.db.Q(ctx).ExecContext(ctx, `PRAGMA analysis_limit = 2000`); err != nil {
			return err
		}
		if err := s.db.AnalyzeTables(ctx, tables...); err != nil {
			return err
		}
		_, err := s.db.Q(ctx).ExecContext(ctx, `PRAGMA analysis_limit = 0`)
		return err
	})
}
