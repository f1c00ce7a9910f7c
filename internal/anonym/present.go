package anonym

import (
	"context"
	"crypto/subtle"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"provim/internal/apperr"
	"provim/internal/audit"
	"provim/internal/auth"
	"provim/internal/clock"
	"provim/internal/examyear"
	"provim/internal/store"
)

// The link opened one key holder at a time (issue 15 item 1): each holder
// presents their share from their own account; a share is checked against
// its holder's commitment when presented (a wrong one is refused at once
// and audited), and the link opens in the request that brings the
// threshold's last share (Neni 59.3). Shamir's scheme needs the k shares
// together, so the ones presented wait in the memory of this server only —
// never in the database, never in a log — for at most PresentWindow, and
// are forgotten when the link opens, when an opening fails, or when the
// window passes. (With several servers, the holders present on the same
// one: the opening is done at AVA, Neni 58.) The all-at-once form (Open)
// stays for holders sitting together.

// PresentWindow is how long a presented share waits for the others.
const PresentWindow = 30 * time.Minute

// pendingShares are the shares presented and waiting, by exam.
type pendingShares struct {
	mu sync.Mutex
	by map[string][]presented
}

type presented struct {
	holder, share, account string
	at                     time.Time
}

// fresh drops what waited longer than PresentWindow; pending.mu is held.
func (p *pendingShares) fresh(key string, now time.Time) []presented {
	var keep []presented
	for _, x := range p.by[key] {
		if now.Sub(x.at) < PresentWindow {
			keep = append(keep, x)
		}
	}
	if p.by == nil {
		p.by = map[string][]presented{}
	}
	p.by[key] = keep
	return keep
}

// PresentResult is where an opening one holder at a time stands.
type PresentResult struct {
	Year      int         `json:"year"`
	Exam      string      `json:"exam"`
	Threshold int         `json:"threshold"`
	Presented []string    `json:"presented"` // the holders whose shares wait
	Opened    *OpenResult `json:"opened,omitempty"`
}

// Presented returns the holders whose shares of an exam wait (names
// only), for AVA's page.
func (s *Service) Presented(ctx context.Context, year int, exam string) []string {
	s.pending.mu.Lock()
	defer s.pending.mu.Unlock()
	var out []string
	for _, x := range s.pending.fresh(examKey(year, normExam(exam)), s.db.Now(ctx)) {
		out = append(out, x.holder)
	}
	return out
}

// Present takes one holder's share of an exam's key from the holder's own
// account (AVA staff): checked against the holder's commitment at once,
// it waits until threshold holders — from as many accounts — have
// presented, and the link opens with the last (Open). Each presentation,
// and each refusal, is in the audit log with the holder and the account,
// never the share.
func (s *Service) Present(ctx context.Context, by *auth.Principal, year int, exam, holder, share string) (PresentResult, error) {
	exam = normExam(exam)
	if err := auth.Require(by, auth.RoleAVA); err != nil {
		return PresentResult{}, err
	}
	name := strings.Join(strings.Fields(holder), " ")
	res := PresentResult{Year: year, Exam: exam, Presented: []string{}}
	threshold, canon, err := s.checkShare(ctx, year, exam, name, share)
	res.Threshold = threshold
	if err != nil {
		if apperr.CodeOf(err) == apperr.Invalid {
			if aerr := s.db.InTx(ctx, func(ctx context.Context) error {
				return audit.Add(ctx, by.Actor(), "anonym_share_refused", "anonym_exam", examKey(year, exam), nil,
					map[string]any{"holder": name, "account": by.Username, "reason": apperr.MessageOf(err)})
			}); aerr != nil {
				return res, errors.Join(err, aerr)
			}
		}
		return res, err
	}
	key := examKey(year, exam)
	now := s.db.Now(ctx)
	s.pending.mu.Lock()
	list := s.pending.fresh(key, now)
	for _, x := range list {
		switch {
		case strings.EqualFold(x.holder, canon):
			s.pending.mu.Unlock()
			return res, apperr.New(apperr.Conflict, "Pjesa e mbajtësit «%s» është paraqitur tashmë; presin edhe %d mbajtës të tjerë.", canon, threshold-len(list))
		case x.account == by.Username:
			s.pending.mu.Unlock()
			return res, apperr.New(apperr.Invalid, "Nga llogaria «%s» është paraqitur pjesa e mbajtësit «%s»: çdo mbajtës e paraqet pjesën nga llogaria e vet (Neni 59.3).", by.Username, x.holder)
		}
	}
	list = append(list, presented{holder: canon, share: share, account: by.Username, at: now})
	ready := len(list) >= threshold
	if ready {
		delete(s.pending.by, key) // forgotten whatever the opening does
	} else {
		s.pending.by[key] = list
	}
	s.pending.mu.Unlock()
	for _, x := range list {
		res.Presented = append(res.Presented, x.holder)
	}
	if err := s.db.InTx(ctx, func(ctx context.Context) error {
		return audit.Add(ctx, by.Actor(), "anonym_share_presented", "anonym_exam", key, nil,
			map[string]any{"holder": canon, "account": by.Username, "presented": len(list), "threshold": threshold})
	}); err != nil {
		return res, err
	}
	if !ready {
		return res, nil
	}
	in := make([]ShareInput, len(list))
	for i, x := range list {
		in[i] = ShareInput{Holder: x.holder, Share: x.share}
	}
	op, err := s.Open(ctx, by, year, exam, in)
	if err != nil {
		return res, err
	}
	res.Opened = &op
	return res, nil
}

