package application

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"provim/internal/apperr"
	"provim/internal/auth"
	"provim/internal/examyear"
	"provim/internal/registry"
	"provim/internal/store"
)

// inScopeSchool checks that the caller may act for school.
func (c *change) inScopeSchool(ctx context.Context, school string) error {
	var q store.Query
	if err := registry.ScopeSchools(c.p, &q, "sc"); err != nil {
		return err
	}
	q.Add("sc.code = ?", school)
	var n int
	if err := c.tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM schools sc`+q.Where(), q.Args()...).Scan(&n); err != nil {
		return fmt.Errorf("application: school scope: %w", err)
	}
	if n == 0 {
		return apperr.New(apperr.NotFound, "Shkolla «%s» nuk u gjet.", school)
	}
	return nil
}

// appsWhere lists the applications of year matching cond (no scope; the
// caller checked it).
func (c *change) appsWhere(ctx context.Context, cond string, args ...any) ([]Application, error) {
	var q store.Query
	q.Add(cond, args...)
	return queryApps(ctx, c.tx, `SELECT `+appCols+appFrom+q.Where()+` ORDER BY st.sort_key, st.id`, q.Args()...)
}

// Confirm confirms submitted forms of school (Neni 22 ¶2, 31): the ones
// named by ids, or every submitted form when ids is empty. The school
// confirms during the table T period; after it only a higher level, with
// a reason. It returns how many were confirmed.
func (s *Service) Confirm(ctx context.Context, p *auth.Principal, school string, ids []int64, lateReason string) (int, error) {
	if err := auth.Require(p, auth.RoleKSHMSH, auth.RoleKMSH, auth.RoleAVA); err != nil {
		return 0, err
	}
	y, err := s.year(ctx)
	if err != nil {
		return 0, err
	}
	n := 0
	err = s.inTx(ctx, p, func(c *change) error {
		if err := c.inScopeSchool(ctx, school); err != nil {
			return err
		}
		if err := checkPeriodOpen(y.Config, examyear.KeyTableT, s.now()); err != nil {
			return err
		}
		late, err := checkDeadline(y.Config, examyear.KeyTableT, auth.RoleKSHMSH, p, lateReason, s.now())
		if err != nil {
			return err
		}
		if sent, err := c.schoolSent(ctx, y.Year, school); err != nil {
			return err
		} else if sent {
			return apperr.New(apperr.Conflict, "Formularët e shkollës «%s» janë dërguar tashmë në KMSH.", school)
		}
		apps, err := c.appsWhere(ctx, "a.year = ? AND st.school_code = ? AND a.status = ?", y.Year, school, Submitted)
		if err != nil {
			return err
		}
		want := map[int64]bool{}
		for _, id := range ids {
			want[id] = true
		}
		note := ""
		if late {
			note = "Konfirmuar me vonesë: " + strings.TrimSpace(lateReason)
		}
		var chosen []int64
		for _, a := range apps {
			if len(ids) > 0 && !want[a.ID] {
				continue
			}
			delete(want, a.ID)
			chosen = append(chosen, a.ID)
		}
		if len(want) > 0 {
			return apperr.New(apperr.Invalid, "%d nga formularët e zgjedhur nuk janë të dorëzuar në këtë shkollë ose janë konfirmuar tashmë.", len(want))
		}
		n = len(chosen)
		if n == 0 {
			return nil
		}
		return c.transition(ctx, chosen, Confirmed, "confirmed_at", "confirm", fmt.Sprintf("%d/%s", y.Year, school), note)
	})
	return n, err
}

// SendToKMSH sends the school's confirmed forms with table T to the KMSH
// (Neni 22 ¶3) by the deadline. Every submitted form must be confirmed
// first; drafts that students never submitted are not applications.
func (s *Service) SendToKMSH(ctx context.Context, p *auth.Principal, school, lateReason string) (int, error) {
	if err := auth.Require(p, auth.RoleKSHMSH, auth.RoleKMSH, auth.RoleAVA); err != nil {
		return 0, err
	}
	y, err := s.year(ctx)
	if err != nil {
		return 0, err
	}
	var forms int
	err = s.inTx(ctx, p, func(c *change) error {
		if err := c.inScopeSchool(ctx, school); err != nil {
			return err
		}
		late, err := checkDeadline(y.Config, examyear.KeyFormsToKMSH, auth.RoleKSHMSH, p, lateReason, s.now())
		if err != nil {
			return err
		}
		if sent, err := c.schoolSent(ctx, y.Year, school); err != nil {
			return err
		} else if sent {
			return apperr.New(apperr.Conflict, "Formularët e shkollës «%s» janë dërguar tashmë në KMSH.", school)
		}
		counts, err := c.statusCounts(ctx, y.Year, "st.school_code = ?", school)
		if err != nil {
			return err
		}
		if counts[Submitted] > 0 {
			return apperr.New(apperr.Invalid, "%d formularë të dorëzuar nuk janë konfirmuar ende: konfirmojini ose korrigjojini para dërgimit.", counts[Submitted])
		}
		forms = counts[Confirmed]
		if forms == 0 {
			return apperr.New(apperr.Invalid, "Shkolla nuk ka asnjë formular të konfirmuar për të dërguar.")
		}
		if _, err := c.tx.ExecContext(ctx, `INSERT INTO school_submissions (year, school_code, sent_at, sent_by, forms) VALUES ($1, $2, $3, $4, $5)`,
			y.Year, school, c.at, p.Username, forms); err != nil {
			return fmt.Errorf("application: send school: %w", err)
		}
		after := map[string]any{"forms": forms, "article": "Neni 22 ¶3"}
		if late {
			after["late_reason"] = lateReason
		}
		return c.chain.Add(ctx, p.Actor(), "send_to_kmsh", "school_submission", fmt.Sprintf("%d/%s", y.Year, school), nil, after)
	})
	return forms, err
}

func (c *change) statusCounts(ctx context.Context, year int, cond string, args ...any) (map[string]int, error) {
	var q store.Query
	q.Add("a.year = ?", year)
	q.Add(cond, args...)
	rows, err := c.tx.QueryContext(ctx, `SELECT a.status, COUNT(*)`+appFrom+q.Where()+` GROUP BY a.status`, q.Args()...)
	if err != nil {
		return nil, fmt.Errorf("application: counts: %w", err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var st string
		var n int
		if err := rows.Scan(&st, &n); err != nil {
			return nil, err
		}
		out[st] = n
	}
	return out, rows.Err()
}

// VerifySchool records the KMSH's verification of a school's submission
// (Neni 10.6, 22 ¶4): its confirmed forms become verified.
func (s *Service) VerifySchool(ctx context.Context, p *auth.Principal, school, lateReason string) (int, error) {
	if err := auth.Require(p, auth.RoleKMSH, auth.RoleAVA); err != nil {
		return 0, err
	}
	y, err := s.year(ctx)
	if err != nil {
		return 0, err
	}
	n := 0
	err = s.inTx(ctx, p, func(c *change) error {
		if err := c.inScopeSchool(ctx, school); err != nil {
			return err
		}
		late, err := checkDeadline(y.Config, examyear.KeyListsToAVA, auth.RoleKMSH, p, lateReason, s.now())
		if err != nil {
			return err
		}
		if sent, err := c.schoolSent(ctx, y.Year, school); err != nil {
			return err
		} else if !sent {
			return apperr.New(apperr.Invalid, "Shkolla «%s» nuk i ka dërguar ende formularët dhe tabelën T.", school)
		}
		apps, err := c.appsWhere(ctx, "a.year = ? AND st.school_code = ? AND a.status = ?", y.Year, school, Confirmed)
		if err != nil {
			return err
		}
		note := ""
		if late {
			note = "Verifikuar me vonesë: " + strings.TrimSpace(lateReason)
		}
		ids := make([]int64, len(apps))
		for i, a := range apps {
			ids[i] = a.ID
		}
		n = len(ids)
		if n > 0 {
			if err := c.transition(ctx, ids, Verified, "verified_at", "verify", fmt.Sprintf("%d/%s", y.Year, school), note); err != nil {
				return err
			}
		}
		_, err = c.tx.ExecContext(ctx, `UPDATE school_submissions SET verified_at = $1, verified_by = $2 WHERE year = $3 AND school_code = $4`,
			c.at, p.Username, y.Year, school)
		return err
	})
	return n, err
}

// UnitAllowed checks that the caller may act for unit: AVA for any, a
// KMSH for its own unit and, for a DAR, the ZA under it.
func (s *Service) UnitAllowed(ctx context.Context, p *auth.Principal, unit string) error {
	if p.Role == auth.RoleAVA {
		return nil
	}
	if p.Role == auth.RoleKMSH {
		var n int
		if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM units WHERE code = $1 AND (code = $2 OR parent_code = $2)`, unit, p.Unit).Scan(&n); err != nil {
			return fmt.Errorf("application: unit scope: %w", err)
		}
		if n > 0 {
			return nil
		}
	}
	return apperr.New(apperr.NotFound, "DAR/ZA «%s» nuk u gjet.", unit)
}

