package application

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"

	"provim/internal/apperr"
	"provim/internal/audit"
	"provim/internal/auth"
	"provim/internal/examyear"
	"provim/internal/store"
)

// Programme is a study programme of a public university that candidates
// rank on form A2 (Neni 21.1).
type Programme struct {
	Code        string `json:"code"`
	Name        string `json:"name"`
	Institution string `json:"institution"`
	City        string `json:"city"`
	Quota       int    `json:"quota"`
	// NoElectives: open without elective exams (Neni 17 ¶5).
	NoElectives bool `json:"no_electives"`
}

// Programmes lists the catalogue, by institution and name. Any logged-in
// user may read it.
func (s *Service) Programmes(ctx context.Context, p *auth.Principal) ([]Programme, error) {
	if err := auth.Require(p, auth.Roles...); err != nil {
		return nil, err
	}
	out, err := store.Select(ctx, s.db.Q(ctx), func(r store.Scanner) (Programme, error) {
		var pr Programme
		return pr, r.Scan(&pr.Code, &pr.Name, &pr.Institution, &pr.City, &pr.Quota, &pr.NoElectives)
	}, `SELECT code, name, institution, city, quota, no_electives FROM study_programmes ORDER BY institution, name, code`)
	if err != nil {
		return nil, fmt.Errorf("application: programmes: %w", err)
	}
	return out, nil
}

// SaveProgrammes adds or updates catalogue entries (AVA only), all or
// nothing.
func (s *Service) SaveProgrammes(ctx context.Context, p *auth.Principal, list []Programme) error {
	if err := auth.Require(p, auth.RoleAVA); err != nil {
		return err
	}
	var problems []string
	seen := map[string]bool{}
	for i, pr := range list {
		switch {
		case strings.TrimSpace(pr.Code) == "":
			problems = append(problems, fmt.Sprintf("programi %d: mungon kodi", i+1))
		case strings.TrimSpace(pr.Name) == "" || strings.TrimSpace(pr.Institution) == "":
			problems = append(problems, fmt.Sprintf("programi «%s»: mungon emri ose institucioni", pr.Code))
		case seen[pr.Code]:
			problems = append(problems, fmt.Sprintf("programi «%s» përsëritet", pr.Code))
		case pr.Quota < 0:
			problems = append(problems, fmt.Sprintf("programi «%s»: kuota negative", pr.Code))
		}
		seen[pr.Code] = true
	}
	if len(problems) > 0 {
		return invalid("Katalogu nuk u ruajt", problems)
	}
	return s.inTx(ctx, p, func(ctx context.Context, c *change) error {
		for _, pr := range list {
			res, err := c.q(ctx).ExecContext(ctx, `UPDATE study_programmes SET name = $2, institution = $3, city = $4, quota = $5, no_electives = $6 WHERE code = $1`,
				pr.Code, pr.Name, pr.Institution, pr.City, pr.Quota, pr.NoElectives)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n == 0 {
				if _, err := c.q(ctx).ExecContext(ctx, `INSERT INTO study_programmes (code, name, institution, city, quota, no_electives) VALUES ($1, $2, $3, $4, $5, $6)`,
					pr.Code, pr.Name, pr.Institution, pr.City, pr.Quota, pr.NoElectives); err != nil {
					return err
				}
			}
		}
		return audit.Add(ctx, p.Actor(), "save", "study_programmes", strconv.Itoa(len(list)), nil, map[string]any{"programmes": len(list)})
	})
}

// Receipt is the bank receipt (mandat-arkëtim) of the State Matura fee.
type Receipt struct {
	Number string `json:"number"`
	Date   string `json:"date"` // YYYY-MM-DD
	Amount int    `json:"amount"`
}

// A2 is a stored form A2.
type A2 struct {
	ID           int64    `json:"id"`
	Year         int      `json:"year"`
	StudentID    int64    `json:"student_id"`
	AverageGrade float64  `json:"average_grade"`
	Programmes   []string `json:"programmes"` // codes, first choice first
	Receipt      Receipt  `json:"receipt"`
	Source       string   `json:"source"`
	SubmittedAt  string   `json:"submitted_at"`
	UpdatedAt    string   `json:"updated_at"`
}

// A2Input is form A2 as filed.
type A2Input struct {
	StudentID  int64    `json:"student_id"`
	Programmes []string `json:"programmes"`
	Receipt    Receipt  `json:"receipt"`
	LateReason string   `json:"late_reason,omitempty"`
}

// GetA2 returns the student's A2 of the active year.
func (s *Service) GetA2(ctx context.Context, p *auth.Principal, studentID int64) (A2, error) {
	app, err := s.ForStudent(ctx, p, studentID)
	if err != nil {
		return A2{}, err
	}
	return s.getA2(ctx, app.Year, studentID)
}

