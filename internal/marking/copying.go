package marking

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"

	"provim/internal/anonym"
	"provim/internal/apperr"
	"provim/internal/audit"
	"provim/internal/auth"
	"provim/internal/store"
)

// Suspected copying (Neni 57.15–57.17): a marker reports a booklet of
// their queue as suspected of copying; KOPOTED takes the reported
// booklets into cases, records its finding and reports it to MASH; MASH
// decides whether the result is voided. A case is open until MASH
// decides, and marking cannot close while one is open.

// Findings of KOPOTED and decisions of MASH.
const (
	FindingCopied    = "copied"
	FindingNotCopied = "not_copied"
	DecisionVoided   = "voided"
	DecisionStands   = "stands"
)

// Report is a booklet reported as suspected of copying.
type Report struct {
	Code       string `json:"code"`
	Display    string `json:"display"`
	ReportedBy string `json:"reported_by"`
	ReportedAt string `json:"reported_at"`
	Reason     string `json:"reason"`
	CaseNo     int    `json:"case_no"` // 0 until KOPOTED takes it
}

// Case is one of KOPOTED's cases.
type Case struct {
	No          int      `json:"case_no"`
	Codes       []string `json:"codes"`
	Displays    []string `json:"displays"`
	OpenedBy    string   `json:"opened_by"`
	OpenedAt    string   `json:"opened_at"`
	Finding     string   `json:"finding"`
	FindingNote string   `json:"finding_note,omitempty"`
	FindingBy   string   `json:"finding_by,omitempty"`
	FindingAt   string   `json:"finding_at,omitempty"`
	Decision    string   `json:"decision"`
	DecisionRef string   `json:"decision_ref,omitempty"`
	DecisionBy  string   `json:"decision_by,omitempty"`
	DecisionAt  string   `json:"decision_at,omitempty"`
}

// Open reports whether MASH has not decided the case yet.
func (c Case) Open() bool { return c.Decision == "" }

// Copying is KOPOTED's and MASH's page of an exam: the reported booklets
// and the cases.
type Copying struct {
	Year   int  `json:"year"`
	Exam   Exam `json:"exam"`
	Closed bool `json:"closed"`
	// CanOpen: the caller is KOPOTED (opens cases, records findings);
	// CanDecide: the caller is MASH; both false once marking closed.
	CanOpen   bool     `json:"can_open"`
	CanDecide bool     `json:"can_decide"`
	Reports   []Report `json:"reports"`
	Cases     []Case   `json:"cases"`
}

// Waiting lists the reported codes no case has taken yet, once each.
func (c Copying) Waiting() []string {
	var out []string
	for _, r := range c.Reports {
		if r.CaseNo == 0 && !slices.Contains(out, r.Code) {
			out = append(out, r.Code)
		}
	}
	return out
}

// MayWatchCopying: KOPOTED, MASH, AVA and the observers read the
// reports and cases (Neni 57.16–57.18); the index page asks it for its link.
func MayWatchCopying(p *auth.Principal) bool {
	return MayJudgeCopying(p) || MayDecide(p) || MayManage(p) || MayObserve(p)
}

// ReportCopying is a marker's report of a booklet of their queue as
// suspected of copying (Neni 57.15); a code not allocated to them is
// NotFound.
func (s *Service) ReportCopying(ctx context.Context, p *auth.Principal, year int, exam, code, reason string) error {
	year, e, err := s.oversightExam(ctx, year, exam)
	if err != nil {
		return err
	}
	if !MayMark(p) {
		return apperr.New(apperr.Forbidden, "Dyshimin për kopjim e raporton vlerësuesi që vlerëson test-broshurën (Neni 57.15).")
	}
	if _, err := s.markerOf(ctx, p, year, e.Code); err != nil {
		return err
	}
	code, reason = oversightCode(code), strings.TrimSpace(reason)
	if reason == "" {
		return apperr.New(apperr.Invalid, "Shkruani arsyen e dyshimit për kopjim (Neni 57.15).")
	}
	return s.db.InTx(ctx, func(ctx context.Context) error {
		if err := s.oversightOpen(ctx, year, e.Code); err != nil {
			return err
		}
		var n int
		if err := s.db.Q(ctx).QueryRowContext(ctx, `SELECT COUNT(*) FROM marking_allocations WHERE year = $1 AND exam = $2 AND code = $3 AND username = $4`,
			year, e.Code, code, p.Username).Scan(&n); err != nil {
			return fmt.Errorf("marking: allocation of %s: %w", code, err)
		}
		if n == 0 {
			return apperr.New(apperr.NotFound, "Test-broshura %s nuk është në radhën tuaj të vlerësimit.", anonym.Display(code))
		}
		if err := s.db.Q(ctx).QueryRowContext(ctx, `SELECT COUNT(*) FROM marking_reports WHERE year = $1 AND exam = $2 AND code = $3 AND reported_by = $4`,
			year, e.Code, code, p.Username).Scan(&n); err != nil {
			return fmt.Errorf("marking: report of %s: %w", code, err)
		}
		if n > 0 {
			return apperr.New(apperr.Conflict, "E keni raportuar tashmë test-broshurën %s për kopjim.", anonym.Display(code))
		}
		if _, err := s.db.Q(ctx).ExecContext(ctx, `INSERT INTO marking_reports (year, exam, code, reported_by, reported_at, reason) VALUES ($1, $2, $3, $4, $5, $6)`,
			year, e.Code, code, p.Username, s.stamp(ctx), reason); err != nil {
			return fmt.Errorf("marking: report %s: %w", code, err)
		}
		return audit.Add(ctx, p.Actor(), "marking.report", "marking_booklet", fmt.Sprintf("%d/%s/%s", year, e.Code, code), nil, map[string]any{"reason": reason})
	})
}

