package registry

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"provim/internal/apperr"
	"provim/internal/auth"
)

// Entities that can be imported, with their Albanian names.
var Entities = []struct{ Key, Label string }{
	{"units", "DAR/ZA"},
	{"schools", "Shkollat"},
	{"students", "Nxënësit"},
	{"staff", "Personeli"},
	{"venues", "Qendrat e provimit dhe sallat"},
}

// importRoles are the roles that may import each entity (each row is then
// checked against the caller's scope). They match the single-record saves:
// only AVA registers DAR/ZA, school commissions register no schools or venues.
var importRoles = map[string][]auth.Role{
	"units":    {auth.RoleAVA},
	"schools":  {auth.RoleAVA, auth.RoleKMSH},
	"students": {auth.RoleAVA, auth.RoleKMSH, auth.RoleKSHMSH},
	"staff":    {auth.RoleAVA, auth.RoleKMSH, auth.RoleKSHMSH},
	"venues":   {auth.RoleAVA, auth.RoleKMSH},
}

// KnownEntity returns nil for an entity that can be imported and a
// not_found error otherwise, with the one message the import and its
// template share.
func KnownEntity(entity string) error {
	if _, ok := columns[entity]; !ok {
		return apperr.New(apperr.NotFound, "Lloji i të dhënave «%s» nuk njihet (%s).", entity, strings.Join(entityKeys(), ", "))
	}
	return nil
}

func entityKeys() []string {
	var ks []string
	for _, e := range Entities {
		ks = append(ks, e.Key)
	}
	return ks
}

// column is one column of an import file: its canonical header, other
// accepted headers, and whether it must be present.
type column struct {
	name     string
	aliases  []string
	required bool
}

var columns = map[string][]column{
	"units": {
		{"kodi", nil, true}, {"emri", nil, true}, {"lloji", nil, true},
		{"kodi_prind", []string{"prind", "dar"}, false}, {"qyteti", nil, true},
	},
	"schools": {
		{"kodi", []string{"kodi_shkolles"}, true}, {"emri", []string{"emri_shkolles"}, true},
		{"kodi_dar_za", []string{"dar_za", "njesia"}, true}, {"qyteti", nil, true},
		{"publike", nil, true}, {"profili", nil, true}, {"vite", []string{"kohezgjatja"}, true}, {"adresa", nil, false},
	},
	"students": {
		{"nr_personal", []string{"numri_personal", "nid"}, true}, {"emri", nil, true}, {"atesia", nil, true},
		{"mbiemri", nil, true}, {"gjinia", nil, false}, {"datelindja", []string{"data_e_lindjes"}, true},
		{"kodi_shkolles", []string{"shkolla"}, true}, {"klasa", nil, false},
		{"nota_mesatare", []string{"mesatarja"}, false}, {"kategoria", nil, false}, {"telefoni", nil, false},
	},
	"staff": {
		{"nr_personal", []string{"numri_personal", "nid"}, true}, {"emri", nil, true}, {"atesia", nil, true},
		{"mbiemri", nil, true}, {"gjinia", nil, false}, {"kodi_dar_za", []string{"dar_za"}, false},
		{"kodi_shkolles", []string{"shkolla"}, false}, {"pozicioni", nil, true}, {"lendet", nil, false}, {"telefoni", nil, false},
	},
	"venues": {
		{"kodi_qendres", nil, true}, {"emri_qendres", nil, true}, {"kodi_dar_za", []string{"dar_za"}, false},
		{"kodi_shkolles", nil, false}, {"qyteti", nil, true}, {"adresa", nil, false}, {"kate", nil, false},
		{"salla", nil, true}, {"kati", nil, false}, {"vende", nil, true}, {"gjatesia_cm", nil, false}, {"gjeresia_cm", nil, false},
	},
}

// examples are one row of each entity's template, by column: a real-looking
// record in the form the import reads, so that a user sees what each
// column takes. The import refuses the row itself (isExample), so a
// template uploaded unchanged registers nothing invented.
var examples = map[string]map[string]string{
	"units": {"kodi": "DAR-SH", "emri": "Drejtoria Arsimore Rajonale Shkodër", "lloji": "DAR", "qyteti": "Shkodër"},
	"schools": {"kodi": "SH-001", "emri": "Gjimnazi «Jordan Misja»", "kodi_dar_za": "DAR-SH", "qyteti": "Shkodër",
		"publike": "po", "profili": "gjimnaz", "vite": "4", "adresa": "Rruga 13 Dhjetori"},
	"students": {"nr_personal": MakeNID(time.Date(2009, 3, 14, 0, 0, 0, 0, time.UTC), "F", 1), "emri": "Arbëreshë", "atesia": "Gëzim",
		"mbiemri": "Çela", "gjinia": "F", "datelindja": "14.03.2009", "kodi_shkolles": "SH-001", "klasa": "12A",
		"nota_mesatare": "8.75", "kategoria": "maturant", "telefoni": "0691234567"},
	"staff": {"nr_personal": MakeNID(time.Date(1985, 11, 2, 0, 0, 0, 0, time.UTC), "M", 2), "emri": "Ilir", "atesia": "Besnik",
		"mbiemri": "Dervishi", "gjinia": "M", "kodi_dar_za": "DAR-SH", "kodi_shkolles": "SH-001", "pozicioni": "mesues",
		"lendet": "MAT", "telefoni": "0681234567"},
	"venues": {"kodi_qendres": "Q-SH-001", "emri_qendres": "Gjimnazi «Jordan Misja»", "kodi_dar_za": "DAR-SH",
		"kodi_shkolles": "SH-001", "qyteti": "Shkodër", "adresa": "Rruga 13 Dhjetori", "kate": "2", "salla": "Salla 1",
		"kati": "0", "vende": "24", "gjatesia_cm": "800", "gjeresia_cm": "600"},
}

