package examyear

import (
	"context"
	"errors"
	"testing"
	"time"

	"provim/internal/store/storetest"
)

// The active year's configuration is read and decoded once and kept
// (issue 12), yet every change AVA makes is seen: through this server at
// once, through another server on the same database within ActiveTTL,
// inside a transaction before it commits, and never after a rollback.
func TestActiveYear_KeptDecodedAndFollowsChanges(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, db := newService(t)
	s.ActiveTTL = 200 * time.Millisecond
	other := NewService(db) // a second server on the same database
	elsewhere := func() { time.Sleep(s.ActiveTTL + 20*time.Millisecond) }

	first := mustActive(t, s)
	if first.Year != FirstYear {
		t.Fatalf("active = %d, want %d", first.Year, FirstYear)
	}
	// The caller's copy is its own: changing it changes nothing stored.
	first.Config.Calendar[0].Date = "1999-01-01"
	first.Config.Subjects = nil
	if again := mustActive(t, s); again.Config.Calendar[0].Date == "1999-01-01" || len(again.Config.Subjects) == 0 {
		t.Fatal("a caller's change to the returned configuration leaked into the kept one")
	}

	// AVA edits the year on the other server: this one sees it at once.
	cfg := mustActive(t, other).Config
	cfg.MaxProgrammes++
	if _, err := other.Update(ctx, ava, FirstYear, "Emri i ri", cfg); err != nil {
		t.Fatal(err)
	}
	elsewhere()
	if got := mustActive(t, s); got.Config.MaxProgrammes != cfg.MaxProgrammes || got.Name != "Emri i ri" {
		t.Fatalf("after an update elsewhere: max programmes %d name %q, want %d %q",
			got.Config.MaxProgrammes, got.Name, cfg.MaxProgrammes, "Emri i ri")
	}

	// A new year made active elsewhere replaces the kept one.
	if _, err := other.Create(ctx, ava, 2027, "", FirstYear); err != nil {
		t.Fatal(err)
	}
	if err := other.SetActive(ctx, ava, 2027); err != nil {
		t.Fatal(err)
	}
	elsewhere()
	if got := mustActive(t, s); got.Year != 2027 || got.Config.SchoolYear != "2026–2027" {
		t.Fatalf("after activating 2027 elsewhere: %d %q", got.Year, got.Config.SchoolYear)
	}

	// Inside a transaction that changes the year, Active sees the change
	// before commit, and after a rollback the stored year again.
	err := db.InTx(ctx, func(ctx context.Context) error {
		c := mustActiveCtx(t, ctx, s).Config
		c.MaxProgrammes = 3
		if _, err := s.Update(ctx, ava, 2027, "", c); err != nil {
			return err
		}
		if got := mustActiveCtx(t, ctx, s); got.Config.MaxProgrammes != 3 {
			t.Errorf("inside the transaction: max programmes %d, want 3", got.Config.MaxProgrammes)
		}
		return errRollback
	})
	if err != errRollback {
		t.Fatal(err)
	}
	if got := mustActive(t, s); got.Config.MaxProgrammes == 3 {
		t.Fatal("a rolled-back change is still served")
	}

	// A change through this server is seen at once, TTL or not.
	s.ActiveTTL = time.Hour
	mustActive(t, s)
	c := mustActive(t, s).Config
	c.MaxProgrammes = 4
	if _, err := s.Update(ctx, ava, 2027, "", c); err != nil {
		t.Fatal(err)
	}
	if got := mustActive(t, s); got.Config.MaxProgrammes != 4 {
		t.Fatalf("after an update here: max programmes %d, want 4", got.Config.MaxProgrammes)
	}
}

var errRollback = errors.New("rollback")

func mustActive(t *testing.T, s *Service) *Year {
	t.Helper()
	return mustActiveCtx(t, context.Background(), s)
}

func mustActiveCtx(t *testing.T, ctx context.Context, s *Service) *Year {
	t.Helper()
	y, err := s.Active(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return y
}

// BenchmarkActive is the cost of reading the active year on a request:
// kept (the default), and read again every time (ActiveTTL 0: one query,
// no decoding while the stored text is unchanged).
func BenchmarkActive(b *testing.B) {
	b.Run("kept", func(b *testing.B) { benchActive(b, time.Second) })
	b.Run("read", func(b *testing.B) { benchActive(b, 0) })
}

func benchActive(b *testing.B, ttl time.Duration) {
	db := storetest.Open(b)
	s := NewService(db)
	s.ActiveTTL = ttl
	ctx := context.Background()
	if err := s.EnsureDefault(ctx); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := s.Active(ctx); err != nil {
			b.Fatal(err)
		}
	}
}
