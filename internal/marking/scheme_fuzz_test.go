package marking

import (
	"bytes"
	"fmt"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"provim/internal/registry"
)

// The readers of a test's file take any bytes: they answer a test or an
// error, never panic, never take long, and whatever passes the rules is a
// test of the subject's points with at most MaxItems items. A plain
// `go test` runs the seeds below only; `go test -fuzz FuzzSchemeJSON`
// explores.

var schemeFuzzExam = Exam{Code: "D1", Name: "Gjuhë shqipe dhe letërsi", MaxPoints: 60}

func schemeFuzzCheck(t *testing.T, in TestInput, o testOrigin) {
	t.Helper()
	out, err := checkTest(in, schemeFuzzExam, o)
	if err != nil {
		return
	}
	sum := 0
	for _, it := range out.Items {
		sum += it.MaxPoints
		if it.Kind == KindChoice && (len(it.Key) != 1 || int(it.Key[0]-'A') >= it.Options) {
			t.Fatalf("a choice item with key %q of %d alternatives passed", it.Key, it.Options)
		}
		if it.Kind != KindChoice && (len(it.Levels) == 0 || it.Levels[0].Points != it.MaxPoints) {
			t.Fatalf("an open item without its full level passed: %+v", it)
		}
	}
	if sum != schemeFuzzExam.MaxPoints || len(out.Items) > MaxItems || len(o.errs) > 0 {
		t.Fatalf("a test of %d points and %d items passed", sum, len(out.Items))
	}
}

func FuzzSchemeJSON(f *testing.F) {
	f.Add([]byte(`{"title": "T", "items": [{"label": "1", "kind": "choice", "max_points": 20, "options": 4, "key": "B"}, {"label": "2", "kind": "short", "max_points": 40, "levels": [{"points": 40, "text": "e plotë"}]}]}`))
	f.Add([]byte(`{"title": "T", "items": [{"label": "1", "kind": "choice", "max_points": "x"}, {"extra": 1}], "autor": 2}`))
	f.Add([]byte("{\n\"items\": [\n{\"label\": \"1\",,}\n]}"))
	f.Add([]byte(`[1, 2]`))
	f.Add([]byte(`{"items": [{"levels": [{"points": 1e40}]}]}`))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		watch := time.AfterFunc(10*time.Second, func() { panic(fmt.Sprintf("slow input %q", data)) })
		defer watch.Stop()
		in, o, err := readTestJSON(data)
		if err != nil {
			return
		}
		if len(in.Items) > MaxItems || len(o.at) != len(in.Items) {
			t.Fatalf("%d items, %d places", len(in.Items), len(o.at))
		}
		schemeFuzzCheck(t, in, o)
	})
}

func FuzzSchemeXLSX(f *testing.F) {
	x := excelize.NewFile()
	x.SetSheetRow("Sheet1", "A1", &[]any{"kerkesa", "lloji", "pike", "alternativa", "celesi", "niveli", "titulli"})
	x.SetSheetRow("Sheet1", "A2", &[]any{"1", "zgjedhje", 20, 4, "B", "", "Testi"})
	x.SetSheetRow("Sheet1", "A3", &[]any{"2", "e zgjeruar", 40, "", "", "40: e plotë"})
	x.SetSheetRow("Sheet1", "A4", &[]any{"", "", 20, "", "", "e pjesshme"})
	var buf bytes.Buffer
	x.Write(&buf)
	f.Add(buf.Bytes(), false)
	f.Add([]byte("kerkesa;lloji;pike\n1;choice;60\n;;3\n"), true)
	f.Add([]byte("niveli,pike\nx,1\n"), true)
	f.Add([]byte("PK\x03\x04"), false)
	f.Fuzz(func(t *testing.T, data []byte, csv bool) {
		watch := time.AfterFunc(10*time.Second, func() { panic(fmt.Sprintf("slow input %q", data)) })
		defer watch.Stop()
		name := "t.xlsx"
		if csv {
			name = "t.csv"
		}
		header, rows, err := registry.ReadTable(name, bytes.NewReader(data))
		if err != nil {
			return
		}
		in, o, err := readTestTable(header, rows)
		if err != nil {
			return
		}
		if len(in.Items) > MaxItems || len(o.at) != len(in.Items) {
			t.Fatalf("%d items, %d places", len(in.Items), len(o.at))
		}
		schemeFuzzCheck(t, in, o)
	})
}

// FuzzSchemeLevels: the "points: text" lines of a form or cell.
func FuzzSchemeLevels(f *testing.F) {
	f.Add("2: e plotë\n1 pikë: e pjesshme\n\n0 - asgjë")
	f.Add("e plotë")
	f.Add("-1: x\n99999999999: y")
	f.Fuzz(func(t *testing.T, s string) {
		levels, problems := readTestLevels(s)
		if len(levels)+len(problems) > MaxLevels+1 {
			t.Fatalf("%d levels and %d problems", len(levels), len(problems))
		}
	})
}
