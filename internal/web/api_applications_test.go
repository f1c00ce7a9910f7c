package web

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"provim/internal/doc/xlsx"
	"strings"
	"testing"
	"time"

	"provim/internal/application"
	"provim/internal/auth"
	"provim/internal/clock"
	"provim/internal/examyear"
	"provim/internal/registry"
	"provim/internal/web/webkit"
)

// appFixture is the authorisation fixture with exam year 2027 (copied
// from 2009) active; day moves its clock.
type appFixture struct {
	*fixture
}

func newAppFixture(t *testing.T) *appFixture {
	t.Helper()
	return &appFixture{fixture: withYear2027(t, newFixture(t))}
}

// withYear2027 makes exam year 2027, copied from 2009, the active one.
func withYear2027(t *testing.T, f *fixture) *fixture {
	t.Helper()
	ctx := context.Background()
	op := &auth.Principal{Username: "setup", Role: auth.RoleAVA}
	if _, err := f.k.Years.Create(ctx, op, 2027, "", 2009); err != nil {
		t.Fatal(err)
	}
	if err := f.k.Years.SetActive(ctx, op, 2027); err != nil {
		t.Fatal(err)
	}
	return f
}

// day stands the clock on noon in Tirana of date.
func (f *fixture) day(date string) {
	d, err := time.ParseInLocation("2006-01-02", date, clock.Tirana)
	if err != nil {
		panic(err)
	}
	f.k.Clock.Set(d.Add(12 * time.Hour))
}

// call is f.api that also checks the status and decodes a JSON answer.
func (f *appFixture) call(t *testing.T, user, method, path string, body any, want int, out any) string {
	t.Helper()
	code, b := f.api(t, user, method, path, body)
	if code != want {
		t.Fatalf("%s %s %s: %d, want %d\n%s", user, method, path, code, want, snippet(b))
	}
	if out != nil {
		if err := json.Unmarshal([]byte(b), out); err != nil {
			t.Fatalf("%s %s: %v\n%s", method, path, err, snippet(b))
		}
	}
	return b
}

