package registry

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"provim/internal/apperr"
)

// MaxFileSize is the largest import file ReadTable accepts: 64 MiB.
const MaxFileSize = 64 << 20

// TooLarge is the error code of a file (or request body) over its limit;
// the web layer answers it with 413.
const TooLarge = "too_large"

// ErrFileTooLarge is returned for a file over MaxFileSize. Such a file is
// refused whole, never read in part.
var ErrFileTooLarge = apperr.New(TooLarge, "Skedari është më i madh se %d MiB: ndajeni në disa skedarë më të vegjël dhe importojini me radhë.", MaxFileSize>>20)

// TableLimits bound what reading one file may cost. A file past a limit is
// refused whole with an Albanian message; none is read in part. A zero
// field means its default (DefaultTableLimits).
type TableLimits struct {
	MaxRows    int // data rows after the header (blank rows are not counted)
	MaxColumns int // columns of the header row
	// XLSX only. The parts of the file, unzipped, in all; a worksheet or
	// the shared strings larger than UnzipXMLSizeLimit is read from a
	// temporary file rather than memory (excelize's options of the same
	// names); the parts held in memory (every other one) may total
	// MaxInMemory; the shared strings, wherever they are read from,
	// MaxSharedStrings.
	UnzipSizeLimit    int64
	UnzipXMLSizeLimit int64
	MaxInMemory       int64
	MaxSharedStrings  int64
}

// DefaultTableLimits: 100,000 rows of at most 64 columns; an XLSX file of
// at most 256 MiB unzipped, of which at most 16 MiB is held in memory.
var DefaultTableLimits = TableLimits{
	MaxRows: 100_000, MaxColumns: 64,
	UnzipSizeLimit: 256 << 20, UnzipXMLSizeLimit: 1 << 20, MaxInMemory: 16 << 20, MaxSharedStrings: 8 << 20,
}

func (l TableLimits) orDefault() TableLimits {
	d := DefaultTableLimits
	if l.MaxRows <= 0 {
		l.MaxRows = d.MaxRows
	}
	if l.MaxColumns <= 0 {
		l.MaxColumns = d.MaxColumns
	}
	if l.UnzipSizeLimit <= 0 {
		l.UnzipSizeLimit = d.UnzipSizeLimit
	}
	if l.UnzipXMLSizeLimit <= 0 {
		l.UnzipXMLSizeLimit = min(d.UnzipXMLSizeLimit, l.UnzipSizeLimit)
	}
	if l.MaxInMemory <= 0 {
		l.MaxInMemory = d.MaxInMemory
	}
	if l.MaxSharedStrings <= 0 {
		l.MaxSharedStrings = d.MaxSharedStrings
	}
	return l
}

// Row is one data row of a file with its line number (the header is line 1).
type Row struct {
	Line  int
	Cells []string
}

// ReadTable reads a CSV (comma or semicolon separated, UTF-8, optional BOM)
// or XLSX file (first sheet) within DefaultTableLimits. The header is the
// first non-empty row; blank rows are left out; every cell is in NFC. A
// file over MaxFileSize is refused with ErrFileTooLarge.
func ReadTable(filename string, r io.Reader) ([]string, []Row, error) {
	return readTable(filename, r, DefaultTableLimits)
}

// ReadTable is ReadTable within the service's limits (SetLimits).
func (s *Service) ReadTable(filename string, r io.Reader) ([]string, []Row, error) {
	return readTable(filename, r, s.limits.Table)
}

func readTable(filename string, r io.Reader, lim TableLimits) ([]string, []Row, error) {
	lim = lim.orDefault()
	data, err := io.ReadAll(io.LimitReader(r, MaxFileSize+1))
	if err != nil {
		return nil, nil, fmt.Errorf("registry: read file: %w", err)
	}
	if len(data) > MaxFileSize {
		return nil, nil, ErrFileTooLarge
	}
	t := &table{lim: lim}
	switch strings.ToLower(filepath.Ext(filename)) {
	case ".xlsx":
		t.letters = true
		err = t.readXLSX(data)
	case ".csv", ".txt", "":
		err = t.readCSV(data)
	default:
		return nil, nil, apperr.New(apperr.Invalid, "Skedari «%s» nuk është CSV ose XLSX.", quote(filename))
	}
	if err != nil {
		return nil, nil, err
	}
	if t.header == nil {
		return nil, nil, apperr.New(apperr.Invalid, "Skedari është bosh: mungon rreshti i titujve.")
	}
	return t.header, t.rows, nil
}

// table collects the rows of a file as they are read, one at a time: only
// the cells under the header are kept.
type table struct {
	lim     TableLimits
	letters bool // name columns as XLSX does (A, B, …, XFD)
	header  []string
	rows    []Row
}

