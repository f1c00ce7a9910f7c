package application

import (
	"context"
	"encoding/base64"
	"fmt"
	"slices"
	"strings"

	"provim/internal/apperr"
	"provim/internal/auth"
	"provim/internal/registry"
	"provim/internal/store"
)

// FinalFilter narrows FinalListPage and FinalListKeyset.
type FinalFilter struct {
	Exam   string // D1, D2 or an elective's code
	School string
	// Q finds words in the candidate's names, personal number or
	// registration number, ignoring case and ë/ç ("cela" finds "Çela").
	Q    string
	Page registry.Page // limit 1–1000, 100 when absent; Offset without Cursor skips entries
	// Cursor is where FinalListKeyset starts: "" the first page,
	// FinalPage.Next or .Prev of a page, or LastPage.
	Cursor string
}

// LastPage is the cursor of the last page of a final list.
const LastPage = "fund"

// FinalPage is one page of a final list found by FinalListKeyset.
type FinalPage struct {
	Items []ListEntry
	// Total entries match the filter; Offset of them come before Items
	// (so the first of Items is number Offset+1 of the list).
	Total, Offset int
	// Next and Prev are the cursors of the pages after and before; ""
	// when there is none.
	Next, Prev string
}

// finalFrom is the FROM of a final list's page in the caller's scope,
// with its conditions and arguments in q. seek keeps, on SQLite, the
// year and exam off the index of final_lists (SQLite's unary +), so its
// planner walks the students in the list's order (students_sort) and
// stops at the page, as PostgreSQL's does, instead of sorting the whole
// list for every page.
func (s *Service) finalFrom(ctx context.Context, p *auth.Principal, f FinalFilter, q *store.Query, seek bool) (string, error) {
	y, err := s.year(ctx)
	if err != nil {
		return "", err
	}
	if err := registry.ScopeStudents(p, q); err != nil {
		return "", err
	}
	plus := ""
	if seek && s.db.Dialect != store.Postgres {
		plus = "+"
	}
	q.Add(plus+"f.year = ?", y.Year)
	q.Add(plus+"f.exam = ?", strings.ToUpper(f.Exam))
	if f.School != "" {
		q.Add("f.school_code = ?", f.School)
	}
	registry.StudentSearch(q, f.Q, "f.reg_no")
	return ` FROM final_lists f` + registry.StudentJoin("f.student_id") + registry.SchoolJoin("f.school_code"), nil
}

func pageLimit(pg registry.Page) int {
	if pg.Limit <= 0 || pg.Limit > registry.MaxLimit {
		return registry.DefaultLimit
	}
	return pg.Limit
}

// FinalListPage returns one page of the final name list of an exam in the
// caller's scope, in the order of FinalList (Albanian alphabetical order,
// Neni 36), with how many entries match in all (issue 11, part B: the
// list of D1 has 34,070 rows), skipping Page.Offset entries. Entries
// changed after the lists were built carry their mark, as in FinalList.
// A deep offset costs what it skips; FinalListKeyset does not.
func (s *Service) FinalListPage(ctx context.Context, p *auth.Principal, f FinalFilter) ([]ListEntry, int, error) {
	var q store.Query
	from, err := s.finalFrom(ctx, p, f, &q, false)
	if err != nil {
		return nil, 0, err
	}
	from += q.Where()
	db := s.db.Q(ctx)
	var total int
	if err := db.QueryRowContext(ctx, `SELECT COUNT(*)`+from, q.Args()...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("application: count final list: %w", err)
	}
	page := ` ORDER BY ` + registry.StudentSortKey + `, f.reg_no LIMIT ` + q.Arg(pageLimit(f.Page)) + ` OFFSET ` + q.Arg(max(f.Page.Offset, 0))
	out, err := s.finalRows(ctx, from+page, q.Args())
	if err != nil {
		return nil, 0, err
	}
	return out, total, s.markCorrected(ctx, out)
}

