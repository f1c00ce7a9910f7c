package registry_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"provim/internal/apperr"
	"provim/internal/audit"
	"provim/internal/auth"
	"provim/internal/registry"
	"provim/internal/store"
	"provim/internal/store/storetest"
)

var (
	ava      = &auth.Principal{Username: "ava", Role: auth.RoleAVA}
	kmshTR   = &auth.Principal{Username: "kmsh", Role: auth.RoleKMSH, Unit: "DAR-TR"}
	kmshKAV  = &auth.Principal{Username: "kmshkav", Role: auth.RoleKMSH, Unit: "ZA-KAV"}
	kmshDR   = &auth.Principal{Username: "kmshdr", Role: auth.RoleKMSH, Unit: "DAR-DR"}
	school1  = &auth.Principal{Username: "ksh1", Role: auth.RoleKSHMSH, School: "TR-001"}
	marker   = &auth.Principal{Username: "v", Role: auth.RoleMarker, Subject: "D1"}
	venueAdm = &auth.Principal{Username: "pap", Role: auth.RolePAP, Venue: "Q-TR-001"}
)

const unitsCSV = `kodi,emri,lloji,kodi_prind,qyteti
DAR-TR,DAR Tiranë,DAR,,Tiranë
ZA-KAV,ZA Kavajë,ZA,DAR-TR,Kavajë
DAR-DR,DAR Durrës,DAR,,Durrës
`

const schoolsCSV = `kodi;emri;kodi_dar_za;qyteti;publike;profili;vite;adresa
TR-001;Gjimnazi "Sami Frashëri";DAR-TR;Tiranë;po;gjimnaz;4;Rruga e Kavajës
TR-002;Gjimnazi "Çajupi";DAR-TR;Tiranë;jo;gjimnaz;4;
KAV-001;Gjimnazi "Ismail Qemali";ZA-KAV;Kavajë;po;shkenca_natyrore;4;
DR-001;Gjimnazi "Naim Frashëri";DAR-DR;Durrës;po;gjimnaz;4;
`

func nid(y, m, d int, sex string, serial int) string {
	return registry.MakeNID(time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC), sex, serial)
}

func studentsCSV() string {
	return "nr_personal,emri,atesia,mbiemri,gjinia,datelindja,kodi_shkolles,klasa,nota_mesatare,kategoria\n" +
		nid(2008, 3, 4, "F", 1) + ",Ëlsa,Gëzim,Çela,F,04.03.2008,TR-001,12A,\"8,45\",maturant\n" +
		nid(2008, 5, 6, "M", 2) + ",Dritan,Arben,Dhima,M,2008-05-06,TR-001,12A,7.10,\n" +
		nid(2008, 7, 8, "M", 3) + ",Erion,Ilir,Cani,M,08.07.2008,TR-002,12B,9,maturant\n" +
		nid(2008, 1, 2, "F", 4) + ",Anisa,Petrit,Zeqiri,F,02.01.2008,KAV-001,12A,6.5,maturant\n" +
		nid(2008, 2, 3, "F", 5) + ",Klea,Besnik,Shehu,F,03.02.2008,DR-001,12A,10,maturant\n"
}

func setup(t *testing.T) (*registry.Service, *store.DB) {
	t.Helper()
	db := storetest.Open(t)
	s := registry.NewService(db)
	ctx := context.Background()
	for _, f := range []struct{ entity, body string }{{"units", unitsCSV}, {"schools", schoolsCSV}, {"students", studentsCSV()}} {
		if _, err := s.Import(ctx, ava, f.entity, f.entity+".csv", strings.NewReader(f.body), nil); err != nil {
			t.Fatalf("import %s: %v", f.entity, err)
		}
	}
	return s, db
}

