package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"provim/internal/auth"
	"provim/internal/clock"
	"provim/internal/registry"
	"provim/internal/store"
	"provim/internal/wire"
)

// operator is the principal of CLI commands: whoever runs provim on the
// server with access to its database acts with national scope, and the
// audit log records them by their system user name.
func operator() *auth.Principal {
	name := os.Getenv("USER")
	if name == "" {
		name = "operator"
	}
	return &auth.Principal{Username: "cli:" + name, FullName: "Operatori i sistemit", Role: auth.RoleAVA}
}

// openServices parses the command's flags with --db and wires the
// services over that database on the real clock.
func openServices(ctx context.Context, fs *flag.FlagSet, args []string) (*wire.Services, error) {
	dsn := fs.String("db", envOr("PROVIM_DB", "sqlite:provim.db"), "database: sqlite:PATH or postgres://…")
	keyPath := new(string)
	if fs.Lookup("audit-key") == nil {
		keyPath = fs.String("audit-key", os.Getenv("PROVIM_AUDIT_KEY"), "sign the audit chain's head with this key (file)")
	}
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if *keyPath != "" {
		if err := useAuditKey(*keyPath); err != nil {
			return nil, err
		}
	}
	db, err := store.Open(ctx, dbFlag(*dsn))
	if err != nil {
		return nil, err
	}
	return wire.New(db, clock.Real{}), nil
}

func cmdImport(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	fs.SetOutput(stderr)
	entity := fs.String("entity", "", "units, schools, students, staff or venues")
	svcs, err := openServices(ctx, fs, args)
	if err != nil {
		return err
	}
	defer svcs.DB.Close()
	if fs.NArg() != 1 || *entity == "" {
		return exitError{2, "usage: provim import --entity ENTITY FILE"}
	}
	path := fs.Arg(0)
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	start := clock.StartTimer()
	var last clock.Timer
	progress := func(phase string, done, total int) {
		if last.Elapsed() < 200*time.Millisecond && done != total {
			return
		}
		last = clock.StartTimer()
		pct := 100
		if total > 0 {
			pct = done * 100 / total
		}
		fmt.Fprintf(stderr, "\r%-9s %6d / %-6d (%3d%%)", phase, done, total, pct)
	}
	res, err := svcs.Registry.Import(ctx, operator(), *entity, path, f, progress)
	fmt.Fprintln(stderr)
	if err != nil {
		var ie *registry.ImportError
		if errors.As(err, &ie) {
			for _, r := range ie.Rows {
				fmt.Fprintln(stdout, r.String())
			}
			return exitError{1, ie.Error()}
		}
		return err
	}
	fmt.Fprintf(stdout, "Importi u krye për %s: %d rreshta — %d të rinj, %d të ndryshuar, %d pa ndryshim (%.1fs).\n",
		res.Entity, res.Rows, res.Created, res.Updated, res.Unchanged, start.Elapsed().Seconds())
	return nil
}

func cmdUser(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return exitError{2, "usage: provim user add|list|disable|enable|password …"}
	}
	sub, args := args[0], args[1:]
	fs := flag.NewFlagSet("user "+sub, flag.ContinueOnError)
	fs.SetOutput(stderr)
	var n auth.NewUser
	var role string
	if sub == "add" {
		fs.StringVar(&n.Username, "username", "", "login name")
		fs.StringVar(&n.FullName, "name", "", "full name")
		fs.StringVar(&role, "role", "", "ava, kmsh, kshmsh, pap, ap, as, vleresues, nxenes")
		fs.StringVar(&n.Unit, "unit", "", "DAR/ZA code (kmsh)")
		fs.StringVar(&n.School, "school", "", "school code (kshmsh)")
		fs.StringVar(&n.Venue, "venue", "", "venue code (pap, ap, as)")
		fs.StringVar(&n.Subject, "subject", "", "subject code (vleresues)")
		fs.Int64Var(&n.StudentID, "student-id", 0, "student id (nxenes)")
	}
	svcs, err := openServices(ctx, fs, args)
	if err != nil {
		return err
	}
	defer svcs.DB.Close()
	svc := svcs.Auth
	// The CLI acts as the operator; CreateUser takes nil for that.
	switch sub {
	case "add":
		n.Role = auth.Role(role)
		n.Password, err = readPassword(stdin, stderr)
		if err != nil {
			return err
		}
		u, err := svc.CreateUser(ctx, nil, n)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "Përdoruesi %s u krijua (%s).\n", u.Username, u.Role.Label())
	case "list":
		users, err := svc.ListUsers(ctx, operator())
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "USERNAME\tROLE\tSCOPE\tDISABLED")
		for _, u := range users {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%v\n", u.Username, u.Role, u.Principal().ScopeLabel(), u.Disabled)
		}
		tw.Flush()
	case "disable", "enable":
		if fs.NArg() != 1 {
			return exitError{2, "usage: provim user " + sub + " USERNAME"}
		}
		if err := svc.SetDisabled(ctx, operator(), fs.Arg(0), sub == "disable"); err != nil {
			return err
		}
		fmt.Fprintln(stdout, "U krye.")
	case "password":
		if fs.NArg() != 1 {
			return exitError{2, "usage: provim user password USERNAME (new password on stdin or PROVIM_PASSWORD)"}
		}
		pw, err := readPassword(stdin, stderr)
		if err != nil {
			return err
		}
		if err := svc.SetPassword(ctx, operator(), fs.Arg(0), "", pw); err != nil {
			return err
		}
		fmt.Fprintln(stdout, "Fjalëkalimi u ndryshua.")
	default:
		return exitError{2, "unknown user command " + sub}
	}
	return nil
}

// readPassword takes PROVIM_PASSWORD, or the first line of stdin.
func readPassword(stdin io.Reader, stderr io.Writer) (string, error) {
	if pw := os.Getenv("PROVIM_PASSWORD"); pw != "" {
		return pw, nil
	}
	fmt.Fprint(stderr, "Fjalëkalimi: ")
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && line == "" {
		return "", exitError{2, "no password given (stdin or PROVIM_PASSWORD)"}
	}
	return strings.TrimRight(line, "\r\n"), nil
}
