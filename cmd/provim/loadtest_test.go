package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// The load test runs end to end on a small country: the demo, the logins,
// every student page and the hello-world reference, in one table.
func TestLoadtestCommand(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a demo country")
	}
	var out, errOut bytes.Buffer
	code := run(context.Background(), []string{"loadtest", "--students", "500", "--accounts", "3", "--clients", "4", "--duration", "200ms", "--runs", "2"}, nil, &out, &errOut)
	if code != 0 {
		t.Fatalf("loadtest: exit %d\n%s\n%s", code, out.String(), errOut.String())
	}
	for _, want := range append([]string{"hello-world /", "KËRKESA/s", "p99", "loadavg", "Matja 1 nga 2", "Matja 2 nga 2"}, loadPages...) {
		if !strings.Contains(out.String(), want) {
			t.Errorf("the report lacks %q:\n%s", want, out.String())
		}
	}
	if n := strings.Count(out.String(), "FAQJA"); n != 2 {
		t.Errorf("%d tables for 2 rounds:\n%s", n, out.String())
	}
}

// Out-of-bounds runs are refused before anything is built.
func TestLoadtestBounds(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{{"--clients", "0"}, {"--clients", "1000"}, {"--duration", "2h"}, {"--accounts", "0"}, {"--students", "10"}, {"--runs", "0"}, {"--runs", "9"}} {
		var out, errOut bytes.Buffer
		if code := run(context.Background(), append([]string{"loadtest"}, args...), nil, &out, &errOut); code == 0 {
			t.Errorf("loadtest %v: accepted", args)
		}
	}
}
