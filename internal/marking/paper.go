package marking

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"provim/internal/apperr"
	"provim/internal/audit"
	"provim/internal/auth"
	"provim/internal/store"
)

// Paper marking sheets (issue 14 item 4): a marker who marks on paper
// signs the sheet; two different people of AVA type it in, and only when
// the two typings agree is it the marker's marking. A mismatch clears
// both and returns the sheet to the typists.

// PaperResult is what a typing did: Matched when it agreed with the
// other typing and the marking is stored; Mismatch when it did not, with
// the items that differed; neither while the other typing is awaited.
type PaperResult struct {
	Entry       int      `json:"entry"`
	Matched     bool     `json:"matched"`
	Mismatch    bool     `json:"mismatch"`
	Differences []string `json:"differences,omitempty"`
}

type paperEntry struct {
	Entry   int
	Typist  string
	Choices string
	Points  string
}

// EnterPaper types in the paper sheet of one marking (round 1–3) of a
// booklet (AVA).
func (s *Service) EnterPaper(ctx context.Context, typist *auth.Principal, year int, exam, code string, round int, choices []string, points []int) (PaperResult, error) {
	if !MayManage(typist) {
		return PaperResult{}, apperr.New(apperr.Forbidden, "Fletët e vlerësimit në letër i shtyp AVA.")
	}
	year, e, err := s.markExam(ctx, year, exam)
	if err != nil {
		return PaperResult{}, err
	}
	if round < 1 || round > 3 {
		return PaperResult{}, apperr.New(apperr.Invalid, "Vlerësimi është i pari, i dyti ose i treti (Neni 57.13–57.14), jo %d.", round)
	}
	code = normCode(code)
	var res PaperResult
	err = s.db.InTx(ctx, func(ctx context.Context) error {
		if err := s.openForMarking(ctx, year, e.Code); err != nil {
			return err
		}
		if err := s.lockBooklet(ctx, year, e.Code, code); err != nil {
			return err
		}
		b, err := s.bookletOf(ctx, year, e.Code, code)
		if err != nil {
			return err
		}
		as, err := s.allocations(ctx, year, e.Code, code)
		if err != nil {
			return err
		}
		i := slices.IndexFunc(as, func(a allocation) bool { return a.Round == round })
		if i < 0 {
			return apperr.New(apperr.NotFound, "Testi %s nuk ka vlerësim të %d të caktuar.", displayCode(code), round)
		}
		a := as[i]
		if err := markable(b, a); err != nil {
			return err
		}
		if a.SubmittedAt != "" {
			return apperr.New(apperr.Conflict, "Vlerësimi %d i testit %s është regjistruar tashmë.", round, displayCode(code))
		}
		items, err := s.items(ctx, year, e.Code)
		if err != nil {
			return err
		}
		mk, err := Score(items, choices, points)
		if err != nil {
			return err
		}
		es, err := store.Select(ctx, s.db.Q(ctx), func(r store.Scanner) (paperEntry, error) {
			var x paperEntry
			return x, r.Scan(&x.Entry, &x.Typist, &x.Choices, &x.Points)
		}, `SELECT entry, typist, choices, points FROM marking_entries WHERE year = $1 AND exam = $2 AND code = $3 AND round = $4 ORDER BY entry`,
			year, e.Code, code, round)
		if err != nil {
			return fmt.Errorf("marking: paper entries: %w", err)
		}
		q := s.db.Q(ctx)
		cs, ps := mk.encode()
		now := s.stamp(ctx)
		key := bookletKey(year, e.Code, code)
		var other *paperEntry
		for k := range es {
			if es[k].Typist == typist.Username {
				if len(es) == 1 {
					// The same typist types again before the second: their entry is replaced.
					if _, err := q.ExecContext(ctx, `UPDATE marking_entries SET choices = $1, points = $2, entered_at = $3 WHERE year = $4 AND exam = $5 AND code = $6 AND round = $7 AND entry = $8`,
						cs, ps, now, year, e.Code, code, round, es[k].Entry); err != nil {
						return fmt.Errorf("marking: paper entry: %w", err)
					}
					res.Entry = es[k].Entry
					return audit.Add(ctx, typist.Actor(), "marking.entry", "marking_booklet", key, nil, map[string]any{"round": round, "entry": res.Entry})
				}
			}
			if es[k].Typist != typist.Username {
				other = &es[k]
			}
		}
		if other == nil {
			if _, err := q.ExecContext(ctx, `INSERT INTO marking_entries (year, exam, code, round, entry, typist, choices, points, entered_at) VALUES ($1, $2, $3, $4, 1, $5, $6, $7, $8)`,
				year, e.Code, code, round, typist.Username, cs, ps, now); err != nil {
				return fmt.Errorf("marking: paper entry: %w", err)
			}
			res.Entry = 1
			return audit.Add(ctx, typist.Actor(), "marking.entry", "marking_booklet", key, nil, map[string]any{"round": round, "entry": 1})
		}
		res.Entry = 2
		if _, err := q.ExecContext(ctx, `DELETE FROM marking_entries WHERE year = $1 AND exam = $2 AND code = $3 AND round = $4`, year, e.Code, code, round); err != nil {
			return fmt.Errorf("marking: paper entries: %w", err)
		}
		first, err := decodeMarks(other.Choices, other.Points, len(items))
		if err != nil {
			return err
		}
		if diff := itemLabels(items, first, mk, true); len(diff) > 0 {
			res.Mismatch, res.Differences = true, diff
			return audit.Add(ctx, typist.Actor(), "marking.entry", "marking_booklet", key, nil,
				map[string]any{"round": round, "entry": 2, "mismatch": strings.Join(diff, ", ")})
		}
		res.Matched = true
		if err := s.storeMarks(ctx, year, e.Code, code, round, mk, now, "paper"); err != nil {
			return err
		}
		if err := s.settle(ctx, year, e.Code, b, len(items)); err != nil {
			return err
		}
		return audit.Add(ctx, typist.Actor(), "marking.entry", "marking_booklet", key, nil,
			map[string]any{"round": round, "entry": 2, "matched": true, "marker": a.Username, "total": mk.Total()})
	})
	if err != nil {
		return PaperResult{}, err
	}
	return res, nil
}
