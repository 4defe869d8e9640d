package gate

import (
	"fmt"
	"math"
	"slices"

	"golang.org/x/perf/benchmath"
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
	// median of all pairwise log ratios head/base (raw differences over the
	// base median when a sample holds a zero). It always lies within
	// [Low, High].
	Shift float64

	// Low and High bound the change at Policy.Confidence, as ratio − 1 (see
	// interval.go and the package documentation). They are −1 and +Inf
	// (−Inf and +Inf on the raw scale) when the samples are too small for
	// a bounded interval, and NaN when the input is not comparable.
	Low, High float64

	// P is the two-sided p-value of the Mann–Whitney U test, computed by
	// golang.org/x/perf/benchmath; for exact metrics without spread it is 0
	// when the values differ and 1 when they are equal.
	P float64

	// Better is the direction of the metric, which orients Change.
	Better Direction

	// Verdict is the decision under the Policy passed to Compare.
	Verdict Verdict

	// Warnings explain anything the reader should know about the result,
	// such as too few samples or an exact metric whose values vary.
	Warnings []string
}

// Worsening returns Change oriented so that positive means worse: Change
// itself when smaller is better, −Change when bigger is better.
func (c Comparison) Worsening() float64 {
	return orient(c.Change, c.Better)
}

// orient returns change oriented so that positive means worse.
func orient(change float64, better Direction) float64 {
	if better == BiggerIsBetter {
		return -change
	}
	return change
}

// Compare compares the head samples of one series with its base samples and
// decides a verdict under policy p (the zero Policy means DefaultPolicy).
//
// Samples are one value per independent run, non-negative and finite; base
// and head are not modified. exact marks a deterministic metric (allocations,
// binary size): when neither side varies, any difference of at least the
// floor decides. See the package documentation for the model and the rules.
func Compare(base, head []float64, better Direction, exact bool, p Policy) Comparison {
	p = p.orDefault()
	c := Comparison{
		NBase: len(base), NHead: len(head), Better: better,
		BaseMedian: math.NaN(), HeadMedian: math.NaN(),
		Change: math.NaN(), Shift: math.NaN(), Low: math.NaN(), High: math.NaN(),
		P: 1, Verdict: Inconclusive,
	}
	if err := p.Validate(); err != nil {
		c.Warnings = append(c.Warnings, err.Error())
		return c
	}
	if problems := checkSide("base", base); len(problems) > 0 {
		c.Warnings = append(c.Warnings, problems...)
	}
	if problems := checkSide("head", head); len(problems) > 0 {
		c.Warnings = append(c.Warnings, problems...)
	}
	if len(c.Warnings) > 0 {
		return c
	}

	// Note: benchmath.NewSample sorts its argument in place, so it gets
	// copies; the caller's slices stay as they were.
	b, h := slices.Clone(base), slices.Clone(head)
	th := benchmath.Thresholds{CompareAlpha: p.Alpha}
	bs, hs := benchmath.NewSample(b, &th), benchmath.NewSample(h, &th)
	c.BaseMedian, c.HeadMedian = median(b), median(h)
	c.Change = ratioChange(c.HeadMedian, c.BaseMedian)

	spread := b[0] != b[len(b)-1] || h[0] != h[len(h)-1]
	if exact && !spread {
		// Deterministic values: the difference is the effect, with no
		// sampling error, whatever the number of runs.
		c.P = 1
		if c.BaseMedian != c.HeadMedian {
			c.P = 0
		}
		c.Shift, c.Low, c.High = c.Change, c.Change, c.Change
		c.Verdict = decide(c, p, true)
		return c
	}
	if exact {
		for _, s := range []struct {
			side   string
			sample *benchmath.Sample
		}{{"base", bs}, {"head", hs}} {
			for _, w := range benchmath.AssumeExact.Summary(s.sample, p.Confidence).Warnings {
				c.Warnings = append(c.Warnings, fmt.Sprintf("%s: %v; compared with the Mann–Whitney U test instead", s.side, w))
			}
		}
	}

	cmp := benchmath.AssumeNothing.Compare(bs, hs)
	c.P = cmp.P
	for _, w := range cmp.Warnings {
		c.Warnings = append(c.Warnings, w.Error())
	}
	iv, warning := changeInterval(b, h, c.BaseMedian, p.Confidence)
	c.Shift, c.Low, c.High = iv.estimate, iv.low, iv.high
	if warning != "" {
		c.Warnings = append(c.Warnings, warning)
	}
	reachable := minTwoSidedP(len(b), len(h)) < p.Alpha
	if !reachable {
		c.Warnings = append(c.Warnings, fmt.Sprintf(
			"n=%d+%d cannot reach p < %v: the smallest possible p is %.3g; need %d or more samples per side",
			len(b), len(h), p.Alpha, minTwoSidedP(len(b), len(h)), samplesPerSide(p.Alpha)))
	}
	c.Verdict = decide(c, p, reachable)
	return c
}

// decide applies the verdict rules of the package documentation.
func decide(c Comparison, p Policy, reachable bool) Verdict {
	if !reachable {
		return Inconclusive
	}
	worse := c.Worsening()
	large := worse != 0 && math.Abs(worse) >= p.Floor
	switch {
	case c.P < p.Alpha && large && worse > 0:
		return Regressed
	case c.P < p.Alpha && large:
		return Improved
	case c.P < p.InconclusiveP && large:
		return Inconclusive
	}
	return Unchanged
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

// changeInterval returns the Hodges–Lehmann estimate and Moses interval of
// the change from sorted base to sorted head, as ratio − 1. It works on log
// values; when a sample holds a zero, where the log is undefined, it works on
// raw differences divided by the base median instead and says so.
func changeInterval(base, head []float64, baseMedian, confidence float64) (shiftInterval, string) {
	if base[0] > 0 && head[0] > 0 {
		iv := mosesInterval(logs(base), logs(head), confidence)
		return shiftInterval{
			estimate: math.Expm1(iv.estimate),
			low:      math.Expm1(iv.low),
			high:     math.Expm1(iv.high),
		}, ""
	}
	iv := mosesInterval(base, head, confidence)
	return shiftInterval{
			estimate: relative(iv.estimate, baseMedian),
			low:      relative(iv.low, baseMedian),
			high:     relative(iv.high, baseMedian),
		},
		"samples contain zeros: the interval is of head − base divided by the base median, not of log ratios"
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
func median(sorted []float64) float64 {
	n := len(sorted)
	if n%2 == 1 {
		return sorted[n/2]
	}
	return (sorted[n/2-1] + sorted[n/2]) / 2
}

// samplesPerSide returns the smallest n for which n against n samples can
// reach a two-sided p below alpha.
func samplesPerSide(alpha float64) int {
	n := 1
	for minTwoSidedP(n, n) >= alpha {
		n++
	}
	return n
}
