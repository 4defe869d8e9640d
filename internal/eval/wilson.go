package eval

import (
	"fmt"
	"math"
)

// Rate is a proportion of trials with its Wilson 95 % interval.
type Rate struct {
	K, N int
}

// P returns the observed proportion, NaN for no trials.
func (r Rate) P() float64 {
	if r.N == 0 {
		return math.NaN()
	}
	return float64(r.K) / float64(r.N)
}

// Wilson returns the Wilson score interval at 95 %.
func (r Rate) Wilson() (lo, hi float64) {
	if r.N == 0 {
		return math.NaN(), math.NaN()
	}
	const z = 1.959963984540054
	n, p := float64(r.N), r.P()
	d := 1 + z*z/n
	c := (p + z*z/(2*n)) / d
	h := z * math.Sqrt(p*(1-p)/n+z*z/(4*n*n)) / d
	return math.Max(0, c-h), math.Min(1, c+h)
}

// String formats the rate as a percentage with its interval.
func (r Rate) String() string {
	lo, hi := r.Wilson()
	return fmt.Sprintf("%s [%s, %s]", pc(r.P()), pc(lo), pc(hi))
}

// Short formats the rate alone.
func (r Rate) Short() string { return pc(r.P()) }

func (r *Rate) add(hit bool) {
	r.N++
	if hit {
		r.K++
	}
}

// pc formats a fraction as a percentage with adaptive precision.
func pc(f float64) string {
	switch {
	case math.IsNaN(f):
		return "–"
	case f == 0 || f == 1:
		return fmt.Sprintf("%.0f%%", 100*f)
	case f < 0.01:
		return fmt.Sprintf("%.2f%%", 100*f)
	}
	return fmt.Sprintf("%.1f%%", 100*f)
}

func itoa(i int) string { return fmt.Sprint(i) }
