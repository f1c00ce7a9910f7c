package certificate

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"time"

	"provim/internal/apperr"
	"provim/internal/audit"
	"provim/internal/auth"
	"provim/internal/clock"
	"provim/internal/registry"
	"provim/internal/store"
)

// IssueBatch is how many candidates one transaction of a bulk issue
// covers: a national year (~35,000) is a dozen transactions, each short.
const IssueBatch = 3000

// IssueReport is what a bulk issue did.
type IssueReport struct {
	Year        int `json:"year"`
	Issued      int `json:"issued"`
	Already     int `json:"already"`      // had a certificate of the year (valid or revoked)
	NotComplete int `json:"not_complete"` // results all published, the Matura not complete (Neni 17)
	NoHolder    int `json:"no_holder"`    // not in the registry
}

var issueCols = []string{"id", "number", "year", "student_id", "school_code", "school_name", "unit_code", "full_name", "personal_no", "birth_date",
	"exams", "record", "issued_at", "issued_by"}

// IssueAll issues a certificate to every candidate of year whose Matura
// is complete (Neni 17), in batches of IssueBatch, each its own
// transaction with its audit entries. It is idempotent: a candidate who
// already has a certificate of the year — valid, or revoked (a revoked
// one is replaced only by Reissue or Revoke's reissue) — is skipped, so a
// run stopped half-way is simply run again.
func (s *Service) IssueAll(ctx context.Context, by *auth.Principal, year int, progress func(string)) (IssueReport, error) {
	if !MayIssue(by) {
		return IssueReport{}, auth.Require(by, auth.RoleAVA)
	}
	year, err := s.yearOf(ctx, year)
	if err != nil {
		return IssueReport{}, err
	}
	seal, err := s.Seal()
	if err != nil {
		return IssueReport{}, err
	}
	src, err := s.src()
	if err != nil {
		return IssueReport{}, err
	}
	rep := IssueReport{Year: year}
	timer := clock.StartTimer()
	var after int64
	batch := 0
	for {
		list, err := src.Completions(ctx, year, after, IssueBatch)
		if err != nil {
			return rep, fmt.Errorf("certificate: completions: %w", err)
		}
		if len(list) == 0 {
			break
		}
		after = list[len(list)-1].StudentID
		var due []Completion
		for _, c := range list {
			if completes(c) == nil {
				due = append(due, c)
			} else {
				rep.NotComplete++
			}
		}
		err = s.db.InTx(ctx, func(ctx context.Context) error {
			n, already, missing, err := s.issue(ctx, by, seal, year, due, nil)
			rep.Issued += n
			rep.Already += already
			rep.NoHolder += missing
			return err
		})
		if err != nil {
			return rep, err
		}
		// Fresh statistics each time the table has doubled, or PostgreSQL's
		// planner keeps the empty table's plans for each batch's look-up
		// (the batches slowed from 0.3 s to 5 s over a national year).
		if batch++; batch&(batch-1) == 0 {
			if err := s.db.AnalyzeTables(ctx, "certificates"); err != nil {
				return rep, err
			}
		}
		if progress != nil {
			progress(fmt.Sprintf("dëftesat %d: %d të lëshuara deri tani (%s)", year, rep.Issued, timer.Elapsed().Round(time.Millisecond)))
		}
		if len(list) < IssueBatch {
			break
		}
	}
	return rep, nil
}

