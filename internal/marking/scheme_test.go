package marking_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"provim/internal/apperr"
	"provim/internal/auth"
	"provim/internal/marking"
	"provim/internal/testkit"
)

// The year of testkit (2009): D1 (60 points) is sat on 8 June 2009 from
// 10:00 to 12:30; D2 (50 points) on 11 June.
var (
	schemeAVA1     = &auth.Principal{Username: "arta.hoxha", FullName: "Arta Hoxha", Role: auth.RoleAVA}
	schemeAVA2     = &auth.Principal{Username: "besa.kola", FullName: "Besa Kola", Role: auth.RoleAVA}
	schemeAVA3     = &auth.Principal{Username: "dritan.leka", FullName: "Dritan Leka", Role: auth.RoleAVA}
	schemeMarker   = &auth.Principal{Username: "vl.d1", Role: auth.RoleMarker, Subject: "D1"}
	schemeStranger = &auth.Principal{Username: "vl.tjeter", Role: auth.RoleMarker, Subject: "D1"}
	schemeMonitor  = &auth.Principal{Username: "mon.d1", Role: auth.RoleMonitor, Subject: "D1"}
	schemeMonD2    = &auth.Principal{Username: "mon.d2", Role: auth.RoleMonitor, Subject: "D2"}
	schemeObserver = &auth.Principal{Username: "vezhgues", Role: auth.RoleObserver}
	schemeKOPOTED  = &auth.Principal{Username: "kopoted", Role: auth.RoleKOPOTED}
	schemeMASH     = &auth.Principal{Username: "mash", Role: auth.RoleMASH}
	schemeKMSH     = &auth.Principal{Username: "kmsh.a", Role: auth.RoleKMSH, Unit: "DAR-A"}
	schemeStudent  = &auth.Principal{Username: "nxenes", Role: auth.RoleStudent, StudentID: 1}
)

type schemeWorld struct {
	k   *testkit.Kit
	svc *marking.Service
	ctx context.Context
}

// newSchemeWorld is testkit's year on 1 May 2009, with three AVA
// accounts, a KMSH account and the appointed marker vl.d1 of D1.
func newSchemeWorld(t *testing.T) *schemeWorld {
	t.Helper()
	k := testkit.New(t)
	k.At(t, "2009-05-01")
	w := &schemeWorld{k: k, svc: k.Marking, ctx: context.Background()}
	for _, u := range []*auth.Principal{schemeAVA1, schemeAVA2, schemeAVA3, {Username: "kmsh.a", FullName: "KMSH", Role: auth.RoleKMSH}} {
		schemeExec(t, k, `INSERT INTO users (username, full_name, password_hash, role, subject, created_at) VALUES ($1, $2, 'x', $3, '', '2009-01-01T00:00:00Z')`,
			u.Username, u.FullName, string(u.Role))
	}
	schemeExec(t, k, `INSERT INTO marking_markers (year, exam, username, full_name, task, status, appointed_by, appointed_at)
		VALUES (2009, 'D1', 'vl.d1', 'Vlerësuesi D1', 'marker', 'qualified', 'ava', '2009-05-01T08:00:00Z')`)
	return w
}

