package gate

import (
	"fmt"
	"math"
)

// Comparison is the result of comparing the head samples of one series with
// its base samples.
type Comparison struct {
	NBase, NHead int // number of samples on each side

	// BaseMedian and HeadMedian are the sample medians.
	BaseMedian, HeadMedian float64

	// Change is HeadMedian/BaseMedian − 1 with its raw sign: +0.1 means the
	// head median is 10 % larger, whichever direction is better. It is 0
	// when both medians are 0, +Inf when only the base median is 0, and NaN
	// when the input is not comparable.
	Change float64

	// Shift is the Hodges–Lehmann estimate of the change, as ratio − 1: the
	// median of all pairwise log ratios head/base (of the per-round log
	// ratios' Walsh averages when paired; raw differences over the base
	// median when a sample holds a zero). It always lies within [Low, High]
	// and is the effect the severity is judged on.
	Shift float64

	// Low and High bound the change at Policy.Confidence, as ratio − 1 (see
	// interval.go and the package documentation). They are −1 and +Inf
	// (−Inf and +Inf on the raw scale) when the samples are too small for
	// a bounded interval, and NaN when the input is not comparable.
	Low, High float64

	// Bound is the one-sided 1 − Alpha lower confidence bound of the
	// worsening (oriented so that positive is worse), as ratio − 1: the
	// "L" of the severity rules. NaN when the input is not comparable.
	Bound float64

	// P is the one-sided p-value of "head is worse than base" (Mann–Whitney
	// U, or Wilcoxon signed-rank when paired); PBetter is that of "head is
	// better". For exact metrics without spread both are 0 or 1.
	P, PBetter float64

	// TwoSidedP is benchstat's two-sided Mann–Whitney p-value for the same
	// samples (that of golang.org/x/perf/benchmath's AssumeNothing.Compare,
	// to the bit), for familiarity.
	TwoSidedP float64

	// Q is the Benjamini–Hochberg q-value of P across all series of a
	// CompareAll; Compare alone sets it to P.
	Q float64

	// Floor is the practical floor applied: max(Policy.Floor,
	// Policy.NoiseFloor).
	Floor float64

	// CV is the coefficient of variation of one sample used for the power
	// calculation: Policy.CV, else estimated robustly from the samples.
	CV float64

	// MDE is the minimum detectable worsening, as ratio − 1, at these
	// sample sizes and CV with Policy.Power; NeedN is the number of samples
	// per side (rounds when paired) needed to detect Policy.Major.
	MDE   float64
	NeedN int

	// Paired is set when the samples were analysed as interleaved rounds.
	Paired bool

	// Better is the direction of the metric, which orients Change.
	Better Direction

	// Severity grades the outcome; Verdict is its coarse form.
	Severity Severity
	Verdict  Verdict

	// Reason says in words why the severity was given, for the reader
	// ("lower bound +6.2% ≥ major 5%", "needs n ≥ 14 to detect 5%").
	Reason string

	// BudgetBreached is set when the head median breaks Policy.Budget.
	BudgetBreached bool

	// Warnings explain anything the reader should know about the result,
	// such as too few samples or an exact metric whose values vary.
	Warnings []string
}

// Worsening returns Change oriented so that positive means worse: Change
// itself when smaller is better, −Change when bigger is better.
func (c Comparison) Worsening() float64 {
	return orient(c.Change, c.Better)
}

// Estimate returns Shift oriented so that positive means worse: the "E" of
// the severity rules.
func (c Comparison) Estimate() float64 {
	return orient(c.Shift, c.Better)
}

// orient returns change oriented so that positive means worse.
func orient(change float64, better Direction) float64 {
	if better == BiggerIsBetter {
		return -change
	}
	return change
}

// Compare compares the head samples of one series with its base samples and
// grades the outcome under policy p (zero fields take their defaults).
//
// Samples are one value per independent run, non-negative and finite; base
// and head are not modified. exact marks a deterministic metric (allocations,
// binary size): when neither side varies, any difference of at least the
// floor decides. See the package documentation for the model and the rules.
func Compare(base, head []float64, better Direction, exact bool, p Policy) Comparison {
	return compare(base, head, better, exact, false, p, nil)
}

// ComparePaired is Compare for samples taken in interleaved rounds: base[i]
// and head[i] were measured in round i. It tests the per-round log ratios
// with the one-sided Wilcoxon signed-rank test and estimates the change by
// their Hodges–Lehmann centre, which cancels noise shared by a round (drift,
// a slow period of the host). When the sides differ in length, or a value is
// zero, it warns and falls back to Compare.
func ComparePaired(base, head []float64, better Direction, exact bool, p Policy) Comparison {
	return compare(base, head, better, exact, true, p, nil)
}

