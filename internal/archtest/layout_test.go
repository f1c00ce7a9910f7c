package archtest

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// internalDirs are the directories a reader of the docs must find: every
// directory of internal/, and every web area (a directory of
// internal/web/ with Go files; static/ holds the assets), as paths below
// internal/ ("clock", "web/marking").
func internalDirs(t *testing.T, root string) []string {
	t.Helper()
	var out []string
	top, err := os.ReadDir(filepath.Join(root, "internal"))
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range top {
		if d.IsDir() {
			out = append(out, d.Name())
		}
	}
	web, err := os.ReadDir(filepath.Join(root, "internal", "web"))
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range web {
		if !d.IsDir() {
			continue
		}
		if gos, _ := filepath.Glob(filepath.Join(root, "internal", "web", d.Name(), "*.go")); len(gos) > 0 {
			out = append(out, "web/"+d.Name())
		}
	}
	if len(out) == 0 {
		t.Fatal("no directories found under internal/")
	}
	return out
}

// section is the text of a document's "## title" section, up to the next
// one.
func section(t *testing.T, doc, file, title string) string {
	t.Helper()
	start := strings.Index(doc, "\n## "+title+"\n")
	if start < 0 {
		t.Fatalf("%s has no %q section", file, "## "+title)
	}
	s := doc[start+1:]
	if end := strings.Index(s, "\n## "); end >= 0 {
		s = s[:end]
	}
	return s
}

// expand writes out one brace group: "web/{a,b}" is web/a and web/b.
func expand(name string) []string {
	open, end := strings.Index(name, "{"), strings.Index(name, "}")
	if open < 0 || end < open {
		return []string{name}
	}
	var out []string
	for _, alt := range strings.Split(name[open+1:end], ",") {
		out = append(out, name[:open]+strings.TrimSpace(alt)+name[end+1:])
	}
	return out
}

var (
	// A line of README's layout block: "internal/clock/      the one clock".
	readmeEntry = regexp.MustCompile(`(?m)^internal/(\S+?)/?(?:\s|$)`)
	// A row of architecture.md's package table: "| `clock` | …".
	archEntry = regexp.MustCompile("(?m)^\\|\\s*`([^`]+)`\\s*\\|")
)

// TestDocsNameEveryInternalPackage: README's layout and the package list
// of docs/architecture.md name every directory of internal/ and every web
// area (issue 8 item 10: the docs match the code); a new package that
// neither names fails here, naming the directory and the document.
func TestDocsNameEveryInternalPackage(t *testing.T) {
	root, err := moduleRoot()
	if err != nil {
		t.Fatal(err)
	}
	dirs := internalDirs(t, root)
	for _, doc := range []struct {
		file, title string
		entry       *regexp.Regexp
	}{
		{"README.md", "Layout", readmeEntry},
		{filepath.Join("docs", "architecture.md"), "The packages", archEntry},
	} {
		b, err := os.ReadFile(filepath.Join(root, doc.file))
		if err != nil {
			t.Fatal(err)
		}
		named := map[string]bool{}
		for _, m := range doc.entry.FindAllStringSubmatch(section(t, string(b), doc.file, doc.title), -1) {
			for _, n := range expand(m[1]) {
				named[n] = true
			}
		}
		for _, d := range dirs {
			if !named[d] {
				t.Errorf("internal/%s is missing from the %q section of %s", d, doc.title, doc.file)
			}
		}
	}
}
