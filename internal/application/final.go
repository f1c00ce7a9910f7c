package application

import (
	"context"
	"fmt"
	"provim/internal/apperr"
	"provim/internal/audit"
	"provim/internal/auth"
	"provim/internal/examyear"
	"provim/internal/registry"
	"provim/internal/scope"
	"provim/internal/store"
	"sort"
	"strings"
)

// MarkFailing records which final-year students of a school failed the
// school year (mbetës, Neni 35 ¶2), from the day the school year ends
// until the day after; then only a higher level, with a reason. failing
// false takes a mark back.
func (s *Service) MarkFailing(ctx context.Context, p *auth.Principal, school string, ids []int64, failing bool, lateReason string) (int, error) {
	if err := auth.Require(p, auth.RoleKSHMSH, auth.RoleKMSH, auth.RoleAVA); err != nil {
		return 0, err
	}
	y, err := s.year(ctx)
	if err != nil {
		return 0, err
	}
	n := 0
	err = s.inTx(ctx, p, func(ctx context.Context, c *change) error {
		if err := c.inScopeSchool(ctx, school); err != nil {
			return err
		}
		if err := checkOpens(y.Config, examyear.KeyFailingToKMSH, examyear.KeySchoolYearEnd, c.now); err != nil {
			return err
		}
		late, err := checkDeadline(y.Config, examyear.KeyFailingToKMSH, auth.RoleKSHMSH, p, lateReason, c.now)
		if err != nil {
			return err
		}
		for _, id := range ids {
			a, err := c.get(ctx, id)
			if err != nil {
				return err
			}
			if a.SchoolCode != school || a.Year != y.Year {
				return apperr.New(apperr.NotFound, "Formulari «%d» nuk u gjet në shkollën «%s».", id, school)
			}
			if a.Category != Regular {
				return apperr.New(apperr.Invalid, "%s nuk është nxënës i vitit të fundit: mbetës shënohen vetëm nxënësit e shkollës (Neni 35).", a.FullName)
			}
			if a.Status == Draft {
				return apperr.New(apperr.Invalid, "%s nuk ka dorëzuar formularin A1.", a.FullName)
			}
			if a.Failing == failing {
				continue
			}
			before := a
			a.Failing = failing
			if _, err := c.q(ctx).ExecContext(ctx, `UPDATE applications SET failing = $1, updated_at = $2 WHERE id = $3`, failing, c.at, a.ID); err != nil {
				return err
			}
			note := "Mbetës në vitin shkollor (Neni 35)"
			if !failing {
				note = "Hequr nga lista e mbetësve"
			}
			if late {
				note += ". Me vonesë: " + strings.TrimSpace(lateReason)
			}
			if err := c.event(ctx, "mark_failing", &before, &a, note); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	return n, err
}

// SendFailingToAVA sends the region's failing students to AVA (Neni 35 ¶3)
// by the deadline; it returns how many there are.
func (s *Service) SendFailingToAVA(ctx context.Context, p *auth.Principal, unit, lateReason string) (int, error) {
	if err := auth.Require(p, auth.RoleKMSH, auth.RoleAVA); err != nil {
		return 0, err
	}
	if err := s.UnitAllowed(ctx, p, unit); err != nil {
		return 0, err
	}
	y, err := s.year(ctx)
	if err != nil {
		return 0, err
	}
	if err := checkOpens(y.Config, examyear.KeyFailingToAVA, examyear.KeySchoolYearEnd, s.db.Now(ctx)); err != nil {
		return 0, err
	}
	n := 0
	err = s.inTx(ctx, p, func(ctx context.Context, c *change) error {
		late, err := checkDeadline(y.Config, examyear.KeyFailingToAVA, auth.RoleKMSH, p, lateReason, c.now)
		if err != nil {
			return err
		}
		var q store.Query
		q.Add("a.year = ? AND a.failing", y.Year)
		scope.UnitsUnder(&q, registry.StudentUnitCol, unit)
		if err := c.q(ctx).QueryRowContext(ctx, `SELECT COUNT(*)`+appFrom+q.Where(), q.Args()...).Scan(&n); err != nil {
			return err
		}
		return c.sendUnit(ctx, y.Year, unit, "failing", n, late, lateReason)
	})
	return n, err
}

// FinalSummary tells what BuildFinalLists did.
type FinalSummary struct {
	Year      int            `json:"year"`
	Exams     map[string]int `json:"exams"`             // exam → candidates on its list
	Total     int            `json:"total"`             // applications on at least one list
	Failing   int            `json:"failing"`           // left out: failed the school year (Neni 35–36)
	Barred    int            `json:"barred"`            // left out: Neni 55.2
	NoRegNo   int            `json:"no_reg_no"`         // left out: not registered
	Electives int            `json:"electives_refused"` // electives left out under Neni 17 ¶2
	// Missing lists the DAR/ZA whose failing students had not been
	// reported when the lists were built anyway, with a reason (Neni 35–36).
	Missing []string `json:"missing_units,omitempty"`
	Reason  string   `json:"reason,omitempty"` // why they were built anyway
}

// BuildFinalLists builds the final name list of each exam (Neni 36) from
// the registered applications, once the failing students are known (Neni
// 35): every DAR/ZA with candidates has reported its failing students to
// AVA (an empty report is a report). While some have not, it is refused
// naming them; built anyway with a reason, the summary and the audit name
// them with the reason. It leaves out failing students, candidates barred under Neni 55.2,
// and the electives of students who already failed a mandatory exam of
// this year's first session (Neni 17 ¶2). Building again replaces the
// lists (a correction after the first build, for example). AVA only.
func (s *Service) BuildFinalLists(ctx context.Context, p *auth.Principal, lateReason string) (FinalSummary, error) {
	if err := auth.Require(p, auth.RoleAVA); err != nil {
		return FinalSummary{}, err
	}
	y, err := s.year(ctx)
	if err != nil {
		return FinalSummary{}, err
	}
	sum := FinalSummary{Year: y.Year, Exams: map[string]int{}}
	listable := []any{Verified, Registered, Corrected, Final}
	err = s.inTx(ctx, p, func(ctx context.Context, c *change) error {
		missing, err := c.unreported(ctx, y.Year, listable)
		if err != nil {
			return err
		}
		if len(missing) > 0 {
			if strings.TrimSpace(lateReason) == "" {
				return apperr.New(apperr.Invalid, "Listat përfundimtare ndërtohen kur çdo DAR/ZA ka njoftuar AVA-në për nxënësit mbetës, edhe kur nuk ka asnjë (Neni 35–36, afati %s). Nuk kanë njoftuar: %s. Për t’i ndërtuar pa këto njoftime shënoni arsyen.",
					albanianDay(dateOf(y.Config, examyear.KeyFailingToAVA)), strings.Join(missing, ", "))
			}
			sum.Missing, sum.Reason = missing, strings.TrimSpace(lateReason)
		}
		type form struct {
			student              int64
			regNo                string
			failing              bool
			mandatory, electives []string
			school               string
		}
		forms, err := store.Select(ctx, c.q(ctx), func(r store.Scanner) (form, error) {
			var f form
			var m, e string
			err := r.Scan(&f.student, &f.regNo, &f.failing, &m, &e, &f.school)
			f.mandatory, f.electives = split(m), split(e)
			return f, err
		}, `SELECT a.student_id, COALESCE(a.reg_no, ''), a.failing, a.mandatory, a.electives, `+registry.StudentSchoolCol+` FROM applications a`+
			registry.StudentJoin("a.student_id")+` WHERE a.year = $1 AND a.status IN ($2, $3, $4, $5) ORDER BY a.id`, append([]any{y.Year}, listable...)...)
		if err != nil {
			return fmt.Errorf("application: final lists: %w", err)
		}
		results, err := c.s.resultsOf(ctx, 0)
		if err != nil {
			return err
		}
		exclusions, err := c.s.exclusionsOf(ctx, 0)
		if err != nil {
			return err
		}
		if _, err := c.q(ctx).ExecContext(ctx, `DELETE FROM final_lists WHERE year = $1`, y.Year); err != nil {
			return err
		}
		note := "Në listën përfundimtare (Neni 36)"
		if strings.TrimSpace(lateReason) != "" {
			note += ". Arsyeja: " + strings.TrimSpace(lateReason)
		}
		// Decide in Go who is left out and why, and who sits what; then
		// write every list with one bulk write (store.Insert: COPY on
		// PostgreSQL), exam by exam.
		var exams []string
		seen := map[string]bool{}
		byExam := map[string][][]any{}
		for _, f := range forms {
			switch {
			case f.regNo == "":
				sum.NoRegNo++
				continue
			case f.failing:
				sum.Failing++
				continue
			}
			if out, _ := Barred(exclusions[f.student], y.Year); out {
				sum.Barred++
				continue
			}
			sat := append([]string(nil), f.mandatory...)
			listed := map[string]bool{} // the mandatory exams (D1, D2) from the mandatory ones, the electives from the electives
			for _, e := range f.mandatory {
				if e == examyear.KindD1 || e == examyear.KindD2 {
					listed[e] = true
				}
			}
			if len(f.electives) > 0 {
				if ok, _, _ := MaySitElectives(y.Year, results[f.student]); ok {
					sat = append(sat, f.electives...)
					for _, e := range f.electives {
						if e != examyear.KindD1 && e != examyear.KindD2 {
							listed[e] = true
						}
					}
				} else {
					sum.Electives++
				}
			}
			for e := range listed {
				byExam[e] = append(byExam[e], []any{y.Year, e, f.student, f.regNo, f.school})
			}
			for _, e := range sat {
				sum.Exams[e]++
				if !seen[e] {
					seen[e] = true
					exams = append(exams, e)
				}
			}
			if len(sat) > 0 {
				sum.Total++
			}
		}
		sort.Strings(exams)
		var rows [][]any
		for _, e := range exams {
			rows = append(rows, byExam[e]...)
		}
		if err := store.Insert(ctx, "final_lists", []string{"year", "exam", "student_id", "reg_no", "school_code"}, rows); err != nil {
			return fmt.Errorf("application: final lists: %w", err)
		}
		// Every listed form is final: one history line each, then the status.
		listed := "year = ? AND status <> ? AND student_id IN (SELECT student_id FROM final_lists WHERE year = ?)"
		if err := c.batchEvents(ctx, Final, note, listed, y.Year, Final, y.Year); err != nil {
			return err
		}
		if _, err := c.q(ctx).ExecContext(ctx, `UPDATE applications SET status = $1, updated_at = $2 WHERE year = $3 AND status <> $1
			AND student_id IN (SELECT student_id FROM final_lists WHERE year = $3)`, Final, c.at, y.Year); err != nil {
			return fmt.Errorf("application: final status: %w", err)
		}
		// A form taken off the lists by a rebuild (failing, barred, corrected
		// away) is registered again, not final.
		dropped := "year = ? AND status = ? AND student_id NOT IN (SELECT student_id FROM final_lists WHERE year = ?)"
		if err := c.batchEvents(ctx, Registered, "Hequr nga listat përfundimtare", dropped, y.Year, Final, y.Year); err != nil {
			return err
		}
		if _, err := c.q(ctx).ExecContext(ctx, `UPDATE applications SET status = $1, updated_at = $2 WHERE year = $3 AND status = $4
			AND student_id NOT IN (SELECT student_id FROM final_lists WHERE year = $3)`, Registered, c.at, y.Year, Final); err != nil {
			return fmt.Errorf("application: final status: %w", err)
		}
		if err := audit.Add(ctx, p.Actor(), "build_final_lists", "final_lists", fmt.Sprint(y.Year), nil, sum); err != nil {
			return err
		}
		for _, follow := range c.s.followers {
			if _, err := follow(ctx, p.Actor(), y.Year); err != nil {
				return fmt.Errorf("application: what follows the final lists: %w", err)
			}
		}
		return nil
	})
	return sum, err
}

// unreported lists the DAR/ZA with listable forms of year whose failing
// students have not gone to AVA (Neni 35 ¶3): neither the unit nor the
// DAR above it has sent its report.
func (c *change) unreported(ctx context.Context, year int, listable []any) ([]string, error) {
	units, err := store.Select(ctx, c.q(ctx), func(r store.Scanner) (string, error) {
		var u string
		return u, r.Scan(&u)
	}, `SELECT DISTINCT `+registry.StudentUnitCol+appFrom+` WHERE a.year = $1 AND a.status IN ($2, $3, $4, $5) ORDER BY 1`, append([]any{year}, listable...)...)
	if err != nil {
		return nil, fmt.Errorf("application: units with candidates: %w", err)
	}
	sent, err := c.sentUnits(ctx, year, "failing")
	if err != nil {
		return nil, err
	}
	done := map[string]bool{}
	for _, u := range sent {
		done[u] = true
	}
	var out []string
	for _, u := range units {
		if !done[u] {
			out = append(out, u)
		}
	}
	return out, nil
}

// albanianDay writes a stored day (YYYY-MM-DD) as 29.05.2027.
func albanianDay(iso string) string {
	if d, ok := ParseDay(iso); ok {
		return d.Format("02.01.2006")
	}
	return iso
}

func dateOf(cfg examyear.Config, key string) string {
	d, _ := cfg.Deadline(key)
	return d.Date
}

// ListEntry is one line of an exam's final name list.
type ListEntry struct {
	RegNo      string `json:"reg_no"`
	FullName   string `json:"full_name"`
	BirthDate  string `json:"birth_date"`
	SchoolCode string `json:"school_code"`
	SchoolName string `json:"school_name"`
	UnitCode   string `json:"unit_code"`
	// Corrected marks an entry whose personal data changed after the
	// lists were built (the registry's correction, with its reason).
	Corrected string `json:"corrected,omitempty"`
	studentID int64
	sortKey   []byte // the Albanian order of the names (FinalListKeyset's cursors)
}

// FinalList returns the final name list of exam (D1, D2 or an elective's
// code) in the caller's scope, in Albanian alphabetical order (Neni 36).
func (s *Service) FinalList(ctx context.Context, p *auth.Principal, exam, school string) ([]ListEntry, error) {
	y, err := s.year(ctx)
	if err != nil {
		return nil, err
	}
	var q store.Query
	if err := registry.ScopeStudents(p, &q); err != nil {
		return nil, err
	}
	q.Add("f.year = ?", y.Year)
	q.Add("f.exam = ?", strings.ToUpper(exam))
	if school != "" {
		q.Add("f.school_code = ?", school)
	}
	// The school is the one the list was built with (f.school_code).
	out, err := store.Select(ctx, s.db.Q(ctx), func(r store.Scanner) (ListEntry, error) {
		var e ListEntry
		var st registry.Listed
		err := r.Scan(append([]any{&e.RegNo, &e.SchoolCode, &e.studentID}, st.Dest()...)...)
		e.FullName, e.BirthDate, e.SchoolName, e.UnitCode = st.FullName(), st.BirthDate, st.SchoolName, st.UnitCode
		return e, err
	}, `SELECT f.reg_no, f.school_code, f.student_id, `+registry.StudentColumns+` FROM final_lists f`+registry.StudentJoin("f.student_id")+registry.SchoolJoin("f.school_code")+
		q.Where()+` ORDER BY `+registry.StudentSortKey+`, f.reg_no`, q.Args()...)
	if err != nil {
		return nil, fmt.Errorf("application: final list: %w", err)
	}
	// A change of personal data after the lists shows on them (Neni 36).
	fixes, err := s.reg.CorrectionsOfYear(ctx, y.Year)
	if err != nil {
		return nil, err
	}
	for i := range out {
		if c, ok := fixes[out[i].studentID]; ok {
			out[i].Corrected = c.Note()
		}
	}
	return out, nil
}