// FinalListKeyset returns the page of the final name list of an exam in
// the caller's scope that f.Cursor names, in the order of FinalList
// (Neni 36: Albanian alphabetical order of the names, the registration
// number breaking ties), with how many entries match in all, how many
// come before it and the cursors of the pages around it. The page is
// found by its keys (sort key, registration number), not by skipping
// rows, so the last page of AVA's 34,070 costs what the first does
// (issue 11); f.Page.Offset without a cursor still skips entries, as
// old links do. A cursor that is not one of ours is an Albanian error.
func (s *Service) FinalListKeyset(ctx context.Context, p *auth.Principal, f FinalFilter) (FinalPage, error) {
	c, err := parseFinalCursor(f.Cursor)
	if err != nil {
		return FinalPage{}, err
	}
	var q, cq store.Query
	from, err := s.finalFrom(ctx, p, f, &q, f.Page.Offset == 0 || c.dir != dirFirst)
	if err != nil {
		return FinalPage{}, err
	}
	if _, err := s.finalFrom(ctx, p, f, &cq, false); err != nil {
		return FinalPage{}, err
	}
	limit := pageLimit(f.Page)
	key := registry.StudentSortKey
	order := ` ORDER BY ` + key + `, f.reg_no`
	switch c.dir {
	case dirAfter:
		// st.sort_key >= k alone first, so both engines seek the index
		// on students(sort_key) to the cursor.
		q.Add(key+" >= ?", c.key)
		q.Add("("+key+" > ? OR f.reg_no > ?)", c.key, c.regNo)
	case dirBefore:
		q.Add(key+" <= ?", c.key)
		q.Add("("+key+" < ? OR f.reg_no < ?)", c.key, c.regNo)
		order = ` ORDER BY ` + key + ` DESC, f.reg_no DESC`
	case dirEnd:
		order = ` ORDER BY ` + key + ` DESC, f.reg_no DESC`
	}
	// One row more than the page says whether there is a page beyond.
	page := order + ` LIMIT ` + q.Arg(limit+1)
	if c.dir == dirFirst && f.Page.Offset > 0 {
		// The old ?offset= of the API and ?nga= of the page still work;
		// they cost what they skip, their cursors do not.
		page += ` OFFSET ` + q.Arg(f.Page.Offset)
	}
	rows, err := s.finalRows(ctx, from+q.Where()+page, q.Args())
	if err != nil {
		return FinalPage{}, err
	}
	more := len(rows) > limit
	rows = rows[:min(len(rows), limit)]
	backwards := c.dir == dirBefore || c.dir == dirEnd
	if backwards {
		slices.Reverse(rows)
	}
	pg := FinalPage{Items: rows}
	// The total and the entries before the page in one pass over the
	// filter: the count page 1 always made, so page N costs the same.
	before := "0"
	if len(rows) > 0 && (c.dir != dirFirst || f.Page.Offset > 0) {
		k, r := rows[0].sortKey, rows[0].RegNo
		before = `COALESCE(SUM(CASE WHEN ` + key + ` < ` + cq.Arg(k) + ` OR (` + key + ` = ` + cq.Arg(k) +
			` AND f.reg_no < ` + cq.Arg(r) + `) THEN 1 ELSE 0 END), 0)`
	}
	if err := s.db.Q(ctx).QueryRowContext(ctx, `SELECT COUNT(*), `+before+from+cq.Where(), cq.Args()...).Scan(&pg.Total, &pg.Offset); err != nil {
		return FinalPage{}, fmt.Errorf("application: count final list: %w", err)
	}
	if len(rows) == 0 {
		if c.dir == dirAfter || f.Page.Offset > 0 {
			pg.Offset = pg.Total
		}
		return pg, nil
	}
	first, last := rows[0], rows[len(rows)-1]
	if (backwards && more) || (!backwards && pg.Offset > 0) {
		pg.Prev = finalCursor{dir: dirBefore, key: first.sortKey, regNo: first.RegNo}.String()
	}
	if (!backwards && more) || (backwards && pg.Offset+len(rows) < pg.Total) {
		pg.Next = finalCursor{dir: dirAfter, key: last.sortKey, regNo: last.RegNo}.String()
	}
	if err := s.markCorrected(ctx, pg.Items); err != nil {
		return FinalPage{}, err
	}
	return pg, nil
}

// The directions of a cursor.
const (
	dirFirst  = 0
	dirAfter  = 'n' // the entries after the key ("next")
	dirBefore = 'p' // the entries before it ("previous")
	dirEnd    = 'f' // the last page (LastPage)
)

// finalCursor is a place in a final list: the keys of its order (the
// candidate's Albanian sort key and registration number) and a direction.
// Its text is "n" or "p", the sort key in base64url, "." and the
// registration number in base64url; LastPage is the end.
type finalCursor struct {
	dir   byte
	key   []byte
	regNo string
}

func (c finalCursor) String() string {
	return string(c.dir) + base64.RawURLEncoding.EncodeToString(c.key) + "." + base64.RawURLEncoding.EncodeToString([]byte(c.regNo))
}

func parseFinalCursor(s string) (finalCursor, error) {
	s = strings.TrimSpace(s)
	switch {
	case s == "":
		return finalCursor{dir: dirFirst}, nil
	case s == LastPage:
		return finalCursor{dir: dirEnd}, nil
	}
	bad := apperr.New(apperr.Invalid, "Kursori i faqes «%s» nuk është i vlefshëm: përdorni lidhjet «Pasardhësit»/«Mëparshmit» ose «%s» për faqen e fundit.", s, LastPage)
	if s[0] != dirAfter && s[0] != dirBefore {
		return finalCursor{}, bad
	}
	k, r, ok := strings.Cut(s[1:], ".")
	if !ok {
		return finalCursor{}, bad
	}
	key, err1 := base64.RawURLEncoding.DecodeString(k)
	reg, err2 := base64.RawURLEncoding.DecodeString(r)
	if err1 != nil || err2 != nil || len(key) == 0 || len(reg) == 0 {
		return finalCursor{}, bad
	}
	return finalCursor{dir: s[0], key: key, regNo: string(reg)}, nil
}

// finalRows reads the entries of a final list's page.
func (s *Service) finalRows(ctx context.Context, sql string, args []any) ([]ListEntry, error) {
	out, err := store.Select(ctx, s.db.Q(ctx), func(r store.Scanner) (ListEntry, error) {
		var e ListEntry
		var st registry.Listed
		err := r.Scan(append([]any{&e.RegNo, &e.SchoolCode, &e.studentID, &e.sortKey}, st.Dest()...)...)
		e.FullName, e.BirthDate, e.SchoolName, e.UnitCode = st.FullName(), st.BirthDate, st.SchoolName, st.UnitCode
		return e, err
	}, `SELECT f.reg_no, f.school_code, f.student_id, `+registry.StudentSortKey+`, `+registry.StudentColumns+sql, args...)
	if err != nil {
		return nil, fmt.Errorf("application: final list page: %w", err)
	}
	return out, nil
}

// markCorrected marks the entries changed after the lists were built
// (Neni 36), as FinalList does.
func (s *Service) markCorrected(ctx context.Context, out []ListEntry) error {
	if len(out) == 0 {
		return nil
	}
	y, err := s.year(ctx)
	if err != nil {
		return err
	}
	fixes, err := s.reg.CorrectionsOfYear(ctx, y.Year)
	if err != nil {
		return err
	}
	for i := range out {
		if c, ok := fixes[out[i].studentID]; ok {
			out[i].Corrected = c.Note()
		}
	}
	return nil
}
