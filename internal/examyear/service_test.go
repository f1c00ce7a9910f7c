package examyear

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"provim/internal/apperr"
	"provim/internal/audit"
	"provim/internal/auth"
	"provim/internal/store"
	"provim/internal/store/storetest"
)

var (
	ava     = &auth.Principal{Username: "ava", Role: auth.RoleAVA}
	kmsh    = &auth.Principal{Username: "kmsh", Role: auth.RoleKMSH, Unit: "DAR-TR"}
	student = &auth.Principal{Username: "nx", Role: auth.RoleStudent, StudentID: 1}
)

// openTestDB returns a fresh migrated database: SQLite in a temporary
// file, or, when PROVIM_TEST_DATABASE_URL is set, a new PostgreSQL schema
// (search_path in the URL) dropped when the test ends.
func openTestDB(t *testing.T) *store.DB {
	t.Helper()
	return storetest.Open(t)
}

func newService(t *testing.T) (*Service, *store.DB) {
	t.Helper()
	db := openTestDB(t)
	s := NewService(db)
	if err := s.EnsureDefault(context.Background()); err != nil {
		t.Fatal(err)
	}
	return s, db
}

// auditEntries returns the entries of one exam year, oldest first, and
// checks the whole chain.
func auditEntries(t *testing.T, db *store.DB, year string) []audit.Entry {
	t.Helper()
	ctx := context.Background()
	if _, p, err := audit.Verify(ctx, db.DB); err != nil || p != nil {
		t.Fatalf("audit chain: %v %v", p, err)
	}
	es, err := audit.Query(ctx, db.DB, "exam_year", year, 100)
	if err != nil {
		t.Fatal(err)
	}
	for i, j := 0, len(es)-1; i < j; i, j = i+1, j-1 {
		es[i], es[j] = es[j], es[i]
	}
	return es
}

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if !apperr.Is(err, code) {
		t.Fatalf("got %v (%s), want %s", err, apperr.CodeOf(err), code)
	}
}

