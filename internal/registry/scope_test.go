package registry_test

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"

	"provim/internal/apperr"
	"provim/internal/auth"
	"provim/internal/registry"
	"provim/internal/store"
)

// importRefused returns the refused rows of an import error, joined,
// failing the test unless err is an ImportError.
func importRefused(t *testing.T, who string, err error) string {
	t.Helper()
	var ie *registry.ImportError
	if !errors.As(err, &ie) {
		t.Fatalf("%s: want an ImportError, got %v", who, err)
	}
	var all []string
	for _, r := range ie.Rows {
		all = append(all, r.String())
	}
	return strings.Join(all, " ")
}

func scalar(t *testing.T, db *store.DB, q string, args ...any) (out string) {
	t.Helper()
	if err := db.QueryRow(q, args...).Scan(&out); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return out
}

// TestImportNeverTakesOverAnotherScope: a KMSH (or KSHMSH) import that
// names an existing venue, school, student or staff member of another
// scope is refused row by row, says the object is outside the caller's
// scope, and changes nothing, whatever DAR/ZA or school the row names.
// Since issue 9 the reason names no school or DAR/ZA (Neni 63).
func TestImportNeverTakesOverAnotherScope(t *testing.T) {
	t.Parallel()
	s, db := setup(t)
	ctx := context.Background()
	venues := "kodi_qendres,emri_qendres,kodi_dar_za,kodi_shkolles,qyteti,salla,vende\n"
	staff := "nr_personal,emri,atesia,mbiemri,kodi_shkolles,pozicioni\n"
	drPerson, tr2Person := nid(1980, 1, 1, "F", 90), nid(1981, 1, 1, "M", 91)
	for _, f := range []struct{ entity, body string }{
		{"venues", venues + "Q-DR-001,Qendra Durrës,,DR-001,Durrës,Salla 1,20\n"},
		{"staff", staff + drPerson + ",Drita,Agim,Kola,DR-001,mesues\n" + tr2Person + ",Ilir,Agim,Leka,TR-002,mesues\n"},
	} {
		if _, err := s.Import(ctx, ava, f.entity, "f.csv", strings.NewReader(f.body), nil); err != nil {
			t.Fatalf("setup %s: %v", f.entity, err)
		}
	}
	drStudent := scalar(t, db, `SELECT personal_no FROM students WHERE school_code = 'DR-001'`)
	tr2Student := scalar(t, db, `SELECT personal_no FROM students WHERE school_code = 'TR-002'`)
	before := func() map[string]string {
		return map[string]string{
			"venue unit":    scalar(t, db, `SELECT unit_code FROM venues WHERE code = 'Q-DR-001'`),
			"venue school":  scalar(t, db, `SELECT COALESCE(school_code, '') FROM venues WHERE code = 'Q-DR-001'`),
			"venue name":    scalar(t, db, `SELECT name FROM venues WHERE code = 'Q-DR-001'`),
			"rooms":         scalar(t, db, `SELECT COUNT(*) FROM rooms WHERE venue_code = 'Q-DR-001'`),
			"school unit":   scalar(t, db, `SELECT unit_code FROM schools WHERE code = 'DR-001'`),
			"school name":   scalar(t, db, `SELECT name FROM schools WHERE code = 'DR-001'`),
			"student":       scalar(t, db, `SELECT school_code FROM students WHERE personal_no = $1`, drStudent),
			"student TR2":   scalar(t, db, `SELECT school_code FROM students WHERE personal_no = $1`, tr2Student),
			"staff unit":    scalar(t, db, `SELECT unit_code FROM staff WHERE personal_no = $1`, drPerson),
			"staff school":  scalar(t, db, `SELECT school_code FROM staff WHERE personal_no = $1`, tr2Person),
			"venues in TR":  scalar(t, db, `SELECT COUNT(*) FROM venues WHERE unit_code = 'DAR-TR'`),
			"Q-TR-X exists": scalar(t, db, `SELECT COUNT(*) FROM venues WHERE code = 'Q-TR-X'`),
		}
	}
	want := before()
	students := "nr_personal,emri,atesia,mbiemri,datelindja,kodi_shkolles\n"
	for _, tc := range []struct {
		name, entity, body string
		who                string
		reason             string
	}{
		// The reported bug: a new room name for another DAR's venue, with the caller's own DAR/ZA.
		{"new room in a foreign venue", "venues", venues + "Q-DR-001,Qendra ime,DAR-TR,,Tiranë,Salla e re,30\n", "kmsh",
			"kjo qendër është jashtë fushës suaj të veprimit"},
		{"existing room of a foreign venue", "venues", venues + "Q-DR-001,Qendra ime,DAR-TR,,Tiranë,Salla 1,30\n", "kmsh",
			"kjo qendër është jashtë fushës suaj të veprimit"},
		{"new venue at a foreign school", "venues", venues + "Q-TR-X,Qendra X,DAR-TR,DR-001,Tiranë,Salla 1,30\n", "kmsh",
			"kjo qendër është jashtë fushës suaj të veprimit"},
		{"foreign school", "schools", "kodi,emri,kodi_dar_za,qyteti,publike,profili,vite\nDR-001,Gjimnazi im,DAR-TR,Tiranë,po,gjimnaz,4\n", "kmsh",
			"kjo shkollë është jashtë fushës suaj të veprimit"},
		{"foreign student", "students", students + drStudent + ",Klea,Besnik,Shehu,03.02.2008,TR-001\n", "kmsh",
			"ky nxënës është jashtë fushës suaj të veprimit"},
		{"student of another school", "students", students + tr2Student + ",Erion,Ilir,Cani,08.07.2008,TR-001\n", "kshmsh",
			"ky nxënës është jashtë fushës suaj të veprimit"},
		{"foreign staff", "staff", staff + drPerson + ",Drita,Agim,Kola,TR-001,mesues\n", "kmsh",
			"ky punonjës është jashtë fushës suaj të veprimit"},
		{"staff of another school", "staff", staff + tr2Person + ",Ilir,Agim,Leka,TR-001,mesues\n", "kshmsh",
			"ky punonjës është jashtë fushës suaj të veprimit"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := kmshTR
			if tc.who == "kshmsh" {
				p = school1
			}
			_, err := s.Import(ctx, p, tc.entity, "f.csv", strings.NewReader(tc.body), nil)
			got := importRefused(t, tc.name, err)
			if !strings.Contains(got, tc.reason) {
				t.Errorf("reasons %q, want %q", got, tc.reason)
			}
			for _, other := range []string{"DR-001", "DAR-DR", "TR-002", "Q-DR-001"} {
				if strings.Contains(got, other) {
					t.Errorf("the refusal names %s: %q", other, got)
				}
			}
			if got := before(); !equalMaps(got, want) {
				t.Errorf("a refused import changed data:\n got %v\nwant %v", got, want)
			}
		})
	}
	// The same venue takeover through the single-room save: 404, as for any
	// object outside the scope (since issue 9 with the venue's one answer).
	if _, err := s.SaveRoom(ctx, kmshTR, registry.Venue{Code: "Q-DR-001", Name: "Qendra ime", UnitCode: "DAR-TR", City: "Tiranë"},
		registry.Room{Name: "Salla e re", Seats: 30}); apperr.CodeOf(err) != apperr.NotFound || !strings.Contains(apperr.MessageOf(err), "kjo qendër është jashtë fushës suaj") {
		t.Errorf("SaveRoom of a foreign venue: %v, want not_found", err)
	}
	// The venue's own DAR may still add rooms to it.
	if _, err := s.Import(ctx, kmshDR, "venues", "v.csv", strings.NewReader(venues+"Q-DR-001,Qendra Durrës,,DR-001,Durrës,Salla 2,20\n"), nil); err != nil {
		t.Errorf("KMSH Durrës adds a room to its venue: %v", err)
	}
}

