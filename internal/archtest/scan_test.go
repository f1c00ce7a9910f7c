package archtest

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// A use is one table named in SQL in a package's source.
type use struct {
	pkg   string // package path from the module root, e.g. internal/venue
	file  string // file path from the module root
	line  int
	table string
}

// moduleRoot is the directory of go.mod above the working directory.
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", os.ErrNotExist
		}
		dir = parent
	}
}

var createTable = regexp.MustCompile(`(?i)\bCREATE\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?"?([A-Za-z_][A-Za-z0-9_]*)"?`)

// migrationTables returns the tables created by the migration files of
// each dialect, with the file that creates each.
func migrationTables(root string) (map[string]map[string]string, error) {
	out := map[string]map[string]string{}
	base := filepath.Join(root, "internal", "store", "migrations")
	dialects, err := os.ReadDir(base)
	if err != nil {
		return nil, err
	}
	for _, d := range dialects {
		if !d.IsDir() {
			continue
		}
		tables := map[string]string{}
		files, err := filepath.Glob(filepath.Join(base, d.Name(), "*.sql"))
		if err != nil {
			return nil, err
		}
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				return nil, err
			}
			for _, m := range createTable.FindAllStringSubmatch(stripSQLComments(string(b)), -1) {
				tables[strings.ToLower(m[1])] = filepath.Base(f)
			}
		}
		out[d.Name()] = tables
	}
	return out, nil
}

func stripSQLComments(s string) string {
	var b strings.Builder
	for _, l := range strings.Split(s, "\n") {
		if i := strings.Index(l, "--"); i >= 0 {
			l = l[:i]
		}
		b.WriteString(l)
		b.WriteByte('\n')
	}
	return b.String()
}

// goPackages parses every non-test .go file under the given top
// directories (relative to root), grouped by package directory.
func goPackages(root string, tops ...string) (map[string][]*parsedFile, *token.FileSet, error) {
	fset := token.NewFileSet()
	out := map[string][]*parsedFile{}
	for _, top := range tops {
		err := filepath.WalkDir(filepath.Join(root, top), func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() {
				if n := d.Name(); n == "testdata" || strings.HasPrefix(n, ".") || strings.HasPrefix(n, "_") {
					return filepath.SkipDir
				}
				return nil
			}
			if !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
				return nil
			}
			f, err := parser.ParseFile(fset, p, nil, parser.SkipObjectResolution)
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel(root, p)
			rel = filepath.ToSlash(rel)
			pkg := pathDir(rel)
			out[pkg] = append(out[pkg], &parsedFile{path: rel, ast: f})
			return nil
		})
		if err != nil {
			return nil, nil, err
		}
	}
	return out, fset, nil
}

func pathDir(p string) string {
	if i := strings.LastIndexByte(p, '/'); i >= 0 {
		return p[:i]
	}
	return "."
}

type parsedFile struct {
	path string
	ast  *ast.File
}

// constants collects the package-level string constants and variables
// initialised with constant string expressions, per package, evaluating
// concatenations of literals and of constants of the same package.
func constants(pkgs map[string][]*parsedFile) map[string]map[string]string {
	out := map[string]map[string]string{}
	for pkg := range pkgs {
		out[pkg] = map[string]string{}
	}
	for changed := true; changed; { // until no constant is added
		changed = false
		for pkg, files := range pkgs {
			for _, f := range files {
				for _, decl := range f.ast.Decls {
					g, ok := decl.(*ast.GenDecl)
					if !ok || (g.Tok != token.CONST && g.Tok != token.VAR) {
						continue
					}
					for _, spec := range g.Specs {
						vs := spec.(*ast.ValueSpec)
						for i, name := range vs.Names {
							if i >= len(vs.Values) {
								continue
							}
							if _, done := out[pkg][name.Name]; done {
								continue
							}
							if s, ok := evalString(vs.Values[i], out[pkg]); ok {
								out[pkg][name.Name] = s
								changed = true
							}
						}
					}
				}
			}
		}
	}
	return out
}

// evalString evaluates a constant string expression: literals, names of
// known constants, parentheses and +.
func evalString(e ast.Expr, known map[string]string) (string, bool) {
	switch e := e.(type) {
	case *ast.BasicLit:
		if e.Kind != token.STRING {
			return "", false
		}
		s, err := strconv.Unquote(e.Value)
		return s, err == nil
	case *ast.Ident:
		s, ok := known[e.Name]
		return s, ok
	case *ast.ParenExpr:
		return evalString(e.X, known)
	case *ast.BinaryExpr:
		if e.Op != token.ADD {
			return "", false
		}
		a, ok := evalString(e.X, known)
		if !ok {
			return "", false
		}
		b, ok := evalString(e.Y, known)
		return a + b, ok
	}
	return "", false
}

// A segment is a piece of the SQL text of one expression: a literal
// written here, a constant of this package named here, or an unknown
// value (a call, a variable, another package's constant: the owner keeps
// that text) standing as a gap.
type segment struct {
	text  string
	pos   token.Pos
	raw   bool // a raw string literal: its lines are the source's lines
	ident bool // the text of a constant named here, written elsewhere
}

