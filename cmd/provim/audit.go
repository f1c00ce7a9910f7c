package main

import (
	"context"
	"crypto/ed25519"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"provim/internal/application"
	"provim/internal/audit"
	"provim/internal/auth"
	"provim/internal/clock"
	"provim/internal/custody"
	"provim/internal/draw"
	"provim/internal/registry"
	"provim/internal/store"
	"provim/internal/venue"
)

const auditUsage = `provim audit verify|checkpoint|reconcile|keygen|tail [--db …] [flags]

  verify     [--audit-key FILE | --audit-pub HEX] [--checkpoint FILE]
             re-walks the hash chain; with the key, the head's signature;
             with a checkpoint, that the chain reaches it unchanged
  checkpoint --audit-key FILE [--adopt]
             prints a signed head (JSON) to keep outside the database
  reconcile  compares the audited tables with the log's after-images
  keygen     --audit-key FILE   writes a new signing key, prints its public half
  tail       [-n 20]

The key file can also be given in PROVIM_AUDIT_KEY.
`

// auditKey reads --audit-key (or PROVIM_AUDIT_KEY); nil when neither.
func auditKey(path string) (ed25519.PrivateKey, error) {
	if path == "" {
		return nil, nil
	}
	return audit.LoadKey(path)
}

// useAuditKey makes this process sign the heads it moves when a key is
// given: every command that writes (serve, demo, user, import) calls it.
func useAuditKey(path string) error {
	k, err := auditKey(path)
	if err != nil {
		return err
	}
	audit.SignWith(k)
	return nil
}

