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

// The marking scenario runs end to end on a small country: the demo with
// D1's marking under way, markers with API tokens, each booklet of their
// queues marked once over the API beside the hello-world reference, with
// no error.
func TestLoadtestMarking(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a demo country")
	}
	var out, errOut bytes.Buffer
	code := run(context.Background(), []string{"loadtest", "--marking", "--students", "600", "--markers", "20", "--clients", "8", "--duration", "1s"}, nil, &out, &errOut)
	if code != 0 {
		t.Fatalf("loadtest --marking: exit %d\n%s\n%s", code, out.String(), errOut.String())
	}
	for _, want := range []string{"MATJA", "NË SEKONDË", "hello-world /", "PUT …/booklets/{code}/marks, sa më shpejt", "PUT …/booklets/{code}/marks, 200/s", "20 vlerësues të kualifikuar", "loadavg"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("the report lacks %q:\n%s", want, out.String())
		}
	}
	if strings.Contains(out.String(), "gabimi i parë") {
		t.Errorf("errors under load:\n%s", out.String())
	}
	for _, line := range strings.Split(out.String(), "\n") {
		f := strings.Fields(line)
		if len(f) == 0 || f[0] != "PUT" {
			continue
		}
		last := 0 // the errors follow the last latency (…ms)
		for i, v := range f {
			if strings.HasSuffix(v, "ms") {
				last = i
			}
		}
		if last == 0 || last+1 >= len(f) || f[last+1] != "0" {
			t.Errorf("markings failed in %q:\n%s", line, out.String())
		}
	}
}

// Out-of-bounds runs are refused before anything is built.
func TestLoadtestBounds(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{{"--clients", "0"}, {"--clients", "1000"}, {"--duration", "2h"}, {"--accounts", "0"}, {"--students", "10"}, {"--runs", "0"}, {"--runs", "9"}, {"--marking", "--clients", "1000"}, {"--marking", "--markers", "0"}} {
		var out, errOut bytes.Buffer
		if code := run(context.Background(), append([]string{"loadtest"}, args...), nil, &out, &errOut); code == 0 {
			t.Errorf("loadtest %v: accepted", args)
		}
	}
}