func schemeExec(t *testing.T, k *testkit.Kit, q string, args ...any) {
	t.Helper()
	if _, err := k.DB.Exec(q, args...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

// schemeInput is a right test of D1: ten choice items of 1 point, a
// short item of 10 and an extended one of 40 (60 in all). "SEKRET" marks
// what must never be seen before its time.
func schemeInput() marking.TestInput {
	in := marking.TestInput{Title: "Testi përfundimtar i gjuhës shqipe"}
	for i, key := range "ABCDABCDAB" {
		in.Items = append(in.Items, marking.Item{Label: string(rune('1'+i%9)) + strings.Repeat("a", i/9), Kind: marking.KindChoice, MaxPoints: 1, Options: 4, Key: string(key)})
	}
	in.Items = append(in.Items,
		marking.Item{Label: "11", Kind: marking.KindShort, MaxPoints: 10, Levels: []marking.Level{{Points: 5, Text: "SEKRET e pjesshme"}, {Points: 10, Text: "SEKRET e plotë"}}},
		marking.Item{Label: "12", Kind: "e zgjeruar", MaxPoints: 40, Levels: []marking.Level{{Points: 40, Text: "SEKRET ese e plotë"}, {Points: 20, Text: "SEKRET ese e pjesshme"}, {Points: 0, Text: "pa përgjigje"}}},
	)
	return in
}

func schemeCode(t *testing.T, err error, code string) {
	t.Helper()
	if !apperr.Is(err, code) {
		t.Fatalf("error %v (%s), want %s", err, apperr.CodeOf(err), code)
	}
}

// details is every sentence of an error, its message first.
func details(err error) string {
	var ae *apperr.Error
	if e, ok := err.(*apperr.Error); ok {
		ae = e
	}
	if ae == nil {
		return apperr.MessageOf(err)
	}
	return ae.Message + "\n" + strings.Join(ae.Details, "\n")
}

func mustHave(t *testing.T, text string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(text, w) {
			t.Errorf("missing %q in:\n%s", w, text)
		}
	}
}

// Neni 59.2 (with 19.2, 19.6): the test and its scheme are classified.
// Before the exam starts only the test group sees the items; another AVA
// account sees that the test exists; every other role sees nothing.
func TestNeni59_2_TestHiddenBeforeTheExamStartsExceptToTheTestGroup(t *testing.T) {
	t.Parallel()
	w := newSchemeWorld(t)
	ctx := w.ctx
	saved, err := w.svc.SaveTest(ctx, schemeAVA1, 0, "d1", schemeInput())
	if err != nil {
		t.Fatal(err)
	}
	if !saved.Visible || len(saved.Items) != 12 || saved.MaxPoints != 60 || !saved.InGroup || saved.Items[11].Levels[0].Points != 40 {
		t.Fatalf("saved: %+v", saved)
	}
	own, err := w.svc.TestOf(ctx, schemeAVA1, 0, "D1")
	if err != nil || !own.Visible || len(own.Items) != 12 || own.Items[0].Key != "A" || own.Items[11].Kind != marking.KindExtended {
		t.Fatalf("the group's member: %+v %v", own, err)
	}
	if len(own.Group) != 1 || own.Group[0].FullName != "Arta Hoxha" {
		t.Fatalf("the creator is the group: %+v", own.Group)
	}
	outsider := func(p *auth.Principal) {
		t.Helper()
		got, err := w.svc.TestOf(ctx, p, 0, "D1")
		if err != nil {
			t.Fatal(err)
		}
		b, _ := json.Marshal(got)
		if got.Visible || len(got.Items) != 0 || strings.Contains(string(b), "SEKRET") || strings.Contains(string(b), `"key"`) {
			t.Fatalf("%s outside the group sees the items: %s", p.Username, b)
		}
		if !got.Defined || got.ItemCount != 12 || got.MaxPoints != 60 || got.Title == "" || got.Settled {
			t.Fatalf("%s sees that the test exists: %+v", p.Username, got)
		}
	}
	outsider(schemeAVA2)
	for _, p := range []*auth.Principal{schemeMarker, schemeStranger, schemeMonitor, schemeObserver, schemeKOPOTED, schemeMASH, schemeKMSH, schemeStudent, nil} {
		got, err := w.svc.TestOf(ctx, p, 0, "D1")
		if err == nil || got.Visible || len(got.Items) > 0 {
			t.Fatalf("%v sees the test before the start: %+v", p, got)
		}
		if c := apperr.CodeOf(err); c != apperr.Forbidden && c != apperr.Unauthorized {
			t.Fatalf("%v: %v", p, err)
		}
		if strings.Contains(apperr.MessageOf(err), "SEKRET") {
			t.Fatalf("the refusal tells: %v", err)
		}
	}
	// Outside the group an AVA account changes nothing.
	_, err = w.svc.SaveTest(ctx, schemeAVA2, 0, "D1", schemeInput())
	schemeCode(t, err, apperr.Forbidden)
	schemeCode(t, w.svc.SettleTest(ctx, schemeAVA2, 0, "D1"), apperr.Forbidden)
	schemeCode(t, w.svc.AddToTestGroup(ctx, schemeAVA2, 0, "D1", schemeAVA2.Username), apperr.Forbidden)
	_, err = w.svc.SaveTest(ctx, schemeMarker, 0, "D1", schemeInput())
	schemeCode(t, err, apperr.Forbidden)
	// A member adds and removes.
	schemeCode(t, w.svc.AddToTestGroup(ctx, schemeAVA1, 0, "D1", "kmsh.a"), apperr.Invalid)
	schemeCode(t, w.svc.AddToTestGroup(ctx, schemeAVA1, 0, "D1", "askush"), apperr.Invalid)
	if err := w.svc.AddToTestGroup(ctx, schemeAVA1, 0, "D1", " Besa.Kola "); err != nil {
		t.Fatal(err)
	}
	if got, err := w.svc.TestOf(ctx, schemeAVA2, 0, "D1"); err != nil || !got.Visible || !got.InGroup || len(got.Items) != 12 {
		t.Fatalf("a new member sees the items: %+v %v", got, err)
	}
	if err := w.svc.RemoveFromTestGroup(ctx, schemeAVA2, 0, "D1", schemeAVA1.Username); err != nil {
		t.Fatal(err)
	}
	outsider(schemeAVA1)
	schemeCode(t, w.svc.RemoveFromTestGroup(ctx, schemeAVA2, 0, "D1", schemeAVA2.Username), apperr.Conflict)
	schemeCode(t, w.svc.RemoveFromTestGroup(ctx, schemeAVA2, 0, "D1", schemeAVA3.Username), apperr.NotFound)
	// The audit log, which every AVA account reads, holds no item.
	rows, err := w.k.DB.Query(`SELECT before || after FROM audit_log WHERE object_type = 'marking_test'`)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for rows.Next() {
		var s string
		rows.Scan(&s)
		n++
		if strings.Contains(s, "SEKRET") || strings.Contains(s, `"key"`) || strings.Contains(s, "levels") {
			t.Fatalf("the audit log tells the test: %s", s)
		}
	}
	rows.Close()
	if n < 3 {
		t.Fatalf("%d audit entries of the test, want the save and the group's changes", n)
	}

	// From the start: every AVA account, the exam's appointed markers and
	// monitors, KOPOTED, MASH and the observers; still nobody else.
	w.k.At(t, "2009-06-08 10:00")
	for _, p := range []*auth.Principal{schemeAVA3, schemeAVA1, schemeMarker, schemeMonitor, schemeObserver, schemeKOPOTED, schemeMASH} {
		if got, err := w.svc.TestOf(ctx, p, 0, "D1"); err != nil || !got.Visible || len(got.Items) != 12 || !got.Started {
			t.Fatalf("%s after the start: %+v %v", p.Username, got, err)
		}
	}
	for _, p := range []*auth.Principal{schemeStranger, schemeMonD2, schemeKMSH, schemeStudent} {
		if _, err := w.svc.TestOf(ctx, p, 0, "D1"); !apperr.Is(err, apperr.Forbidden) && !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("%s after the start: %v", p.Username, err)
		}
	}
	// Another exam, still before its start (11 June), stays closed.
	if _, err := w.svc.TestOf(ctx, schemeMonD2, 0, "D2"); !apperr.Is(err, apperr.Forbidden) {
		t.Fatalf("D2 before its start: %v", err)
	}
}