// OpenCase is KOPOTED taking reported booklets into a case (Neni 57.16);
// every code must be reported and in no case yet.
func (s *Service) OpenCase(ctx context.Context, p *auth.Principal, year int, exam string, codes []string) (int, error) {
	year, e, err := s.oversightExam(ctx, year, exam)
	if err != nil {
		return 0, err
	}
	if !MayJudgeCopying(p) {
		return 0, apperr.New(apperr.Forbidden, "Rastet e dyshimit për kopjim i hap KOPOTED (Neni 57.16).")
	}
	var list []string
	for _, c := range codes {
		if c = oversightCode(c); c != "" && !slices.Contains(list, c) {
			list = append(list, c)
		}
	}
	if len(list) == 0 {
		return 0, apperr.New(apperr.Invalid, "Zgjidhni të paktën një test-broshurë të raportuar për rastin (Neni 57.16).")
	}
	slices.Sort(list)
	var no int
	err = s.db.InTx(ctx, func(ctx context.Context) error {
		if err := s.oversightOpen(ctx, year, e.Code); err != nil {
			return err
		}
		for _, c := range list {
			var waiting, taken int
			if err := s.db.Q(ctx).QueryRowContext(ctx, `SELECT COALESCE(SUM(CASE WHEN case_no = 0 THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN case_no > 0 THEN 1 ELSE 0 END), 0)
				FROM marking_reports WHERE year = $1 AND exam = $2 AND code = $3`, year, e.Code, c).Scan(&waiting, &taken); err != nil {
				return fmt.Errorf("marking: reports of %s: %w", c, err)
			}
			switch {
			case taken > 0:
				return apperr.New(apperr.Conflict, "Test-broshura %s është tashmë në një rast të KOPOTED.", anonym.Display(c))
			case waiting == 0:
				return apperr.New(apperr.NotFound, "Test-broshura %s nuk është raportuar për kopjim (Neni 57.15).", anonym.Display(c))
			}
		}
		if err := s.db.Q(ctx).QueryRowContext(ctx, `SELECT COALESCE(MAX(case_no), 0) + 1 FROM marking_cases WHERE year = $1 AND exam = $2`, year, e.Code).Scan(&no); err != nil {
			return fmt.Errorf("marking: case no: %w", err)
		}
		if _, err := s.db.Q(ctx).ExecContext(ctx, `INSERT INTO marking_cases (year, exam, case_no, opened_by, opened_at) VALUES ($1, $2, $3, $4, $5)`,
			year, e.Code, no, p.Username, s.stamp(ctx)); err != nil {
			return fmt.Errorf("marking: case: %w", err)
		}
		for _, c := range list {
			if _, err := s.db.Q(ctx).ExecContext(ctx, `UPDATE marking_reports SET case_no = $1 WHERE year = $2 AND exam = $3 AND code = $4`, no, year, e.Code, c); err != nil {
				return fmt.Errorf("marking: case of %s: %w", c, err)
			}
		}
		return audit.Add(ctx, p.Actor(), "open", "marking_case", caseID(year, e.Code, no), nil, map[string]any{"codes": list})
	})
	if store.IsUniqueViolation(err) {
		return 0, apperr.New(apperr.Conflict, "Një rast tjetër u hap në të njëjtën kohë; hapeni faqen përsëri.")
	}
	if err != nil {
		return 0, err
	}
	return no, nil
}

func caseID(year int, exam string, no int) string { return fmt.Sprintf("%d/%s/%d", year, exam, no) }

