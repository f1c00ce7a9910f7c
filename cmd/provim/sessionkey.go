package main

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"

	"provim/internal/auth"
)

// sessionKeyPath is where a server on a SQLite database keeps the key of
// its session cookies when PROVIM_SESSION_KEY does not give one: beside
// the database file (DB.session-key), never inside it. A database in
// memory, or PostgreSQL, has no such place: "" (the process signs with a
// key of its own, and a deployment sets PROVIM_SESSION_KEY).
func sessionKeyPath(dsn string) string {
	p, ok := strings.CutPrefix(dsn, "sqlite:")
	if !ok {
		return ""
	}
	p, _, _ = strings.Cut(strings.TrimPrefix(p, "file:"), "?")
	if p == "" || strings.Contains(p, ":memory:") || strings.Contains(dsn, "mode=memory") {
		return ""
	}
	return p + ".session-key"
}

// sessionKeyFile reads the session key kept at path, or writes a new one
// there (readable by its owner only) if there is none, so that a restart
// of the server keeps its users signed in. A file that is not a key is
// an error, never replaced: it may be another server's.
func sessionKeyFile(path string) (key []byte, created bool, err error) {
	for range 2 {
		b, err := os.ReadFile(path)
		if err == nil {
			k, err := auth.ParseSessionKey(string(b))
			if err != nil {
				return nil, false, fmt.Errorf("%s: %w", path, err)
			}
			return k, false, nil
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return nil, false, fmt.Errorf("session key: %w", err)
		}
		k := make([]byte, auth.MinSessionKey)
		rand.Read(k)
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if errors.Is(err, fs.ErrExist) {
			continue // another server wrote it meanwhile: read that one
		}
		if err != nil {
			return nil, false, fmt.Errorf("session key: %w", err)
		}
		_, err = f.WriteString(hex.EncodeToString(k) + "\n")
		if err == nil {
			err = f.Sync()
		}
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			os.Remove(path)
			return nil, false, fmt.Errorf("session key %s: %w", path, err)
		}
		return k, true, nil
	}
	return nil, false, fmt.Errorf("session key %s: written and gone again", path)
}