// Neni 57.5: after the exam AVA publishes the scheme; before that the
// public scheme is not found, with a sentence that tells nothing of it;
// after publication anyone reads the items, keys and levels.
func TestNeni57_5_SchemePublishedAfterTheExamOnlyAndThenPublic(t *testing.T) {
	t.Parallel()
	w := newSchemeWorld(t)
	ctx := w.ctx
	notYet := func() {
		t.Helper()
		_, err := w.svc.PublicScheme(ctx, 0, "D1")
		schemeCode(t, err, apperr.NotFound)
		if got := apperr.MessageOf(err); got != "Skema e vlerësimit të provimit D1 nuk është shpallur ende (Neni 57.5)." {
			t.Fatalf("before publication: %q", got)
		}
	}
	notYet()
	schemeCode(t, w.svc.PublishScheme(ctx, schemeAVA1, 0, "D1"), apperr.Conflict) // no test
	if _, err := w.svc.SaveTest(ctx, schemeAVA1, 2009, "D1", schemeInput()); err != nil {
		t.Fatal(err)
	}
	notYet()
	err := w.svc.PublishScheme(ctx, schemeAVA1, 0, "D1")
	schemeCode(t, err, apperr.Conflict)
	mustHave(t, apperr.MessageOf(err), "pas përfundimit të provimit", "Neni 57.5")
	if err := w.svc.SettleTest(ctx, schemeAVA1, 0, "D1"); err != nil {
		t.Fatal(err)
	}
	schemeCode(t, w.svc.PublishScheme(ctx, schemeAVA1, 0, "D1"), apperr.Conflict)
	w.k.At(t, "2009-06-08 11:00") // during the exam
	schemeCode(t, w.svc.PublishScheme(ctx, schemeAVA1, 0, "D1"), apperr.Conflict)
	notYet()
	w.k.At(t, "2009-06-08 12:30") // the end
	schemeCode(t, w.svc.PublishScheme(ctx, schemeMarker, 0, "D1"), apperr.Forbidden)
	if err := w.svc.PublishScheme(ctx, schemeAVA3, 0, "D1"); err != nil { // any AVA account
		t.Fatal(err)
	}
	pub, err := w.svc.PublicScheme(ctx, 2009, "d1")
	if err != nil {
		t.Fatal(err)
	}
	if !pub.Published || len(pub.Items) != 12 || pub.Items[0].Key != "A" || pub.Items[10].Levels[0].Text != "SEKRET e plotë" || pub.MaxPoints != 60 {
		t.Fatalf("public scheme: %+v", pub)
	}
	if pub.PublishedBy != "" || pub.SettledBy != "" || pub.UpdatedBy != "" || len(pub.Group) > 0 {
		t.Fatalf("the public scheme names people: %+v", pub)
	}
	for _, p := range []*auth.Principal{schemeKMSH, schemeStudent} {
		if _, err := w.svc.TestOf(ctx, p, 0, "D1"); err == nil {
			t.Fatalf("%s reads the marking's page (the public page is theirs)", p.Username)
		}
	}
	if got, err := w.svc.TestOf(ctx, schemeStranger, 0, "D1"); err != nil || !got.Visible {
		t.Fatalf("after publication every marking role reads it: %v", err)
	}
	schemeCode(t, w.svc.PublishScheme(ctx, schemeAVA1, 0, "D1"), apperr.Conflict)
	schemeCode(t, w.svc.ReopenTest(ctx, schemeAVA1, 0, "D1"), apperr.Conflict)
	_, err = w.svc.PublicScheme(ctx, 0, "XYZ")
	schemeCode(t, err, apperr.NotFound)
	_, err = w.svc.PublicScheme(ctx, 0, "D2")
	schemeCode(t, err, apperr.NotFound)
	_, err = w.svc.PublicScheme(ctx, 1999, "D1")
	schemeCode(t, err, apperr.NotFound)
}

