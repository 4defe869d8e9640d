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
	// MaxP is the p-value a change point must stay under after merging:
	// 0.001, as Otava, but corrected for the search over the split
	// positions (see ChangePoints); the first (split) pass uses 10·MaxP.
	MaxP float64
	// MinMagnitude is the smallest relative change of the segment centres
	// kept: 0.01 (the gate's user floor). A negative value means no minimum
	// (Otava's default).
	MinMagnitude float64
	// MinSegment is the fewest points on each side of a change: 3, so that
	// one or two bad commits can never be a segment.
	MinSegment int
	// ProvisionalAfter is the number of points after a change from which it
	// is reported (3). A change point is confirmed once at least
	// ConfirmAfter points (5) follow it, the re-test of all of them against
	// the segment before gives p < ConfirmP (MaxP/10), and its 95 %
	// interval excludes changes smaller than MinMagnitude.
	ProvisionalAfter, ConfirmAfter int
	ConfirmP                       float64
	// OutlierZ is how far, in robust noise σ, one or two consecutive points
	// must lie beyond every one of their neighbours (up to 3 on each side)
	// to be set aside as outliers: 6. A negative value keeps every point.
	OutlierZ float64
	// Otava runs the test as Otava publishes it, for comparison: Student's
	// pooled t-test on the raw values with its p-value taken at face value
	// (no correction for the search or for autocorrelation), no outlier
	// removal and no minimum magnitude.
	Otava bool
}

// DefaultChangePointOptions returns the defaults (see ChangePointOptions for
// each reason).
func DefaultChangePointOptions() ChangePointOptions {
	return ChangePointOptions{Window: 50, MaxP: 0.001, MinMagnitude: 0.01, MinSegment: 3,
		ProvisionalAfter: 3, ConfirmAfter: 5, ConfirmP: 0.0001, OutlierZ: 6}
}

// OtavaOptions returns Otava's own defaults, for comparison: window 50,
// p 0.001, no minimum magnitude, pooled t-test on raw values.
func OtavaOptions() ChangePointOptions {
	o := DefaultChangePointOptions()
	o.MinMagnitude, o.OutlierZ, o.Otava = -1, -1, true
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
	if o.ConfirmP == 0 {
		o.ConfirmP = o.MaxP / 10
	}
	if o.OutlierZ == 0 {
		o.OutlierZ = d.OutlierZ
	}
	return o
}

// ChangePoint is a persistent shift in a series' history.
type ChangePoint struct {
	// Index is the first point after the change (Otava's convention) and
	// Previous the last point before it (Index−1 unless outliers lie
	// between): the suspect commits are those after point Previous up to
	// point Index.
	Index, Previous int
	// From and To bound where the change can be, given the noise: it
	// happened after point From and by point To (From ≤ Previous,
	// Index ≤ To). The suspect commits are those after From up to To; a
	// wide range says the data cannot pin the change to one commit.
	From, To int
	// Before and After are the segment centres around the change (geometric
	// means, or means with Otava), and Magnitude is After/Before − 1, with
	// its 95 % interval [Low, High].
	Before, After, Magnitude float64
	Low, High                float64
	// P is the p-value of the test between the two adjacent segments,
	// corrected for the search, and Confidence is 1 − P.
	P, Confidence float64
	// PointsAfter is how many points follow the change, Index included.
	PointsAfter int
	// Confirmed is set once ConfirmAfter points follow the change, their
	// re-test gives p < ConfirmP and the interval [Low, High] lies beyond
	// MinMagnitude; before, a change point is provisional.
	Confirmed bool
}

// Changes is the result of ChangePoints.
type Changes struct {
	Points []ChangePoint // in index order
	// Outliers are the indexes of the points set aside as outliers (one or
	// two consecutive points far beyond all their neighbours: failed runs,
	// a noisy machine).
	Outliers []int
	// Rho is the lag-1 autocorrelation of the noise the test allowed for.
	Rho      float64
	Warnings []string
}