// TestApplicationAPIWholeCycle walks one year through the API: A1 online
// and on paper, confirmation, table T in JSON, PDF and XLSX, sending to the
// KMSH, verification, the lists to AVA, registration numbers, the failing
// students, the final lists and form A2; with the roles and scopes refused
// along the way.
func TestApplicationAPIWholeCycle(t *testing.T) {
	t.Parallel()
	f := newAppFixture(t)
	home, foreign := f.home.student, f.foreign.student
	f.day("2027-02-25")

	// Neni 22 ¶1: the student files A1 online (201), then changes it (200).
	var a application.Application
	f.call(t, "nxenes", "POST", "/api/v1/applications/a1", map[string]any{"student_id": home, "electives": []string{"fiz", "KIM"}}, 201, &a)
	if a.ID == 0 || a.Status != application.Draft || a.Source != application.Online || strings.Join(a.Electives, ",") != "FIZ,KIM" {
		t.Fatalf("draft: %+v", a)
	}
	f.call(t, "nxenes", "POST", "/api/v1/applications/a1", map[string]any{"student_id": home, "electives": []string{"FIZ", "KIM"}, "submit": true}, 200, &a)
	if a.Status != application.Submitted {
		t.Fatalf("submitted: %+v", a)
	}
	var got application.Application
	f.call(t, "nxenes", "GET", fmt.Sprintf("/api/v1/students/%d/application", home), nil, 200, &got)
	if got.ID != a.ID || got.Status != application.Submitted || got.SchoolCode != "A-1" {
		t.Fatalf("read back: %+v", got)
	}
	f.call(t, "nxenes", "GET", fmt.Sprintf("/api/v1/applications/%d", a.ID), nil, 200, &got)
	// Wrong elective: 422 with each problem in details; unknown field: 422.
	var e webkit.APIError
	f.call(t, "nxenes", "POST", "/api/v1/applications/a1", map[string]any{"student_id": home, "electives": []string{"FIZ", "XYZ"}}, 422, &e)
	if len(e.Details) == 0 || !strings.Contains(e.Message, "«XYZ»") {
		t.Fatalf("bad elective: %+v", e)
	}
	f.call(t, "nxenes", "POST", "/api/v1/applications/a1", map[string]any{"student_id": home, "zgjedhje": []string{}}, 422, nil)
	// A student files only for themselves; another's form is not there.
	f.call(t, "nxenes", "POST", "/api/v1/applications/a1", map[string]any{"student_id": foreign}, 404, nil)
	// No form yet for the foreign student: 404. AVA enters it from paper.
	f.call(t, "ava", "GET", fmt.Sprintf("/api/v1/students/%d/application", foreign), nil, 404, nil)
	var b application.Application
	f.call(t, "ava", "POST", "/api/v1/applications/a1", map[string]any{"student_id": foreign, "electives": []string{"HIS", "GJE"}}, 201, &b)
	if b.Source != application.Paper || b.Status != application.Submitted {
		t.Fatalf("paper form: %+v", b)
	}

	// Scope: the school and the region of side A do not see side B.
	for _, user := range []string{"kshmsh", "kmsh", "nxenes"} {
		f.call(t, user, "GET", fmt.Sprintf("/api/v1/applications/%d", b.ID), nil, 404, nil)
		f.call(t, user, "GET", fmt.Sprintf("/api/v1/applications/%d/history", b.ID), nil, 404, nil)
		f.call(t, user, "GET", fmt.Sprintf("/api/v1/students/%d/application", foreign), nil, 404, nil)
	}
	f.call(t, "pap", "GET", "/api/v1/applications", nil, 403, nil)
	var list struct {
		Total int
		Items []application.Application
	}
	for _, tc := range []struct {
		user, query string
		total       int
	}{
		{"ava", "", 2}, {"kmsh", "", 1}, {"kshmsh", "", 1}, {"nxenes", "", 1},
		{"ava", "?school=B-1", 1}, {"ava", "?unit=DAR-A", 1}, {"ava", "?status=submitted&category=rregullt", 2},
		{"ava", "?q=ela", 1}, {"ava", "?failing=true", 0}, {"kshmsh", "?school=B-1", 0}, {"ava", "?limit=1&offset=1", 2},
	} {
		f.call(t, tc.user, "GET", "/api/v1/applications"+tc.query, nil, 200, &list)
		if list.Total != tc.total {
			t.Errorf("%s applications%s: total %d, want %d", tc.user, tc.query, list.Total, tc.total)
		}
	}
	if f.call(t, "ava", "GET", "/api/v1/applications?limit=1&offset=1", nil, 200, &list); len(list.Items) != 1 {
		t.Errorf("page of 1: %d items", len(list.Items))
	}
	f.call(t, "ava", "GET", "/api/v1/applications?failing=perhaps", nil, 422, nil)

	// Non-numeric or non-positive ids name no form.
	for _, id := range []string{"abc", "0", "-1", "007", "999999"} {
		f.call(t, "ava", "GET", "/api/v1/applications/"+id, nil, 404, nil)
		f.call(t, "ava", "GET", "/api/v1/applications/"+id+"/history", nil, 404, nil)
		f.call(t, "ava", "POST", "/api/v1/applications/"+id+"/corrections", map[string]any{"electives": []string{}, "reason": "x"}, 404, nil)
		f.call(t, "ava", "GET", "/api/v1/students/"+id+"/application", nil, 404, nil)
	}

	// Neni 22 ¶2: the school confirms, from 11 March; a student cannot.
	f.day("2027-03-12")
	f.call(t, "nxenes", "POST", "/api/v1/schools/A-1/applications/confirm", map[string]any{}, 403, nil)
	f.call(t, "kshmsh", "POST", "/api/v1/schools/B-1/applications/confirm", map[string]any{}, 404, nil)
	var n map[string]int
	f.call(t, "kshmsh", "POST", "/api/v1/schools/A-1/applications/confirm", map[string]any{"ids": []int64{a.ID}}, 200, &n)
	if n["confirmed"] != 1 {
		t.Fatalf("confirm: %v", n)
	}
	// An empty body confirms all: there is none left.
	if f.call(t, "kshmsh", "POST", "/api/v1/schools/A-1/applications/confirm", nil, 200, &n); n["confirmed"] != 0 {
		t.Fatalf("confirm again: %v", n)
	}

	// Table T: JSON, PDF and XLSX, the same school; not for other schools.
	var tt application.TableT
	f.call(t, "kshmsh", "GET", "/api/v1/schools/A-1/table-t", nil, 200, &tt)
	if tt.Year != 2027 || tt.SchoolCode != "A-1" || len(tt.Rows) != 1 || tt.Rows[0].ID != a.ID || tt.Rows[0].Z1 != "FIZ" {
		t.Fatalf("table T: %+v", tt)
	}
	resp, body := f.raw(t, "kshmsh", "GET", "/api/v1/schools/A-1/table-t?format=pdf", "", nil)
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(body, "%PDF") ||
		!strings.Contains(resp.Header.Get("Content-Disposition"), `attachment; filename=tabela-T-A-1-2027.pdf`) {
		t.Fatalf("table T PDF: %d %q %q %q", resp.StatusCode, resp.Header.Get("Content-Type"), resp.Header.Get("Content-Disposition"), snippet(body))
	}
	resp, body = f.raw(t, "kshmsh", "GET", "/api/v1/schools/A-1/table-t?format=xlsx", "", nil)
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != xlsx.ContentType || !strings.HasPrefix(body, "PK") ||
		!strings.Contains(resp.Header.Get("Content-Disposition"), "tabela-T-A-1-2027.xlsx") {
		t.Fatalf("table T XLSX: %d %q %q", resp.StatusCode, resp.Header.Get("Content-Type"), resp.Header.Get("Content-Disposition"))
	}
	if zr, err := zip.NewReader(strings.NewReader(body), int64(len(body))); err != nil || len(zr.File) == 0 {
		t.Fatalf("table T XLSX is not a zip: %v", err)
	}
	f.call(t, "kshmsh", "GET", "/api/v1/schools/A-1/table-t?format=doc", nil, 422, nil)
	for _, format := range []string{"", "?format=pdf", "?format=xlsx"} {
		resp, body := f.raw(t, "kshmsh", "GET", "/api/v1/schools/B-1/table-t"+format, "", nil)
		if e := apiErr(t, resp, body); resp.StatusCode != 404 || e.Code != "not_found" {
			t.Errorf("foreign table T%s: %d %s", format, resp.StatusCode, snippet(body))
		}
	}
	f.call(t, "nxenes", "GET", "/api/v1/schools/A-1/table-t", nil, 403, nil)

	// Neni 22 ¶3: table T to the KMSH, once.
	f.day("2027-03-25")
	f.call(t, "nxenes", "POST", "/api/v1/schools/A-1/table-t/send", nil, 403, nil)
	if f.call(t, "kshmsh", "POST", "/api/v1/schools/A-1/table-t/send", map[string]any{"late_reason": ""}, 200, &n); n["forms"] != 1 {
		t.Fatalf("send: %v", n)
	}
	f.call(t, "kshmsh", "POST", "/api/v1/schools/A-1/table-t/send", nil, 409, nil)
	// After sending, the KMSH corrects with a reason; the school may not.
	f.call(t, "kshmsh", "POST", fmt.Sprintf("/api/v1/applications/%d/corrections", a.ID), map[string]any{"electives": []string{"BIO", "KIM"}, "reason": "gabim"}, 403, nil)
	f.call(t, "kmsh", "POST", fmt.Sprintf("/api/v1/applications/%d/corrections", a.ID), map[string]any{"electives": []string{"BIO", "KIM"}}, 422, nil)
	f.call(t, "kmsh", "POST", fmt.Sprintf("/api/v1/applications/%d/corrections", a.ID),
		map[string]any{"electives": []string{"BIO", "KIM"}, "reason": "formulari në letër kishte BIO"}, 200, &got)
	if strings.Join(got.Electives, ",") != "BIO,KIM" {
		t.Fatalf("correction: %+v", got)
	}
	// Neni 22 ¶4: the KMSH verifies and sends its lists to AVA.
	f.call(t, "kshmsh", "POST", "/api/v1/schools/A-1/table-t/verify", nil, 403, nil)
	if f.call(t, "kmsh", "POST", "/api/v1/schools/A-1/table-t/verify", nil, 200, &n); n["verified"] != 1 {
		t.Fatalf("verify: %v", n)
	}
	f.call(t, "kmsh", "POST", "/api/v1/units/DAR-B/lists/send", nil, 404, nil)
	if f.call(t, "kmsh", "POST", "/api/v1/units/DAR-A/lists/send", nil, 200, &n); n["forms"] != 1 {
		t.Fatalf("send unit: %v", n)
	}
	f.call(t, "kmsh", "POST", "/api/v1/units/DAR-A/lists/send", nil, 409, nil)

	// Neni 34: AVA, and only AVA, gives the registration numbers.
	f.day("2027-05-01")
	f.call(t, "kmsh", "POST", "/api/v1/registration-numbers", nil, 403, nil)
	if f.call(t, "ava", "POST", "/api/v1/registration-numbers", map[string]any{}, 200, &n); n["assigned"] != 1 {
		t.Fatalf("assign: %v", n)
	}
	f.call(t, "kshmsh", "GET", fmt.Sprintf("/api/v1/applications/%d", a.ID), nil, 200, &got)
	if !application.ValidRegNo(got.RegNo) || got.Status != application.Registered {
		t.Fatalf("registered: %+v", got)
	}

	// Neni 35: failing students, once the school year has ended.
	f.day("2027-05-28")
	f.call(t, "kshmsh", "POST", "/api/v1/schools/A-1/failing", map[string]any{"ids": []int64{a.ID}}, 422, nil) // "failing" is required
	if f.call(t, "kshmsh", "POST", "/api/v1/schools/A-1/failing", map[string]any{"ids": []int64{a.ID}, "failing": false}, 200, &n); n["changed"] != 0 {
		t.Fatalf("failing false on a passing student: %v", n)
	}
	f.day("2027-05-29")
	if f.call(t, "kmsh", "POST", "/api/v1/units/DAR-A/failing/send", nil, 200, &n); n["failing"] != 0 {
		t.Fatalf("failing to AVA: %v", n)
	}

	// Neni 36: the final lists, built by AVA, read in scope, as JSON and PDF.
	f.day("2027-05-30")
	f.call(t, "kmsh", "POST", "/api/v1/final-lists", nil, 403, nil)
	var sum application.FinalSummary
	f.call(t, "ava", "POST", "/api/v1/final-lists", nil, 200, &sum)
	if sum.Year != 2027 || sum.Total != 1 || sum.Exams["D1"] != 1 || sum.Exams["BIO"] != 1 {
		t.Fatalf("final lists: %+v", sum)
	}
	var fl struct {
		Year  int
		Exam  string
		Total int
		Items []application.ListEntry
	}
	f.call(t, "kshmsh", "GET", "/api/v1/final-lists/d1", nil, 200, &fl)
	if fl.Exam != "D1" || fl.Total != 1 || len(fl.Items) != 1 || fl.Items[0].FullName != "Arbër (Ilir) Çela" || fl.Items[0].RegNo != got.RegNo {
		t.Fatalf("D1 list: %+v", fl)
	}
	if f.call(t, "ava", "GET", "/api/v1/final-lists/BIO?school=B-1", nil, 200, &fl); fl.Total != 0 || fl.Items == nil {
		t.Fatalf("BIO list of B-1: %+v", fl)
	}
	f.call(t, "ava", "GET", "/api/v1/final-lists/XYZ", nil, 404, nil)
	resp, body = f.raw(t, "kshmsh", "GET", "/api/v1/final-lists/D1?format=pdf&school=A-1", "", nil)
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(body, "%PDF") ||
		!strings.Contains(resp.Header.Get("Content-Disposition"), "lista-D1-2027-A-1.pdf") {
		t.Fatalf("D1 PDF: %d %q %q", resp.StatusCode, resp.Header.Get("Content-Type"), resp.Header.Get("Content-Disposition"))
	}
	resp, body = f.raw(t, "ava", "GET", "/api/v1/final-lists/D1?format=xlsx", "", nil)
	if resp.StatusCode != 200 || !strings.HasPrefix(body, "PK") {
		t.Fatalf("D1 XLSX: %d", resp.StatusCode)
	}
	f.call(t, "pap", "GET", "/api/v1/final-lists/D1", nil, 403, nil)

	// Neni 21, 28–29: form A2 needs the fee receipt; every problem is listed.
	f.call(t, "kmsh", "PUT", "/api/v1/programmes", map[string]any{"items": []any{}}, 403, nil)
	var progs struct{ Items []application.Programme }
	f.call(t, "ava", "PUT", "/api/v1/programmes", map[string]any{"items": []application.Programme{
		{Code: "UT-INF", Name: "Informatikë", Institution: "Universiteti i Tiranës", City: "Tiranë", Quota: 120},
	}}, 200, &progs)
	if f.call(t, "nxenes", "GET", "/api/v1/programmes", nil, 200, &progs); len(progs.Items) != 1 || progs.Items[0].Code != "UT-INF" {
		t.Fatalf("programmes: %+v", progs)
	}
	f.call(t, "nxenes", "GET", fmt.Sprintf("/api/v1/students/%d/a2", home), nil, 404, nil)
	f.call(t, "nxenes", "POST", "/api/v1/a2", map[string]any{"student_id": home, "programmes": []string{"UT-INF"}, "receipt": map[string]any{}}, 422, &e)
	if e.Code != "invalid" || len(e.Details) < 2 || !strings.Contains(strings.Join(e.Details, "\n"), "Neni 29") {
		t.Fatalf("A2 without receipt: %+v", e)
	}
	receipt := map[string]any{"number": "MA-2027-0001", "date": "2027-05-20", "amount": 1000}
	var a2 application.A2
	f.call(t, "nxenes", "POST", "/api/v1/a2", map[string]any{"student_id": home, "programmes": []string{"ut-inf"}, "receipt": receipt}, 201, &a2)
	f.call(t, "nxenes", "POST", "/api/v1/a2", map[string]any{"student_id": home, "programmes": []string{"UT-INF"}, "receipt": receipt}, 200, &a2)
	if f.call(t, "kshmsh", "GET", fmt.Sprintf("/api/v1/students/%d/a2", home), nil, 200, &a2); a2.Receipt.Number != "MA-2027-0001" || a2.Programmes[0] != "UT-INF" {
		t.Fatalf("A2: %+v", a2)
	}
	f.call(t, "kshmsh", "GET", fmt.Sprintf("/api/v1/students/%d/a2", foreign), nil, 404, nil)

	// The student sees every step of their form.
	var h struct{ Items []application.Event }
	f.call(t, "nxenes", "GET", fmt.Sprintf("/api/v1/applications/%d/history", a.ID), nil, 200, &h)
	if len(h.Items) < 7 || h.Items[len(h.Items)-1].Status != application.Final {
		t.Fatalf("history: %+v", h.Items)
	}
}