// issue writes a certificate for each of due who has none of the year,
// in the transaction ctx carries; replaces names, by student, the
// number of the revoked certificate each new one replaces.
func (s *Service) issue(ctx context.Context, by *auth.Principal, seal *Seal, year int, due []Completion, replaces map[int64]string) (issued, already, missing int, err error) {
	if len(due) == 0 {
		return 0, 0, 0, nil
	}
	ids := make([]int64, len(due))
	for i, c := range due {
		ids[i] = c.StudentID
	}
	bars, unreplaced, err := s.haveOfYear(ctx, year, ids)
	if err != nil {
		return 0, 0, 0, err
	}
	if len(unreplaced) > 0 {
		all := maps.Clone(replaces)
		if all == nil {
			all = map[int64]string{}
		}
		for id, n := range unreplaced {
			if all[id] == "" {
				all[id] = n
			}
		}
		replaces = all
	}
	var todo []Completion
	var need []int64
	for _, c := range due {
		if bars[c.StudentID] && replaces[c.StudentID] == "" {
			already++
			continue
		}
		todo = append(todo, c)
		need = append(need, c.StudentID)
	}
	holders, err := s.registry.CertificateHolders(ctx, need)
	if err != nil {
		return 0, 0, 0, err
	}
	todo = slices.DeleteFunc(todo, func(c Completion) bool {
		if holders[c.StudentID].ID == 0 {
			missing++
			return true
		}
		return false
	})
	if len(todo) == 0 {
		return 0, already, missing, nil
	}
	newIDs, err := store.NextIDs(ctx, "certificates", len(todo))
	if err != nil {
		return 0, 0, 0, err
	}
	now := s.stamp(ctx)
	rows := make([][]any, 0, len(todo))
	items := make([]audit.Item, 0, len(todo))
	for i, c := range todo {
		h := holders[c.StudentID]
		number := Number(year, newIDs[i])
		rec := recordOf(number, h, year, c.Exams)
		msg, err := SignRecord(rec, seal)
		if err != nil {
			return 0, 0, 0, err
		}
		exams, err := json.Marshal(c.Exams)
		if err != nil {
			return 0, 0, 0, fmt.Errorf("certificate: exams: %w", err)
		}
		rows = append(rows, []any{newIDs[i], number, year, c.StudentID, h.SchoolCode, h.SchoolName, h.UnitCode, h.FullName(), h.PersonalNo, h.BirthDate,
			string(exams), msg, now, by.Username})
		after := map[string]any{"year": year, "school": h.SchoolCode, "exams": rec.Exams}
		if old := replaces[c.StudentID]; old != "" {
			after["replaces"] = old
		}
		items = append(items, audit.Item{Action: "certificate.issue", ObjectType: "certificate", ObjectID: number, After: after})
	}
	if err := store.Insert(ctx, "certificates", issueCols, rows); err != nil {
		return 0, 0, 0, fmt.Errorf("certificate: issue: %w", err)
	}
	if err := audit.AddMany(ctx, by.Actor(), items); err != nil {
		return 0, 0, 0, err
	}
	if len(replaces) > 0 {
		for i, c := range todo {
			if old := replaces[c.StudentID]; old != "" {
				if _, err := s.db.Q(ctx).ExecContext(ctx, `UPDATE certificates SET replaced_by = $1 WHERE number = $2`, Number(year, newIDs[i]), old); err != nil {
					return 0, 0, 0, fmt.Errorf("certificate: replaced by: %w", err)
				}
			}
		}
	}
	return len(todo), already, missing, nil
}

// recordOf is the signed record of a certificate.
func recordOf(number string, h registry.Holder, year int, exams []Exam) Record {
	rec := Record{Number: number, Name: h.FullName(), PersonalNo: h.PersonalNo, BirthDate: h.BirthDate, Year: year}
	for _, e := range exams {
		rec.Exams = append(rec.Exams, RecordExam{Subject: e.Subject, Grade: e.Grade, Year: e.Year})
	}
	return rec
}

// haveOfYear reports, of ids, who has a certificate of year that bars a
// new one — valid, or revoked by hand (AVA decides whether to reissue) —
// and who has one revoked after a re-marking with no replacement yet (a
// re-marking while no seal was loaded): the new one replaces it.
func (s *Service) haveOfYear(ctx context.Context, year int, ids []int64) (bars map[int64]bool, unreplaced map[int64]string, err error) {
	bars, unreplaced = map[int64]bool{}, map[int64]string{}
	type row struct {
		id                               int64
		number, revoked, reason, replace string
	}
	for _, part := range store.Chunks(ids, 1000) {
		got, err := store.Select(ctx, s.db.Q(ctx), func(r store.Scanner) (row, error) {
			var x row
			return x, r.Scan(&x.id, &x.number, &x.revoked, &x.reason, &x.replace)
		}, `SELECT student_id, number, revoked_at, revoke_reason, replaced_by FROM certificates WHERE year = $1 AND student_id IN (`+
			store.Placeholders(2, len(part))+`) ORDER BY id`, append([]any{year}, store.Args(part)...)...)
		if err != nil {
			return nil, nil, fmt.Errorf("certificate: issued: %w", err)
		}
		for _, x := range got {
			switch {
			case x.revoked == "" || x.reason != ReasonRemark:
				bars[x.id] = true
			case x.replace == "":
				unreplaced[x.id] = x.number
			}
		}
	}
	for id := range bars {
		delete(unreplaced, id)
	}
	return bars, unreplaced, nil
}

