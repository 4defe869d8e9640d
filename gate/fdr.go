package gate

import (
	"math"
	"slices"
)

// QValues returns the Benjamini–Hochberg q-values of p-values: q₍ᵢ₎ =
// min over j ≥ i of p₍ⱼ₎·m/j, capped at 1, in the order of p. Declaring
// significant every series with q ≤ 0.05 keeps the expected share of false
// discoveries among them at or under 5 % (for independent or positively
// dependent tests). NaN p-values get NaN and do not count in m.
func QValues(p []float64) []float64 {
	q := make([]float64, len(p))
	var idx []int
	for i, v := range p {
		if math.IsNaN(v) {
			q[i] = math.NaN()
			continue
		}
		idx = append(idx, i)
	}
	slices.SortStableFunc(idx, func(a, b int) int {
		switch {
		case p[a] < p[b]:
			return -1
		case p[a] > p[b]:
			return 1
		}
		return 0
	})
	m := float64(len(idx))
	running := 1.0
	for r := len(idx) - 1; r >= 0; r-- {
		i := idx[r]
		running = math.Min(running, p[i]*m/float64(r+1))
		q[i] = running
	}
	return q
}
