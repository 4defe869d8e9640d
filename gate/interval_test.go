package gate

import (
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
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

// TestUCriticalExactMemory: the exact distribution for 1 × 2,500 samples
// (the fuzzer's slowest input) takes kilobytes, not the 50 MB of a table
// with a row per sample of the larger side.
func TestUCriticalExactMemory(t *testing.T) {
	for _, n := range [][2]int{{1, 2500}, {2500, 1}} {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		k := uCriticalExact(n[0], n[1], 0.025)
		runtime.ReadMemStats(&after)
		if got := after.TotalAlloc - before.TotalAlloc; got > 1<<20 {
			t.Errorf("uCriticalExact(%d, %d) allocated %d bytes; want under 1 MiB", n[0], n[1], got)
		}
		// U is uniform on 0…2500: P(U ≤ k) = (k+1)/2501 ≤ 0.025 up to k = 61.
		if k != 61 {
			t.Errorf("uCriticalExact(%d, %d, 0.025) = %d; want 61", n[0], n[1], k)
		}
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

// mosesIntervalQuadratic is mosesIntervals as it was before issue 15: it
// builds and sorts all n1·n2 differences. It is the reference the selection
// must match exactly.
func mosesIntervalQuadratic(base, head []float64, confidence float64) shiftInterval {
	d := make([]float64, 0, len(base)*len(head))
	for _, h := range head {
		for _, b := range base {
			d = append(d, h-b)
		}
	}
	slices.Sort(d)
	n := len(d)
	est := d[n/2]
	if n%2 == 0 {
		est = (d[n/2-1] + d[n/2]) / 2
	}
	k := uCritical(len(base), len(head), (1-confidence)/2)
	if k < 0 {
		return shiftInterval{estimate: est, low: math.Inf(-1), high: math.Inf(1)}
	}
	return shiftInterval{estimate: est, low: d[k], high: d[n-1-k]}
}

// walshIntervalQuadratic is walshIntervals as it was before issue 15: it
// builds and sorts all n(n+1)/2 Walsh averages.
func walshIntervalQuadratic(d []float64, confidence float64) shiftInterval {
	n := len(d)
	w := make([]float64, 0, n*(n+1)/2)
	for i := range d {
		for j := i; j < n; j++ {
			w = append(w, (d[i]+d[j])/2)
		}
	}
	slices.Sort(w)
	m := len(w)
	est := w[m/2]
	if m%2 == 0 {
		est = (w[m/2-1] + w[m/2]) / 2
	}
	k := signedRankCritical(n, (1-confidence)/2)
	if k < 0 {
		return shiftInterval{estimate: est, low: math.Inf(-1), high: math.Inf(1)}
	}
	return shiftInterval{estimate: est, low: w[k], high: w[m-1-k]}
}

// draw returns n values of one of several shapes, with many ties for the
// first ones: small integers (zeros included), timings rounded to a
// coarse or fine grid, log values (negative ones included), continuous.
func draw(rng *rand.Rand, shape, n int) []float64 {
	out := make([]float64, n)
	for i := range out {
		switch shape % 5 {
		case 0:
			out[i] = float64(rng.IntN(6))
		case 1:
			out[i] = math.Round(100 * math.Exp(0.05*rng.NormFloat64()))
		case 2:
			out[i] = math.Round(1000*math.Exp(0.05*rng.NormFloat64())) / 10
		case 3:
			out[i] = math.Log(math.Round(20 * math.Exp(0.3*rng.NormFloat64())))
		default:
			out[i] = rng.NormFloat64() * math.Exp(rng.NormFloat64())
		}
	}
	return out
}

func sameInterval(a, b shiftInterval) bool {
	return a.estimate == b.estimate && a.low == b.low && a.high == b.high
}

// TestIntervalsMatchQuadratic checks that selection in the implicit matrix
// gives exactly the order statistics of the sorted differences and Walsh
// averages (issue 15, item 1), on seeded draws with ties and sizes up to
// 1,000 per side, at the two confidences Compare uses.
func TestIntervalsMatchQuadratic(t *testing.T) {
	rng := rand.New(rand.NewPCG(15, 1))
	sizes := [][2]int{{1, 1}, {1, 7}, {5, 5}, {50, 50}, {50, 51}, {1, 1000}, {1000, 3}, {1000, 1000}, {999, 1000}}
	for range 30 {
		sizes = append(sizes, [2]int{1 + rng.IntN(1000), 1 + rng.IntN(1000)})
	}
	for i, sz := range sizes {
		shape := i % 5
		t.Run(fmt.Sprintf("%dx%d/shape%d", sz[0], sz[1], shape), func(t *testing.T) {
			base, head := draw(rng, shape, sz[0]), draw(rng, shape, sz[1])
			slices.Sort(base)
			slices.Sort(head)
			for _, conf := range []float64{0.95, 0.98} {
				got, want := mosesIntervals(base, head, nil, conf)[0], mosesIntervalQuadratic(base, head, conf)
				if !sameInterval(got, want) {
					t.Errorf("mosesIntervals(%v) = %+v; want %+v", conf, got, want)
				}
				got, want = walshIntervals(head, nil, conf)[0], walshIntervalQuadratic(head, conf)
				if !sameInterval(got, want) {
					t.Errorf("walshIntervals(%v) = %+v; want %+v", conf, got, want)
				}
			}
		})
	}
}

// TestSumMatrixEveryRank selects every rank of small matrices along each
// path of the selection: sorting at once, sampled pivots only (samples of
// 1, where one pivot is drawn, and 64, where one or two bracket the answer),
// bisection of the bit patterns only, and the three mixed; kthPair as well.
func TestSumMatrixEveryRank(t *testing.T) {
	rng := rand.New(rand.NewPCG(15, 2))
	paths := []struct {
		name                       string
		gather, pivotSteps, sample int
	}{
		{"sort", 1 << 30, 32, 4096},
		{"one sampled pivot", 0, 1 << 30, 1},
		{"sampled pivots", 0, 1 << 30, 64},
		{"bisection", 0, 0, 4096},
		{"mixed", 3, 2, 64},
	}
	for _, p := range paths {
		for shape := range 5 {
			t.Run(fmt.Sprintf("%s/shape%d", p.name, shape), func(t *testing.T) {
				x, y := draw(rng, shape, 1+rng.IntN(40)), draw(rng, shape, 1+rng.IntN(40))
				slices.Sort(x)
				slices.Sort(y)
				var want, wantSym []float64
				for i, a := range x {
					for _, b := range y {
						want = append(want, a+b)
					}
					for _, b := range x[i:] {
						wantSym = append(wantSym, (a+b)/2)
					}
				}
				slices.Sort(want)
				slices.Sort(wantSym)
				for _, tt := range []struct {
					what string
					s    *sumMatrix
					want []float64
				}{
					{"x + y", newSumMatrix(x, y, false), want},
					{"the Walsh averages", newSumMatrix(x, nil, true), wantSym},
				} {
					tt.s.gather, tt.s.pivotSteps, tt.s.sample = p.gather, p.pivotSteps, p.sample
					for k := range tt.want {
						if got := tt.s.kth(k); got != tt.want[k] {
							t.Fatalf("kth(%d) of %s = %v; want %v (x %v, y %v)", k, tt.what, got, tt.want[k], x, y)
						}
						if k+1 == len(tt.want) {
							continue
						}
						if a, b := tt.s.kthPair(k); a != tt.want[k] || b != tt.want[k+1] {
							t.Fatalf("kthPair(%d) of %s = %v, %v; want %v, %v (x %v, y %v)", k, tt.what, a, b, tt.want[k], tt.want[k+1], x, y)
						}
					}
				}
			})
		}
	}
}
