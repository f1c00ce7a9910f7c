// Package pdf is a compatibility layer kept while the packages that
// import it move to provim/internal/doc: the document values are
// doc.Table and doc.Column, and the PDF encoder is doc/pdf (or
// doc.Encode("pdf", t)). Remove this package when nothing imports it.
package pdf

import (
	"io"

	"provim/internal/doc"
	docpdf "provim/internal/doc/pdf"
)

// Table is doc.Table.
type Table = doc.Table

// Column is doc.Column.
type Column = doc.Column

// EmptyText is doc.EmptyText.
const EmptyText = doc.EmptyText

// WriteTable renders t as a PDF to w (doc/pdf.WriteTable).
func WriteTable(w io.Writer, t Table) error { return docpdf.WriteTable(w, t) }
