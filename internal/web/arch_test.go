package web

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// webSources parses every non-test Go file of the web packages.
func webSources(t *testing.T) (*token.FileSet, map[string]*ast.File) {
	t.Helper()
	fset := token.NewFileSet()
	files := map[string]*ast.File{}
	filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		files[path] = f
		return nil
	})
	return fset, files
}

// TestRouteTablesHaveNoClosures: a route maps a pattern to a handler
// method (wrapped by the kit), never to a function written in the table.
func TestRouteTablesHaveNoClosures(t *testing.T) {
	t.Parallel()
	fset, files := webSources(t)
	for _, f := range files {
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok || (sel.Sel.Name != "HandleFunc" && sel.Sel.Name != "Handle") {
				return true
			}
			for _, arg := range call.Args[1:] {
				ast.Inspect(arg, func(n ast.Node) bool {
					if lit, ok := n.(*ast.FuncLit); ok {
						t.Errorf("%s: a closure in a route table", fset.Position(lit.Pos()))
					}
					return true
				})
			}
			return true
		})
	}
}

// TestWebComparesNoRoles: the web layer asks the domains what a caller may
// do (application.LateAllowedOnSchoolStep, draw.MayRun, …); it never
// compares a role, nor lists the roles allowed (auth.Require), nor names
// one of auth's roles at all (auth.RoleKMSH handed to a domain function
// is the comparison made one call later), in Go or in a template. No web
// code needs a role constant today; one that does would need its reason
// here.
func TestWebComparesNoRoles(t *testing.T) {
	t.Parallel()
	fset, files := webSources(t)
	roles := roleConstants(t)
	// A principal's role (p.Role: the handlers' principal is always p)
	// or one of auth's roles (auth.RoleAVA …).
	isRole := func(e ast.Expr) bool {
		sel, ok := e.(*ast.SelectorExpr)
		if !ok {
			return false
		}
		x, ok := sel.X.(*ast.Ident)
		return ok && (x.Name == "p" && sel.Sel.Name == "Role" || x.Name == "auth" && strings.HasPrefix(sel.Sel.Name, "Role"))
	}
	for _, f := range files {
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.BinaryExpr:
				if (n.Op == token.EQL || n.Op == token.NEQ) && (isRole(n.X) || isRole(n.Y)) {
					t.Errorf("%s: a role comparison in web", fset.Position(n.Pos()))
				}
			case *ast.SwitchStmt:
				if n.Tag != nil && isRole(n.Tag) {
					t.Errorf("%s: a switch on a role in web", fset.Position(n.Pos()))
				}
			case *ast.IndexExpr:
				if isRole(n.Index) {
					t.Errorf("%s: a table looked up by role in web", fset.Position(n.Pos()))
				}
			case *ast.SelectorExpr:
				if x, ok := n.X.(*ast.Ident); ok && x.Name == "auth" && roles[n.Sel.Name] {
					t.Errorf("%s: auth.%s in web: ask the domain's may (a predicate per desk or role)", fset.Position(n.Pos()), n.Sel.Name)
				}
			case *ast.CallExpr:
				// auth.Require(p) alone is the refusal webkit.Allow answers.
				if sel, ok := n.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "Require" && len(n.Args) > 1 {
					if pkg, ok := sel.X.(*ast.Ident); ok && pkg.Name == "auth" {
						t.Errorf("%s: auth.Require with roles in web: ask the domain's may", fset.Position(n.Pos()))
					}
				}
			}
			return true
		})
	}
	roleInTemplate := regexp.MustCompile(`\b(eq|ne)\b.*\.P\.Role\b|\bhas\s+\$?\.P\b`)
	filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || !strings.HasSuffix(path, ".html") {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(b), "\n") {
			for _, m := range regexp.MustCompile(`{{[^}]*}}`).FindAllString(line, -1) {
				if roleInTemplate.MatchString(m) {
					t.Errorf("%s:%d: a role compared in a template: %s", path, i+1, m)
				}
			}
		}
		return nil
	})
}

// roleConstants are the names of auth's role constants (RoleAVA …), read
// from package auth's source, so a role added there is covered here.
func roleConstants(t *testing.T) map[string]bool {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join("..", "auth", "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	fset := token.NewFileSet()
	for _, path := range paths {
		if strings.HasSuffix(path, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			gd, ok := d.(*ast.GenDecl)
			if !ok || gd.Tok != token.CONST {
				continue
			}
			role := false // a spec without type or value repeats the one before
			for _, spec := range gd.Specs {
				vs := spec.(*ast.ValueSpec)
				if vs.Type != nil || len(vs.Values) > 0 {
					id, ok := vs.Type.(*ast.Ident)
					role = ok && id.Name == "Role"
				}
				for _, name := range vs.Names {
					if role {
						out[name.Name] = true
					}
				}
			}
		}
	}
	if !out["RoleAVA"] || !out["RoleKSHMSH"] {
		t.Fatalf("auth's role constants not found in ../auth: %v", out)
	}
	return out
}
