package marking

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"provim/internal/anonym"
	"provim/internal/apperr"
	"provim/internal/audit"
	"provim/internal/auth"
	"provim/internal/examyear"
	"provim/internal/store"
)

// The booklets of an exam, by code (Neni 57.13): the labels attached at
// the desks on the exam day, with the schools of the room each was
// written in (to keep markers off their own school's booklets, never
// shown), and the seeded calibration booklets, which look like any other.

// RegisterResult is what RegisterBooklets added: the candidates'
// booklets, the seeded calibration booklets and the rooms read.
type RegisterResult struct {
	Booklets int `json:"booklets"`
	Seeded   int `json:"seeded"`
	Rooms    int `json:"rooms"`
}

// bookletKey is a booklet's id in the audit log.
func bookletKey(year int, exam, code string) string { return fmt.Sprintf("%d-%s-%s", year, exam, code) }

// RegisterBooklets registers for marking every code of the exam attached
// on the exam day that is not registered yet, and the seeded calibration
// booklets (AVA). Calling it again registers only what is new; after the
// close it is refused.
func (s *Service) RegisterBooklets(ctx context.Context, by *auth.Principal, year int, exam string) (RegisterResult, error) {
	if !MayManage(by) {
		return RegisterResult{}, apperr.New(apperr.Forbidden, "Vetëm AVA regjistron testet për vlerësim.")
	}
	year, e, err := s.markExam(ctx, year, exam)
	if err != nil {
		return RegisterResult{}, err
	}
	var res RegisterResult
	err = s.db.InTx(ctx, func(ctx context.Context) error {
		if err := s.openForMarking(ctx, year, e.Code); err != nil {
			return err
		}
		have, err := s.bookletCodes(ctx, year, e.Code)
		if err != nil {
			return err
		}
		used, err := s.anonym.UsedCodes(ctx, year, e.Code)
		if err != nil {
			return err
		}
		var fresh []int
		roomSeen := map[int64]bool{}
		var rooms []int64
		for i, u := range used {
			if have[u.Code] {
				continue
			}
			fresh = append(fresh, i)
			if !roomSeen[u.RoomID] {
				roomSeen[u.RoomID] = true
				rooms = append(rooms, u.RoomID)
			}
		}
		schools := map[int64][]string{}
		if len(rooms) > 0 {
			exam, session := examyear.SplitTest(e.Code)
			rs, err := s.venues.RoomSchools(ctx, year, session, exam, rooms)
			if err != nil {
				return err
			}
			for _, r := range rs {
				if r.School != "" && !slices.Contains(schools[r.Room], r.School) {
					schools[r.Room] = append(schools[r.Room], r.School)
				}
			}
		}
		now := s.stamp(ctx)
		rows := make([][]any, 0, len(fresh))
		for _, i := range fresh {
			u := used[i]
			sc := schools[u.RoomID]
			slices.Sort(sc)
			rows = append(rows, []any{year, e.Code, u.Code, 0, strings.Join(sc, ","), StateOpen, -1, 0, now})
		}
		type seededRow struct {
			no   int
			code string
		}
		seeds, err := store.Select(ctx, s.db.Q(ctx), func(r store.Scanner) (seededRow, error) {
			var x seededRow
			return x, r.Scan(&x.no, &x.code)
		}, `SELECT no, code FROM marking_calibration WHERE year = $1 AND exam = $2 AND purpose = 'seeded' AND code <> '' ORDER BY no`, year, e.Code)
		if err != nil {
			return fmt.Errorf("marking: seeded booklets: %w", err)
		}
		for _, sd := range seeds {
			if have[sd.code] {
				continue
			}
			rows = append(rows, []any{year, e.Code, sd.code, sd.no, "", StateOpen, -1, 0, now})
			res.Seeded++
		}
		res.Booklets, res.Rooms = len(fresh), len(rooms)
		if len(rows) == 0 {
			return nil
		}
		if err := store.Insert(ctx, "marking_booklets", []string{"year", "exam", "code", "seeded", "schools", "state", "final_points", "final_round", "registered_at"}, rows); err != nil {
			return fmt.Errorf("marking: register booklets: %w", err)
		}
		return audit.Add(ctx, by.Actor(), "marking.register", "marking_exam", testKey(year, e.Code), nil,
			map[string]any{"booklets": res.Booklets, "seeded": res.Seeded, "rooms": res.Rooms})
	})
	return res, err
}

// bookletCodes is the set of the codes registered for an exam.
func (s *Service) bookletCodes(ctx context.Context, year int, exam string) (map[string]bool, error) {
	codes, err := store.Select(ctx, s.db.Q(ctx), func(r store.Scanner) (c string, err error) { return c, r.Scan(&c) },
		`SELECT code FROM marking_booklets WHERE year = $1 AND exam = $2`, year, exam)
	if err != nil {
		return nil, fmt.Errorf("marking: booklets: %w", err)
	}
	out := make(map[string]bool, len(codes))
	for _, c := range codes {
		out[c] = true
	}
	return out, nil
}

// booklet is a booklet's stored row.
type booklet struct {
	Code        string
	Seeded      int
	Schools     []string
	State       string
	FinalPoints int
	FinalRound  int
}

// bookletOf reads a booklet; NotFound when the exam has no such code.
func (s *Service) bookletOf(ctx context.Context, year int, exam, code string) (booklet, error) {
	rows, err := store.Select(ctx, s.db.Q(ctx), func(r store.Scanner) (booklet, error) {
		var b booklet
		var sc string
		err := r.Scan(&b.Code, &b.Seeded, &sc, &b.State, &b.FinalPoints, &b.FinalRound)
		b.Schools = splitList(sc)
		return b, err
	}, `SELECT code, seeded, schools, state, final_points, final_round FROM marking_booklets WHERE year = $1 AND exam = $2 AND code = $3`, year, exam, code)
	if err != nil {
		return booklet{}, fmt.Errorf("marking: booklet %s: %w", code, err)
	}
	if len(rows) == 0 {
		return booklet{}, notFoundBooklet(code)
	}
	return rows[0], nil
}

func notFoundBooklet(code string) error {
	return apperr.New(apperr.NotFound, "Testi me kod %s nuk gjendet.", displayCode(code))
}

func splitList(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}

// normCode reads a booklet code as typed or shown ("K7Q2-M9XD-R").
func normCode(code string) string {
	c, _ := anonym.Normalize(code)
	return c
}

// displayCode writes a code for people, "K7Q2-M9XD-R".
func displayCode(code string) string { return anonym.Display(code) }

// lockBooklet takes the booklet's row for the transaction, so that two
// markings of one booklet submitted at once settle one after the other
// (on PostgreSQL each then reads the other's committed marking).
func (s *Service) lockBooklet(ctx context.Context, year int, exam, code string) error {
	if _, err := s.db.Q(ctx).ExecContext(ctx, `UPDATE marking_booklets SET state = state WHERE year = $1 AND exam = $2 AND code = $3`, year, exam, code); err != nil {
		return fmt.Errorf("marking: lock %s: %w", code, err)
	}
	return nil
}
