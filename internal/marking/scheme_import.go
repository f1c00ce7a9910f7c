package marking

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"reflect"
	"strings"
	"unicode/utf8"

	"provim/internal/apperr"
	"provim/internal/auth"
	"provim/internal/fold"
	"provim/internal/registry"
)

// A test imported from a file (docs/scheme-format.md): JSON, as the API
// takes it, or XLSX (or CSV) with one row per item and, under an open
// item, one row per level of its scheme. Every error is named with its
// line or row; nothing is saved unless the whole file is right.

// MaxSchemeFile is the largest test file read: 1 MiB, far more than a
// test of MaxItems items takes. A larger one is refused unread.
const MaxSchemeFile = 1 << 20

// ImportTest reads a test from a file, by its extension (.json, .xlsx,
// .csv), and saves it as SaveTest does.
func (s *Service) ImportTest(ctx context.Context, by *auth.Principal, year int, exam, filename string, r io.Reader) (Test, error) {
	if err := mayManageTests(by); err != nil {
		return Test{}, err
	}
	data, err := io.ReadAll(io.LimitReader(r, MaxSchemeFile+1))
	if err != nil {
		return Test{}, fmt.Errorf("marking: read test file: %w", err)
	}
	if len(data) > MaxSchemeFile {
		return Test{}, apperr.New(registry.TooLarge, "Skedari i testit është më i madh se %d KiB: një test me %d kërkesa zë shumë më pak. Kontrolloni që keni zgjedhur skedarin e duhur.", MaxSchemeFile>>10, MaxItems)
	}
	var in TestInput
	var o testOrigin
	switch strings.ToLower(filepath.Ext(filename)) {
	case ".json":
		in, o, err = readTestJSON(data)
	case ".xlsx", ".csv":
		var header []string
		var rows []registry.Row
		header, rows, err = registry.ReadTable(filename, bytes.NewReader(data))
		if err == nil {
			in, o, err = readTestTable(header, rows)
		}
	default:
		err = apperr.New(apperr.Invalid, "Skedari «%s» nuk është JSON, XLSX ose CSV: testi importohet nga një skedar i formatit të përshkruar në docs/scheme-format.md.", schemeQuote(filepath.Base(filename)))
	}
	if err != nil {
		return Test{}, err
	}
	return s.saveTest(ctx, by, year, exam, in, o)
}

// SaveTestForm saves a test typed in the page's form: the title and one
// row per item (blank rows are left out).
func (s *Service) SaveTestForm(ctx context.Context, by *auth.Principal, year int, exam, title string, rows []TestRow) (Test, error) {
	in := TestInput{Title: title}
	var o testOrigin
	for n, r := range rows {
		if r.blank() {
			continue
		}
		i := len(in.Items)
		o.at = append(o.at, "")
		if i != n {
			o.at[i] = fmt.Sprintf("rreshti %d i formularit", n+1)
		}
		in.Items = append(in.Items, readTestRow(&o, i, r))
	}
	return s.saveTest(ctx, by, year, exam, in, o)
}

