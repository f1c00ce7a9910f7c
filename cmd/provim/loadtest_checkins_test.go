package main

import (
	"bytes"
	"context"
	"os"
	"regexp"
	"strings"
	"testing"

	"provim/internal/store/storetest"
)

// TestLoadtestCheckins: the check-in scenario (issue 13) runs end to end
// on a small country, on SQLite and, when PROVIM_TEST_DATABASE_URL is
// set, on PostgreSQL (a fresh schema): the demo up to D1's morning, each
// room's AP (or the PAP) with an API token, every listed candidate checked
// in over the API, each check-in sent twice with the same key (Neni 52:
// one entry, one seat). No error, every candidate recorded exactly once,
// every second sending answered with the first answer. Not speed.
func TestLoadtestCheckins(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a demo country")
	}
	engines := map[string]func(*testing.T) []string{"sqlite": func(*testing.T) []string { return nil }}
	if os.Getenv("PROVIM_TEST_DATABASE_URL") != "" {
		engines["postgres"] = func(t *testing.T) []string { return []string{"--db", storetest.DSN(t)} }
	}
	for engine, db := range engines {
		t.Run(engine, func(t *testing.T) {
			var out, errOut bytes.Buffer
			args := append([]string{"loadtest", "--checkins", "--students", "600", "--clients", "8", "--duration", "300ms"}, db(t)...)
			if code := run(context.Background(), args, nil, &out, &errOut); code != 0 {
				t.Fatalf("loadtest --checkins: exit %d\n%s\n%s", code, out.String(), errOut.String())
			}
			s := out.String()
			for _, want := range []string{"MATJA", "HYRJE/s", "hello-world /", checkinRow, "NDAJ HELLO", "loadavg", "dy herë, me të njëjtin çelës"} {
				if !strings.Contains(s, want) {
					t.Errorf("the report lacks %q:\n%s", want, s)
				}
			}
			if strings.Contains(s, "gabimi i parë") {
				t.Errorf("errors under load:\n%s", s)
			}
			m := regexp.MustCompile(`(\d+) kandidatë në listat emërore`).FindStringSubmatch(s)
			if m == nil || m[1] == "0" {
				t.Fatalf("no candidates driven:\n%s", s)
			}
			n := m[1]
			for _, want := range []string{
				"Hyrje: " + n + " kandidatë të pranuar",
				n + " dërgime të dyta morën përgjigjen e parë",
				n + " me saktësisht 1, 0 pa hyrje, 0 me më shumë se 1 (dublikata) · " + n + " shënime check_in në auditim · 0 salla me vend të përsëritur",
			} {
				if !strings.Contains(s, want) {
					t.Errorf("the count lacks %q:\n%s", want, s)
				}
			}
		})
	}
}

// Out-of-bounds check-in runs are refused before anything is built.
func TestLoadtestCheckinsBounds(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{{"--checkins", "--clients", "0"}, {"--checkins", "--clients", "1000"}, {"--checkins", "--students", "10"}} {
		var out, errOut bytes.Buffer
		if code := run(context.Background(), append([]string{"loadtest"}, args...), nil, &out, &errOut); code == 0 {
			t.Errorf("loadtest %v: accepted", args)
		}
	}
}
