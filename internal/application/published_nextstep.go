package application

import (
	"context"
	"fmt"

	"provim/internal/registry"
)

// What package application publishes for package nextstep: how far the
// application phase has gone, so that the dashboards never call a step
// due that is done. Small reads of its own tables, in no one's scope: the
// caller (nextstep) asks only for the principal's own school, unit or the
// nation.

// SchoolProgress is a school's part of the application chain.
type SchoolProgress struct {
	Forms      int  // A1/A1z of the school's students this year
	Drafts     int  // not yet submitted
	Submitted  int  // submitted, not yet confirmed by the school
	SentToKMSH bool // table T and the forms went to the KMSH (Neni 22 ¶3)
	Verified   bool // the KMSH verified them
	A2         int  // forms A2 filed by the school's students
}

// SchoolProgressOf reads school's progress in year.
func (s *Service) SchoolProgressOf(ctx context.Context, year int, school string) (SchoolProgress, error) {
	var sp SchoolProgress
	q := s.db.Q(ctx)
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*),
		COALESCE(SUM(CASE WHEN a.status = $3 THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN a.status = $4 THEN 1 ELSE 0 END), 0)
		FROM applications a`+registry.StudentJoin("a.student_id")+` WHERE a.year = $1 AND `+registry.StudentSchoolCol+` = $2`, year, school, Draft, Submitted).
		Scan(&sp.Forms, &sp.Drafts, &sp.Submitted); err != nil {
		return sp, fmt.Errorf("application: school progress: %w", err)
	}
	var sent, verified int
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*), COUNT(verified_at) FROM school_submissions WHERE year = $1 AND school_code = $2`,
		year, school).Scan(&sent, &verified); err != nil {
		return sp, fmt.Errorf("application: school progress: %w", err)
	}
	sp.SentToKMSH, sp.Verified = sent > 0, verified > 0
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM a2_forms f`+registry.StudentJoin("f.student_id")+` WHERE f.year = $1 AND `+registry.StudentSchoolCol+` = $2`, year, school).Scan(&sp.A2); err != nil {
		return sp, fmt.Errorf("application: school progress: %w", err)
	}
	return sp, nil
}

// UnitProgress is what a DAR/ZA has sent to AVA.
type UnitProgress struct {
	ListsSent   bool // the candidates' lists (Neni 22 ¶4)
	FailingSent bool // the failing students (Neni 35 ¶3)
}

// UnitProgressOf reads what unit (or the DAR above it) has sent in year.
func (s *Service) UnitProgressOf(ctx context.Context, year int, unit string) (UnitProgress, error) {
	var up UnitProgress
	c := &change{s: s}
	for kind, done := range map[string]*bool{"lists": &up.ListsSent, "failing": &up.FailingSent} {
		units, err := c.sentUnits(ctx, year, kind)
		if err != nil {
			return up, err
		}
		for _, u := range units {
			if u == unit {
				*done = true
			}
		}
	}
	return up, nil
}

// NationalProgress is AVA's part of the application chain.
type NationalProgress struct {
	UnitsSent  int  // DAR/ZA whose lists reached AVA
	Unnumbered int  // verified forms still without a registration number
	FinalBuilt bool // the final name lists are built (Neni 36)
	Final      int  // candidates on them (any exam)
}

// NationalProgressOf reads AVA's progress in year.
func (s *Service) NationalProgressOf(ctx context.Context, year int) (NationalProgress, error) {
	var np NationalProgress
	q := s.db.Q(ctx)
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM unit_submissions WHERE year = $1 AND kind = 'lists'`, year).Scan(&np.UnitsSent); err != nil {
		return np, fmt.Errorf("application: national progress: %w", err)
	}
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM applications WHERE year = $1 AND status = $2 AND reg_no IS NULL`, year, Verified).Scan(&np.Unnumbered); err != nil {
		return np, fmt.Errorf("application: national progress: %w", err)
	}
	if err := q.QueryRowContext(ctx, `SELECT COUNT(DISTINCT student_id) FROM final_lists WHERE year = $1`, year).Scan(&np.Final); err != nil {
		return np, fmt.Errorf("application: national progress: %w", err)
	}
	np.FinalBuilt = np.Final > 0
	return np, nil
}