// TestApplicationAPIResultsAndExclusions: AVA records earlier results and
// exclusions; the others read results in their scope only.
func TestApplicationAPIResultsAndExclusions(t *testing.T) {
	t.Parallel()
	f := newAppFixture(t)
	path := fmt.Sprintf("/api/v1/students/%d/results", f.home.student)
	body := map[string]any{"results": []application.Result{{Year: 2026, Session: 1, Subject: "GJSH", Kind: "D1", Grade: 7}}, "source": "AVA 2026"}
	f.call(t, "kmsh", "POST", path, body, 403, nil)
	var res struct{ Items []application.Result }
	f.call(t, "ava", "POST", path, body, 200, &res)
	if len(res.Items) != 1 || res.Items[0].Grade != 7 {
		t.Fatalf("results: %+v", res)
	}
	if f.call(t, "nxenes", "GET", path, nil, 200, &res); len(res.Items) != 1 {
		t.Fatalf("own results: %+v", res)
	}
	f.call(t, "kshmsh", "GET", fmt.Sprintf("/api/v1/students/%d/results", f.foreign.student), nil, 404, nil)
	f.call(t, "ava", "POST", path, map[string]any{"results": []application.Result{{Year: 2026, Session: 1, Subject: "GJSH", Kind: "D9", Grade: 12}}}, 422, nil)

	excl := fmt.Sprintf("/api/v1/students/%d/exclusions", f.home.student)
	f.call(t, "kshmsh", "POST", excl, map[string]any{"year": 2026, "exam": "D1", "cause": "54.8"}, 403, nil)
	f.call(t, "ava", "POST", excl, map[string]any{"year": 2026, "exam": "D1", "cause": "54.99"}, 422, nil)
	// An exclusion belongs to an exam of a year the system holds, that the
	// student was listed for (Neni 36, 54).
	f.call(t, "ava", "POST", excl, map[string]any{"year": 2026, "exam": "D1", "cause": "54.8"}, 422, nil)
	if _, err := f.k.Years.Create(context.Background(), &auth.Principal{Username: "setup", Role: auth.RoleAVA}, 2026, "", 2009); err != nil {
		t.Fatal(err)
	}
	f.call(t, "ava", "POST", excl, map[string]any{"year": 2026, "exam": "D1", "cause": "54.8"}, 422, nil)
	if _, err := f.db.Exec(`INSERT INTO final_lists (year, exam, student_id, reg_no, school_code) SELECT 2026, 'D1', id, '260000013', school_code FROM students WHERE id = $1`, f.home.student); err != nil {
		t.Fatal(err)
	}
	f.call(t, "ava", "POST", excl, map[string]any{"year": 2026, "exam": "D1", "cause": "Neni 54.8"}, 204, nil)
	f.call(t, "ava", "POST", "/api/v1/students/abc/exclusions", map[string]any{"year": 2026, "exam": "D1", "cause": "54.8"}, 404, nil)
	// Neni 55.2: barred from this year's Matura.
	f.day("2027-02-25")
	var e webkit.APIError
	f.call(t, "nxenes", "POST", "/api/v1/applications/a1", map[string]any{"student_id": f.home.student, "submit": true}, 422, &e)
	if !strings.Contains(e.Message, "55.2") {
		t.Fatalf("barred: %+v", e)
	}
}

