package registry_test

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"provim/internal/apperr"
	"provim/internal/audit"
	"provim/internal/clock"
	"provim/internal/registry"
	"provim/internal/web/webkit"
)

// apiBody is the exact body and status the API answers for err.
func apiBody(err error) (int, string) {
	w := httptest.NewRecorder()
	webkit.WriteAPIError(w, err)
	return w.Code, w.Body.String()
}

// sameAnswer fails unless the two errors give byte-identical API bodies,
// and returns the body.
func sameAnswer(t *testing.T, what string, a, b error) string {
	t.Helper()
	if a == nil || b == nil {
		t.Fatalf("%s: want two refusals, got %v and %v", what, a, b)
	}
	ca, ba := apiBody(a)
	cb, bb := apiBody(b)
	if ca != cb || ba != bb {
		t.Fatalf("%s: the answers differ:\n%d %s\n%d %s", what, ca, ba, cb, bb)
	}
	return ba
}

// TestNeni63_OutOfScopeAnswerNamesNothingAndIsTheSameWhetherOrNotTheRecordExists:
// the reported existence oracle. A personal number (or a school or venue
// code) registered in another scope and one that exists nowhere get
// byte-identical answers, through the single save (API POST/PUT and the UI
// form call it; 404, as for any object outside the scope) and through an
// import (422, the row with the same reason); the answer names no school
// or DAR/ZA and says what to do.
func TestNeni63_OutOfScopeAnswerNamesNothingAndIsTheSameWhetherOrNotTheRecordExists(t *testing.T) {
	t.Parallel()
	s, db := setup(t)
	ctx := context.Background()
	existing := scalar(t, db, `SELECT personal_no FROM students WHERE school_code = 'TR-002'`)
	inDurres := scalar(t, db, `SELECT personal_no FROM students WHERE school_code = 'DR-001'`)
	nobody := nid(2008, 7, 9, "M", 77)
	student := func(no, school string) registry.Student {
		return registry.Student{PersonalNo: no, FirstName: "Erion", FatherName: "Ilir", LastName: "Cani", SchoolCode: school}
	}
	file := func(no, school string) string {
		return "nr_personal,emri,atesia,mbiemri,datelindja,kodi_shkolles\n" + no + ",Erion,Ilir,Cani,," + school + "\n"
	}
	// A school commission, another school's student vs nobody, both named
	// at the other school; and the existing one at its own school.
	_, _, e1 := s.UpsertStudent(ctx, school1, student(existing, "TR-002"))
	_, _, e2 := s.UpsertStudent(ctx, school1, student(nobody, "TR-002"))
	_, _, e3 := s.UpsertStudent(ctx, school1, student(existing, "TR-001"))
	body := sameAnswer(t, "save: existing vs nobody", e1, e2)
	if code, _ := apiBody(e1); code != 404 {
		t.Errorf("the save answers %d, want 404", code)
	}
	sameAnswer(t, "save: existing at own school vs nobody elsewhere", e3, e2)
	for _, leak := range []string{"TR-002", "Çajupi", existing, nobody} {
		if strings.Contains(body, leak) {
			t.Errorf("the answer names %q: %s", leak, body)
		}
	}
	if !strings.Contains(body, "KMSH-së ose AVA-s ta transferojë") {
		t.Errorf("the answer does not say what to do: %s", body)
	}
	// The same through an import, row for row.
	_, i1 := s.Import(ctx, school1, "students", "f.csv", strings.NewReader(file(existing, "TR-002")), nil)
	_, i2 := s.Import(ctx, school1, "students", "f.csv", strings.NewReader(file(nobody, "TR-002")), nil)
	_, i3 := s.Import(ctx, school1, "students", "f.csv", strings.NewReader(file(existing, "TR-001")), nil)
	sameAnswer(t, "import: existing vs nobody", i1, i2)
	sameAnswer(t, "import: existing at own school vs nobody elsewhere", i3, i2)
	// A KMSH: a student of another DAR vs nobody.
	_, _, k1 := s.UpsertStudent(ctx, kmshTR, student(inDurres, "TR-001"))
	_, _, k2 := s.UpsertStudent(ctx, kmshTR, student(nobody, "DR-001"))
	sameAnswer(t, "KMSH save", k1, k2)

	// Staff: a person of another DAR vs nobody.
	drPerson := nid(1980, 1, 1, "F", 90)
	if _, err := s.Import(ctx, ava, "staff", "f.csv", strings.NewReader("nr_personal,emri,atesia,mbiemri,kodi_shkolles,pozicioni\n"+drPerson+",Drita,Agim,Kola,DR-001,mesues\n"), nil); err != nil {
		t.Fatal(err)
	}
	staff := func(no, school string) registry.Staff {
		return registry.Staff{PersonalNo: no, FirstName: "Drita", FatherName: "Agim", LastName: "Kola", SchoolCode: school, Position: "mesues"}
	}
	_, _, s1 := s.UpsertStaff(ctx, kmshTR, staff(drPerson, "TR-001"))
	_, _, s2 := s.UpsertStaff(ctx, kmshTR, staff(nid(1980, 1, 2, "F", 91), "DR-001"))
	if b := sameAnswer(t, "staff", s1, s2); strings.Contains(b, "DAR-DR") || strings.Contains(b, "DR-001") {
		t.Errorf("the staff answer names the other scope: %s", b)
	}

	// Schools: another DAR's school vs a code that exists nowhere.
	school := func(code, unit string) registry.School {
		return registry.School{Code: code, Name: "Gjimnazi im", UnitCode: unit, City: "Tiranë", Profile: "gjimnaz", Years: 4}
	}
	_, _, c1 := s.UpsertSchool(ctx, kmshTR, school("DR-001", "DAR-TR"))
	_, _, c2 := s.UpsertSchool(ctx, kmshTR, school("DR-777", "DAR-DR"))
	sameAnswer(t, "schools", c1, c2)

	// Venues: another DAR's venue vs a code that exists nowhere.
	if _, err := s.Import(ctx, ava, "venues", "v.csv", strings.NewReader("kodi_qendres,emri_qendres,kodi_shkolles,qyteti,salla,vende\nQ-DR-001,Qendra Durrës,DR-001,Durrës,Salla 1,20\n"), nil); err != nil {
		t.Fatal(err)
	}
	_, _, v1 := s.UpsertRoom(ctx, kmshTR, registry.Venue{Code: "Q-DR-001", Name: "Qendra", UnitCode: "DAR-TR", City: "Tiranë"}, registry.Room{Name: "Salla 9", Seats: 20})
	_, _, v2 := s.UpsertRoom(ctx, kmshTR, registry.Venue{Code: "Q-DR-777", Name: "Qendra", UnitCode: "DAR-DR", City: "Tiranë"}, registry.Room{Name: "Salla 9", Seats: 20})
	sameAnswer(t, "venues", v1, v2)

	// Every refusal is in the audit log under the account, without
	// another scope's data beyond the keys asked for.
	for _, who := range []string{school1.Username, kmshTR.Username} {
		list, err := audit.Query(ctx, db.DB, "scope_refusal", who, 100)
		if err != nil || len(list) == 0 {
			t.Fatalf("no audit entry of %s's refusals: %v", who, err)
		}
		if list[0].Action != "refuse_out_of_scope" || list[0].Actor != who {
			t.Errorf("audit entry %+v", list[0])
		}
	}
	if _, p, err := audit.Verify(ctx, db.DB); err != nil || p != nil {
		t.Fatalf("chain after the refusals: %v %v", p, err)
	}
}

