package application

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"provim/internal/albanian"
	"provim/internal/auth"
	"provim/internal/doc"
	"provim/internal/examyear"
	"provim/internal/registry"
	"provim/internal/store"
)

// TableT is the school's summary of its A1 and A1z forms (Neni 12.6, 22
// ¶2–3), the same on screen, in PDF and in XLSX.
type TableT struct {
	Year       int    `json:"year"`
	SchoolYear string `json:"school_year"`
	SchoolCode string `json:"school_code"`
	SchoolName string `json:"school_name"`
	UnitCode   string `json:"unit_code"`
	UnitName   string `json:"unit_name"`
	Rows       []TRow `json:"rows"`
	// Sent is when the school sent the forms to the KMSH ("" if not yet).
	Sent     string `json:"sent,omitempty"`
	Verified string `json:"verified,omitempty"`
}

// TRow is one form in table T.
type TRow struct {
	No         int    `json:"no"`
	ID         int64  `json:"id"`
	RegNo      string `json:"reg_no"`
	PersonalNo string `json:"personal_no"`
	Name       string `json:"name"`
	BirthDate  string `json:"birth_date"`
	ClassName  string `json:"class_name"`
	Form       string `json:"form"`
	Category   string `json:"category"`
	Mandatory  string `json:"mandatory"`
	Z1         string `json:"z1"`
	Z2         string `json:"z2"`
	// Z1Name and Z2Name name the electives as the year does ("Fizikë"):
	// the printed table shows them, the codes stay for the API.
	Z1Name   string `json:"z1_name,omitempty"`
	Z2Name   string `json:"z2_name,omitempty"`
	Status   string `json:"status"`
	Failing  bool   `json:"failing"`
	HandedIn string `json:"handed_in,omitempty"` // paper forms: the day handed in (Neni 22 ¶1)
	Late     bool   `json:"late"`                // accepted after the deadline, with a reason
}

// TableT builds table T of school from its submitted forms (drafts are not
// forms yet), in Albanian alphabetical order.
func (s *Service) TableT(ctx context.Context, p *auth.Principal, school string) (TableT, error) {
	if err := auth.Require(p, auth.RoleKSHMSH, auth.RoleKMSH, auth.RoleAVA); err != nil {
		return TableT{}, err
	}
	y, err := s.year(ctx)
	if err != nil {
		return TableT{}, err
	}
	t := TableT{Year: y.Year, SchoolYear: y.Config.SchoolYear, SchoolCode: school}
	sc, err := s.reg.GetSchool(ctx, p, school)
	if err != nil {
		return t, err
	}
	t.SchoolName, t.UnitCode = sc.Name, sc.UnitCode
	if t.UnitName, err = s.reg.UnitName(ctx, sc.UnitCode); err != nil {
		return t, err
	}
	var sent, verified *string
	err = s.db.Q(ctx).QueryRowContext(ctx, `SELECT sent_at, verified_at FROM school_submissions WHERE year = $1 AND school_code = $2`, y.Year, school).Scan(&sent, &verified)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return t, fmt.Errorf("application: table T: %w", err)
	}
	if sent != nil {
		t.Sent = *sent
	}
	if verified != nil {
		t.Verified = *verified
	}
	var q store.Query
	q.Add("a.year = ?", y.Year)
	q.Add(registry.StudentSchoolCol+" = ?", school)
	q.Add("a.status <> ?", Draft)
	apps, err := s.queryApps(ctx, `SELECT `+appCols+appFrom+q.Where()+` ORDER BY `+registry.StudentOrder, q.Args()...)
	if err != nil {
		return t, err
	}
	for i, a := range apps {
		r := TRow{No: i + 1, ID: a.ID, RegNo: a.RegNo, PersonalNo: a.PersonalNo, Name: a.FullName, BirthDate: a.BirthDate,
			ClassName: a.ClassName, Form: a.Form, Category: a.Category, Mandatory: strings.Join(a.Mandatory, ", "),
			Status: StatusLabel(a.Status), Failing: a.Failing, HandedIn: a.HandedIn, Late: a.Late}
		if len(a.Electives) > 0 {
			r.Z1 = a.Electives[0]
			r.Z1Name = electiveName(y.Config, r.Z1)
		}
		if len(a.Electives) > 1 {
			r.Z2 = a.Electives[1]
			r.Z2Name = electiveName(y.Config, r.Z2)
		}
		t.Rows = append(t.Rows, r)
	}
	return t, nil
}

// Document is table T as a printable table: the one content the screen,
// the PDF and the XLSX all show.
func (t TableT) Document(generated time.Time) doc.Table {
	doc := doc.Table{
		Title: "Tabela T — " + t.SchoolName,
		Subtitle: []string{
			fmt.Sprintf("Shkolla: %s (%s) · %s", t.SchoolName, t.SchoolCode, t.UnitName),
			fmt.Sprintf("Matura Shtetërore %d, viti shkollor %s · Përmbledhje e formularëve A1 dhe A1z (Neni 22)", t.Year, t.SchoolYear),
			fmt.Sprintf("Formularë: %d", len(t.Rows)),
		},
		Columns: []doc.Column{
			{Title: "Nr.", Width: 0.5, Align: "R"}, {Title: "Nr. regjistrimi", Width: 1.2}, {Title: "Nr. personal", Width: 1.2},
			{Title: "Emri (atësia) mbiemri", Width: 2.5}, {Title: "Datëlindja", Width: 1.1}, {Title: "Klasa", Width: 0.7},
			{Title: "Formulari", Width: 1}, {Title: "Kategoria", Width: 1}, {Title: "Provimet e detyruara", Width: 1.0},
			{Title: "Z1", Width: 1.1}, {Title: "Z2", Width: 1.1}, {Title: "Gjendja", Width: 1.5},
		},
		Landscape: true,
		Footer: []string{
			"Kryetari i KSHMSH: ______________________    Anëtarët: ______________________    ______________________",
			"Data: ____________    Vula e shkollës",
		},
		Generated: generated,
	}
	for _, r := range t.Rows {
		status := r.Status
		if r.Late {
			status += " · me vonesë"
			if r.HandedIn != "" {
				status += " (dorëzuar " + albanian.DateString(r.HandedIn) + ")"
			}
		}
		if r.Failing {
			status += " · mbetës"
		}
		doc.Rows = append(doc.Rows, []string{strconv.Itoa(r.No), r.RegNo, r.PersonalNo, r.Name, albanian.DateString(r.BirthDate), r.ClassName,
			r.Form, categoryShort(r.Category), r.Mandatory, r.Z1Name, r.Z2Name, status})
	}
	return doc
}

// electiveName is an elective's name in the year (its code when the year
// does not hold it any more).
func electiveName(cfg examyear.Config, code string) string {
	if name, ok := cfg.ExamName(code); ok {
		return name
	}
	return code
}

func categoryShort(c string) string {
	if c == Regular {
		return "maturant"
	}
	return "Neni " + strings.TrimPrefix(c, "neni")
}