// SendUnitToAVA sends the region's lists, per school, to AVA (Neni 22 ¶4)
// by the deadline. Every school that sent forms must be verified, and no
// school may still hold confirmed forms it has not sent.
func (s *Service) SendUnitToAVA(ctx context.Context, p *auth.Principal, unit, lateReason string) (int, error) {
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
	n := 0
	err = s.inTx(ctx, p, func(c *change) error {
		late, err := checkDeadline(y.Config, examyear.KeyListsToAVA, auth.RoleKMSH, p, lateReason, s.now())
		if err != nil {
			return err
		}
		inUnit := "sc.unit_code IN (SELECT code FROM units WHERE code = ? OR parent_code = ?)"
		counts, err := c.statusCounts(ctx, y.Year, inUnit, unit, unit)
		if err != nil {
			return err
		}
		if counts[Confirmed] > 0 || counts[Submitted] > 0 {
			return apperr.New(apperr.Invalid, "%d formularë nuk janë verifikuar ende (shkolla që s’kanë dërguar, ose dërgime pa verifikuar).", counts[Confirmed]+counts[Submitted])
		}
		n = counts[Verified]
		if n == 0 {
			return apperr.New(apperr.Invalid, "Nuk ka formularë të verifikuar për t’i dërguar në AVA.")
		}
		return c.sendUnit(ctx, y.Year, unit, "lists", n, late, lateReason)
	})
	return n, err
}