// ChangePoints finds the change points of a main-branch history, one value
// per commit in commit order; see ChangePointsOf.
func ChangePoints(values []float64, o ChangePointOptions) Changes {
	samples := make([][]float64, len(values))
	for i := range values {
		samples[i] = values[i : i+1]
	}
	return ChangePointsOf(samples, o)
}

// ChangePointsOf finds the change points of a main-branch history given
// the samples of each commit, in commit order. Each commit is represented
// by the median of its samples, on the log scale. Then:
//
//  1. Outliers — one or two consecutive points more than OutlierZ robust σ
//     (from the median absolute deviation of consecutive differences)
//     beyond all of their neighbours — are set aside: they can neither be
//     a change nor hide one.
//  2. E-divisive, as Otava implements it, proposes changes: sliding windows
//     are split recursively where the energy statistic peaks, a split being
//     kept while the test between the two adjacent segments gives
//     p < 10·MaxP; then the weakest points are merged away until every
//     remaining point has p < MaxP and a magnitude of at least MinMagnitude.
//  3. The test is Student's t with the variance pooled over both segments
//     (a short plateau borrows its neighbour's variance), widened by
//     (1+ρ)/(1−ρ) for the lag-1 autocorrelation ρ of the residuals, and its
//     p-value corrected for the search over the split positions with the
//     scan statistic of a standardised Brownian bridge (James, James and
//     Siegmund 1987): a change point's p is the chance that noise alone
//     would peak that high anywhere in the segments tested.
//
// Values must be finite, and positive on the log scale; a history that is
// not is not analysed, with a warning.
func ChangePointsOf(samples [][]float64, o ChangePointOptions) Changes {
	o = o.orDefault()
	var ch Changes
	x := make([]float64, len(samples))
	for i, s := range samples {
		if len(s) == 0 {
			ch.Warnings = append(ch.Warnings, fmt.Sprintf("history point %d has no samples", i))
			continue
		}
		v := Median(s)
		if math.IsNaN(v) || math.IsInf(v, 0) || !o.Otava && !(v > 0) || slices.ContainsFunc(s, func(v float64) bool { return math.IsNaN(v) || math.IsInf(v, 0) }) {
			ch.Warnings = append(ch.Warnings, fmt.Sprintf("history point %d is %v; want finite values > 0", i, v))
			continue
		}
		x[i] = v
		if !o.Otava {
			x[i] = math.Log(v)
		}
	}
	if len(ch.Warnings) > 0 {
		return ch
	}
	s := &series{o: o}
	var out []bool
	if o.OutlierZ > 0 {
		out = outliers(x, o.OutlierZ)
	}
	for i, v := range x {
		if out != nil && out[i] {
			ch.Outliers = append(ch.Outliers, i)
			continue
		}
		s.x = append(s.x, v)
		s.orig = append(s.orig, i)
	}
	if len(s.x) < 2*o.MinSegment {
		return ch
	}
	ch.Points = s.detect()
	if !o.Otava {
		// Allow for autocorrelation: estimate ρ from the residuals of the
		// first segmentation and analyse again.
		if rho := s.residualRho(ch.Points); rho > 0.05 {
			s.rho = rho
			ch.Points = s.detect()
		}
	}
	ch.Rho = s.rho
	for k := range ch.Points {
		ch.Points[k].PointsAfter = len(samples) - ch.Points[k].Index
	}
	return ch
}

// series is one history being analysed: the analysed values (logs, outliers
// removed), the original index of each, and the autocorrelation allowed for.
type series struct {
	x    []float64
	orig []int
	rho  float64
	o    ChangePointOptions
	// pOnly skips the description of a change (centres, interval): the
	// split stage needs the p-value alone.
	pOnly bool
	// ps is eDivisive's prefix-sum matrix, reused from window to window
	// (each window zeroes its first row and column and writes the rest).
	ps []float64
}

