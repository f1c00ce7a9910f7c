package testkit

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"provim/internal/auth"
	"provim/internal/registry"
)

// The standard test country, small enough to read in one glance and shaped
// to cross every scope boundary: DAR-A (Tiranë) with ZA-A1 (Kavajë) under
// it, and DAR-B (Durrës). Each of them has one public school with one
// student; A-1 and B-1 each a teacher and a venue of one room of 20 seats.
// "Home" objects are on side A, "foreign" ones on side B, so a test can
// check that a principal of A sees A's and not B's.
//
//	DAR-A  A-1  Gjimnazi Çajupi    Arbër Çela    Drita Kola (mësuese D1)  Q-A-1
//	ZA-A1  A1-1 Gjimnazi Kavaja    Besnik Dema
//	DAR-B  B-1  Gjimnazi Durrësi   Dritan Hoxha  Ema Leka (mësuese D2)    Q-B-1
//
// Every file goes through the registry's real import, as an upload does.
const (
	UnitsCSV = "kodi,emri,lloji,kodi_prind,qyteti\n" +
		"DAR-A,DAR Tiranë,DAR,,Tiranë\nZA-A1,ZA Kavajë,ZA,DAR-A,Kavajë\nDAR-B,DAR Durrës,DAR,,Durrës\n"
	SchoolsCSV = "kodi,emri,kodi_dar_za,qyteti,publike,profili,vite\n" +
		"A-1,Gjimnazi Çajupi,DAR-A,Tiranë,po,gjimnaz,4\n" +
		"A1-1,Gjimnazi Kavaja,ZA-A1,Kavajë,po,gjimnaz,4\n" +
		"B-1,Gjimnazi Durrësi,DAR-B,Durrës,po,gjimnaz,4\n"
	VenuesCSV = "kodi_qendres,emri_qendres,kodi_shkolles,qyteti,salla,vende\n" +
		"Q-A-1,Gjimnazi Çajupi,A-1,Tiranë,Salla 1,20\n" +
		"Q-B-1,Gjimnazi Durrësi,B-1,Durrës,Salla 1,20\n"
)

// StudentNID is the personal number of the standard country's students:
// born in May 2008 on day, male, with serial.
func StudentNID(day, serial int) string {
	return registry.MakeNID(time.Date(2008, 5, day, 0, 0, 0, 0, time.UTC), "M", serial)
}

// StudentsCSV is the standard students file: one student per school.
var StudentsCSV = "nr_personal,emri,atesia,mbiemri,datelindja,kodi_shkolles\n" +
	StudentNID(1, 1) + ",Arbër,Ilir,Çela,01.05.2008,A-1\n" +
	StudentNID(2, 2) + ",Besnik,Ilir,Dema,02.05.2008,A1-1\n" +
	StudentNID(3, 3) + ",Dritan,Ilir,Hoxha,03.05.2008,B-1\n"

// StaffCSV is the standard staff file: a teacher in A-1 and one in B-1.
var StaffCSV = "nr_personal,emri,atesia,mbiemri,kodi_shkolles,pozicioni,lendet\n" +
	registry.MakeNID(time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC), "F", 1) + ",Drita,Agim,Kola,A-1,mesues,D1\n" +
	registry.MakeNID(time.Date(1980, 1, 2, 0, 0, 0, 0, time.UTC), "F", 2) + ",Ema,Agim,Leka,B-1,mesues,D2\n"

// Side is one side of the country: its unit, school and venue, and the
// ids of its student and staff member (0 where it has none).
type Side struct {
	Unit, School, Venue string
	Student, Staff      int64
}

// KMSH, KSHMSH, PAP and StudentP are the principals scoped to the side.
func (s Side) KMSH() *auth.Principal   { return KMSH(s.Unit) }
func (s Side) KSHMSH() *auth.Principal { return KSHMSH(s.School) }
func (s Side) PAP() *auth.Principal    { return PAP(s.Venue) }

// StudentP is the principal of the side's student.
func (s Side) StudentP() *auth.Principal { return Student(s.Student) }

// Land is the standard country once imported: Home (DAR-A, A-1), ZA (the
// ZA-A1 under DAR-A, A1-1) and Foreign (DAR-B, B-1).
type Land struct {
	Home, ZA, Foreign Side
}

// CountryOption changes what Country imports, or as whom.
type CountryOption func(*country)

type country struct {
	files map[string]string
	as    *auth.Principal
}

// WithFile imports body for entity in place of the standard file ("" for
// none): a package whose rules need other students gives its own.
func WithFile(entity, body string) CountryOption {
	return func(c *country) { c.files[entity] = body }
}

// ImportedBy imports the files as p (an AVA user) in place of AVA, so the
// audit log names p.
func ImportedBy(p *auth.Principal) CountryOption {
	return func(c *country) { c.as = p }
}

// Country imports the standard country into k's database through the
// registry's real import, as AVA, and returns its codes and ids.
func (k *Kit) Country(t testing.TB, opts ...CountryOption) *Land {
	t.Helper()
	ctx := context.Background()
	c := &country{as: AVA, files: map[string]string{
		"units": UnitsCSV, "schools": SchoolsCSV, "students": StudentsCSV, "staff": StaffCSV, "venues": VenuesCSV}}
	for _, o := range opts {
		o(c)
	}
	for _, entity := range []string{"units", "schools", "students", "staff", "venues"} {
		body := c.files[entity]
		if body == "" {
			continue
		}
		if _, err := k.Registry.Import(ctx, c.as, entity, entity+".csv", strings.NewReader(body), nil); err != nil {
			t.Fatalf("testkit: country: %s: %v", entity, err)
		}
	}
	side := func(unit, school, venue string) Side {
		sd := Side{Unit: unit, School: school, Venue: venue}
		students, err := k.Registry.StudentIDsOfSchool(ctx, school)
		if err != nil {
			t.Fatalf("testkit: country: students of %s: %v", school, err)
		}
		if len(students) > 0 {
			sd.Student = slices.Min(students)
		}
		staff, _, err := k.Registry.ListStaff(ctx, AVA, registry.StaffFilter{School: school})
		if err != nil {
			t.Fatalf("testkit: country: staff of %s: %v", school, err)
		}
		for _, s := range staff {
			if sd.Staff == 0 || s.ID < sd.Staff {
				sd.Staff = s.ID
			}
		}
		return sd
	}
	return &Land{
		Home:    side("DAR-A", "A-1", "Q-A-1"),
		ZA:      side("ZA-A1", "A1-1", ""),
		Foreign: side("DAR-B", "B-1", "Q-B-1"),
	}
}