// Neni 57.2–57.4: a file's every error is named with its item and its
// line (JSON) or row (XLSX); nothing of a bad file is saved.
func TestNeni57_2_TestImportNamesEveryError(t *testing.T) {
	t.Parallel()
	w := newSchemeWorld(t)
	ctx := w.ctx
	bad := `{
  "title": "Testi D1",
  "items": [
    {"label": "1", "kind": "choice", "max_points": 1, "options": 4, "key": "E"},
    {"label": "2", "kind": "multiple", "max_points": 1},
    {"label": "3", "kind": "short", "max_points": 0, "levels": [{"points": 0, "text": "x"}]},
    {"label": "4", "kind": "short", "max_points": 2, "levels": [{"points": 1, "text": "pjesërisht"}]},
    {"label": "5", "kind": "extended", "max_points": "5"},
    {"label": "6", "kind": "short", "max_points": 3, "levels": [{"points": 4, "text": "tepër"}, {"points": 3, "text": "plotë"}]},
    {"label": "7", "kind": "choice", "max_points": 1, "options": 4, "key": "A", "extra": 1},
    {"label": "1", "kind": "choice", "max_points": 1, "options": 1, "key": "A", "levels": [{"points": 1, "text": "x"}]},
    {"label": "9", "kind": "short", "max_points": 2, "key": "A", "levels": [{"points": 2, "text": ""}, {"points": 2, "text": "dy"}]}
  ]
}`
	_, err := w.svc.ImportTest(ctx, schemeAVA1, 0, "D1", "testi.json", strings.NewReader(bad))
	schemeCode(t, err, apperr.Invalid)
	mustHave(t, details(err),
		"Kërkesa 1 «1» (rreshti 4): çelësi «E» nuk është ndër alternativat A–D",
		"Kërkesa 2 «2» (rreshti 5): lloji «multiple» nuk njihet",
		"Kërkesa 3 «3» (rreshti 6): pikët maksimale janë 0",
		"Kërkesa 4 «4» (rreshti 7): niveli më i lartë jep 1 pikë, ndërsa kërkesa ka 2",
		"Kërkesa 5 «5» (rreshti 8): fusha «max_points» duhet të jetë numër i plotë",
		"Kërkesa 6 «6» (rreshti 9): niveli «tepër» jep 4 pikë, jashtë 0–3",
		"Kërkesa 7 «7» (rreshti 10): fusha «extra» nuk njihet",
		"Kërkesa 8 «1» (rreshti 11): emërtimi «1» është edhe i kërkesës 1",
		"Kërkesa 8 «1» (rreshti 11): një kërkesë me alternativa nuk ka nivele",
		"Kërkesa 8 «1» (rreshti 11): një kërkesë me alternativa ka nga 2 deri në 26 alternativa",
		"Kërkesa 9 «9» (rreshti 12): një kërkesë me përgjigje të hapur nuk ka alternativa as çelës",
		"Kërkesa 9 «9» (rreshti 12): niveli me 2 pikë nuk ka përshkrim",
		"Kërkesa 9 «9» (rreshti 12): dy nivele japin nga 2 pikë",
	)
	// Broken JSON names its line; a wrong top is named.
	_, err = w.svc.ImportTest(ctx, schemeAVA1, 0, "D1", "t.json", strings.NewReader("{\n\"title\": \"x\",\n\"items\": [\n{\"label\": \"1\",,}\n]}"))
	schemeCode(t, err, apperr.Invalid)
	mustHave(t, details(err), "rreshti 4")
	_, err = w.svc.ImportTest(ctx, schemeAVA1, 0, "D1", "t.json", strings.NewReader(`{"title": "x", "items": [], "exam": "D2", "autor": "A"}`))
	mustHave(t, details(err), "Skedari është për provimin D2, jo për D1.", "fusha «autor» nuk njihet", "Testi nuk ka asnjë kërkesë")

	// XLSX: a row per item, level rows under an open item.
	x := excelize.NewFile()
	for i, row := range [][]any{
		{"Kërkesa", "Lloji", "Pikë", "Alternativa", "Çelësi", "Niveli", "Titulli"},
		{"1", "zgjedhje", 1, 4, "B", "", "Testi D1"},
		{"2", "e shkurtër", "x"},
		{"3", "e zgjeruar", 3, "", "", "3: plotë"},
		{"", "", 2, "", "", "pjesërisht"},
		{"", "", "abc", "", "", "keq"},
		{"4", "choice", 1, 4, "AB"},
		{"1", "short", 2, "", "", "2: plotë"},
		{"", "short", 1, "", "", "një"},
	} {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		x.SetSheetRow("Sheet1", cell, &row)
	}
	var buf bytes.Buffer
	x.Write(&buf)
	_, err = w.svc.ImportTest(ctx, schemeAVA1, 0, "D1", "testi.xlsx", bytes.NewReader(buf.Bytes()))
	schemeCode(t, err, apperr.Invalid)
	mustHave(t, details(err),
		"Kërkesa 2 «2» (rreshti 3): pikët maksimale «x» nuk janë numër i plotë",
		"Kërkesa 3 «3» (rreshtat 4–6), rreshti 6: pikët e nivelit «abc» nuk janë numër i plotë",
		"Kërkesa 4 «4» (rreshti 7): çelësi «AB» duhet të jetë një shkronjë e vetme",
		"Kërkesa 5 «1» (rreshtat 8–9), rreshti 9: rreshti i një niveli ka vetëm «pike» dhe «niveli»",
	)
	// A header that is not a test's.
	x = excelize.NewFile()
	x.SetSheetRow("Sheet1", "A1", &[]any{"kerkesa", "ngjyra", "pike"})
	x.SetSheetRow("Sheet1", "A2", &[]any{"1", "e kuqe", 1})
	buf.Reset()
	x.Write(&buf)
	_, err = w.svc.ImportTest(ctx, schemeAVA1, 0, "D1", "testi.xlsx", &buf)
	mustHave(t, details(err), "Rreshti 1: kolona «ngjyra» nuk njihet", "Rreshti 1: mungon kolona «lloji»")
	// Other files are refused whole.
	_, err = w.svc.ImportTest(ctx, schemeAVA1, 0, "D1", "testi.pdf", strings.NewReader("%PDF"))
	schemeCode(t, err, apperr.Invalid)
	_, err = w.svc.ImportTest(ctx, schemeAVA1, 0, "D1", "testi.json", bytes.NewReader(make([]byte, marking.MaxSchemeFile+1)))
	schemeCode(t, err, "too_large")
	if got, err := w.svc.TestOf(ctx, schemeAVA1, 0, "D1"); err != nil || got.Defined {
		t.Fatalf("a bad file saved something: %+v %v", got, err)
	}
}

