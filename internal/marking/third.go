package marking

import (
	"context"
	"fmt"
	"slices"

	"provim/internal/apperr"
	"provim/internal/audit"
	"provim/internal/auth"
	"provim/internal/store"
)

// The third marker (Neni 57.14): when the two markings of a booklet
// differ on any item, the subject's lead assigns a third marker — never
// one of the two, nor a marker of the booklet's schools — or lets the
// system suggest one; the third's marks are final, even outside both.

// isLeadOf reports whether p is the lead of the exam's markers (Neni
// 57.9), not stopped.
func (s *Service) isLeadOf(ctx context.Context, p *auth.Principal, year int, exam string) (bool, error) {
	if !MayMark(p) {
		return false, nil
	}
	var n int
	if err := s.db.Q(ctx).QueryRowContext(ctx, `SELECT COUNT(*) FROM marking_markers WHERE year = $1 AND exam = $2 AND username = $3 AND task = 'lead' AND status <> 'stopped'`,
		year, exam, p.Username).Scan(&n); err != nil {
		return false, fmt.Errorf("marking: lead: %w", err)
	}
	return n > 0, nil
}

// mayLead lets AVA and the exam's lead through; Forbidden for the rest.
func (s *Service) mayLead(ctx context.Context, p *auth.Principal, year int, exam string) error {
	if MayManage(p) {
		return nil
	}
	ok, err := s.isLeadOf(ctx, p, year, exam)
	if err != nil {
		return err
	}
	if !ok {
		return apperr.New(apperr.Forbidden, "Këtë e bën AVA ose përgjegjësi i vlerësuesve të lëndës %s (Neni 57.9).", exam)
	}
	return nil
}

// Marking is one marking of a booklet as the lead and AVA see it.
type Marking struct {
	Round       int    `json:"round"`
	Username    string `json:"username"`
	FullName    string `json:"full_name"`
	Marks       *Marks `json:"marks,omitempty"`
	Total       int    `json:"total"`
	SubmittedAt string `json:"submitted_at,omitempty"`
	Source      string `json:"source,omitempty"`
}

// LeadBooklet is a booklet with every marking, for the lead and AVA.
type LeadBooklet struct {
	Year        int       `json:"year"`
	Exam        string    `json:"exam"`
	Code        string    `json:"code"`
	Display     string    `json:"display"`
	State       string    `json:"state"`
	Items       []Item    `json:"items"`
	Markings    []Marking `json:"markings"`
	Differ      []string  `json:"differ,omitempty"` // the items the two differ on
	FinalPoints int       `json:"final_points"`
	FinalRound  int       `json:"final_round"`
	// Suggested is the third the system proposes (ThirdList, while none
	// is assigned).
	Suggested *Marker `json:"suggested,omitempty"`
}

// names maps the exam's markers' usernames to their names.
func (s *Service) markerNames(ctx context.Context, year int, exam string) (map[string]string, error) {
	type nm struct{ u, n string }
	rows, err := store.Select(ctx, s.db.Q(ctx), func(r store.Scanner) (nm, error) {
		var x nm
		return x, r.Scan(&x.u, &x.n)
	}, `SELECT username, full_name FROM marking_markers WHERE year = $1 AND exam = $2`, year, exam)
	if err != nil {
		return nil, fmt.Errorf("marking: marker names: %w", err)
	}
	out := make(map[string]string, len(rows))
	for _, x := range rows {
		out[x.u] = x.n
	}
	return out, nil
}

// BookletForLead is a booklet with both markings side by side (and the
// third's), for the lead and AVA.
func (s *Service) BookletForLead(ctx context.Context, p *auth.Principal, year int, exam, code string) (LeadBooklet, error) {
	year, e, err := s.markExam(ctx, year, exam)
	if err != nil {
		return LeadBooklet{}, err
	}
	if err := s.mayLead(ctx, p, year, e.Code); err != nil {
		return LeadBooklet{}, err
	}
	return s.leadBooklet(ctx, year, e.Code, normCode(code), nil, nil)
}

func (s *Service) leadBooklet(ctx context.Context, year int, exam, code string, items []Item, names map[string]string) (LeadBooklet, error) {
	b, err := s.bookletOf(ctx, year, exam, code)
	if err != nil {
		return LeadBooklet{}, err
	}
	if items == nil {
		if items, err = s.items(ctx, year, exam); err != nil {
			return LeadBooklet{}, err
		}
	}
	if names == nil {
		if names, err = s.markerNames(ctx, year, exam); err != nil {
			return LeadBooklet{}, err
		}
	}
	as, err := s.allocations(ctx, year, exam, code)
	if err != nil {
		return LeadBooklet{}, err
	}
	return buildLead(year, exam, b, as, items, names)
}

