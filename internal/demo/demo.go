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
		res, err := reg.Import(ctx, p, entity, entity+".csv", bytes.NewReader(d.CSV(entity)), nil)
		if err != nil {
			return fmt.Errorf("demo: import %s: %w", entity, importErr(err))
		}
		progress(fmt.Sprintf("%s: %d rreshta — %d të rinj, %d të ndryshuar, %d të pandryshuar (%.1fs)",
			label(entity), res.Rows, res.Created, res.Updated, res.Unchanged, start.Elapsed().Seconds()))
	}
	return nil
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
