package demo

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"testing"

	"provim/internal/application"
)

// Neni 34 ¶2: a year has 999,999 registration numbers. However large the
// demo country, its forms (every maturant but noFormShare, and every
// kandidat) fit; a country of the usual size keeps its share of kandidat.
func TestNeni34_2_DemoCountryFitsTheRegistrationNumbers(t *testing.T) {
	t.Parallel()
	for _, m := range []int{500, 35_000, 200_000, 900_000, 960_000, 1_000_000} {
		k := kandidatCount(m)
		forms := float64(m)*(1-noFormShare) + float64(k)
		if forms > 995_000 || k < 0 {
			t.Errorf("%d maturants: %d kandidat, ~%.0f forms: past the registration numbers", m, k, forms)
		}
		if m <= 900_000 && k != int(float64(m)*kandidatShare+0.5) {
			t.Errorf("%d maturants: %d kandidat, want the share %.0f", m, k, float64(m)*kandidatShare)
		}
	}
	if k := kandidatCount(1_000_000); k == 0 {
		t.Errorf("a country of a million maturants has no kandidat at all")
	}
}

// A national table goes in files of at most PartRows rows, each with the
// header, every row once and in order; a venue's rooms stay in one file.
func TestLoadCutsLargeTablesIntoFiles(t *testing.T) {
	t.Parallel()
	d := &Dataset{Students: [][]string{{"nr_personal", "emri"}}, Venues: [][]string{{"kodi_qendres", "salla"}}}
	for i := range 2*PartRows + 7 {
		d.Students = append(d.Students, []string{fmt.Sprint(i), "Ëlsa"})
	}
	for v := range PartRows/3 + 5 {
		for r := range 4 {
			d.Venues = append(d.Venues, []string{fmt.Sprintf("Q-%05d", v), fmt.Sprint(r)})
		}
	}
	for _, entity := range []string{"students", "venues"} {
		parts := d.parts(entity)
		if len(parts) < 2 {
			t.Fatalf("%s: %d parts", entity, len(parts))
		}
		var rows [][]string
		for i, p := range parts {
			if len(p)-1 > PartRows || p[0][0] != d.Table(entity)[0][0] {
				t.Fatalf("%s part %d: %d rows, header %v", entity, i, len(p)-1, p[0])
			}
			if entity == "venues" && i > 0 && p[1][0] == parts[i-1][len(parts[i-1])-1][0] {
				t.Fatalf("venue %s cut in two", p[1][0])
			}
			rows = append(rows, p[1:]...)
		}
		want := d.Table(entity)[1:]
		if len(rows) != len(want) {
			t.Fatalf("%s: %d rows in the parts, %d in the table", entity, len(rows), len(want))
		}
		for i := range rows {
			if rows[i][0] != want[i][0] || rows[i][1] != want[i][1] {
				t.Fatalf("%s row %d: %v, want %v", entity, i, rows[i], want[i])
			}
		}
	}
	small := &Dataset{Units: [][]string{{"kodi"}, {"DAR-TR"}}}
	if p := small.parts("units"); len(p) != 1 || len(p[0]) != 2 {
		t.Fatalf("a small table: %v", p)
	}
}

// A file of paper forms is cut the same way: every line once, in order,
// each part with the header; an empty file is still sent (header only).
func TestPartedFileKeepsEveryLine(t *testing.T) {
	t.Parallel()
	header := strings.Join(application.A1Columns, ",")
	f := newPartedFile(header)
	for i := range PartRows + 3 {
		fmt.Fprintf(f.line(), "%d,ANG,\n", i)
	}
	var names []string
	var lines []string
	n, err := f.each("A1", func(name string, r io.Reader) (int, error) {
		b, _ := io.ReadAll(r)
		ls := strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
		if ls[0] != header {
			t.Fatalf("%s starts with %q", name, ls[0])
		}
		names = append(names, name)
		lines = append(lines, ls[1:]...)
		return len(ls) - 1, nil
	})
	if err != nil || n != PartRows+3 || len(lines) != PartRows+3 || strings.Join(names, " ") != "A1-01.csv A1-02.csv" {
		t.Fatalf("%d forms in %v, %d lines, %v", n, names, len(lines), err)
	}
	for i, l := range lines {
		if l != fmt.Sprintf("%d,ANG,", i) {
			t.Fatalf("line %d: %q", i, l)
		}
	}
	empty := newPartedFile(header)
	var got []byte
	if _, err := empty.each("A2", func(name string, r io.Reader) (int, error) {
		got, _ = io.ReadAll(r)
		if name != "A2.csv" {
			t.Errorf("name %s", name)
		}
		return 0, nil
	}); err != nil || !bytes.Equal(got, []byte(header+"\n")) {
		t.Fatalf("empty file: %q %v", got, err)
	}
}
