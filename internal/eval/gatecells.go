package eval

import (
	"math"
	"math/rand/v2"
	"slices"

	"github.com/benchgate/benchgate/gate"
)

// Method is one decision rule scored by the evaluation.
type Method int

// The methods, benchgate's first.
const (
	Benchgate       Method = iota // gate.Compare with gate.DefaultPolicy
	BenchgatePaired               // gate.ComparePaired (Wilcoxon on per-round log ratios)
	Benchstat05                   // two-sided U test, α = 0.05, slower median
	Benchstat01                   // the same at α = 0.01
	Ratio200                      // github-action-benchmark: mean ratio > 2.0
	Ratio150                      // > 1.5
	Ratio110                      // > 1.1
	numMethods
)

var methodNames = [numMethods]string{"benchgate", "benchgate paired", "benchstat α=0.05", "benchstat α=0.01",
	"ratio 200%", "ratio 150%", "ratio 110%"}

func (m Method) String() string { return methodNames[m] }

// trial is what every method said about one draw.
type trial struct {
	flag     [numMethods]bool // flagged a regression
	block    [2]bool          // benchgate, paired: severity ≥ major
	sev      [2]gate.Severity
	covered  [2]bool    // the 95 % interval holds the true change
	shift    float64    // benchgate's Hodges–Lehmann estimate
	score    [3]float64 // p-values: benchgate, paired, benchstat (directional)
	improved bool       // benchgate improvement
}

// judge runs every method on one draw with true change delta.
func judge(base, head []float64, delta float64) trial {
	var t trial
	p := gate.DefaultPolicy
	u := gate.Compare(base, head, gate.SmallerIsBetter, false, p)
	pr := gate.ComparePaired(base, head, gate.SmallerIsBetter, false, p)
	for i, c := range []gate.Comparison{u, pr} {
		t.sev[i] = c.Severity
		t.block[i] = c.Severity.Reaches(gate.SeverityMajor)
		t.flag[i] = c.Severity.IsRegression()
		t.covered[i] = c.Low <= delta && delta <= c.High
		t.score[i] = c.P
	}
	t.shift = u.Shift
	t.improved = u.Severity == gate.SeverityImprovement
	// benchstat: significant when P ≤ α (it prints "~" only for P > α),
	// regression when the head median is larger. TwoSidedP is benchmath's.
	slower := u.HeadMedian > u.BaseMedian
	t.flag[Benchstat05] = slower && u.TwoSidedP <= 0.05
	t.flag[Benchstat01] = slower && u.TwoSidedP <= 0.01
	t.score[2] = 1 + u.TwoSidedP
	if slower {
		t.score[2] = u.TwoSidedP
	}
	// github-action-benchmark: current/previous for smaller-is-better,
	// on the tool-reported mean of each run.
	ratio := mean(head) / mean(base)
	t.flag[Ratio200] = ratio > 2.0
	t.flag[Ratio150] = ratio > 1.5
	t.flag[Ratio110] = ratio > 1.1
	return t
}

// Cell is the outcome of the trials of one noise model, sample size and
// true change.
type Cell struct {
	Model        Noise
	N            int
	Delta        float64
	Flag         [numMethods]Rate
	Block        [2]Rate
	Inconclusive [2]Rate
	Improved     Rate
	Covered      [2]Rate
	Bias         float64 // mean Hodges–Lehmann estimate − true change
	Severity     [2][6]int
	scores       [3][]float64
}

// runCell draws trials samples of model at size n with change delta.
func runCell(r *rand.Rand, model Noise, n int, delta float64, trials int) Cell {
	c := Cell{Model: model, N: n, Delta: delta}
	bias := 0.0
	for range trials {
		base, head := model.draw(r, n, delta)
		t := judge(base, head, delta)
		for m := range numMethods {
			c.Flag[m].add(t.flag[m])
		}
		for i := range 2 {
			c.Block[i].add(t.block[i])
			c.Inconclusive[i].add(t.sev[i] == gate.SeverityInconclusive)
			c.Covered[i].add(t.covered[i])
			c.Severity[i][t.sev[i]]++
		}
		c.Improved.add(t.improved)
		for i := range 3 {
			c.scores[i] = append(c.scores[i], t.score[i])
		}
		bias += t.shift - delta
	}
	c.Bias = bias / float64(trials)
	return c
}

// matchedPower returns, for score index i, the power of this cell at the
// largest p-value threshold whose false-alarm rate on the A/A cell aa is at
// most fpr.
func (c Cell) matchedPower(aa Cell, i int, fpr float64) Rate {
	null := slices.Sorted(slices.Values(aa.scores[i]))
	allowed := int(math.Floor(fpr * float64(len(null))))
	// The threshold t flags scores ≤ t; pick the largest t that flags at
	// most allowed A/A trials: strictly below the (allowed+1)-th smallest.
	var thr float64
	if allowed < len(null) {
		k := allowed // 0-based index of the (allowed+1)-th smallest
		thr = math.Nextafter(null[k], math.Inf(-1))
		if k > 0 && null[k-1] > thr {
			thr = null[k-1]
		}
	} else {
		thr = math.Inf(1)
	}
	var r Rate
	for _, s := range c.scores[i] {
		r.add(s <= thr)
	}
	return r
}

func mean(v []float64) float64 {
	s := 0.0
	for _, x := range v {
		s += x
	}
	return s / float64(len(v))
}