// readTestJSON reads {"title": …, "exam": …, "items": [{…}, …]}, naming
// the line of each item. A value of the wrong type or an unknown field
// refuses its item and the reading goes on; broken JSON stops it.
func readTestJSON(data []byte) (TestInput, testOrigin, error) {
	var in TestInput
	var o testOrigin
	if !utf8.Valid(data) {
		return in, o, apperr.New(apperr.Invalid, "Skedari JSON nuk është në UTF-8.")
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	broken := func(off int64, err error) error {
		return apperr.New(apperr.Invalid, "Skedari JSON nuk lexohet, rreshti %d: %s", jsonLineAt(data, off), jsonProblem(err))
	}
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return in, o, apperr.New(apperr.Invalid, "Skedari JSON duhet të jetë një objekt {\"title\": …, \"items\": […]} (shihni docs/scheme-format.md).")
	}
	seen := map[string]bool{}
	for dec.More() {
		off := dec.InputOffset()
		tok, err := dec.Token()
		if err != nil {
			return in, o, broken(off, err)
		}
		key, _ := tok.(string)
		if seen[key] {
			o.fail("Rreshti %d: fusha «%s» jepet dy herë.", jsonLineAt(data, off), schemeQuote(key))
		}
		seen[key] = true
		switch key {
		case "title", "exam":
			var v string
			if err := dec.Decode(&v); err != nil {
				if !jsonRecoverable(err) {
					return in, o, broken(off, err)
				}
				o.fail("Rreshti %d: fusha «%s» duhet të jetë tekst.", jsonLineAt(data, off), key)
			}
			if key == "title" {
				in.Title = v
			} else {
				in.Exam = v
			}
		case "items":
			if tok, err := dec.Token(); err != nil || tok != json.Delim('[') {
				return in, o, apperr.New(apperr.Invalid, "Skedari JSON, rreshti %d: «items» duhet të jetë listë kërkesash […].", jsonLineAt(data, off))
			}
			for dec.More() {
				if len(in.Items) >= MaxItems {
					return in, o, apperr.New(apperr.Invalid, "Skedari JSON ka më shumë se %d kërkesa, sa ka më së shumti një test.", MaxItems)
				}
				start := dec.InputOffset()
				i := len(in.Items)
				o.at = append(o.at, fmt.Sprintf("rreshti %d", jsonLineAt(data, start)))
				var it Item
				if err := dec.Decode(&it); err != nil {
					if !jsonRecoverable(err) {
						return in, o, broken(start, err)
					}
					o.refuse(i, "%s: %s", testItemName(i, schemeText(it.Label), &o), jsonProblem(err))
				}
				in.Items = append(in.Items, it)
			}
			if _, err := dec.Token(); err != nil {
				return in, o, broken(dec.InputOffset(), err)
			}
		default:
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return in, o, broken(off, err)
			}
			o.fail("Rreshti %d: fusha «%s» nuk njihet: një test ka «title», «items» dhe, po të doni, «exam».", jsonLineAt(data, off), schemeQuote(key))
		}
	}
	if _, err := dec.Token(); err != nil {
		return in, o, broken(dec.InputOffset(), err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return in, o, apperr.New(apperr.Invalid, "Skedari JSON, rreshti %d: pas objektit të testit ka të dhëna të tjera.", jsonLineAt(data, dec.InputOffset()))
	}
	return in, o, nil
}

// recoverable: a value of the wrong type or an unknown field (the value
// was read whole, the next can be read).
func jsonRecoverable(err error) bool {
	var te *json.UnmarshalTypeError
	return errors.As(err, &te) || strings.HasPrefix(err.Error(), "json: unknown field ")
}

// jsonProblem says in Albanian what is wrong in the JSON.
func jsonProblem(err error) string {
	var te *json.UnmarshalTypeError
	var se *json.SyntaxError
	switch {
	case errors.As(err, &te):
		want := "tjetër lloj vlere"
		switch te.Type.Kind() {
		case reflect.Int:
			want = "numër i plotë"
		case reflect.String:
			want = "tekst"
		case reflect.Slice:
			want = "listë […]"
		case reflect.Struct:
			want = "objekt {…}"
		}
		if te.Field == "" {
			return fmt.Sprintf("vlera duhet të jetë %s.", want)
		}
		return fmt.Sprintf("fusha «%s» duhet të jetë %s.", schemeQuote(te.Field), want)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		f := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return fmt.Sprintf("fusha «%s» nuk njihet: një kërkesë ka «label», «kind», «max_points», «options», «key» dhe «levels».", schemeQuote(f))
	case errors.As(err, &se):
		return "JSON i pavlefshëm (një presje, thonjëz ose kllapë mungon ose është e tepërt)."
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return "skedari mbaron para se të mbyllet objekti i testit."
	}
	return "JSON i pavlefshëm."
}

// lineAt is the line (from 1) of the first value at or after off.
func jsonLineAt(data []byte, off int64) int {
	pos := int(min(max(off, 0), int64(len(data))))
	for pos < len(data) && strings.IndexByte(" \t\r\n,:", data[pos]) >= 0 {
		pos++
	}
	return bytes.Count(data[:pos], []byte("\n")) + 1
}

// The columns of a test's table, by their folded names.
const (
	tcolLabel   = "kerkesa"
	tcolKind    = "lloji"
	tcolPoints  = "pike"
	tcolOptions = "alternativa"
	tcolKey     = "celesi"
	tcolLevel   = "niveli"
	tcolTitle   = "titulli"
)

var testColumns = map[string]string{
	"kerkesa": tcolLabel, "emertimi": tcolLabel, "label": tcolLabel,
	"lloji": tcolKind, "kind": tcolKind,
	"pike": tcolPoints, "piket": tcolPoints, "pike_max": tcolPoints, "max_points": tcolPoints, "points": tcolPoints,
	"alternativa": tcolOptions, "alternativat": tcolOptions, "options": tcolOptions,
	"celesi": tcolKey, "key": tcolKey,
	"niveli": tcolLevel, "nivelet": tcolLevel, "levels": tcolLevel, "pershkrimi": tcolLevel,
	"titulli": tcolTitle, "title": tcolTitle,
}

func testColumnOf(h string) string {
	k := strings.NewReplacer(" ", "_", "-", "_", ".", "").Replace(fold.Fold(strings.TrimSpace(h)))
	return testColumns[k]
}

