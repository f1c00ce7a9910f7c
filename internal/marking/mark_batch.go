package marking

import (
	"context"
	"fmt"
	"strings"

	"provim/internal/audit"
	"provim/internal/auth"
	"provim/internal/store"
)

// MarkMany stores a batch of p's markings in one transaction (a marker's
// day sent at once, the demo, the load test), all or nothing, exactly as
// as many calls of Mark would: the same checks, signatures, states and
// audit entries. It reads the batch's booklets and markings in a few
// queries instead of several per booklet. It returns how many were
// stored.
func (s *Service) MarkMany(ctx context.Context, p *auth.Principal, year int, exam string, in []MarkInput) (int, error) {
	year, e, err := s.markExam(ctx, year, exam)
	if err != nil {
		return 0, err
	}
	n := 0
	err = s.db.InTx(ctx, func(ctx context.Context) error {
		n = 0
		items, err := s.markPrelude(ctx, p, year, e.Code)
		if err != nil {
			return err
		}
		codes := make([]string, 0, len(in))
		seen := map[string]bool{}
		for _, x := range in {
			c := normCode(x.Code)
			if !seen[c] {
				seen[c] = true
				codes = append(codes, c)
			}
		}
		books, marks, err := s.batchOf(ctx, year, e.Code, codes)
		if err != nil {
			return err
		}
		now := s.stamp(ctx)
		stored := map[string]storedMarking{} // by code/round, the last of the batch
		var order []string
		entries := make([]map[string]any, 0, len(in))
		changed := map[string]bool{}
		for _, x := range in {
			code := normCode(x.Code)
			b, ok := books[code]
			if !ok {
				return notFoundBooklet(code)
			}
			as := marks[code]
			a, err := mine(as, p.Username, code)
			if err != nil {
				return err
			}
			if err := markable(b, a); err != nil {
				return err
			}
			mk, err := Score(items, x.Choices, x.Points)
			if err != nil {
				return err
			}
			cs, ps := mk.encode()
			key := fmt.Sprintf("%s/%d", code, a.Round)
			if _, ok := stored[key]; !ok {
				order = append(order, key)
			}
			stored[key] = storedMarking{code: code, round: a.Round, choices: cs, points: ps, total: mk.Total()}
			for i := range as {
				if as[i].Round == a.Round {
					as[i].Choices, as[i].Points = mk.encode()
					as[i].Total, as[i].SubmittedAt, as[i].Source, as[i].Returned = mk.Total(), now, "screen", ""
				}
			}
			state, points, round, err := bookletState(b, as, len(items))
			if err != nil {
				return err
			}
			if state != b.State || points != b.FinalPoints || round != b.FinalRound {
				b.State, b.FinalPoints, b.FinalRound = state, points, round
				books[code] = b
				changed[code] = true
			}
			entry := map[string]any{"code": code, "round": a.Round, "total": mk.Total()}
			if a.SubmittedAt != "" {
				entry["before"] = map[string]any{"total": a.Total, "submitted_at": a.SubmittedAt}
			}
			entries = append(entries, entry)
			n++
		}
		writes := make([]storedMarking, len(order))
		for i, k := range order {
			writes[i] = stored[k]
		}
		if err := s.storeMany(ctx, year, e.Code, writes, now); err != nil {
			return err
		}
		var settled []booklet
		for _, code := range codes {
			if changed[code] {
				settled = append(settled, books[code])
			}
		}
		if err := s.settleMany(ctx, year, e.Code, settled); err != nil {
			return err
		}
		// One entry for the batch (Neni 57.10: the marker's signature on
		// every test): the marker is its actor, the moment its time (the
		// markings' submitted_at), and it names every marking — the code,
		// the round, the points and what a marking again replaced.
		return audit.Add(ctx, p.Actor(), "marking.mark", "marking_batch", markerKey(year, e.Code, p.Username), nil,
			map[string]any{"source": "screen", "markings": entries})
	})
	if err != nil {
		return 0, err
	}
	return n, nil
}

