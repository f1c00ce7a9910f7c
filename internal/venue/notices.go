package venue

import (
	"context"
	"database/sql"
	"fmt"

	"provim/internal/apperr"
	"provim/internal/auth"
	"provim/internal/clock"
	"provim/internal/store"
)

// Notices tell a student or the staff of a venue that the plan changed
// under them (issue 9 item 11): a candidate moved to another venue or room
// after the draw or the packages must know where to go, and both venues'
// PAPs (Neni 48) must know whom to expect. A notice is written in the
// transaction of the change and shown on the recipient's pages until read.

// Notice is one notice to the principal.
type Notice struct {
	ID        int64  `json:"id"`
	Body      string `json:"body"`
	CreatedAt string `json:"created_at"`
	Read      bool   `json:"read"`
	ReadAt    string `json:"read_at,omitempty"`
}

// notify writes a notice to a student (studentID ≠ 0) or to the staff of
// a venue, in the caller's transaction.
func (s *Service) notify(ctx context.Context, year int, studentID int64, venueCode, body, by string) error {
	var student sql.NullInt64
	var venue sql.NullString
	if studentID != 0 {
		student = sql.NullInt64{Int64: studentID, Valid: true}
	} else {
		venue = sql.NullString{String: venueCode, Valid: true}
	}
	if _, err := s.db.Q(ctx).ExecContext(ctx, `INSERT INTO venue_notices (year, student_id, venue_code, body, created_at, created_by) VALUES ($1, $2, $3, $4, $5, $6)`,
		year, student, venue, body, clock.Stored(s.db.Now(ctx)), by); err != nil {
		return fmt.Errorf("venue: notice: %w", err)
	}
	return nil
}

// noticeRecipient is the condition that selects the principal's notices:
// a student's own, or their venue's for the venue staff; ok is false for
// every other role, who receives none.
func noticeRecipient(p *auth.Principal) (store.Query, bool) {
	var q store.Query
	switch {
	case p == nil:
		return q, false
	case p.Role == auth.RoleStudent && p.StudentID != 0:
		q.Add("student_id = ?", p.StudentID)
	case p.IsVenueRole() && p.Venue != "":
		q.Add("venue_code = ?", p.Venue)
	default:
		return q, false
	}
	return q, true
}

// MayReceiveNotices: students and the venue staff receive the notices of
// the plan's changes.
func MayReceiveNotices(p *auth.Principal) bool {
	_, ok := noticeRecipient(p)
	return ok
}

// NoticesFor returns the principal's notices of the active year, unread
// first, newest first within each; none for a role that receives none.
// The dashboard shows the unread ones (Notice.Read false).
func (s *Service) NoticesFor(ctx context.Context, p *auth.Principal) ([]Notice, error) {
	q, ok := noticeRecipient(p)
	if !ok {
		return []Notice{}, nil
	}
	y, err := s.year(ctx)
	if err != nil {
		return nil, err
	}
	q.Add("year = ?", y.Year)
	list, err := store.Select(ctx, s.db.Q(ctx), func(r store.Scanner) (Notice, error) {
		var n Notice
		err := r.Scan(&n.ID, &n.Body, &n.CreatedAt, &n.ReadAt)
		n.Read = n.ReadAt != ""
		return n, err
	}, `SELECT id, body, created_at, read_at FROM venue_notices`+q.Where()+` ORDER BY CASE WHEN read_at = '' THEN 0 ELSE 1 END, created_at DESC, id DESC LIMIT 200`, q.Args()...)
	if err != nil {
		return nil, fmt.Errorf("venue: notices: %w", err)
	}
	return list, nil
}

// UnreadNotices is NoticesFor without the notices already read.
func (s *Service) UnreadNotices(ctx context.Context, p *auth.Principal) ([]Notice, error) {
	list, err := s.NoticesFor(ctx, p)
	if err != nil {
		return nil, err
	}
	out := []Notice{}
	for _, n := range list {
		if !n.Read {
			out = append(out, n)
		}
	}
	return out, nil
}

// MarkNoticeRead records that the recipient read a notice (for a venue,
// any of its staff). A notice that is not the principal's does not exist
// for them.
func (s *Service) MarkNoticeRead(ctx context.Context, p *auth.Principal, id int64) (Notice, error) {
	notFound := apperr.New(apperr.NotFound, "Njoftimi nuk u gjet.")
	q, ok := noticeRecipient(p)
	if !ok {
		return Notice{}, notFound
	}
	var n Notice
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		q := q
		q.Add("id = ?", id)
		list, err := store.Select(ctx, s.db.Q(ctx), func(r store.Scanner) (Notice, error) {
			var n Notice
			return n, r.Scan(&n.ID, &n.Body, &n.CreatedAt, &n.ReadAt)
		}, `SELECT id, body, created_at, read_at FROM venue_notices`+q.Where(), q.Args()...)
		if err != nil {
			return fmt.Errorf("venue: notice: %w", err)
		}
		if len(list) == 0 {
			return notFound
		}
		n = list[0]
		if n.ReadAt == "" {
			n.ReadAt = clock.Stored(s.db.Now(ctx))
			if _, err := s.db.Q(ctx).ExecContext(ctx, `UPDATE venue_notices SET read_at = $1, read_by = $2 WHERE id = $3`, n.ReadAt, p.Username, id); err != nil {
				return fmt.Errorf("venue: notice: %w", err)
			}
		}
		n.Read = true
		return nil
	})
	return n, err
}