// sendUnit records what a KMSH sends AVA for its unit, once: the lists of
// Neni 22 ¶4 (kind "lists") or the failing students of Neni 35 ¶3 (kind
// "failing"), with how many items, and audits it.
func (c *change) sendUnit(ctx context.Context, year int, unit, kind string, items int, late bool, lateReason string) error {
	if _, err := c.tx.ExecContext(ctx, `INSERT INTO unit_submissions (year, unit_code, kind, sent_at, sent_by, items) VALUES ($1, $2, $3, $4, $5, $6)`,
		year, unit, kind, c.at, c.p.Username, items); err != nil {
		if store.IsUniqueViolation(err) {
			if kind == "failing" {
				return apperr.New(apperr.Conflict, "Lista e mbetësve e DAR/ZA «%s» është dërguar tashmë në AVA.", unit)
			}
			return apperr.New(apperr.Conflict, "Listat e DAR/ZA «%s» janë dërguar tashmë në AVA.", unit)
		}
		return err
	}
	after := map[string]any{"items": items, "article": map[string]string{"lists": "Neni 22 ¶4", "failing": "Neni 35 ¶3"}[kind]}
	if late {
		after["late_reason"] = lateReason
	}
	return c.chain.Add(ctx, c.p.Actor(), "send_"+kind+"_to_ava", "unit_submission", fmt.Sprintf("%d/%s/%s", year, unit, kind), nil, after)
}

