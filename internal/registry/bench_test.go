package registry_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"provim/internal/registry"
	"provim/internal/store/storetest"
)

// studentFile builds a valid students CSV of n rows spread over schools.
func studentFile(n int, schools []string) string {
	var b strings.Builder
	b.WriteString("nr_personal,emri,atesia,mbiemri,gjinia,datelindja,kodi_shkolles,klasa,nota_mesatare,kategoria\n")
	first := []string{"Arbër", "Ëlsa", "Dritan", "Çiljeta", "Gëzim", "Jonida"}
	last := []string{"Çela", "Hoxha", "Dhima", "Shehu", "Llaci", "Xhafa", "Zeqiri"}
	for i := 0; i < n; i++ {
		sex := "M"
		if i%2 == 1 {
			sex = "F"
		}
		birth := time.Date(2008, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i%700)
		fmt.Fprintf(&b, "%s,%s,Agim,%s,%s,%s,%s,12A,%.2f,maturant\n", registry.MakeNID(birth, sex, i/700), first[i%len(first)],
			last[i%len(last)], sex, birth.Format("2006-01-02"), schools[i%len(schools)], 5+float64(i%500)/100)
	}
	return b.String()
}

// BenchmarkImport35kStudents measures the target: a 35,000-student
// file imported (validated, written, audited) in under 5 s on SQLite.
//
//	go test ./internal/registry -run '^$' -bench Import35k -benchtime 3x
func BenchmarkImport35kStudents(b *testing.B) {
	ctx := context.Background()
	var schools strings.Builder
	schools.WriteString("kodi,emri,kodi_dar_za,qyteti,publike,profili,vite\n")
	var codes []string
	for i := 0; i < 500; i++ {
		code := fmt.Sprintf("TR-%03d", i)
		codes = append(codes, code)
		fmt.Fprintf(&schools, "%s,Shkolla %d,DAR-TR,Tiranë,po,gjimnaz,4\n", code, i)
	}
	file := studentFile(35000, codes)
	for b.Loop() {
		b.StopTimer()
		db := storetest.Open(b)
		s := registry.NewService(db)
		if _, err := s.Import(ctx, ava, "units", "u.csv", strings.NewReader(unitsCSV), nil); err != nil {
			b.Fatal(err)
		}
		if _, err := s.Import(ctx, ava, "schools", "s.csv", strings.NewReader(schools.String()), nil); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		res, err := s.Import(ctx, ava, "students", "students.csv", strings.NewReader(file), nil)
		if err != nil || res.Created != 35000 {
			b.Fatalf("%+v %v", res, err)
		}
		b.StopTimer()
		// Re-import: idempotent, nothing written.
		start := time.Now()
		res, err = s.Import(ctx, ava, "students", "students.csv", strings.NewReader(file), nil)
		if err != nil || res.Unchanged != 35000 {
			b.Fatalf("%+v %v", res, err)
		}
		b.ReportMetric(time.Since(start).Seconds(), "reimport-s")
		db.Close()
		b.StartTimer()
	}
}
