package gate

import (
	"fmt"
	"math"
	"slices"

	"github.com/aclements/go-moremath/stats"
)

// ChangePointOptions tunes ChangePoints. Zero fields take the defaults of
// DefaultChangePointOptions.
type ChangePointOptions struct {
	// Window is the length of the sliding windows E-divisive splits: 50, as
	// Otava.
	Window int
	// MaxP is the t-test p-value a change point must stay under after
	// merging: 0.001, as Otava; the first (split) pass uses 10·MaxP.
	MaxP float64
	// MinMagnitude is the smallest relative change of the segment means kept:
	// 0.01 (the gate's user floor). A negative value means no minimum
	// (Otava's default).
	MinMagnitude float64
	// MinSegment is the fewest points on each side of a change: 3, so that
	// a single-commit spike cannot be a segment and the t-test has a
	// variance on both sides.
	MinSegment int
	// ProvisionalAfter and ConfirmAfter are the points after a change from
	// which it is reported as provisional (3) and as confirmed (8).
	ProvisionalAfter, ConfirmAfter int
	// Pooled uses Student's pooled-variance t-test, as the original
	// Hunter/Otava code, instead of Welch's.
	Pooled bool
	// Raw works on the values themselves, as Otava, instead of their logs.
	Raw bool
}

// DefaultChangePointOptions returns the published defaults (see
// ChangePointOptions for each reason).
func DefaultChangePointOptions() ChangePointOptions {
	return ChangePointOptions{Window: 50, MaxP: 0.001, MinMagnitude: 0.01, MinSegment: 3, ProvisionalAfter: 3, ConfirmAfter: 8}
}

// OtavaOptions returns Otava's own defaults, for comparison: window 50,
// p 0.001, no minimum magnitude, pooled t-test on raw values.
func OtavaOptions() ChangePointOptions {
	o := DefaultChangePointOptions()
	o.MinMagnitude, o.Pooled, o.Raw = -1, true, true
	return o
}

func (o ChangePointOptions) orDefault() ChangePointOptions {
	d := DefaultChangePointOptions()
	if o.Window == 0 {
		o.Window = d.Window
	}
	if o.MaxP == 0 {
		o.MaxP = d.MaxP
	}
	if o.MinMagnitude == 0 {
		o.MinMagnitude = d.MinMagnitude
	}
	if o.MinSegment == 0 {
		o.MinSegment = d.MinSegment
	}
	if o.ProvisionalAfter == 0 {
		o.ProvisionalAfter = d.ProvisionalAfter
	}
	if o.ConfirmAfter == 0 {
		o.ConfirmAfter = d.ConfirmAfter
	}
	return o
}

// ChangePoint is a persistent shift in a series' history.
type ChangePoint struct {
	// Index is the first point after the change (Otava's convention): the
	// suspect commits are those after point Index−1 up to point Index.
	Index int
	// Before and After are the segment centres around the change (geometric
	// means, or means with Raw), and Magnitude is After/Before − 1.
	Before, After, Magnitude float64
	// P is the t-test p-value between the two adjacent segments, and
	// Confidence is 1 − P.
	P, Confidence float64
	// PointsAfter is how many points follow the change, Index included.
	PointsAfter int
	// Confirmed is set from ConfirmAfter points after the change; before, a
	// change point is provisional.
	Confirmed bool
}

// Changes is the result of ChangePoints.
type Changes struct {
	Points   []ChangePoint // in index order
	Warnings []string
}

// ChangePoints finds the change points of a main-branch history, one value
// per commit in commit order, with the E-divisive method as Otava
// implements it: sliding windows are split recursively where the energy
// statistic peaks, a split being kept while the t-test between the two
// adjacent segments has p < 10·MaxP; then the weakest points are merged
// away until every remaining point has p < MaxP and a magnitude of at least
// MinMagnitude. Values must be finite, and positive on the log scale; a
// history that is not is not analysed, with a warning.
func ChangePoints(values []float64, o ChangePointOptions) Changes {
	o = o.orDefault()
	var ch Changes
	x := make([]float64, len(values))
	for i, v := range values {
		if math.IsNaN(v) || math.IsInf(v, 0) || !o.Raw && !(v > 0) {
			ch.Warnings = append(ch.Warnings, fmt.Sprintf("history point %d is %v; want a finite value > 0", i, v))
			continue
		}
		x[i] = v
		if !o.Raw {
			x[i] = math.Log(v)
		}
	}
	if len(ch.Warnings) > 0 || len(x) < 2*o.MinSegment {
		return ch
	}
	idx := splitWindows(x, o)
	ch.Points = mergeChangePoints(x, idx, o)
	return ch
}

// splitWindows runs E-divisive over sliding windows of o.Window points,
// advancing by half a window or to the last change found, and returns the
// sorted, distinct candidate indexes.
func splitWindows(x []float64, o ChangePointOptions) []int {
	seen := map[int]bool{}
	step := max(o.Window/2, 1)
	for start := 0; start < len(x); {
		end := min(start+o.Window, len(x))
		last := 0
		for _, i := range eDivisive(x[start:end], 10*o.MaxP, o) {
			seen[start+i] = true
			last = max(last, start+i)
		}
		start = max(last, start+step)
	}
	idx := make([]int, 0, len(seen))
	for i := range seen {
		idx = append(idx, i)
	}
	slices.Sort(idx)
	return idx
}

