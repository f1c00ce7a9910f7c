package demo

import (
	"context"
	"testing"

	"provim/internal/testkit"
)

// smallCountry is a fresh store with the 2027 year active and a country
// of students maturants loaded into its registry: where every demo test
// of a phase starts.
func smallCountry(t *testing.T, students int) (context.Context, *testkit.Kit) {
	t.Helper()
	ctx := context.Background()
	k := testkit.New(t)
	if _, err := k.Years.Create(ctx, ava, 2027, "", 2009); err != nil {
		t.Fatal(err)
	}
	if err := k.Years.SetActive(ctx, ava, 2027); err != nil {
		t.Fatal(err)
	}
	if err := Load(ctx, k.Registry, ava, GenerateN(seed, 2027, students), nil); err != nil {
		t.Fatal(err)
	}
	return ctx, k
}