// caseRow reads a case's finding and decision; NotFound when there is no
// such case.
func (s *Service) caseRow(ctx context.Context, year int, exam string, no int) (finding, decision string, err error) {
	err = s.db.Q(ctx).QueryRowContext(ctx, `SELECT finding, decision FROM marking_cases WHERE year = $1 AND exam = $2 AND case_no = $3`,
		year, exam, no).Scan(&finding, &decision)
	if errors.Is(err, sql.ErrNoRows) {
		return "", "", apperr.New(apperr.NotFound, "Rasti %d i KOPOTED për %s nuk ekziston.", no, exam)
	}
	if err != nil {
		return "", "", fmt.Errorf("marking: case %d: %w", no, err)
	}
	return finding, decision, nil
}

// RecordFinding is KOPOTED's finding on a case, with its note, as
// reported to MASH (Neni 57.16); it may be corrected until MASH decides.
func (s *Service) RecordFinding(ctx context.Context, p *auth.Principal, year int, exam string, caseNo int, finding, note string) error {
	year, e, err := s.oversightExam(ctx, year, exam)
	if err != nil {
		return err
	}
	if !MayJudgeCopying(p) {
		return apperr.New(apperr.Forbidden, "Konstatimin për kopjim e regjistron KOPOTED (Neni 57.16).")
	}
	if finding != FindingCopied && finding != FindingNotCopied {
		return apperr.New(apperr.Invalid, "Konstatimi «%s» nuk njihet: «copied» (u kopjua) ose «not_copied» (nuk u kopjua).", finding)
	}
	if note = strings.TrimSpace(note); note == "" {
		return apperr.New(apperr.Invalid, "Shkruani shënimin e KOPOTED për konstatimin që i raportohet MASH (Neni 57.16).")
	}
	return s.db.InTx(ctx, func(ctx context.Context) error {
		if err := s.oversightOpen(ctx, year, e.Code); err != nil {
			return err
		}
		was, decision, err := s.caseRow(ctx, year, e.Code, caseNo)
		if err != nil {
			return err
		}
		if decision != "" {
			return apperr.New(apperr.Conflict, "MASH ka vendosur tashmë për rastin %d; konstatimi nuk ndryshohet më (Neni 57.17).", caseNo)
		}
		if _, err := s.db.Q(ctx).ExecContext(ctx, `UPDATE marking_cases SET finding = $1, finding_note = $2, finding_by = $3, finding_at = $4
			WHERE year = $5 AND exam = $6 AND case_no = $7`, finding, note, p.Username, s.stamp(ctx), year, e.Code, caseNo); err != nil {
			return fmt.Errorf("marking: finding %d: %w", caseNo, err)
		}
		return audit.Add(ctx, p.Actor(), "marking.finding", "marking_case", caseID(year, e.Code, caseNo),
			map[string]any{"finding": was}, map[string]any{"finding": finding, "note": note})
	})
}

// RecordDecision is MASH's decision on a case KOPOTED reported (Neni
// 57.17), with its reference number: "voided" voids the result of the
// case's booklets (they keep no points), "stands" leaves it. The case
// then closes.
func (s *Service) RecordDecision(ctx context.Context, p *auth.Principal, year int, exam string, caseNo int, decision, ref string) error {
	year, e, err := s.oversightExam(ctx, year, exam)
	if err != nil {
		return err
	}
	if !MayDecide(p) {
		return apperr.New(apperr.Forbidden, "Vendimin për rastet e kopjimit e merr MASH (Neni 57.17).")
	}
	if decision != DecisionVoided && decision != DecisionStands {
		return apperr.New(apperr.Invalid, "Vendimi «%s» nuk njihet: «voided» (rezultati anulohet) ose «stands» (rezultati mbetet).", decision)
	}
	if ref = strings.TrimSpace(ref); ref == "" {
		return apperr.New(apperr.Invalid, "Shkruani numrin e protokollit të vendimit të MASH (Neni 57.17).")
	}
	return s.db.InTx(ctx, func(ctx context.Context) error {
		if err := s.oversightOpen(ctx, year, e.Code); err != nil {
			return err
		}
		finding, was, err := s.caseRow(ctx, year, e.Code, caseNo)
		if err != nil {
			return err
		}
		if was != "" {
			return apperr.New(apperr.Conflict, "MASH ka vendosur tashmë për rastin %d.", caseNo)
		}
		if finding == "" {
			return apperr.New(apperr.Conflict, "KOPOTED nuk i ka raportuar ende MASH konstatimin e rastit %d (Neni 57.16).", caseNo)
		}
		res, err := s.db.Q(ctx).ExecContext(ctx, `UPDATE marking_cases SET decision = $1, decision_ref = $2, decision_by = $3, decision_at = $4
			WHERE year = $5 AND exam = $6 AND case_no = $7 AND decision = ''`, decision, ref, p.Username, s.stamp(ctx), year, e.Code, caseNo)
		if err != nil {
			return fmt.Errorf("marking: decision %d: %w", caseNo, err)
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			return apperr.New(apperr.Conflict, "MASH ka vendosur tashmë për rastin %d.", caseNo)
		}
		if decision == DecisionVoided {
			if _, err := s.db.Q(ctx).ExecContext(ctx, `UPDATE marking_booklets SET state = 'voided', final_points = -1
				WHERE year = $1 AND exam = $2 AND code IN (SELECT code FROM marking_reports WHERE year = $1 AND exam = $2 AND case_no = $3)`,
				year, e.Code, caseNo); err != nil {
				return fmt.Errorf("marking: void case %d: %w", caseNo, err)
			}
		}
		return audit.Add(ctx, p.Actor(), "marking.decision", "marking_case", caseID(year, e.Code, caseNo),
			map[string]any{"finding": finding}, map[string]any{"decision": decision, "ref": ref})
	})
}

