package results

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"golang.org/x/text/unicode/norm"

	"provim/internal/apperr"
	"provim/internal/auth"
	"provim/internal/examyear"
	"provim/internal/registry"
	"provim/internal/scope"
	"provim/internal/store"
)

// MyPage returns the candidate's prepared results page of the active
// year (one primary-key read) with its entity tag; NotFound while none of
// their results is published. Only the candidate themselves.
func (s *Service) MyPage(ctx context.Context, p *auth.Principal) (Page, string, error) {
	body, etag, err := s.MyPageRaw(ctx, p)
	if err != nil {
		return Page{}, "", err
	}
	var pg Page
	if err := json.Unmarshal(body, &pg); err != nil {
		return Page{}, "", fmt.Errorf("results: page: %w", err)
	}
	return pg, etag, nil
}

// MyPageRaw is MyPage's stored JSON, as served to the API.
func (s *Service) MyPageRaw(ctx context.Context, p *auth.Principal) ([]byte, string, error) {
	if !MaySeeOwn(p) {
		return nil, "", apperr.New(apperr.Forbidden, "Rezultatet e veta i sheh vetëm kandidati.")
	}
	y, err := s.yearOf(ctx, 0)
	if err != nil {
		return nil, "", err
	}
	var body, etag string
	err = s.db.Q(ctx).QueryRowContext(ctx, `SELECT body, etag FROM results_pages WHERE year = $1 AND student_id = $2`, y.Year, p.StudentID).Scan(&body, &etag)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, "", apperr.New(apperr.NotFound, "Rezultatet tuaja të vitit %d nuk janë shpallur ende.", y.Year)
	}
	if err != nil {
		return nil, "", fmt.Errorf("results: my page: %w", err)
	}
	return []byte(body), etag, nil
}

// Filter selects a list of results.
type Filter struct {
	Year   int
	Exam   string // "" for every exam
	Search string // a word of the name or the registration number
	Offset int
	Limit  int // 1–500, default 50
}

// ExamLabel names the row's test for people: "D1", "D1 (sesioni 2)".
func (r Row) ExamLabel() string { return examyear.TestLabel(r.Exam) }

// Row is one result on a list: the candidate by name and registration
// number, never by id.
type Row struct {
	Name       string `json:"name"`
	RegNo      string `json:"reg_no"`
	School     string `json:"school"`
	Exam       string `json:"exam"` // the test key: D1, D1-2 (Neni 58)
	Points     int    `json:"points"`
	MaxPoints  int    `json:"max_points"`
	Grade      int    `json:"grade"`
	Passed     bool   `json:"passed"`
	Voided     bool   `json:"voided"`
	VoidReason string `json:"void_reason,omitempty"`
	Absent     bool   `json:"absent"`
	Remarked   bool   `json:"remarked"`
	Published  bool   `json:"published"`
}

// Status is the word the lists show for a result.
func (r Row) Status() string {
	switch {
	case r.Voided:
		return "Anuluar"
	case r.Absent:
		return "Mungon"
	case r.Passed:
		return "Kalues"
	}
	return "Jokalues"
}

// List is a page of results.
type List struct {
	Year   int   `json:"year"`
	Total  int   `json:"total"`
	Offset int   `json:"offset"`
	Limit  int   `json:"limit"`
	Rows   []Row `json:"rows"`
}

// maxSearch bounds the search word.
const maxSearch = 80

// List returns results in the caller's scope: AVA all, the KMSH its
// DAR/ZA, the school commission the candidates listed with its school;
// before publication only AVA sees them (Neni 59.5). The rows are in the
// Albanian order of names, then the exam: no list ranks or groups schools
// by results (Neni 63).
func (s *Service) List(ctx context.Context, p *auth.Principal, f Filter) (List, error) {
	if !MayList(p) {
		return List{}, scope.Deny(p)
	}
	y, err := s.yearOf(ctx, f.Year)
	if err != nil {
		return List{}, err
	}
	out := List{Year: y.Year, Offset: max(0, f.Offset), Limit: f.Limit}
	if out.Limit <= 0 {
		out.Limit = 50
	}
	if out.Limit > 500 {
		out.Limit = 500
	}
	var q store.Query
	q.Add("r.year = ?", y.Year)
	if f.Exam != "" {
		e, err := examOf(y.Config, y.Year, f.Exam)
		if err != nil {
			return List{}, err
		}
		q.Add("r.exam = ?", e.Exam)
		q.Add("r.session = ?", e.Session)
	}
	if !MayManage(p) {
		q.Add("e.published_at <> ''")
	}
	if err := scope.Limit(p, &q, scope.Columns{Unit: "r.unit_code", School: "r.school_code"}); err != nil {
		return List{}, err
	}
	word := strings.ToLower(norm.NFC.String(strings.TrimSpace(f.Search)))
	if len([]rune(word)) > maxSearch {
		return List{}, apperr.New(apperr.Invalid, "Fjala e kërkimit është më e gjatë se %d shkronja.", maxSearch)
	}
	// Every word in the name, father's name, surname, personal or
	// registration number, ignoring case and ë/ç (issue 11 part B).
	registry.StudentSearch(&q, word, "r.reg_no")
	from := resultFrom + registry.StudentJoin("r.student_id")
	if err := s.db.Q(ctx).QueryRowContext(ctx, `SELECT COUNT(*)`+from+q.Where(), q.Args()...).Scan(&out.Total); err != nil {
		return List{}, fmt.Errorf("results: list count: %w", err)
	}
	rows, err := store.Select(ctx, s.db.Q(ctx), func(r store.Scanner) (Row, error) {
		var x Row
		var first, father, last, published string
		var passed, voided, absent, remarked, session int
		err := r.Scan(&first, &father, &last, &x.RegNo, &x.School, &x.Exam, &session, &x.Points, &x.MaxPoints, &x.Grade, &passed, &voided, &x.VoidReason, &absent, &remarked, &published)
		x.Name = first + " (" + father + ") " + last
		x.Exam = examyear.TestKey(x.Exam, session)
		x.Passed, x.Voided, x.Absent, x.Remarked, x.Published = passed == 1, voided == 1, absent == 1, remarked == 1, published != ""
		return x, err
	}, `SELECT st.first_name, st.father_name, st.last_name, r.reg_no, r.school_code, r.exam, r.session, r.points, r.max_points, r.grade,
		r.passed, r.voided, r.void_reason, r.absent, r.remarked, e.published_at`+from+q.Where()+
		` ORDER BY `+registry.StudentOrder+`, r.exam, r.session LIMIT `+fmt.Sprint(out.Limit)+` OFFSET `+fmt.Sprint(out.Offset), q.Args()...)
	if err != nil {
		return List{}, fmt.Errorf("results: list: %w", err)
	}
	codes := make([]string, 0, len(rows))
	for _, r := range rows {
		codes = append(codes, r.School)
	}
	schools, err := s.registry.SchoolsByCode(ctx, store.Distinct(codes))
	if err != nil {
		return List{}, err
	}
	for i := range rows {
		if sc, ok := schools[rows[i].School]; ok {
			rows[i].School = sc.Name
		}
	}
	out.Rows = rows
	if out.Rows == nil {
		out.Rows = []Row{}
	}
	return out, nil
}
