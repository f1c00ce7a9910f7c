package wire_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"provim/internal/apperr"
	"provim/internal/audit"
	"provim/internal/clock"
	"provim/internal/testkit"
)

const unitsCSV = `kodi,emri,lloji,kodi_prind,qyteti
DAR-TR,DAR Tiranë,DAR,,Tiranë
ZA-KAV,ZA Kavajë,ZA,DAR-TR,Kavajë
`

// TestOneStepOverTwoPackagesCommitsBothOrNeither: one transaction opened
// by the caller (store.InTx) in which package registry imports the units
// and package examyear creates a year. When the step fails after both,
// neither is stored and the audit chain holds no entry of either; when it
// succeeds, both are stored and their audit entries follow each other in
// the one chain, stamped with the one moment of the transaction, even
// though the clock moved between the two calls.
func TestOneStepOverTwoPackagesCommitsBothOrNeither(t *testing.T) {
	t.Parallel()
	k := testkit.New(t)
	ctx := context.Background()
	chain := func() int64 {
		t.Helper()
		n, p, err := audit.Verify(ctx, k.DB.DB)
		if err != nil || p != nil {
			t.Fatalf("audit chain: %v %v", p, err)
		}
		return n
	}
	step := func(fail error) error {
		return k.DB.InTx(ctx, func(ctx context.Context) error {
			res, err := k.Registry.Import(ctx, testkit.AVA, "units", "units.csv", strings.NewReader(unitsCSV), nil)
			if err != nil {
				return err
			}
			if res.Created != 2 {
				t.Errorf("import inside the step: %+v", res)
			}
			// The clock moves on; the transaction's moment does not.
			k.Clock.Advance(time.Hour)
			if _, err := k.Years.Create(ctx, testkit.AVA, 2027, "", 2009); err != nil {
				return err
			}
			return fail
		})
	}

	// Neither: the step fails after both packages wrote.
	before := chain()
	boom := errors.New("the step fails after both changes")
	if err := step(boom); !errors.Is(err, boom) {
		t.Fatalf("failed step: %v", err)
	}
	if us, err := k.Registry.ListUnits(ctx, testkit.AVA); err != nil || len(us) != 0 {
		t.Errorf("after a failed step the registry holds %v (%v)", us, err)
	}
	if _, err := k.Years.Get(ctx, testkit.AVA, 2027); !apperr.Is(err, apperr.NotFound) {
		t.Errorf("after a failed step exam year 2027: %v, want not found", err)
	}
	if n := chain(); n != before {
		t.Errorf("after a failed step the audit chain has %d entries, want %d", n, before)
	}

	// Both: the same step succeeds.
	moment := k.Clock.Now()
	if err := step(nil); err != nil {
		t.Fatal(err)
	}
	if us, err := k.Registry.ListUnits(ctx, testkit.AVA); err != nil || len(us) != 2 {
		t.Errorf("after the step the registry holds %v (%v), want 2 units", us, err)
	}
	y, err := k.Years.Get(ctx, testkit.AVA, 2027)
	if err != nil {
		t.Fatalf("exam year 2027 after the step: %v", err)
	}
	if n := chain(); n != before+3 {
		t.Errorf("after the step the audit chain has %d entries, want %d", n, before+3)
	}
	es, err := audit.Query(ctx, k.DB.DB, "", "", 3)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range es {
		got = append(got, e.ObjectType+"/"+e.ObjectID)
		if !e.At.Equal(moment) {
			t.Errorf("entry %d (%s %s/%s) stamped %s, want the step's moment %s", e.Seq, e.Action, e.ObjectType, e.ObjectID,
				clock.Format(e.At), clock.Format(moment))
		}
	}
	if want := "exam_year/2027 unit/ZA-KAV unit/DAR-TR"; strings.Join(got, " ") != want {
		t.Errorf("newest entries %q, want %q", strings.Join(got, " "), want)
	}
	if y.UpdatedAt != clock.Stored(moment) {
		t.Errorf("exam year stored at %s, want the step's moment %s", y.UpdatedAt, clock.Stored(moment))
	}
}