// OpenCases counts the exam's cases MASH has not decided yet; marking
// does not close while there is one.
func (s *Service) OpenCases(ctx context.Context, year int, exam string) (int, error) {
	var n int
	if err := s.db.Q(ctx).QueryRowContext(ctx, `SELECT COUNT(*) FROM marking_cases WHERE year = $1 AND exam = $2 AND decision = ''`,
		year, NormExam(exam)).Scan(&n); err != nil {
		return 0, fmt.Errorf("marking: open cases: %w", err)
	}
	return n, nil
}

// CopyingBoard is the reports and cases of an exam for KOPOTED, MASH,
// AVA and the observers.
func (s *Service) CopyingBoard(ctx context.Context, p *auth.Principal, year int, exam string) (Copying, error) {
	year, e, err := s.oversightExam(ctx, year, exam)
	if err != nil {
		return Copying{}, err
	}
	if !MayWatchCopying(p) {
		return Copying{}, apperr.New(apperr.Forbidden, "Rastet e dyshimit për kopjim i shohin KOPOTED, MASH, AVA dhe vëzhguesit (Neni 57.16–57.18).")
	}
	c := Copying{Year: year, Exam: e}
	if c.Closed, err = s.Closed(ctx, year, e.Code); err != nil {
		return c, err
	}
	c.CanOpen, c.CanDecide = MayJudgeCopying(p) && !c.Closed, MayDecide(p) && !c.Closed
	c.Reports, err = store.Select(ctx, s.db.Q(ctx), func(r store.Scanner) (x Report, err error) {
		return x, r.Scan(&x.Code, &x.ReportedBy, &x.ReportedAt, &x.Reason, &x.CaseNo)
	}, `SELECT code, reported_by, reported_at, reason, case_no FROM marking_reports WHERE year = $1 AND exam = $2 ORDER BY case_no, code, reported_at`, year, e.Code)
	if err != nil {
		return c, fmt.Errorf("marking: reports: %w", err)
	}
	c.Cases, err = store.Select(ctx, s.db.Q(ctx), func(r store.Scanner) (x Case, err error) {
		return x, r.Scan(&x.No, &x.OpenedBy, &x.OpenedAt, &x.Finding, &x.FindingNote, &x.FindingBy, &x.FindingAt, &x.Decision, &x.DecisionRef, &x.DecisionBy, &x.DecisionAt)
	}, `SELECT case_no, opened_by, opened_at, finding, finding_note, finding_by, finding_at, decision, decision_ref, decision_by, decision_at
		FROM marking_cases WHERE year = $1 AND exam = $2 ORDER BY decision <> '', case_no DESC`, year, e.Code)
	if err != nil {
		return c, fmt.Errorf("marking: cases: %w", err)
	}
	for i := range c.Reports {
		c.Reports[i].Display = anonym.Display(c.Reports[i].Code)
	}
	for i := range c.Cases {
		for _, r := range c.Reports {
			if r.CaseNo == c.Cases[i].No && !slices.Contains(c.Cases[i].Codes, r.Code) {
				c.Cases[i].Codes = append(c.Cases[i].Codes, r.Code)
				c.Cases[i].Displays = append(c.Cases[i].Displays, r.Display)
			}
		}
		c.Cases[i].Codes, c.Cases[i].Displays = nonNil(c.Cases[i].Codes), nonNil(c.Cases[i].Displays)
	}
	c.Reports, c.Cases = nonNil(c.Reports), nonNil(c.Cases)
	return c, nil
}
