package marking

import "math"

// The statistics of marking's quality (issue 14 item 7), as pure
// functions.

// WeightedKappa is Cohen's kappa with quadratic weights between two
// markers' points a[i] and b[i] on the same items: 1 − Σw·O / Σw·E,
// where O are the observed shares of each pair of points, E the shares
// expected by chance from each marker's own distribution, and
// w = (i−j)² / (k−1)² over the k point values from the least to the
// greatest seen. 1 is perfect agreement, 0 agreement by chance. ok is
// false when there is nothing to compare (no items, or lists of
// different lengths). When every point is one and the same value the
// markers agree perfectly: 1.
func WeightedKappa(a, b []int) (kappa float64, ok bool) {
	if len(a) == 0 || len(a) != len(b) {
		return 0, false
	}
	lo, hi := a[0], a[0]
	for i := range a {
		lo, hi = min(lo, a[i], b[i]), max(hi, a[i], b[i])
	}
	k := hi - lo + 1
	if k == 1 {
		return 1, true
	}
	rows, cols := make([]float64, k), make([]float64, k)
	var observed float64
	w := func(i, j int) float64 { d := float64(i - j); return d * d / float64((k-1)*(k-1)) }
	for i := range a {
		x, y := a[i]-lo, b[i]-lo
		rows[x]++
		cols[y]++
		observed += w(x, y)
	}
	n := float64(len(a))
	var expected float64
	for i := range k {
		for j := range k {
			expected += w(i, j) * rows[i] * cols[j] / n
		}
	}
	if expected == 0 {
		return 1, true
	}
	return 1 - observed/expected, true
}

// Agreement is the share of items on which two markers gave the same
// points (exact agreement); ok is false when there are no items.
func Agreement(a, b []int) (share float64, ok bool) {
	if len(a) == 0 || len(a) != len(b) {
		return 0, false
	}
	same := 0
	for i := range a {
		if a[i] == b[i] {
			same++
		}
	}
	return float64(same) / float64(len(a)), true
}

// MeanAbs is the mean of the absolute values; 0 for none.
func MeanAbs(xs []int) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := 0
	for _, x := range xs {
		s += abs(x)
	}
	return float64(s) / float64(len(xs))
}

// Mean is the mean of the values; 0 for none.
func Mean(xs []int) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := 0
	for _, x := range xs {
		s += x
	}
	return float64(s) / float64(len(xs))
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// round2 rounds to two decimals for display and JSON.
func round2(x float64) float64 { return math.Round(x*100) / 100 }
