package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"provim/internal/auth"
	"provim/internal/clock"
	"provim/internal/demo"
	"provim/internal/registry"
	"provim/internal/store"
	"provim/internal/wire"
)

// DemoPassword is the password of every demo account.
const DemoPassword = "provim-demo-2027"

// --until's stops: D1's morning (Tirana's entry running); D1's marking
// under way.
const (
	untilExamDay = "dita-e-provimit"
	untilMarking = "vleresimi"
)

// DemoYear is the exam year the demo runs (school year 2026–2027).
const DemoYear = 2027

func cmdDemo(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", envOr("PROVIM_ADDR", "127.0.0.1:8080"), "address to listen on")
	path := fs.String("db", "provim-demo.db", "SQLite file for the demo (recreated), or postgres://… (must be empty)")
	seed := fs.Int64("seed", 20270601, "seed of the synthetic data (same seed, same data)")
	noServe := fs.Bool("no-serve", false, "build the data and exit")
	logLevel := fs.String("log", envOr("PROVIM_LOG", "warn"), "log level")
	today := fs.String("today", demo.Today(DemoYear), "the day the demo's exam calendar stands on (YYYY-MM-DD or YYYY-MM-DDTHH:MM; \"\" for the real date)")
	students := fs.Int("students", 35000, "how many maturants the synthetic country has (smaller for quick trials and tests)")
	until := fs.String("until", "", "how far the year runs: \"dita-e-provimit\" stops on D1's morning with Tirana's entry running at 09:30 (nothing after); \"vleresimi\" stops D1's marking after two days, under way; \"rezultatet\" runs the whole first session (D2 and the electives too), publishes the results, issues the certificates and stops the day after the last publication (re-marking requests open); \"rivleresimi\" runs the whole session to its end: re-marking to final results, certificates revoked and reissued, the second-session lists (minutes at national size); \"sesioni2\" goes on through the second session (D1 and D2 again for those listed, Neni 58) to its results and certificates; \"\" runs D1 to the close of its marking")
	if err := fs.Parse(args); err != nil {
		return err
	}
	day, err := parseToday(*today)
	if err != nil {
		return err
	}
	if *until != "" && *until != untilExamDay && *until != untilMarking && *until != untilResults && *until != untilRemarks && *until != untilSecond {
		return fmt.Errorf("--until %q: \"%s\", \"%s\", \"%s\", \"%s\", \"%s\" or nothing", *until, untilExamDay, untilMarking, untilResults, untilRemarks, untilSecond)
	}
	if *students < 500 || *students > 1_000_000 {
		return fmt.Errorf("--students %d: between 500 and 1000000", *students)
	}
	start := clock.StartTimer()
	dsn := dbFlag(*path)
	if p, ok := strings.CutPrefix(dsn, "sqlite:"); ok {
		for _, f := range []string{p, p + "-wal", p + "-shm"} {
			if err := os.Remove(f); err != nil && !os.IsNotExist(err) {
				return fmt.Errorf("cannot recreate %s: %w", f, err)
			}
		}
	}
	// The demo signs its audit chain with a key of its own, written beside
	// the demo database (never inside it): provim audit verify --audit-key.
	if err := demoAuditKey(dsn, stdout); err != nil {
		return err
	}
	sealPath, err := demoSealKey(dsn, stdout)
	if err != nil {
		return err
	}
	db, err := store.Open(ctx, dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	fmt.Fprintf(stdout, "Po ndërtohen të dhënat e demonstrimit (fara %d) në %s …\n", *seed, *path)
	// The build walks the exam calendar day by day on a clock of its own;
	// serving then runs on the clock of --today.
	build := wire.New(db, clock.Fixed(clock.Real{}.Now()))
	if err := useSealKey(build, sealPath); err != nil {
		return err
	}
	accounts, err := buildDemo(ctx, build, *seed, *students, *until, func(msg string) { fmt.Fprintln(stdout, "  "+msg) })
	if err != nil {
		return err
	}
	day = demoServeDay(fs, *until, day, build.Clock.Now())
	fmt.Fprintf(stdout, "Gati për %.1f sekonda.\n\n", start.Elapsed().Seconds())
	printAccounts(stdout, accounts)
	if *noServe {
		return nil
	}
	if !day.day.IsZero() {
		fmt.Fprintf(stdout, "\nKalendari i provimeve punon si të ishte data %s (--today).\n", day.day.Format("02.01.2006"))
	}
	served := wire.New(db, day.clock())
	if err := useSealKey(served, sealPath); err != nil {
		return err
	}
	return serve(ctx, served, *addr, false, newLogger(stderr, *logLevel), func(url string) {
		fmt.Fprintf(stdout, "\nHapni %s në shfletues. Ndalojeni me Ctrl+C.\n", url)
	})
}

type demoAccount struct {
	Username, Role, Scope string
}

// buildDemo creates the exam years, the national registry and one account
// per role.
func buildDemo(ctx context.Context, svcs *wire.Services, seed int64, students int, until string, progress func(string)) ([]demoAccount, error) {
	clk := svcs.Clock.(*clock.Manual)
	ava := &auth.Principal{Username: "demo", FullName: "Demonstrimi", Role: auth.RoleAVA}
	years := svcs.Years
	if err := years.EnsureDefault(ctx); err != nil {
		return nil, err
	}
	if _, err := years.Create(ctx, ava, DemoYear, "Matura Shtetërore 2027 (viti shkollor 2026–2027)", 2009); err != nil {
		return nil, fmt.Errorf("demo year: %w", err)
	}
	if err := years.SetActive(ctx, ava, DemoYear); err != nil {
		return nil, err
	}
	reg := svcs.Registry
	t := clock.StartTimer()
	data := demo.GenerateN(seed, DemoYear, students)
	progress(fmt.Sprintf("të dhënat u krijuan (%.1fs)", t.Elapsed().Seconds()))
	if err := demo.Load(ctx, reg, ava, data, progress); err != nil {
		return nil, err
	}
	if err := demo.RunApplications(ctx, svcs, clk, ava, seed, progress); err != nil {
		return nil, err
	}
	if err := demo.RunVenuePlan(ctx, svcs, clk, ava, progress); err != nil {
		return nil, err
	}
	if err := demo.RunTests(ctx, svcs, clk, ava, progress); err != nil {
		return nil, err
	}
	if err := demo.RunDraws(ctx, svcs, clk, ava, progress); err != nil {
		return nil, err
	}
	if err := demo.RunCustody(ctx, svcs, clk, ava, progress); err != nil {
		return nil, err
	}
	if err := demo.RunAnonymisation(ctx, svcs, clk, ava, progress); err != nil {
		return nil, err
	}
	if err := demo.RunExamDay(ctx, svcs, clk, ava, until == untilExamDay, progress); err != nil {
		return nil, err
	}
	marked := until != untilExamDay
	if marked {
		stage := demo.MarkingClosed
		if until == untilMarking {
			stage = demo.MarkingUnderway
		}
		if err := demo.RunMarking(ctx, svcs, clk, ava, stage, progress); err != nil {
			return nil, err
		}
	}
	if resultsStage(until) {
		// The rest of session 1: D2 and the electives, plan to marking's
		// close (the --until stops keep to D1 as they were).
		if err := demo.RunSession(ctx, svcs, clk, ava, progress); err != nil {
			return nil, err
		}
		// After the session's marking: results, certificates, re-marking
		// (cmd/provim/demo_results.go).
		if err := demoResultsPhases(ctx, svcs, clk, ava, until, progress); err != nil {
			return nil, err
		}
	}
	accounts, err := createDemoUsers(ctx, svcs, ava, marked)
	if err != nil || !resultsStage(until) {
		return accounts, err
	}
	return demoResultsAccounts(ctx, svcs, ava, accounts)
}

func createDemoUsers(ctx context.Context, svcs *wire.Services, ava *auth.Principal, marked bool) ([]demoAccount, error) {
	reg := svcs.Registry
	var unit, school, venue string
	var studentID int64
	// The regional account is Tirana's DAR; the school is the first public
	// school of Tirana in Albanian order that has a venue and students.
	units, err := reg.ListUnits(ctx, ava)
	if err != nil {
		return nil, err
	}
	for _, u := range units {
		if u.Kind == "DAR" && u.City == "Tiranë" {
			unit = u.Code
		}
	}
	if unit == "" {
		return nil, fmt.Errorf("demo: DAR Tiranë missing")
	}
	schools, err := reg.ListSchools(ctx, ava, registry.SchoolFilter{Unit: unit})
	if err != nil {
		return nil, err
	}
	venues, err := reg.ListVenues(ctx, ava, "")
	if err != nil {
		return nil, err
	}
	venueOf := map[string]string{} // school → its venue, the first by code
	for _, v := range venues {
		if o, ok := venueOf[v.SchoolCode]; v.SchoolCode != "" && (!ok || v.Code < o) {
			venueOf[v.SchoolCode] = v.Code
		}
	}
	for _, sc := range schools {
		if !sc.Public {
			continue
		}
		v := venueOf[sc.Code]
		var id int64
		st, _, _ := reg.ListStudents(ctx, ava, registry.StudentFilter{School: sc.Code, Category: registry.Maturant, Page: registry.Page{Limit: 1}})
		if len(st) > 0 {
			id = st[0].ID
		}
		if v != "" && id != 0 {
			school, venue, studentID = sc.Code, v, id
			break
		}
	}
	if school == "" {
		return nil, fmt.Errorf("demo: no public school in %s with a venue and students", unit)
	}
	st, err := reg.GetStudent(ctx, ava, studentID)
	if err != nil {
		return nil, err
	}
	// The PAP account is the person the D1 draw sent to the venue.
	pap, err := demoPAP(ctx, svcs, ava, venue)
	if err != nil {
		return nil, err
	}
	users := []auth.NewUser{
		{Username: "ava", FullName: "Drita Kola (AVA)", Role: auth.RoleAVA},
		{Username: "kmsh.tirane", FullName: "Arben Hoxha (KMSH Tiranë)", Role: auth.RoleKMSH, Unit: unit},
		{Username: "kshmsh." + strings.ToLower(school), FullName: "Mirela Çela (KSHMSH)", Role: auth.RoleKSHMSH, School: school},
		pap,
	}
	if !marked {
		users = append(users, auth.NewUser{Username: demo.DemoMarker, FullName: "Ëngjëll Dhima (vlerësues)", Role: auth.RoleMarker, Subject: "D1"})
	}
	users = append(users, auth.NewUser{Username: "nxenes." + strings.ToLower(st.PersonalNo), FullName: st.FirstName + " " + st.LastName, Role: auth.RoleStudent, StudentID: st.ID})
	if marked {
		users = append(users, demo.OversightAccounts...)
	}
	var out []demoAccount
	if marked {
		// The lead and the marker are among the teachers appointed to mark
		// D1 (their accounts were made at the appointment): the demo sets
		// their password.
		for _, name := range []string{demo.DemoLead, demo.DemoMarker} {
			if err := svcs.Auth.SetPassword(ctx, ava, name, "", DemoPassword); err != nil {
				return nil, fmt.Errorf("demo user %s: %w", name, err)
			}
			u, err := svcs.Auth.FullNames(ctx, []string{name})
			if err != nil {
				return nil, err
			}
			lead := u[name]
			pr := lead.Principal()
			out = append(out, demoAccount{name, u[name].Role.Label() + markerTask(name), svcs.Accounts.ScopeLabel(ctx, pr)})
		}
	}
	for _, n := range users {
		n.Password = DemoPassword
		u, err := svcs.Auth.CreateUser(ctx, nil, n)
		if err != nil {
			return nil, fmt.Errorf("demo user %s: %w", n.Username, err)
		}
		out = append(out, demoAccount{u.Username, u.Role.Label(), svcs.Accounts.ScopeLabel(ctx, u.Principal())})
	}
	staff, err := demoVenueStaff(ctx, svcs, ava, venue)
	if err != nil {
		return nil, err
	}
	return append(out, staff...), nil
}

// demoVenueStaff makes, as AVA does after the draw (accounts.ForVenue),
// the accounts of the staff the draws placed at the demo PAP's venue,
// each with an activation letter, and activates the first AP's with the
// demo password, as the person would from the letter: the AP's own
// account, linked to their staff record, sees exactly the venue and room
// they were drawn to (Neni 47.5, 48.2). Before the draw nobody is placed:
// no account is made.
func demoVenueStaff(ctx context.Context, svcs *wire.Services, ava *auth.Principal, venue string) ([]demoAccount, error) {
	y, err := svcs.Years.Active(ctx)
	if err != nil {
		return nil, err
	}
	placed, err := svcs.Draws.PlacedAtVenue(ctx, y.Year, venue)
	if err != nil || len(placed) == 0 {
		return nil, err
	}
	res, err := svcs.Accounts.ForVenue(ctx, ava, venue)
	if err != nil {
		return nil, fmt.Errorf("demo: the venue's staff accounts: %w", err)
	}
	for _, l := range res.Letters {
		if l.Role != auth.RoleAP {
			continue
		}
		u, err := svcs.Auth.Activate(ctx, l.Username, l.Code, DemoPassword, "127.0.0.1")
		if err != nil {
			return nil, fmt.Errorf("demo: activating %s: %w", l.Username, err)
		}
		role := fmt.Sprintf("%s (%s, nga shorti)", u.Role.Label(), u.FullName)
		return []demoAccount{{u.Username, role, svcs.Accounts.ScopeLabel(ctx, u.Principal())}}, nil
	}
	return nil, nil
}

// markerTask says which of the two marking accounts leads.
func markerTask(name string) string {
	if name == demo.DemoLead {
		return " (përgjegjës i lëndës)"
	}
	return ""
}

func printAccounts(w io.Writer, accounts []demoAccount) {
	fmt.Fprintf(w, "Llogaritë e demonstrimit (fjalëkalimi i të gjithave: %s):\n", DemoPassword)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "  PËRDORUESI\tROLI\tFUSHA")
	for _, a := range accounts {
		fmt.Fprintf(tw, "  %s\t%s\t%s\n", a.Username, a.Role, a.Scope)
	}
	tw.Flush()
}