// eDivisive splits y recursively at the peak of the energy statistic q̂
// while the t-test of the split segment has p < maxP, and returns the
// splits found.
func eDivisive(y []float64, maxP float64, o ChangePointOptions) []int {
	m := len(y)
	if m < 2*o.MinSegment {
		return nil
	}
	// Prefix sums of the distance matrix |yᵢ − yⱼ|: block sums in O(1).
	w := m + 1
	ps := make([]float64, w*w)
	for i := 0; i < m; i++ {
		for j := 0; j < m; j++ {
			ps[(i+1)*w+j+1] = math.Abs(y[i]-y[j]) + ps[i*w+j+1] + ps[(i+1)*w+j] - ps[i*w+j]
		}
	}
	block := func(r0, r1, c0, c1 int) float64 {
		return ps[r1*w+c1] - ps[r0*w+c1] - ps[r1*w+c0] + ps[r0*w+c0]
	}
	var cps []int
	for {
		bounds := append(append([]int{0}, cps...), m)
		bestQ, bestTau, bestA, bestB := math.Inf(-1), -1, 0, 0
		for s := 0; s+1 < len(bounds); s++ {
			a, b := bounds[s], bounds[s+1]
			for tau := a + o.MinSegment; tau <= b-o.MinSegment; tau++ {
				l, r := float64(tau-a), float64(b-tau)
				between := block(a, tau, tau, b) / (l * r)
				withinL := block(a, tau, a, tau) / (l * (l - 1))
				withinR := block(tau, b, tau, b) / (r * (r - 1))
				q := l * r / (l + r) * (2*between - withinL - withinR)
				if q > bestQ {
					bestQ, bestTau, bestA, bestB = q, tau, a, b
				}
			}
		}
		if bestTau < 0 {
			return cps
		}
		if p := tTest(y[bestA:bestTau], y[bestTau:bestB], o.Pooled); !(p < maxP) {
			return cps
		}
		cps = append(cps, bestTau)
		slices.Sort(cps)
	}
}

// mergeChangePoints computes the statistics of each candidate against its
// neighbours and removes, one at a time, the candidate with the weakest
// p-value ≥ o.MaxP, or else the smallest magnitude < o.MinMagnitude,
// recomputing the neighbours of each removed point (Otava's merge).
func mergeChangePoints(x []float64, idx []int, o ChangePointOptions) []ChangePoint {
	stat := func(k int, idx []int) ChangePoint {
		a, b := 0, len(x)
		if k > 0 {
			a = idx[k-1]
		}
		if k+1 < len(idx) {
			b = idx[k+1]
		}
		return changeStats(x, a, idx[k], b, o)
	}
	cps := make([]ChangePoint, len(idx))
	for k := range idx {
		cps[k] = stat(k, idx)
	}
	for len(cps) > 0 {
		weakest := 0
		for k := range cps {
			if cps[k].P > cps[weakest].P {
				weakest = k
			}
		}
		if cps[weakest].P < o.MaxP {
			for k := range cps {
				if math.Abs(cps[k].Magnitude) < math.Abs(cps[weakest].Magnitude) {
					weakest = k
				}
			}
			if math.Abs(cps[weakest].Magnitude) >= o.MinMagnitude {
				break
			}
		}
		cps = slices.Delete(cps, weakest, weakest+1)
		idx = slices.Delete(idx, weakest, weakest+1)
		for _, k := range []int{weakest - 1, weakest} {
			if k >= 0 && k < len(cps) {
				cps[k] = stat(k, idx)
			}
		}
	}
	return cps
}

// changeStats describes a change at index i between the segments x[a:i] and
// x[i:b].
func changeStats(x []float64, a, i, b int, o ChangePointOptions) ChangePoint {
	l, r := mean(x[a:i]), mean(x[i:b])
	cp := ChangePoint{Index: i, PointsAfter: len(x) - i, P: tTest(x[a:i], x[i:b], o.Pooled)}
	if o.Raw {
		cp.Before, cp.After = l, r
		cp.Magnitude = r/l - 1
	} else {
		cp.Before, cp.After = math.Exp(l), math.Exp(r)
		cp.Magnitude = math.Expm1(r - l)
	}
	cp.Confidence = 1 - cp.P
	cp.Confirmed = cp.PointsAfter >= o.ConfirmAfter
	return cp
}

// tTest returns the two-sided p-value of the two-sample t-test (Welch's, or
// Student's pooled), 0 when neither side varies but the means differ, and 1
// when it cannot be computed.
func tTest(left, right []float64, pooled bool) float64 {
	test := stats.TwoSampleWelchTTest
	if pooled {
		test = stats.TwoSampleTTest
	}
	r, err := test(stats.Sample{Xs: left}, stats.Sample{Xs: right}, stats.LocationDiffers)
	if err != nil {
		if len(left) > 0 && len(right) > 0 && mean(left) != mean(right) {
			return 0
		}
		return 1
	}
	return r.P
}

// mean returns the arithmetic mean of non-empty values.
func mean(values []float64) float64 {
	s := 0.0
	for _, v := range values {
		s += v
	}
	return s / float64(len(values))
}

// Segment returns the current segment of values: the points since the last
// confirmed change point (all of them when there is none). It is the
// history the noise model and the history fallback should read.
func Segment(values []float64, points []ChangePoint) []float64 {
	start := 0
	for _, p := range points {
		if p.Confirmed && p.Index > start && p.Index <= len(values) {
			start = p.Index
		}
	}
	return values[start:]
}
