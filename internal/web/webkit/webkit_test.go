package webkit

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"provim/internal/apperr"
	"provim/internal/auth"
	"provim/internal/doc"
)

// TestParseStrictly: a value that does not parse is an Albanian error
// naming it; only an absent value takes the default (sesioni=3 is no
// longer session 1).
func TestParseStrictly(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		raw  string
		want int
		bad  bool
	}{{"", 1, false}, {"1", 1, false}, {"2", 2, false}, {"3", 0, true}, {"0", 0, true}, {"x", 0, true}, {"-1", 0, true}} {
		got, err := ExamSession(tc.raw)
		if tc.bad != (err != nil) || got != tc.want {
			t.Errorf("ExamSession(%q) = %d, %v", tc.raw, got, err)
		}
		if err != nil && (apperr.CodeOf(err) != apperr.Invalid || !strings.Contains(apperr.MessageOf(err), "Sesioni duhet të jetë 1 ose 2, jo «"+tc.raw+"»")) {
			t.Errorf("ExamSession(%q): %v", tc.raw, err)
		}
	}
	if n, err := ExamSessionFilter(""); n != 0 || err != nil {
		t.Errorf("ExamSessionFilter(\"\") = %d, %v", n, err)
	}
	if _, err := ExamSessionFilter("5"); err == nil {
		t.Error("ExamSessionFilter(5) accepted")
	}
	for _, n := range []int{3, -1} {
		if _, err := CheckExamSession(n); err == nil {
			t.Errorf("CheckExamSession(%d) accepted", n)
		}
	}
	if n, _ := CheckExamSession(0); n != 1 {
		t.Errorf("CheckExamSession(0) = %d, want 1 (absent)", n)
	}
	if n, err := Int("", "nga", 7); n != 7 || err != nil {
		t.Errorf("Int absent = %d, %v", n, err)
	}
	if n, err := Int(" 12 ", "nga", 7); n != 12 || err != nil {
		t.Errorf("Int 12 = %d, %v", n, err)
	}
	if _, err := Int("12a", "nga", 7); err == nil || !strings.Contains(apperr.MessageOf(err), "«nga» duhet të jetë numër i plotë, jo «12a»") {
		t.Errorf("Int 12a: %v", err)
	}
	if f, err := Decimal("8,5", "average_grade"); f != 8.5 || err != nil {
		t.Errorf("Decimal 8,5 = %v, %v", f, err)
	}
	if _, err := Decimal("tetë", "average_grade"); err == nil {
		t.Error("Decimal tetë accepted")
	}
	if b, err := Bool("", "failing", true); !b || err != nil {
		t.Errorf("Bool absent = %v, %v", b, err)
	}
	if _, err := Bool("po", "failing", false); err == nil {
		t.Error("Bool po accepted")
	}
	if n, err := Offset("-5", "nga"); n != 0 || err != nil {
		t.Errorf("Offset -5 = %d, %v", n, err)
	}
	r := httptest.NewRequest("POST", "/", strings.NewReader("id=3&id=x&n=4&m=y"))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.ParseForm()
	if _, err := IDs(r, "id"); err == nil {
		t.Error("IDs with x accepted")
	}
	f := Form(r)
	if f.Int("n") != 4 || f.Err() != nil {
		t.Errorf("Form n: %v", f.Err())
	}
	f.Int("m")
	f.Int("n")
	if f.Err() == nil || !strings.Contains(apperr.MessageOf(f.Err()), "«m»") {
		t.Errorf("Form keeps the first error: %v", f.Err())
	}
}

// TestPathID: one id parser, for every record: a positive number written
// plainly, else not_found naming the object.
func TestPathID(t *testing.T) {
	t.Parallel()
	mux := http.NewServeMux()
	var got int64
	var gerr error
	mux.HandleFunc("GET /x/{id}", func(w http.ResponseWriter, r *http.Request) { got, gerr = ID(r, "Nxënësi") })
	for raw, want := range map[string]int64{"12": 12, "0": 0, "-1": 0, "012": 0, "+5": 0, "1e3": 0, "abc": 0, "99999999999999999999": 0} {
		mux.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/x/"+raw, nil))
		if got != want || (want == 0) != (gerr != nil) {
			t.Errorf("ID(%q) = %d, %v", raw, got, gerr)
		}
		if gerr != nil && (apperr.CodeOf(gerr) != apperr.NotFound || apperr.MessageOf(gerr) != "Nxënësi «"+raw+"» nuk u gjet.") {
			t.Errorf("ID(%q): %v", raw, gerr)
		}
	}
}