// sentUnits is the SQL condition that the school's unit, or the DAR above
// it, has sent its kind of list to AVA.
const sentUnits = `EXISTS (SELECT 1 FROM unit_submissions us JOIN units u ON u.code = sc.unit_code
	WHERE us.year = a.year AND us.kind = ? AND (us.unit_code = u.code OR us.unit_code = u.parent_code))`

// AssignRegistrationNumbers gives every verified application whose region
// has sent its lists a registration number (Neni 34 ¶2), in a documented
// order: by DAR/ZA, school, and the Albanian order of names. Numbers once
// given never change; later applications continue the serial. AVA only.
func (s *Service) AssignRegistrationNumbers(ctx context.Context, p *auth.Principal, lateReason string) (int, error) {
	if err := auth.Require(p, auth.RoleAVA); err != nil {
		return 0, err
	}
	y, err := s.year(ctx)
	if err != nil {
		return 0, err
	}
	n := 0
	err = s.inTx(ctx, p, func(c *change) error {
		late, err := checkDeadline(y.Config, examyear.KeyRegistrationNumbers, auth.RoleAVA, p, lateReason, s.now())
		if err != nil {
			return err
		}
		var last string
		if err := c.tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(reg_no), '') FROM applications WHERE year = $1 AND reg_no IS NOT NULL`, y.Year).Scan(&last); err != nil {
			return err
		}
		serial := 0
		if last != "" {
			serial = regSerial(last)
		}
		var q store.Query
		q.Add("a.year = ? AND a.status = ?", y.Year, Verified)
		q.Add(sentUnits, "lists")
		apps, err := queryApps(ctx, c.tx, `SELECT `+appCols+appFrom+q.Where()+` ORDER BY sc.unit_code, sc.code, st.sort_key, st.id`, q.Args()...)
		if err != nil {
			return err
		}
		if serial+len(apps) > MaxSerial {
			return apperr.New(apperr.Invalid, "Numrat e regjistrimit të vitit %d mbarojnë (%d).", y.Year, MaxSerial)
		}
		note := "Numri i regjistrimit (Neni 34)"
		if late {
			note += ". Me vonesë: " + strings.TrimSpace(lateReason)
		}
		assigned := make([][2]any, 0, len(apps))
		for i := range apps {
			a := &apps[i]
			serial++
			a.RegNo, a.Status = RegNo(y.Year, serial), Registered
			assigned = append(assigned, [2]any{a.ID, a.RegNo})
		}
		n = len(apps)
		if n == 0 {
			return nil
		}
		if err := c.setRegNos(ctx, assigned); err != nil {
			return err
		}
		// One history line per form, and one audit entry for the act that
		// lists every number given.
		if err := c.batchEvents(ctx, Registered, note, "year = ? AND registered_at = ? AND status = ?", y.Year, c.at, Registered); err != nil {
			return err
		}
		return c.chain.Add(ctx, p.Actor(), "assign_registration_numbers", "applications", fmt.Sprint(y.Year), nil,
			map[string]any{"count": n, "note": note, "assigned": assigned})
	})
	return n, err
}

// batchEvents writes one history line for every application matching cond
// (a condition on the applications table), in one statement.
func (c *change) batchEvents(ctx context.Context, status, note, cond string, args ...any) error {
	var q store.Query
	actor := c.p.Actor()
	at, who, role, st, nt := q.Arg(c.at), q.Arg(actor.Name), q.Arg(actor.Role), q.Arg(status), q.Arg(note)
	q.Add(cond, args...)
	_, err := c.tx.ExecContext(ctx, `INSERT INTO application_history (application_id, at, actor, role, status, note)
		SELECT id, `+at+`, `+who+`, `+role+`, `+st+`, `+nt+` FROM applications`+q.Where(), q.Args()...)
	if err != nil {
		return fmt.Errorf("application: history: %w", err)
	}
	return nil
}

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
	err = s.inTx(ctx, p, func(c *change) error {
		if err := c.inScopeSchool(ctx, school); err != nil {
			return err
		}
		if err := checkOpens(y.Config, examyear.KeyFailingToKMSH, examyear.KeySchoolYearEnd, s.now()); err != nil {
			return err
		}
		late, err := checkDeadline(y.Config, examyear.KeyFailingToKMSH, auth.RoleKSHMSH, p, lateReason, s.now())
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
			if _, err := c.tx.ExecContext(ctx, `UPDATE applications SET failing = $1, updated_at = $2 WHERE id = $3`, failing, c.at, a.ID); err != nil {
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
	if err := checkOpens(y.Config, examyear.KeyFailingToAVA, examyear.KeySchoolYearEnd, s.now()); err != nil {
		return 0, err
	}
	n := 0
	err = s.inTx(ctx, p, func(c *change) error {
		late, err := checkDeadline(y.Config, examyear.KeyFailingToAVA, auth.RoleKMSH, p, lateReason, s.now())
		if err != nil {
			return err
		}
		if err := c.tx.QueryRowContext(ctx, `SELECT COUNT(*)`+appFrom+` WHERE a.year = $1 AND a.failing AND sc.unit_code IN (SELECT code FROM units WHERE code = $2 OR parent_code = $2)`,
			y.Year, unit).Scan(&n); err != nil {
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
}

// BuildFinalLists builds the final name list of each exam (Neni 36) from
// the registered applications, once the failing students are known (Neni
// 35): it leaves out failing students, candidates barred under Neni 55.2,
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
	if err := checkOpens(y.Config, examyear.KeySession2Lists, examyear.KeyFailingToAVA, s.now()); err != nil && strings.TrimSpace(lateReason) == "" {
		return sum, apperr.New(apperr.Invalid, "Listat përfundimtare ndërtohen pasi KMSH-të kanë njoftuar nxënësit mbetës (Neni 35–36, afati %s). Për t’i ndërtuar më herët shënoni arsyen.", dateOf(y.Config, examyear.KeyFailingToAVA))
	}
	err = s.inTx(ctx, p, func(c *change) error {
		listable := []any{Verified, Registered, Corrected, Final}
		rows, err := c.tx.QueryContext(ctx, `SELECT student_id, COALESCE(reg_no, ''), failing, mandatory, electives FROM applications
			WHERE year = $1 AND status IN ($2, $3, $4, $5)`, append([]any{y.Year}, listable...)...)
		if err != nil {
			return fmt.Errorf("application: final lists: %w", err)
		}
		type form struct {
			student              int64
			regNo                string
			failing              bool
			mandatory, electives []string
		}
		var forms []form
		for rows.Next() {
			var f form
			var m, e string
			if err := rows.Scan(&f.student, &f.regNo, &f.failing, &m, &e); err != nil {
				rows.Close()
				return err
			}
			f.mandatory, f.electives = split(m), split(e)
			forms = append(forms, f)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		results, err := resultsOf(ctx, c.tx, 0)
		if err != nil {
			return err
		}
		exclusions, err := exclusionsOf(ctx, c.tx, 0)
		if err != nil {
			return err
		}
		if _, err := c.tx.ExecContext(ctx, `DELETE FROM final_lists WHERE year = $1`, y.Year); err != nil {
			return err
		}
		note := "Në listën përfundimtare (Neni 36)"
		if strings.TrimSpace(lateReason) != "" {
			note += ". Arsyeja: " + strings.TrimSpace(lateReason)
		}
		// Decide in Go who is left out and why; then write each exam's list
		// with one INSERT … SELECT.
		var barred, noElectives []any
		var exams []string
		seen := map[string]bool{}
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
				barred = append(barred, f.student)
				continue
			}
			sat := append([]string(nil), f.mandatory...)
			if len(f.electives) > 0 {
				if ok, _, _ := MaySitElectives(y.Year, results[f.student]); ok {
					sat = append(sat, f.electives...)
				} else {
					sum.Electives++
					noElectives = append(noElectives, f.student)
				}
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
		for _, e := range exams {
			var q store.Query
			col, left := "a.electives", append(append([]any(nil), barred...), noElectives...)
			if e == examyear.KindD1 || e == examyear.KindD2 {
				col, left = "a.mandatory", barred
			}
			exam := q.Arg(e)
			q.Add("a.year = ?", y.Year)
			q.Add("a.status IN (?, ?, ?, ?)", listable...)
			q.Add("a.reg_no IS NOT NULL AND NOT a.failing")
			q.Add("(',' || "+col+" || ',') LIKE ?", "%,"+e+",%")
			if len(left) > 0 {
				q.Add("a.student_id NOT IN ("+strings.TrimSuffix(strings.Repeat("?, ", len(left)), ", ")+")", left...)
			}
			if _, err := c.tx.ExecContext(ctx, `INSERT INTO final_lists (year, exam, student_id, reg_no, school_code)
				SELECT a.year, `+exam+`, a.student_id, a.reg_no, st.school_code FROM applications a JOIN students st ON st.id = a.student_id`+q.Where(), q.Args()...); err != nil {
				return fmt.Errorf("application: final list %s: %w", e, err)
			}
		}
		// Every listed form is final: one history line each, then the status.
		listed := "year = ? AND status <> ? AND student_id IN (SELECT student_id FROM final_lists WHERE year = ?)"
		if err := c.batchEvents(ctx, Final, note, listed, y.Year, Final, y.Year); err != nil {
			return err
		}
		if _, err := c.tx.ExecContext(ctx, `UPDATE applications SET status = $1, updated_at = $2 WHERE year = $3 AND status <> $1
			AND student_id IN (SELECT student_id FROM final_lists WHERE year = $3)`, Final, c.at, y.Year); err != nil {
			return fmt.Errorf("application: final status: %w", err)
		}
		// A form taken off the lists by a rebuild (failing, barred, corrected
		// away) is registered again, not final.
		dropped := "year = ? AND status = ? AND student_id NOT IN (SELECT student_id FROM final_lists WHERE year = ?)"
		if err := c.batchEvents(ctx, Registered, "Hequr nga listat përfundimtare", dropped, y.Year, Final, y.Year); err != nil {
			return err
		}
		if _, err := c.tx.ExecContext(ctx, `UPDATE applications SET status = $1, updated_at = $2 WHERE year = $3 AND status = $4
			AND student_id NOT IN (SELECT student_id FROM final_lists WHERE year = $3)`, Registered, c.at, y.Year, Final); err != nil {
			return fmt.Errorf("application: final status: %w", err)
		}
		return c.chain.Add(ctx, p.Actor(), "build_final_lists", "final_lists", fmt.Sprint(y.Year), nil, sum)
	})
	return sum, err
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
	rows, err := s.db.QueryContext(ctx, `SELECT f.reg_no, st.first_name, st.father_name, st.last_name, st.birth_date, sc.code, sc.name, sc.unit_code
		FROM final_lists f JOIN students st ON st.id = f.student_id JOIN schools sc ON sc.code = f.school_code`+q.Where()+` ORDER BY st.sort_key, f.reg_no`, q.Args()...)
	if err != nil {
		return nil, fmt.Errorf("application: final list: %w", err)
	}
	defer rows.Close()
	var out []ListEntry
	for rows.Next() {
		var e ListEntry
		var first, father, last string
		if err := rows.Scan(&e.RegNo, &first, &father, &last, &e.BirthDate, &e.SchoolCode, &e.SchoolName, &e.UnitCode); err != nil {
			return nil, err
		}
		e.FullName = first + " (" + father + ") " + last
		out = append(out, e)
	}
	return out, rows.Err()
}