// TestApplicationAPISpecialCategory: the documents a form asks for, and a
// special category registered by the KMSH in its own unit.
func TestApplicationAPISpecialCategory(t *testing.T) {
	t.Parallel()
	f := newAppFixture(t)
	var docs struct {
		Category, Label, Form string
		Resit                 bool
		Items                 []application.Document
	}
	f.call(t, "kmsh", "GET", "/api/v1/application-documents?category=neni23", nil, 200, &docs)
	if docs.Form != "A1" || len(docs.Items) != 4 || docs.Label == "" {
		t.Fatalf("Neni 23 documents: %+v", docs)
	}
	if f.call(t, "kmsh", "GET", "/api/v1/application-documents?category=neni26", nil, 200, &docs); !docs.Resit || len(docs.Items) != 2 {
		t.Fatalf("Neni 26 documents: %+v", docs)
	}
	if f.call(t, "kmsh", "GET", "/api/v1/application-documents?category=neni26&resit=false", nil, 200, &docs); docs.Resit || len(docs.Items) != 1 {
		t.Fatalf("Neni 26 without resit: %+v", docs)
	}
	f.call(t, "kmsh", "GET", "/api/v1/application-documents?category=rregullt", nil, 200, &docs)
	if docs.Items == nil || len(docs.Items) != 0 {
		t.Fatalf("regular: %+v", docs)
	}
	f.call(t, "kmsh", "GET", "/api/v1/application-documents?category=x", nil, 422, nil)
	f.call(t, "kmsh", "GET", "/api/v1/application-documents", nil, 422, nil)

	f.day("2027-03-01")
	// A ZA graduate of 1998 with a certificate (A1-1) as a Neni 23
	// candidate, assigned to A-1. (A current final-year student is not one:
	// Neni 22, 23.)
	ctx := context.Background()
	old, err := f.k.Registry.SaveStudent(ctx, &auth.Principal{Username: "setup", Role: auth.RoleAVA}, registry.Student{
		PersonalNo: registry.MakeNID(time.Date(1980, 5, 2, 0, 0, 0, 0, time.UTC), "M", 41), FirstName: "Petrit", FatherName: "Kol",
		LastName: "Gjoni", Sex: "M", BirthDate: "1980-05-02", SchoolCode: "A1-1", Category: registry.Kandidat})
	if err != nil {
		t.Fatal(err)
	}
	in := map[string]any{"student_id": old.ID, "category": "neni23", "school_code": "A-1", "documents": []string{"vertetim_notash", "kerkese"},
		"electives": []string{"HIS", "GJE"}, "average_grade": 8.25, "d1_grade": 8, "d2_grade": 7, "graduation_year": 1998}
	f.call(t, "kshmsh", "POST", "/api/v1/applications/special", in, 403, nil)
	var e webkit.APIError
	f.call(t, "kmsh", "POST", "/api/v1/applications/special", in, 422, &e)
	if len(e.Details) != 2 {
		t.Fatalf("missing documents: %+v", e)
	}
	in["documents"] = []string{"vertetim_notash", "kerkese", "deftese_noterizuar", "identifikim"}
	var a application.Application
	f.call(t, "kmsh", "POST", "/api/v1/applications/special", in, 201, &a)
	if a.Form != "A1" || a.SchoolCode != "A-1" || a.Source != "kmsh" || a.AverageGrade != 8.25 {
		t.Fatalf("Neni 23: %+v", a)
	}
	f.call(t, "kmsh", "POST", "/api/v1/applications/special", in, 200, &a)
	// The assigned school now holds the form.
	f.call(t, "kshmsh", "GET", fmt.Sprintf("/api/v1/applications/%d", a.ID), nil, 200, nil)
}