// add takes one row as read. cells is not kept.
func (t *table) add(line int, cells []string) error {
	// excelize pads a row up to its last cell, a formula without a value
	// included: a cell far right of every header is refused at once, so
	// that no more such rows are read.
	if t.letters && len(cells) > t.lim.MaxColumns && (t.header != nil || blank(cells)) {
		return apperr.New(apperr.Invalid, "Rreshti %d ka një qelizë në kolonën %s, larg përtej kolonave të tabelës (%s–%s): fshini qelizat jashtë tabelës dhe ngarkojeni përsëri.",
			line, t.column(len(cells)), t.column(1), t.column(max(len(t.header), 1)))
	}
	n := len(cells)
	for n > 0 && strings.TrimSpace(cells[n-1]) == "" {
		n--
	}
	if n == 0 {
		return nil // a blank row
	}
	if t.header == nil {
		if n > t.lim.MaxColumns {
			return apperr.New(TooLarge, "Rreshti i titujve (rreshti %d) ka %d kolona, më shumë se %d që lejohen: fshini kolonat e tepërta dhe ngarkojeni përsëri.",
				line, n, t.lim.MaxColumns)
		}
		t.header = normCells(cells[:n])
		return nil
	}
	if w := len(t.header); n > w {
		return apperr.New(apperr.Invalid, "Rreshti %d ka një vlerë në kolonën %s, përtej kolonave të rreshtit të titujve (%s–%s): fshini vlerat jashtë tabelës dhe ngarkojeni përsëri.",
			line, t.column(n), t.column(1), t.column(w))
	}
	if blank(cells[:n]) {
		return nil
	}
	if len(t.rows) >= t.lim.MaxRows {
		return apperr.New(TooLarge, "Skedari ka më shumë se %d rreshta të dhënash: ndajeni në disa skedarë dhe importojini me radhë.", t.lim.MaxRows)
	}
	t.rows = append(t.rows, Row{Line: line, Cells: normCells(cells[:n])})
	return nil
}

// column names the n-th column (from 1) as the file's program shows it.
func (t *table) column(n int) string {
	if t.letters {
		if name, err := excelize.ColumnNumberToName(n); err == nil {
			return name
		}
	}
	return strconv.Itoa(n)
}

// normCells copies cells in NFC into a slice of their own.
func normCells(cells []string) []string {
	out := make([]string, len(cells))
	for i, c := range cells {
		out[i] = NFC(c)
	}
	return out
}

func blank(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

func (t *table) readCSV(data []byte) error {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(data) {
		return apperr.New(apperr.Invalid, "Skedari CSV nuk është në kodimin UTF-8. Ruajeni si «CSV UTF-8» dhe provoni përsëri.")
	}
	first, _, _ := bytes.Cut(data, []byte("\n"))
	cr := csv.NewReader(bytes.NewReader(data))
	if bytes.Count(first, []byte(";")) > bytes.Count(first, []byte(",")) {
		cr.Comma = ';'
	}
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	cr.ReuseRecord = true
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		line, _ := cr.FieldPos(0)
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return apperr.New(apperr.Invalid, "Rreshti %d: skedari CSV është i dëmtuar (%v).", pe.Line, pe.Err)
			}
			return apperr.New(apperr.Invalid, "Skedari CSV nuk lexohet: %v.", err)
		}
		if err := t.add(line, rec); err != nil {
			return err
		}
	}
}

// tooBig is the answer to an XLSX file whose parts unzip past a limit.
var tooBig = apperr.New(TooLarge, "Skedari XLSX zë shumë më tepër hapësirë kur hapet se sa një tabelë e zakonshme: "+
	"ruajeni përsëri vetëm me fletën e të dhënave (ose si CSV UTF-8) dhe ngarkojeni përsëri.")

// checkParts refuses, before excelize unzips anything, an XLSX file whose
// parts would take more than the limits: the sizes come from the zip's
// directory, which archive/zip holds every part to while reading it.
func (t *table) checkParts(data []byte) error {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return apperr.New(apperr.Invalid, "Skedari nuk është XLSX i vlefshëm (ose është i mbrojtur me fjalëkalim): ruajeni si «Excel Workbook (.xlsx)» ose si CSV UTF-8.")
	}
	var total, inMemory uint64
	for _, f := range zr.File {
		size := f.UncompressedSize64
		total += size
		name := strings.ToLower(strings.ReplaceAll(f.Name, "\\", "/"))
		switch {
		case name == "xl/sharedstrings.xml":
			if size > uint64(t.lim.MaxSharedStrings) {
				return tooBig
			}
			if size <= uint64(t.lim.UnzipXMLSizeLimit) {
				inMemory += size
			}
		case strings.HasPrefix(name, "xl/worksheets/sheet") && size > uint64(t.lim.UnzipXMLSizeLimit):
			// read from a temporary file, row by row
		default:
			inMemory += size
		}
		if total > uint64(t.lim.UnzipSizeLimit) || inMemory > uint64(t.lim.MaxInMemory) {
			return tooBig
		}
	}
	return nil
}

func (t *table) readXLSX(data []byte) (err error) {
	if err := t.checkParts(data); err != nil {
		return err
	}
	// A malformed file must not take the request down with it.
	defer func() {
		if p := recover(); p != nil {
			err = apperr.New(apperr.Invalid, "Skedari XLSX nuk lexohet: është i dëmtuar. Ruajeni përsëri nga programi i tabelave ose si CSV UTF-8.")
		}
	}()
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{
		UnzipSizeLimit: t.lim.UnzipSizeLimit, UnzipXMLSizeLimit: t.lim.UnzipXMLSizeLimit})
	if err != nil {
		return apperr.New(apperr.Invalid, "Skedari XLSX nuk lexohet: %v.", err)
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return apperr.New(apperr.Invalid, "Skedari XLSX nuk ka asnjë fletë.")
	}
	// The rows stream from the sheet one at a time; each is cut to the
	// header's width before the next is read.
	sheet, err := f.Rows(sheets[0])
	if err != nil {
		return apperr.New(apperr.Invalid, "Fleta e parë e skedarit XLSX nuk lexohet: %v.", err)
	}
	defer sheet.Close()
	line := 0
	for sheet.Next() {
		line++
		cells, err := sheet.Columns()
		if err != nil {
			return apperr.New(apperr.Invalid, "Rreshti %d i skedarit XLSX nuk lexohet: %v.", line, err)
		}
		if err := t.add(line, cells); err != nil {
			return err
		}
	}
	if err := sheet.Error(); err != nil {
		return apperr.New(apperr.Invalid, "Fleta e parë e skedarit XLSX nuk lexohet: %v.", err)
	}
	return nil
}
