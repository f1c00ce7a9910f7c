package application

import (
	"context"
	"fmt"
	"provim/internal/apperr"
	"provim/internal/audit"
	"provim/internal/auth"
	"provim/internal/examyear"
	"strconv"
	"strings"
)

// SpecialInput registers a special category (Neni 23–27, 33) after the
// KMSH has checked the documents.
type SpecialInput struct {
	StudentID  int64    `json:"student_id"`
	Category   string   `json:"category"`
	SchoolCode string   `json:"school_code"` // the school the KMSH assigns (Neni 23 ¶3, 27, 33.5)
	Documents  []string `json:"documents"`   // keys of RequiredDocuments, as checked
	Electives  []string `json:"electives"`
	// Set by the KMSH (Neni 23 ¶3) or the special commission (Neni 33.5).
	AverageGrade float64 `json:"average_grade,omitempty"`
	D1Grade      int     `json:"d1_grade,omitempty"`
	D2Grade      int     `json:"d2_grade,omitempty"`
	ResitReceipt string  `json:"resit_receipt,omitempty"` // Neni 26.1
	LateReason   string  `json:"late_reason,omitempty"`
	// GraduationYear is the last year of the school year in which the
	// candidate finished secondary school (2004 for 2003–2004), from the
	// documents; required for Neni 23–26 (see CheckSpecialCandidate).
	GraduationYear int `json:"graduation_year,omitempty"`
}

// RegisterSpecial registers a candidate of a special category (Neni 27):
// the KMSH checks every document the article asks for, assigns the school
// (in its own unit) where the candidate files the form and sits the exams,
// and sets the average and D1/D2 grades where the regulation says so
// (Neni 23 ¶3, 33.5). The person must be of the category
// (CheckSpecialCandidate) and not barred for the year (Neni 55.2), as on
// form A1. The form then goes through the school like any other.
func (s *Service) RegisterSpecial(ctx context.Context, p *auth.Principal, in SpecialInput) (Application, error) {
	if err := auth.Require(p, auth.RoleKMSH, auth.RoleAVA); err != nil {
		return Application{}, err
	}
	y, err := s.year(ctx)
	if err != nil {
		return Application{}, err
	}
	cfg := y.Config
	var problems []string
	if in.Category == Regular || in.Category == Kandidat {
		problems = append(problems, "maturantët e vitit të fundit dhe kandidatët me dëftesë plotësojnë vetë formularin A1 ose A1z (Neni 22)")
	}
	electives := normCodes(in.Electives)
	problems = append(problems, CheckElectives(cfg, in.Category, electives)...)
	have := map[string]bool{}
	for _, d := range in.Documents {
		have[strings.TrimSpace(d)] = true
	}
	resit := in.Category == Neni26 && len(electives) > 0 // Neni 26.1: a resit is paid
	for _, d := range RequiredDocuments(in.Category, resit) {
		if !have[d.Key] {
			problems = append(problems, "mungon dokumenti: "+d.Name)
		}
	}
	if resit && strings.TrimSpace(in.ResitReceipt) == "" {
		problems = append(problems, fmt.Sprintf("riprovimi paguhet (%d lekë): mungon numri i mandat-pagesës (Neni 26.1)", cfg.Fees.ElectiveResit))
	}
	grades := in.AverageGrade != 0 || in.D1Grade != 0 || in.D2Grade != 0
	if KMSHSetsGrades(in.Category) {
		if in.AverageGrade < 5 || in.AverageGrade > 10 {
			problems = append(problems, "nota mesatare e viteve të shkollimit duhet të jetë 5–10 ("+gradeArticle(in.Category)+")")
		}
		for _, g := range []struct {
			kind  string
			grade int
		}{{"D1", in.D1Grade}, {"D2", in.D2Grade}} {
			if g.grade < examyear.PassGrade || g.grade > examyear.MaxGrade {
				problems = append(problems, fmt.Sprintf("nota e provimit %s duhet të jetë 5–10 (%s)", g.kind, gradeArticle(in.Category)))
			}
		}
	}
	key := specialStep(in.Category)
	var id int64
	err = s.inTx(ctx, p, func(ctx context.Context, c *change) error {
		st, err := c.student(ctx, in.StudentID)
		if err != nil {
			return err
		}
		prev, err := c.existing(ctx, st.ID, y.Year)
		if err != nil {
			return err
		}
		who, err := c.candidate(ctx, st, prev, in.GraduationYear)
		if err != nil {
			return err
		}
		problems = append(problems, CheckSpecialCandidate(in.Category, y.Year, who, grades)...)
		// Neni 55.2: barred for the year, whichever door they come through.
		excl, err := c.s.loadExclusions(ctx, st.ID)
		if err != nil {
			return err
		}
		if barred, why := Barred(excl, y.Year); barred {
			problems = append(problems, "personi nuk ka të drejtë të japë Maturën këtë vit: "+why)
		}
		if len(problems) > 0 {
			return invalid("Kandidati nuk u regjistrua", problems)
		}
		late, err := checkDeadline(cfg, key, auth.RoleKMSH, p, in.LateReason, c.now)
		if err != nil {
			return err
		}
		school := strings.TrimSpace(in.SchoolCode)
		if school == "" {
			school = st.SchoolCode
		}
		if _, err := s.reg.GetSchool(ctx, p, school); apperr.Is(err, apperr.NotFound) {
			return apperr.New(apperr.Invalid, "Shkolla «%s» nuk është në fushën tuaj: KMSH cakton një shkollë të DAR/ZA-së së vet (Neni 27).", school)
		} else if err != nil {
			return err
		}
		if prev != nil && prev.Status != Submitted && prev.Status != Draft {
			return apperr.New(apperr.Conflict, "Kandidati ka tashmë një formular në gjendjen «%s».", StatusLabel(prev.Status))
		}
		if school != st.SchoolCode {
			if err := s.reg.AssignSchool(ctx, st.ID, school); err != nil {
				return fmt.Errorf("application: %w", err)
			}
			if err := audit.Add(ctx, p.Actor(), "assign_school", "student", strconv.FormatInt(st.ID, 10),
				map[string]any{"school_code": st.SchoolCode}, map[string]any{"school_code": school, "article": "Neni 27"}); err != nil {
				return err
			}
		}
		if KMSHSetsGrades(in.Category) {
			if err := c.setGrades(ctx, st.ID, y.Year, in); err != nil {
				return err
			}
		}
		prior, err := c.s.loadResults(ctx, st.ID)
		if err != nil {
			return err
		}
		a := Application{Year: y.Year, StudentID: st.ID, Form: FormFor(in.Category), Category: in.Category,
			Mandatory: nonNil(MandatoryExams(in.Category, prior)), Electives: electives, Status: Submitted, Source: ByKMSH,
			Documents: nonNil(keys(RequiredDocuments(in.Category, resit))), ResitReceipt: strings.TrimSpace(in.ResitReceipt),
			GraduationYear: in.GraduationYear}
		note := "Dokumentet u verifikuan nga KMSH; shkolla: " + school
		// The forms of students educated abroad go from the KMSH to AVA
		// directly (Neni 33.6), as does any form the KMSH registers once
		// the school has already sent its table T: the KMSH has verified it.
		sent, err := c.schoolSent(ctx, y.Year, school)
		if err != nil {
			return err
		}
		if in.Category == Neni33 || sent {
			a.Status = Verified
			note += "; formulari shkon drejt në AVA (Neni 33.6, 22 ¶4)"
		}
		if err := c.upsert(ctx, &a, prev); err != nil {
			return err
		}
		if a.Status == Verified {
			if _, err := c.exec(ctx, `UPDATE applications SET confirmed_at = $1, verified_at = $1 WHERE id = $2`, c.at, a.ID); err != nil {
				return err
			}
		}
		if late {
			note += ". Pranuar me vonesë: " + strings.TrimSpace(in.LateReason)
		}
		id = a.ID
		return c.event(ctx, "register_special", prev, &a, note)
	})
	if err != nil {
		return Application{}, err
	}
	return s.Get(ctx, p, id)
}

