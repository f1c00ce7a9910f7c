package application

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"provim/internal/apperr"
	"provim/internal/auth"
	"provim/internal/examyear"
	"provim/internal/registry"
	"provim/internal/store"
)

// bulkAnalyze: after an import of more forms than this the planner's
// statistics are refreshed (store.DB.Analyze).
const bulkAnalyze = 1000

// A1Columns are the columns of a file of paper A1 forms: the student's
// personal number, the electives (empty when none) and the day the form
// was handed in to the school (Neni 22 ¶1; empty: today).
var A1Columns = []string{"nr_personal", "z1", "z2", "data_dorezimit"}

// ImportA1 enters a school's (or a region's) paper A1 forms from a CSV or
// XLSX file (Neni 22 ¶1–2), all or nothing: every bad row is reported with
// its line and reason in Albanian, and nothing is written then. A form
// already in the file's scope is updated only while it may still be
// (as FileA1); re-importing the same file changes nothing. It returns how
// many forms were created or changed.
func (s *Service) ImportA1(ctx context.Context, p *auth.Principal, filename string, r io.Reader, lateReason string) (int, error) {
	if err := auth.Require(p, auth.RoleKSHMSH, auth.RoleKMSH, auth.RoleAVA); err != nil {
		return 0, err
	}
	y, err := s.year(ctx)
	if err != nil {
		return 0, err
	}
	rows, cell, err := s.readForms(filename, r, A1Columns, []string{"nr_personal"})
	if err != nil {
		return 0, err
	}
	n := 0
	err = s.inTx(ctx, p, func(ctx context.Context, c *change) error {
		late, err := checkDeadline(y.Config, examyear.KeyTableT, auth.RoleKSHMSH, p, lateReason, c.now)
		if err != nil {
			return err
		}
		students, err := c.studentsInScope(ctx)
		if err != nil {
			return err
		}
		existing, err := c.appsByStudent(ctx, y.Year)
		if err != nil {
			return err
		}
		results, err := c.s.resultsOf(ctx, 0)
		if err != nil {
			return err
		}
		exclusions, err := c.s.exclusionsOf(ctx, 0)
		if err != nil {
			return err
		}
		var bad []registry.RowError
		type todo struct {
			a    Application
			prev *Application
			note string
		}
		var work []todo
		seen := map[string]int{}
		for _, row := range rows {
			var reasons []string
			nid, nerr := registry.ParseNID(cell(row, "nr_personal"))
			st, ok := students[nid.Number]
			switch {
			case nerr != nil:
				reasons = append(reasons, "numri personal «"+cell(row, "nr_personal")+"» nuk është i vlefshëm")
			case !ok:
				reasons = append(reasons, "nxënësi me numër personal "+nid.Number+" nuk është në fushën tuaj")
			case seen[nid.Number] != 0:
				reasons = append(reasons, fmt.Sprintf("nxënësi përsëritet (edhe në rreshtin %d)", seen[nid.Number]))
			}
			electives := normCodes([]string{cell(row, "z1"), cell(row, "z2")})
			if len(reasons) == 0 {
				seen[nid.Number] = row.Line
				prev := existing[st.ID]
				a, problems := a1For(p, y.Config, y.Year, st, prev, results[st.ID], exclusions[st.ID], electives, true)
				for _, pr := range problems {
					reasons = append(reasons, strings.TrimSuffix(pr.msg, "."))
				}
				// Neni 22 ¶1: the deadline applies to the hand-in day.
				h, herr := paperHandIn(y.Config, cell(row, "data_dorezimit"), paperDay(prev), p, lateReason, c.now)
				if herr != nil {
					reasons = append(reasons, strings.TrimSuffix(apperr.MessageOf(herr), "."))
				}
				a.HandedIn, a.Late = h.Stored(), late || h.late
				note := h.Note() + ", nga skedari " + filename
				if a.Late {
					note += ". Pranuar me vonesë: " + strings.TrimSpace(lateReason)
				}
				same := prev != nil && prev.Status == a.Status && join(prev.Electives) == join(a.Electives) && prev.HandedIn == a.HandedIn
				if len(reasons) == 0 && !same {
					work = append(work, todo{a, prev, note})
				}
			}
			if len(reasons) > 0 {
				bad = append(bad, registry.RowError{Line: row.Line, Reasons: reasons})
			}
		}
		if len(bad) > 0 {
			return &registry.ImportError{Rows: bad}
		}
		forms := make([]formWrite, len(work))
		for i := range work {
			w := &work[i]
			forms[i] = formWrite{a: &w.a, prev: w.prev, action: "file_a1", note: w.note}
			if w.prev != nil {
				forms[i].action = "update_a1"
			}
		}
		if err := c.writeForms(ctx, forms); err != nil {
			return err
		}
		n = len(work)
		return nil
	})
	if err == nil && n > bulkAnalyze {
		err = s.db.AnalyzeTables(ctx, "applications", "application_history", "a2_forms")
	}
	return n, err
}

