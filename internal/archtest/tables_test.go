package archtest

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
)

// tableOwner inverts owners.
func tableOwner() map[string]string {
	out := map[string]string{}
	for pkg, tables := range owners {
		for _, t := range tables {
			out[t] = pkg
		}
	}
	return out
}

// Every table the migrations create has exactly one owner, and the map
// names no table that does not exist (issue 8, item 5).
func TestEveryTableHasOneOwner(t *testing.T) {
	root, err := moduleRoot()
	if err != nil {
		t.Fatal(err)
	}
	created, err := migrationTables(root)
	if err != nil {
		t.Fatal(err)
	}
	if len(created) == 0 {
		t.Fatal("no migration folders found under internal/store/migrations")
	}
	count := map[string][]string{}
	for _, pkg := range sortedKeys(owners) {
		for _, tb := range owners[pkg] {
			count[tb] = append(count[tb], pkg)
		}
	}
	for tb, pkgs := range count {
		if len(pkgs) > 1 {
			t.Errorf("table %s has %d owners: %s", tb, len(pkgs), strings.Join(pkgs, ", "))
		}
	}
	all := map[string]bool{}
	for _, dialect := range sortedKeys(created) {
		for _, tb := range sortedKeys(created[dialect]) {
			all[tb] = true
			if count[tb] == nil {
				t.Errorf("table %s (created in internal/store/migrations/%s/%s) has no owner: add it to owners in internal/archtest/owners_test.go and to docs/architecture.md",
					tb, dialect, created[dialect][tb])
			}
		}
	}
	for _, tb := range createdOutsideMigrations {
		all[tb] = true
	}
	for _, tb := range sortedKeys(count) {
		if !all[tb] {
			t.Errorf("owners names table %s (of %s), which no migration creates", tb, strings.Join(count[tb], ", "))
		}
	}
	for pkg, tables := range mayName {
		for _, tb := range tables {
			if !all[tb] {
				t.Errorf("mayName lets %s name table %s, which no migration creates", pkg, tb)
			}
		}
	}
}

// SQL in a package's non-test source names only the tables the package
// owns (issue 8, item 5): another package's data is read through the
// owner's exported functions. The test reads every string literal and
// every + chain of literals and constants in internal/ and cmd/ and looks
// for known table names after FROM, JOIN, INTO, UPDATE, TABLE, REFERENCES
// and TRUNCATE. Text that comes from another package's constant or from a
// call (an owner's published join fragment) is not this package's SQL.
func TestPackagesNameOnlyTheirTables(t *testing.T) {
	root, err := moduleRoot()
	if err != nil {
		t.Fatal(err)
	}
	created, err := migrationTables(root)
	if err != nil {
		t.Fatal(err)
	}
	tables := map[string]bool{}
	for _, byName := range created {
		for tb := range byName {
			tables[tb] = true
		}
	}
	for _, tb := range createdOutsideMigrations {
		tables[tb] = true
	}
	pkgs, fset, err := goPackages(root, "internal", "cmd")
	if err != nil {
		t.Fatalf("parse the source: %v", err)
	}
	if len(pkgs) < 10 {
		t.Fatalf("found %d packages: wrong root %s?", len(pkgs), root)
	}
	consts := constants(pkgs)
	owner := tableOwner()

	type key struct{ pkg, table string }
	var violations []use
	perPkg := map[string]map[string]int{}
	for _, pkg := range sortedKeys(pkgs) {
		allowed := map[string]bool{}
		for _, tb := range owners[pkg] {
			allowed[tb] = true
		}
		for _, tb := range mayName[pkg] {
			allowed[tb] = true
		}
		for _, f := range pkgs[pkg] {
			for _, u := range sqlTables(fset, pkg, f, consts[pkg], tables) {
				if allowed[u.table] {
					continue
				}
				violations = append(violations, u)
				if perPkg[pkg] == nil {
					perPkg[pkg] = map[string]int{}
				}
				perPkg[pkg][u.table]++
			}
		}
	}
	sort.Slice(violations, func(i, j int) bool {
		a, b := violations[i], violations[j]
		if a.file != b.file {
			return a.file < b.file
		}
		return a.line < b.line
	})
	for _, u := range violations {
		who := owner[u.table]
		if who == "" {
			who = "no package"
		}
		t.Errorf("%s:%d: package %s names table %s, owned by %s", u.file, u.line, u.pkg, u.table, who)
	}
	if len(violations) > 0 {
		var b strings.Builder
		fmt.Fprintf(&b, "%d uses of foreign tables in %d packages; read them through the owner's exported functions (docs/architecture.md):\n", len(violations), len(perPkg))
		for _, pkg := range sortedKeys(perPkg) {
			var parts []string
			for _, tb := range sortedKeys(perPkg[pkg]) {
				parts = append(parts, fmt.Sprintf("%s×%d (%s)", tb, perPkg[pkg][tb], strings.TrimPrefix(owner[tb], "internal/")))
			}
			fmt.Fprintf(&b, "  %-24s %s\n", pkg, strings.Join(parts, ", "))
		}
		t.Error(b.String())
	}
}

// The map above is the one docs/architecture.md shows.
func TestOwnershipMapMatchesDocs(t *testing.T) {
	root, err := moduleRoot()
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(root, "docs", "architecture.md"))
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	start := strings.Index(doc, "## Who owns which table")
	if start < 0 {
		t.Fatal(`docs/architecture.md has no "## Who owns which table" section`)
	}
	section := doc[start+1:]
	if end := strings.Index(section, "\n## "); end >= 0 {
		section = section[:end]
	}
	row := regexp.MustCompile(`(?m)^\|\s*([a-z][a-z0-9_/]*)\s*\|\s*([a-z0-9_, ]+?)\s*\|\s*$`)
	documented := map[string][]string{}
	for _, m := range row.FindAllStringSubmatch(section, -1) {
		if m[1] == "package" {
			continue
		}
		var tables []string
		for _, tb := range strings.Split(m[2], ",") {
			tables = append(tables, strings.TrimSpace(tb))
		}
		documented["internal/"+m[1]] = tables
	}
	if len(documented) == 0 {
		t.Fatal("no rows read from the ownership table of docs/architecture.md")
	}
	for _, pkg := range sortedKeys(owners) {
		a, b := slices.Sorted(slices.Values(owners[pkg])), slices.Sorted(slices.Values(documented[pkg]))
		if !slices.Equal(a, b) {
			t.Errorf("%s: owners has %v, docs/architecture.md has %v", pkg, a, b)
		}
	}
	for _, pkg := range sortedKeys(documented) {
		if owners[pkg] == nil {
			t.Errorf("docs/architecture.md lists %s, which owners lacks", pkg)
		}
	}
}
