// Command provim runs the State Matura exam system: the web UI and API,
// the demo, migrations, imports, user management and audit verification.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"runtime/pprof"
	"syscall"
)

const usage = `provim — sistemi i Maturës Shtetërore

Përdorimi:
  provim demo     [--addr 127.0.0.1:8080] [--db provim-demo.db] [--seed N] [--today YYYY-MM-DD] [--until dita-e-provimit|vleresimi|rezultatet|rivleresimi|sesioni2] [--no-serve]
  provim serve    [--addr 127.0.0.1:8080] [--db sqlite:provim.db | postgres://…] [--today YYYY-MM-DD]
  provim migrate  [--db …]
  provim import   [--db …] --entity units|schools|students|staff|venues FILE.csv|FILE.xlsx
  provim user     add|list|disable|enable|password [flags]
  provim audit    verify|tail [--db …]
  provim draw     verify FILE|-   (a published staff draw, JSON)
  provim loadtest [--db postgres://…] [--students N] [--accounts N] [--clients 32] [--duration 5s] [--check]
  provim loadtest --marking [--db postgres://…] [--markers 300] [--clients 300] [--duration 5s] [--check]
  provim loadtest --results [--db postgres://…] [--students 35000 | --synthetic 1000000] [--servers 2] [--clients 32] [--duration 5s] [--check]
  provim retention run [--db …] [--today YYYY-MM-DD] [--year N] [--dry-run]
  provim certificate verify FILE [--key PUB.pem] [--revoked LIST.json] [--url …] | keygen --seal-key FILE | issue --seal-key FILE

Baza e të dhënave mund të jepet edhe në PROVIM_DB, adresa në PROVIM_ADDR.
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	// PROVIM_CPUPROFILE writes a CPU profile of the whole run (go tool
	// pprof), for measuring where the demo or a server spends its time.
	if path := os.Getenv("PROVIM_CPUPROFILE"); path != "" {
		if f, err := os.Create(path); err == nil {
			pprof.StartCPUProfile(f)
			defer f.Close()
		}
	}
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	pprof.StopCPUProfile()
	stop()
	os.Exit(code)
}

// run is main without globals, so tests can call it.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	cmds := map[string]func(context.Context, []string, io.Reader, io.Writer, io.Writer) error{
		"demo":        cmdDemo,
		"serve":       cmdServe,
		"migrate":     cmdMigrate,
		"import":      cmdImport,
		"user":        cmdUser,
		"audit":       cmdAudit,
		"draw":        cmdDraw,
		"loadtest":    cmdLoadtest,
		"retention":   cmdRetention,
		"certificate": cmdCertificate,
	}
	cmd, ok := cmds[args[0]]
	if !ok {
		if args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
			fmt.Fprint(stdout, usage)
			return 0
		}
		fmt.Fprintf(stderr, "provim: unknown command %q\n\n%s", args[0], usage)
		return 2
	}
	err := cmd(ctx, args[1:], stdin, stdout, stderr)
	var ee exitError
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.As(err, &ee):
		fmt.Fprintln(stderr, "provim:", ee.msg)
		return ee.code
	default:
		fmt.Fprintln(stderr, "provim:", err)
		return 1
	}
}

// exitError ends the program with a specific code.
type exitError struct {
	code int
	msg  string
}

func (e exitError) Error() string { return e.msg }

func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}

func newLogger(w io.Writer, level string) *slog.Logger {
	var l slog.Level
	if err := l.UnmarshalText([]byte(level)); err != nil {
		l = slog.LevelInfo
	}
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: l}))
}

// dbFlag normalises a --db value: a bare file path means SQLite.
func dbFlag(v string) string {
	if v == "" {
		return v
	}
	for _, p := range []string{"sqlite:", "postgres://", "postgresql://"} {
		if len(v) >= len(p) && v[:len(p)] == p {
			return v
		}
	}
	return "sqlite:" + v
}