// studentsInScope maps personal numbers to the students the caller may
// file for.
func (c *change) studentsInScope(ctx context.Context) (map[string]studentRef, error) {
	list, err := c.s.reg.Enrolments(ctx, c.p)
	if err != nil {
		return nil, fmt.Errorf("application: %w", err)
	}
	out := make(map[string]studentRef, len(list))
	for _, r := range list {
		out[r.PersonalNo] = r
	}
	return out, nil
}

func (c *change) appsByStudent(ctx context.Context, year int) (map[int64]*Application, error) {
	var q store.Query
	q.Add("a.year = ?", year)
	apps, err := c.appsWhere(ctx, q)
	if err != nil {
		return nil, err
	}
	out := make(map[int64]*Application, len(apps))
	for i := range apps {
		out[apps[i].StudentID] = &apps[i]
	}
	return out, nil
}

// A2Columns are the columns of a file of paper A2 forms: the personal
// number, the fee receipt (number, date, amount), the ranked programme
// codes separated by ";" and, optional, the registration number (checked
// with its check digit and against the student's).
var A2Columns = []string{"nr_personal", "mandat_nr", "mandat_data", "shuma", "programet", "nr_regjistrimi"}

// a2Required are the columns a file of A2 forms must have.
var a2Required = A2Columns[:5]

// ImportA2 enters paper A2 forms (Neni 21 ¶2, 32) from a CSV or XLSX file,
// all or nothing, with the rules of FileA2 for every row; every bad row is
// reported with its line. It returns how many forms were filed or changed.
func (s *Service) ImportA2(ctx context.Context, p *auth.Principal, filename string, r io.Reader, lateReason string) (int, error) {
	if err := auth.Require(p, auth.RoleKSHMSH, auth.RoleKMSH, auth.RoleAVA); err != nil {
		return 0, err
	}
	y, err := s.year(ctx)
	if err != nil {
		return 0, err
	}
	rows, cell, err := s.readForms(filename, r, A2Columns, a2Required)
	if err != nil {
		return 0, err
	}
	n := 0
	err = s.inTx(ctx, p, func(ctx context.Context, c *change) error {
		// Neni 21.1: form A2 exists once MASH has approved it.
		if err := checkOpens(y.Config, examyear.KeyA2, examyear.KeyA2FormApproved, c.now); err != nil {
			return err
		}
		late, err := checkDeadline(y.Config, examyear.KeyA2ToKMSH, auth.RoleKSHMSH, p, lateReason, c.now)
		if err != nil {
			return err
		}
		students, err := c.studentsInScope(ctx)
		if err != nil {
			return err
		}
		apps, err := c.appsByStudent(ctx, y.Year)
		if err != nil {
			return err
		}
		catalogue, err := c.catalogue(ctx)
		if err != nil {
			return err
		}
		results, err := c.s.resultsOf(ctx, 0)
		if err != nil {
			return err
		}
		stored, err := c.a2ByStudent(ctx, y.Year)
		if err != nil {
			return err
		}
		receipts, err := c.receiptsUsed(ctx)
		if err != nil {
			return err
		}
		type todo struct {
			student studentRef
			codes   []string
			rc      Receipt
			prev    *A2
		}
		var work []todo
		var bad []registry.RowError
		seen := map[int64]int{}
		for _, row := range rows {
			nid, nerr := registry.ParseNID(cell(row, "nr_personal"))
			st, ok := students[nid.Number]
			var reasons []string
			switch {
			case nerr != nil:
				reasons = append(reasons, "numri personal «"+cell(row, "nr_personal")+"» nuk është i vlefshëm")
			case !ok:
				reasons = append(reasons, "nxënësi me numër personal "+nid.Number+" nuk është në fushën tuaj")
			case seen[st.ID] != 0:
				reasons = append(reasons, fmt.Sprintf("nxënësi përsëritet (edhe në rreshtin %d)", seen[st.ID]))
			}
			amount, aerr := ParseAmount(cell(row, "shuma"))
			if aerr != nil {
				reasons = append(reasons, strings.TrimSuffix(apperr.MessageOf(aerr), "."))
			}
			date := cell(row, "mandat_data")
			if d, ok := albanianDate(date); ok {
				date = d
			}
			rc := Receipt{Number: cell(row, "mandat_nr"), Date: date, Amount: amount}
			codes := normCodes(strings.FieldsFunc(cell(row, "programet"), func(r rune) bool { return r == ';' || r == ' ' || r == '|' }))
			if no := cell(row, "nr_regjistrimi"); no != "" && len(reasons) == 0 {
				if err := CheckRegNo(no); err != nil {
					reasons = append(reasons, strings.TrimSuffix(apperr.MessageOf(err), "."))
				} else if a := apps[st.ID]; a == nil || a.RegNo != no {
					reasons = append(reasons, "numri i regjistrimit "+no+" nuk është i këtij nxënësi")
				}
			}
			if len(reasons) == 0 {
				seen[st.ID] = row.Line
				f := a2Facts{app: apps[st.ID], catalogue: catalogue, hasElectives: len(ValidElectiveResults(results[st.ID])) > 0,
					prev: stored[st.ID], receiptOf: func(key string) receiptUse { return receipts[key] }}
				reasons = checkA2(y.Config, y.Year, c.now, st.ID, codes, rc, f)
				if len(reasons) == 0 {
					receipts[ReceiptKey(rc.Number)] = receiptUse{y.Year, st.ID}
					if f.prev == nil || join(f.prev.Programmes) != join(codes) {
						work = append(work, todo{st, codes, rc, f.prev})
					}
				}
			}
			if len(reasons) > 0 {
				bad = append(bad, registry.RowError{Line: row.Line, Reasons: reasons})
			}
		}
		if len(bad) > 0 {
			return &registry.ImportError{Rows: bad}
		}
		reason := ""
		if late {
			reason = lateReason
		}
		forms := make([]a2Write, len(work))
		for i, w := range work {
			forms[i] = a2Write{w.student, w.codes, w.rc, w.prev}
		}
		if err := c.saveA2Many(ctx, y.Year, forms, Paper, reason); err != nil {
			return err
		}
		n = len(work)
		return nil
	})
	if err == nil && n > bulkAnalyze {
		err = s.db.AnalyzeTables(ctx, "applications", "application_history", "a2_forms")
	}
	return n, err
}

