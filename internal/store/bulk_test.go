package store_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"provim/internal/store"
	"provim/internal/store/storetest"
)

// bulkCountry writes one unit, one school and n students with Insert, the
// students with ids from NextIDs, in the transaction ctx carries.
func bulkCountry(ctx context.Context, t *testing.T, n int) []int64 {
	t.Helper()
	if err := store.Insert(ctx, "units", []string{"code", "name", "kind", "parent_code", "city"},
		[][]any{{"DAR-X", "DAR Ëlbasan", "DAR", nil, "Elbasan"}}); err != nil {
		t.Fatal(err)
	}
	if err := store.Insert(ctx, "schools", []string{"code", "name", "unit_code", "city", "public", "profile", "years"},
		[][]any{{"SH-1", "Shkolla «Çajupi»", "DAR-X", "Elbasan", true, "gjimnaz", 4}}); err != nil {
		t.Fatal(err)
	}
	ids, err := store.NextIDs(ctx, "students", n)
	if err != nil {
		t.Fatal(err)
	}
	rows := make([][]any, n)
	for i := range rows {
		var grade any
		if i%3 != 0 {
			grade = 5 + float64(i%50)/10
		}
		rows[i] = []any{ids[i], fmt.Sprintf("J%08dA", i), "Ëlsa", "Çelo", "Dhima", "F", "2008-01-02", "SH-1", grade, "maturant",
			[]byte{byte(i >> 8), byte(i)}, "2027-03-05T10:00:00Z"}
	}
	if err := store.Insert(ctx, "students", []string{"id", "personal_no", "first_name", "father_name", "last_name", "sex", "birth_date",
		"school_code", "average_grade", "category", "sort_key", "updated_at"}, rows); err != nil {
		t.Fatal(err)
	}
	return ids
}

// Insert, NextIDs and Update write many rows in the transaction the
// context carries, with NULLs, booleans, numbers and bytes as they were
// given, on either engine; the ids NextIDs gives are new and increasing,
// also when asked for twice before the rows are written.
func TestBulkWritesJoinTheTransaction(t *testing.T) {
	t.Parallel()
	db := storetest.Open(t)
	ctx := context.Background()
	const n = 1234 // more than one multi-row statement on SQLite
	var ids []int64
	err := db.InTx(ctx, func(ctx context.Context) error {
		ids = bulkCountry(ctx, t, n)
		more, err := store.NextIDs(ctx, "students", 2)
		if err != nil {
			return err
		}
		if more[0] <= ids[n-1] || more[1] <= more[0] {
			return fmt.Errorf("NextIDs reused ids: %v after %d", more, ids[n-1])
		}
		// Every second student gets a class and a phone; a third loses
		// their grade.
		var upd [][]any
		for i := 0; i < n; i += 2 {
			var grade any
			if i%4 != 0 {
				grade = 9.5
			}
			upd = append(upd, []any{ids[i], fmt.Sprintf("12%c", 'A'+i%3), "069 000 0000", grade})
		}
		return store.Update(ctx, "students", "id", []string{"class_name", "phone", "average_grade"}, upd)
	})
	if err != nil {
		t.Fatal(err)
	}
	for i := 1; i < n; i++ {
		if ids[i] <= ids[i-1] {
			t.Fatalf("ids not increasing: %d then %d", ids[i-1], ids[i])
		}
	}
	var count, nulls, classes int
	var public bool
	if err := db.QueryRow(`SELECT COUNT(*), COUNT(*) - COUNT(average_grade), SUM(CASE WHEN class_name <> '' THEN 1 ELSE 0 END) FROM students`).
		Scan(&count, &nulls, &classes); err != nil {
		t.Fatal(err)
	}
	if count != n || classes != n/2 {
		t.Errorf("%d students, %d with a class; want %d and %d", count, classes, n, n/2)
	}
	// NULL grades: i%3 == 0 among the odd rows (not updated), and the rows
	// updated with i%4 == 0.
	want := 0
	for i := range n {
		if (i%2 == 1 && i%3 == 0) || (i%2 == 0 && i%4 == 0) {
			want++
		}
	}
	if nulls != want {
		t.Errorf("%d NULL grades, want %d", nulls, want)
	}
	var first, last, phone string
	var key []byte
	var grade float64
	if err := db.QueryRow(`SELECT st.first_name, st.last_name, st.sort_key, st.phone, st.average_grade, sc.public
		FROM students st JOIN schools sc ON sc.code = st.school_code WHERE st.id = $1`, ids[258]).Scan(&first, &last, &key, &phone, &grade, &public); err != nil {
		t.Fatal(err)
	}
	if first != "Ëlsa" || last != "Dhima" || string(key) != string([]byte{1, 2}) || phone != "069 000 0000" || grade != 9.5 || !public {
		t.Errorf("student 258 read back as %q %q %v %q %v public=%v", first, last, key, phone, grade, public)
	}
}