func cmdAudit(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, auditUsage)
		return exitError{2, "usage: provim audit verify|checkpoint|reconcile|keygen|tail"}
	}
	sub, args := args[0], args[1:]
	fs := flag.NewFlagSet("audit "+sub, flag.ContinueOnError)
	fs.SetOutput(stderr)
	n := fs.Int("n", 20, "entries to show (tail)")
	keyPath := fs.String("audit-key", os.Getenv("PROVIM_AUDIT_KEY"), "the audit signing key (file)")
	pubHex := fs.String("audit-pub", os.Getenv("PROVIM_AUDIT_PUB"), "the audit key's public half (64 hex digits), to verify without the private key")
	cpPath := fs.String("checkpoint", "", "a checkpoint file the chain must reach (verify)")
	adopt := fs.Bool("adopt", false, "checkpoint a head that is not signed (the first checkpoint of an older database)")
	if sub == "keygen" {
		if err := fs.Parse(args); err != nil {
			return err
		}
		if *keyPath == "" {
			return exitError{2, "usage: provim audit keygen --audit-key FILE"}
		}
		k, err := audit.NewKey(*keyPath)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "Çelësi i auditimit u shkrua në %s (mbajeni jashtë bazës së të dhënave). Çelësi publik: %s\n", *keyPath, audit.PublicHex(k))
		return nil
	}
	svcs, err := openServices(ctx, fs, args)
	if err != nil {
		return err
	}
	defer svcs.DB.Close()
	key, err := auditKey(*keyPath)
	if err != nil {
		return err
	}
	var pub ed25519.PublicKey
	switch {
	case key != nil:
		pub = key.Public().(ed25519.PublicKey)
	case *pubHex != "":
		if pub, err = audit.ParsePublic(*pubHex); err != nil {
			return err
		}
	}
	switch sub {
	case "verify":
		var cp *audit.Checkpoint
		if *cpPath != "" {
			c, err := audit.ReadCheckpoint(*cpPath)
			if err != nil {
				return err
			}
			cp = &c
		}
		count, problem, err := audit.VerifyAnchored(ctx, svcs.DB.DB, pub, cp, pub != nil)
		if err != nil {
			return err
		}
		if problem != nil {
			fmt.Fprintf(stdout, "GABIM: zinxhiri i auditimit është prishur në hyrjen %d: %s\n", problem.Seq, problem.Reason)
			return exitError{1, problem.Error()}
		}
		fmt.Fprintf(stdout, "OK: %d hyrje të auditimit u verifikuan; zinxhiri është i paprekur.\n", count)
		if pub != nil {
			fmt.Fprintf(stdout, "OK: koka e zinxhirit është nënshkruar me çelësin %x.\n", []byte(pub))
		} else {
			fmt.Fprintln(stdout, "Kujdes: pa çelësin (--audit-key ose --audit-pub) nuk kontrollohet nënshkrimi i kokës: një zinxhir i rillogaritur i tëri nuk dallohet.")
		}
		if cp != nil {
			fmt.Fprintf(stdout, "OK: zinxhiri arrin pikën e kontrollit të %s (hyrja %d) pa ndryshim.\n", cp.At, cp.Seq)
		}
	case "checkpoint":
		if key == nil {
			return exitError{2, "provim audit checkpoint needs the audit key: --audit-key FILE or PROVIM_AUDIT_KEY"}
		}
		cp, problem, err := audit.NewCheckpoint(ctx, svcs.DB.DB, key, clock.Real{}.Now(), *adopt)
		if err != nil {
			return err
		}
		if problem != nil {
			return exitError{1, "no checkpoint: " + problem.Error()}
		}
		b, _ := json.MarshalIndent(cp, "", "  ")
		fmt.Fprintln(stdout, string(b))
	case "reconcile":
		diffs, err := reconcile(ctx, svcs.DB)
		if err != nil {
			return err
		}
		for _, d := range diffs {
			fmt.Fprintln(stdout, d.String())
		}
		if len(diffs) > 0 {
			return exitError{1, fmt.Sprintf("%d rreshta nuk përputhen me regjistrin e auditimit", len(diffs))}
		}
		fmt.Fprintln(stdout, "OK: çdo rresht i tabelave të audituara përputhet me hyrjen e fundit të auditimit që e regjistron.")
	case "tail":
		entries, err := audit.Query(ctx, svcs.DB.DB, "", "", *n)
		if err != nil {
			return err
		}
		for _, e := range entries {
			fmt.Fprintf(stdout, "%6d %s %-14s %-8s %-7s %s/%s\n", e.Seq, e.At.In(clock.Tirana).Format(time.RFC3339), e.Actor, e.Role, e.Action, e.ObjectType, e.ObjectID)
		}
	default:
		return exitError{2, "unknown audit command " + sub}
	}
	return nil
}

// reconcile reads every audited table through its owner and compares it
// with the log.
func reconcile(ctx context.Context, db *store.DB) ([]audit.Difference, error) {
	var tables []audit.Table
	for _, f := range []func(context.Context, store.Querier) (audit.Table, error){
		auth.AuditTable, registry.AuditTable, application.AuditTable, venue.AuditTable, draw.AuditTable, custody.AuditTable,
	} {
		t, err := f(ctx, db.DB)
		if err != nil {
			return nil, err
		}
		tables = append(tables, t)
	}
	return audit.Reconcile(ctx, db.DB, tables)
}

// demoAuditKey makes the demo sign its chain: a new key beside a SQLite
// demo database (DB.audit-key), or in the working directory for
// PostgreSQL, replaced at every demo like the database.
func demoAuditKey(dsn string, stdout io.Writer) error {
	path := "provim-demo.audit-key"
	if p, ok := strings.CutPrefix(dsn, "sqlite:"); ok {
		path = p + ".audit-key"
	}
	if err := os.Remove(path); err != nil && !os.IsNotExist(err) {
		return err
	}
	k, err := audit.NewKey(path)
	if err != nil {
		return err
	}
	audit.SignWith(k)
	fmt.Fprintf(stdout, "Çelësi i auditimit të demonstrimit: %s (provim audit verify --audit-key %s).\n", path, path)
	return nil
}
