package application

import (
	"context"
	"fmt"
	"strings"

	"provim/internal/auth"
	"provim/internal/registry"
	"provim/internal/store"
)

// FinalFilter narrows FinalListPage.
type FinalFilter struct {
	Exam   string // D1, D2 or an elective's code
	School string
	// Q finds words in the candidate's names, personal number or
	// registration number, ignoring case and ë/ç ("cela" finds "Çela").
	Q    string
	Page registry.Page // limit 1–1000, 100 when absent
}

// FinalListPage returns one page of the final name list of an exam in the
// caller's scope, in the order of FinalList (Albanian alphabetical order,
// Neni 36), with how many entries match in all (issue 11, part B: the
// list of D1 has 34,070 rows). Entries changed after the lists were built
// carry their mark, as in FinalList.
func (s *Service) FinalListPage(ctx context.Context, p *auth.Principal, f FinalFilter) ([]ListEntry, int, error) {
	y, err := s.year(ctx)
	if err != nil {
		return nil, 0, err
	}
	var q store.Query
	if err := registry.ScopeStudents(p, &q); err != nil {
		return nil, 0, err
	}
	q.Add("f.year = ?", y.Year)
	q.Add("f.exam = ?", strings.ToUpper(f.Exam))
	if f.School != "" {
		q.Add("f.school_code = ?", f.School)
	}
	registry.StudentSearch(&q, f.Q, "f.reg_no")
	from := ` FROM final_lists f` + registry.StudentJoin("f.student_id") + registry.SchoolJoin("f.school_code") + q.Where()
	db := s.db.Q(ctx)
	var total int
	if err := db.QueryRowContext(ctx, `SELECT COUNT(*)`+from, q.Args()...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("application: count final list: %w", err)
	}
	limit := f.Page.Limit
	if limit <= 0 || limit > registry.MaxLimit {
		limit = registry.DefaultLimit
	}
	page := ` ORDER BY ` + registry.StudentSortKey + `, f.reg_no LIMIT ` + q.Arg(limit) + ` OFFSET ` + q.Arg(max(f.Page.Offset, 0))
	out, err := store.Select(ctx, db, func(r store.Scanner) (ListEntry, error) {
		var e ListEntry
		var st registry.Listed
		err := r.Scan(append([]any{&e.RegNo, &e.SchoolCode, &e.studentID}, st.Dest()...)...)
		e.FullName, e.BirthDate, e.SchoolName, e.UnitCode = st.FullName(), st.BirthDate, st.SchoolName, st.UnitCode
		return e, err
	}, `SELECT f.reg_no, f.school_code, f.student_id, `+registry.StudentColumns+from+page, q.Args()...)
	if err != nil {
		return nil, 0, fmt.Errorf("application: final list page: %w", err)
	}
	if len(out) > 0 {
		fixes, err := s.reg.CorrectionsOfYear(ctx, y.Year)
		if err != nil {
			return nil, 0, err
		}
		for i := range out {
			if c, ok := fixes[out[i].studentID]; ok {
				out[i].Corrected = c.Note()
			}
		}
	}
	return out, total, nil
}