// Template is an entity's import template: the header and one example
// row (examples), or nil for an entity that is not imported.
func Template(entity string) [][]string {
	h := Header(entity)
	if h == nil {
		return nil
	}
	row := make([]string, len(h))
	for i, name := range h {
		row[i] = examples[entity][name]
	}
	return [][]string{h, row}
}

// isExample reports whether a file's row is its template's example row,
// column for column.
func isExample(entity string, c *cells) bool {
	ex, ok := examples[entity]
	if !ok {
		return false
	}
	for _, col := range columns[entity] {
		if c.get(col.name) != ex[col.name] {
			return false
		}
	}
	return true
}

// EntitiesFor are the entities p may import (importRoles), in Entities'
// order: the import page offers no other.
func EntitiesFor(p *auth.Principal) []struct{ Key, Label string } {
	var out []struct{ Key, Label string }
	for _, e := range Entities {
		if p != nil && slices.Contains(importRoles[e.Key], p.Role) {
			out = append(out, e)
		}
	}
	return out
}

// Header returns the canonical header of an entity's import file.
func Header(entity string) []string {
	var h []string
	for _, c := range columns[entity] {
		h = append(h, c.name)
	}
	return h
}

// normHeader folds a header cell: lower case, ë→e, ç→c, spaces to _.
func normHeader(s string) string {
	s = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(NFC(s), "\ufeff")))
	r := strings.NewReplacer("ë", "e", "ç", "c", " ", "_", "-", "_", ".", "")
	return r.Replace(s)
}