// appOf is the id of the student's application of the active year, filed
// on paper by AVA on the first use (for TestAuthorisationMatrix, whose
// fixture has only the 2009 profile active). 0 when it cannot be filed.
func appOf(t *testing.T, f *fixture, studentID int64) int64 {
	var id int64
	if f.db.QueryRow(`SELECT id FROM applications WHERE student_id = $1`, studentID).Scan(&id) == nil {
		return id
	}
	ctx := context.Background()
	y, err := f.k.Years.Active(ctx)
	if err != nil {
		t.Errorf("active year: %v", err)
		return 0
	}
	d, _ := y.Config.Deadline(examyear.KeyA1)
	day, _ := time.ParseInLocation("2006-01-02", d.Date, clock.Tirana)
	// File on the deadline's day, then put the clock back.
	was := f.k.Clock.Now()
	f.k.Clock.Set(day.Add(12 * time.Hour))
	defer f.k.Clock.Set(was)
	a, err := f.k.Applications.FileA1(ctx, &auth.Principal{Username: "setup", Role: auth.RoleAVA}, application.A1Input{StudentID: studentID, Electives: []string{}})
	if err != nil {
		t.Errorf("file A1 for %d: %v", studentID, err)
		return 0
	}
	return a.ID
}

// TestApplicationAPIBodies: action bodies are optional where every field
// has a meaning when absent, and strict when sent.
func TestApplicationAPIBodies(t *testing.T) {
	t.Parallel()
	f := newAppFixture(t)
	f.day("2027-03-12")
	for _, tc := range []struct {
		body string
		code int
	}{{"", 200}, {"{}", 200}, {`{"ids": []}`, 200}, {`{"ids": [1], "x": 1}`, 422}, {`{"ids":`, 422}} {
		resp, body := f.raw(t, "kshmsh", "POST", "/api/v1/schools/A-1/applications/confirm", "application/json", bytes.NewReader([]byte(tc.body)))
		if resp.StatusCode != tc.code {
			t.Errorf("confirm with %q: %d %s", tc.body, resp.StatusCode, snippet(body))
		}
	}
	// A chunked empty body reads as {} too.
	req, _ := http.NewRequest("POST", f.srv.URL+"/api/v1/schools/A-1/applications/confirm", io.MultiReader())
	req.Header.Set("Authorization", "Bearer "+f.tokenOf(t, "kshmsh"))
	req.ContentLength = -1
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("chunked empty body: %d", resp.StatusCode)
	}
	// Anonymous callers: 401 everywhere.
	for _, path := range []string{"/api/v1/applications", "/api/v1/programmes", "/api/v1/final-lists/D1", "/api/v1/application-documents?category=neni23"} {
		if code, _ := f.api(t, "", "GET", path, nil); code != 401 {
			t.Errorf("anonymous %s: %d", path, code)
		}
	}
	if code, _ := f.api(t, "", "POST", "/api/v1/registration-numbers", nil); code != 401 {
		t.Errorf("anonymous registration numbers: %d", code)
	}
}

