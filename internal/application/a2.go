package application

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"provim/internal/apperr"
	"provim/internal/auth"
	"provim/internal/examyear"
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
	rows, err := s.db.QueryContext(ctx, `SELECT code, name, institution, city, quota, no_electives FROM study_programmes ORDER BY institution, name, code`)
	if err != nil {
		return nil, fmt.Errorf("application: programmes: %w", err)
	}
	defer rows.Close()
	var out []Programme
	for rows.Next() {
		var pr Programme
		if err := rows.Scan(&pr.Code, &pr.Name, &pr.Institution, &pr.City, &pr.Quota, &pr.NoElectives); err != nil {
			return nil, err
		}
		out = append(out, pr)
	}
	return out, rows.Err()
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
	return s.inTx(ctx, p, func(c *change) error {
		for _, pr := range list {
			res, err := c.tx.ExecContext(ctx, `UPDATE study_programmes SET name = $2, institution = $3, city = $4, quota = $5, no_electives = $6 WHERE code = $1`,
				pr.Code, pr.Name, pr.Institution, pr.City, pr.Quota, pr.NoElectives)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n == 0 {
				if _, err := c.tx.ExecContext(ctx, `INSERT INTO study_programmes (code, name, institution, city, quota, no_electives) VALUES ($1, $2, $3, $4, $5, $6)`,
					pr.Code, pr.Name, pr.Institution, pr.City, pr.Quota, pr.NoElectives); err != nil {
					return err
				}
			}
		}
		return c.chain.Add(ctx, p.Actor(), "save", "study_programmes", strconv.Itoa(len(list)), nil, map[string]any{"programmes": len(list)})
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
	return getA2(ctx, s.db, app.Year, studentID)
}

func getA2(ctx context.Context, db querier, year int, studentID int64) (A2, error) {
	var f A2
	var programmes string
	var avg sql.NullFloat64
	err := db.QueryRowContext(ctx, `SELECT id, year, student_id, average_grade, programmes, receipt_no, receipt_date, receipt_amount, source, submitted_at, updated_at
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

// FileA2 files or updates form A2 (Neni 21, 28–30, 32): the student online
// until the A2 deadline, the school from paper until the forms go to the
// KMSH. It is refused without the fee receipt (Neni 29), with an amount
// below the year's fee (Neni 28), with a receipt another candidate has used,
// with programmes not in the catalogue, repeated, or more than the year
// allows, and, for a candidate who sits no electives, with a programme that
// needs them (Neni 17 ¶5). The fee is never refunded (Neni 30): a filed A2
// is never deleted and its receipt stays on record.
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
	cfg := y.Config
	codes := normCodes(in.Programmes)
	rc := Receipt{Number: strings.TrimSpace(in.Receipt.Number), Date: strings.TrimSpace(in.Receipt.Date), Amount: in.Receipt.Amount}
	var problems []string
	if rc.Number == "" {
		problems = append(problems, "formulari A2 pranohet vetëm me mandat-arkëtimin e tarifës: mungon numri i tij (Neni 29)")
	}
	if d, err := time.Parse("2006-01-02", rc.Date); err != nil {
		problems = append(problems, "data e mandat-arkëtimit mungon ose nuk është e vlefshme")
	} else if d.After(s.now()) {
		problems = append(problems, "data e mandat-arkëtimit është në të ardhmen")
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
	var out A2
	err = s.inTx(ctx, p, func(c *change) error {
		st, err := c.student(ctx, in.StudentID)
		if err != nil {
			return err
		}
		key, owner := examyear.KeyA2, auth.RoleStudent
		if p.Role != auth.RoleStudent {
			key, owner = examyear.KeyA2ToKMSH, auth.RoleKSHMSH
		}
		late, err := checkDeadline(cfg, key, owner, p, in.LateReason, s.now())
		if err != nil {
			return err
		}
		app, err := c.existing(ctx, st.ID, y.Year)
		if err != nil {
			return err
		}
		if app == nil || app.Status == Draft {
			return apperr.New(apperr.Invalid, "Formulari A2 plotësohet pasi është dorëzuar formulari %s.", FormFor(Regular))
		}
		seen := map[string]int{}
		for i, code := range codes {
			if j, ok := seen[code]; ok {
				problems = append(problems, fmt.Sprintf("programi «%s» është renditur dy herë (zgjedhjet %d dhe %d)", code, j+1, i+1))
				continue
			}
			seen[code] = i
			var noElectives bool
			err := c.tx.QueryRowContext(ctx, `SELECT no_electives FROM study_programmes WHERE code = $1`, code).Scan(&noElectives)
			if errors.Is(err, sql.ErrNoRows) {
				problems = append(problems, fmt.Sprintf("programi «%s» nuk është në katalogun e programeve të studimit", code))
				continue
			}
			if err != nil {
				return err
			}
			if len(app.Electives) == 0 && !noElectives && !hasElectiveResults(ctx, c, st.ID) {
				problems = append(problems, fmt.Sprintf("programi «%s» kërkon provimet me zgjedhje, që nuk i keni zgjedhur (Neni 17)", code))
			}
		}
		var other int64
		err = c.tx.QueryRowContext(ctx, `SELECT student_id FROM a2_forms WHERE year = $1 AND receipt_no = $2`, y.Year, rc.Number).Scan(&other)
		if err == nil && other != st.ID {
			problems = append(problems, fmt.Sprintf("mandat-arkëtimi «%s» është paraqitur nga një kandidat tjetër: çdo kandidat paguan vetë tarifën (Neni 28–29)", rc.Number))
		} else if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if len(problems) > 0 {
			return invalid("Formulari A2 nuk u pranua", problems)
		}
		prev, err := getA2(ctx, c.tx, y.Year, st.ID)
		if err != nil && !apperr.Is(err, apperr.NotFound) {
			return err
		}
		var avg any
		if err := c.tx.QueryRowContext(ctx, `SELECT average_grade FROM students WHERE id = $1`, st.ID).Scan(&avg); err != nil {
			return err
		}
		source := Online
		if p.Role != auth.RoleStudent {
			source = Paper
		}
		if prev.ID == 0 {
			_, err = c.tx.ExecContext(ctx, `INSERT INTO a2_forms (year, student_id, average_grade, programmes, receipt_no, receipt_date, receipt_amount, source, submitted_at, updated_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)`, y.Year, st.ID, avg, join(codes), rc.Number, rc.Date, rc.Amount, source, c.at)
		} else {
			if prev.Receipt.Number != rc.Number {
				return apperr.New(apperr.Invalid, "Mandat-arkëtimi i paraqitur me formularin A2 (%s) nuk ndryshohet: tarifa nuk kthehet (Neni 30).", prev.Receipt.Number)
			}
			_, err = c.tx.ExecContext(ctx, `UPDATE a2_forms SET average_grade = $1, programmes = $2, updated_at = $3 WHERE id = $4`, avg, join(codes), c.at, prev.ID)
		}
		if err != nil {
			return fmt.Errorf("application: save A2: %w", err)
		}
		out, err = getA2(ctx, c.tx, y.Year, st.ID)
		if err != nil {
			return err
		}
		action, before := "file_a2", any(nil)
		if prev.ID != 0 {
			action, before = "update_a2", prev
		}
		after := map[string]any{"a2": out}
		if late {
			after["late_reason"] = in.LateReason
		}
		return c.chain.Add(ctx, p.Actor(), action, "a2", strconv.FormatInt(out.ID, 10), before, after)
	})
	return out, err
}

// hasElectiveResults: a candidate with valid elective results from earlier
// years (Neni 26.2) competes with them without sitting electives again.
func hasElectiveResults(ctx context.Context, c *change, studentID int64) bool {
	results, err := loadResults(ctx, c.tx, studentID)
	return err == nil && len(ValidElectiveResults(results)) > 0
}