// A right XLSX file (and the same as CSV) imports whole, with the levels
// of the scheme read from level rows and from "points: text" lines.
func TestSchemeImportXLSXAndCSVWhole(t *testing.T) {
	t.Parallel()
	w := newSchemeWorld(t)
	x := excelize.NewFile()
	rows := [][]any{{"kerkesa", "lloji", "pike", "alternativa", "celesi", "niveli"}}
	for i := 1; i <= 20; i++ {
		rows = append(rows, []any{i, "zgjedhje", 1, "", string(rune('A' + i%4))})
	}
	rows = append(rows, []any{"21", "e zgjeruar", 40, "", "", "40: Ese e plotë\n20: Ese e pjesshme"}, []any{"", "", 10, "", "", "Ese e cekët"})
	for i, row := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		x.SetSheetRow("Sheet1", cell, &row)
	}
	var buf bytes.Buffer
	x.Write(&buf)
	got, err := w.svc.ImportTest(w.ctx, schemeAVA1, 0, "D1", "Testi.XLSX", &buf)
	if err != nil {
		t.Fatal(details(err))
	}
	if got.ItemCount != 21 || got.Items[20].Kind != marking.KindExtended || len(got.Items[20].Levels) != 3 || got.Items[20].Levels[2].Points != 10 ||
		got.Items[0].Options != 4 || got.Items[0].Key != "B" || !strings.Contains(got.Title, "D1") {
		t.Fatalf("imported: %+v", got)
	}
	csv := "kerkesa;lloji;pike;celesi;niveli;titulli\n1;choice;20;C;;Testi me CSV\n2;short;40;;40: e plotë;\n"
	got, err = w.svc.ImportTest(w.ctx, schemeAVA1, 0, "D1", "t.csv", strings.NewReader(csv))
	if err != nil || got.ItemCount != 2 || got.Title != "Testi me CSV" || got.Items[0].Options != 4 {
		t.Fatalf("csv: %+v %v", got, details(err))
	}
}