// TestApplicationAPIImportPaperForms: a school enters its paper A1 forms
// from a file; a bad row refuses the whole file with its line.
func TestApplicationAPIImportPaperForms(t *testing.T) {
	t.Parallel()
	f := newAppFixture(t)
	f.day("2027-03-15")
	var home, foreign string
	f.db.QueryRow(`SELECT personal_no FROM students WHERE id = $1`, f.home.student).Scan(&home)
	f.db.QueryRow(`SELECT personal_no FROM students WHERE id = $1`, f.foreign.student).Scan(&foreign)
	bad := "nr_personal,z1,z2\n" + home + ",FIZ,KIM\n" + foreign + ",HIS,GJE\n"
	resp, body := f.raw(t, "kshmsh", "POST", "/api/v1/application-imports/a1?filename=a1.csv", "text/csv", strings.NewReader(bad))
	if resp.StatusCode != 422 || !strings.Contains(body, `"line": 3`) || !strings.Contains(body, "jashtë") && !strings.Contains(body, "fushën tuaj") {
		t.Fatalf("bad file: %d %s", resp.StatusCode, snippet(body))
	}
	if code, b := f.api(t, "kshmsh", "GET", "/api/v1/applications", nil); code != 200 || !strings.Contains(b, `"total": 0`) {
		t.Fatalf("a refused file wrote forms: %s", snippet(b))
	}
	// Typed in on 15 March, handed in by 10 March (Neni 22 ¶1).
	resp, body = f.raw(t, "kshmsh", "POST", "/api/v1/application-imports/a1?filename=a1.csv", "text/csv", strings.NewReader("nr_personal,z1,z2,data_dorezimit\n"+home+",FIZ,KIM,10.03.2027\n"))
	if resp.StatusCode != 200 || !strings.Contains(body, `"changed": 1`) {
		t.Fatalf("import: %d %s", resp.StatusCode, snippet(body))
	}
	if resp, _ := f.raw(t, "nxenes", "POST", "/api/v1/application-imports/a1", "text/csv", strings.NewReader("x")); resp.StatusCode != 403 {
		t.Fatalf("student imports: %d", resp.StatusCode)
	}
	if resp, _ := f.raw(t, "kshmsh", "POST", "/api/v1/application-imports/a9", "text/csv", strings.NewReader("x")); resp.StatusCode != 404 {
		t.Fatalf("unknown form: %d", resp.StatusCode)
	}
}