func TestEnsureDefault(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, db := newService(t)
	if err := s.EnsureDefault(ctx); err != nil { // second start-up: nothing to do
		t.Fatal(err)
	}
	y, err := s.Active(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if y.Year != 2009 || !y.Active || y.BasedOn != 0 || y.Config.SchoolYear != "2008–2009" || y.Name == "" {
		t.Errorf("default year = %+v", y)
	}
	if got, want := y.Config, Default2009(); got.SchoolYear != want.SchoolYear || len(got.Calendar) != len(want.Calendar) {
		t.Error("stored config differs from Default2009")
	}
	es := auditEntries(t, db, "2009")
	if len(es) != 1 || es[0].Action != "create" || es[0].Actor != audit.System.Name || es[0].Before != "" {
		t.Fatalf("audit = %+v", es)
	}
	years, err := s.List(ctx, student)
	if err != nil || len(years) != 1 {
		t.Fatalf("list = %v, %v", years, err)
	}
}

func TestActiveWithoutYears(t *testing.T) {
	t.Parallel()
	s := NewService(openTestDB(t))
	_, err := s.Active(context.Background())
	wantCode(t, err, apperr.NotFound)
}

func TestCreateCopiesAndShifts(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, db := newService(t)
	y, err := s.Create(ctx, ava, 2027, "Matura Shtetërore 2027", 2009)
	if err != nil {
		t.Fatal(err)
	}
	if y.Year != 2027 || y.BasedOn != 2009 || y.Active || y.Config.SchoolYear != "2026–2027" {
		t.Errorf("created %+v", y)
	}
	got, err := s.Get(ctx, kmsh, 2027)
	if err != nil {
		t.Fatal(err)
	}
	if d, _ := got.Config.Deadline(KeyA1); d.Date != "2027-03-10" {
		t.Errorf("A1 deadline %s", d.Date)
	}
	if e, _ := got.Config.Exam(KindElective, 1); e.Date != "2027-06-15" {
		t.Errorf("elective day %s", e.Date)
	}
	es := auditEntries(t, db, "2027")
	if len(es) != 1 || es[0].Action != "create" || es[0].Actor != "ava" || es[0].Role != "ava" || !strings.Contains(es[0].After, "2026–2027") {
		t.Fatalf("audit = %+v", es)
	}

	// A year copied from 2027 carries 2027's edits.
	cfg := got.Config
	cfg.Fees.A2 = 1500
	if _, err := s.Update(ctx, ava, 2027, "", cfg); err != nil {
		t.Fatal(err)
	}
	y28, err := s.Create(ctx, ava, 2028, "", 2027)
	if err != nil {
		t.Fatal(err)
	}
	if y28.Config.Fees.A2 != 1500 || y28.BasedOn != 2027 || !strings.Contains(y28.Name, "2028") {
		t.Errorf("2028 = %+v", y28)
	}
	if d, _ := y28.Config.Deadline(KeyA2); d.Date != "2028-06-30" {
		t.Errorf("A2 deadline %s", d.Date)
	}
}

func TestCreateFromDefaultWhenBasedOnZero(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, _ := newService(t)
	y, err := s.Create(ctx, ava, 2030, "", 0)
	if err != nil {
		t.Fatal(err)
	}
	if y.BasedOn != 0 || y.Config.SchoolYear != "2029–2030" {
		t.Errorf("created %+v", y)
	}
	got, err := s.Get(ctx, ava, 2030)
	if err != nil || got.BasedOn != 0 {
		t.Fatalf("get: %+v %v", got, err)
	}
}

func TestCreateRefusals(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, db := newService(t)
	_, err := s.Create(ctx, ava, 2009, "", 0)
	wantCode(t, err, apperr.Conflict)
	_, err = s.Create(ctx, ava, 2027, "", 2020)
	wantCode(t, err, apperr.NotFound)
	_, err = s.Create(ctx, ava, 2008, "", 0) // Neni 66
	wantCode(t, err, apperr.Invalid)
	if es := auditEntries(t, db, ""); len(es) != 1 {
		t.Errorf("refused creates were audited: %d entries", len(es))
	}
}

func TestUpdate(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, db := newService(t)
	y, err := s.Get(ctx, ava, 2009)
	if err != nil {
		t.Fatal(err)
	}

	bad := y.Config
	bad.Staffing.StudentsPerAPMin = 30
	_, err = s.Update(ctx, ava, 2009, "", bad)
	wantCode(t, err, apperr.Invalid)

	other := ForYear(y.Config, 2009, 2010)
	_, err = s.Update(ctx, ava, 2009, "", other)
	wantCode(t, err, apperr.Invalid)

	_, err = s.Update(ctx, ava, 2011, "", ForYear(y.Config, 2009, 2011))
	wantCode(t, err, apperr.NotFound)

	cfg := y.Config
	cfg.Fees.Remarking = 700
	cfg.Retention.DestroyAfter = "06-30"
	u, err := s.Update(ctx, ava, 2009, "Matura 2009 (e rishikuar)", cfg)
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.Get(ctx, ava, 2009)
	if err != nil {
		t.Fatal(err)
	}
	if got.Name != "Matura 2009 (e rishikuar)" || got.Config.Fees.Remarking != 700 || got.Config.Retention.DestroyAfter != "06-30" || !got.Active || got.UpdatedAt != u.UpdatedAt {
		t.Errorf("stored %+v", got)
	}

	es := auditEntries(t, db, "2009")
	if len(es) != 2 {
		t.Fatalf("%d audit entries, want 2 (refused updates are not recorded)", len(es))
	}
	up := es[1]
	if up.Action != "update" || up.Actor != "ava" {
		t.Errorf("entry %+v", up)
	}
	var before, after Year
	if err := json.Unmarshal([]byte(up.Before), &before); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(up.After), &after); err != nil {
		t.Fatal(err)
	}
	if before.Config.Fees.Remarking != 500 || after.Config.Fees.Remarking != 700 || after.Name != got.Name {
		t.Errorf("before %+v after %+v", before.Config.Fees, after.Config.Fees)
	}
}