// TestNeni63_OutOfScopeRefusalsAreThrottledPerAccount: past its allowance
// an account registers nothing new, and the answer (429) is byte-identical
// for an existing student of another school and a number that exists
// nowhere, in a save and in an import; changes to its own students still
// go through, another account is not affected, and after the window the
// account registers again. A file with more such rows than the allowance
// has left gets the same answer instead of the list of its rows (the
// 3,000-row file of the report).
func TestNeni63_OutOfScopeRefusalsAreThrottledPerAccount(t *testing.T) {
	t.Parallel()
	s, db := setup(t)
	ctx := context.Background()
	clk := clock.Fixed(time.Date(2027, 3, 1, 9, 0, 0, 0, time.UTC))
	db.Clock = clk
	s.SetLimits(registry.Limits{OutOfScope: 3, OutOfScopeWindow: time.Hour})
	existing := scalar(t, db, `SELECT personal_no FROM students WHERE school_code = 'TR-002'`)
	own := scalar(t, db, `SELECT personal_no FROM students WHERE school_code = 'TR-001' ORDER BY personal_no LIMIT 1`)
	student := func(no, school string) registry.Student {
		return registry.Student{PersonalNo: no, FirstName: "Erion", FatherName: "Ilir", LastName: "Cani", SchoolCode: school}
	}
	file := func(nos ...string) string {
		b := "nr_personal,emri,atesia,mbiemri,datelindja,kodi_shkolles\n"
		for _, no := range nos {
			b += no + ",Erion,Ilir,Cani,,TR-001\n"
		}
		return b
	}
	for i := 0; i < 3; i++ {
		_, _, err := s.UpsertStudent(ctx, school1, student(existing, "TR-001"))
		if apperr.CodeOf(err) != apperr.NotFound {
			t.Fatalf("refusal %d: %v", i+1, err)
		}
	}
	nobody := nid(2008, 7, 9, "M", 78)
	_, _, e1 := s.UpsertStudent(ctx, school1, student(existing, "TR-001"))
	_, _, e2 := s.UpsertStudent(ctx, school1, student(nobody, "TR-001"))
	if code, _ := apiBody(e1); code != 429 {
		t.Fatalf("throttled save answers %d: %v", code, e1)
	}
	sameAnswer(t, "throttled save", e1, e2)
	_, i1 := s.Import(ctx, school1, "students", "f.csv", strings.NewReader(file(existing)), nil)
	_, i2 := s.Import(ctx, school1, "students", "f.csv", strings.NewReader(file(nobody)), nil)
	sameAnswer(t, "throttled import", i1, i2)
	sameAnswer(t, "throttled import and save", i1, e2)
	// Its own students may still be changed; another account is not throttled.
	if _, _, err := s.UpsertStudent(ctx, school1, registry.Student{PersonalNo: own, FirstName: "Ëlsa", FatherName: "Gëzim", LastName: "Çela", SchoolCode: "TR-001", Phone: "069 111 2222"}); err != nil {
		t.Errorf("a throttled account changes its own student: %v", err)
	}
	if _, _, err := s.UpsertStudent(ctx, kmshTR, student(nid(2008, 7, 10, "M", 79), "TR-001")); err != nil {
		t.Errorf("another account: %v", err)
	}
	// After the window the account registers again.
	clk.Advance(time.Hour + time.Minute)
	if _, created, err := s.UpsertStudent(ctx, school1, student(nobody, "TR-001")); err != nil || !created {
		t.Fatalf("after the window: created=%v %v", created, err)
	}
	// A file with more existing out-of-scope numbers than the allowance
	// has left: the one answer, no rows named.
	others := []string{existing, scalar(t, db, `SELECT personal_no FROM students WHERE school_code = 'KAV-001'`),
		scalar(t, db, `SELECT personal_no FROM students WHERE school_code = 'DR-001'`), nid(2008, 7, 11, "M", 80)}
	if _, err := s.Import(ctx, school1, "students", "f.csv", strings.NewReader(file(others[:3]...)), nil); apperr.CodeOf(err) != apperr.Invalid {
		// 3 hits = the allowance: listed row by row
		t.Fatalf("a file within the allowance: %v", err)
	}
	_, bulk := s.Import(ctx, school1, "students", "f.csv", strings.NewReader(file(others...)), nil)
	if code, b := apiBody(bulk); code != 429 || strings.Contains(b, `"rows"`) {
		t.Fatalf("a file past the allowance: %d %s", code, b)
	}
	list, _ := audit.Query(ctx, db.DB, "scope_refusal", school1.Username, 100)
	var throttled int
	for _, e := range list {
		var r struct{ Throttled bool }
		json.Unmarshal([]byte(e.After), &r)
		if r.Throttled {
			throttled++
		}
	}
	if len(list) < 8 || throttled < 4 {
		t.Errorf("audit: %d refusals, %d throttled", len(list), throttled)
	}
}
