package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"text/tabwriter"

	"provim/internal/apperr"
	"provim/internal/clock"
	"provim/internal/retention"
	"provim/internal/store"
	"provim/internal/wire"
)

// cmdRetention runs the retention of Neni 65: "provim retention run".
func cmdRetention(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "run" {
		return exitError{2, "përdorimi: provim retention run [--db …] [--today YYYY-MM-DD] [--year N] [--dry-run]"}
	}
	fs := flag.NewFlagSet("retention run", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dsn := fs.String("db", envOr("PROVIM_DB", "sqlite:provim.db"), "database")
	today := fs.String("today", "", "the day of the run, YYYY-MM-DD in Tirana (default: today)")
	year := fs.Int("year", 0, "only this exam year; refused before its destroy date")
	dry := fs.Bool("dry-run", false, "count what would be destroyed, change nothing")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	day, err := parseToday(*today)
	if err != nil {
		return err
	}
	db, err := store.Open(ctx, dbFlag(*dsn))
	if err != nil {
		return err
	}
	defer db.Close()
	svc := wire.New(db, day.clock()).Retention
	var rep retention.Report
	if *year != 0 {
		y, err := svc.RunYear(ctx, nil, *year, *dry)
		if err != nil {
			if apperr.Is(err, apperr.Conflict) || apperr.Is(err, apperr.NotFound) {
				return exitError{1, err.Error()}
			}
			return err
		}
		rep = retention.Report{Today: db.Now(ctx), DryRun: *dry, Years: []retention.YearReport{y}}
	} else if rep, err = svc.Run(ctx, nil, *dry); err != nil {
		return err
	}
	printRetention(stdout, rep)
	return nil
}

// printRetention writes the report: per year its dates and, when due, the
// rows destroyed per table.
func printRetention(w io.Writer, rep retention.Report) {
	verb := "u asgjësuan"
	if rep.DryRun {
		verb = "do të asgjësoheshin (provë, --dry-run: asgjë nuk ndryshoi)"
	}
	fmt.Fprintf(w, "Ruajtja e dokumenteve të provimit (Neni 65, Neni 6.10) më %s.\n", clock.Day(rep.Today))
	fmt.Fprintln(w, "Mbeten: rezultatet, certifikatat, regjistri i auditimit, pikët sipas kodit.")
	for _, y := range rep.Years {
		fmt.Fprintf(w, "\nViti %d: sekret në arkiv deri më %s, asgjësohet nga %s.\n", y.Year, clock.Day(y.SecretUntil), clock.Day(y.DestroyOn))
		switch {
		case y.Secret:
			fmt.Fprintln(w, "  Test-broshurat janë dokumente sekrete në arkivin e AVA-s; asgjë për të bërë.")
		case !y.Due:
			fmt.Fprintf(w, "  Ende jo: asgjë nuk asgjësohet para %s.\n", clock.Day(y.DestroyOn))
		case y.Total == 0:
			fmt.Fprintln(w, "  Asgjë për të asgjësuar: u asgjësua më parë (ose nuk kishte).")
		default:
			fmt.Fprintf(w, "  %d rreshta %s:\n", y.Total, verb)
			tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
			for _, c := range y.Destroyed {
				fmt.Fprintf(tw, "    %s\t%d\t\n", c.Table, c.Rows)
			}
			tw.Flush()
		}
	}
}
