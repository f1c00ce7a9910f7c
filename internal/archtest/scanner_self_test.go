package archtest

import (
	"go/parser"
	"go/token"
	"strconv"
	"strings"
	"testing"
)

// The scanner finds tables after SQL keywords, in comma lists, across +
// chains and constants, and ignores prose and other packages' text.
func TestScanner(t *testing.T) {
	src := "package x\n" +
		"import \"provim/internal/registry\"\n" +
		"const cols = \"a.id, a.name\"\n" +
		"const from = \" FROM applications a JOIN students st ON st.id = a.student_id\"\n" + // line 4
		"const tbl = \"rooms\"\n" +
		"func f(q string) {\n" +
		"	_ = \"SELECT \" + cols + from + \" WHERE x\"\n" + // line 7: from's tables are reported at line 4
		"	_ = `SELECT 1\n" +
		"	       FROM venues v, exam_seats es\n" + // line 9
		"	      WHERE v.code IN (SELECT code FROM units)`\n" + // line 10
		"	_ = \"DELETE FROM \" + tbl\n" + // line 11
		"	_ = \"UPDATE \" + q + \" draws\"\n" + // a gap: not a table
		"	_ = \"SELECT * FROM applications a \" + registry.StudentJoin(\"a\") + registry.Fragment\n" + // line 13
		"	_ = \"Nxënësit nga shkolla; from users of the system\"\n" + // line 14: 'from users' in prose counts: it is SQL-shaped
		"	_ = \"Tabela e nxënësve (students) u përditësua\"\n" + // no keyword
		"	_ = \"INSERT INTO \\\"staff\\\" (id) VALUES (1)\"\n" + // line 16, quoted identifier
		"	_ = \"CREATE TABLE IF NOT EXISTS schema_migrations (v INT)\"\n" + // line 17
		"}\n"
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "x.go", src, parser.SkipObjectResolution)
	if err != nil {
		t.Fatal(err)
	}
	pf := &parsedFile{path: "internal/x/x.go", ast: f}
	known := constants(map[string][]*parsedFile{"internal/x": {pf}})["internal/x"]
	tables := map[string]bool{}
	for _, tb := range strings.Fields("applications students rooms venues exam_seats units draws users staff schema_migrations") {
		tables[tb] = true
	}
	var got []string
	for _, u := range sqlTables(fset, "internal/x", pf, known, tables) {
		got = append(got, u.table+":"+strconv.Itoa(u.line))
	}
	want := "applications:4 students:4 venues:9 exam_seats:9 units:10 rooms:11 applications:13 users:14 staff:16 schema_migrations:17"
	if strings.Join(got, " ") != want {
		t.Errorf("found %s\nwant  %s", strings.Join(got, " "), want)
	}
}
