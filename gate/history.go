package gate

import (
	"fmt"
	"math"

	"github.com/aclements/go-moremath/stats"
)

// History fallback limits (docs/STATISTICS.md §7.2 item 7): at least 10 points
// for a usable variance, at most the last 64 so that the history is recent.
const (
	minHistory = 10
	maxHistory = 64
)

// CompareHistory compares a run against the main-branch history of its
// series when no same-runner baseline exists. history holds one run-level
// value per main commit, in commit order (the current segment, see
// Segment); head holds the run's samples, summarised by their median.
//
// On log values it builds Bencher's t_test prediction interval for one new
// value: mean ± t_{n−1}(1 − Alpha)·s·√(1 + 1/n) over the last ≤ 64 points.
// This uses the between-run variance, which is the right one for a
// comparison across jobs. A head outside the interval on the worse side,
// by at least the floor relative to the history's median, is a regression
// whose severity comes from that ratio (the estimate E): minor, major from
// Policy.Major, critical from Policy.Critical. P is the one-sided
// prediction p-value; Low and High are the interval relative to the
// history's median; Bound is the ratio of head to the interval's edge.
// Fewer than 10 history points is inconclusive.
func CompareHistory(history, head []float64, better Direction, p Policy) Comparison {
	c := Comparison{
		NBase: len(history), NHead: len(head), Better: better,
		BaseMedian: math.NaN(), HeadMedian: math.NaN(),
		Change: math.NaN(), Shift: math.NaN(), Low: math.NaN(), High: math.NaN(), Bound: math.NaN(),
		P: 1, PBetter: 1, TwoSidedP: 1, Q: 1, CV: math.NaN(), MDE: math.NaN(),
		Severity: SeverityInconclusive, Verdict: Inconclusive,
	}
	defer func() { c.Verdict = c.Severity.Verdict() }()
	if err := p.Validate(); err != nil {
		c.Warnings = append(c.Warnings, err.Error())
		c.Reason = "invalid policy"
		return c
	}
	p = p.orDefault()
	c.Floor = p.floor()
	headProblems := checkSide("head", head)
	c.Warnings = append(c.Warnings, headProblems...)
	var x []float64
	for i, v := range history {
		if !(v > 0) || math.IsInf(v, 0) {
			c.Warnings = append(c.Warnings, fmt.Sprintf("history point %d is %v; skipped (want a finite value > 0)", i, v))
			continue
		}
		x = append(x, math.Log(v))
	}
	if len(x) > maxHistory {
		x = x[len(x)-maxHistory:]
	}
	c.NBase = len(x)
	if len(headProblems) > 0 {
		c.Reason = "samples not comparable"
		return c
	}
	c.HeadMedian = median(sortedCopy(head))
	if len(x) < minHistory {
		c.Warnings = append(c.Warnings, fmt.Sprintf("history has %d usable points; need at least %d", len(x), minHistory))
		c.Reason = fmt.Sprintf("insufficient history: need ≥ %d points", minHistory)
		return c
	}
	if !(c.HeadMedian > 0) {
		c.Warnings = append(c.Warnings, "head median is 0; a log-scale prediction interval needs a positive value")
		c.Reason = "samples not comparable"
		return c
	}
	n := float64(len(x))
	mean, ss := 0.0, 0.0
	for _, v := range x {
		mean += v
	}
	mean /= n
	for _, v := range x {
		ss += (v - mean) * (v - mean)
	}
	s := math.Sqrt(ss / (n - 1))
	c.BaseMedian = math.Exp(median(sortedCopy(x)))
	c.Change = c.HeadMedian/c.BaseMedian - 1
	c.Shift = c.Change
	c.CV = sigmaToCV(s)
	t := stats.TDist{V: n - 1}
	half := stats.InvCDF(t)(1-p.Alpha) * s * math.Sqrt(1+1/n)
	lo, hi := mean-half, mean+half
	c.Low, c.High = math.Exp(lo)/c.BaseMedian-1, math.Exp(hi)/c.BaseMedian-1
	h := math.Log(c.HeadMedian)
	scale := s * math.Sqrt(1+1/n)
	if scale > 0 {
		tv := (h - mean) / scale
		c.P, c.PBetter = 1-t.CDF(tv), t.CDF(tv)
	} else if h != mean {
		c.P, c.PBetter = 0, 0
		if h > mean {
			c.PBetter = 1
		} else {
			c.P = 1
		}
	}
	edge := hi
	if better == BiggerIsBetter {
		c.P, c.PBetter = c.PBetter, c.P
		edge = lo
	}
	c.Q = c.P
	c.Bound = orient(math.Exp(h-edge)-1, better)
	c.MDE = math.Expm1(half)
	c.NeedN = 1
	e := c.Estimate()
	switch {
	case p.Budget > 0 && (better == SmallerIsBetter && c.HeadMedian > p.Budget || better == BiggerIsBetter && c.HeadMedian < p.Budget):
		c.BudgetBreached = true
		c.Severity = SeverityCritical
		c.Reason = fmt.Sprintf("head median %.4g breaks the budget %.4g", c.HeadMedian, p.Budget)
	case c.P < p.Alpha && e >= c.Floor && e > 0:
		switch {
		case e >= p.Critical:
			c.Severity = SeverityCritical
		case e >= p.Major:
			c.Severity = SeverityMajor
		default:
			c.Severity = SeverityMinor
		}
		c.Reason = fmt.Sprintf("outside the %v prediction interval of %d history points by %s", 1-p.Alpha, len(x), pct(c.Bound))
	case c.PBetter < p.Alpha && -e >= c.Floor:
		c.Severity = SeverityImprovement
		c.Reason = fmt.Sprintf("better than the %v prediction interval of %d history points", 1-p.Alpha, len(x))
	default:
		c.Severity = SeverityNone
	}
	return c
}
