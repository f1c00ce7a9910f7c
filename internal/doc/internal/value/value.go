// Package value holds the document value types of package doc.
//
// They live here, below doc and its encoders, so that doc can import the
// encoders (doc.Encode) while the encoders take the same types: doc
// re-exports every type as an alias (doc.Table = value.Table). Outside
// internal/doc, always spell them doc.Table, doc.Column.
package value

import "time"

// Table is a document made of a heading block and one table: table T, the
// venue and room lists, the draw protocol, the custody procesverbal … Every
// encoder (PDF, XLSX, CSV) renders the same value.
type Table struct {
	Title     string   // e.g. "Tabela T — Gjimnazi «Sami Frashëri»"
	Subtitle  []string // lines under the title (school, DAR/ZA, year, article …)
	Columns   []Column // header cells with relative widths and alignment
	Rows      [][]string
	Landscape bool
	Footer    []string  // lines after the table, e.g. "Kryetari i KSHMSH: ____________"
	Generated time.Time // printed (in Tirana time) in every PDF page footer; zero means now
}

// Column is one column of a Table.
type Column struct {
	Title string
	Width float64 // relative to the other columns; zero means 1
	Align string  // "L" (also ""), "C" or "R"; the header cell uses the same
}

// EmptyText is printed in place of the rows of a table without rows.
const EmptyText = "Nuk ka të dhëna."
