package store

import (
	"math"
	"testing"
)

func TestQuantile(t *testing.T) {
	for _, tc := range []struct {
		name string
		xs   []float64
		q    float64
		want float64
	}{
		{"single", []float64{7}, 0.99, 7},
		{"median odd", []float64{1, 2, 3}, 0.5, 2},
		{"median even", []float64{1, 2, 3, 4}, 0.5, 2.5},
		{"p90 interpolates", []float64{1, 2, 3, 4, 5}, 0.9, 4.6},
		{"p99", []float64{1, 2, 3, 4, 5}, 0.99, 4.96},
		{"min", []float64{1, 2, 3}, 0, 1},
		{"max", []float64{1, 2, 3}, 1, 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := quantile(tc.xs, tc.q); math.Abs(got-tc.want) > 1e-12 {
				t.Errorf("quantile(%v, %g) = %g; want %g", tc.xs, tc.q, got, tc.want)
			}
		})
	}
}

func TestSortedCopies(t *testing.T) {
	xs := []float64{3, 1, 2}
	got := sorted(xs)
	if xs[0] != 3 || xs[1] != 1 || xs[2] != 2 {
		t.Errorf("sorted changed its input: got %v; want [3 1 2]", xs)
	}
	if got[0] != 1 || got[1] != 2 || got[2] != 3 {
		t.Errorf("sorted = %v; want [1 2 3]", got)
	}
}