// TestRespond: JSON by default, the document in a format the route
// offers, an Albanian error naming the others.
func TestRespond(t *testing.T) {
	t.Parallel()
	table := func() doc.Table {
		return doc.Table{Title: "Tabela", Columns: []doc.Column{{Title: "A"}}, Rows: [][]string{{"1"}}, Generated: time.Date(2027, 6, 8, 5, 30, 0, 0, time.UTC)}
	}
	for _, tc := range []struct {
		query, media string
		formats      []string
		status       int
	}{
		{"", "application/json; charset=utf-8", nil, 200},
		{"?format=json", "application/json; charset=utf-8", nil, 200},
		{"?format=pdf", "application/pdf", nil, 200},
		{"?format=xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", nil, 200},
		{"?format=csv", "", nil, 422},
		{"?format=xlsx", "", []string{doc.PDF}, 422},
	} {
		w := httptest.NewRecorder()
		err := Respond(w, httptest.NewRequest("GET", "/t"+tc.query, nil), map[string]int{"n": 1}, table, "tabela", tc.formats...)
		if err != nil {
			WriteAPIError(w, err)
		}
		if w.Code != tc.status || (tc.media != "" && w.Header().Get("Content-Type") != tc.media) {
			t.Errorf("%s %v: %d %s", tc.query, tc.formats, w.Code, w.Header().Get("Content-Type"))
		}
		if tc.status == 200 && tc.query != "" && tc.query != "?format=json" &&
			!strings.Contains(w.Header().Get("Content-Disposition"), "tabela."+strings.TrimPrefix(tc.query, "?format=")) {
			t.Errorf("%s: %s", tc.query, w.Header().Get("Content-Disposition"))
		}
	}
	err := Respond(httptest.NewRecorder(), httptest.NewRequest("GET", "/t?format=csv", nil), nil, table, "t")
	if apperr.MessageOf(err) != "Formati «csv» nuk njihet: json, pdf ose xlsx." {
		t.Errorf("unknown format: %v", err)
	}
	err = Respond(httptest.NewRecorder(), httptest.NewRequest("GET", "/t?format=xlsx", nil), nil, table, "t", doc.PDF)
	if apperr.MessageOf(err) != "Formati «xlsx» nuk njihet: json ose pdf." {
		t.Errorf("unknown format of a PDF route: %v", err)
	}
}

// TestAllow answers as auth.Require does.
func TestAllow(t *testing.T) {
	t.Parallel()
	if err := Allow(nil, true); apperr.CodeOf(err) != apperr.Unauthorized {
		t.Errorf("anonymous: %v", err)
	}
	p := &auth.Principal{Role: auth.RoleKMSH}
	if err := Allow(p, false); apperr.CodeOf(err) != apperr.Forbidden || apperr.MessageOf(err) != apperr.MessageOf(auth.Require(p, auth.RoleAVA)) {
		t.Errorf("refused: %v", err)
	}
	if err := Allow(p, true); err != nil {
		t.Errorf("allowed: %v", err)
	}
}

// TestTiranaFuncs: the template functions write Tirana time whatever the
// zone of the time given.
func TestTiranaFuncs(t *testing.T) {
	t.Parallel()
	f := baseFuncs()
	at := time.Date(2027, 6, 8, 5, 30, 0, 0, time.UTC)
	if got := f["stamp"].(func(time.Time) string)(at); got != "08.06.2027 07:30:00" {
		t.Errorf("stamp: %s", got)
	}
	for _, name := range []string{"date", "when"} {
		fn := f[name].(func(string) string)
		if got := fn("2027-06-08T05:30:00Z"); got != "08.06.2027 07:30" {
			t.Errorf("%s of a moment: %s", name, got)
		}
		if got := fn("2027-06-08"); got != "08.06.2027" {
			t.Errorf("%s of a day: %s", name, got)
		}
	}
}

// TestErrorPage: the kit's error page carries the message, the details
// and the status of the error.
func TestErrorPage(t *testing.T) {
	t.Parallel()
	k, err := New(slog.New(slog.NewTextHandler(io.Discard, nil)), "", nil)
	if err != nil {
		t.Fatal(err)
	}
	w := httptest.NewRecorder()
	k.Fail(w, httptest.NewRequest("GET", "/x", nil), &apperr.Error{Code: apperr.Invalid, Message: "Vlera nuk pranohet.", Details: []string{"arsyeja"}})
	if w.Code != 422 || !strings.Contains(w.Body.String(), "Vlera nuk pranohet.") || !strings.Contains(w.Body.String(), "<li>arsyeja</li>") {
		t.Fatalf("error page: %d %s", w.Code, w.Body.String())
	}
	if _, err := NewPages(Templates{FS: kitTemplates().FS}); err == nil {
		t.Error("the same pages twice were accepted")
	}
}
