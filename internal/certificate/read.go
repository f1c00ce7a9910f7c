package certificate

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"golang.org/x/text/unicode/norm"

	"provim/internal/apperr"
	"provim/internal/auth"
	"provim/internal/scope"
	"provim/internal/store"
)

const certCols = `number, year, student_id, full_name, personal_no, birth_date, school_code, school_name, unit_code, exams, record,
	issued_at, revoked_at, revoke_reason, replaced_by`

func scanCert(r store.Scanner) (Certificate, error) {
	var c Certificate
	var exams, issued, revoked string
	if err := r.Scan(&c.Number, &c.Year, &c.StudentID, &c.FullName, &c.PersonalNo, &c.BirthDate, &c.SchoolCode, &c.SchoolName, &c.UnitCode,
		&exams, &c.Record, &issued, &revoked, &c.RevokeReason, &c.ReplacedBy); err != nil {
		return c, err
	}
	if err := json.Unmarshal([]byte(exams), &c.Exams); err != nil {
		return c, fmt.Errorf("certificate %s: exams: %w", c.Number, err)
	}
	var err error
	if c.IssuedAt, err = time.Parse(time.RFC3339, issued); err != nil {
		return c, fmt.Errorf("certificate %s: issued at: %w", c.Number, err)
	}
	if revoked != "" {
		if c.RevokedAt, err = time.Parse(time.RFC3339, revoked); err != nil {
			return c, fmt.Errorf("certificate %s: revoked at: %w", c.Number, err)
		}
	}
	return c, nil
}

// limit adds p's scope over certificates to q: AVA all, a KMSH its
// region, a school commission its candidates, a candidate their own;
// every other role nothing (Deny).
func limit(p *auth.Principal, q *store.Query) error {
	return scope.Limit(p, q, scope.Columns{Unit: "unit_code", School: "school_code", Student: "student_id"})
}

func notFound(number string) error {
	return apperr.New(apperr.NotFound, "Certifikata «%s» nuk u gjet.", number)
}

// Get returns a certificate in p's scope; NotFound outside it.
func (s *Service) Get(ctx context.Context, p *auth.Principal, number string) (Certificate, error) {
	n, _, _, ok := ParseNumber(number)
	if !ok {
		return Certificate{}, notFound(number)
	}
	var q store.Query
	if err := limit(p, &q); err != nil {
		return Certificate{}, err
	}
	q.Add("number = ?", n)
	c, err := scanCert(s.db.Q(ctx).QueryRowContext(ctx, `SELECT `+certCols+` FROM certificates`+q.Where(), q.Args()...))
	if errors.Is(err, sql.ErrNoRows) {
		return Certificate{}, notFound(n)
	}
	if err != nil {
		return Certificate{}, fmt.Errorf("certificate: get: %w", err)
	}
	return c, nil
}

// Mine returns the candidate's certificates, the newest first (a revoked
// one with its replacement).
func (s *Service) Mine(ctx context.Context, p *auth.Principal) ([]Certificate, error) {
	if !MayOwn(p) {
		return nil, auth.Require(p, auth.RoleStudent)
	}
	return store.Select(ctx, s.db.Q(ctx), scanCert, `SELECT `+certCols+` FROM certificates WHERE student_id = $1 ORDER BY year DESC, id DESC`, p.StudentID)
}

// MineValid is the candidate's valid certificate of the latest year;
// NotFound when none.
func (s *Service) MineValid(ctx context.Context, p *auth.Principal) (Certificate, error) {
	list, err := s.Mine(ctx, p)
	if err != nil {
		return Certificate{}, err
	}
	for _, c := range list {
		if c.Valid() {
			return c, nil
		}
	}
	return Certificate{}, apperr.New(apperr.NotFound, "Nuk keni ende një Dëftesë Pjekurie: ajo lëshohet kur të dy provimet e detyruara të Maturës janë kaluese dhe rezultatet e vitit të shpallura (Neni 16 dhe Neni 17).")
}

// Filter selects certificates of a list.
type Filter struct {
	Year   int
	School string // a school's code, "" for all in scope
	After  string // keyset: the last number of the previous page
	Limit  int    // at most 500; 0 is 100
}