// Reissue follows a re-marking that changed a grade (Neni 64), inside
// the transaction of results.ApplyRemark (ctx carries it): the valid
// certificate of the student for year, if any, is revoked with reason
// "rivlerësim", and a new one is issued when the Matura is still
// complete — in place of the revoked one, or, for a student who had none,
// when the year's certificates have been issued already (the re-marking
// completed their Matura).
//
// A later year's certificate that counts a result of year (a passed
// mandatory exam stays valid, Neni 17; an elective of an earlier year
// counts, Neni 26) follows the same way.
func (s *Service) Reissue(ctx context.Context, year int, studentID int64) error {
	return s.db.InTx(ctx, func(ctx context.Context) error {
		old, err := s.revokeValid(ctx, system, year, studentID, ReasonRemark)
		if err != nil {
			return err
		}
		if err := s.reissue(ctx, system, year, studentID, old); err != nil {
			return err
		}
		later, err := store.Select(ctx, s.db.Q(ctx), scanCert, `SELECT `+certCols+` FROM certificates
			WHERE student_id = $1 AND year > $2 AND revoked_at = '' ORDER BY year`, studentID, year)
		if err != nil {
			return fmt.Errorf("certificate: later certificates: %w", err)
		}
		for _, c := range later {
			if !slices.ContainsFunc(c.Exams, func(e Exam) bool { return e.Year == year }) {
				continue
			}
			if err := s.revoke(ctx, system, c.Number, ReasonRemark); err != nil {
				return err
			}
			if err := s.reissue(ctx, system, c.Year, studentID, c.Number); err != nil {
				return err
			}
		}
		return nil
	})
}

// reissue issues a new certificate of year to the student when the
// Matura is complete, in place of old ("" for none).
func (s *Service) reissue(ctx context.Context, by *auth.Principal, year int, studentID int64, old string) error {
	if old == "" {
		var n int
		if err := s.db.Q(ctx).QueryRowContext(ctx, `SELECT COUNT(*) FROM certificates WHERE year = $1`, year).Scan(&n); err != nil {
			return fmt.Errorf("certificate: issued: %w", err)
		}
		if n == 0 {
			return nil
		}
	}
	src, err := s.src()
	if err != nil {
		return err
	}
	c, err := src.CompletionOf(ctx, year, studentID)
	if apperr.Is(err, apperr.NotFound) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("certificate: completion: %w", err)
	}
	if completes(c) != nil {
		return nil
	}
	seal, err := s.Seal()
	if err != nil {
		// The re-marking stands; the replacement is issued by the next
		// IssueAll once the seal is loaded (it replaces the revoked one).
		slog.Warn("certificate: no seal, the replacement waits for the next issue", "student", studentID, "revoked", old)
		return nil
	}
	replaces := map[int64]string{studentID: old}
	if old == "" {
		replaces = nil
	}
	_, _, _, err = s.issue(ctx, by, seal, year, []Completion{c}, replaces)
	return err
}

// revokeValid revokes the valid certificate of the student for year, if
// any, and returns its number ("" when there was none).
func (s *Service) revokeValid(ctx context.Context, by *auth.Principal, year int, studentID int64, reason string) (string, error) {
	var number string
	err := s.db.Q(ctx).QueryRowContext(ctx, `SELECT number FROM certificates WHERE year = $1 AND student_id = $2 AND revoked_at = ''`,
		year, studentID).Scan(&number)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("certificate: valid certificate: %w", err)
	}
	return number, s.revoke(ctx, by, number, reason)
}

// revoke marks a certificate revoked, with its audit entry.
func (s *Service) revoke(ctx context.Context, by *auth.Principal, number, reason string) error {
	if _, err := s.db.Q(ctx).ExecContext(ctx, `UPDATE certificates SET revoked_at = $1, revoked_by = $2, revoke_reason = $3 WHERE number = $4 AND revoked_at = ''`,
		s.stamp(ctx), by.Username, reason, number); err != nil {
		return fmt.Errorf("certificate: revoke: %w", err)
	}
	return audit.Add(ctx, by.Actor(), "certificate.revoke", "certificate", number, map[string]any{"status": StatusValid},
		map[string]any{"status": StatusRevoked, "reason": reason})
}
