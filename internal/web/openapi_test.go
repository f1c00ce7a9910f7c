package web

import (
	"bufio"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// specFile is the API description, relative to this package.
const specFile = "../../api/openapi.yaml"

// TestOpenAPICoversEveryRoute checks that api/openapi.yaml documents
// exactly the routes the server registers under /api/: every "METHOD
// /path" of a mux.HandleFunc call in the source of this package and of
// every web package below it (the areas), and no other.
func TestOpenAPICoversEveryRoute(t *testing.T) {
	t.Parallel()
	spec, err := specOperations(specFile)
	if err != nil {
		t.Fatal(err)
	}
	routes, err := registeredAPIRoutes(".")
	if err != nil {
		t.Fatal(err)
	}
	if len(routes) == 0 {
		t.Fatal("found no /api/ route in the web packages' source: has the registration changed shape?")
	}
	if len(spec) == 0 {
		t.Fatalf("found no operation under paths: in %s", specFile)
	}
	var missing, extra []string
	for op := range routes {
		if !spec[op] {
			missing = append(missing, op)
		}
	}
	for op := range spec {
		if !routes[op] {
			extra = append(extra, op)
		}
	}
	slices.Sort(missing)
	slices.Sort(extra)
	if len(missing) > 0 {
		t.Errorf("routes the server registers but %s does not document:\n\t%s", specFile, strings.Join(missing, "\n\t"))
	}
	if len(extra) > 0 {
		t.Errorf("operations in %s that the server does not register:\n\t%s", specFile, strings.Join(extra, "\n\t"))
	}
	t.Logf("%d operations documented, %d routes registered", len(spec), len(routes))
}

var (
	specPathRE   = regexp.MustCompile(`^  (/[^\s:]*):\s*(#.*)?$`)
	specMethodRE = regexp.MustCompile(`^    (get|put|post|delete|patch|head|options|trace):\s*(#.*)?$`)
)

// specOperations reads the "METHOD /path" operations of an OpenAPI file
// with a line-based parse of its paths: section (path keys indented by two
// spaces, operation keys by four), which is all this needs.
func specOperations(name string) (map[string]bool, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	ops := map[string]bool{}
	inPaths := false
	path := ""
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimRight(sc.Text(), " \t\r")
		if line == "" || strings.HasPrefix(strings.TrimSpace(line), "#") {
			continue
		}
		if line[0] != ' ' { // a top-level key
			inPaths = line == "paths:"
			path = ""
			continue
		}
		if !inPaths {
			continue
		}
		if m := specPathRE.FindStringSubmatch(line); m != nil {
			path = m[1]
			continue
		}
		if m := specMethodRE.FindStringSubmatch(line); m != nil {
			if path == "" {
				return nil, &lineError{name, n, "operation outside a path"}
			}
			op := strings.ToUpper(m[1]) + " " + path
			if ops[op] {
				return nil, &lineError{name, n, "duplicate operation " + op}
			}
			ops[op] = true
		}
	}
	return ops, sc.Err()
}

type lineError struct {
	file string
	line int
	msg  string
}

func (e *lineError) Error() string { return e.file + ":" + strconv.Itoa(e.line) + ": " + e.msg }

// registeredAPIRoutes parses the Go files (tests excluded) of dir and of
// every package below it and returns the pattern of every HandleFunc or
// Handle call whose path starts with /api/, as "METHOD /path". A pattern
// without a method is reported as an error: the API documents each method
// separately.
func registeredAPIRoutes(dir string) (map[string]bool, error) {
	routes := map[string]bool{}
	for _, r := range registeredRoutes(dir) {
		if !strings.HasPrefix(r.path, "/api/") {
			continue
		}
		if r.path == "/api/" && r.method == "" { // the sub-mux mount and its catch-all
			continue
		}
		if r.method == "" {
			return nil, &lineError{r.file, r.line, "API route " + strconv.Quote(r.pattern) + " has no method"}
		}
		routes[r.method+" "+r.path] = true
	}
	return routes, nil
}

// route is a pattern registered by a HandleFunc or Handle call, where.
type route struct {
	pattern, method, path string
	file                  string
	line                  int
}

// registeredRoutes parses the Go files (tests excluded) of dir and of every
// package below it and returns every HandleFunc or Handle call whose first
// argument is a string literal, in file order.
func registeredRoutes(dir string) []route {
	var files []string
	filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(path, ".go") && !strings.HasSuffix(path, "_test.go") {
			files = append(files, path)
		}
		return nil
	})
	fset := token.NewFileSet()
	var out []route
	for _, name := range files {
		file, err := parser.ParseFile(fset, name, nil, parser.SkipObjectResolution)
		if err != nil {
			panic(err) // the package builds: its files parse
		}
		ast.Inspect(file, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || len(call.Args) == 0 {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok || (sel.Sel.Name != "HandleFunc" && sel.Sel.Name != "Handle") {
				return true
			}
			lit, ok := call.Args[0].(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return true
			}
			pattern, err := strconv.Unquote(lit.Value)
			if err != nil {
				return true
			}
			method, path, hasMethod := strings.Cut(pattern, " ")
			if !hasMethod {
				method, path = "", pattern
			}
			out = append(out, route{pattern: pattern, method: method, path: strings.TrimSpace(path), file: name, line: fset.Position(lit.Pos()).Line})
			return true
		})
	}
	return out
}

// yaml11Bool is a plain (unquoted) scalar that a YAML 1.1 reader, such as
// openapi-spec-validator's, takes for a boolean: a parameter named no
// becomes false there.
var yaml11Bool = regexp.MustCompile(`(?i)(?:^|[{,\s])(?:name|in|type|format|enum|default|example|title):\s*(y|n|yes|no|on|off)\s*(?:[,}]|$)`)

// TestOpenAPIReadsTheSameInYAML11: no plain scalar of the spec changes
// meaning between YAML 1.2 (kin-openapi) and YAML 1.1 (other tools).
func TestOpenAPIReadsTheSameInYAML11(t *testing.T) {
	t.Parallel()
	b, err := os.ReadFile(specFile)
	if err != nil {
		t.Fatal(err)
	}
	for i, line := range strings.Split(string(b), "\n") {
		if m := yaml11Bool.FindStringSubmatch(line); m != nil {
			t.Errorf("%s:%d: %q is a boolean in YAML 1.1: quote it (%q)", specFile, i+1, m[1], strings.TrimSpace(line))
		}
	}
}
