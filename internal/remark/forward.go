package remark

import (
	"context"
	"fmt"
	"strings"
	"time"

	"provim/internal/apperr"
	"provim/internal/audit"
	"provim/internal/auth"
	"provim/internal/store"
)

// The school and the KMSH (Neni 64 ¶2): the school commission collects
// its candidates' requests and forwards them with the receipts to the
// KMSH within 5 days of the results; the KMSH reviews them (refusing one
// with a reason, e.g. an invalid receipt) and forwards them to AVA within
// 7 days. Each sees only its own candidates; another's is not found.

// scopeOf adds p's scope to q: the school's candidates for the school
// commission, the region's (its unit and the units under it) for the
// KMSH. Others have no list by candidate.
func (s *Service) scopeOf(ctx context.Context, p *auth.Principal, q *store.Query) error {
	switch {
	case MayEnterOnPaper(p):
		q.Add("school_code = ?", p.School)
	case MayReview(p):
		units, err := s.registry.UnitsUnder(ctx, []string{p.Unit})
		if err != nil {
			return err
		}
		if len(units) == 0 {
			units = []string{p.Unit}
		}
		q.Add("unit_code IN ("+store.Marks(len(units))+")", store.Args(units)...)
	default:
		return apperr.New(apperr.Forbidden, "Kërkesat sipas kandidatëve i shohin KSHMSH e shkollës dhe KMSH e rajonit; AVA i rivlerëson sipas kodit (Neni 64).")
	}
	return nil
}

// Requests lists the requests of p's scope for an exam ("" every exam),
// with the candidates' names, in registration-number order.
func (s *Service) Requests(ctx context.Context, p *auth.Principal, year int, exam string) (int, []Request, error) {
	y, err := s.yearOf(ctx, year)
	if err != nil {
		return 0, nil, err
	}
	var q store.Query
	if err := s.scopeOf(ctx, p, &q); err != nil {
		return 0, nil, err
	}
	q.Add("year = ?", y.Year)
	if exam = NormExam(exam); exam != "" {
		q.Add("exam = ?", exam)
	}
	list, err := store.Select(ctx, s.db.Q(ctx), scanRequest, `SELECT `+requestColumns+` FROM remark_requests`+q.Where()+` ORDER BY exam, reg_no`, q.Args()...)
	if err != nil {
		return 0, nil, fmt.Errorf("remark: requests: %w", err)
	}
	if err := s.name(ctx, list); err != nil {
		return 0, nil, err
	}
	return y.Year, list, nil
}

// name fills the candidates' names and the exams' names.
func (s *Service) name(ctx context.Context, list []Request) error {
	ids := make([]int64, len(list))
	for i, r := range list {
		ids[i] = r.studentID
	}
	names, err := s.registry.ListedStudents(ctx, ids)
	if err != nil {
		return err
	}
	exams := map[string]string{}
	for i := range list {
		st := names[list[i].studentID]
		list[i].Name = strings.Join(strings.Fields(st.FirstName+" "+st.LastName), " ")
		if _, ok := exams[list[i].Exam]; !ok {
			exams[list[i].Exam] = s.examName(ctx, list[i].Year, list[i].Exam)
		}
		list[i].ExamName = exams[list[i].Exam]
	}
	return nil
}

// examName is an exam's subject name for the year ("" when unknown).
func (s *Service) examName(ctx context.Context, year int, exam string) string {
	_, es, err := s.marking.Exams(ctx, year)
	if err != nil {
		return ""
	}
	for _, e := range es {
		if e.Code == exam {
			return e.Name
		}
	}
	return ""
}

// ForwardResult counts what a forwarding moved.
type ForwardResult struct {
	Exam      string `json:"exam"`
	Forwarded int    `json:"forwarded"`
}

// Forward is the forwarding step of p: the school commission's to the
// KMSH, the KMSH's to AVA.
func (s *Service) Forward(ctx context.Context, p *auth.Principal, year int, exam string) (ForwardResult, error) {
	if MayReview(p) {
		return s.ForwardKMSH(ctx, p, year, exam)
	}
	return s.ForwardSchool(ctx, p, year, exam)
}

// ForwardSchool forwards the school's filed requests of an exam to the
// KMSH (Neni 64 ¶2), within 5 days of the results.
func (s *Service) ForwardSchool(ctx context.Context, p *auth.Principal, year int, exam string) (ForwardResult, error) {
	if !MayEnterOnPaper(p) {
		return ForwardResult{}, apperr.New(apperr.Forbidden, "Kërkesat e shkollës i përcjell te KMSH komisioni shkollor (Neni 64).")
	}
	return s.forward(ctx, p, year, exam, StateFiled, StateSchool, "school", CheckSchoolDay)
}

// ForwardKMSH forwards the region's reviewed requests of an exam to AVA
// (Neni 64 ¶2), within 7 days of the results; those it refused stay.
func (s *Service) ForwardKMSH(ctx context.Context, p *auth.Principal, year int, exam string) (ForwardResult, error) {
	if !MayReview(p) {
		return ForwardResult{}, apperr.New(apperr.Forbidden, "Kërkesat e rajonit i përcjell te AVA KMSH pranë DAR/ZA-së (Neni 64).")
	}
	return s.forward(ctx, p, year, exam, StateSchool, StateKMSH, "kmsh", CheckKMSHDay)
}