// ForStudentA2 is ForStudent with the student's A2 (GetA2), the form
// read once: filed reports whether there is an A2 (f is zero when not).
func (s *Service) ForStudentA2(ctx context.Context, p *auth.Principal, studentID int64) (app Application, f A2, filed bool, err error) {
	if app, err = s.ForStudent(ctx, p, studentID); err != nil {
		return app, f, false, err
	}
	f, err = s.getA2(ctx, app.Year, studentID)
	if apperr.Is(err, apperr.NotFound) {
		return app, A2{}, false, nil
	}
	return app, f, err == nil, err
}

func (s *Service) getA2(ctx context.Context, year int, studentID int64) (A2, error) {
	var f A2
	var programmes string
	var avg sql.NullFloat64
	err := s.db.Q(ctx).QueryRowContext(ctx, `SELECT id, year, student_id, average_grade, programmes, receipt_no, receipt_date, receipt_amount, source, submitted_at, updated_at
		FROM a2_forms WHERE year = $1 AND student_id = $2`, year, studentID).
		Scan(&f.ID, &f.Year, &f.StudentID, &avg, &programmes, &f.Receipt.Number, &f.Receipt.Date, &f.Receipt.Amount, &f.Source, &f.SubmittedAt, &f.UpdatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return A2{}, apperr.New(apperr.NotFound, "Formulari A2 nuk është plotësuar.")
	}
	if err != nil {
		return A2{}, fmt.Errorf("application: A2: %w", err)
	}
	f.AverageGrade, f.Programmes = avg.Float64, split(programmes)
	return f, nil
}

// a2Facts is what the rules of form A2 look at besides the form itself.
type a2Facts struct {
	app          *Application                // the student's A1/A1z of the year, nil if none
	catalogue    map[string]bool             // programme code → open without electives
	hasElectives bool                        // valid elective results of earlier years (Neni 26.2)
	receiptOf    func(key string) receiptUse // who filed a receipt (by ReceiptKey), in any year
	prev         *A2                         // the student's stored A2, nil if none
}

// receiptUse is the form A2 a receipt was filed with: its year and
// student (0: the receipt was never used).
type receiptUse struct {
	year    int
	student int64
}

// ReceiptKey is a receipt number as receipts are compared (Neni 28–29):
// upper case, without spaces, so that "ma 2027 001" and "MA2027001" are
// one receipt.
func ReceiptKey(number string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return unicode.ToUpper(r)
	}, number)
}

// checkA2 returns every reason to refuse form A2 (Neni 17 ¶5, 21, 28–30).
// A receipt pays one candidate's fee of one year (Neni 28–29): it is
// refused when another candidate filed it, or anyone filed it in another
// year, with numbers compared by ReceiptKey; its date falls in the year's
// payment window (examyear.Config.PaymentWindow) and not in the future.
func checkA2(cfg examyear.Config, year int, now time.Time, studentID int64, codes []string, rc Receipt, f a2Facts) []string {
	var problems []string
	if rc.Number == "" {
		problems = append(problems, "formulari A2 pranohet vetëm me mandat-arkëtimin e tarifës: mungon numri i tij (Neni 29)")
	}
	if d, err := time.Parse("2006-01-02", rc.Date); err != nil {
		problems = append(problems, "data e mandat-arkëtimit mungon ose nuk është e vlefshme")
	} else if today := now.In(examyear.Tirana).Format("2006-01-02"); rc.Date > today {
		problems = append(problems, "data e mandat-arkëtimit është në të ardhmen")
	} else if from, to, ok := cfg.PaymentWindow(); ok && (d.Before(from) || d.After(to)) {
		problems = append(problems, fmt.Sprintf("mandat-arkëtimi është i datës %s, jashtë periudhës së pagesës së tarifës së Maturës %d (%s–%s, Neni 28)",
			d.Format("02.01.2006"), year, from.Format("02.01.2006"), to.Format("02.01.2006")))
	}
	if rc.Amount < cfg.Fees.A2 {
		problems = append(problems, fmt.Sprintf("shuma e paguar %d lekë është më e vogël se tarifa e Maturës %d lekë (Neni 28)", rc.Amount, cfg.Fees.A2))
	}
	if len(codes) == 0 {
		problems = append(problems, "zgjidhni të paktën një program studimi")
	}
	if len(codes) > cfg.MaxProgrammes {
		problems = append(problems, fmt.Sprintf("zgjidhen deri në %d programe studimi, jo %d (Neni 21.1)", cfg.MaxProgrammes, len(codes)))
	}
	if f.app == nil || f.app.Status == Draft {
		return append(problems, "formulari A2 plotësohet pasi është dorëzuar formulari A1 ose A1z")
	}
	seen := map[string]int{}
	for i, code := range codes {
		if j, ok := seen[code]; ok {
			problems = append(problems, fmt.Sprintf("programi «%s» është renditur dy herë (zgjedhjet %d dhe %d)", code, j+1, i+1))
			continue
		}
		seen[code] = i
		noElectives, ok := f.catalogue[code]
		if !ok {
			problems = append(problems, fmt.Sprintf("programi «%s» nuk është në katalogun e programeve të studimit", code))
			continue
		}
		if len(f.app.Electives) == 0 && !noElectives && !f.hasElectives {
			problems = append(problems, fmt.Sprintf("programi «%s» kërkon provimet me zgjedhje, që nuk i keni zgjedhur (Neni 17)", code))
		}
	}
	if rc.Number != "" {
		switch use := f.receiptOf(ReceiptKey(rc.Number)); {
		case use.student == 0:
		case use.year != year:
			problems = append(problems, fmt.Sprintf("mandat-arkëtimi «%s» është paraqitur për Maturën e vitit %d: një mandat paguan tarifën një herë (Neni 28–29)", rc.Number, use.year))
		case use.student != studentID:
			problems = append(problems, fmt.Sprintf("mandat-arkëtimi «%s» është paraqitur nga një kandidat tjetër: çdo kandidat paguan vetë tarifën (Neni 28–29)", rc.Number))
		}
	}
	if f.prev != nil && ReceiptKey(f.prev.Receipt.Number) != ReceiptKey(rc.Number) {
		problems = append(problems, fmt.Sprintf("mandat-arkëtimi i paraqitur me formularin A2 (%s) nuk ndryshohet: tarifa nuk kthehet (Neni 30)", f.prev.Receipt.Number))
	}
	return problems
}

