package marking_test

import (
	"math"
	"testing"

	"provim/internal/marking"
)

// Weighted kappa (quadratic weights) against a hand-computed example:
// a = 0 1 2 2, b = 0 2 2 1 over the points 0–2, w = (i−j)²/4.
// Observed Σw·O = (¼ + ¼)/4 = 0.125; the markers' margins are 1, 1, 2
// each, so Σw·E = (¼·¼ + ½·1 + ¼·¼ + ½·¼ + ½·1 + ½·¼)/4 = 1.375/4;
// κ = 1 − 0.5/1.375 = 7/11.
func TestWeightedKappaMatchesAHandComputedExample(t *testing.T) {
	t.Parallel()
	k, ok := marking.WeightedKappa([]int{0, 1, 2, 2}, []int{0, 2, 2, 1})
	if !ok || math.Abs(k-7.0/11) > 1e-12 {
		t.Fatalf("κ = %v %v, want 7/11", k, ok)
	}
	// Symmetric in the two markers.
	if k2, _ := marking.WeightedKappa([]int{0, 2, 2, 1}, []int{0, 1, 2, 2}); math.Abs(k2-k) > 1e-12 {
		t.Fatalf("κ(b, a) = %v ≠ κ(a, b) = %v", k2, k)
	}
	if k, ok := marking.WeightedKappa([]int{0, 3, 4, 1}, []int{0, 3, 4, 1}); !ok || k != 1 {
		t.Fatalf("perfect agreement: κ = %v", k)
	}
	if k, ok := marking.WeightedKappa([]int{2, 2, 2}, []int{2, 2, 2}); !ok || k != 1 {
		t.Fatalf("one value only, the same: κ = %v", k)
	}
	// Reversed scale: as far from agreement as it gets.
	if k, _ := marking.WeightedKappa([]int{0, 1, 2}, []int{2, 1, 0}); k >= 0 {
		t.Fatalf("opposite markers: κ = %v, want below 0", k)
	}
	// Off by one everywhere still agrees more than by chance with
	// quadratic weights.
	if k, _ := marking.WeightedKappa([]int{0, 1, 2, 3, 4}, []int{1, 2, 3, 4, 4}); k < 0.7 {
		t.Fatalf("near agreement: κ = %v", k)
	}
	if _, ok := marking.WeightedKappa(nil, nil); ok {
		t.Fatal("κ of nothing")
	}
	if _, ok := marking.WeightedKappa([]int{1}, []int{1, 2}); ok {
		t.Fatal("κ of lists of different lengths")
	}
}

func TestAgreementAndMeans(t *testing.T) {
	t.Parallel()
	if a, ok := marking.Agreement([]int{1, 2, 3, 4}, []int{1, 2, 0, 4}); !ok || a != 0.75 {
		t.Fatalf("agreement = %v", a)
	}
	if m := marking.MeanAbs([]int{-2, 2, 1}); math.Abs(m-5.0/3) > 1e-12 {
		t.Fatalf("mean abs = %v", m)
	}
	if m := marking.Mean([]int{-2, 2, 3}); m != 1 {
		t.Fatalf("mean = %v", m)
	}
}