func (s *Service) forward(ctx context.Context, p *auth.Principal, year int, exam, from, to, step string,
	check func(exam string, pub, now time.Time) error) (ForwardResult, error) {
	y, err := s.yearOf(ctx, year)
	if err != nil {
		return ForwardResult{}, err
	}
	exam = NormExam(exam)
	res := ForwardResult{Exam: exam}
	err = s.db.InTx(ctx, func(ctx context.Context) error {
		pub, err := s.published(ctx, y.Year, exam)
		if err != nil {
			return err
		}
		if err := check(exam, pub, s.db.Now(ctx)); err != nil {
			return err
		}
		var q store.Query
		set := fmt.Sprintf("UPDATE remark_requests SET state = %s, %s_by = %s, %s_at = %s", q.Arg(to), step, q.Arg(p.Username), step, q.Arg(s.stamp(ctx)))
		if err := s.scopeOf(ctx, p, &q); err != nil {
			return err
		}
		q.Add("year = ?", y.Year)
		q.Add("exam = ?", exam)
		q.Add("state = ?", from)
		n, err := s.db.Q(ctx).ExecContext(ctx, set+q.Where(), q.Args()...)
		if err != nil {
			return fmt.Errorf("remark: forward: %w", err)
		}
		k, _ := n.RowsAffected()
		res.Forwarded = int(k)
		if k == 0 {
			return nil
		}
		return audit.Add(ctx, p.Actor(), "remark.forward."+step, "remark_exam", fmt.Sprintf("%d-%s", y.Year, exam), nil,
			map[string]any{"forwarded": k, "scope": p.School + p.Unit})
	})
	return res, err
}

// Refuse is the KMSH's refusal of one request of its region, with the
// reason (Neni 64 ¶2: "KMSH … shqyrton kërkesat"), within 7 days. A
// request outside the region is not found.
func (s *Service) Refuse(ctx context.Context, p *auth.Principal, year int, exam, regNo, reason string) (Request, error) {
	if !MayReview(p) {
		return Request{}, apperr.New(apperr.Forbidden, "Kërkesat i shqyrton KMSH pranë DAR/ZA-së (Neni 64).")
	}
	why, err := NormText(reason, "Arsyeja e refuzimit", ReasonMax, true)
	if err != nil {
		return Request{}, err
	}
	y, err := s.yearOf(ctx, year)
	if err != nil {
		return Request{}, err
	}
	exam = NormExam(exam)
	var out Request
	err = s.db.InTx(ctx, func(ctx context.Context) error {
		r, err := s.scopedRequest(ctx, p, y.Year, exam, regNo)
		if err != nil {
			return err
		}
		pub, err := s.published(ctx, y.Year, exam)
		if err != nil {
			return err
		}
		if err := CheckKMSHDay(exam, pub, s.db.Now(ctx)); err != nil {
			return err
		}
		if r.State != StateSchool {
			return apperr.New(apperr.Conflict, "Kërkesa e kandidatit %s është «%s»: KMSH refuzon vetëm kërkesat që i ka përcjellë shkolla.", r.RegNo, r.StateLabel)
		}
		if _, err := s.db.Q(ctx).ExecContext(ctx, `UPDATE remark_requests SET state = $1, refused_reason = $2, kmsh_by = $3, kmsh_at = $4 WHERE year = $5 AND exam = $6 AND student_id = $7`,
			StateRefused, why, p.Username, s.stamp(ctx), y.Year, exam, r.studentID); err != nil {
			return fmt.Errorf("remark: refuse: %w", err)
		}
		if err := audit.Add(ctx, p.Actor(), "remark.refuse", "remark_request", requestKey(y.Year, exam, r.studentID),
			map[string]any{"state": r.State}, map[string]any{"state": StateRefused, "reason": why}); err != nil {
			return err
		}
		out, _, err = s.requestOf(ctx, y.Year, exam, r.studentID)
		return err
	})
	return out, err
}

// scopedRequest is the request of a candidate (by registration number)
// in p's scope; NotFound outside it.
func (s *Service) scopedRequest(ctx context.Context, p *auth.Principal, year int, exam, regNo string) (Request, error) {
	var q store.Query
	if err := s.scopeOf(ctx, p, &q); err != nil {
		return Request{}, err
	}
	q.Add("year = ?", year)
	q.Add("exam = ?", exam)
	q.Add("reg_no = ?", strings.TrimSpace(regNo))
	list, err := store.Select(ctx, s.db.Q(ctx), scanRequest, `SELECT `+requestColumns+` FROM remark_requests`+q.Where(), q.Args()...)
	if err != nil {
		return Request{}, fmt.Errorf("remark: request: %w", err)
	}
	if len(list) == 0 {
		return Request{}, apperr.New(apperr.NotFound, "Nuk ka kërkesë për rivlerësim të provimit %s për kandidatin me numër regjistrimi %s.", exam, strings.TrimSpace(regNo))
	}
	if err := s.name(ctx, list); err != nil {
		return Request{}, err
	}
	return list[0], nil
}

// RequestInScope is one request of p's scope by registration number.
func (s *Service) RequestInScope(ctx context.Context, p *auth.Principal, year int, exam, regNo string) (Request, error) {
	y, err := s.yearOf(ctx, year)
	if err != nil {
		return Request{}, err
	}
	return s.scopedRequest(ctx, p, y.Year, NormExam(exam), regNo)
}