// compare is Compare (ComparePaired when paired), keeping what the next
// series can reuse in m (nil: nothing).
func compare(base, head []float64, better Direction, exact, paired bool, p Policy, m *memo) Comparison {
	c := Comparison{
		NBase: len(base), NHead: len(head), Better: better,
		BaseMedian: math.NaN(), HeadMedian: math.NaN(),
		Change: math.NaN(), Shift: math.NaN(), Low: math.NaN(), High: math.NaN(), Bound: math.NaN(),
		P: 1, PBetter: 1, TwoSidedP: 1, Q: 1, CV: math.NaN(), MDE: math.NaN(),
		Severity: SeverityInconclusive, Verdict: Inconclusive,
	}
	if err := p.Validate(); err != nil {
		c.Warnings = append(c.Warnings, err.Error())
		c.Reason = "invalid policy"
		return c
	}
	p = p.orDefault()
	c.Floor = p.floor()
	c.Warnings = append(c.Warnings, checkSide("base", base)...)
	c.Warnings = append(c.Warnings, checkSide("head", head)...)
	if len(c.Warnings) > 0 {
		c.Reason = "samples not comparable"
		return c
	}

	// Sorted copies: the caller's slices stay as they were.
	b, h := sortedCopy(base), sortedCopy(head)
	c.BaseMedian, c.HeadMedian = median(b), median(h)
	c.Change = ratioChange(c.HeadMedian, c.BaseMedian)
	positive := b[0] > 0 && h[0] > 0

	spread := b[0] != b[len(b)-1] || h[0] != h[len(h)-1]
	if exact && !spread {
		// Deterministic values: the difference is the effect, with no
		// sampling error, whatever the number of runs.
		c.P, c.PBetter, c.TwoSidedP = 1, 1, 1
		if c.BaseMedian != c.HeadMedian {
			c.TwoSidedP = 0
			if orient(c.Change, better) > 0 {
				c.P = 0
			} else {
				c.PBetter = 0
			}
		}
		c.Q = c.P
		c.Shift, c.Low, c.High, c.Bound = c.Change, c.Change, c.Change, orient(c.Change, better)
		c.CV, c.MDE, c.NeedN = 0, 0, 1
		c.grade(p, true)
		return c
	}
	if exact {
		for _, s := range []struct {
			side   string
			sorted []float64
		}{{"base", b}, {"head", h}} {
			if s.sorted[0] != s.sorted[len(s.sorted)-1] {
				c.Warnings = append(c.Warnings, fmt.Sprintf(
					"%s: values of an exact metric vary (%v to %v); compared as a noisy metric instead",
					s.side, s.sorted[0], s.sorted[len(s.sorted)-1]))
			}
		}
	}

	// One U test gives benchstat's two-sided p-value and, unpaired, the
	// one-sided ones.
	pWorse, pBetter, twoSided := oneSidedU(b, h, better, m)
	c.TwoSidedP = twoSided
	if paired {
		switch {
		case len(base) != len(head):
			c.Warnings = append(c.Warnings, fmt.Sprintf(
				"paired analysis needs as many base as head rounds (have %d and %d); compared unpaired", len(base), len(head)))
			paired = false
		case !positive:
			c.Warnings = append(c.Warnings, "paired analysis needs positive values; compared unpaired")
			paired = false
		}
	}
	if paired {
		c.comparePaired(base, head, p, m)
	} else {
		c.P, c.PBetter = pWorse, pBetter
		c.compareUnpaired(b, h, positive, p, m)
	}
	c.grade(p, c.reachable(p))
	return c
}

// compareUnpaired fills the interval and the power of two independent
// samples (sorted) whose test compare has set.
func (c *Comparison) compareUnpaired(b, h []float64, positive bool, p Policy, m *memo) {
	c.Q = c.P
	ivs, warning := changeIntervals(b, h, c.BaseMedian, m, p.Confidence, 1-2*p.Alpha)
	iv, one := ivs[0], ivs[1]
	c.Shift, c.Low, c.High = iv.estimate, iv.low, iv.high
	if warning != "" {
		c.Warnings = append(c.Warnings, warning)
	}
	c.Bound = one.low
	if c.Better == BiggerIsBetter {
		c.Bound = -one.high
	}
	var sigma float64
	switch {
	case p.CV > 0:
		sigma = cvToSigma(p.CV)
	case positive:
		sigma = pooledSigma(logs(b), logs(h))
	default:
		sigma = pooledSigma(b, h) / c.BaseMedian
	}
	c.CV = sigmaToCV(sigma)
	c.MDE = mde(sigma, len(b), len(h), p.Alpha, p.Power)
	c.NeedN = samplesFor(p.Major, sigma, p.Alpha, p.Power, false, oneSidedSamplesPerSide(p.Alpha))
}

