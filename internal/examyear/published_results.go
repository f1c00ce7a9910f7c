package examyear

import (
	"context"

	"provim/internal/store"
)

// What examyear lends package results: the active year's number alone,
// for the candidate's results page on the night of the results (issue 15
// item 4), where copying the year's configuration for every request (as
// Active does, so that its caller may change it) was a sixth of the
// page's read.

// ActiveYear is Active(ctx).Year, read from the same kept year while it
// is fresh (ActiveTTL), without a copy of the configuration; inside a
// transaction it reads the database, as Active does.
func (s *Service) ActiveYear(ctx context.Context) (int, error) {
	if store.TxFrom(ctx) == nil {
		c := &s.active
		c.mu.Lock()
		kept := c.y
		fresh := kept != nil && c.read.Elapsed() < s.ActiveTTL
		c.mu.Unlock()
		if fresh {
			return kept.Year, nil
		}
	}
	y, err := s.Active(ctx)
	if err != nil {
		return 0, err
	}
	return y.Year, nil
}