// fields maps a header to column positions, or reports missing and unknown
// columns as an import error on line 1.
func fields(entity string, header []string) (map[string]int, error) {
	cols, ok := columns[entity]
	if !ok {
		return nil, KnownEntity(entity)
	}
	pos := map[string]int{}
	var reasons []string
	for i, h := range header {
		n := normHeader(h)
		if n == "" {
			continue
		}
		found := false
		for _, c := range cols {
			if n == c.name || contains(c.aliases, n) {
				if _, dup := pos[c.name]; dup {
					reasons = append(reasons, fmt.Sprintf("kolona «%s» shfaqet dy herë", quote(h)))
				}
				pos[c.name] = i
				found = true
			}
		}
		if !found {
			reasons = append(reasons, fmt.Sprintf("kolona «%s» nuk njihet", quote(strings.TrimSpace(h))))
		}
	}
	for _, c := range cols {
		if _, ok := pos[c.name]; !ok && c.required {
			reasons = append(reasons, fmt.Sprintf("mungon kolona «%s»", c.name))
		}
	}
	if len(reasons) > 0 {
		reasons = append(reasons, "kolonat e pritura: "+strings.Join(Header(entity), ", "))
		return nil, &ImportError{Rows: []RowError{{Line: 1, Reasons: reasons}}}
	}
	return pos, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// cells reads named cells of a row.
type cells struct {
	pos map[string]int
	row []string
	ps  problems
}

func (c *cells) get(name string) string {
	i, ok := c.pos[name]
	if !ok || i >= len(c.row) {
		return ""
	}
	return strings.TrimSpace(c.row[i])
}

func (c *cells) int(name string, def int) int {
	v := c.get(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		c.ps.addf("%s «%s» nuk është numër i plotë", name, quote(v))
	}
	return n
}

func (c *cells) bool(name string) bool {
	switch strings.ToLower(c.get(name)) {
	case "po", "1", "true", "yes", "p":
		return true
	case "jo", "0", "false", "no", "j":
		return false
	}
	c.ps.addf("%s «%s» duhet të jetë «po» ose «jo»", name, quote(c.get(name)))
	return false
}

// Import reads a CSV or XLSX file of an entity and imports it all or
// nothing. A bad file returns *ImportError listing every bad row; an
// unknown entity is not_found (see KnownEntity). Result.Entity is entity.
func (s *Service) Import(ctx context.Context, p *auth.Principal, entity, filename string, r io.Reader, progress Progress) (Result, error) {
	if err := canWrite(p); err != nil {
		return Result{}, err
	}
	if err := KnownEntity(entity); err != nil {
		return Result{}, err
	}
	if err := auth.Require(p, importRoles[entity]...); err != nil {
		return Result{}, err
	}
	header, rows, err := s.ReadTable(filename, r)
	if err != nil {
		return Result{}, err
	}
	pos, err := fields(entity, header)
	if err != nil {
		return Result{}, err
	}
	var res Result
	switch entity {
	case "units":
		recs := mapRows(entity, rows, pos, func(c *cells) Unit {
			return Unit{Code: c.get("kodi"), Name: c.get("emri"), Kind: c.get("lloji"), ParentCode: c.get("kodi_prind"), City: c.get("qyteti")}
		})
		res, err = importRecords(ctx, s, p, unitSpec, recs, progress)
	case "schools":
		recs := mapRows(entity, rows, pos, func(c *cells) School {
			return School{Code: c.get("kodi"), Name: c.get("emri"), UnitCode: c.get("kodi_dar_za"), City: c.get("qyteti"),
				Public: c.bool("publike"), Profile: c.get("profili"), Years: c.int("vite", 0), Address: c.get("adresa")}
		})
		res, err = importRecords(ctx, s, p, schoolSpec, recs, progress)
	case "students":
		recs := mapRows(entity, rows, pos, func(c *cells) Student {
			g, ok := parseGrade(c.get("nota_mesatare"))
			if !ok {
				c.ps.addf("nota mesatare «%s» nuk është numër", quote(c.get("nota_mesatare")))
			}
			return Student{PersonalNo: c.get("nr_personal"), FirstName: c.get("emri"), FatherName: c.get("atesia"), LastName: c.get("mbiemri"),
				Sex: c.get("gjinia"), BirthDate: c.get("datelindja"), SchoolCode: c.get("kodi_shkolles"), ClassName: c.get("klasa"),
				AverageGrade: g, Category: c.get("kategoria"), Phone: c.get("telefoni")}
		})
		// After the final lists a listed candidate's personal data change
		// only with a reason, on the student's page (Neni 36).
		if err = s.guardImportedStudents(ctx, p, recs); err == nil {
			res, err = importRecords(ctx, s, p, studentSpec, recs, progress)
		}
	case "staff":
		recs := mapRows(entity, rows, pos, func(c *cells) Staff {
			return Staff{PersonalNo: c.get("nr_personal"), FirstName: c.get("emri"), FatherName: c.get("atesia"), LastName: c.get("mbiemri"),
				Sex: c.get("gjinia"), UnitCode: c.get("kodi_dar_za"), SchoolCode: c.get("kodi_shkolles"), Position: c.get("pozicioni"),
				Subjects: c.get("lendet"), Phone: c.get("telefoni")}
		})
		res, err = importRecords(ctx, s, p, staffSpec, recs, progress)
	case "venues":
		recs := mapRows(entity, rows, pos, func(c *cells) venueRoom {
			v := Venue{Code: c.get("kodi_qendres"), Name: c.get("emri_qendres"), UnitCode: c.get("kodi_dar_za"), SchoolCode: c.get("kodi_shkolles"),
				City: c.get("qyteti"), Address: c.get("adresa"), Floors: c.int("kate", 1)}
			r := Room{Name: c.get("salla"), Floor: c.int("kati", 0), Seats: c.int("vende", 0), LengthCM: c.int("gjatesia_cm", 0), WidthCM: c.int("gjeresia_cm", 0)}
			return venueRoom{v, r}
		})
		// After the venue list a room's seats change only by AVA (Neni 41).
		if err = s.guardImportedRooms(ctx, p, recs); err == nil {
			res, err = importRecords(ctx, s, p, roomSpec, recs, progress)
		}
	}
	// A large load changes the tables' shape: refresh the planner's
	// statistics (store.DB.Analyze).
	if err == nil && res.Created+res.Updated > 1000 {
		err = s.analyze(ctx)
	}
	return res, err
}

// analyze refreshes the planner's statistics after a large load. Inside a
// caller's transaction it runs there: on the pool it would wait for the
// write lock that transaction holds on SQLite.
// Only the registry's tables are analyzed (store.DB.AnalyzeTables).
func (s *Service) analyze(ctx context.Context) error {
	if err := s.db.AnalyzeTables(ctx, "units", "schools", "students", "staff", "venues", "rooms"); err != nil {
		return fmt.Errorf("registry: %w", err)
	}
	return nil
}

// mapRows turns file rows into records; cell-format problems travel with
// the record so the user sees every reason for every row at once.
func mapRows[T any](entity string, rows []Row, pos map[string]int, f func(*cells) T) []record[T] {
	out := make([]record[T], 0, len(rows))
	for _, r := range rows {
		if blank(r.Cells) {
			continue
		}
		c := &cells{pos: pos, row: r.Cells}
		if isExample(entity, c) {
			c.ps.addf("është rreshti shembull i shabllonit: zëvendësojeni me të dhënat tuaja ose fshijeni")
		}
		v := f(c)
		out = append(out, record[T]{line: r.Line, val: v, pre: c.ps})
	}
	return out
}