// comparePaired fills the test, the interval and the power of paired rounds
// of positive values.
func (c *Comparison) comparePaired(base, head []float64, p Policy, m *memo) {
	c.Paired = true
	d := make([]float64, len(base))
	for i := range base {
		d[i] = math.Log(head[i]) - math.Log(base[i])
	}
	above, below := signedRank(d)
	c.P, c.PBetter = above, below
	if c.Better == BiggerIsBetter {
		c.P, c.PBetter = below, above
	}
	c.Q = c.P
	ivs := walshIntervals(d, m, p.Confidence, 1-2*p.Alpha)
	iv, one := ivs[0], ivs[1]
	c.Shift, c.Low, c.High = math.Expm1(iv.estimate), math.Expm1(iv.low), math.Expm1(iv.high)
	c.Bound = math.Expm1(one.low)
	if c.Better == BiggerIsBetter {
		c.Bound = -math.Expm1(one.high)
	}
	sigma := pooledSigma(d)
	if p.CV > 0 {
		sigma = math.Sqrt2 * cvToSigma(p.CV)
	}
	c.CV = sigmaToCV(sigma / math.Sqrt2)
	c.MDE = mde(sigma, len(d), 0, p.Alpha, p.Power)
	c.NeedN = samplesFor(p.Major, sigma, p.Alpha, p.Power, true, signedRankRounds(p.Alpha))
}

// reachable reports whether the sample sizes can reach p < Alpha at all, and
// warns when they cannot.
func (c *Comparison) reachable(p Policy) bool {
	var minP float64
	var need int
	if c.Paired {
		minP, need = math.Ldexp(1, -c.NBase), signedRankRounds(p.Alpha)
	} else {
		minP, need = minOneSidedP(c.NBase, c.NHead), oneSidedSamplesPerSide(p.Alpha)
	}
	if minP < p.Alpha {
		return true
	}
	unit := "samples per side"
	if c.Paired {
		unit = "rounds"
	}
	c.Warnings = append(c.Warnings, fmt.Sprintf(
		"insufficient samples: n=%d+%d cannot reach p < %v (the smallest possible p is %.3g); need %d or more %s",
		c.NBase, c.NHead, p.Alpha, minP, need, unit))
	c.NeedN = max(c.NeedN, need)
	return false
}

// signedRankRounds returns the fewest rounds whose signed-rank test can reach
// a one-sided p below alpha: 2⁻ⁿ < alpha.
func signedRankRounds(alpha float64) int {
	n := 1
	for math.Ldexp(1, -n) >= alpha && n < 1000 {
		n++
	}
	return n
}