// A bulk write outside a transaction is refused; one inside a transaction
// that rolls back leaves nothing behind.
func TestBulkWritesRollBackWithTheirTransaction(t *testing.T) {
	t.Parallel()
	db := storetest.Open(t)
	ctx := context.Background()
	if err := store.Insert(ctx, "units", []string{"code", "name", "kind", "parent_code", "city"},
		[][]any{{"DAR-Y", "DAR", "DAR", nil, "Berat"}}); !errors.Is(err, store.ErrNoTx) {
		t.Fatalf("outside a transaction: %v", err)
	}
	boom := errors.New("boom")
	err := db.InTx(ctx, func(ctx context.Context) error {
		bulkCountry(ctx, t, 700)
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatal(err)
	}
	var n int
	if err := db.QueryRow(`SELECT (SELECT COUNT(*) FROM students) + (SELECT COUNT(*) FROM units)`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Fatalf("%d rows left after the rollback", n)
	}
	// A row of the wrong width is refused before anything is sent.
	err = db.InTx(ctx, func(ctx context.Context) error {
		return store.Insert(ctx, "units", []string{"code", "name"}, [][]any{{"A", "B"}, {"C"}})
	})
	if err == nil {
		t.Fatal("a short row was accepted")
	}
}

// InsertAfter runs its first statement and writes its rows in the
// transaction, as one statement on PostgreSQL for a few rows and as two
// for many (COPY) and on SQLite; a failing first statement writes nothing.
func TestInsertAfterRunsBothInTheTransaction(t *testing.T) {
	t.Parallel()
	db := storetest.Open(t)
	ctx := context.Background()
	cols := []string{"code", "name", "kind", "parent_code", "city"}
	for _, n := range []int{1, 3, 100} {
		rows := make([][]any, n)
		for i := range rows {
			rows[i] = []any{fmt.Sprintf("ZA-%d-%d", n, i), "ZA Çorovodë", "ZA", nil, "Çorovodë"}
		}
		err := db.InTx(ctx, func(ctx context.Context) error {
			return store.InsertAfter(ctx, `UPDATE audit_head SET seq = seq + $1 WHERE id = 1`, []any{n}, "units", cols, rows)
		})
		if err != nil {
			t.Fatalf("%d rows: %v", n, err)
		}
	}
	var seq, units int
	if err := db.QueryRowContext(ctx, `SELECT seq FROM audit_head WHERE id = 1`).Scan(&seq); err != nil {
		t.Fatal(err)
	}
	if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM units WHERE code LIKE 'ZA-%'`).Scan(&units); err != nil {
		t.Fatal(err)
	}
	if seq != 104 || units != 104 {
		t.Fatalf("head moved by %d, %d units written; want 104 and 104", seq, units)
	}
	err := db.InTx(ctx, func(ctx context.Context) error {
		return store.InsertAfter(ctx, `UPDATE no_such_table SET x = $1`, []any{1}, "units", cols, [][]any{{"ZA-X", "ZA", "ZA", nil, "Berat"}})
	})
	if err == nil {
		t.Fatal("a failing first statement was accepted")
	}
	if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM units WHERE code = 'ZA-X'`).Scan(&units); err != nil || units != 0 {
		t.Fatalf("after the failure: %d units ZA-X, %v", units, err)
	}
	if err := store.InsertAfter(ctx, `UPDATE audit_head SET seq = seq WHERE id = 1`, nil, "units", cols, nil); !errors.Is(err, store.ErrNoTx) {
		t.Fatalf("outside InTx: %v", err)
	}
}
