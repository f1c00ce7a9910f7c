package pdf

import (
	"strings"
	"testing"
)

// TestHeaderBreaksBetweenWords: a narrow column whose title has a long
// word (table T's "Formulari", "Regjistrimi") gets the width of that word
// from the wider columns, so the header breaks between words and never
// inside one; the page width stays the same.
func TestHeaderBreaksBetweenWords(t *testing.T) {
	t.Parallel()
	tb := Table{Title: "Tabela T", Columns: []Column{
		{Title: "Nr.", Width: 0.3}, {Title: "Nr. i regjistrimit", Width: 0.5}, {Title: "Formulari", Width: 0.3},
		{Title: "Kategoria e kandidatit", Width: 0.4}, {Title: "Emri", Width: 6}, {Title: "Shënime", Width: 6},
	}, Rows: [][]string{{"1", "270189208", "A1", "rregullt", "Arbër Çela", ""}}}
	r := newRenderer(newDocument(tb), tb)
	total := 0.0
	for i, c := range tb.Columns {
		total += r.w[i]
		for _, l := range r.header[i] {
			for _, w := range strings.Fields(l) {
				if !strings.Contains(" "+c.Title+" ", " "+w+" ") {
					t.Errorf("column %q: header line %q breaks inside a word (%q)", c.Title, l, w)
				}
			}
		}
		if i > 0 && r.x[i] < r.x[i-1]+r.w[i-1]-0.01 {
			t.Errorf("column %d overlaps the one before", i)
		}
	}
	pw, _ := r.f.GetPageSize()
	if d := total - (pw - 2*margin); d > 0.01 || d < -0.01 {
		t.Errorf("columns are %.2f mm wide, the page %.2f", total, pw-2*margin)
	}
	checkInside(t, write(t, tb))
}
