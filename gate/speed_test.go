package gate

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/aclements/go-moremath/stats"
)

// fileSeries returns s series of 10 base and 10 head ns/op samples, rounded
// to 0.01 as go test prints them, every tenth head 10 % slower: the shape
// of the files of scripts/bench-compare.sh and BenchmarkCompareFiles.
func fileSeries(s int) []Series {
	rng := rand.New(rand.NewPCG(7, uint64(s)))
	side := func(i int, f float64) []float64 {
		out := make([]float64, 10)
		for j := range out {
			out[j] = math.Round(float64(1000+i)*(1+0.02*(rng.Float64()-0.5))*f*100) / 100
		}
		return out
	}
	series := make([]Series, s)
	for i := range series {
		f := 1.0
		if i%10 == 0 {
			f = 1.1
		}
		series[i] = Series{Key: fmt.Sprintf("Case%05d", i), Base: side(i, 1), Head: side(i, f), Better: SmallerIsBetter}
	}
	return series
}

// BenchmarkCompareAllFiles times CompareAll of the series of two go test
// -bench files of S benchmarks × 10 samples (issue 13, item 5).
func BenchmarkCompareAllFiles(b *testing.B) {
	for _, s := range []int{520, 5000} {
		b.Run(fmt.Sprintf("S=%d", s), func(b *testing.B) {
			series := fileSeries(s)
			b.ReportAllocs()
			for b.Loop() {
				CompareAll(series)
			}
		})
	}
}

// referenceSides returns base and head samples for TestCompareMatchesReference:
// sizes from 1 to 70 (across the exact limits of the U test: 25 per side with
// ties, 50 without), shapes with many ties, zeros, constant samples and
// continuous values, and a shift of head by up to ±20 %.
func referenceSides(rng *rand.Rand) (base, head []float64) {
	n1, n2 := 1+rng.IntN(70), 1+rng.IntN(70)
	if rng.IntN(3) == 0 {
		n2 = n1
	}
	if rng.IntN(4) == 0 {
		n1, n2 = 1+rng.IntN(12), 1+rng.IntN(12)
	}
	shape := rng.IntN(6)
	side := func(n int, f float64) []float64 {
		out := make([]float64, n)
		for i := range out {
			switch shape {
			case 0:
				out[i] = float64(rng.IntN(6))
			case 1:
				out[i] = math.Round(100 * f * math.Exp(0.05*rng.NormFloat64()))
			case 2:
				out[i] = math.Round(1000*f*math.Exp(0.02*rng.NormFloat64())) / 10
			case 3:
				out[i] = 7
			case 4:
				out[i] = math.Round(float64(1000)*(1+0.02*(rng.Float64()-0.5))*f*100) / 100
			default:
				out[i] = f * math.Exp(rng.NormFloat64())
			}
		}
		return out
	}
	return side(n1, 1), side(n2, 1+0.4*(rng.Float64()-0.5))
}

// TestCompareMatchesReference checks that Compare, ComparePaired and
// CompareAll give, bit for bit, the results of the code before issue 13,
// item 5 (compareReference in reference_test.go) on seeded random draws.
func TestCompareMatchesReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 5))
	var series []Series
	var want []Outcome
	for i := range 1000 { // 1,000 seeded draws: about a minute under -race, the reference being slow
		base, head := referenceSides(rng)
		better := Direction(rng.IntN(2))
		exact, paired := rng.IntN(5) == 0, rng.IntN(3) == 0
		p := DefaultPolicy
		if rng.IntN(4) == 0 {
			p.Confidence, p.Alpha = 0.9, 0.1
		}
		cmp := Compare
		if paired {
			cmp = ComparePaired
		}
		ref := compareReference(base, head, better, exact, paired, p)
		if got := cmp(slices.Clone(base), slices.Clone(head), better, exact, p); !sameComparison(got, ref) {
			t.Fatalf("draw %d: Compare(%v, %v, %v, exact %v, paired %v) =\n%+v\nwant\n%+v", i, base, head, better, exact, paired, got, ref)
		}
		key := fmt.Sprintf("s%03d", rng.IntN(500))
		series = append(series, Series{Key: key, Base: base, Head: head, Better: better, Exact: exact, Paired: paired, Policy: p})
		want = append(want, Outcome{Key: key, Comparison: ref})
	}
	slices.SortStableFunc(want, func(a, b Outcome) int { return strings.Compare(a.Key, b.Key) })
	ps := make([]float64, len(want))
	for i, o := range want {
		ps[i] = o.P
	}
	for i, q := range QValues(ps) {
		want[i].Q = q
	}
	got := CompareAll(series).Outcomes
	for i := range want {
		if got[i].Key != want[i].Key || !sameComparison(got[i].Comparison, want[i].Comparison) {
			t.Fatalf("CompareAll outcome %d =\n%+v\nwant\n%+v", i, got[i], want[i])
		}
	}
}

// sameComparison reports whether a and b are the same, float fields bit for
// bit (fmt's shortest form tells every float64 apart, −0 from 0 included).
func sameComparison(a, b Comparison) bool {
	return fmt.Sprintf("%+v", a) == fmt.Sprintf("%+v", b)
}

// TestTiedUCDFMatchesMoremath checks tiedUCDF against go-moremath's
// UDist.CDF, bit for bit, for random tie vectors (two tie groups
// included) and every U of sizes up to 12 per side, a few of 25.
func TestTiedUCDFMatchesMoremath(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 6))
	var m memo // the tables reuse one another's memory, as in CompareAll
	for i := range 200 {
		n1, n2 := 1+rng.IntN(12), 1+rng.IntN(12)
		if i%50 == 0 {
			n1, n2 = 25, 1+rng.IntN(10)
		}
		if i%20 == 0 {
			n1, n2 = 1+rng.IntN(4), 1+rng.IntN(4)
		}
		var ties []int
		for left := n1 + n2; left > 0; {
			g := min(left, 1+rng.IntN(1+rng.IntN(4)))
			if i%10 == 0 && len(ties) == 0 {
				g = max(1, left/2) // two groups
			}
			ties = append(ties, g)
			left -= g
		}
		if len(ties) < 2 || len(ties) == n1+n2 { // no ties: not tiedUCDF's case
			continue
		}
		var us []float64
		for twoU := -2; twoU <= 2*n1*n2+2; twoU++ {
			us = append(us, float64(twoU)/2)
		}
		cdf := tiedUCDF(n1, n2, ties, us, &m)
		dist := stats.UDist{N1: n1, N2: n2, T: ties}
		for _, u := range us {
			if got, want := cdf(u), dist.CDF(u); math.Float64bits(got) != math.Float64bits(want) {
				t.Fatalf("n=%d+%d, T=%v: CDF(%v) = %v; want %v", n1, n2, ties, u, got, want)
			}
		}
	}
}
