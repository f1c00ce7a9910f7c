package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// The results-night scenario runs end to end on a tiny synthetic country
// served by two servers over one database: every candidate logged in,
// each opening their own page on both, beside the hello-world reference.
func TestLoadtestResults(t *testing.T) {
	if testing.Short() {
		t.Skip("writes a synthetic country")
	}
	var out, errOut bytes.Buffer
	code := run(context.Background(), []string{"loadtest", "--results", "--synthetic", "300", "--servers", "2", "--clients", "4", "--duration", "300ms"}, nil, &out, &errOut)
	if code != 0 {
		t.Fatalf("loadtest --results: exit %d\n%s\n%s", code, out.String(), errOut.String())
	}
	for _, want := range []string{"300 kandidatë të hyrë", "2 server(a)", "GET /rezultatet", "hello-world /", "KËRKESA/s", "loadavg"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("the report lacks %q:\n%s", want, out.String())
		}
	}
	if strings.Contains(out.String(), "gabimi i parë") {
		t.Errorf("errors under load:\n%s", out.String())
	}
}

// Out-of-bounds results runs are refused.
func TestLoadtestResultsBounds(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{{"--results", "--synthetic", "-1"}, {"--results", "--synthetic", "3000000"}, {"--results", "--servers", "0"}, {"--results", "--servers", "9"}} {
		var out, errOut bytes.Buffer
		if code := run(context.Background(), append([]string{"loadtest"}, args...), nil, &out, &errOut); code == 0 {
			t.Errorf("loadtest %v: accepted", args)
		}
	}
}