func TestImportIsIdempotent(t *testing.T) {
	t.Parallel()
	s, db := setup(t)
	ctx := context.Background()
	before, _, _ := audit.Verify(ctx, db.DB)
	res, err := s.Import(ctx, ava, "students", "s.csv", strings.NewReader(studentsCSV()), nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Created != 0 || res.Updated != 0 || res.Unchanged != 5 {
		t.Fatalf("re-import changed data: %+v", res)
	}
	after, p, _ := audit.Verify(ctx, db.DB)
	if after != before || p != nil {
		t.Fatalf("re-import wrote audit entries: %d → %d (%v)", before, after, p)
	}
	// Changing one field updates exactly one row, with an audit entry.
	changed := strings.Replace(studentsCSV(), "7.10", "7.20", 1)
	res, err = s.Import(ctx, ava, "students", "s.csv", strings.NewReader(changed), nil)
	if err != nil || res.Updated != 1 || res.Unchanged != 4 {
		t.Fatalf("update: %+v %v", res, err)
	}
	if n, _, _ := audit.Verify(ctx, db.DB); n != before+1 {
		t.Fatalf("audit entries %d, want %d", n, before+1)
	}
}

func TestImportReportsEveryBadRowAndWritesNothing(t *testing.T) {
	t.Parallel()
	s, db := setup(t)
	ctx := context.Background()
	good := nid(2008, 9, 9, "M", 10)
	body := "nr_personal,emri,atesia,mbiemri,gjinia,datelindja,kodi_shkolles,klasa,nota_mesatare\n" +
		good + ",Arbër,Luan,Xhafa,M,09.09.2008,TR-001,12A,8\n" + // line 2: fine
		",Arta,Luan,Xhafa,F,09.09.2008,TR-001,12A,8\n" + // 3: missing personal number
		"J00101999A,Arta,Luan,Xhafa,F,01.01.1990,TR-001,12A,8\n" + // 4: bad check letter
		nid(2008, 1, 1, "M", 11) + ",Ardit,Luan,Xhafa,M,01.01.2008,XX-999,12A,8\n" + // 5: unknown school
		good + ",Arbër,Luan,Xhafa,M,09.09.2008,TR-001,12A,8\n" + // 6: duplicate of line 2
		nid(2008, 1, 2, "M", 12) + ",Ardit,Luan,Xhafa,M,01.01.2008,TR-001,12A,11\n" + // 7: grade out of range, date mismatch
		nid(2008, 1, 3, "M", 13) + ",Ardit,Luan,Xhafa,M,31.02.2008,TR-001,12A,8\n" + // 8: bad date
		nid(2008, 1, 4, "M", 14) + ",Ardit,,Xhafa,M,04.01.2008,TR-001,12A,abc\n" // 9: missing father, grade not a number
	var count int
	db.QueryRow(`SELECT COUNT(*) FROM students`).Scan(&count)
	_, err := s.Import(ctx, ava, "students", "s.csv", strings.NewReader(body), nil)
	var ie *registry.ImportError
	if !errors.As(err, &ie) {
		t.Fatalf("want ImportError, got %v", err)
	}
	lines := map[int]string{}
	for _, r := range ie.Rows {
		lines[r.Line] = strings.Join(r.Reasons, "; ")
	}
	want := map[int]string{3: "mungon numri personal", 4: "shkronja e kontrollit", 5: "nuk ekziston", 6: "përsëritet në skedar (njësoj si rreshti 2)",
		7: "jashtë kufijve 5–10", 8: "nuk është datë e vlefshme", 9: "mungon atësia"}
	for line, frag := range want {
		if !strings.Contains(lines[line], frag) {
			t.Errorf("line %d: got %q, want it to mention %q", line, lines[line], frag)
		}
	}
	if !strings.Contains(lines[7], "nuk përputhet me numrin personal") || !strings.Contains(lines[9], "nuk është numër") {
		t.Errorf("every reason of a row must be reported: 7=%q 9=%q", lines[7], lines[9])
	}
	if _, bad := lines[2]; bad {
		t.Errorf("line 2 is valid but was reported: %s", lines[2])
	}
	var after int
	db.QueryRow(`SELECT COUNT(*) FROM students`).Scan(&after)
	if after != count {
		t.Fatalf("a failed import wrote %d rows", after-count)
	}
}

func TestImportHeaderProblems(t *testing.T) {
	t.Parallel()
	s, _ := setup(t)
	_, err := s.Import(context.Background(), ava, "students", "s.csv", strings.NewReader("emri,mbiemri,ngjyra\nA,B,C\n"), nil)
	var ie *registry.ImportError
	if !errors.As(err, &ie) || ie.Rows[0].Line != 1 || !strings.Contains(strings.Join(ie.Rows[0].Reasons, ";"), "mungon kolona «nr_personal»") ||
		!strings.Contains(strings.Join(ie.Rows[0].Reasons, ";"), "kolona «ngjyra» nuk njihet") {
		t.Fatalf("header errors: %v", err)
	}
}

func TestImportXLSX(t *testing.T) {
	t.Parallel()
	s, _ := setup(t)
	f := excelize.NewFile()
	rows := [][]any{
		{"Nr personal", "Emri", "Atësia", "Mbiemri", "Datëlindja", "Kodi shkollës"},
		{nid(2008, 4, 4, "F", 20), "Jonida", "Fatmir", "Llaci", "04.04.2008", "TR-001"},
		{"BAD", "Jonida", "Fatmir", "Llaci", "04.04.2008", "TR-001"},
	}
	for i, r := range rows {
		f.SetSheetRow("Sheet1", fmt.Sprintf("A%d", i+1), &r)
	}
	var buf bytes.Buffer
	f.Write(&buf)
	_, err := s.Import(context.Background(), ava, "students", "s.xlsx", bytes.NewReader(buf.Bytes()), nil)
	var ie *registry.ImportError
	if !errors.As(err, &ie) || len(ie.Rows) != 1 || ie.Rows[0].Line != 3 {
		t.Fatalf("xlsx: %v", err)
	}
	f.RemoveRow("Sheet1", 3)
	buf.Reset()
	f.Write(&buf)
	res, err := s.Import(context.Background(), ava, "students", "s.xlsx", bytes.NewReader(buf.Bytes()), nil)
	if err != nil || res.Created != 1 {
		t.Fatalf("xlsx import: %+v %v", res, err)
	}
}

func TestScopeOfLists(t *testing.T) {
	t.Parallel()
	s, _ := setup(t)
	ctx := context.Background()
	for _, tc := range []struct {
		p    *auth.Principal
		want int
	}{{ava, 5}, {kmshTR, 4}, {kmshKAV, 1}, {kmshDR, 1}, {school1, 2}} {
		list, total, err := s.ListStudents(ctx, tc.p, registry.StudentFilter{})
		if err != nil || total != tc.want || len(list) != tc.want {
			t.Errorf("%s: %d students (%v), want %d", tc.p.Username, total, err, tc.want)
		}
	}
	for _, p := range []*auth.Principal{marker, venueAdm, nil} {
		if _, _, err := s.ListStudents(ctx, p, registry.StudentFilter{}); err == nil {
			t.Errorf("%v may list students", p)
		}
	}
	// A KMSH of Durrës cannot read a Tirana student, and is told it does not exist.
	list, _, _ := s.ListStudents(ctx, ava, registry.StudentFilter{School: "TR-001"})
	if _, err := s.GetStudent(ctx, kmshDR, list[0].ID); apperr.CodeOf(err) != apperr.NotFound {
		t.Errorf("out-of-scope read: %v", err)
	}
	// A student sees only themselves.
	me := &auth.Principal{Username: "n", Role: auth.RoleStudent, StudentID: list[0].ID}
	mine, total, err := s.ListStudents(ctx, me, registry.StudentFilter{})
	if err != nil || total != 1 || mine[0].ID != list[0].ID {
		t.Errorf("student scope: %v %d", err, total)
	}
	if _, err := s.GetStudent(ctx, me, list[1].ID); apperr.CodeOf(err) != apperr.NotFound {
		t.Errorf("student reads another: %v", err)
	}
}

func TestAlbanianOrderOfStudentList(t *testing.T) {
	t.Parallel()
	s, _ := setup(t)
	list, _, err := s.ListStudents(context.Background(), ava, registry.StudentFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, st := range list {
		got = append(got, st.LastName)
	}
	if want := "Cani Çela Dhima Shehu Zeqiri"; strings.Join(got, " ") != want {
		t.Fatalf("order %q, want %q", strings.Join(got, " "), want)
	}
}

func TestScopeOfWrites(t *testing.T) {
	t.Parallel()
	s, _ := setup(t)
	ctx := context.Background()
	row := func(school string, serial int) string {
		return "nr_personal,emri,atesia,mbiemri,datelindja,kodi_shkolles\n" + nid(2008, 6, 6, "M", serial) + ",Ilir,Agron,Gjoka,06.06.2008," + school + "\n"
	}
	// KSHMSH writes only its own school.
	if _, err := s.Import(ctx, school1, "students", "s.csv", strings.NewReader(row("TR-002", 30)), nil); err == nil {
		t.Error("school commission imported into another school")
	}
	if _, err := s.Import(ctx, school1, "students", "s.csv", strings.NewReader(row("TR-001", 31)), nil); err != nil {
		t.Errorf("school commission own school: %v", err)
	}
	// KMSH Durrës cannot import into Kavajë (under DAR Tiranë); KMSH Tiranë can (ZA under its DAR).
	if _, err := s.Import(ctx, kmshDR, "students", "s.csv", strings.NewReader(row("KAV-001", 32)), nil); err == nil {
		t.Error("KMSH Durrës imported into Kavajë")
	}
	if _, err := s.Import(ctx, kmshTR, "students", "s.csv", strings.NewReader(row("KAV-001", 32)), nil); err != nil {
		t.Errorf("KMSH Tiranë into its ZA: %v", err)
	}
	// A student already registered in Durrës is a duplicate for Tirana.
	list, _, _ := s.ListStudents(ctx, ava, registry.StudentFilter{School: "DR-001"})
	dup := "nr_personal,emri,atesia,mbiemri,datelindja,kodi_shkolles\n" + list[0].PersonalNo + ",Klea,Besnik,Shehu," + list[0].BirthDate + ",TR-001\n"
	_, err := s.Import(ctx, kmshTR, "students", "s.csv", strings.NewReader(dup), nil)
	if err == nil || !strings.Contains(fmt.Sprint(err.(*registry.ImportError).Rows), "ky nxënës është jashtë fushës suaj") {
		t.Errorf("duplicate against the database: %v", err)
	}
	// Markers, venue staff and students write nothing.
	for _, p := range []*auth.Principal{marker, venueAdm, {Role: auth.RoleStudent, StudentID: list[0].ID}} {
		if _, err := s.Import(ctx, p, "students", "s.csv", strings.NewReader(row("TR-001", 33)), nil); apperr.CodeOf(err) != apperr.Forbidden {
			t.Errorf("%s imported: %v", p.Role, err)
		}
	}
	// Only AVA registers DAR/ZA.
	if _, err := s.Import(ctx, kmshTR, "units", "u.csv", strings.NewReader("kodi,emri,lloji,kodi_prind,qyteti\nZA-X,ZA X,ZA,DAR-TR,X\n"), nil); err == nil {
		t.Error("KMSH created a unit")
	}
}

func TestSaveStudentForm(t *testing.T) {
	t.Parallel()
	s, _ := setup(t)
	ctx := context.Background()
	in := registry.Student{PersonalNo: nid(2008, 10, 10, "F", 40), FirstName: "Xhesika", FatherName: "Ndue", LastName: "Gjoni",
		BirthDate: "2008-10-10", SchoolCode: "TR-001", ClassName: "12C"}
	saved, err := s.SaveStudent(ctx, school1, in)
	if err != nil || saved.ID == 0 || saved.Sex != "F" || saved.Category != registry.Maturant {
		t.Fatalf("save: %+v %v", saved, err)
	}
	saved.AverageGrade = 4.5
	if _, err := s.SaveStudent(ctx, school1, saved); err == nil || !strings.Contains(err.Error(), "5–10") {
		t.Fatalf("grade 4.5 accepted: %v", err)
	}
	saved.AverageGrade = 9.5
	saved.PersonalNo = nid(2008, 10, 10, "F", 41)
	if _, err := s.SaveStudent(ctx, school1, saved); err == nil {
		t.Fatal("personal number changed through the form")
	}
}

func TestVenueImport(t *testing.T) {
	t.Parallel()
	s, _ := setup(t)
	ctx := context.Background()
	body := "kodi_qendres,emri_qendres,kodi_shkolles,qyteti,kate,salla,kati,vende\n" +
		"Q-TR-001,Gjimnazi \"Sami Frashëri\",TR-001,Tiranë,2,Salla 1,0,24\n" +
		"Q-TR-001,Gjimnazi \"Sami Frashëri\",TR-001,Tiranë,2,Salla 2,1,20\n" +
		"Q-TR-001,Gjimnazi \"Sami Frashëri\",TR-001,Tiranë,2,Salla 3,5,20\n"
	_, err := s.Import(ctx, kmshTR, "venues", "v.csv", strings.NewReader(body), nil)
	var ie *registry.ImportError
	if !errors.As(err, &ie) || ie.Rows[0].Line != 4 {
		t.Fatalf("floor 5 in a 2-floor building: %v", err)
	}
	body = strings.Replace(body, "Salla 3,5", "Salla 3,1", 1)
	if res, err := s.Import(ctx, kmshTR, "venues", "v.csv", strings.NewReader(body), nil); err != nil || res.Created != 3 {
		t.Fatalf("venues: %+v %v", res, err)
	}
	v, err := s.GetVenue(ctx, venueAdm, "Q-TR-001")
	if err != nil || v.Seats != 64 || len(v.Rooms) != 3 {
		t.Fatalf("venue: %+v %v", v, err)
	}
	if _, err := s.GetVenue(ctx, kmshDR, "Q-TR-001"); apperr.CodeOf(err) != apperr.NotFound {
		t.Fatalf("Durrës sees Tirana's venue: %v", err)
	}
}
