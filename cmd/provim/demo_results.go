package main

import (
	"context"
	"flag"
	"fmt"
	"strings"
	"time"

	"provim/internal/auth"
	"provim/internal/certificate"
	"provim/internal/clock"
	"provim/internal/demo"
	"provim/internal/examyear"
	"provim/internal/remark"
	"provim/internal/wire"
)

// untilResults stops the demo on the day after the session's last
// publication: every exam of the first session marked and published, the
// certificates issued, the 4 days of the re-marking (Neni 64) open, no
// request filed yet.
const untilResults = "rezultatet"

// untilRemarks runs the whole first session to its end: the results, the
// certificates, the re-marking through to final results (certificates
// revoked and reissued) and the second-session lists.
const untilRemarks = "rivleresimi"

// untilSecond runs the year to the second session's end: after the stop
// "rivleresimi", D1 and D2 of session 2 (Neni 58) from the KMSHs' lists
// through every phase to their results and the certificates of those who
// then completed the Matura.
const untilSecond = "sesioni2"

// resultsStage reports whether the demo runs the whole first session and
// its results phases (the stops "rezultatet" and "rivleresimi"). Without
// a stop the demo runs D1 to the close of its marking: the whole session
// at national size takes minutes, past the demo's 60 s.
func resultsStage(until string) bool {
	return until == untilResults || until == untilRemarks || until == untilSecond
}

// demoResultsPhases runs what follows the session's marking (issue 15):
// the results of every closed exam published on their day (Neni 57.19),
// the certificates of those who completed the Matura (Neni 17), and —
// without a stop — a few hundred re-markings to their final results
// (Neni 64, certificates revoked and reissued where a grade changes) and
// the KMSHs' lists of the second session sent to AVA (Neni 58). The clock
// stops on the morning after the last publication (stop "rezultatet"),
// or on the morning after the re-marking's results.
func demoResultsPhases(ctx context.Context, svcs *wire.Services, clk *clock.Manual, ava *auth.Principal, until string, progress func(string)) error {
	timed := func(what string, f func() error) error {
		t := clock.StartTimer()
		if err := f(); err != nil {
			return err
		}
		progress(fmt.Sprintf("%s (%.1fs)", what, t.Elapsed().Seconds()))
		return nil
	}
	if err := timed("rezultatet u shpallën", func() error { return demo.RunResults(ctx, svcs, clk, ava, progress) }); err != nil {
		return err
	}
	if err := timed("dëftesat u lëshuan", func() error { return demo.RunCertificates(ctx, svcs, clk, ava, progress) }); err != nil {
		return err
	}
	first, last, err := publications(ctx, svcs)
	if err != nil || last.IsZero() {
		return err
	}
	if until == untilResults {
		setNotBefore(clk, morningAfter(last, 1))
		progress(fmt.Sprintf("Demonstrimi ndalon më %s: kërkesat për rivlerësim (Neni 64) janë të hapura për provimet e shpallura më %s e më pas (4 ditë pas shpalljes).",
			clock.Format(clk.Now()), clock.Day(clk.Now().AddDate(0, 0, -4))))
		return nil
	}
	// Each exam's requests are filed within 4 days of its own publication
	// (D1's some days before the electives'), and the certificates were
	// issued after the last: the clock goes back to the first publication
	// (as RunSession goes back to the plans of D2 after D1's marking), and
	// the re-marking's results, sent from day 15, revoke and reissue the
	// certificates whose grades change.
	clk.Set(first)
	if err := timed("rivlerësimi përfundoi", func() error { return demo.RunRemarks(ctx, svcs, clk, ava, progress) }); err != nil {
		return err
	}
	if rev, err := svcs.Certificates.Revoked(ctx, "", 500); err == nil {
		reissued := 0
		for _, r := range rev {
			if r.ReplacedBy != "" {
				reissued++
			}
		}
		progress(fmt.Sprintf("Dëftesat pas rivlerësimit: %d të revokuara, %d prej tyre të rilëshuara me notat e reja (Neni 64).", len(rev), reissued))
	} else {
		return err
	}
	if err := timed("listat e sesionit të dytë u dërguan", func() error { return demo.RunSession2Lists(ctx, svcs, ava, progress) }); err != nil {
		return err
	}
	if until == untilSecond {
		if err := timed("sesioni i dytë përfundoi", func() error { return demo.RunSecondSession(ctx, svcs, clk, ava, progress) }); err != nil {
			return err
		}
	}
	setNotBefore(clk, morningAfter(clk.Now(), 1))
	return nil
}