// Neni 57.3 (with 57.1): the items' maximum points add up to the subject's
// points in the year's configuration; the error names the difference.
func TestNeni57_3_SumOfMaxPointsIsTheSubjects(t *testing.T) {
	t.Parallel()
	w := newSchemeWorld(t)
	in := schemeInput()
	in.Items[11].MaxPoints, in.Items[11].Levels[0].Points = 38, 38
	_, err := w.svc.SaveTest(w.ctx, schemeAVA1, 0, "D1", in)
	schemeCode(t, err, apperr.Invalid)
	mustHave(t, details(err), "Shuma e pikëve maksimale të kërkesave është 58, ndërsa provimi D1 (Gjuhë shqipe dhe letërsi) ka 60 pikë: mungojnë 2 pikë.")
	in.Items[11].MaxPoints, in.Items[11].Levels[0].Points = 41, 41
	_, err = w.svc.SaveTest(w.ctx, schemeAVA1, 0, "D1", in)
	mustHave(t, details(err), "është 61, ndërsa provimi D1 (Gjuhë shqipe dhe letërsi) ka 60 pikë: janë 1 pikë më shumë.")
	// The same 60 points are too many for D2 (50) and for an elective.
	for _, exam := range []string{"D2", "FIZ"} {
		_, err = w.svc.SaveTest(w.ctx, schemeAVA1, 0, exam, schemeInput())
		mustHave(t, details(err), "janë 10 pikë më shumë")
	}
	// An item more than the whole exam is named, and the sum not repeated.
	in = schemeInput()
	in.Items[0].MaxPoints = 61
	_, err = w.svc.SaveTest(w.ctx, schemeAVA1, 0, "D1", in)
	mustHave(t, details(err), "Kërkesa 1 «1»: 61 pikë, më shumë se 60 pikët e gjithë provimit D1.")
	if strings.Contains(details(err), "Shuma") {
		t.Fatalf("the sum is not told when an item is wrong: %s", details(err))
	}
	_, err = w.svc.SaveTest(w.ctx, schemeAVA1, 0, "MATEMATIKE", schemeInput())
	schemeCode(t, err, apperr.Invalid)
	if _, err := w.svc.SaveTest(w.ctx, schemeAVA1, 0, "D1", schemeInput()); err != nil {
		t.Fatal(details(err))
	}
}

