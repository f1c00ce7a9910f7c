package examyear

import (
	"context"
	"testing"
	"time"
)

// ActiveYear answers what Active answers, from the same kept year, and
// follows a change made elsewhere within ActiveTTL and at once inside a
// transaction.
func TestActiveYearNumber_FollowsActive(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, db := newService(t)
	s.ActiveTTL = 200 * time.Millisecond
	other := NewService(db)
	if y, err := s.ActiveYear(ctx); err != nil || y != FirstYear {
		t.Fatalf("ActiveYear = %d, %v; want %d", y, err, FirstYear)
	}
	if _, err := other.Create(ctx, ava, 2027, "", FirstYear); err != nil {
		t.Fatal(err)
	}
	if err := other.SetActive(ctx, ava, 2027); err != nil {
		t.Fatal(err)
	}
	err := db.InTx(ctx, func(ctx context.Context) error {
		if y, err := s.ActiveYear(ctx); err != nil || y != 2027 {
			t.Errorf("inside a transaction: %d, %v; want 2027 at once", y, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(s.ActiveTTL + 20*time.Millisecond)
	if y, err := s.ActiveYear(ctx); err != nil || y != 2027 || y != mustActive(t, s).Year {
		t.Errorf("after ActiveTTL: %d, %v; want 2027", y, err)
	}
}