// buildLead puts a booklet and its markings together for the lead.
func buildLead(year int, exam string, b booklet, as []allocation, items []Item, names map[string]string) (LeadBooklet, error) {
	out := LeadBooklet{Year: year, Exam: exam, Code: b.Code, Display: displayCode(b.Code), State: b.State, Items: items,
		FinalPoints: b.FinalPoints, FinalRound: b.FinalRound, Markings: []Marking{}}
	var byRound [4]*Marks
	for _, a := range as {
		m := Marking{Round: a.Round, Username: a.Username, FullName: names[a.Username], Total: a.Total, SubmittedAt: a.SubmittedAt, Source: a.Source}
		if a.SubmittedAt != "" {
			mk, err := decodeMarks(a.Choices, a.Points, len(items))
			if err != nil {
				return LeadBooklet{}, err
			}
			m.Marks = &mk
			byRound[a.Round] = &mk
		}
		out.Markings = append(out.Markings, m)
	}
	if byRound[1] != nil && byRound[2] != nil {
		out.Differ = itemLabels(items, *byRound[1], *byRound[2], false)
	}
	return out, nil
}

// ThirdList is the booklets of the exam waiting for a third marker or
// their third's marks, with both markings side by side; a booklet
// without a third carries the suggested one (SuggestThird's choice, the
// loads counted as if the suggestions above it were taken). It reads
// the exam in a few queries, whatever the number of booklets.
func (s *Service) ThirdList(ctx context.Context, p *auth.Principal, year int, exam string) ([]LeadBooklet, error) {
	year, e, err := s.markExam(ctx, year, exam)
	if err != nil {
		return nil, err
	}
	if err := s.mayLead(ctx, p, year, e.Code); err != nil {
		return nil, err
	}
	q := s.db.Q(ctx)
	bs, err := store.Select(ctx, q, func(r store.Scanner) (booklet, error) {
		var b booklet
		var sc string
		err := r.Scan(&b.Code, &b.Seeded, &sc, &b.State, &b.FinalPoints, &b.FinalRound)
		b.Schools = splitList(sc)
		return b, err
	}, `SELECT code, seeded, schools, state, final_points, final_round FROM marking_booklets WHERE year = $1 AND exam = $2 AND state = 'third' ORDER BY code`, year, e.Code)
	if err != nil {
		return nil, fmt.Errorf("marking: third list: %w", err)
	}
	type row struct {
		code string
		a    allocation
	}
	rows, err := store.Select(ctx, q, func(r store.Scanner) (row, error) {
		var x row
		a := &x.a
		return x, r.Scan(&x.code, &a.Round, &a.Username, &a.Choices, &a.Points, &a.Total, &a.SubmittedAt, &a.Source, &a.Returned)
	}, `SELECT a.code, a.round, a.username, a.choices, a.points, a.total, a.submitted_at, a.source, a.returned_reason
		FROM marking_allocations a JOIN marking_booklets b ON b.year = a.year AND b.exam = a.exam AND b.code = a.code
		WHERE a.year = $1 AND a.exam = $2 AND b.state = 'third' ORDER BY a.code, a.round`, year, e.Code)
	if err != nil {
		return nil, fmt.Errorf("marking: third list: %w", err)
	}
	byCode := map[string][]allocation{}
	for _, x := range rows {
		byCode[x.code] = append(byCode[x.code], x.a)
	}
	items, err := s.items(ctx, year, e.Code)
	if err != nil {
		return nil, err
	}
	names, err := s.markerNames(ctx, year, e.Code)
	if err != nil {
		return nil, err
	}
	ms, err := s.eligibleMarkers(ctx, year, e.Code, true)
	if err != nil {
		return nil, err
	}
	out := make([]LeadBooklet, 0, len(bs))
	for _, b := range bs {
		as := byCode[b.Code]
		lb, err := buildLead(year, e.Code, b, as, items, names)
		if err != nil {
			return nil, err
		}
		if !slices.ContainsFunc(as, func(a allocation) bool { return a.Round == 3 }) {
			if k := lightest(ms, b.Schools, firstTwo(as)); k >= 0 {
				ms[k].Load++
				lb.Suggested = &Marker{Username: ms[k].Username, FullName: ms[k].FullName, Task: TaskMarker, Status: StatusQualified}
			}
		}
		out = append(out, lb)
	}
	return out, nil
}