// batchOf reads, for the codes of a batch, their booklets (locked for the
// transaction, in code order, as lockBooklet locks one) and markings.
func (s *Service) batchOf(ctx context.Context, year int, exam string, codes []string) (map[string]booklet, map[string][]allocation, error) {
	books := make(map[string]booklet, len(codes))
	marks := make(map[string][]allocation, len(codes))
	lock := ""
	if s.db.Dialect == store.Postgres {
		lock = " ORDER BY code FOR UPDATE"
	}
	for _, part := range store.Chunks(codes, 0) {
		args := append([]any{year, exam}, store.Args(part)...)
		in := store.Placeholders(3, len(part))
		bs, err := store.Select(ctx, s.db.Q(ctx), func(r store.Scanner) (booklet, error) {
			var b booklet
			var sc string
			err := r.Scan(&b.Code, &b.Seeded, &sc, &b.State, &b.FinalPoints, &b.FinalRound)
			b.Schools = splitList(sc)
			return b, err
		}, `SELECT code, seeded, schools, state, final_points, final_round FROM marking_booklets WHERE year = $1 AND exam = $2 AND code IN (`+in+`)`+lock, args...)
		if err != nil {
			return nil, nil, fmt.Errorf("marking: booklets of a batch: %w", err)
		}
		for _, b := range bs {
			books[b.Code] = b
		}
		type codeAllocation struct {
			code string
			a    allocation
		}
		as, err := store.Select(ctx, s.db.Q(ctx), func(r store.Scanner) (codeAllocation, error) {
			var x codeAllocation
			return x, r.Scan(&x.code, &x.a.Round, &x.a.Username, &x.a.Choices, &x.a.Points, &x.a.Total, &x.a.SubmittedAt, &x.a.Source, &x.a.Returned)
		}, `SELECT code, round, username, choices, points, total, submitted_at, source, returned_reason FROM marking_allocations
			WHERE year = $1 AND exam = $2 AND code IN (`+in+`) ORDER BY code, round`, args...)
		if err != nil {
			return nil, nil, fmt.Errorf("marking: markings of a batch: %w", err)
		}
		for _, x := range as {
			marks[x.code] = append(marks[x.code], x.a)
		}
	}
	return books, marks, nil
}

// storedMarking is one marking of a batch as it is written.
type storedMarking struct {
	code, choices, points string
	round, total          int
}

// storeMany writes a batch's markings, signed at one moment from the
// screen: on PostgreSQL one UPDATE … FROM (VALUES …) per thousand (a
// statement each would be a round trip each), on SQLite a prepared
// statement each (cheaper there than a join with a VALUES list).
func (s *Service) storeMany(ctx context.Context, year int, exam string, marks []storedMarking, at string) error {
	if s.db.Dialect != store.Postgres {
		for _, m := range marks {
			if _, err := s.db.Q(ctx).ExecContext(ctx, `UPDATE marking_allocations SET choices = $1, points = $2, total = $3, submitted_at = $4, source = 'screen', returned_reason = ''
				WHERE year = $5 AND exam = $6 AND code = $7 AND round = $8`, m.choices, m.points, m.total, at, year, exam, m.code, m.round); err != nil {
				return fmt.Errorf("marking: mark %s: %w", m.code, err)
			}
		}
		return nil
	}
	for _, part := range store.Chunks(marks, 1000) {
		args := []any{year, exam, at}
		rows := make([]string, len(part))
		for i, m := range part {
			n := len(args)
			rows[i] = fmt.Sprintf("($%d::text, $%d::int, $%d::text, $%d::text, $%d::int)", n+1, n+2, n+3, n+4, n+5)
			args = append(args, m.code, m.round, m.choices, m.points, m.total)
		}
		if _, err := s.db.Q(ctx).ExecContext(ctx, `UPDATE marking_allocations a SET choices = v.choices, points = v.points, total = v.total,
			submitted_at = $3, source = 'screen', returned_reason = ''
			FROM (VALUES `+strings.Join(rows, ", ")+`) AS v(code, round, choices, points, total)
			WHERE a.year = $1 AND a.exam = $2 AND a.code = v.code AND a.round = v.round`, args...); err != nil {
			return fmt.Errorf("marking: marks of a batch: %w", err)
		}
	}
	return nil
}

// settleMany writes the states a batch gave its booklets (settle), as
// storeMany writes the markings.
func (s *Service) settleMany(ctx context.Context, year int, exam string, books []booklet) error {
	if s.db.Dialect != store.Postgres {
		for _, b := range books {
			if _, err := s.db.Q(ctx).ExecContext(ctx, `UPDATE marking_booklets SET state = $1, final_points = $2, final_round = $3 WHERE year = $4 AND exam = $5 AND code = $6`,
				b.State, b.FinalPoints, b.FinalRound, year, exam, b.Code); err != nil {
				return fmt.Errorf("marking: settle %s: %w", b.Code, err)
			}
		}
		return nil
	}
	for _, part := range store.Chunks(books, 1000) {
		args := []any{year, exam}
		rows := make([]string, len(part))
		for i, b := range part {
			n := len(args)
			rows[i] = fmt.Sprintf("($%d::text, $%d::text, $%d::int, $%d::int)", n+1, n+2, n+3, n+4)
			args = append(args, b.Code, b.State, b.FinalPoints, b.FinalRound)
		}
		if _, err := s.db.Q(ctx).ExecContext(ctx, `UPDATE marking_booklets b SET state = v.state, final_points = v.points, final_round = v.round
			FROM (VALUES `+strings.Join(rows, ", ")+`) AS v(code, state, points, round)
			WHERE b.year = $1 AND b.exam = $2 AND b.code = v.code`, args...); err != nil {
			return fmt.Errorf("marking: settle a batch: %w", err)
		}
	}
	return nil
}