func (c *change) catalogue(ctx context.Context) (map[string]bool, error) {
	type entry struct {
		code string
		no   bool
	}
	list, err := store.Select(ctx, c.q(ctx), func(r store.Scanner) (entry, error) {
		var e entry
		return e, r.Scan(&e.code, &e.no)
	}, `SELECT code, no_electives FROM study_programmes`)
	if err != nil {
		return nil, fmt.Errorf("application: catalogue: %w", err)
	}
	out := make(map[string]bool, len(list))
	for _, e := range list {
		out[e.code] = e.no
	}
	return out, nil
}

// saveA2 writes form A2 (new when prev is nil) of the student st, with
// the student's average grade as the registry holds it now, and audits it.
func (c *change) saveA2(ctx context.Context, year int, st studentRef, codes []string, rc Receipt, prev *A2, source, lateReason string) (A2, error) {
	studentID := st.ID
	var avg any // NULL while the registry does not know it
	if st.AverageGrade != nil {
		avg = *st.AverageGrade
	}
	var err error
	if prev == nil {
		_, err = c.exec(ctx, `INSERT INTO a2_forms (year, student_id, average_grade, programmes, receipt_no, receipt_key, receipt_date, receipt_amount, source, submitted_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)`, year, studentID, avg, join(codes), rc.Number, ReceiptKey(rc.Number), rc.Date, rc.Amount, source, c.at)
	} else {
		_, err = c.exec(ctx, `UPDATE a2_forms SET average_grade = $1, programmes = $2, updated_at = $3 WHERE id = $4`,
			avg, join(codes), c.at, prev.ID)
	}
	if store.IsUniqueViolation(err) {
		return A2{}, apperr.New(apperr.Conflict, "Mandat-arkëtimi «%s» është paraqitur tashmë: një mandat paguan tarifën e një kandidati një herë (Neni 28–29).", rc.Number)
	}
	if err != nil {
		return A2{}, fmt.Errorf("application: save A2: %w", err)
	}
	out := A2{Year: year, StudentID: studentID, Programmes: codes, Receipt: rc, Source: source, SubmittedAt: c.at, UpdatedAt: c.at}
	action, before := "file_a2", any(nil)
	if prev != nil {
		out.ID, out.Source, out.SubmittedAt = prev.ID, prev.Source, prev.SubmittedAt
		action, before = "update_a2", prev
	}
	after := map[string]any{"student_id": studentID, "programmes": codes, "receipt": rc}
	if strings.TrimSpace(lateReason) != "" {
		after["late_reason"] = lateReason
	}
	return out, audit.Add(ctx, c.p.Actor(), action, "a2", fmt.Sprintf("%d/%d", year, studentID), before, after)
}