// thirdFor reads a booklet waiting for a third and who may not be it.
func (s *Service) thirdFor(ctx context.Context, year int, exam, code string) (booklet, []allocation, error) {
	b, err := s.bookletOf(ctx, year, exam, code)
	if err != nil {
		return booklet{}, nil, err
	}
	if b.State != StateThird {
		return booklet{}, nil, apperr.New(apperr.Conflict, "Testi %s nuk pret vlerësues të tretë: dy vlerësimet nuk ndryshojnë ose nota është përfundimtare (Neni 57.14).", displayCode(code))
	}
	as, err := s.allocations(ctx, year, exam, code)
	if err != nil {
		return booklet{}, nil, err
	}
	for _, a := range as {
		if a.Round == 3 && a.SubmittedAt != "" {
			return booklet{}, nil, apperr.New(apperr.Conflict, "Vlerësuesi i tretë i testit %s e ka vlerësuar tashmë.", displayCode(code))
		}
	}
	return b, as, nil
}

func firstTwo(as []allocation) []string {
	var out []string
	for _, a := range as {
		if a.Round <= 2 {
			out = append(out, a.Username)
		}
	}
	return out
}

// AssignThird gives a booklet whose markings differ to a third marker
// (Neni 57.14): a qualified marker of the subject, neither of the first
// two, not of the booklet's schools. An earlier third who has not marked
// yet is replaced.
func (s *Service) AssignThird(ctx context.Context, by *auth.Principal, year int, exam, code, username string) error {
	year, e, err := s.markExam(ctx, year, exam)
	if err != nil {
		return err
	}
	if err := s.mayLead(ctx, by, year, e.Code); err != nil {
		return err
	}
	code = normCode(code)
	return s.db.InTx(ctx, func(ctx context.Context) error {
		if err := s.openForMarking(ctx, year, e.Code); err != nil {
			return err
		}
		if err := s.lockBooklet(ctx, year, e.Code, code); err != nil {
			return err
		}
		b, as, err := s.thirdFor(ctx, year, e.Code, code)
		if err != nil {
			return err
		}
		m, err := s.markerOf(ctx, &auth.Principal{Username: username}, year, e.Code)
		if err != nil {
			return apperr.New(apperr.Invalid, "«%s» nuk është vlerësues i provimit %s.", username, e.Label)
		}
		switch {
		case slices.Contains(firstTwo(as), m.Username):
			return apperr.New(apperr.Invalid, "%s e ka vlerësuar testin %s: vlerësuesi i tretë është një tjetër (Neni 57.14).", m.FullName, displayCode(code))
		case m.Status != StatusQualified:
			return apperr.New(apperr.Invalid, "%s nuk është vlerësues i kualifikuar (Neni 57.11) ose është ndaluar.", m.FullName)
		case m.School != "" && slices.Contains(b.Schools, m.School):
			return apperr.New(apperr.Invalid, "%s nuk vlerëson testet e kandidatëve të shkollës së vet.", m.FullName)
		}
		return s.putThird(ctx, by, year, e.Code, code, m.Username, as)
	})
}

func (s *Service) putThird(ctx context.Context, by *auth.Principal, year int, exam, code, username string, as []allocation) error {
	var before any
	q := s.db.Q(ctx)
	replaced := false
	for _, a := range as {
		if a.Round == 3 {
			before, replaced = map[string]any{"third": a.Username}, true
		}
	}
	now := s.stamp(ctx)
	var err error
	if replaced {
		_, err = q.ExecContext(ctx, `UPDATE marking_allocations SET username = $1, allocated_by = $2, allocated_at = $3 WHERE year = $4 AND exam = $5 AND code = $6 AND round = 3`,
			username, by.Username, now, year, exam, code)
	} else {
		_, err = q.ExecContext(ctx, `INSERT INTO marking_allocations (year, exam, code, round, username, allocated_by, allocated_at) VALUES ($1, $2, $3, 3, $4, $5, $6)`,
			year, exam, code, username, by.Username, now)
	}
	if err != nil {
		return fmt.Errorf("marking: third of %s: %w", code, err)
	}
	return audit.Add(ctx, by.Actor(), "marking.third", "marking_booklet", bookletKey(year, exam, code), before, map[string]any{"third": username})
}