// tQuantile returns the 97.5 % quantile of Student's t with df degrees of
// freedom: exact below 4, else the Cornish–Fisher expansion to the third
// order (within 0.01 at 4 degrees of freedom, 0.0001 from 10); the
// interval needs no more, and bisecting the CDF cost a third of an
// analysis.
func (s *series) tQuantile(df float64) float64 {
	switch {
	case df < 1:
		return 1.96
	case df < 2:
		return 12.7062
	case df < 3:
		return 4.3027
	case df < 4:
		return 3.1824
	}
	const z = 1.959963984540054
	z3, z5, z7 := z*z*z, z*z*z*z*z, z*z*z*z*z*z*z
	return z + (z3+z)/(4*df) + (5*z5+16*z3+3*z)/(96*df*df) + (3*z7+19*z5+17*z3-15*z)/(384*df*df*df)
}

// detect returns the change points of s: E-divisive's candidates and the
// short-plateau candidates, merged.
func (s *series) detect() []ChangePoint {
	idx := s.splitWindows()
	if !s.o.Otava {
		idx = append(idx, s.mosum()...)
		slices.Sort(idx)
		idx = slices.Compact(idx)
	}
	return s.merge(idx)
}

// mosum proposes the edges of short plateaus, which E-divisive's first
// split of a window can straddle: the local maxima of the moving-sum
// statistic |mean(x[i:i+h]) − mean(x[i−10:i])| / (σ·√(1/h + 1/10)), for
// bandwidths h of MinSegment and 10, above 3.5 (σ robust, from consecutive
// differences). The merge decides which are changes.
func (s *series) mosum() []int {
	n := len(s.x)
	sigma := robustSigma(s.x)
	if sigma == 0 {
		return nil
	}
	ps := make([]float64, n+1)
	for i, v := range s.x {
		ps[i+1] = ps[i] + v
	}
	var idx []int
	for _, h := range []int{s.o.MinSegment, 10} {
		const l = 10
		stat := make([]float64, n)
		for i := s.o.MinSegment; i+s.o.MinSegment <= n; i++ {
			lw, rw := min(l, i), min(h, n-i)
			d := (ps[i+rw]-ps[i])/float64(rw) - (ps[i]-ps[i-lw])/float64(lw)
			stat[i] = math.Abs(d) / (sigma * math.Sqrt(1/float64(lw)+1/float64(rw)))
		}
		for i, v := range stat {
			if v < 3.5 {
				continue
			}
			peak := true
			for j := max(0, i-h); j < min(n, i+h+1) && peak; j++ {
				peak = stat[j] < v || stat[j] == v && j >= i
			}
			if peak {
				idx = append(idx, i)
			}
		}
	}
	return idx
}

// robustSigma estimates the noise σ of x from the median absolute deviation
// of its consecutive differences, which steps and isolated outliers barely
// move.
func robustSigma(x []float64) float64 {
	if len(x) < 3 {
		return 0
	}
	d := make([]float64, len(x)-1)
	for i := range d {
		d[i] = x[i+1] - x[i]
	}
	md := Median(d)
	for i := range d {
		d[i] = math.Abs(d[i] - md)
	}
	return 1.4826 * Median(d) / math.Sqrt2
}

