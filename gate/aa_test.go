package gate

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestAAFalseRegressions checks the property the gate exists for: two samples
// from the same distribution rarely regress. With floor 0 the two-sided test
// at α = 0.05 should flag about 2.5 % of A/A pairs as regressed; 5 % is the
// bound. The generator is seeded, so the test is deterministic.
func TestAAFalseRegressions(t *testing.T) {
	tests := []struct {
		name  string
		noise func(r *rand.Rand) float64
	}{
		{"log-normal 2% CV", func(r *rand.Rand) float64 { return 100 * math.Exp(0.02*r.NormFloat64()) }},
		{"bimodal 20% slow by 15%", func(r *rand.Rand) float64 {
			v := 100 * math.Exp(0.01*r.NormFloat64())
			if r.Float64() < 0.2 {
				v *= 1.15
			}
			return v
		}},
		{"quantised with ties", func(r *rand.Rand) float64 { return math.Round(100 + 2*r.NormFloat64()) }},
	}
	p := Policy{Alpha: 0.01, Floor: 0, InconclusiveP: 0.2, Confidence: 0.95}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(42, uint64(i)))
			const trials, n = 500, 10
			regressed := 0
			for range trials {
				base, head := make([]float64, n), make([]float64, n)
				for j := range n {
					base[j], head[j] = tt.noise(rng), tt.noise(rng)
				}
				if Compare(base, head, SmallerIsBetter, false, p).Verdict == Regressed {
					regressed++
				}
			}
			rate := float64(regressed) / trials
			t.Logf("A/A regressed rate = %.3f", rate)
			if rate >= 0.025 {
				t.Errorf("A/A regressed rate = %.3f (%d of %d); want < 0.025", rate, regressed, trials)
			}
		})
	}
}