// List returns certificates in p's scope, in number order, paged by keyset.
func (s *Service) List(ctx context.Context, p *auth.Principal, f Filter) ([]Certificate, error) {
	if !MayList(p) {
		return nil, auth.Require(p, auth.RoleAVA, auth.RoleKMSH, auth.RoleKSHMSH)
	}
	if len(f.School) > 40 || len(f.After) > 40 {
		return nil, apperr.New(apperr.Invalid, "Kodi i shkollës dhe numri «pas» kanë deri në 40 shenja.")
	}
	var q store.Query
	if err := limit(p, &q); err != nil {
		return nil, err
	}
	year, err := s.yearOf(ctx, f.Year)
	if err != nil {
		return nil, err
	}
	q.Add("year = ?", year)
	if f.School != "" {
		q.Add("school_code = ?", strings.ToUpper(strings.TrimSpace(f.School)))
	}
	if f.After != "" {
		q.Add("number > ?", f.After)
	}
	n := f.Limit
	if n <= 0 {
		n = 100
	}
	n = min(n, 500)
	return store.Select(ctx, s.db.Q(ctx), scanCert, `SELECT `+certCols+` FROM certificates`+q.Where()+fmt.Sprintf(` ORDER BY number LIMIT %d`, n), q.Args()...)
}

// Revocation is one entry of the public revocation list: no personal data.
type Revocation struct {
	Number     string    `json:"number"`
	RevokedAt  time.Time `json:"revoked_at"`
	Reason     string    `json:"reason"`
	ReplacedBy string    `json:"replaced_by,omitempty"`
}

// Revoked is the public list of revoked certificates, in number order
// after after (keyset), at most limit (0: 1000; at most 10,000).
func (s *Service) Revoked(ctx context.Context, after string, limit int) ([]Revocation, error) {
	if len(after) > 40 {
		return nil, apperr.New(apperr.Invalid, "Numri «pas» ka deri në 40 shenja.")
	}
	if limit <= 0 {
		limit = 1000
	}
	limit = min(limit, 10_000)
	return store.Select(ctx, s.db.Q(ctx), func(r store.Scanner) (Revocation, error) {
		var x Revocation
		var at string
		if err := r.Scan(&x.Number, &at, &x.Reason, &x.ReplacedBy); err != nil {
			return x, err
		}
		t, err := time.Parse(time.RFC3339, at)
		x.RevokedAt, x.Reason = t, PublicReason(x.Reason)
		return x, err
	}, `SELECT number, revoked_at, revoke_reason, replaced_by FROM certificates WHERE revoked_at <> '' AND number > $1 ORDER BY number LIMIT `+fmt.Sprint(limit), after)
}

// Revoke revokes a valid certificate by hand (AVA), with a reason; with
// reissue, a new one is issued in its place when the Matura is still
// complete (corrected personal data), otherwise none (a voided result).
func (s *Service) Revoke(ctx context.Context, by *auth.Principal, number, reason string, reissue bool) (Certificate, error) {
	if !MayIssue(by) {
		return Certificate{}, auth.Require(by, auth.RoleAVA)
	}
	reason = strings.TrimSpace(norm.NFC.String(reason))
	switch {
	case reason == "":
		return Certificate{}, apperr.New(apperr.Invalid, "Shkruani arsyen e revokimit (fusha «arsyeja»).")
	case len([]rune(reason)) > MaxReason:
		return Certificate{}, apperr.New(apperr.Invalid, "Arsyeja e revokimit është më e gjatë se %d shkronja.", MaxReason)
	}
	var out Certificate
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		c, err := s.Get(ctx, by, number)
		if err != nil {
			return err
		}
		if !c.Valid() {
			return apperr.New(apperr.Conflict, "Certifikata %s është revokuar më parë (%s).", c.Number, c.RevokeReason)
		}
		if err := s.revoke(ctx, by, c.Number, reason); err != nil {
			return err
		}
		if reissue {
			if err := s.reissue(ctx, by, c.Year, c.StudentID, c.Number); err != nil {
				return err
			}
		}
		out, err = s.Get(ctx, by, c.Number)
		return err
	})
	return out, err
}
