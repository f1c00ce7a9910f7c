package marking

import (
	"context"
	"fmt"

	"provim/internal/apperr"
	"provim/internal/audit"
	"provim/internal/auth"
)

// The test closed for changes (Neni 19.6), and the publication of the
// marking scheme (Neni 57.5): after the exam AVA publishes it, and from
// then on anyone reads the test's items, keys and levels, without
// signing in.

// SettleTest closes an exam's test for changes (Neni 19.6: the test is
// chosen, then multiplied and packed): a member of its test group.
func (s *Service) SettleTest(ctx context.Context, by *auth.Principal, year int, exam string) error {
	return s.settleTest(ctx, by, year, exam, true)
}

// ReopenTest opens a settled test for changes again, refused once its
// marking has begun or its scheme is published.
func (s *Service) ReopenTest(ctx context.Context, by *auth.Principal, year int, exam string) error {
	return s.settleTest(ctx, by, year, exam, false)
}

func (s *Service) settleTest(ctx context.Context, by *auth.Principal, year int, exam string, settle bool) error {
	if err := mayManageTests(by); err != nil {
		return err
	}
	return s.db.InTx(ctx, func(ctx context.Context) error {
		c, err := s.testCtxOf(ctx, year, exam)
		if err != nil {
			return err
		}
		if err := mayChangeTest(by, c); err != nil {
			return err
		}
		if !c.defined {
			return apperr.New(apperr.Conflict, "Testi i provimit %s nuk është përcaktuar ende.", c.ex.Label)
		}
		q, now := s.db.Q(ctx), s.stamp(ctx)
		if settle {
			if c.row.settledAt != "" {
				return apperr.New(apperr.Conflict, "Testi i provimit %s është mbyllur për ndryshime që më %s.", c.ex.Label, c.row.settledAt)
			}
			if _, err := q.ExecContext(ctx, `UPDATE marking_tests SET settled_at = $1, settled_by = $2 WHERE year = $3 AND exam = $4`,
				now, by.Username, c.y.Year, c.ex.Code); err != nil {
				return fmt.Errorf("marking: settle: %w", err)
			}
			return audit.Add(ctx, by.Actor(), "marking.settle", "marking_test", testKey(c.y.Year, c.ex.Code), nil, map[string]any{"settled": true})
		}
		if c.row.settledAt == "" {
			return apperr.New(apperr.Conflict, "Testi i provimit %s nuk është i mbyllur: mund të ndryshohet.", c.ex.Label)
		}
		if c.row.publishedAt != "" {
			return apperr.New(apperr.Conflict, "Testi i provimit %s nuk rihapet: skema e vlerësimit është shpallur (Neni 57.5).", c.ex.Label)
		}
		c.row.settledAt = ""
		if err := s.unchangeable(ctx, c); err != nil {
			return err
		}
		if _, err := q.ExecContext(ctx, `UPDATE marking_tests SET settled_at = '', settled_by = '' WHERE year = $1 AND exam = $2`, c.y.Year, c.ex.Code); err != nil {
			return fmt.Errorf("marking: reopen: %w", err)
		}
		return audit.Add(ctx, by.Actor(), "marking.settle", "marking_test", testKey(c.y.Year, c.ex.Code), map[string]any{"settled": true}, map[string]any{"settled": false})
	})
}

// PublishScheme publishes an exam's marking scheme (year 0: the active
// year): any AVA account, once the exam has ended ("Pas përfundimit të
// çdo provimi", Neni 57.5) and the test is settled.
func (s *Service) PublishScheme(ctx context.Context, by *auth.Principal, year int, exam string) error {
	if err := mayManageTests(by); err != nil {
		return err
	}
	return s.db.InTx(ctx, func(ctx context.Context) error {
		c, err := s.testCtxOf(ctx, year, exam)
		if err != nil {
			return err
		}
		switch {
		case !c.defined:
			return apperr.New(apperr.Conflict, "Testi i provimit %s nuk është përcaktuar: nuk ka skemë për të shpallur.", c.ex.Label)
		case c.row.publishedAt != "":
			return apperr.New(apperr.Conflict, "Skema e vlerësimit të provimit %s është shpallur që më %s.", c.ex.Label, c.row.publishedAt)
		case !c.ended:
			when := ""
			if c.label != "" {
				when = " (provimi: " + c.label + ")"
			}
			return apperr.New(apperr.Conflict, "Skema e vlerësimit të provimit %s shpallet pas përfundimit të provimit%s (Neni 57.5, 59.2).", c.ex.Label, when)
		case c.row.settledAt == "":
			return apperr.New(apperr.Conflict, "Testi i provimit %s nuk është mbyllur për ndryshime: grupi lëndor e mbyll para se skema të shpallet.", c.ex.Label)
		}
		if _, err := s.db.Q(ctx).ExecContext(ctx, `UPDATE marking_tests SET published_at = $1, published_by = $2 WHERE year = $3 AND exam = $4`,
			s.stamp(ctx), by.Username, c.y.Year, c.ex.Code); err != nil {
			return fmt.Errorf("marking: publish scheme: %w", err)
		}
		return audit.Add(ctx, by.Actor(), "marking.publish_scheme", "marking_test", testKey(c.y.Year, c.ex.Code), nil, map[string]any{"published": true})
	})
}

// PublicScheme is an exam's published test and scheme, for anyone (year
// 0: the active year). Before publication, and for an exam that does not
// exist, it answers NotFound with a sentence that says nothing of the
// test. The answer names nobody.
func (s *Service) PublicScheme(ctx context.Context, year int, exam string) (Test, error) {
	c, err := s.testCtxOf(ctx, year, exam)
	if apperr.Is(err, apperr.Invalid) || apperr.Is(err, apperr.Forbidden) {
		return Test{}, apperr.New(apperr.NotFound, "Provimi «%s» i vitit nuk ka skemë vlerësimi të shpallur.", schemeQuote(NormExam(exam)))
	}
	if err != nil {
		return Test{}, err
	}
	if !c.defined || c.row.publishedAt == "" {
		return Test{}, apperr.New(apperr.NotFound, "Skema e vlerësimit të provimit %s nuk është shpallur ende (Neni 57.5).", c.ex.Label)
	}
	t, err := s.testOf(ctx, c, true)
	if err != nil {
		return Test{}, err
	}
	t.SettledBy, t.PublishedBy, t.UpdatedBy, t.UpdatedAt = "", "", "", ""
	return t, nil
}