func equalMaps(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// TestImportRolesPerEntity: school commissions import students and staff
// only; only AVA imports DAR/ZA. Refused before the file is read.
func TestImportRolesPerEntity(t *testing.T) {
	t.Parallel()
	s, _ := setup(t)
	ctx := context.Background()
	for _, tc := range []struct {
		entity string
		p      *auth.Principal
	}{{"schools", school1}, {"venues", school1}, {"units", school1}, {"units", kmshTR}} {
		// An empty file: the role is refused before the file is looked at.
		if _, err := s.Import(ctx, tc.p, tc.entity, "f.csv", strings.NewReader(""), nil); apperr.CodeOf(err) != apperr.Forbidden {
			t.Errorf("%s imports %s: %v, want forbidden", tc.p.Username, tc.entity, err)
		}
	}
	for _, entity := range []string{"students", "staff"} {
		if _, err := s.Import(ctx, school1, entity, "f.csv", strings.NewReader(""), nil); apperr.CodeOf(err) != apperr.Invalid {
			t.Errorf("school commission imports %s: %v, want the empty file refused", entity, err)
		}
	}
}

// TestImportUnknownEntity: an unknown entity is not_found, with the same
// message whether the file would be read or not; Result.Entity is the
// entity as imported ("venues", not the audit type "room").
func TestImportUnknownEntity(t *testing.T) {
	t.Parallel()
	s, _ := setup(t)
	ctx := context.Background()
	_, err := s.Import(ctx, ava, "rooms", "r.csv", strings.NewReader("a,b\n1,2\n"), nil)
	if apperr.CodeOf(err) != apperr.NotFound || err.Error() != registry.KnownEntity("rooms").Error() ||
		!strings.Contains(err.Error(), "«rooms» nuk njihet") {
		t.Fatalf("unknown entity: %v (%s)", err, apperr.CodeOf(err))
	}
	res, err := s.Import(ctx, ava, "venues", "v.csv",
		strings.NewReader("kodi_qendres,emri_qendres,kodi_shkolles,qyteti,salla,vende\nQ-TR-001,Qendra,TR-001,Tiranë,Salla 1,20\n"), nil)
	if err != nil || res.Entity != "venues" || res.Created != 1 {
		t.Fatalf("venues result: %+v %v", res, err)
	}
	res, err = s.Import(ctx, ava, "schools", "s.csv", strings.NewReader(schoolsCSV), nil)
	if err != nil || res.Entity != "schools" || res.Unchanged != 4 {
		t.Fatalf("schools result: %+v %v", res, err)
	}
}

// zeros reads as an endless run of '0'.
type zeros struct{}

func (zeros) Read(b []byte) (int, error) {
	for i := range b {
		b[i] = '0'
	}
	return len(b), nil
}

// TestReadTableRefusesOversizedFiles: a file one byte over the limit is
// refused with ErrFileTooLarge, not cut at the limit and read in part.
func TestReadTableRefusesOversizedFiles(t *testing.T) {
	t.Parallel()
	_, _, err := registry.ReadTable("big.csv", io.LimitReader(zeros{}, registry.MaxFileSize+1))
	if !errors.Is(err, registry.ErrFileTooLarge) || apperr.CodeOf(err) != registry.TooLarge {
		t.Fatalf("oversized file: %v", err)
	}
	// Exactly at the limit the file is read (and here found to be one long header).
	if _, _, err := registry.ReadTable("max.csv", io.LimitReader(zeros{}, registry.MaxFileSize)); err != nil {
		t.Fatalf("file at the limit: %v", err)
	}
}

// TestSchoolPaging: a negative offset never panics, and ListSchoolsPage
// pages like the student and staff lists, with the total.
func TestSchoolPaging(t *testing.T) {
	t.Parallel()
	s, _ := setup(t)
	ctx := context.Background()
	all, err := s.ListSchools(ctx, ava, registry.SchoolFilter{Page: registry.Page{Offset: -1}})
	if err != nil || len(all) != 4 {
		t.Fatalf("offset -1: %d schools, %v", len(all), err)
	}
	for _, tc := range []struct {
		page      registry.Page
		wantFirst string
		wantLen   int
	}{
		{registry.Page{Offset: -5}, all[0].Code, 4},
		{registry.Page{Offset: 1, Limit: 2}, all[1].Code, 2},
		{registry.Page{Offset: 3, Limit: -1}, all[3].Code, 1}, // a limit ≤ 0 is the default
		{registry.Page{Offset: 0, Limit: 5000}, all[0].Code, 4},
		{registry.Page{Offset: 10}, "", 0},
	} {
		list, total, err := s.ListSchoolsPage(ctx, ava, registry.SchoolFilter{Page: tc.page})
		if err != nil || total != 4 || len(list) != tc.wantLen || (len(list) > 0 && list[0].Code != tc.wantFirst) {
			t.Errorf("%+v: %d schools of %d (%v), want %d from %q", tc.page, len(list), total, err, tc.wantLen, tc.wantFirst)
		}
	}
	if _, total, err := s.ListStudents(ctx, ava, registry.StudentFilter{Page: registry.Page{Offset: -3}}); err != nil || total != 5 {
		t.Errorf("students at offset -3: %d, %v", total, err)
	}
}

// TestUpsertStaffKeepsThePerson: an update by id saves that person only;
// a body naming another personal number is refused, whoever holds it.
// The Upsert functions tell a creation from an update.
func TestUpsertStaffKeepsThePerson(t *testing.T) {
	t.Parallel()
	s, db := setup(t)
	ctx := context.Background()
	mk := func(serial int, first string) registry.Staff {
		return registry.Staff{PersonalNo: nid(1980, 2, serial, "M", serial), FirstName: first, FatherName: "Agim", LastName: "Kola",
			SchoolCode: "TR-001", Position: "mesues"}
	}
	a, created, err := s.UpsertStaff(ctx, kmshTR, mk(1, "Arben"))
	if err != nil || !created {
		t.Fatalf("create a: %v %v", created, err)
	}
	b, created, err := s.UpsertStaff(ctx, kmshTR, mk(2, "Besim"))
	if err != nil || !created {
		t.Fatalf("create b: %v %v", created, err)
	}
	// Update a by id with b's personal number: refused, b untouched.
	in := mk(2, "Ndryshuar")
	in.ID = a.ID
	if _, _, err := s.UpsertStaff(ctx, kmshTR, in); apperr.CodeOf(err) != apperr.Invalid || !strings.Contains(err.Error(), "Numri personal nuk ndryshohet") {
		t.Fatalf("personal number swapped: %v", err)
	}
	if got := scalar(t, db, `SELECT first_name FROM staff WHERE id = $1`, b.ID); got != "Besim" {
		t.Fatalf("b was changed to %q through a's id", got)
	}
	// The same person by id: an update, not a creation.
	in = mk(1, "Arbeni")
	in.ID = a.ID
	saved, created, err := s.UpsertStaff(ctx, kmshTR, in)
	if err != nil || created || saved.ID != a.ID || saved.FirstName != "Arbeni" {
		t.Fatalf("update a: %+v %v %v", saved, created, err)
	}
	// Re-posting by personal number without id also updates.
	if _, created, err := s.UpsertStaff(ctx, kmshTR, mk(2, "Besim")); err != nil || created {
		t.Fatalf("upsert b again: %v %v", created, err)
	}
	// An id outside the caller's scope is not found.
	in.ID = b.ID
	if _, _, err := s.UpsertStaff(ctx, kmshDR, in); apperr.CodeOf(err) != apperr.NotFound {
		t.Fatalf("foreign id: %v", err)
	}
}
