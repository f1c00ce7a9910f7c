package audit

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

// Anchoring the chain outside the database (issue 9, item 6).
//
// The hash chain alone shows that the stored entries agree with each
// other; whoever can write to the database can still delete the last
// entries and move audit_head back, or edit an entry and recompute every
// later hash. Two things no database writer can forge close that gap:
//
//   - every head provim moves is signed (Ed25519) with a key kept outside
//     the database (a file given with --audit-key or PROVIM_AUDIT_KEY);
//     VerifyAnchored with the public key refuses a head whose signature does
//     not verify, so a recomputed chain shows;
//   - a checkpoint (provim audit checkpoint) is a signed head printed to be
//     kept elsewhere (published, mailed, printed); a chain that does not
//     reach a checkpoint with the same hash at its sequence number was cut
//     or rewritten.

const (
	keyPrefix        = "provim-audit-ed25519-v1 "
	headDomain       = "provim-audit-head-v1\n"
	checkpointDomain = "provim-audit-checkpoint-v1\n"
)

// signer is the private key of this process, set once at start (SignWith)
// by the command that was given the key; nil: heads are not signed.
var signer atomic.Pointer[ed25519.PrivateKey]

// SignWith makes every head this process moves from now on signed with
// key (nil stops signing). The key is the process's, like its clock: the
// command that starts provim sets it from --audit-key.
func SignWith(key ed25519.PrivateKey) {
	if key == nil {
		signer.Store(nil)
		return
	}
	signer.Store(&key)
}

func headMessage(seq int64, hash string) []byte {
	return []byte(headDomain + strconv.FormatInt(seq, 10) + "\n" + hash)
}

// signHead is the signature of a head with the process's key, "" when the
// process has none.
func signHead(seq int64, hash string) string {
	k := signer.Load()
	if k == nil {
		return ""
	}
	return hex.EncodeToString(ed25519.Sign(*k, headMessage(seq, hash)))
}

// NewKey writes a new private key to path (mode 0600, refusing to
// overwrite a file) and returns it.
func NewKey(path string) (ed25519.PrivateKey, error) {
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, fmt.Errorf("audit: write key: %w", err)
	}
	if _, err := fmt.Fprintf(f, "%s%s\n", keyPrefix, hex.EncodeToString(priv.Seed())); err != nil {
		f.Close()
		return nil, err
	}
	return priv, f.Close()
}

// LoadKey reads a private key written by NewKey.
func LoadKey(path string) (ed25519.PrivateKey, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("audit: read key: %w", err)
	}
	s, ok := strings.CutPrefix(strings.TrimSpace(string(b)), keyPrefix)
	seed, err := hex.DecodeString(s)
	if !ok || err != nil || len(seed) != ed25519.SeedSize {
		return nil, fmt.Errorf("audit: %s is not a provim audit key (%q followed by 64 hex digits)", path, strings.TrimSpace(keyPrefix))
	}
	return ed25519.NewKeyFromSeed(seed), nil
}

// PublicHex is the public half of key, as verify and checkpoints show it.
func PublicHex(key ed25519.PrivateKey) string {
	return hex.EncodeToString(key.Public().(ed25519.PublicKey))
}

// ParsePublic reads a public key given as 64 hex digits.
func ParsePublic(s string) (ed25519.PublicKey, error) {
	b, err := hex.DecodeString(strings.TrimSpace(s))
	if err != nil || len(b) != ed25519.PublicKeySize {
		return nil, errors.New("audit: a public key is 64 hex digits")
	}
	return ed25519.PublicKey(b), nil
}

// Head is the chain's tip as stored, with its signature ("" when unsigned).
type Head struct {
	Seq       int64
	Hash      string
	Signature string
}

// ReadHead reads the stored head.
func ReadHead(ctx context.Context, db *sql.DB) (Head, error) {
	var h Head
	err := db.QueryRowContext(ctx, `SELECT seq, hash, signature FROM audit_head WHERE id = 1`).Scan(&h.Seq, &h.Hash, &h.Signature)
	if err != nil {
		return h, fmt.Errorf("audit: read chain head: %w", err)
	}
	return h, nil
}

// Checkpoint is a signed head kept outside the database.
type Checkpoint struct {
	Version   int    `json:"version"`
	Seq       int64  `json:"seq"`
	Hash      string `json:"hash"`
	At        string `json:"at"` // when it was signed, RFC 3339
	PublicKey string `json:"public_key"`
	Signature string `json:"signature"`
}

func (c Checkpoint) message() []byte {
	return []byte(checkpointDomain + strconv.FormatInt(c.Seq, 10) + "\n" + c.Hash + "\n" + c.At)
}

