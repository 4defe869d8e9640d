package comparison

import (
	"fmt"
	"strings"

	"github.com/benchgate/benchgate/internal/results"
)

// Verdict is the one word for what a gate run found. The CLI's exit code,
// the action's verdict output, the check run's conclusion and the report
// JSON's verdict are all derived from it (Outcome); docs/gate.md lists the
// vocabulary.
type Verdict string

// The verdicts, from the most to the least urgent.
const (
	// VerdictError: benchgate could not finish (bad input, infrastructure).
	// Only the action's output says it; a report is never written with it.
	VerdictError Verdict = "error"
	// VerdictFailed: a benchmark of the candidate failed.
	VerdictFailed Verdict = "failed"
	// VerdictRegression: some series got worse (minor or above).
	VerdictRegression Verdict = "regression"
	// VerdictImprovement: some series got better, none worse.
	VerdictImprovement Verdict = "improvement"
	// VerdictInconclusive: some series could not be decided, none moved.
	VerdictInconclusive Verdict = "inconclusive"
	// VerdictPass: every series compared is unchanged.
	VerdictPass Verdict = "pass"
	// VerdictNoBaseline: nothing to compare with, and nothing failed.
	VerdictNoBaseline Verdict = "no-baseline"
)

// Verdicts lists every verdict (docs, schema and tests).
var Verdicts = []Verdict{VerdictError, VerdictFailed, VerdictRegression, VerdictImprovement, VerdictInconclusive, VerdictPass, VerdictNoBaseline}

// Check run conclusions (GitHub's vocabulary).
const (
	ConclusionSuccess = "success"
	ConclusionFailure = "failure"
	ConclusionNeutral = "neutral"
)

// Outcome is what one gate run decided: the comparison (nil when there was
// no baseline), the candidate's failed benchmarks, and fail-on.
type Outcome struct {
	Comparison *Comparison
	// NoBaseline says why there is no comparison; "" when there is one.
	NoBaseline string
	// Failed are the candidate's failed benchmarks, compared or not.
	Failed []results.Result
	FailOn FailOn
}

// Decide makes the outcome of comparing head with a baseline (c), or of
// head alone when c is nil (noBaseline says why).
func Decide(c *Comparison, head []results.Result, noBaseline string, failOn FailOn) Outcome {
	o := Outcome{Comparison: c, FailOn: failOn}
	if c == nil {
		o.NoBaseline = noBaseline
		if o.NoBaseline == "" {
			o.NoBaseline = "no baseline"
		}
	} else {
		o.FailOn = c.FailOn
	}
	for _, r := range head {
		if r.Failure != nil {
			o.Failed = append(o.Failed, r)
		}
	}
	return o
}

// Verdict is the outcome's one word.
func (o Outcome) Verdict() Verdict {
	c := o.Comparison
	switch {
	case len(o.Failed) > 0:
		return VerdictFailed
	case c == nil:
		return VerdictNoBaseline
	case c.Summary.Regressed > 0:
		return VerdictRegression
	case c.Summary.Improved > 0:
		return VerdictImprovement
	case c.Summary.Inconclusive > 0:
		return VerdictInconclusive
	}
	return VerdictPass
}

// Blocks reports whether the outcome fails the gate: a regression whose
// severity reaches fail-on, or a failed benchmark — never with fail-on:
// never, which only reports (the one rule for the CLI and the action).
func (o Outcome) Blocks() bool {
	if o.FailOn == FailNever {
		return false
	}
	if len(o.Failed) > 0 {
		return true
	}
	return o.Comparison != nil && o.Comparison.Regressed()
}

// ExitCode is the CLI's and the action's exit code: 1 when the outcome
// blocks, else 0.
func (o Outcome) ExitCode() int {
	if o.Blocks() {
		return 1
	}
	return 0
}

// Conclusion is the check run's: failure when the outcome blocks; neutral
// when something moved or failed below fail-on, or there was no baseline;
// success otherwise.
func (o Outcome) Conclusion() string {
	switch {
	case o.Blocks():
		return ConclusionFailure
	case o.Verdict() == VerdictPass || o.Verdict() == VerdictImprovement || o.Verdict() == VerdictInconclusive:
		return ConclusionSuccess
	}
	return ConclusionNeutral
}

// Headline is the outcome's one line, e.g. "FAIL: 2 regressions (1
// critical, 1 major), 8 unchanged series".
func (o Outcome) Headline() string {
	status := "PASS"
	if o.Blocks() {
		status = "FAIL"
	}
	if o.Comparison == nil {
		if len(o.Failed) == 0 {
			return "no baseline to compare with"
		}
		return status + ": " + Plural(len(o.Failed), "failed benchmark", "failed benchmarks") + " (no baseline to compare with)"
	}
	return status + ": " + o.Comparison.counts()
}

// OutcomeOf is the outcome of comparison c alone (a baseline was there).
func OutcomeOf(c *Comparison) Outcome { return Decide(c, c.Failed, "", c.FailOn) }

// Headline is the one line of c alone (see Outcome.Headline).
func Headline(c *Comparison) string { return OutcomeOf(c).Headline() }

// counts lists what c found, e.g. "1 regression (1 major), 3 unchanged
// series"; "0 unchanged series" only when there is nothing else to say.
func (c *Comparison) counts() string {
	s := c.Summary
	var parts []string
	if s.Regressed > 0 {
		var bySeverity []string
		for _, x := range []struct {
			n    int
			name string
		}{{s.Critical, "critical"}, {s.Major, "major"}, {s.Minor, "minor"}} {
			if x.n > 0 {
				bySeverity = append(bySeverity, fmt.Sprintf("%d %s", x.n, x.name))
			}
		}
		parts = append(parts, Plural(s.Regressed, "regression", "regressions")+" ("+strings.Join(bySeverity, ", ")+")")
	}
	if n := len(c.Failed); n > 0 {
		parts = append(parts, Plural(n, "failed benchmark", "failed benchmarks"))
	}
	if s.Improved > 0 {
		parts = append(parts, Plural(s.Improved, "improvement", "improvements"))
	}
	if s.Inconclusive > 0 {
		parts = append(parts, Plural(s.Inconclusive, "inconclusive series", "inconclusive series"))
	}
	if s.Unchanged > 0 || len(parts) == 0 {
		parts = append(parts, Plural(s.Unchanged, "unchanged series", "unchanged series"))
	}
	return strings.Join(parts, ", ")
}

// Plural is "1 one" or "n many".
func Plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