// flatten turns a + chain into segments.
func flatten(e ast.Expr, known map[string]string, out []segment) []segment {
	switch e := e.(type) {
	case *ast.ParenExpr:
		return flatten(e.X, known, out)
	case *ast.BinaryExpr:
		if e.Op == token.ADD {
			return flatten(e.Y, known, flatten(e.X, known, out))
		}
	case *ast.BasicLit:
		if e.Kind == token.STRING {
			if s, err := strconv.Unquote(e.Value); err == nil {
				return append(out, segment{text: s, pos: e.Pos(), raw: strings.HasPrefix(e.Value, "`")})
			}
		}
	case *ast.Ident:
		if s, ok := known[e.Name]; ok {
			return append(out, segment{text: s, pos: e.Pos(), ident: true})
		}
	}
	return append(out, segment{text: " \x00 ", pos: e.Pos(), ident: true}) // a gap: nothing to read
}

// sqlTables scans every string literal and + chain of a file for table
// names that follow an SQL keyword (FROM, JOIN, INTO, UPDATE, TABLE,
// REFERENCES, TRUNCATE), keeping only names in tables.
func sqlTables(fset *token.FileSet, pkg string, f *parsedFile, known map[string]string, tables map[string]bool) []use {
	var out []use
	seen := map[use]bool{}
	scan := func(segs []segment) {
		for _, hit := range findTables(segs, tables) {
			s := segs[hit.seg]
			if s.ident && hit.keywordSeg == hit.seg {
				continue // keyword and table are both in the constant: reported where it is written
			}
			p := fset.Position(s.pos)
			line := p.Line
			if s.raw {
				line += strings.Count(s.text[:hit.off], "\n")
			}
			u := use{pkg: pkg, file: f.path, line: line, table: hit.table}
			if !seen[u] {
				seen[u] = true
				out = append(out, u)
			}
		}
	}
	ast.Inspect(f.ast, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.BinaryExpr:
			if n.Op == token.ADD {
				scan(flatten(n, known, nil))
				return false // its literals are in the chain
			}
		case *ast.BasicLit:
			if n.Kind == token.STRING {
				scan(flatten(n, known, nil))
			}
		}
		return true
	})
	return out
}

type hit struct {
	table      string
	seg, off   int // segment and byte offset of the table name
	keywordSeg int
}

type tok struct {
	word     string // lower-case identifier, or one punctuation character
	seg, off int
}

var identRE = regexp.MustCompile(`[A-Za-z_][A-Za-z0-9_]*|"[A-Za-z_][A-Za-z0-9_]*"|\x00|[^\sA-Za-z0-9_]`)

func tokens(segs []segment) []tok {
	var out []tok
	for i, s := range segs {
		for _, m := range identRE.FindAllStringIndex(s.text, -1) {
			w := s.text[m[0]:m[1]]
			off := m[0]
			if strings.HasPrefix(w, `"`) && len(w) > 1 {
				w, off = strings.Trim(w, `"`), off+1
			}
			out = append(out, tok{word: strings.ToLower(w), seg: i, off: off})
		}
	}
	return out
}

var (
	tableKeywords = map[string]bool{"from": true, "join": true, "into": true, "update": true, "table": true, "references": true, "truncate": true}
	skipWords     = map[string]bool{"if": true, "not": true, "exists": true, "only": true, "lateral": true}
	// Words after a table that are not its alias.
	clauseWords = map[string]bool{"where": true, "join": true, "left": true, "right": true, "inner": true, "outer": true, "cross": true,
		"full": true, "natural": true, "on": true, "using": true, "group": true, "order": true, "limit": true, "offset": true, "set": true,
		"values": true, "select": true, "returning": true, "union": true, "having": true, "window": true, "for": true, "default": true}
)

func findTables(segs []segment, tables map[string]bool) []hit {
	ts := tokens(segs)
	var out []hit
	at := func(i int) string {
		if i < len(ts) {
			return ts[i].word
		}
		return ""
	}
	for i := 0; i < len(ts); i++ {
		kw := ts[i].word
		if !tableKeywords[kw] {
			continue
		}
		j := i + 1
		for skipWords[at(j)] {
			j++
		}
		for {
			if at(j+1) == "." { // schema.table
				j += 2
			}
			if j >= len(ts) {
				break
			}
			if tables[ts[j].word] {
				out = append(out, hit{table: ts[j].word, seg: ts[j].seg, off: ts[j].off, keywordSeg: ts[i].seg})
			}
			if kw != "from" {
				break
			}
			// FROM a [AS] [x], b [y] …: the tables of a comma list.
			k := j + 1
			if at(k) == "as" {
				k++
			}
			if w := at(k); w != "" && w != "," && !clauseWords[w] && isWord(w) {
				k++
			}
			if at(k) != "," {
				break
			}
			j = k + 1
		}
	}
	return out
}

func isWord(w string) bool {
	return w != "" && (w[0] == '_' || (w[0] >= 'a' && w[0] <= 'z'))
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