// outliers flags the runs of one or two consecutive values lying more than
// z robust σ beyond every one of up to 3 neighbours on each side (at least
// one on each side, or 3 on the one side at either end of the history); a
// single value may have one neighbour beyond it too, so that two outliers
// one commit apart do not shield each other. A plateau of three shares at
// least two neighbours with each of its points and is never flagged.
func outliers(x []float64, z float64) []bool {
	if len(x) < 4 {
		return nil
	}
	thr := max(z*robustSigma(x), math.Log1p(0.01))
	out := make([]bool, len(x))
	var kept []float64 // the values before i that are not outliers
	for i := 0; i < len(x); {
		run := 0
		for k := 1; k <= 2 && i+k <= len(x) && run == 0; k++ {
			before := kept[max(0, len(kept)-3):]
			after := x[i+k : min(len(x), i+k+3)]
			if (len(before) == 0 && len(after) < 3) || (len(after) == 0 && len(before) < 3) {
				continue
			}
			// beyond reports whether the run lies more than thr above (up)
			// or below every neighbour but, for a single point, the one two
			// commits after it (two outliers one commit apart).
			beyond := func(up bool) bool {
				for j := range len(after) + len(before) {
					n := 0.0
					if j < len(after) {
						n = after[j]
					} else {
						n = before[j-len(after)]
					}
					for _, v := range x[i : i+k] {
						if up && v > n+thr || !up && v < n-thr {
							continue
						}
						if !(k == 1 && j == 1 && len(before) > 0 && len(after) >= 2) {
							return false
						}
					}
				}
				return true
			}
			up, down := beyond(true), beyond(false)
			if up || down {
				run = k
			}
		}
		if run == 0 {
			kept = append(kept, x[i])
			i++
			continue
		}
		for k := range run {
			out[i+k] = true
		}
		i += run
	}
	return out
}

