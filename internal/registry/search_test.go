package registry_test

import (
	"context"
	"testing"

	"provim/internal/registry"
	"provim/internal/testkit"
)

// TestSearchIgnoresDiacriticsAndCase: "cela" finds "Çela" and "ÇELA"
// finds it too, on both engines, in the students, the staff, the schools
// and the venues (issue 11, part B); LIKE's own characters match
// themselves only.
func TestSearchIgnoresDiacriticsAndCase(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	k := testkit.New(t)
	k.Country(t)
	for q, want := range map[string]int{"cela": 1, "ÇELA": 1, "arber çela": 1, "Arbër": 1, "dema": 1, "%": 0, "_": 0, "xyz": 0} {
		_, total, err := k.Registry.ListStudents(ctx, testkit.AVA, registry.StudentFilter{Q: q})
		if err != nil || total != want {
			t.Errorf("students %q: %d, %v; want %d", q, total, err, want)
		}
	}
	if _, total, err := k.Registry.ListStaff(ctx, testkit.AVA, registry.StaffFilter{Q: "kolë"}); err != nil || total != 0 {
		t.Errorf("staff «kolë»: %d, %v; want 0 (ë is e, not o)", total, err)
	}
	if _, total, err := k.Registry.ListStaff(ctx, testkit.AVA, registry.StaffFilter{Q: "KOLA"}); err != nil || total != 1 {
		t.Errorf("staff «KOLA»: %d, %v; want 1", total, err)
	}
	if list, err := k.Registry.ListSchools(ctx, testkit.AVA, registry.SchoolFilter{Q: "cajupi"}); err != nil || len(list) != 1 {
		t.Errorf("schools «cajupi»: %v, %v; want Gjimnazi Çajupi", list, err)
	}
	list, total, err := k.Registry.ListVenuesPage(ctx, testkit.AVA, registry.VenueFilter{Q: "durres"})
	if err != nil || total != 1 || list[0].Code != "Q-B-1" {
		t.Errorf("venues «durres»: %v (%d), %v; want Q-B-1", list, total, err)
	}
	// Paging with the total, and the scope: KMSH of DAR-A sees its own.
	list, total, err = k.Registry.ListVenuesPage(ctx, testkit.AVA, registry.VenueFilter{Page: registry.Page{Offset: 1, Limit: 1}})
	if err != nil || total != 2 || len(list) != 1 {
		t.Errorf("venues page 2: %v (%d), %v", list, total, err)
	}
	if _, total, err := k.Registry.ListVenuesPage(ctx, testkit.KMSH("DAR-A"), registry.VenueFilter{}); err != nil || total != 1 {
		t.Errorf("venues of DAR-A: %d, %v; want 1", total, err)
	}
}
