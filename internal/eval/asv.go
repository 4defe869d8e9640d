package eval

import (
	"math"

	"github.com/benchgate/benchgate/gate"
)

// asvSteps is the asv-style step detector used as a baseline: a Potts
// (piecewise-constant) fit of the log values by dynamic programming, with
// the penalty γ = 4·ln n / n per segment on the squared residuals scaled by
// the robust noise variance and by n, then keeping only steps of at least
// 5 % (asv's regression threshold). Note: asv fits an L1 Potts model with
// an approximate solver and chooses γ by its own criterion; this is the L2
// form with asv's published γ, exact, which is its idealisation.
func asvSteps(values []float64) []int {
	n := len(values)
	if n < 4 {
		return nil
	}
	y := make([]float64, n)
	for i, v := range values {
		y[i] = math.Log(v)
	}
	d := make([]float64, n-1)
	for i := 1; i < n; i++ {
		d[i-1] = math.Abs(y[i] - y[i-1])
	}
	sigma := 1.4826 * gate.Median(d) / math.Sqrt2
	if sigma == 0 {
		sigma = 1e-9
	}
	s1, s2 := make([]float64, n+1), make([]float64, n+1)
	for i, v := range y {
		s1[i+1], s2[i+1] = s1[i]+v, s2[i]+v*v
	}
	scale := sigma * sigma * float64(n)
	cost := func(i, j int) float64 {
		m := float64(j - i)
		s := s1[j] - s1[i]
		return (s2[j] - s2[i] - s*s/m) / scale
	}
	gamma := 4 * math.Log(float64(n)) / float64(n)
	f := make([]float64, n+1)
	from := make([]int, n+1)
	f[0] = -gamma
	for j := 1; j <= n; j++ {
		f[j] = math.Inf(1)
		for i := 0; i < j; i++ {
			if v := f[i] + gamma + cost(i, j); v < f[j] {
				f[j], from[j] = v, i
			}
		}
	}
	var bounds []int
	for j := n; j > 0; j = from[j] {
		bounds = append([]int{from[j]}, bounds...)
	}
	bounds = append(bounds, n)
	var steps []int
	for k := 1; k+1 < len(bounds); k++ {
		a, b, c := bounds[k-1], bounds[k], bounds[k+1]
		before := (s1[b] - s1[a]) / float64(b-a)
		after := (s1[c] - s1[b]) / float64(c-b)
		if math.Abs(math.Expm1(after-before)) >= 0.05 {
			steps = append(steps, b)
		}
	}
	return steps
}
