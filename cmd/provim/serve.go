package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"os"
	"time"

	"provim/internal/auth"
	"provim/internal/clock"
	"provim/internal/examyear"
	"provim/internal/results"
	"provim/internal/store"
	"provim/internal/web"
	"provim/internal/web/webkit"
	"provim/internal/wire"
)

func cmdServe(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", envOr("PROVIM_ADDR", "127.0.0.1:8080"), "address to listen on")
	dsn := fs.String("db", envOr("PROVIM_DB", "sqlite:provim.db"), "database: sqlite:PATH or postgres://…")
	logLevel := fs.String("log", envOr("PROVIM_LOG", "info"), "log level: debug, info, warn, error")
	secure := fs.Bool("secure-cookies", false, "mark cookies Secure (behind HTTPS)")
	today := fs.String("today", envOr("PROVIM_TODAY", ""), "run the exam calendar as if today were YYYY-MM-DD or YYYY-MM-DDTHH:MM, Tirana time (training, demos, tests)")
	keyPath := fs.String("audit-key", os.Getenv("PROVIM_AUDIT_KEY"), "sign every head of the audit chain with this key (file; provim audit keygen)")
	sealPath := fs.String("seal-key", os.Getenv("PROVIM_SEAL_KEY"), "AVA's seal key for the certificates (file; provim certificate keygen)")
	proxies := fs.String("trusted-proxies", os.Getenv("PROVIM_TRUSTED_PROXIES"), "comma-separated CIDRs of the reverse proxies in front of provim whose X-Forwarded-For is believed (default none: the header is ignored)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := useAuditKey(*keyPath); err != nil {
		return err
	}
	day, err := parseToday(*today)
	if err != nil {
		return err
	}
	trusted, err := webkit.ParseTrustedProxies(*proxies)
	if err != nil {
		return fmt.Errorf("--trusted-proxies: %w", err)
	}
	log := newLogger(stderr, *logLevel)
	db, err := store.Open(ctx, dbFlag(*dsn))
	if err != nil {
		return err
	}
	defer db.Close()
	svcs := wire.New(db, day.clock())
	if err := useSealKey(svcs, *sealPath); err != nil {
		return err
	}
	// The servers of one database sign their session cookies with one key
	// (auth/signed.go): PROVIM_SESSION_KEY, or for SQLite a key file beside
	// the database; without either this process signs with its own.
	if v := os.Getenv("PROVIM_SESSION_KEY"); v != "" {
		key, err := auth.ParseSessionKey(v)
		if err != nil {
			return err
		}
		svcs.Auth.SessionKey = key
	} else if path := sessionKeyPath(dbFlag(*dsn)); path != "" {
		key, created, err := sessionKeyFile(path)
		if err != nil {
			return err
		}
		svcs.Auth.SessionKey = key
		if created {
			log.Info("session key written beside the database", "file", path)
		}
	} else {
		log.Warn("PROVIM_SESSION_KEY is not set: this process signs its session cookies with a key of its own (users sign in again after a restart; a second server needs the same key)")
	}
	if err := svcs.Years.EnsureDefault(ctx); err != nil {
		return err
	}
	return serveBehind(ctx, svcs, *addr, *secure, trusted, log, func(url string) {
		fmt.Fprintf(stdout, "provim po punon në %s\n", url)
	})
}

// serve runs the HTTP server until ctx ends, then shuts down gracefully.
func serve(ctx context.Context, svcs *wire.Services, addr string, secure bool, log *slog.Logger, ready func(url string)) error {
	return serveBehind(ctx, svcs, addr, secure, nil, log, ready)
}

// serveBehind is serve behind the reverse proxies trusted (their
// X-Forwarded-For names the client: webkit.ClientAddr).
func serveBehind(ctx context.Context, svcs *wire.Services, addr string, secure bool, trusted []netip.Prefix, log *slog.Logger, ready func(url string)) error {
	srv, err := web.New(svcs, log)
	if err != nil {
		return err
	}
	srv.SecureCookies = secure
	srv.TrustedProxies = trusted
	// The web area has registered the template of the candidate's page:
	// pages prepared by another one are brought up to date meanwhile.
	go refreshPreparedPages(ctx, svcs, log)
	if day := clock.TrainingLabel(svcs.Clock); day != "" {
		log.Warn("the exam calendar runs on a set day", "today", day)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("cannot listen on %s: %w", addr, err)
	}
	hs := &http.Server{Handler: srv.Handler(), ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 5 * time.Minute,
		WriteTimeout: 5 * time.Minute, IdleTimeout: 2 * time.Minute}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	ready("http://" + ln.Addr().String())
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shut, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := hs.Shutdown(shut); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// refreshPreparedPages rewrites, in the background, the prepared HTML of
// the pages an older template wrote (results.RefreshPagesHTML: in chunks
// under publication's lock, with a rest between them); until then those
// pages are rendered per request.
func refreshPreparedPages(ctx context.Context, svcs *wire.Services, log *slog.Logger) {
	n, err := svcs.Results.RefreshPagesHTML(ctx, results.RefreshOptions{Chunk: 500, Pause: 20 * time.Millisecond, Log: log})
	switch {
	case err != nil && ctx.Err() != nil:
		log.Info("prepared pages: stopped at shutdown", "written", n)
	case err != nil:
		log.Error("prepared pages: not brought up to date; they are rendered per request", "written", n, "err", err)
	case n > 0:
		log.Info("prepared pages: all up to date", "written", n)
	}
}

func cmdMigrate(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("migrate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dsn := fs.String("db", envOr("PROVIM_DB", "sqlite:provim.db"), "database")
	if err := fs.Parse(args); err != nil {
		return err
	}
	db, err := store.Open(ctx, dbFlag(*dsn))
	if err != nil {
		return err
	}
	defer db.Close()
	if err := wire.New(db, clock.Real{}).Years.EnsureDefault(ctx); err != nil {
		return err
	}
	fmt.Fprintln(stdout, "Baza e të dhënave është në versionin e fundit.")
	return nil
}

// setDay is the day (and maybe the moment) given by --today.
type setDay struct {
	day    time.Time
	atTime bool
}

// clock is the program's one clock: the real one, or a training clock on
// the day (or from the moment) --today gave.
func (d setDay) clock() clock.Clock {
	if d.day.IsZero() {
		return clock.Real{}
	}
	return clock.NewTraining(d.day, d.atTime)
}

// parseToday reads --today: "" (the real date), YYYY-MM-DD, or
// YYYY-MM-DDTHH:MM in Tirana time.
func parseToday(s string) (setDay, error) {
	if s == "" {
		return setDay{}, nil
	}
	if d, err := time.ParseInLocation("2006-01-02T15:04", s, examyear.Tirana); err == nil {
		return setDay{d, true}, nil
	}
	d, err := time.ParseInLocation("2006-01-02", s, examyear.Tirana)
	if err != nil {
		return setDay{}, fmt.Errorf("--today %q: write the date as YYYY-MM-DD or YYYY-MM-DDTHH:MM", s)
	}
	return setDay{d, false}, nil
}
