package certificate

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"net/netip"
	"strings"
	"time"

	"golang.org/x/text/unicode/norm"

	"provim/internal/apperr"
	"provim/internal/clock"
	"provim/internal/store"
)

// The public check (/vertetimi): anyone with a certificate's number and
// its holder's personal number learns whether it is valid (with the name,
// the year and the grades), revoked (with the date, the reason and the
// number that replaces it) or not found. The answer is the same "not
// found" whether the number does not exist or the personal number does
// not match, so the page tells nothing without the pair; and each address
// is throttled, so the pair cannot be guessed: at most CheckLimit checks
// in CheckWindow, and after MissLimit answers "not found" in MissWindow
// none until the window passes. Checks are counted in the database, so
// every server counts the same; only a hash of the address is kept.
const (
	CheckWindow = 10 * time.Minute
	CheckLimit  = 20
	MissWindow  = time.Hour
	MissLimit   = 5
)

// Answer is what the public check tells.
type Answer struct {
	Status     string    `json:"status"` // StatusValid, StatusRevoked or StatusNotFound
	Number     string    `json:"number"`
	FullName   string    `json:"full_name,omitempty"`
	Year       int       `json:"year,omitempty"`
	Exams      []Exam    `json:"exams,omitempty"`
	IssuedAt   time.Time `json:"issued_at,omitzero"`
	RevokedAt  time.Time `json:"revoked_at,omitzero"`
	Reason     string    `json:"reason,omitempty"`
	ReplacedBy string    `json:"replaced_by,omitempty"`
}

// addressKey is an address as the throttle counts it (an IPv6 address by
// its /64), hashed with a key derived from AVA's seal when one is loaded
// (every server has the same), so the stored value cannot be reversed by
// hashing every IPv4 address.
func addressKey(addr string, secret []byte) string {
	if a, err := netip.ParseAddr(addr); err == nil {
		a = a.Unmap()
		if a.Is6() {
			p, _ := a.Prefix(64)
			addr = p.String()
		} else {
			addr = a.String()
		}
	}
	if secret == nil {
		h := sha256.Sum256([]byte("vertetimi:" + addr))
		return hex.EncodeToString(h[:16])
	}
	m := hmac.New(sha256.New, secret)
	m.Write([]byte("vertetimi:" + addr))
	return hex.EncodeToString(m.Sum(nil)[:16])
}

// Check answers the public check of a certificate from addr.
func (s *Service) Check(ctx context.Context, addr, number, personalNo string) (Answer, error) {
	number = strings.ToUpper(strings.TrimSpace(norm.NFC.String(number)))
	personalNo = strings.ToUpper(strings.TrimSpace(norm.NFC.String(personalNo)))
	switch {
	case number == "":
		return Answer{}, apperr.New(apperr.Invalid, "Shkruani numrin e certifikatës (fusha «numri»), p.sh. MS-2027-0012345-K.")
	case personalNo == "":
		return Answer{}, apperr.New(apperr.Invalid, "Shkruani numrin personal të mbajtësit (fusha «numri personal»).")
	case len(number) > 40:
		return Answer{}, apperr.New(apperr.Invalid, "Numri i certifikatës është më i gjatë se 40 shenja.")
	case len(personalNo) > 20:
		return Answer{}, apperr.New(apperr.Invalid, "Numri personal është më i gjatë se 20 shenja.")
	}
	var secret []byte
	if seal, err := s.Seal(); err == nil {
		k := sha256.Sum256(append([]byte("provim certificate checks\x00"), seal.Ed.Seed()...))
		secret = k[:]
	}
	key := addressKey(addr, secret)
	var out Answer
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		now := s.db.Now(ctx)
		// One address's checks one at a time, so that a burst of parallel
		// requests cannot all read the count before any adds to it (on
		// SQLite every writing transaction is alone already).
		if s.db.Dialect == store.Postgres {
			if _, err := s.db.Q(ctx).ExecContext(ctx, `SELECT pg_advisory_xact_lock(hashtext($1))`, "certificate_checks:"+key); err != nil {
				return fmt.Errorf("certificate: checks lock: %w", err)
			}
		}
		if err := s.throttle(ctx, key, now); err != nil {
			return err
		}
		a, err := s.lookup(ctx, number, personalNo)
		if err != nil {
			return err
		}
		found := 0
		if a.Status != StatusNotFound {
			found = 1
		}
		if _, err := s.db.Q(ctx).ExecContext(ctx, `DELETE FROM certificate_checks WHERE address = $1 AND at < $2`,
			key, clock.Stored(now.Add(-MissWindow))); err != nil {
			return fmt.Errorf("certificate: checks: %w", err)
		}
		if _, err := s.db.Q(ctx).ExecContext(ctx, `INSERT INTO certificate_checks (address, at, found) VALUES ($1, $2, $3)`,
			key, clock.Stored(now), found); err != nil {
			return fmt.Errorf("certificate: checks: %w", err)
		}
		out = a
		return nil
	})
	return out, err
}

// throttle refuses a check from an address that has had too many.
func (s *Service) throttle(ctx context.Context, key string, now time.Time) error {
	var n, misses int
	var lastMiss sql.NullString
	if err := s.db.Q(ctx).QueryRowContext(ctx, `SELECT
		COALESCE(SUM(CASE WHEN at > $2 THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN found = 0 THEN 1 ELSE 0 END), 0),
		MIN(CASE WHEN found = 0 THEN at END)
		FROM certificate_checks WHERE address = $1 AND at > $3`,
		key, clock.Stored(now.Add(-CheckWindow)), clock.Stored(now.Add(-MissWindow))).Scan(&n, &misses, &lastMiss); err != nil {
		return fmt.Errorf("certificate: throttle: %w", err)
	}
	if misses >= MissLimit {
		until := now.Add(MissWindow)
		if t, err := time.Parse(time.RFC3339, lastMiss.String); err == nil {
			until = t.Add(MissWindow)
		}
		return apperr.New(apperr.TooMany, "Nga kjo adresë janë bërë %d kontrolle pa gjetur certifikatë brenda një ore. "+
			"Për mbrojtjen e të dhënave, provoni përsëri pas orës %s. Kontrolloni numrin e certifikatës dhe numrin personal.",
			misses, clock.Format(until)[11:])
	}
	if n >= CheckLimit {
		return apperr.New(apperr.TooMany, "Nga kjo adresë janë bërë %d kontrolle në %d minuta. Provoni përsëri pas pak minutash.",
			n, int(CheckWindow.Minutes()))
	}
	return nil
}

// lookup finds the certificate with number whose holder has personalNo.
func (s *Service) lookup(ctx context.Context, number, personalNo string) (Answer, error) {
	n, _, _, ok := ParseNumber(number)
	if !ok {
		return Answer{Status: StatusNotFound, Number: number}, nil
	}
	c, err := scanCert(s.db.Q(ctx).QueryRowContext(ctx, `SELECT `+certCols+` FROM certificates WHERE number = $1 AND personal_no = $2`, n, personalNo))
	if errors.Is(err, sql.ErrNoRows) {
		return Answer{Status: StatusNotFound, Number: n}, nil
	}
	if err != nil {
		return Answer{}, fmt.Errorf("certificate: check: %w", err)
	}
	a := Answer{Status: c.Status(), Number: c.Number, FullName: c.FullName, Year: c.Year, IssuedAt: c.IssuedAt}
	if c.Valid() {
		a.Exams = c.Exams
	} else {
		a.RevokedAt, a.Reason, a.ReplacedBy = c.RevokedAt, PublicReason(c.RevokeReason), c.ReplacedBy
	}
	return a, nil
}
