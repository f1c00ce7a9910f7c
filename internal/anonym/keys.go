package anonym

import (
	"context"
	"crypto/subtle"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	"provim/internal/apperr"
	"provim/internal/audit"
	"provim/internal/auth"
	"provim/internal/clock"
	"provim/internal/examyear"
	"provim/internal/store"
)

// HolderShare is one key holder's share, given out once.
type HolderShare struct {
	No    int    `json:"no"`
	Name  string `json:"name"`
	Share string `json:"share"`
}

// KeyResult is the key of an exam's sealed link as AVA names its holders:
// the shares are in it this once and never stored.
type KeyResult struct {
	Year      int           `json:"year"`
	Exam      string        `json:"exam"`
	Threshold int           `json:"threshold"`
	Shares    []HolderShare `json:"shares"`
}

// NameHolders makes the key of an exam's sealed link and splits it among
// the holders AVA names, threshold of whom must act together to open it
// (Neni 59.3). AVA only. The answer carries every holder's share, this
// once: the service keeps only each share's commitment, and the secret is
// forgotten when the call returns. While no label is attached the holders
// may be named again (a new key, the old shares worthless); after that the
// key stays.
func (s *Service) NameHolders(ctx context.Context, by *auth.Principal, year int, exam string, holders []string, threshold int) (KeyResult, error) {
	exam = normExam(exam)
	if err := auth.Require(by, auth.RoleAVA); err != nil {
		return KeyResult{}, err
	}
	y, err := s.yearOf(ctx, year)
	if err != nil {
		return KeyResult{}, err
	}
	if _, _, err := examOf(y.Config, exam); err != nil {
		return KeyResult{}, err
	}
	var names []string
	seen := map[string]bool{}
	for _, h := range holders {
		n := strings.Join(strings.Fields(h), " ")
		if n == "" {
			continue
		}
		if seen[strings.ToLower(n)] {
			return KeyResult{}, apperr.New(apperr.Invalid, "Mbajtësi «%s» është shënuar dy herë: çdo pjesë e çelësit i jepet një personi tjetër.", n)
		}
		if len([]rune(n)) > 120 {
			return KeyResult{}, apperr.New(apperr.Invalid, "Emri i mbajtësit është më i gjatë se 120 shkronja.")
		}
		seen[strings.ToLower(n)] = true
		names = append(names, n)
	}
	if threshold < MinThreshold || len(names) < threshold || len(names) > MaxHolders {
		return KeyResult{}, apperr.New(apperr.Invalid, "Çelësi ndahet te %d deri në %d mbajtës, dhe hapet nga të paktën %d prej tyre: u dhanë %d mbajtës me prag %d (Neni 59.3).",
			MinThreshold, MaxHolders, MinThreshold, len(names), threshold)
	}
	pub, shares, err := newSecret(year, exam, threshold, len(names))
	if err != nil {
		return KeyResult{}, fmt.Errorf("anonym: key: %w", err)
	}
	res := KeyResult{Year: year, Exam: exam, Threshold: threshold}
	err = s.db.InTx(ctx, func(ctx context.Context) error {
		q := s.db.Q(ctx)
		var old int
		if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM anonym_keys WHERE year = $1 AND exam = $2`, year, exam).Scan(&old); err != nil {
			return err
		}
		if old > 0 {
			var links int
			if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM anonym_links WHERE year = $1 AND exam = $2`, year, exam).Scan(&links); err != nil {
				return err
			}
			if links > 0 {
				return apperr.New(apperr.Conflict, "Mbajtësit e çelësit të provimit %s nuk ndryshohen më: %d lidhje janë vulosur me këtë çelës (Neni 59.3).", examyear.TestLabel(exam), links)
			}
			if _, err := q.ExecContext(ctx, `DELETE FROM anonym_holders WHERE year = $1 AND exam = $2`, year, exam); err != nil {
				return err
			}
			if _, err := q.ExecContext(ctx, `DELETE FROM anonym_keys WHERE year = $1 AND exam = $2`, year, exam); err != nil {
				return err
			}
		}
		if _, err := q.ExecContext(ctx, `INSERT INTO anonym_keys (year, exam, public_key, threshold, holders, created_at, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
			year, exam, hex.EncodeToString(pub), threshold, len(names), clock.Stored(s.db.Now(ctx)), by.Username); err != nil {
			return err
		}
		for i, text := range shares {
			no, hash, err := hashOfShareText(year, exam, text)
			if err != nil || no != i+1 {
				return fmt.Errorf("anonym: share %d does not read back", i+1)
			}
			if _, err := q.ExecContext(ctx, `INSERT INTO anonym_holders (year, exam, no, name, share_hash) VALUES ($1, $2, $3, $4, $5)`,
				year, exam, no, names[i], hash); err != nil {
				return err
			}
			res.Shares = append(res.Shares, HolderShare{No: no, Name: names[i], Share: text})
		}
		action := "anonym_key"
		if old > 0 {
			action = "anonym_rekey"
		}
		// The holders are named; their shares never are.
		return audit.Add(ctx, by.Actor(), action, "anonym_exam", examKey(year, exam), nil,
			map[string]any{"threshold": threshold, "holders": names})
	})
	if err != nil {
		return KeyResult{}, err
	}
	return res, nil
}

// ShareInput is one holder's share submitted to open the link.
type ShareInput struct {
	Holder string `json:"holder"`
	Share  string `json:"share"`
}

// OpenResult is the opening of an exam's link.
type OpenResult struct {
	Year    int      `json:"year"`
	Exam    string   `json:"exam"`
	Holders []string `json:"holders"`
	Links   int      `json:"links"`
	At      string   `json:"opened_at"`
}

// Open rebuilds the exam's key from the shares of at least threshold of
// its holders, each share checked against its holder's commitment, and
// decrypts every link into the opened table for the results (Neni 58:
// AVA joins the codes to the candidates on its premises). AVA only, and
// only once the marking of the exam has closed (Neni 59.3). Every opening
// and every refused attempt goes into the audit log, naming the holders
// and never a share.
func (s *Service) Open(ctx context.Context, by *auth.Principal, year int, exam string, shares []ShareInput) (OpenResult, error) {
	exam = normExam(exam)
	if err := auth.Require(by, auth.RoleAVA); err != nil {
		return OpenResult{}, err
	}
	res, named, err := s.open(ctx, by, year, exam, shares)
	if err != nil && !errors.Is(err, errInternal) {
		// The refused attempt is recorded in a transaction of its own.
		if aerr := s.db.InTx(ctx, func(ctx context.Context) error {
			return audit.Add(ctx, by.Actor(), "anonym_open_refused", "anonym_exam", examKey(year, exam), nil,
				map[string]any{"holders": named, "reason": apperr.MessageOf(err)})
		}); aerr != nil {
			return res, errors.Join(err, aerr)
		}
	}
	return res, err
}

var errInternal = errors.New("anonym: internal")

func (s *Service) open(ctx context.Context, by *auth.Principal, year int, exam string, shares []ShareInput) (OpenResult, []string, error) {
	res := OpenResult{Year: year, Exam: exam, Holders: []string{}}
	named := []string{}
	for _, sh := range shares {
		if n := strings.Join(strings.Fields(sh.Holder), " "); n != "" {
			named = append(named, n)
		}
	}
	closed := false
	s.mu.RLock()
	f := s.markingClosed
	s.mu.RUnlock()
	if f != nil {
		c, err := f(ctx, year, exam)
		if err != nil {
			return res, named, errors.Join(errInternal, err)
		}
		closed = c
	}
	if !closed {
		return res, named, apperr.New(apperr.Conflict, "Lidhja e kodeve të sekretimit me kandidatët e provimit %s hapet vetëm pasi mbyllet vlerësimi i provimit: deri atëherë kodet janë material i klasifikuar (Neni 59.3).", examyear.TestLabel(exam))
	}
	var out OpenResult
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		q := s.db.Q(ctx)
		var pubHex, opened string
		var threshold int
		err := q.QueryRowContext(ctx, `SELECT public_key, threshold, opened_at FROM anonym_keys WHERE year = $1 AND exam = $2`, year, exam).Scan(&pubHex, &threshold, &opened)
		if errors.Is(err, sql.ErrNoRows) {
			return apperr.New(apperr.NotFound, "Provimi %s i vitit %d nuk ka çelës të lidhjes së kodeve.", examyear.TestLabel(exam), year)
		}
		if err != nil {
			return errors.Join(errInternal, err)
		}
		if opened != "" {
			return apperr.New(apperr.Conflict, "Lidhja e kodeve të provimit %s është hapur tashmë më %s.", examyear.TestLabel(exam), clock.Stamp(opened))
		}
		type holder struct {
			no         int
			name, hash string
		}
		holders, err := store.Select(ctx, q, func(r store.Scanner) (holder, error) {
			var h holder
			return h, r.Scan(&h.no, &h.name, &h.hash)
		}, `SELECT no, name, share_hash FROM anonym_holders WHERE year = $1 AND exam = $2 ORDER BY no`, year, exam)
		if err != nil {
			return errors.Join(errInternal, err)
		}
		byName := map[string]holder{}
		for _, h := range holders {
			byName[strings.ToLower(h.name)] = h
		}
		var parsed []parsedShare
		used := map[int]bool{}
		for _, sh := range shares {
			name := strings.Join(strings.Fields(sh.Holder), " ")
			if name == "" && strings.TrimSpace(sh.Share) == "" {
				continue
			}
			h, ok := byName[strings.ToLower(name)]
			if !ok {
				return apperr.New(apperr.Invalid, "«%s» nuk është ndër mbajtësit e çelësit të provimit %s.", name, examyear.TestLabel(exam))
			}
			if used[h.no] {
				return apperr.New(apperr.Invalid, "Mbajtësi «%s» është shënuar dy herë: duhen %d mbajtës të ndryshëm.", h.name, threshold)
			}
			p, err := parseShare(year, exam, sh.Share)
			if err != nil {
				return apperr.New(apperr.Invalid, "Pjesa e çelësit e mbajtësit «%s» nuk lexohet: kontrolloni që është shkruar e plotë, me shenjën e kontrollit në fund.", h.name)
			}
			if p.no != h.no || subtle.ConstantTimeCompare([]byte(p.hash), []byte(h.hash)) != 1 {
				return apperr.New(apperr.Invalid, "Pjesa e çelësit e paraqitur nga «%s» nuk është pjesa që iu dha atij mbajtësi.", h.name)
			}
			used[h.no] = true
			parsed = append(parsed, p)
			res.Holders = append(res.Holders, h.name)
		}
		if len(parsed) < threshold {
			return apperr.New(apperr.Invalid, "Lidhja hapet vetëm nga të paktën %d mbajtës së bashku: u paraqitën %d pjesë të vlefshme (Neni 59.3).", threshold, len(parsed))
		}
		priv, err := recoverKey(year, exam, threshold, parsed, mustHex(pubHex))
		if err != nil {
			return apperr.New(apperr.Invalid, "Pjesët e paraqitura nuk rindërtojnë çelësin e provimit %s.", examyear.TestLabel(exam))
		}
		type link struct{ eph, sealed string }
		links, err := store.Select(ctx, q, func(r store.Scanner) (link, error) {
			var l link
			return l, r.Scan(&l.eph, &l.sealed)
		}, `SELECT eph, sealed FROM anonym_links WHERE year = $1 AND exam = $2`, year, exam)
		if err != nil {
			return errors.Join(errInternal, err)
		}
		rows := make([][]any, 0, len(links))
		opener := newLinkOpener(priv, year, exam)
		for _, l := range links {
			code, student, err := opener.open(l.eph, l.sealed)
			if err != nil {
				return errors.Join(errInternal, fmt.Errorf("anonym: a sealed link does not open: %w", err))
			}
			rows = append(rows, []any{year, exam, code, student})
		}
		if err := insertRows(ctx, q, `INSERT INTO anonym_opened (year, exam, code, student_id) VALUES `, rows); err != nil {
			return errors.Join(errInternal, err)
		}
		now := clock.Stored(s.db.Now(ctx))
		if _, err := q.ExecContext(ctx, `UPDATE anonym_keys SET opened_at = $1, opened_by = $2 WHERE year = $3 AND exam = $4`, now, by.Username, year, exam); err != nil {
			return errors.Join(errInternal, err)
		}
		res.Links, res.At = len(rows), clock.Stamp(now)
		out = res
		return audit.Add(ctx, by.Actor(), "anonym_open", "anonym_exam", examKey(year, exam), nil,
			map[string]any{"holders": res.Holders, "threshold": threshold, "links": res.Links})
	})
	if err != nil {
		return OpenResult{Year: year, Exam: exam, Holders: []string{}}, named, err
	}
	return out, named, nil
}
