package registry_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"provim/internal/apperr"
	"provim/internal/registry"
)

// TestTextFieldsHaveLengthLimits: every text field of the registry has a
// limit; a longer value is refused with a message naming the field and
// the limit, which does not repeat the value (the report stored a
// 500,000-letter first name); a value at the limit is accepted.
func TestTextFieldsHaveLengthLimits(t *testing.T) {
	t.Parallel()
	s, _ := setup(t)
	ctx := context.Background()
	long := strings.Repeat("a", 500_000)
	_, _, err := s.UpsertStudent(ctx, ava, registry.Student{PersonalNo: nid(2008, 4, 4, "F", 40), FirstName: long, FatherName: "Agim", LastName: "Kola", SchoolCode: "TR-001"})
	if msg := apperr.MessageOf(err); !strings.Contains(msg, "emri ka 500000 shenja, më shumë se 50 që lejohen") || len(msg) > 400 {
		t.Fatalf("500,000-letter first name: %.300s", msg)
	}
	letters := func(n int) string { return strings.Repeat("ë", n) }
	student := func(edit func(*registry.Student)) error {
		st := registry.Student{PersonalNo: nid(2008, 4, 5, "F", 41), FirstName: "Ana", FatherName: "Agim", LastName: "Kola", SchoolCode: "TR-001"}
		edit(&st)
		_, _, err := s.UpsertStudent(ctx, ava, st)
		return err
	}
	staff := func(edit func(*registry.Staff)) error {
		sf := registry.Staff{PersonalNo: nid(1980, 4, 5, "F", 42), FirstName: "Ana", FatherName: "Agim", LastName: "Kola", SchoolCode: "TR-001", Position: "mesues"}
		edit(&sf)
		_, _, err := s.UpsertStaff(ctx, ava, sf)
		return err
	}
	school := func(edit func(*registry.School)) error {
		sc := registry.School{Code: "TR-050", Name: "Gjimnazi", UnitCode: "DAR-TR", City: "Tiranë", Profile: "gjimnaz", Years: 4}
		edit(&sc)
		_, _, err := s.UpsertSchool(ctx, ava, sc)
		return err
	}
	room := func(edit func(*registry.Venue, *registry.Room)) error {
		v, r := registry.Venue{Code: "Q-TR-050", Name: "Qendra", UnitCode: "DAR-TR", City: "Tiranë"}, registry.Room{Name: "Salla 1", Seats: 20}
		edit(&v, &r)
		_, _, err := s.UpsertRoom(ctx, ava, v, r)
		return err
	}
	for _, tc := range []struct {
		field string
		limit int
		set   func(v string) error
	}{
		{"emri", registry.MaxPersonName, func(v string) error { return student(func(x *registry.Student) { x.FirstName = v }) }},
		{"atësia", registry.MaxPersonName, func(v string) error { return student(func(x *registry.Student) { x.FatherName = v }) }},
		{"mbiemri", registry.MaxPersonName, func(v string) error { return staff(func(x *registry.Staff) { x.LastName = v }) }},
		{"klasa", registry.MaxClass, func(v string) error { return student(func(x *registry.Student) { x.ClassName = v }) }},
		{"telefoni", registry.MaxPhone, func(v string) error { return student(func(x *registry.Student) { x.Phone = v }) }},
		{"telefoni", registry.MaxPhone, func(v string) error { return staff(func(x *registry.Staff) { x.Phone = v }) }},
		{"emri i shkollës", registry.MaxTitle, func(v string) error { return school(func(x *registry.School) { x.Name = v }) }},
		{"qyteti", registry.MaxCity, func(v string) error { return school(func(x *registry.School) { x.City = v }) }},
		{"adresa", registry.MaxAddress, func(v string) error { return school(func(x *registry.School) { x.Address = v }) }},
		{"kodi i shkollës", registry.MaxCode, func(v string) error { return school(func(x *registry.School) { x.Code = v }) }},
		{"emri i qendrës", registry.MaxTitle, func(v string) error { return room(func(x *registry.Venue, _ *registry.Room) { x.Name = v }) }},
		{"adresa", registry.MaxAddress, func(v string) error { return room(func(x *registry.Venue, _ *registry.Room) { x.Address = v }) }},
		{"kodi i qendrës", registry.MaxCode, func(v string) error { return room(func(x *registry.Venue, _ *registry.Room) { x.Code = v }) }},
		{"emri i sallës", registry.MaxRoom, func(v string) error { return room(func(_ *registry.Venue, x *registry.Room) { x.Name = v }) }},
	} {
		want := fmt.Sprintf("%s ka %d shenja, më shumë se %d që lejohen", tc.field, tc.limit+1, tc.limit)
		if err := tc.set(letters(tc.limit + 1)); !strings.Contains(apperr.MessageOf(err), want) {
			t.Errorf("%s of %d letters: %v, want %q", tc.field, tc.limit+1, err, want)
		}
		if err := tc.set(letters(tc.limit)); err != nil && strings.Contains(apperr.MessageOf(err), tc.field+" ka") {
			t.Errorf("%s of %d letters refused: %v", tc.field, tc.limit, err)
		}
	}
	// Invisible characters (a zero-width space, NUL) are refused wherever
	// they are, with the field named.
	if err := student(func(x *registry.Student) { x.LastName = "Ko\u200bla" }); !strings.Contains(apperr.MessageOf(err), "mbiemri përmban shenja të padukshme") {
		t.Errorf("zero-width space in a name: %v", err)
	}
	if err := school(func(x *registry.School) { x.Address = "Rruga\x00 e Kavajës" }); !strings.Contains(apperr.MessageOf(err), "adresa përmban shenja të padukshme") {
		t.Errorf("NUL in an address: %v", err)
	}
	// In a file, the same rule, row by row.
	body := "nr_personal,emri,atesia,mbiemri,datelindja,kodi_shkolles\n" + nid(2008, 4, 6, "M", 43) + "," + letters(51) + ",Agim,Kola,,TR-001\n"
	_, err = s.Import(ctx, ava, "students", "s.csv", strings.NewReader(body), nil)
	if got := importRefused(t, "import", err); !strings.Contains(got, "Rreshti 2: emri ka 51 shenja, më shumë se 50 që lejohen") {
		t.Errorf("import: %s", got)
	}
}