// Limits and normal form: labels of at most 12 characters, at most 200
// items, texts in NFC, no invisible characters.
func TestSchemeLimitsAndNFC(t *testing.T) {
	t.Parallel()
	w := newSchemeWorld(t)
	in := schemeInput()
	in.Title = "  Testi   i gjuhe\u0308s  " // ë typed as e + ◌̈
	in.Items[10].Levels[1].Text = "Pe\u0308rgjigje  e plotë"
	got, err := w.svc.SaveTest(w.ctx, schemeAVA1, 0, "D1", in)
	if err != nil {
		t.Fatal(details(err))
	}
	if got.Title != "Testi i gjuhës" || got.Items[10].Levels[0].Text != "Përgjigje e plotë" {
		t.Fatalf("not NFC: %q %q", got.Title, got.Items[10].Levels[0].Text)
	}
	in = schemeInput()
	in.Items[0].Label = "1234567890123"
	in.Items[1].Label = "2\u200b"
	in.Items[10].Levels[0].Text = strings.Repeat("a", marking.MaxLevelText+1)
	_, err = w.svc.SaveTest(w.ctx, schemeAVA1, 0, "D1", in)
	mustHave(t, details(err), "emërtimi ka 13 shenja, më shumë se 12", "Kërkesa 2 «2\u200b»: emërtimi ka shenja të padukshme", "ka 2001 shenja, më shumë se 2000")
	in = marking.TestInput{Title: "Shumë"}
	for range marking.MaxItems + 1 {
		in.Items = append(in.Items, marking.Item{Label: "x", Kind: marking.KindChoice, MaxPoints: 1, Options: 4, Key: "A"})
	}
	_, err = w.svc.SaveTest(w.ctx, schemeAVA1, 0, "D1", in)
	mustHave(t, details(err), "Testi ka 201 kërkesa, më shumë se 200")
}

// The form: a row per item, blank rows left out, levels one per line.
func TestSchemeFormRows(t *testing.T) {
	t.Parallel()
	w := newSchemeWorld(t)
	rows := []marking.TestRow{{Label: "1", Kind: "choice", MaxPoints: "10", Key: "c"}, {}, {Label: "2", Kind: "short", MaxPoints: "50", Levels: "50: e plotë\r\n25 pikë: e pjesshme\n\n"}, {}}
	got, err := w.svc.SaveTestForm(w.ctx, schemeAVA1, 0, "D1", "Testi", rows)
	if err != nil {
		t.Fatal(details(err))
	}
	if got.ItemCount != 2 || got.Items[0].Key != "C" || got.Items[0].Options != 4 || len(got.Items[1].Levels) != 2 || got.Items[1].Levels[1].Points != 25 {
		t.Fatalf("form: %+v", got)
	}
	back := marking.RowsOf(got.Items)
	if back[1].Levels != "50: e plotë\n25: e pjesshme\n" || back[0].Options != "4" {
		t.Fatalf("rows of the test: %+v", back)
	}
	rows[2].Levels = "e plotë"
	rows[2].MaxPoints = "pesëdhjetë"
	_, err = w.svc.SaveTestForm(w.ctx, schemeAVA1, 0, "D1", "Testi", rows)
	mustHave(t, details(err), "Kërkesa 2 «2» (rreshti 3 i formularit): pikët maksimale «pesëdhjetë» nuk janë numër i plotë",
		"Kërkesa 2 «2» (rreshti 3 i formularit): niveli «e plotë» nuk ka formën «pikë: përshkrimi»")
}

