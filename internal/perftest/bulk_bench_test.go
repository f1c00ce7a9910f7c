package perftest

import (
	"bytes"
	"context"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"provim/internal/demo"
	"provim/internal/registry"
	"provim/internal/store"
	"provim/internal/store/storetest"
)

// studentCols are the columns the student import writes.
var studentCols = []string{"personal_no", "first_name", "father_name", "last_name", "sex", "birth_date", "school_code", "class_name",
	"average_grade", "category", "phone", "sort_key", "updated_at"}

// demoRegistry is a fresh database holding the demo country's units and
// schools, with its registry service.
func demoRegistry(b *testing.B, d *demo.Dataset) (*store.DB, *registry.Service) {
	b.Helper()
	db := storetest.Open(b)
	reg := registry.NewService(db)
	for _, entity := range []string{"units", "schools"} {
		if _, err := reg.Import(context.Background(), ava, entity, entity+".csv", bytes.NewReader(d.CSV(entity)), nil); err != nil {
			b.Fatal(err)
		}
	}
	return db, reg
}

// BenchmarkStudentImport is issue 12's first target, side by side in one
// run on PostgreSQL: the import of the demo's 36,050 students (read,
// validated, written and audited; "import") against a plain COPY of the
// same rows into the same table on a connection of its own ("copy", what
// psql's \copy does). On SQLite only the import runs.
//
//	PROVIM_TEST_DATABASE_URL='postgres://…' go test ./internal/perftest -run '^$' -bench StudentImport -benchtime 3x
func BenchmarkStudentImport(b *testing.B) {
	ctx := context.Background()
	d := demo.GenerateN(seed, year, 35000)
	file := d.CSV("students")
	// The rows the import writes, read back once, for the reference.
	var rows [][]any
	{
		db, reg := demoRegistry(b, d)
		if _, err := reg.Import(ctx, ava, "students", "students.csv", bytes.NewReader(file), nil); err != nil {
			b.Fatal(err)
		}
		list, err := store.Select(ctx, db.DB, func(r store.Scanner) ([]any, error) {
			v := make([]any, len(studentCols))
			p := make([]any, len(v))
			for i := range v {
				p[i] = &v[i]
			}
			return v, r.Scan(p...)
		}, `SELECT personal_no, first_name, father_name, last_name, sex, birth_date, school_code, class_name,
			average_grade, category, phone, sort_key, updated_at FROM students ORDER BY id`)
		if err != nil {
			b.Fatal(err)
		}
		rows = list
		db.Close()
	}
	b.Run("import", func(b *testing.B) {
		for b.Loop() {
			b.StopTimer()
			db, reg := demoRegistry(b, d)
			b.StartTimer()
			res, err := reg.Import(ctx, ava, "students", "students.csv", bytes.NewReader(file), nil)
			if err != nil || res.Created != len(rows) {
				b.Fatalf("%+v %v", res, err)
			}
			b.StopTimer()
			db.Close()
			b.StartTimer()
		}
		b.ReportMetric(float64(len(rows)), "rows")
	})
	b.Run("copy", func(b *testing.B) {
		for b.Loop() {
			b.StopTimer()
			db, _ := demoRegistry(b, d)
			if db.Dialect != store.Postgres {
				b.Skip("COPY is PostgreSQL's")
			}
			conn, err := db.Conn(ctx)
			if err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
			err = conn.Raw(func(dc any) error {
				n, err := dc.(*stdlib.Conn).Conn().CopyFrom(ctx, pgx.Identifier{"students"}, studentCols, pgx.CopyFromRows(rows))
				if err == nil && n != int64(len(rows)) {
					b.Fatalf("%d rows copied", n)
				}
				return err
			})
			b.StopTimer()
			if err != nil {
				b.Fatal(err)
			}
			conn.Close()
			db.Close()
			b.StartTimer()
		}
		b.ReportMetric(float64(len(rows)), "rows")
	})
}
