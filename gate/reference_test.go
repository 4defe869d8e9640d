package gate

// The code of compare before issue 13, item 5 (two MannWhitneyUTest calls
// for P and PBetter, benchmath's for TwoSidedP, critical values computed per
// series), kept as the reference that TestCompareMatchesReference holds the
// faster code to, bit for bit.

import (
	"fmt"
	"math"
	"slices"

	"github.com/aclements/go-moremath/stats"
	"golang.org/x/perf/benchmath"
)

// oneSidedUReference is the former oneSidedU.
func oneSidedUReference(base, head []float64, better Direction) (pWorse, pBetter float64) {
	larger := uReference(base, head, stats.LocationLess)
	smaller := uReference(base, head, stats.LocationGreater)
	if better == BiggerIsBetter {
		return smaller, larger
	}
	return larger, smaller
}

func uReference(base, head []float64, alt stats.LocationHypothesis) float64 {
	r, err := stats.MannWhitneyUTest(base, head, alt)
	if err != nil {
		return 1
	}
	return min(r.P, 1)
}

func compareReference(base, head []float64, better Direction, exact, paired bool, p Policy) Comparison {
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

	// Note: benchmath.NewSample sorts its argument in place, so it gets
	// copies; the caller's slices stay as they were.
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

	th := benchmath.Thresholds{CompareAlpha: 0.05}
	c.TwoSidedP = benchmath.AssumeNothing.Compare(
		benchmath.NewSample(slices.Clone(b), &th), benchmath.NewSample(slices.Clone(h), &th)).P

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
		c.comparePairedReference(base, head, p)
	} else {
		c.compareUnpairedReference(b, h, positive, p)
	}
	c.grade(p, c.reachable(p))
	return c
}

// compareUnpaired fills the test, the interval and the power of two
// independent samples (sorted).
func (c *Comparison) compareUnpairedReference(b, h []float64, positive bool, p Policy) {
	c.P, c.PBetter = oneSidedUReference(b, h, c.Better)
	c.Q = c.P
	ivs, warning := changeIntervals(b, h, c.BaseMedian, nil, p.Confidence, 1-2*p.Alpha)
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
func (c *Comparison) comparePairedReference(base, head []float64, p Policy) {
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
	ivs := walshIntervals(d, nil, p.Confidence, 1-2*p.Alpha)
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
