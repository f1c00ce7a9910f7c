package auth

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
