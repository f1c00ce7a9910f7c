// Package doc holds provim's documents as values and turns them into files.
//
// A domain returns a document value — table T, the venue and room lists,
// the draw protocol, the custody procesverbal are all a Table — and knows
// nothing of file formats. Each format is an encoder in a sub-package
// (doc/pdf, doc/xlsx, doc/csv); Encode picks one by name, so a route that
// serves a document asks for the format once and never sends half a file.
package doc

import (
	"bytes"
	"io"

	"provim/internal/apperr"
	"provim/internal/doc/csv"
	"provim/internal/doc/internal/value"
	"provim/internal/doc/pdf"
	"provim/internal/doc/xlsx"
)

// The value types are declared in doc/internal/value, below the encoders
// that take them, and are the same types under these names.
type (
	// Table is a document made of a heading block and one table.
	Table = value.Table
	// Column is one column of a Table.
	Column = value.Column
)

// EmptyText is printed in place of the rows of a table without rows.
const EmptyText = value.EmptyText

// The formats Encode knows.
const (
	PDF  = "pdf"
	XLSX = "xlsx"
	CSV  = "csv"
)

// Formats lists the formats Encode knows, in the order offered to people.
var Formats = []string{PDF, XLSX, CSV}

var encoders = map[string]struct {
	write       func(io.Writer, value.Table) error
	contentType string
}{
	PDF:  {pdf.WriteTable, pdf.ContentType},
	XLSX: {xlsx.WriteTable, xlsx.ContentType},
	CSV:  {csv.WriteTable, csv.ContentType},
}

// Encode renders t as a file of format "pdf", "xlsx" or "csv", whole in
// memory, and returns its bytes and media type. An unknown format is an
// apperr.Invalid error in Albanian; an error of the encoder (a malformed
// table) is a programming error.
func Encode(format string, t Table) (body []byte, contentType string, err error) {
	e, ok := encoders[format]
	if !ok {
		return nil, "", apperr.New(apperr.Invalid, "Formati «%s» nuk njihet: pdf, xlsx ose csv.", format)
	}
	var b bytes.Buffer
	if err := e.write(&b, t); err != nil {
		return nil, "", err
	}
	return b.Bytes(), e.contentType, nil
}

// Known reports whether Encode knows format.
func Known(format string) bool {
	_, ok := encoders[format]
	return ok
}

// FileName is the download name of a document: base and the format as the
// extension ("tabela-T-A-1-2027" and "pdf" give "tabela-T-A-1-2027.pdf").
func FileName(base, format string) string { return base + "." + format }
