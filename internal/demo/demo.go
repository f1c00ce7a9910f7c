// Package demo generates a realistic, deterministic synthetic national
// dataset for one exam year — the 12 DAR and their ZA, ~500 schools,
// ~35,000 maturants and some kandidat, their teachers and the venues with
// their rooms — and loads it through the registry's real import path, so
// the demo data passes exactly the checks a real upload does.
package demo

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"strings"

	"provim/internal/auth"
	"provim/internal/clock"
	"provim/internal/registry"
)

// Entities are the registry entities of a dataset, in load order (a school
// needs its unit, a student their school, a room its school's unit).
var Entities = []string{"units", "schools", "students", "staff", "venues"}

// Dataset is one import table per entity; the first row of each is the
// header, registry.Header(entity).
type Dataset struct {
	Units, Schools, Students, Staff, Venues [][]string
}

// Table returns the table of an entity ("units", "schools", "students",
// "staff" or "venues"), or nil for an unknown entity.
func (d *Dataset) Table(entity string) [][]string {
	switch entity {
	case "units":
		return d.Units
	case "schools":
		return d.Schools
	case "students":
		return d.Students
	case "staff":
		return d.Staff
	case "venues":
		return d.Venues
	}
	return nil
}

// CSV encodes the table of an entity as a UTF-8, comma-separated file, the
// form a DAR or school would upload.
func (d *Dataset) CSV(entity string) []byte {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.WriteAll(d.Table(entity)) // writes to memory: cannot fail
	return buf.Bytes()
}

// Generate builds the national dataset of exam year examYear: about 35,000
// maturants plus 3% kandidat. The same seed always gives the same data.
func Generate(seed int64, examYear int) *Dataset {
	return GenerateN(seed, examYear, 35000)
}

// GenerateN is Generate scaled to about students maturants (the number of
// schools, staff and rooms follow; the 52 DAR/ZA stay).
func GenerateN(seed int64, examYear, students int) *Dataset {
	g := newGenerator(seed, examYear, students)
	return g.run()
}

// Load imports the dataset through reg.Import as the principal p, entity by
// entity in load order, telling progress (which may be nil) what each
// import did. Every table is validated exactly as an uploaded file; a
// refused row means a bug in the generator, and the error names the first
// few.
func Load(ctx context.Context, reg *registry.Service, p *auth.Principal, d *Dataset, progress func(msg string)) error {
	if progress == nil {
		progress = func(string) {}
	}
	for _, entity := range Entities {
		start := clock.StartTimer()
		var res registry.Result
		// A national table goes in files of at most PartRows rows, as a
		// country's offices would upload it (an import file holds at most
		// registry.DefaultTableLimits.MaxRows).
		parts := d.parts(entity)
		for i, part := range parts {
			name := entity + ".csv"
			if len(parts) > 1 {
				name = fmt.Sprintf("%s-%02d.csv", entity, i+1)
			}
			r, err := reg.Import(ctx, p, entity, name, bytes.NewReader(encodeCSV(part)), nil)
			if err != nil {
				return fmt.Errorf("demo: import %s: %w", name, importErr(err))
			}
			res.Rows += r.Rows
			res.Created += r.Created
			res.Updated += r.Updated
			res.Unchanged += r.Unchanged
		}
		progress(fmt.Sprintf("%s: %d rreshta — %d të rinj, %d të ndryshuar, %d të pandryshuar (%.1fs)",
			label(entity), res.Rows, res.Created, res.Updated, res.Unchanged, start.Elapsed().Seconds()))
	}
	return nil
}

// PartRows is the most data rows of one file the demo imports.
const PartRows = 100_000

// parts cuts the table of an entity into tables of at most PartRows data
// rows, each with the header; the rooms of one venue stay in one part.
func (d *Dataset) parts(entity string) [][][]string {
	t := d.Table(entity)
	if len(t) <= PartRows+1 {
		return [][][]string{t}
	}
	header, rows := t[0], t[1:]
	var out [][][]string
	for len(rows) > 0 {
		n := min(PartRows, len(rows))
		if entity == "venues" {
			for n < len(rows) && n > 1 && rows[n][0] == rows[n-1][0] {
				n--
			}
		}
		out = append(out, append([][]string{header}, rows[:n]...))
		rows = rows[n:]
	}
	return out
}

func encodeCSV(t [][]string) []byte {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.WriteAll(t) // writes to memory: cannot fail
	return buf.Bytes()
}

// importErr adds the first bad rows of an import to its error: a refused
// row of generated data is a bug in the generator.
func importErr(err error) error {
	var ie *registry.ImportError
	if !errors.As(err, &ie) {
		return err
	}
	var rows []string
	for i, r := range ie.Rows {
		if i == 5 {
			rows = append(rows, fmt.Sprintf("… (%d more)", len(ie.Rows)-i))
			break
		}
		rows = append(rows, r.String())
	}
	return fmt.Errorf("%w %s", err, strings.Join(rows, " "))
}

// label is the Albanian name of an entity.
func label(entity string) string {
	for _, e := range registry.Entities {
		if e.Key == entity {
			return e.Label
		}
	}
	return entity
}
