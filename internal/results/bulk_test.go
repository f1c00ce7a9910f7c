package results_test

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"testing"
	"time"

	"provim/internal/albanian"
	"provim/internal/store"
)

// TestBulkComputeAndPublish computes and publishes D1 for n candidates
// (PROVIM_RESULTS_BULK=n, e.g. 35000; skipped without it) and reports
// the time of each step: one transaction each, batch inserts.
func TestBulkComputeAndPublish(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("PROVIM_RESULTS_BULK"))
	if n <= 0 {
		t.Skip("set PROVIM_RESULTS_BULK=35000 to measure")
	}
	w := newWorld(t)
	ctx := context.Background()
	var first int64
	if err := w.db.QueryRow(`SELECT COALESCE(MAX(id), 0) + 1 FROM students`).Scan(&first); err != nil {
		t.Fatal(err)
	}
	var st, fl, bk, op [][]any
	for i := 0; i < n; i++ {
		id := first + int64(i)
		last := fmt.Sprintf("Kandidati%06d", i)
		school := []string{"A-1", "B-1"}[i%2]
		code := fmt.Sprintf("D1%08d", id)
		st = append(st, []any{id, fmt.Sprintf("N%08d", i), "Ëndrit", "Ilir", last, "M", "1991-01-01", school, "maturant", albanian.SortKey(last, "Ëndrit", "Ilir"), "2009-01-01T00:00:00Z"})
		fl = append(fl, []any{year, "D1", id, regNo(id), school})
		if i%50 == 0 {
			continue // absent
		}
		bk = append(bk, []any{year, "D1", code, 0, "", "final", i % 61, 0, "2009-06-09T08:00:00Z"})
		op = append(op, []any{year, "D1", code, id})
	}
	if err := w.db.InTx(ctx, func(ctx context.Context) error {
		for _, x := range []struct {
			table string
			cols  []string
			rows  [][]any
		}{
			{"students", []string{"id", "personal_no", "first_name", "father_name", "last_name", "sex", "birth_date", "school_code", "category", "sort_key", "updated_at"}, st},
			{"final_lists", []string{"year", "exam", "student_id", "reg_no", "school_code"}, fl},
			{"marking_booklets", []string{"year", "exam", "code", "seeded", "schools", "state", "final_points", "final_round", "registered_at"}, bk},
			{"anonym_opened", []string{"year", "exam", "code", "student_id"}, op},
		} {
			if err := store.Insert(ctx, x.table, x.cols, x.rows); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	w.close(t, "D1")
	began := time.Now()
	res, err := w.k.Results.Compute(ctx, ava, year, "D1")
	if err != nil {
		t.Fatal(err)
	}
	computed := time.Since(began)
	w.at(t, "2009-06-20")
	began = time.Now()
	p, err := w.k.Results.Publish(ctx, ava, year, "D1", "")
	if err != nil {
		t.Fatal(err)
	}
	published := time.Since(began)
	began = time.Now()
	for i := 0; i < 1000; i++ {
		if _, _, err := w.k.Results.MyPageRaw(ctx, student(first+int64(i*7%n))); err != nil {
			t.Fatal(err)
		}
	}
	t.Logf("%d candidates (%s): compute %v, publish with %d pages %v; 1000 page reads %v", res.Candidates, w.db.Dialect, computed, p.Pages, published, time.Since(began))
	if res.Candidates != n || p.Pages != n {
		t.Fatalf("%+v %+v", res, p)
	}
}