// FileA2 files or updates form A2 (Neni 21, 28–30, 32): the student online
// until the A2 deadline, the school from paper until the forms go to the
// KMSH. It is refused without the fee receipt (Neni 29), with an amount
// below the year's fee (Neni 28), with a receipt another candidate has used,
// with programmes not in the catalogue, repeated, or more than the year
// allows, and, for a candidate who sits no electives, with a programme that
// needs them (Neni 17 ¶5). The fee is never refunded (Neni 30): a filed A2
// is never deleted and its receipt never replaced.
func (s *Service) FileA2(ctx context.Context, p *auth.Principal, in A2Input) (A2, error) {
	if err := auth.Require(p, auth.RoleStudent, auth.RoleKSHMSH, auth.RoleKMSH, auth.RoleAVA); err != nil {
		return A2{}, err
	}
	if p.Role == auth.RoleStudent && in.StudentID != p.StudentID {
		return A2{}, apperr.New(apperr.NotFound, "Nxënësi «%d» nuk u gjet.", in.StudentID)
	}
	y, err := s.year(ctx)
	if err != nil {
		return A2{}, err
	}
	codes := normCodes(in.Programmes)
	rc := Receipt{Number: strings.TrimSpace(in.Receipt.Number), Date: strings.TrimSpace(in.Receipt.Date), Amount: in.Receipt.Amount}
	var out A2
	err = s.inTx(ctx, p, func(ctx context.Context, c *change) error {
		st, err := c.student(ctx, in.StudentID)
		if err != nil {
			return err
		}
		key, owner, source := examyear.KeyA2, auth.RoleStudent, Online
		if p.Role != auth.RoleStudent {
			key, owner, source = examyear.KeyA2ToKMSH, auth.RoleKSHMSH, Paper
		}
		if err := checkOpens(y.Config, examyear.KeyA2, examyear.KeyA2FormApproved, c.now); err != nil {
			return err
		}
		if _, err := checkDeadline(y.Config, key, owner, p, in.LateReason, c.now); err != nil {
			return err
		}
		prior, err := c.s.loadResults(ctx, st.ID)
		if err != nil {
			return err
		}
		// Neni 26.2: valid elective results of earlier years count.
		f := a2Facts{hasElectives: len(ValidElectiveResults(prior)) > 0}
		if f.app, err = c.existing(ctx, st.ID, y.Year); err != nil {
			return err
		}
		if f.catalogue, err = c.catalogue(ctx); err != nil {
			return err
		}
		if prev, err := c.s.getA2(ctx, y.Year, st.ID); err == nil {
			f.prev = &prev
		} else if !apperr.Is(err, apperr.NotFound) {
			return err
		}
		used, err := c.receiptUse(ctx, ReceiptKey(rc.Number))
		if err != nil {
			return err
		}
		f.receiptOf = func(string) receiptUse { return used }
		if problems := checkA2(y.Config, y.Year, c.now, st.ID, codes, rc, f); len(problems) > 0 {
			return invalid("Formulari A2 nuk u pranua", problems)
		}
		if _, err := c.saveA2(ctx, y.Year, st, codes, rc, f.prev, source, in.LateReason); err != nil {
			return err
		}
		out, err = c.s.getA2(ctx, y.Year, st.ID)
		return err
	})
	return out, err
}

// receiptUse finds the form A2 a receipt was filed with, in any year.
func (c *change) receiptUse(ctx context.Context, key string) (receiptUse, error) {
	var u receiptUse
	err := c.q(ctx).QueryRowContext(ctx, `SELECT year, student_id FROM a2_forms WHERE receipt_key = $1`, key).Scan(&u.year, &u.student)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return u, fmt.Errorf("application: receipt: %w", err)
	}
	return u, nil
}

// ParseAmount reads an amount of whole lekë as people write it: "1000",
// "1 000", "1.000", "1.000,00" or "2500.00". Anything else (letters, a
// fraction of a lek, a misplaced separator) is an Invalid error; "" is 0.
func ParseAmount(s string) (int, error) {
	t := strings.NewReplacer(" ", "", "\u00a0", "").Replace(strings.TrimSpace(s))
	if t == "" {
		return 0, nil
	}
	// Zero cents after a decimal mark ("…,00" or "….00").
	if len(t) > 3 && (t[len(t)-3] == ',' || t[len(t)-3] == '.') && t[len(t)-2:] == "00" {
		t = t[:len(t)-3]
	}
	// Thousands separators: groups of exactly three digits.
	if parts := strings.FieldsFunc(t, func(r rune) bool { return r == '.' || r == ',' }); len(parts) > 1 {
		ok := len(parts[0]) >= 1 && len(parts[0]) <= 3 && strings.Count(t, ".")+strings.Count(t, ",") == len(parts)-1
		for _, g := range parts[1:] {
			ok = ok && len(g) == 3
		}
		if !ok {
			return 0, apperr.New(apperr.Invalid, "Shuma «%s» nuk është një numër i plotë lekësh.", s)
		}
		t = strings.Join(parts, "")
	}
	n, err := strconv.Atoi(t)
	if err != nil || n < 0 {
		return 0, apperr.New(apperr.Invalid, "Shuma «%s» nuk është një numër i plotë lekësh.", s)
	}
	return n, nil
}