// splitWindows runs E-divisive over sliding windows of o.Window points,
// advancing by half a window or to the last change found, and returns the
// sorted, distinct candidate indexes.
func (s *series) splitWindows() []int {
	seen := map[int]bool{}
	step := max(s.o.Window/2, 1)
	for start := 0; start < len(s.x); {
		end := min(start+s.o.Window, len(s.x))
		last := 0
		for _, i := range s.eDivisive(start, end, 10*s.o.MaxP) {
			seen[i] = true
			last = max(last, i)
		}
		if end == len(s.x) {
			break
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

// eDivisive splits x[lo:hi] recursively at the peak of the energy statistic
// q̂ while the test of the split segment has p < maxP, and returns the
// splits found (indexes into s.x).
func (s *series) eDivisive(lo, hi int, maxP float64) []int {
	y := s.x[lo:hi]
	m, minSeg := len(y), s.o.MinSegment
	if m < 2*minSeg {
		return nil
	}
	// Prefix sums of the distance matrix |yᵢ − yⱼ|: block sums in O(1).
	w := m + 1
	if cap(s.ps) < w*w {
		s.ps = make([]float64, w*w)
	}
	ps := s.ps[:w*w]
	for k := range w { // the first row and column are zero
		ps[k], ps[k*w] = 0, 0
	}
	// Row i+1 is row i plus the running sum of row i of the matrix: one
	// dependency per cell rather than three (a third of an analysis went
	// here).
	for i, yi := range y {
		prev, cur := ps[i*w+1:(i+1)*w], ps[(i+1)*w+1:(i+2)*w]
		run := 0.0
		for j, yj := range y {
			run += math.Abs(yi - yj)
			cur[j] = prev[j] + run
		}
	}
	block := func(r0, r1, c0, c1 int) float64 {
		return ps[r1*w+c1] - ps[r0*w+c1] - ps[r1*w+c0] + ps[r0*w+c0]
	}
	var cps []int
	for {
		bounds := append(append([]int{0}, cps...), m)
		bestQ, bestTau, bestA, bestB := math.Inf(-1), -1, 0, 0
		for k := 0; k+1 < len(bounds); k++ {
			a, b := bounds[k], bounds[k+1]
			for tau := a + minSeg; tau <= b-minSeg; tau++ {
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
			break
		}
		if p := s.naiveP(lo+bestA, lo+bestTau, lo+bestB); !(p < maxP) {
			break
		}
		cps = append(cps, bestTau)
		slices.Sort(cps)
	}
	for k := range cps {
		cps[k] += lo
	}
	return cps
}

// merge computes the statistics of each candidate against its neighbours
// and removes, one at a time, the candidate with the weakest p-value ≥
// o.MaxP, or else the smallest magnitude < o.MinMagnitude, recomputing the
// neighbours of each removed point (Otava's merge). It returns the change
// points in original indexes.
func (s *series) merge(idx []int) []ChangePoint {
	stat := func(k int, idx []int) ChangePoint {
		a, b := 0, len(s.x)
		if k > 0 {
			a = idx[k-1]
		}
		if k+1 < len(idx) {
			b = idx[k+1]
		}
		return s.test(a, idx[k], b)
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
		if cps[weakest].P < s.o.MaxP {
			for k := range cps {
				if math.Abs(cps[k].Magnitude) < math.Abs(cps[weakest].Magnitude) {
					weakest = k
				}
			}
			if math.Abs(cps[weakest].Magnitude) >= s.o.MinMagnitude {
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
	idx = s.refine(idx)
	for k := range idx {
		cps[k] = stat(k, idx)
		a, b := 0, len(s.x)
		if k > 0 {
			a = idx[k-1]
		}
		if k+1 < len(idx) {
			b = idx[k+1]
		}
		cps[k].From, cps[k].To = s.locate(a, idx[k], b, (1+s.rho)/(1-s.rho))
	}
	for k := range cps {
		cps[k].Index, cps[k].Previous = s.orig[idx[k]], s.orig[idx[k]-1]
		cps[k].From, cps[k].To = s.orig[cps[k].From], s.orig[cps[k].To]
	}
	return cps
}

// refine moves each change point, in order, to the split between its
// neighbours that separates the segment means best (the least-squares
// position): a change found near a window's edge, where fewer than
// MinSegment points followed it, is proposed a few points early.
func (s *series) refine(idx []int) []int {
	idx = slices.Clone(idx)
	for k := range idx {
		a, b := 0, len(s.x)
		if k > 0 {
			a = idx[k-1]
		}
		if k+1 < len(idx) {
			b = idx[k+1]
		}
		total := 0.0
		for _, v := range s.x[a:b] {
			total += v
		}
		best, bestScore, left := idx[k], math.Inf(-1), 0.0
		for tau := a + 1; tau < b; tau++ {
			left += s.x[tau-1]
			if tau-a < s.o.MinSegment || b-tau < s.o.MinSegment {
				continue
			}
			l, r := float64(tau-a), float64(b-tau)
			d := (total-left)/r - left/l
			if score := d * d * l * r / (l + r); score > bestScore {
				best, bestScore = tau, score
			}
		}
		idx[k] = best
	}
	return idx
}

// test describes a change at i between the segments x[a:i] and x[i:b] (in
// the analysed indexes; Index is i, Previous is i−1).
func (s *series) test(a, i, b int) ChangePoint {
	left, right := s.x[a:i], s.x[i:b]
	nl, nr := float64(len(left)), float64(len(right))
	ml, mr := mean(left), mean(right)
	ss := 0.0
	for _, v := range left {
		ss += (v - ml) * (v - ml)
	}
	for _, v := range right {
		ss += (v - mr) * (v - mr)
	}
	df := nl + nr - 2
	widen := (1 + s.rho) / (1 - s.rho)
	se := math.Sqrt(ss / df * widen * (1/nl + 1/nr))
	d := mr - ml
	cp := ChangePoint{Index: i, Previous: i - 1, P: 1}
	switch {
	case df < 1:
	case se == 0:
		if d != 0 {
			cp.P = 0
		}
	default:
		t := math.Abs(d) / se
		cp.P = 2 * stats.TDist{V: df}.CDF(-t)
		if !s.o.Otava {
			cp.P = scanP(cp.P, float64(s.o.MinSegment)/(nl+nr))
		}
	}
	if s.pOnly {
		return cp
	}
	q := s.tQuantile(df)
	if s.o.Otava {
		cp.Before, cp.After, cp.Magnitude = ml, mr, mr/ml-1
		cp.Low, cp.High = (mr-q*se)/ml-1, (mr+q*se)/ml-1
	} else {
		cp.Before, cp.After, cp.Magnitude = math.Exp(ml), math.Exp(mr), math.Expm1(d)
		cp.Low, cp.High = math.Expm1(d-q*se), math.Expm1(d+q*se)
	}
	cp.Confidence = 1 - cp.P
	beyond := min(math.Abs(cp.Low), math.Abs(cp.High)) >= max(s.o.MinMagnitude, 0) && (cp.Low > 0) == (cp.High > 0)
	cp.Confirmed = len(right) >= s.o.ConfirmAfter && cp.P < s.o.ConfirmP && beyond
	return cp
}

// naiveP returns the pooled t-test's p-value of a split at i between
// x[a:i] and x[i:b], not corrected for the search: the split stage only
// proposes candidates, and the merge tests them.
func (s *series) naiveP(a, i, b int) float64 {
	o := s.o
	o.Otava = true
	t := series{x: s.x, rho: s.rho, o: o, pOnly: true}
	return t.test(a, i, b).P
}

// locate returns the range of split positions between a and b whose fit is
// within 4 noise variances of the split at i (a likelihood-ratio set for
// the location of one change in the mean, about 95 %): the change is after
// the returned from and by to (analysed indexes).
func (s *series) locate(a, i, b int, widen float64) (from, to int) {
	x := s.x[a:b]
	n := len(x)
	ps := make([]float64, n+1)
	for k, v := range x {
		ps[k+1] = ps[k] + v
	}
	score := func(tau int) float64 {
		l, r := float64(tau), float64(n-tau)
		d := (ps[n]-ps[tau])/r - ps[tau]/l
		return d * d * l * r / (l + r)
	}
	best := score(i - a)
	ss := 0.0
	for k, v := range x {
		m := ps[i-a] / float64(i-a)
		if k >= i-a {
			m = (ps[n] - ps[i-a]) / float64(n-i+a)
		}
		ss += (v - m) * (v - m)
	}
	v := ss / max(float64(n-2), 1) * widen
	lo, hi := i-a, i-a
	for tau := 1; tau < n; tau++ {
		if best-score(tau) <= 4*v {
			lo, hi = min(lo, tau), max(hi, tau)
		}
	}
	return a + lo - 1, a + hi
}

// scanP corrects the two-sided p-value p of the best split of a segment for
// the search over the split positions, the shorter side at least t0 of the
// segment: P(max |Z(t)| > z) ≈ z·φ(z)·ln((1−t0)²/t0²) + 4·φ(z)/z for the
// standardised Brownian bridge Z.
func scanP(p, t0 float64) float64 {
	if p <= 0 || p >= 1 || t0 >= 0.5 {
		return p
	}
	z := -stats.StdNormal.InvCDF(p / 2)
	phi := math.Exp(-z*z/2) / math.Sqrt(2*math.Pi)
	scan := z*phi*math.Log((1-t0)*(1-t0)/(t0*t0)) + 4*phi/z
	return min(1, max(p, scan))
}

// residualRho returns the lag-1 autocorrelation of the residuals of s about
// the means of the segments points cut it into, clamped to [0, 0.9].
func (s *series) residualRho(points []ChangePoint) float64 {
	cuts := []int{0}
	for _, cp := range points {
		cuts = append(cuts, slices.Index(s.orig, cp.Index))
	}
	cuts = append(cuts, len(s.x))
	num, den := 0.0, 0.0
	for k := 0; k+1 < len(cuts); k++ {
		seg := s.x[cuts[k]:cuts[k+1]]
		m := mean(seg)
		for j := range seg {
			den += (seg[j] - m) * (seg[j] - m)
			if j > 0 {
				num += (seg[j] - m) * (seg[j-1] - m)
			}
		}
	}
	if den == 0 {
		return 0
	}
	return min(max(num/den, 0), 0.9)
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
