package registry_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"slices"
	"strings"
	"testing"

	"provim/internal/auth"
	"provim/internal/registry"
)

// TestImportTemplatesCarryOneExampleRowTheImportRefuses (issue 11, part
// D): each template is the header and one example row; a template
// uploaded unchanged registers nothing, and its row is refused with a
// sentence saying it is the example, on its line.
func TestImportTemplatesCarryOneExampleRowTheImportRefuses(t *testing.T) {
	t.Parallel()
	s, _ := setup(t)
	ctx := context.Background()
	for _, e := range registry.Entities {
		rows := registry.Template(e.Key)
		if len(rows) != 2 || !slices.Equal(rows[0], registry.Header(e.Key)) || len(rows[1]) != len(rows[0]) {
			t.Fatalf("%s: template %q", e.Key, rows)
		}
		filled := 0
		for _, v := range rows[1] {
			if v != "" {
				filled++
			}
		}
		if filled < len(rows[1])-1 {
			t.Errorf("%s: the example leaves %d of %d columns empty", e.Key, len(rows[1])-filled, len(rows[1]))
		}
		var b bytes.Buffer
		csv.NewWriter(&b).WriteAll(rows)
		_, err := s.Import(ctx, ava, e.Key, e.Key+".csv", strings.NewReader(b.String()), nil)
		ie, ok := errors.AsType[*registry.ImportError](err)
		if !ok || len(ie.Rows) != 1 || ie.Rows[0].Line != 2 || !strings.Contains(strings.Join(ie.Rows[0].Reasons, "; "), "rreshti shembull i shabllonit") {
			t.Errorf("%s: the template uploaded unchanged: %v", e.Key, err)
		}
	}
}

// TestImportOffersEachRoleOnlyWhatItMayImport: the import page's choice
// is the entities the role may import.
func TestImportOffersEachRoleOnlyWhatItMayImport(t *testing.T) {
	t.Parallel()
	keys := func(p *auth.Principal) []string {
		var out []string
		for _, e := range registry.EntitiesFor(p) {
			out = append(out, e.Key)
		}
		return out
	}
	for p, want := range map[*auth.Principal][]string{
		{Role: auth.RoleAVA}:                      {"units", "schools", "students", "staff", "venues"},
		{Role: auth.RoleKMSH, Unit: "DAR-TR"}:     {"schools", "students", "staff", "venues"},
		{Role: auth.RoleKSHMSH, School: "TR-001"}: {"students", "staff"},
		{Role: auth.RoleStudent, StudentID: 1}:    nil,
	} {
		if got := keys(p); !slices.Equal(got, want) {
			t.Errorf("%s: %q, want %q", p.Role, got, want)
		}
	}
}
