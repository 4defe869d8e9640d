package store

import (
	"testing"
)

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
