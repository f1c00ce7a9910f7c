package marking

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// readsOfOthers is everything package marking may use of the packages
// that know who the candidates are: the codes used and the room each
// was written in (anonym), the schools of a room (venue), the staff
// registry and its file readers (registry). Nothing here returns a
// candidate; adding a use means adding it here, in review.
var readsOfOthers = map[string]bool{
	"anonym.Display": true, "anonym.NewCode": true, "anonym.Normalize": true, "anonym.Service": true,
	"anonym.UsedCodes": true, "anonym.CodeTaken": true,
	"venue.Service": true, "venue.RoomSchools": true,
	"registry.Page": true, "registry.ParseNID": true, "registry.ReadTable": true, "registry.Row": true, "registry.Service": true,
	"registry.Staff": true, "registry.StaffFilter": true, "registry.TooLarge": true, "registry.ListStaff": true, "registry.StaffForMarking": true,
}

// TestMarkingNeverReadsACandidatesIdentity: marking reads of anonym,
// venue and registry only what readsOfOthers lists — never the opened
// link (anonym.StudentOfCode, OpenedLinks), a student or the plan's
// seats. With internal/archtest (marking's SQL names only marking
// tables) this keeps candidates' identities out of marking (issue 14).
func TestMarkingNeverReadsACandidatesIdentity(t *testing.T) {
	t.Parallel()
	files, _ := filepath.Glob("*.go")
	fields := map[string]string{"anonym": "anonym", "registry": "registry", "venues": "venue"}
	var bad []string
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		file, err := parser.ParseFile(token.NewFileSet(), f, src, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(file, func(n ast.Node) bool {
			sel, ok := n.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			var pkg string
			switch x := sel.X.(type) {
			case *ast.Ident: // anonym.Display
				if x.Name == "anonym" || x.Name == "registry" || x.Name == "venue" {
					pkg = x.Name
				}
			case *ast.SelectorExpr: // s.anonym.UsedCodes
				if id, ok := x.X.(*ast.Ident); ok && id.Name == "s" {
					pkg = fields[x.Sel.Name]
				}
			}
			if pkg != "" && !readsOfOthers[pkg+"."+sel.Sel.Name] {
				bad = append(bad, f+": "+pkg+"."+sel.Sel.Name)
			}
			return true
		})
	}
	sort.Strings(bad)
	for _, b := range bad {
		t.Errorf("marking uses %s, which is not among the reads that reveal no candidate", b)
	}
}