// albanianDate accepts 20.06.2027 as well as 2027-06-20.
func albanianDate(s string) (string, bool) {
	t, err := time.Parse("02.01.2006", s)
	if err != nil {
		return "", false
	}
	return t.Format("2006-01-02"), true
}

// receiptsUsed maps the receipts filed with form A2, in every year, to
// their use (Neni 28–29).
func (c *change) receiptsUsed(ctx context.Context) (map[string]receiptUse, error) {
	type row struct {
		key string
		use receiptUse
	}
	list, err := store.Select(ctx, c.q(ctx), func(r store.Scanner) (row, error) {
		var x row
		return x, r.Scan(&x.key, &x.use.year, &x.use.student)
	}, `SELECT receipt_key, year, student_id FROM a2_forms WHERE receipt_key IS NOT NULL`)
	if err != nil {
		return nil, fmt.Errorf("application: receipts: %w", err)
	}
	out := make(map[string]receiptUse, len(list))
	for _, x := range list {
		out[x.key] = x.use
	}
	return out, nil
}

func (c *change) a2ByStudent(ctx context.Context, year int) (map[int64]*A2, error) {
	list, err := store.Select(ctx, c.q(ctx), func(r store.Scanner) (*A2, error) {
		f := &A2{Year: year}
		var programmes string
		err := r.Scan(&f.ID, &f.StudentID, &programmes, &f.Receipt.Number, &f.Receipt.Date, &f.Receipt.Amount, &f.Source, &f.SubmittedAt)
		f.Programmes = split(programmes)
		return f, err
	}, `SELECT id, student_id, programmes, receipt_no, receipt_date, receipt_amount, source, submitted_at FROM a2_forms WHERE year = $1`, year)
	if err != nil {
		return nil, fmt.Errorf("application: A2 forms: %w", err)
	}
	out := make(map[int64]*A2, len(list))
	for _, f := range list {
		out[f.StudentID] = f
	}
	return out, nil
}

// readForms reads a CSV or XLSX file of paper forms whose header names
// columns (in any order, any case); the required ones must be there. cell
// reads a row's value of a column, "" when absent. The registry's reader
// reads the file within its limits (rows, columns, unzipped size; a cell
// right of the header refuses the file) and gives every cell in NFC.
func (s *Service) readForms(filename string, r io.Reader, columns, required []string) ([]registry.Row, func(registry.Row, string) string, error) {
	header, rows, err := s.reg.ReadTable(filename, r)
	if err != nil {
		return nil, nil, err
	}
	pos := map[string]int{}
	for i, h := range header {
		pos[strings.ToLower(strings.TrimSpace(h))] = i
	}
	for _, c := range required {
		if _, ok := pos[c]; !ok {
			return nil, nil, apperr.New(apperr.Invalid, "Mungon kolona «%s». Kolonat e skedarit: %s.", c, strings.Join(columns, ", "))
		}
	}
	cell := func(row registry.Row, name string) string {
		i, ok := pos[name]
		if !ok || i >= len(row.Cells) {
			return ""
		}
		return strings.TrimSpace(row.Cells[i])
	}
	return rows, cell, nil
}
