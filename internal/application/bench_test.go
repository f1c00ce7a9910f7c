package application_test

import (
	"bytes"
	"context"
	"fmt"
	"testing"
	"time"

	"provim/internal/clock"
	"provim/internal/demo"
	"provim/internal/testkit"
)

// nationalYear loads the demo's national registry (~35,000 maturants) and
// files an A1 for every maturant from one paper-forms file.
func nationalYear(b *testing.B) (*testkit.Kit, int) {
	ctx := context.Background()
	k := testkit.New(b)
	db := k.DB
	data := demo.Generate(20270601, 2027)
	if err := demo.Load(ctx, k.Registry, ava, data, nil); err != nil {
		b.Fatal(err)
	}
	years := k.Years
	if _, err := years.Create(ctx, ava, 2027, "", 2009); err != nil {
		b.Fatal(err)
	}
	years.SetActive(ctx, ava, 2027)
	svc := k.Applications
	k.Clock.Set(time.Date(2027, 3, 1, 12, 0, 0, 0, clock.Tirana))
	var file bytes.Buffer
	file.WriteString("nr_personal,z1,z2\n")
	electives := [][2]string{{"FIZ", "KIM"}, {"BIO", "KIM"}, {"HIS", "GJE"}, {"ANG", "GJE"}, {"", ""}, {"EKO", "INF"}}
	rows, err := db.Query(`SELECT personal_no FROM students WHERE category = 'maturant' ORDER BY id`)
	if err != nil {
		b.Fatal(err)
	}
	n := 0
	for rows.Next() {
		var pn string
		rows.Scan(&pn)
		e := electives[n%len(electives)]
		fmt.Fprintf(&file, "%s,%s,%s\n", pn, e[0], e[1])
		n++
	}
	rows.Close()
	start := time.Now()
	if got, err := svc.ImportA1(ctx, ava, "a1.csv", &file, ""); err != nil || got != n {
		b.Fatalf("import A1: %d of %d, %v", got, n, err)
	}
	b.ReportMetric(time.Since(start).Seconds(), "importA1-s")
	return k, n
}

// BenchmarkRegistrationAndFinalLists35k measures the target:
// registration numbers for every candidate of the country and the final
// name lists of every exam, under 5 s on SQLite.
//
//	go test ./internal/application -run '^$' -bench RegistrationAndFinalLists35k -benchtime 1x
func BenchmarkRegistrationAndFinalLists35k(b *testing.B) {
	ctx := context.Background()
	for b.Loop() {
		b.StopTimer()
		k, n := nationalYear(b)
		db, svc := k.DB, k.Applications
		// The commissions' steps in between, taken as done.
		if _, err := db.Exec(`UPDATE applications SET status = 'verified'`); err != nil {
			b.Fatal(err)
		}
		// The regions' lists and their failing students (Neni 22 ¶4, 35 ¶3).
		if _, err := db.Exec(`INSERT INTO unit_submissions (year, unit_code, kind, sent_at, sent_by, items) SELECT 2027, code, k.kind, '', 'bench', 0
			FROM units, (SELECT 'lists' AS kind UNION ALL SELECT 'failing') k WHERE units.kind = 'DAR'`); err != nil {
			b.Fatal(err)
		}
		k.Clock.Set(time.Date(2027, 5, 1, 12, 0, 0, 0, clock.Tirana))
		b.StartTimer()
		start := time.Now()
		got, err := svc.AssignRegistrationNumbers(ctx, ava, "")
		b.ReportMetric(time.Since(start).Seconds(), "assign-s")
		if err != nil || got != n {
			b.Fatalf("assign: %d of %d, %v", got, n, err)
		}
		k.Clock.Set(time.Date(2027, 5, 30, 12, 0, 0, 0, clock.Tirana))
		start = time.Now()
		sum, err := svc.BuildFinalLists(ctx, ava, "")
		b.ReportMetric(time.Since(start).Seconds(), "final-s")
		if err != nil || sum.Total != n {
			b.Fatalf("final lists: %+v %v", sum, err)
		}
	}
}
