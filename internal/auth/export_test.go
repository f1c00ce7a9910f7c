package auth

import "provim/internal/clock"

// SetWall sets the wall clock a purge of revocations waits for, as well
// as the calendar's (a test's calendar stands in 2027).
func (s *Service) SetWall(c clock.Clock) { s.wall = c }

// PurgeDue makes the next read of the revocations forget the expired ones
// (at most once per revocationPurgeEvery otherwise).
func (s *Service) PurgeDue() {
	s.rev.mu.Lock()
	defer s.rev.mu.Unlock()
	s.rev.didPurge = false
}

// RevocationsKept is how many revocations this server keeps in memory.
func (s *Service) RevocationsKept() int {
	s.rev.mu.RLock()
	defer s.rev.mu.RUnlock()
	return len(s.rev.ended) + len(s.rev.accounts)
}
