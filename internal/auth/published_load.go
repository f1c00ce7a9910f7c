package auth

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"strconv"
	"time"

	"provim/internal/audit"
	"provim/internal/store"
)

// What the results-night load test (cmd/provim loadtest --results) asks of
// auth: tens of thousands (up to a million) of candidates logged in at
// once. A password login hashes with Argon2id (tens of milliseconds of two
// cores each), so instead LoadSessions makes the accounts and their
// sessions in bulk: the same accounts (role nxenes, one per student), the
// same session rows and the same tokens (32 random bytes, stored as their
// SHA-256) that Login makes, so every request of the test resolves its
// cookie exactly as a real one does. The accounts get no usable password
// (a "!" hash that no password matches) and one audit entry records the
// batch. Written by part S.

// loadChunk bounds the rows held in memory per bulk statement.
const loadChunk = 20000

// LoadSessions creates an account "ngarkese.<id>" for each student id,
// one session of it and one API token (as POST /api/v1/tokens makes),
// and returns the session cookies and the API tokens, signed as Login and
// IssueToken sign them, in the order of ids.
func (s *Service) LoadSessions(ctx context.Context, studentIDs []int64) (sessions, apiTokens []string, err error) {
	tokens := make([]string, len(studentIDs))
	apiTokens = make([]string, len(studentIDs))
	err = s.db.InTx(ctx, func(ctx context.Context) error {
		now := s.db.Now(ctx).UTC()
		created, expires := now.Format(time.RFC3339), now.Add(s.SessionTTL).Format(time.RFC3339)
		tokenExpires := now.Add(s.TokenTTL).Format(time.RFC3339)
		for start := 0; start < len(studentIDs); start += loadChunk {
			part := studentIDs[start:min(start+loadChunk, len(studentIDs))]
			ids, err := store.NextIDs(ctx, "users", len(part))
			if err != nil {
				return err
			}
			users := make([][]any, len(part))
			sessions := make([][]any, len(part))
			toks := make([][]any, len(part))
			buf := make([]byte, 96)
			for i, st := range part {
				users[i] = []any{ids[i], "ngarkese." + strconv.FormatInt(st, 10), "Kandidat i ngarkesës", "!", string(RoleStudent), st, false, created}
				rand.Read(buf)
				raw, csrf := hex.EncodeToString(buf[:32]), hex.EncodeToString(buf[32:64])
				u := &User{ID: ids[i], Username: users[i][1].(string), FullName: "Kandidat i ngarkesës", Role: RoleStudent, StudentID: st, CreatedAt: created}
				tokens[start+i] = asCookie.sign(s.key(), claimsOf(raw, csrf, expires, u))
				sessions[i] = []any{hashToken(raw), ids[i], csrf, created, expires}
				tok := hex.EncodeToString(buf[64:])
				apiTokens[start+i] = asToken.sign(s.key(), claimsOf(tok, "", tokenExpires, u))
				toks[i] = []any{hashToken(tok), ids[i], "ngarkesa", created, tokenExpires}
			}
			if err := store.Insert(ctx, "users", []string{"id", "username", "full_name", "password_hash", "role", "student_id", "disabled", "created_at"}, users); err != nil {
				return err
			}
			if err := store.Insert(ctx, "sessions", []string{"token_hash", "user_id", "csrf", "created_at", "expires_at"}, sessions); err != nil {
				return err
			}
			if err := store.Insert(ctx, "api_tokens", []string{"token_hash", "user_id", "name", "created_at", "expires_at"}, toks); err != nil {
				return err
			}
		}
		return audit.Add(ctx, audit.System, "load_sessions", "sessions", "ngarkese", nil, map[string]int{"sessions": len(studentIDs), "api_tokens": len(studentIDs)})
	})
	if err != nil {
		return nil, nil, fmt.Errorf("auth: load sessions: %w", err)
	}
	return tokens, apiTokens, nil
}