// grade applies the severity rules of the package documentation.
func (c *Comparison) grade(p Policy, reachable bool) {
	defer func() { c.Verdict = c.Severity.Verdict() }()
	e := c.Estimate()
	if p.Budget > 0 {
		over := c.HeadMedian > p.Budget
		if c.Better == BiggerIsBetter {
			over = c.HeadMedian < p.Budget
		}
		if over {
			c.BudgetBreached = true
			c.Severity = SeverityCritical
			c.Reason = fmt.Sprintf("head median %.4g breaks the budget %.4g", c.HeadMedian, p.Budget)
			return
		}
	}
	if !reachable {
		c.Severity = SeverityInconclusive
		c.Reason = fmt.Sprintf("insufficient samples: need n ≥ %d", c.NeedN)
		return
	}
	// The floor applies to both estimates of the change: the shift E and
	// the change of the medians shown beside it. When samples differ in
	// shape rather than by a shift (a mode that appears in some runs), the
	// test can reject and E be large while the medians do not move
	// (issue 15, item 11): that is a difference, not a measured change.
	floor, w := c.Floor, c.Worsening()
	significant := c.P < p.Alpha && e > 0 && e >= floor
	significantBetter := c.PBetter < p.Alpha && e < 0 && -e >= floor
	switch {
	case significant && !(w >= floor):
		c.Severity = SeverityInconclusive
		c.Reason = fmt.Sprintf("significant (p=%.3g) with a shift of %s, but the medians differ by %s, under the floor %s: the samples differ in shape, not by a shift",
			c.P, pct(c.Shift), pct(c.Change), pct(floor))
	case significant:
		switch {
		case c.Bound >= p.Critical:
			c.Severity = SeverityCritical
			c.Reason = fmt.Sprintf("lower bound %s ≥ critical %s", pct(c.Bound), pct(p.Critical))
		case c.Bound >= p.Major:
			c.Severity = SeverityMajor
			c.Reason = fmt.Sprintf("lower bound %s ≥ major %s", pct(c.Bound), pct(p.Major))
		case e >= p.MajorEstimate && c.P < p.MajorP:
			c.Severity = SeverityMajor
			c.Reason = fmt.Sprintf("estimate %s ≥ %s with p < %v", pct(e), pct(p.MajorEstimate), p.MajorP)
		default:
			c.Severity = SeverityMinor
			c.Reason = fmt.Sprintf("significant and ≥ floor %s; lower bound %s < major %s", pct(floor), pct(c.Bound), pct(p.Major))
		}
	case significantBetter && -w >= floor:
		c.Severity = SeverityImprovement
		c.Reason = fmt.Sprintf("significantly better by ≥ floor %s", pct(floor))
	case significantBetter:
		c.Severity = SeverityNone
		c.Reason = fmt.Sprintf("significantly better (p=%.3g) with a shift of %s, but the medians differ by %s, under the floor %s: the samples differ in shape, not by a shift",
			c.PBetter, pct(c.Shift), pct(c.Change), pct(floor))
	case c.P < p.InconclusiveP && e > 0 && e >= floor:
		c.Severity = SeverityInconclusive
		c.Reason = fmt.Sprintf("worse by %s ≥ floor but p=%.3g is in the inconclusive band [%v, %v)", pct(e), c.P, p.Alpha, p.InconclusiveP)
	case c.MDE > p.Major:
		c.Severity = SeverityInconclusive
		c.Reason = fmt.Sprintf("underpowered: detects only ≥ %s at CV %.1f%%; needs n ≥ %d to detect %s",
			pct(c.MDE), 100*c.CV, c.NeedN, pct(p.Major))
	default:
		c.Severity = SeverityNone
		if c.P < p.Alpha && e > 0 {
			c.Reason = fmt.Sprintf("significant but under the floor %s", pct(floor))
		}
	}
}

// pct formats a fraction as a signed percentage with one decimal.
func pct(f float64) string {
	return fmt.Sprintf("%+.1f%%", 100*f)
}

// checkSide returns one warning per value of a sample that cannot be compared
// (NaN, infinite or negative), or one for an empty sample.
func checkSide(side string, values []float64) []string {
	if len(values) == 0 {
		return []string{side + ": no samples"}
	}
	var problems []string
	for i, v := range values {
		if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
			problems = append(problems, fmt.Sprintf("%s sample %d is %v; want a finite value ≥ 0", side, i, v))
		}
	}
	return problems
}

// changeIntervals returns the Hodges–Lehmann estimate and Moses interval of
// the change from sorted base to sorted head, as ratio − 1, at each given
// confidence. It works on log values; when a sample holds a zero, where the
// log is undefined, it works on raw differences divided by the base median
// instead and says so.
func changeIntervals(base, head []float64, baseMedian float64, m *memo, confidences ...float64) ([]shiftInterval, string) {
	if base[0] > 0 && head[0] > 0 {
		ivs := mosesIntervals(logs(base), logs(head), m, confidences...)
		for i, iv := range ivs {
			ivs[i] = shiftInterval{
				estimate: math.Expm1(iv.estimate),
				low:      math.Expm1(iv.low),
				high:     math.Expm1(iv.high),
			}
		}
		return ivs, ""
	}
	ivs := mosesIntervals(base, head, m, confidences...)
	for i, iv := range ivs {
		ivs[i] = shiftInterval{
			estimate: relative(iv.estimate, baseMedian),
			low:      relative(iv.low, baseMedian),
			high:     relative(iv.high, baseMedian),
		}
	}
	return ivs, "samples contain zeros: the interval is of head − base divided by the base median, not of log ratios"
}

// relative returns d/ref, taking 0/0 as 0.
func relative(d, ref float64) float64 {
	if d == 0 {
		return 0
	}
	return d / ref
}

// ratioChange returns head/base − 1, taking 0/0 as no change.
func ratioChange(head, base float64) float64 {
	if head == base {
		return 0
	}
	return head/base - 1
}

// logs returns the natural logarithms of values.
func logs(values []float64) []float64 {
	out := make([]float64, len(values))
	for i, v := range values {
		out[i] = math.Log(v)
	}
	return out
}

// median returns the median of sorted, non-empty values.
func median(sorted []float64) float64 { return Quantile(sorted, 0.5) }