// checkShare checks one holder's share against its commitment and
// returns the key's threshold and the holder's name as stored.
func (s *Service) checkShare(ctx context.Context, year int, exam, name, share string) (int, string, error) {
	s.mu.RLock()
	f := s.markingClosed
	s.mu.RUnlock()
	if f == nil {
		return 0, "", apperr.New(apperr.Conflict, "Lidhja e provimit %s hapet vetëm pasi mbyllet vlerësimi (Neni 59.3).", examyear.TestLabel(exam))
	}
	closed, err := f(ctx, year, exam)
	if err != nil {
		return 0, "", err
	}
	if !closed {
		return 0, "", apperr.New(apperr.Conflict, "Lidhja e kodeve të sekretimit me kandidatët e provimit %s hapet vetëm pasi mbyllet vlerësimi i provimit: deri atëherë kodet janë material i klasifikuar (Neni 59.3).", examyear.TestLabel(exam))
	}
	q := s.db.Q(ctx)
	var threshold int
	var opened string
	err = q.QueryRowContext(ctx, `SELECT threshold, opened_at FROM anonym_keys WHERE year = $1 AND exam = $2`, year, exam).Scan(&threshold, &opened)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, "", apperr.New(apperr.NotFound, "Provimi %s i vitit %d nuk ka çelës të lidhjes së kodeve.", examyear.TestLabel(exam), year)
	}
	if err != nil {
		return 0, "", fmt.Errorf("anonym: present: %w", err)
	}
	if opened != "" {
		return threshold, "", apperr.New(apperr.Conflict, "Lidhja e kodeve të provimit %s është hapur tashmë më %s.", examyear.TestLabel(exam), clock.Stamp(opened))
	}
	type holder struct {
		no         int
		name, hash string
	}
	hs, err := store.Select(ctx, q, func(r store.Scanner) (holder, error) {
		var h holder
		return h, r.Scan(&h.no, &h.name, &h.hash)
	}, `SELECT no, name, share_hash FROM anonym_holders WHERE year = $1 AND exam = $2 ORDER BY no`, year, exam)
	if err != nil {
		return 0, "", fmt.Errorf("anonym: present: %w", err)
	}
	for _, h := range hs {
		if !strings.EqualFold(h.name, name) {
			continue
		}
		p, err := parseShare(year, exam, share)
		if err != nil {
			return threshold, "", apperr.New(apperr.Invalid, "Pjesa e çelësit e mbajtësit «%s» nuk lexohet: kontrolloni që është shkruar e plotë, me shenjën e kontrollit në fund.", h.name)
		}
		if p.no != h.no || subtle.ConstantTimeCompare([]byte(p.hash), []byte(h.hash)) != 1 {
			return threshold, "", apperr.New(apperr.Invalid, "Pjesa e çelësit e paraqitur nga «%s» nuk është pjesa që iu dha atij mbajtësi.", h.name)
		}
		return threshold, h.name, nil
	}
	return threshold, "", apperr.New(apperr.Invalid, "«%s» nuk është ndër mbajtësit e çelësit të provimit %s.", name, examyear.TestLabel(exam))
}