// readTestTable reads a test's table: a row per item (kerkesa, lloji,
// pike, alternativa, celesi, niveli) and, under an open item, rows with
// kerkesa empty that add a level of its scheme (pike: the level's
// points, niveli: its description). titulli, on any row, is the title.
func readTestTable(header []string, rows []registry.Row) (TestInput, testOrigin, error) {
	var in TestInput
	var o testOrigin
	idx := map[string]int{}
	var problems []string
	for i, h := range header {
		c := testColumnOf(h)
		switch {
		case strings.TrimSpace(h) == "":
			continue
		case c == "":
			problems = append(problems, fmt.Sprintf("Rreshti 1: kolona «%s» nuk njihet (kolonat: kerkesa, lloji, pike, alternativa, celesi, niveli, titulli).", schemeQuote(h)))
			continue
		}
		if _, dup := idx[c]; dup {
			problems = append(problems, fmt.Sprintf("Rreshti 1: kolona «%s» jepet dy herë.", schemeQuote(h)))
		}
		idx[c] = i
	}
	for _, c := range []string{tcolLabel, tcolKind, tcolPoints} {
		if _, ok := idx[c]; !ok {
			problems = append(problems, fmt.Sprintf("Rreshti 1: mungon kolona «%s».", c))
		}
	}
	if len(problems) > 0 {
		return in, o, &apperr.Error{Code: apperr.Invalid, Message: "Rreshti i titujve të skedarit nuk është ai i një testi (shihni docs/scheme-format.md).", Details: problems}
	}
	var rowsOf [][2]int // the first and last row of each item
	titleRow := 0
	for _, r := range rows {
		if len(o.errs) >= 5*maxTestErrors {
			o.fail("Leximi i skedarit u ndal në rreshtin %d: ka shumë gabime.", r.Line)
			break
		}
		cell := func(c string) string {
			if i, ok := idx[c]; ok && i < len(r.Cells) {
				return strings.TrimSpace(r.Cells[i])
			}
			return ""
		}
		if t := cell(tcolTitle); t != "" {
			if in.Title == "" {
				in.Title, titleRow = t, r.Line
			} else if schemeText(t) != schemeText(in.Title) {
				o.fail("Rreshti %d: titulli «%s» nuk është ai i rreshtit %d: testi ka një titull.", r.Line, schemeQuote(t), titleRow)
			}
		}
		row := TestRow{Label: cell(tcolLabel), Kind: cell(tcolKind), MaxPoints: cell(tcolPoints), Options: cell(tcolOptions), Key: cell(tcolKey), Levels: cell(tcolLevel)}
		if row.Label != "" {
			if len(in.Items) >= MaxItems {
				return in, o, apperr.New(apperr.Invalid, "Skedari ka më shumë se %d kërkesa, sa ka më së shumti një test (rreshti %d).", MaxItems, r.Line)
			}
			i := len(in.Items)
			o.at = append(o.at, fmt.Sprintf("rreshti %d", r.Line))
			rowsOf = append(rowsOf, [2]int{r.Line, r.Line})
			in.Items = append(in.Items, readTestRow(&o, i, row))
			continue
		}
		if row.blank() {
			continue // a row with the title only
		}
		// A level of the item above.
		i := len(in.Items) - 1
		if i < 0 {
			o.fail("Rreshti %d: një nivel pa kërkesë sipër tij: shkruani emërtimin e kërkesës në kolonën «kerkesa».", r.Line)
			continue
		}
		rowsOf[i][1] = r.Line
		o.at[i] = fmt.Sprintf("rreshtat %d–%d", rowsOf[i][0], r.Line)
		name := testItemName(i, schemeText(in.Items[i].Label), &o)
		if row.Kind != "" || row.Options != "" || row.Key != "" {
			o.refuse(i, "%s, rreshti %d: rreshti i një niveli ka vetëm «pike» dhe «niveli»; lloji, alternativat dhe çelësi shkruhen në rreshtin e kërkesës.", name, r.Line)
			continue
		}
		p, ok := schemeInt(row.MaxPoints)
		if !ok {
			o.refuse(i, "%s, rreshti %d: pikët e nivelit «%s» nuk janë numër i plotë.", name, r.Line, schemeQuote(row.MaxPoints))
			continue
		}
		if len(in.Items[i].Levels) >= MaxLevels {
			o.refuse(i, "%s, rreshti %d: më shumë se %d nivele.", name, r.Line, MaxLevels)
			continue
		}
		in.Items[i].Levels = append(in.Items[i].Levels, Level{Points: p, Text: row.Levels})
	}
	o.untitled = in.Title == ""
	return in, o, nil
}