// TestUnicodeInputIsNormalisedToNFC: a name typed or exported in
// decomposed Unicode ("e" + combining diaeresis) is accepted as letters
// and stored composed, from a form and from a file (its header too); a
// search finds the record whether the query is composed or decomposed.
func TestUnicodeInputIsNormalisedToNFC(t *testing.T) {
	t.Parallel()
	s, db := setup(t)
	ctx := context.Background()
	const dë, dç = "e\u0308", "c\u0327" // decomposed ë and ç
	saved, _, err := s.UpsertStudent(ctx, school1, registry.Student{PersonalNo: nid(2008, 6, 1, "F", 50),
		FirstName: "G" + dë + "zime", FatherName: "Agim", LastName: "Ku" + dç + "i", SchoolCode: "TR-001", ClassName: "12 A"})
	if err != nil {
		t.Fatalf("decomposed name: %v", err)
	}
	if saved.FirstName != "Gëzime" || saved.LastName != "Kuçi" {
		t.Fatalf("stored %q %q, want the composed form", saved.FirstName, saved.LastName)
	}
	// A file whose header and cells are decomposed.
	body := "nr_personal,emri,at" + dë + "sia,mbiemri,datelindja,kodi_shkolles\n" + nid(2008, 6, 2, "M", 51) + ",Arb" + dë + "r,Agim,C\u0327ela,,TR-001\n"
	if _, err := s.Import(ctx, school1, "students", "s.csv", strings.NewReader(body), nil); err != nil {
		t.Fatalf("decomposed file: %v", err)
	}
	if got := scalar(t, db, `SELECT first_name || ' ' || last_name FROM students WHERE personal_no = $1`, nid(2008, 6, 2, "M", 51)); got != "Arbër Çela" {
		t.Fatalf("stored %q", got)
	}
	// Search, composed and decomposed, finds both records.
	for _, q := range []string{"gëzime", "g" + dë + "zime", "kuçi", "ku" + dç + "i", "arbër " + dç + "ela", "ARB" + "E\u0308" + "R"} {
		list, _, err := s.ListStudents(ctx, school1, registry.StudentFilter{Q: q})
		if err != nil || len(list) != 1 {
			t.Errorf("search %q: %d found, %v", q, len(list), err)
		}
	}
	// Schools and staff alike.
	if _, _, err := s.UpsertSchool(ctx, ava, registry.School{Code: "TR-051", Name: "Gjimnazi Sk" + dë + "nderbej", UnitCode: "DAR-TR", City: "Tiran" + dë, Profile: "gjimnaz", Years: 4}); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"skënderbej", "sk" + dë + "nderbej"} {
		if list, err := s.ListSchools(ctx, ava, registry.SchoolFilter{Q: q}); err != nil || len(list) != 1 || list[0].City != "Tiranë" {
			t.Errorf("school search %q: %v %v", q, list, err)
		}
	}
	if _, _, err := s.UpsertStaff(ctx, ava, registry.Staff{PersonalNo: nid(1980, 6, 3, "M", 52), FirstName: "Dh" + dë + "rmi", FatherName: "Agim", LastName: "Kola", SchoolCode: "TR-001", Position: "mesues"}); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"dhërmi", "dh" + dë + "rmi"} {
		if list, _, err := s.ListStaff(ctx, ava, registry.StaffFilter{Q: q}); err != nil || len(list) != 1 {
			t.Errorf("staff search %q: %v %v", q, list, err)
		}
	}
}
