package venue

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"provim/internal/apperr"
	"provim/internal/audit"
	"provim/internal/auth"
	"provim/internal/clock"
	"provim/internal/examyear"
)

// ListStatus is a unit's venue list (Neni 41 ¶1).
type ListStatus struct {
	Unit     string `json:"unit_code"`
	SentAt   string `json:"sent_at"`
	SentBy   string `json:"sent_by"`
	Venues   int    `json:"venues"`
	Deadline string `json:"deadline"`
}

// SendList sends the venue list of a unit (a DAR with its ZA) to MASH,
// AVA and the school commissions by the calendar's date, 10 May (Neni 41
// ¶1): every venue of the units must have been inspected, and at least
// one found suitable. After it is sent, changes need AVA's approval. Past
// the date the KMSH is refused; AVA may record it with a reason.
func (s *Service) SendList(ctx context.Context, p *auth.Principal, unitCode, reason string) (ListStatus, error) {
	units, all, err := s.scopeUnits(ctx, p, unitCode)
	if err != nil {
		return ListStatus{}, err
	}
	if strings.TrimSpace(unitCode) == "" {
		return ListStatus{}, apperr.New(apperr.Invalid, "Zgjidhni DAR/ZA-në.")
	}
	y, err := s.year(ctx)
	if err != nil {
		return ListStatus{}, err
	}
	var st ListStatus
	err = s.db.InTx(ctx, func(ctx context.Context) error {
		var err error
		st, err = s.sendListTx(ctx, p, y, unitCode, reason, units, all)
		return err
	})
	return st, err
}

// sendListTx is SendList inside its transaction.
func (s *Service) sendListTx(ctx context.Context, p *auth.Principal, y *examyear.Year, unitCode, reason string, units []string, all map[string]unit) (ListStatus, error) {
	now := s.db.Now(ctx)
	if err := y.Config.CheckDeadline(examyear.KeyVenueLists, now); err != nil {
		if err := needApproval(p, apperr.MessageOf(err), reason); err != nil {
			return ListStatus{}, err
		}
	}
	list, err := s.loadVenues(ctx, y.Year, units, "")
	if err != nil {
		return ListStatus{}, err
	}
	var missing []string
	suitable := 0
	for _, v := range list {
		if !v.Inspected {
			missing = append(missing, fmt.Sprintf("%s (%s)", v.VenueName, v.VenueCode))
		}
		if v.Suitable {
			suitable++
		}
	}
	if len(missing) > 0 {
		return ListStatus{}, &apperr.Error{Code: apperr.Invalid, Message: fmt.Sprintf("%d qendra të DAR/ZA-së %s nuk janë inspektuar ende (Neni 37).", len(missing), all[unitCode].Name), Details: missing}
	}
	if suitable == 0 {
		return ListStatus{}, apperr.New(apperr.Invalid, "DAR/ZA %s nuk ka asnjë qendër të përshtatshme (Neni 38).", all[unitCode].Name)
	}
	st := ListStatus{Unit: unitCode, SentAt: clock.Stored(now), SentBy: p.Username, Venues: suitable}
	q := s.db.Q(ctx)
	for _, u := range units {
		if _, err := q.ExecContext(ctx, `DELETE FROM venue_lists WHERE year = $1 AND unit_code = $2`, y.Year, u); err != nil {
			return ListStatus{}, err
		}
		if _, err := q.ExecContext(ctx, `INSERT INTO venue_lists (year, unit_code, sent_at, sent_by, venues) VALUES ($1, $2, $3, $4, $5)`,
			y.Year, u, st.SentAt, st.SentBy, suitable); err != nil {
			return ListStatus{}, fmt.Errorf("venue: send list: %w", err)
		}
	}
	after := map[string]any{"units": units, "venues": suitable}
	if reason != "" {
		after["reason"] = reason
	}
	if err := audit.Add(ctx, p.Actor(), "send", "venue_list", fmt.Sprintf("%d/%s", y.Year, unitCode), nil, after); err != nil {
		return ListStatus{}, err
	}
	return st, nil
}

// ListStatusOf returns whether a unit's venue list has been sent.
func (s *Service) ListStatusOf(ctx context.Context, p *auth.Principal, unitCode string) (ListStatus, error) {
	if _, _, err := s.scopeUnits(ctx, p, unitCode); err != nil {
		return ListStatus{}, err
	}
	y, err := s.year(ctx)
	if err != nil {
		return ListStatus{}, err
	}
	st := ListStatus{Unit: unitCode}
	if d, ok := y.Config.Deadline(examyear.KeyVenueLists); ok {
		st.Deadline = d.Date
	}
	err = s.db.Q(ctx).QueryRowContext(ctx, `SELECT sent_at, sent_by, venues FROM venue_lists WHERE year = $1 AND unit_code = $2`, y.Year, unitCode).Scan(&st.SentAt, &st.SentBy, &st.Venues)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return ListStatus{}, fmt.Errorf("venue: list status: %w", err)
	}
	return st, nil
}