// candidate is what CheckSpecialCandidate looks at in the student st.
func (c *change) candidate(ctx context.Context, st studentRef, prev *Application, graduation int) (Candidate, error) {
	rec, err := c.s.reg.GetStudent(ctx, c.p, st.ID)
	if err != nil {
		return Candidate{}, err
	}
	who := Candidate{RegistryCategory: st.Category, ClassName: strings.TrimSpace(rec.ClassName), GraduationYear: graduation,
		FinalYearForm: prev != nil && prev.Category == Regular && prev.Status != Draft}
	if len(rec.BirthDate) >= 4 {
		who.BirthYear, _ = strconv.Atoi(rec.BirthDate[:4])
	}
	return who, nil
}

func keys(docs []Document) []string {
	var out []string
	for _, d := range docs {
		out = append(out, d.Key)
	}
	return out
}

func gradeArticle(category string) string {
	if category == Neni33 {
		return "Neni 33.5"
	}
	return "Neni 23"
}

// setGrades stores the average and the D1/D2 grades set by a commission
// (Neni 23 ¶3, 33.5) as results of session 0 of year.
func (c *change) setGrades(ctx context.Context, studentID int64, year int, in SpecialInput) error {
	if err := c.s.reg.SetAverageGrade(ctx, studentID, in.AverageGrade); err != nil {
		return fmt.Errorf("application: %w", err)
	}
	if _, err := c.q(ctx).ExecContext(ctx, `DELETE FROM prior_results WHERE student_id = $1 AND year = $2 AND session = 0`, studentID, year); err != nil {
		return err
	}
	for _, g := range []struct {
		kind  string
		grade int
	}{{examyear.KindD1, in.D1Grade}, {examyear.KindD2, in.D2Grade}} {
		if _, err := c.q(ctx).ExecContext(ctx, `INSERT INTO prior_results (student_id, year, session, subject, kind, grade, source) VALUES ($1, $2, 0, $3, $3, $4, $5)`,
			studentID, year, g.kind, g.grade, gradeArticle(in.Category)); err != nil {
			return fmt.Errorf("application: set grade: %w", err)
		}
	}
	return audit.Add(ctx, c.p.Actor(), "set_grades", "student", strconv.FormatInt(studentID, 10), nil,
		map[string]any{"average_grade": in.AverageGrade, "d1": in.D1Grade, "d2": in.D2Grade, "article": gradeArticle(in.Category)})
}