func TestSetActive(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, db := newService(t)
	for _, y := range []int{2026, 2027} {
		if _, err := s.Create(ctx, ava, y, "", 2009); err != nil {
			t.Fatal(err)
		}
	}
	activeYears := func() []int {
		t.Helper()
		ys, err := s.List(ctx, ava)
		if err != nil {
			t.Fatal(err)
		}
		var out []int
		for _, y := range ys {
			if y.Active {
				out = append(out, y.Year)
			}
		}
		return out
	}
	if err := s.SetActive(ctx, ava, 2027); err != nil {
		t.Fatal(err)
	}
	if a := activeYears(); len(a) != 1 || a[0] != 2027 {
		t.Fatalf("active %v", a)
	}
	if y, err := s.Active(ctx); err != nil || y.Year != 2027 {
		t.Fatalf("Active = %v, %v", y, err)
	}
	if err := s.SetActive(ctx, ava, 2027); err != nil { // already active: no change, no entry
		t.Fatal(err)
	}
	if err := s.SetActive(ctx, ava, 2026); err != nil {
		t.Fatal(err)
	}
	if a := activeYears(); len(a) != 1 || a[0] != 2026 {
		t.Fatalf("active %v", a)
	}
	wantCode(t, s.SetActive(ctx, ava, 2031), apperr.NotFound)

	es := auditEntries(t, db, "2027")
	if len(es) != 2 || es[1].Action != "activate" || es[1].Before != `{"active_years":[2009]}` || es[1].After != `{"active_years":[2027]}` {
		t.Fatalf("2027 audit = %+v", es)
	}
	if es := auditEntries(t, db, "2026"); len(es) != 2 || es[1].Before != `{"active_years":[2027]}` {
		t.Fatalf("2026 audit = %+v", es)
	}
}

func TestOnlyAVAChangesYears(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, db := newService(t)
	cfg := Default2009()
	for _, p := range []*auth.Principal{kmsh, student} {
		_, err := s.Create(ctx, p, 2027, "", 2009)
		wantCode(t, err, apperr.Forbidden)
		_, err = s.Update(ctx, p, 2009, "x", cfg)
		wantCode(t, err, apperr.Forbidden)
		wantCode(t, s.SetActive(ctx, p, 2009), apperr.Forbidden)
	}
	_, err := s.Create(ctx, nil, 2027, "", 2009)
	wantCode(t, err, apperr.Unauthorized)
	_, err = s.List(ctx, nil)
	wantCode(t, err, apperr.Unauthorized)
	_, err = s.Get(ctx, nil, 2009)
	wantCode(t, err, apperr.Unauthorized)

	// Everyone logged in may read.
	for _, p := range []*auth.Principal{ava, kmsh, student} {
		if _, err := s.Get(ctx, p, 2009); err != nil {
			t.Errorf("%s: %v", p.Role, err)
		}
	}
	_, err = s.Get(ctx, kmsh, 1999)
	wantCode(t, err, apperr.NotFound)
	if !strings.Contains(apperr.MessageOf(err), "1999 nuk ekziston") {
		t.Errorf("message %q", apperr.MessageOf(err))
	}
	if es := auditEntries(t, db, ""); len(es) != 1 {
		t.Errorf("%d audit entries, want only the default's", len(es))
	}
}

// Concurrent activations leave exactly one active year.
func TestSetActiveConcurrent(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, _ := newService(t)
	years := []int{2026, 2027, 2028, 2029}
	for _, y := range years {
		if _, err := s.Create(ctx, ava, y, "", 2009); err != nil {
			t.Fatal(err)
		}
	}
	for round := 0; round < 5; round++ {
		errs := make(chan error, len(years))
		for _, y := range years {
			go func() { errs <- s.SetActive(ctx, ava, y) }()
		}
		for range years {
			if err := <-errs; err != nil {
				t.Fatal(err)
			}
		}
		ys, err := s.List(ctx, ava)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, y := range ys {
			if y.Active {
				n++
			}
		}
		if n != 1 {
			t.Fatalf("round %d: %d active years", round, n)
		}
	}
}