// NewCheckpoint verifies the whole chain and the head's signature and
// signs its head with key. A broken chain gets no checkpoint; an unsigned
// head only with adopt (the first checkpoint of a database written before
// it had a key: the operator vouches for what is there).
func NewCheckpoint(ctx context.Context, db *sql.DB, key ed25519.PrivateKey, now time.Time, adopt bool) (Checkpoint, *Problem, error) {
	pub := key.Public().(ed25519.PublicKey)
	n, p, err := VerifyAnchored(ctx, db, pub, nil, !adopt)
	if err != nil || p != nil {
		return Checkpoint{}, p, err
	}
	h, err := ReadHead(ctx, db)
	if err != nil {
		return Checkpoint{}, nil, err
	}
	if h.Seq != n {
		return Checkpoint{}, &Problem{n, "the head moved while it was verified: run checkpoint again"}, nil
	}
	c := Checkpoint{Version: 1, Seq: h.Seq, Hash: h.Hash, At: now.UTC().Format(time.RFC3339), PublicKey: hex.EncodeToString(pub)}
	c.Signature = hex.EncodeToString(ed25519.Sign(key, c.message()))
	return c, nil, nil
}

// ReadCheckpoint reads a checkpoint file (the JSON NewCheckpoint gives).
func ReadCheckpoint(path string) (Checkpoint, error) {
	var c Checkpoint
	b, err := os.ReadFile(path)
	if err != nil {
		return c, err
	}
	if err := json.Unmarshal(b, &c); err != nil || c.Version != 1 {
		return c, fmt.Errorf("audit: %s is not a provim audit checkpoint", path)
	}
	return c, nil
}

// check verifies the checkpoint's signature with pub (or, when pub is nil,
// with the key the checkpoint names).
func (c Checkpoint) check(pub ed25519.PublicKey) error {
	own, err := ParsePublic(c.PublicKey)
	if err != nil {
		return errors.New("the checkpoint's public key is not valid")
	}
	if pub != nil && !pub.Equal(own) {
		return errors.New("the checkpoint was signed with another key than the one given")
	}
	sig, err := hex.DecodeString(c.Signature)
	if err != nil || !ed25519.Verify(own, c.message(), sig) {
		return errors.New("the checkpoint's signature does not verify (the file was changed)")
	}
	return nil
}

// VerifyAnchored is Verify with the anchors: with pub, the stored head
// must carry a valid signature by that key (requireSigned: an unsigned
// head is refused too); with cp, the checkpoint's signature must verify
// and the chain must hold entry cp.Seq with hash cp.Hash. It returns the
// entries verified and the first problem.
func VerifyAnchored(ctx context.Context, db *sql.DB, pub ed25519.PublicKey, cp *Checkpoint, requireSigned bool) (int64, *Problem, error) {
	n, p, err := Verify(ctx, db)
	if err != nil || p != nil {
		return n, p, err
	}
	if cp != nil {
		if err := cp.check(pub); err != nil {
			return n, &Problem{cp.Seq, err.Error()}, nil
		}
		if cp.Seq > n {
			return n, &Problem{n + 1, fmt.Sprintf("the chain ends at entry %d but the checkpoint of %s records entry %d: entries were removed", n, cp.At, cp.Seq)}, nil
		}
		if cp.Seq > 0 {
			var hash string
			if err := db.QueryRowContext(ctx, `SELECT hash FROM audit_log WHERE seq = $1`, cp.Seq).Scan(&hash); err != nil {
				return n, nil, fmt.Errorf("audit: read entry %d: %w", cp.Seq, err)
			}
			if hash != cp.Hash {
				return n, &Problem{cp.Seq, fmt.Sprintf("entry %d does not have the hash the checkpoint of %s records: the chain up to it was rewritten", cp.Seq, cp.At)}, nil
			}
		}
	}
	if pub != nil {
		h, err := ReadHead(ctx, db)
		if err != nil {
			return n, nil, err
		}
		switch sig, err := hex.DecodeString(h.Signature); {
		case h.Signature == "" && h.Seq == 0:
		case h.Signature == "" && requireSigned:
			return n, &Problem{h.Seq, "the head is not signed (written by a provim without the audit key, or its signature was removed)"}, nil
		case h.Signature == "":
		case err != nil || !ed25519.Verify(pub, headMessage(h.Seq, h.Hash), sig):
			return n, &Problem{h.Seq, "the head's signature does not verify with the audit key: the chain was rewritten outside provim"}, nil
		}
	}
	return n, nil, nil
}