// Neni 19.6: a settled test refuses changes (Conflict, naming it); it may
// be reopened until its marking begins or its scheme is published.
func TestNeni19_6_SettledTestRefusesChanges(t *testing.T) {
	t.Parallel()
	w := newSchemeWorld(t)
	ctx := w.ctx
	if _, err := w.svc.SaveTest(ctx, schemeAVA1, 0, "D1", schemeInput()); err != nil {
		t.Fatal(err)
	}
	schemeCode(t, w.svc.ReopenTest(ctx, schemeAVA1, 0, "D1"), apperr.Conflict)
	if err := w.svc.SettleTest(ctx, schemeAVA1, 0, "D1"); err != nil {
		t.Fatal(err)
	}
	schemeCode(t, w.svc.SettleTest(ctx, schemeAVA1, 0, "D1"), apperr.Conflict)
	if got, _ := w.svc.TestOf(ctx, schemeAVA2, 0, "D1"); !got.Settled || got.SettledBy != "Arta Hoxha" {
		t.Fatalf("settled: %+v", got)
	}
	_, err := w.svc.SaveTest(ctx, schemeAVA1, 0, "D1", schemeInput())
	schemeCode(t, err, apperr.Conflict)
	mustHave(t, apperr.MessageOf(err), "është mbyllur për ndryshime")
	_, err = w.svc.ImportTest(ctx, schemeAVA1, 0, "D1", "t.json", strings.NewReader(`{"title": "x", "items": []}`))
	schemeCode(t, err, apperr.Conflict)
	if err := w.svc.ReopenTest(ctx, schemeAVA1, 0, "D1"); err != nil {
		t.Fatal(err)
	}
	in := schemeInput()
	in.Title = "Testi i ndryshuar"
	if got, err := w.svc.SaveTest(ctx, schemeAVA1, 0, "D1", in); err != nil || got.Title != "Testi i ndryshuar" || got.Settled {
		t.Fatalf("after reopening: %+v %v", got, err)
	}
	if err := w.svc.SettleTest(ctx, schemeAVA1, 0, "D1"); err != nil {
		t.Fatal(err)
	}
	// Once a booklet is given to a marker, the test stays as it is.
	schemeExec(t, w.k, `INSERT INTO marking_allocations (year, exam, code, round, username, allocated_by, allocated_at) VALUES (2009, 'D1', 'K-1', 1, 'vl.d1', 'ava', '2009-06-09T08:00:00Z')`)
	err = w.svc.ReopenTest(ctx, schemeAVA1, 0, "D1")
	schemeCode(t, err, apperr.Conflict)
	mustHave(t, apperr.MessageOf(err), "vlerësimi ka nisur")
}

// The example of docs/scheme-format.md imports as it says.
func TestSchemeFormatDocExample(t *testing.T) {
	t.Parallel()
	raw, err := os.ReadFile("../../docs/scheme-format.md")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, _ := strings.Cut(string(raw), "```json\n")
	example, _, ok := strings.Cut(rest, "```")
	if !ok {
		t.Fatal("docs/scheme-format.md has no JSON example")
	}
	w := newSchemeWorld(t)
	got, err := w.svc.ImportTest(w.ctx, schemeAVA1, 0, "D1", "shembull.json", strings.NewReader(example))
	if err != nil {
		t.Fatal(details(err))
	}
	if got.ItemCount != 4 || got.MaxPoints != 60 || got.Items[3].Levels[2].Points != 0 {
		t.Fatalf("the example: %+v", got)
	}
}