// SuggestThird proposes a third marker for a booklet: of the qualified
// markers allowed for it (neither of the two, not of its schools), the
// one with the fewest booklets still to mark.
func (s *Service) SuggestThird(ctx context.Context, by *auth.Principal, year int, exam, code string) (Marker, error) {
	year, e, err := s.markExam(ctx, year, exam)
	if err != nil {
		return Marker{}, err
	}
	if err := s.mayLead(ctx, by, year, e.Code); err != nil {
		return Marker{}, err
	}
	code = normCode(code)
	b, as, err := s.thirdFor(ctx, year, e.Code, code)
	if err != nil {
		return Marker{}, err
	}
	ms, err := s.eligibleMarkers(ctx, year, e.Code, true)
	if err != nil {
		return Marker{}, err
	}
	k := lightest(ms, b.Schools, firstTwo(as))
	if k < 0 {
		return Marker{}, noThird(code)
	}
	return Marker{Username: ms[k].Username, FullName: ms[k].FullName, Task: TaskMarker, Status: StatusQualified}, nil
}

func noThird(code string) error {
	return apperr.New(apperr.Conflict, "Për testin %s nuk ka vlerësues të kualifikuar përveç dy të parëve dhe atyre të shkollave të tij (Neni 57.14).", displayCode(code))
}

// lightest is the allowed marker with the lightest load, the first by
// username among equals; -1 when none is allowed.
func lightest(ms []eligible, schools, skip []string) int {
	best := -1
	for i, m := range ms {
		if slices.Contains(skip, m.Username) || (m.School != "" && slices.Contains(schools, m.School)) {
			continue
		}
		if best < 0 || m.Load < ms[best].Load {
			best = i
		}
	}
	return best
}

// AssignThirdAll assigns the suggested third marker to every booklet
// waiting for one that has none; it returns how many it assigned.
func (s *Service) AssignThirdAll(ctx context.Context, by *auth.Principal, year int, exam string) (int, error) {
	year, e, err := s.markExam(ctx, year, exam)
	if err != nil {
		return 0, err
	}
	if err := s.mayLead(ctx, by, year, e.Code); err != nil {
		return 0, err
	}
	n := 0
	err = s.db.InTx(ctx, func(ctx context.Context) error {
		if err := s.openForMarking(ctx, year, e.Code); err != nil {
			return err
		}
		type row struct {
			code, schools, users string
		}
		rs, err := store.Select(ctx, s.db.Q(ctx), func(r store.Scanner) (row, error) {
			var x row
			return x, r.Scan(&x.code, &x.schools, &x.users)
		}, `SELECT b.code, b.schools, a.username FROM marking_booklets b
			JOIN marking_allocations a ON a.year = b.year AND a.exam = b.exam AND a.code = b.code
			WHERE b.year = $1 AND b.exam = $2 AND b.state = 'third'
			AND NOT EXISTS (SELECT 1 FROM marking_allocations t WHERE t.year = b.year AND t.exam = b.exam AND t.code = b.code AND t.round = 3)
			ORDER BY b.code, a.round`, year, e.Code)
		if err != nil {
			return fmt.Errorf("marking: thirds to assign: %w", err)
		}
		ms, err := s.eligibleMarkers(ctx, year, e.Code, true)
		if err != nil {
			return err
		}
		now := s.stamp(ctx)
		var out [][]any
		for i := 0; i < len(rs); {
			j := i
			var two []string
			for ; j < len(rs) && rs[j].code == rs[i].code; j++ {
				two = append(two, rs[j].users)
			}
			k := lightest(ms, splitList(rs[i].schools), two)
			if k < 0 {
				return noThird(rs[i].code)
			}
			ms[k].Load++
			out = append(out, []any{year, e.Code, rs[i].code, 3, ms[k].Username, by.Username, now})
			i = j
		}
		n = len(out)
		if n == 0 {
			return nil
		}
		if err := store.Insert(ctx, "marking_allocations", []string{"year", "exam", "code", "round", "username", "allocated_by", "allocated_at"}, out); err != nil {
			return fmt.Errorf("marking: assign thirds: %w", err)
		}
		return audit.Add(ctx, by.Actor(), "marking.third", "marking_exam", testKey(year, e.Code), nil, map[string]any{"assigned": n})
	})
	return n, err
}

// MayLeadExam reports whether p may do the lead's work of an exam of the
// year (0: the active one): AVA or the exam's lead. Pages ask it to
// offer the lead's links; every step checks again.
func (s *Service) MayLeadExam(ctx context.Context, p *auth.Principal, year int, exam string) bool {
	year, e, err := s.markExam(ctx, year, exam)
	if err != nil {
		return false
	}
	return s.mayLead(ctx, p, year, e.Code) == nil
}
