package gate

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"golang.org/x/perf/benchmath"
)

func TestUCriticalExact(t *testing.T) {
	// Critical values of the two-sided Mann–Whitney U test at α = 0.05
	// from the published tables: reject when U ≤ k.
	tests := []struct {
		n1, n2, want int
	}{
		{3, 3, -1}, {4, 4, 0}, {5, 5, 2}, {6, 6, 5}, {7, 7, 8}, {8, 8, 13},
		{10, 10, 23}, {20, 20, 127}, {3, 10, 3}, {10, 3, 3}, {5, 10, 8},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%dx%d", tt.n1, tt.n2), func(t *testing.T) {
			if got := uCriticalExact(tt.n1, tt.n2, 0.025); got != tt.want {
				t.Errorf("uCriticalExact(%d, %d, 0.025) = %d; want %d", tt.n1, tt.n2, got, tt.want)
			}
		})
	}
}

func TestUCriticalNormalNearExact(t *testing.T) {
	for _, n := range []int{20, 35, 50} {
		t.Run(fmt.Sprintf("%dx%d", n, n), func(t *testing.T) {
			exact, normal := uCriticalExact(n, n, 0.025), uCriticalNormal(n, n, 0.025)
			if d := exact - normal; d < -2 || d > 2 {
				t.Errorf("n=%d: uCriticalNormal = %d; want within 2 of the exact %d", n, normal, exact)
			}
		})
	}
}

func TestUCounts(t *testing.T) {
	t.Run("5x5 lower tail", func(t *testing.T) {
		// Partitions of u into at most 5 parts of at most 5.
		want := []float64{1, 1, 2, 3, 5, 7, 9, 11, 14, 16, 18, 19, 20}
		if got := uCounts(5, 5, 12); !slices.Equal(got, want) {
			t.Errorf("uCounts(5, 5, 12) = %v; want %v", got, want)
		}
	})
	t.Run("sums to the binomial", func(t *testing.T) {
		for _, n := range [][2]int{{1, 1}, {2, 7}, {6, 4}, {12, 12}} {
			got := 0.0
			for _, c := range uCounts(n[0], n[1], n[0]*n[1]) {
				got += c
			}
			if want := binomial(n[0]+n[1], n[0]); got != want {
				t.Errorf("sum of uCounts(%d, %d) = %v; want C(%d, %d) = %v", n[0], n[1], got, n[0]+n[1], n[0], want)
			}
		}
	})
	t.Run("two-sided p matches benchmath without ties", func(t *testing.T) {
		base := []float64{1, 3, 5, 7, 9, 11, 13}
		head := []float64{4, 6, 8, 10, 12, 14, 16, 18}
		u := 0 // pairs with the base value above the head value
		for _, b := range base {
			for _, h := range head {
				if b > h {
					u++
				}
			}
		}
		counts := uCounts(len(base), len(head), u)
		cum := 0.0
		for _, c := range counts {
			cum += c
		}
		got := 2 * cum / binomial(len(base)+len(head), len(base))
		th := benchmath.DefaultThresholds
		want := benchmath.AssumeNothing.Compare(benchmath.NewSample(base, &th), benchmath.NewSample(head, &th)).P
		if math.Abs(got-want) > 1e-12 {
			t.Errorf("2·P(U ≤ %d) = %v; want benchmath's P %v", u, got, want)
		}
	})
}

func TestMinP(t *testing.T) {
	// benchmath's uTestMinP table (golang.org/x/perf/benchmath/anone.go).
	want := []float64{1: 1, 2: 0.3333333333333333, 3: 0.1, 4: 0.02857142857142857,
		5: 0.007936507936507936, 6: 0.0021645021645021645, 7: 0.0005827505827505828}
	for n := 1; n < len(want); n++ {
		if got := 2 * minOneSidedP(n, n); math.Abs(got-want[n]) > 1e-15 && !(n == 1 && got == 2) {
			t.Errorf("2·minOneSidedP(%d, %d) = %v; want %v", n, n, got, want[n])
		}
	}
	// docs/STATISTICS.md §7.2: the one-sided minimum p is 0.014 at n = 4 and
	// 0.004 at n = 5, so α = 0.01 needs 5 per side.
	if got, want := oneSidedSamplesPerSide(0.01), 5; got != want {
		t.Errorf("oneSidedSamplesPerSide(0.01) = %d; want %d", got, want)
	}
	if got, want := oneSidedSamplesPerSide(0.05), 4; got != want {
		t.Errorf("oneSidedSamplesPerSide(0.05) = %d; want %d", got, want)
	}
}

func TestIntervalContainsTrueShift(t *testing.T) {
	tests := []struct {
		name string
		n    int
		f    float64
	}{
		{"10 per side +10%", 10, 1.10},
		{"30 per side -5%", 30, 0.95},
		{"60 per side +3% normal approximation", 60, 1.03},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// head is base scaled by f exactly: the log differences are
			// symmetric around log f, so the estimate is f − 1.
			base := grid(tt.n, 1)
			c := Compare(base, scaled(base, tt.f), SmallerIsBetter, false, DefaultPolicy)
			want := tt.f - 1
			if math.Abs(c.Shift-want) > 1e-9 {
				t.Errorf("Shift = %v; want %v", c.Shift, want)
			}
			if !(c.Low < want && want < c.High) {
				t.Errorf("[Low, High] = [%v, %v]; want it to contain %v", c.Low, c.High, want)
			}
			if !(c.Low <= c.Change && c.Change <= c.High) {
				t.Errorf("Change = %v; want within [%v, %v]", c.Change, c.Low, c.High)
			}
		})
	}
}

func TestIntervalCoverage(t *testing.T) {
	// Seeded, so the test is deterministic: log-normal samples with 2 % CV
	// and a true change of +5 %. The exact interval at n=10 has 95.7 %
	// nominal coverage; 400 trials put the observed rate within ±2.5 % of it
	// with high probability.
	rng := rand.New(rand.NewPCG(1, 2))
	const trials, n, shift = 400, 10, 0.05
	covered := 0
	for range trials {
		base, head := make([]float64, n), make([]float64, n)
		for i := range n {
			base[i] = 100 * math.Exp(0.02*rng.NormFloat64())
			head[i] = 100 * (1 + shift) * math.Exp(0.02*rng.NormFloat64())
		}
		c := Compare(base, head, SmallerIsBetter, false, DefaultPolicy)
		if c.Low <= shift && shift <= c.High {
			covered++
		}
	}
	if got := float64(covered) / trials; got < 0.92 {
		t.Errorf("coverage = %.3f over %d trials; want ≥ 0.92 (nominal 0.95)", got, trials)
	}
}
