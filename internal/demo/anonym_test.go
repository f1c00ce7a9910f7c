package demo

import (
	"strings"
	"testing"

	"provim/internal/audit"
	"provim/internal/examyear"
)

// TestRunAnonymisation runs the demo's anonymisation on a small country:
// a D1 code for every seated candidate (Neni 51.3), two labels each (Neni
// 53.4), five key holders of whom three open (Neni 59.3), the shares
// printed once; running it again changes nothing.
func TestRunAnonymisation(t *testing.T) {
	t.Parallel()
	ctx, k := smallCountry(t, 1500)
	var out []string
	for _, run := range []func() error{
		func() error { return RunApplications(ctx, k.Services, k.Clock, ava, seed, nil) },
		func() error { return RunVenuePlan(ctx, k.Services, k.Clock, ava, nil) },
		func() error { return RunDraws(ctx, k.Services, k.Clock, ava, nil) },
		func() error { return RunCustody(ctx, k.Services, k.Clock, ava, nil) },
		func() error {
			return RunAnonymisation(ctx, k.Services, k.Clock, ava, func(s string) { out = append(out, s); t.Log(s) })
		},
	} {
		if err := run(); err != nil {
			t.Fatal(err)
		}
	}
	seats, err := k.Venues.PlannedSeats(ctx, 2027, 1, examyear.KindD1)
	if err != nil {
		t.Fatal(err)
	}
	st, err := k.Anonym.Status(ctx, ava, 2027, examyear.KindD1)
	if err != nil {
		t.Fatal(err)
	}
	if st.Codes == 0 || st.Codes != seats || st.Labels != 2 || !st.Keyed || st.Threshold != AnonymThreshold || len(st.Holders) != len(AnonymHolders) {
		t.Fatalf("status %+v, %d seats", st, seats)
	}
	if shares := strings.Count(strings.Join(out, "\n"), "2027-D1-"); shares != len(AnonymHolders) {
		t.Fatalf("%d shares printed", shares)
	}
	if _, p, err := audit.Verify(ctx, k.DB.DB); err != nil || p != nil {
		t.Fatalf("audit: %v %v", p, err)
	}
	out = nil
	if err := RunAnonymisation(ctx, k.Services, k.Clock, ava, func(s string) { out = append(out, s) }); err != nil {
		t.Fatal(err)
	}
	again, _ := k.Anonym.Status(ctx, ava, 2027, examyear.KindD1)
	if again.Codes != st.Codes || again.KeyAt != st.KeyAt || strings.Contains(strings.Join(out, "\n"), "2027-D1-") {
		t.Fatalf("the second run changed something: %+v\n%v", again, out)
	}
}