// publications are when the first and the last exam of the active year
// were published (zero when none is).
func publications(ctx context.Context, svcs *wire.Services) (first, last time.Time, err error) {
	y, err := svcs.Years.Active(ctx)
	if err != nil {
		return first, last, err
	}
	more, err := demo.SessionExams(ctx, svcs, y.Config)
	if err != nil {
		return first, last, err
	}
	for _, exam := range append([]string{examyear.KindD1}, more...) {
		at, ok, err := svcs.Results.PublishedAt(ctx, y.Year, exam)
		if err != nil {
			return first, last, err
		}
		if ok && at.After(last) {
			last = at
		}
		if ok && (first.IsZero() || at.Before(first)) {
			first = at
		}
	}
	return first, last, nil
}

// morningAfter is 10:00 in Tirana n days after t's day.
func morningAfter(t time.Time, n int) time.Time {
	d := t.In(clock.Tirana)
	return time.Date(d.Year(), d.Month(), d.Day()+n, 10, 0, 0, 0, clock.Tirana)
}

func setNotBefore(clk *clock.Manual, t time.Time) {
	if clk.Now().Before(t) {
		clk.Set(t)
	}
}

// demoResultsAccounts adds to the printed accounts what a user needs to
// try the results: a candidate with published results and a certificate
// (at the stop "rezultatet" one who still may ask for a re-marking of an
// exam, Neni 64), and how anyone checks that certificate at /vertetimi
// without an account: its number and the candidate's personal number.
func demoResultsAccounts(ctx context.Context, svcs *wire.Services, ava *auth.Principal, accounts []demoAccount) ([]demoAccount, error) {
	y, err := svcs.Years.Active(ctx)
	if err != nil {
		return nil, err
	}
	var student int64 // the demo's own candidate
	for _, a := range accounts {
		if strings.HasPrefix(a.Username, "nxenes.") {
			u, err := svcs.Auth.FullNames(ctx, []string{a.Username})
			if err != nil {
				return nil, err
			}
			student = u[a.Username].StudentID
		}
	}
	// The exams whose 4 days of requests are still open now.
	more, err := demo.SessionExams(ctx, svcs, y.Config)
	if err != nil {
		return nil, err
	}
	now := svcs.Clock.Now()
	open := map[string]bool{}
	for _, exam := range append([]string{examyear.KindD1}, more...) {
		at, ok, err := svcs.Results.PublishedAt(ctx, y.Year, exam)
		if err != nil {
			return nil, err
		}
		open[exam] = ok && remark.Within(at, now, y.Config.RemarkRequestDays)
	}
	anyOpen := anyTrue(open)
	fits := func(c certificate.Certificate) bool {
		if !c.Valid() {
			return false
		}
		for _, e := range c.Exams {
			if open[e.Exam] || open[e.Subject] {
				return true
			}
		}
		return !anyOpen
	}
	var cert certificate.Certificate
	for after := ""; cert.Number == ""; {
		certs, err := svcs.Certificates.List(ctx, ava, certificate.Filter{Year: y.Year, After: after, Limit: 500})
		if err != nil {
			return nil, err
		}
		for _, c := range certs {
			if fits(c) && (cert.Number == "" || c.StudentID == student) {
				cert = c
			}
		}
		if len(certs) < 500 {
			break
		}
		after = certs[len(certs)-1].Number
	}
	if cert.Number == "" {
		return accounts, nil // nobody completed: the demo's candidate stays as it is
	}
	if cert.StudentID != student {
		u, err := svcs.Auth.CreateUser(ctx, nil, auth.NewUser{Username: "nxenes." + strings.ToLower(cert.PersonalNo), FullName: cert.FullName,
			Role: auth.RoleStudent, StudentID: cert.StudentID, Password: DemoPassword})
		if err != nil {
			return nil, fmt.Errorf("demo user with results: %w", err)
		}
		accounts = append(accounts, demoAccount{u.Username, u.Role.Label() + " me rezultate e dëftesë", u.Principal().ScopeLabel()})
	}
	accounts = append(accounts, demoAccount{"(pa llogari) /vertetimi", "Vërtetimi i dëftesës nga kushdo",
		fmt.Sprintf("nr. %s me nr. personal %s (%s)", cert.Number, cert.PersonalNo, cert.FullName)})
	return accounts, nil
}

func anyTrue(m map[string]bool) bool {
	for _, v := range m {
		if v {
			return true
		}
	}
	return false
}

// demoServeDay is the day the demo serves on: --today when given, else
// the build's clock after a results stage (the day after the
// publication, or after the re-marking's results), else the default.
func demoServeDay(fs *flag.FlagSet, until string, day setDay, built time.Time) setDay {
	given := false
	fs.Visit(func(f *flag.Flag) { given = given || f.Name == "today" })
	if given || !resultsStage(until) || built.IsZero() {
		return day
	}
	return setDay{built.In(examyear.Tirana), true}
}
