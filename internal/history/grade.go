package history

import (
	"math"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/benchgate/benchgate/gate"
	"github.com/benchgate/benchgate/internal/report"
	"github.com/benchgate/benchgate/internal/store"
)

// Directions and statuses of a change point.
const (
	Regression  = "regression"
	Improvement = "improvement"
	Provisional = "provisional"
	Confirmed   = "confirmed"
)

// Change is one graded change point of a series.
type Change struct {
	// ChangePoint is the detector's: Index and Previous index
	// Series.Points, Magnitude (After/Before − 1) with its 95 % interval
	// [Low, High], P.
	gate.ChangePoint
	// Commit is the first commit after the change and PreviousCommit the
	// last one before it that the series measured; Between lists the
	// branch's commits strictly between them (measured or not).
	Commit, PreviousCommit string
	Date                   time.Time // Commit's first run
	Between                []string
	// Direction is Regression or Improvement by the metric's direction.
	Direction string
	// Severity is "minor", "major" or "critical" for a regression, graded
	// by the worsening's bound closest to zero against the policy's Major
	// and Critical; "improvement" for an improvement.
	Severity string
	// Status is Confirmed or Provisional (gate.ChangePoint.Confirmed).
	Status string
	// Env lists the environment properties (driver, CUDA, framework, …)
	// that differ between the runs of PreviousCommit and Commit.
	Env []report.EnvChange
	// ResolvedAt and ResolutionCommit are set when a later change point of
	// the series goes back by at least half of this one (see resolve).
	ResolvedAt       *time.Time
	ResolutionCommit string
}

// Worsening returns the change oriented so that positive is worse.
func (c *Change) Worsening(better gate.Direction) float64 {
	if better == gate.BiggerIsBetter {
		return -c.Magnitude
	}
	return c.Magnitude
}

// grade describes change point cp of s under policy p.
func (s *Series) grade(cp gate.ChangePoint, p gate.Policy, commits []store.BranchCommit) *Change {
	prev, cur := s.Points[cp.Previous], s.Points[cp.Index]
	c := &Change{ChangePoint: cp, Commit: cur.Commit, PreviousCommit: prev.Commit, Date: cur.Date,
		Direction: Improvement, Severity: Improvement, Status: Provisional}
	for _, bc := range commits[prev.Position+1 : cur.Position] {
		c.Between = append(c.Between, bc.Commit)
	}
	if cp.Confirmed {
		c.Status = Confirmed
	}
	// The worsening's bound closest to zero.
	lo := cp.Low
	if s.Better == gate.BiggerIsBetter {
		lo = -cp.High
	}
	if c.Worsening(s.Better) > 0 {
		c.Direction = Regression
		major, critical := p.Major, p.Critical
		if major == 0 {
			major = gate.DefaultPolicy.Major
		}
		if critical == 0 {
			critical = gate.DefaultPolicy.Critical
		}
		switch bound := max(lo, 0); {
		case bound >= critical:
			c.Severity = gate.SeverityCritical.String()
		case bound >= major:
			c.Severity = gate.SeverityMajor.String()
		default:
			c.Severity = gate.SeverityMinor.String()
		}
	}
	c.Env = envChanges(prev, cur)
	return c
}

// commitKeys are environment properties that describe a commit or a run,
// not the machine: they differ at every commit.
var commitKeys = []string{"commit_url", "commit_author", "commit_timestamp", "repo_url"}

// envChanges lists the machine properties that differ between two points'
// environments, the hardware driver ("driver") first.
func envChanges(before, after Point) []report.EnvChange {
	var out []report.EnvChange
	if before.Driver != after.Driver {
		out = append(out, report.EnvChange{Name: "driver", Base: before.Driver, Head: after.Driver})
	}
	for _, e := range report.EnvChanges(store.Run{Environment: before.Env}, store.Run{Environment: after.Env}) {
		if !slices.Contains(commitKeys, e.Name) && (e.Name != "driver" || len(out) == 0 || out[0].Name != "driver") {
			out = append(out, e)
		}
	}
	return out
}

// EnvText is the environment change in one line, e.g. "driver 550 → 555,
// cuda 12.4 → 12.6" ("" when none); untrusted text: sanitise to print.
func (c *Change) EnvText() string { return EnvText(c.Env) }

// EnvText renders environment changes in one line, e.g. "driver 550 →
// 555, cuda 12.4 → 12.6" ("" for none); untrusted text: sanitise to print.
func EnvText(es []report.EnvChange) string {
	var parts []string
	for _, e := range es {
		b, h := e.Base, e.Head
		if b == "" {
			b = "(none)"
		}
		if h == "" {
			h = "(none)"
		}
		parts = append(parts, e.Name+" "+b+" → "+h)
	}
	return strings.Join(parts, ", ")
}

// EnvChange is a change of the machine's environment (driver, CUDA,
// framework) between two consecutive points of a series.
type EnvChange struct {
	Index int // of the first point in the new environment
	Point *Point
	Env   []report.EnvChange
}

// EnvChanges lists every environment change along s's points, whether or
// not the series moved there.
func (s *Series) EnvChanges() []EnvChange {
	var out []EnvChange
	for i := 1; i < len(s.Points); i++ {
		if es := envChanges(s.Points[i-1], s.Points[i]); len(es) > 0 {
			out = append(out, EnvChange{Index: i, Point: &s.Points[i], Env: es})
		}
	}
	return out
}

// resolve marks each change point that a later one of the same series
// undoes: the first later change point in the opposite direction whose
// log-magnitude is at least half of this one's resolves it (an improvement
// after a regression, or a regression after an improvement), at the date
// and commit of that later change.
func resolve(cs []*Change, points []Point) {
	for k, c := range cs {
		size := math.Abs(math.Log1p(c.Magnitude))
		for _, later := range cs[k+1:] {
			if later.Direction == c.Direction || math.Abs(math.Log1p(later.Magnitude)) < size/2 {
				continue
			}
			d := points[later.Index].Date
			c.ResolvedAt, c.ResolutionCommit = &d, later.Commit
			break
		}
	}
}

// medianInterval returns the median of samples and its distribution-free
// 95 % interval from order statistics (the binomial interval benchstat
// uses): the samples left after cutting the k smallest and the k largest,
// k the largest with P(Binomial(n, ½) ≤ k) ≤ 2.5 %; with fewer than 6
// samples, which cannot reach 95 %, the smallest and largest samples.
func medianInterval(samples []float64) (median, low, high float64) {
	if len(samples) == 0 {
		return math.NaN(), math.NaN(), math.NaN()
	}
	x := slices.Clone(samples)
	slices.Sort(x)
	n := len(x)
	k := cutCount(n)
	return gate.Quantile(x, 0.5), x[k], x[n-1-k]
}

// cutCount is the k of medianInterval for n samples: computed once for
// the sizes points usually have (a year of 1,560 series spent a quarter of
// its point-making time in math.Lgamma).
func cutCount(n int) int {
	if n < len(cutCounts()) {
		return cutCounts()[n]
	}
	return binomialCut(n)
}

// cutCounts holds binomialCut(n) for n below 256.
var cutCounts = sync.OnceValue(func() []int {
	ks := make([]int, 256)
	for n := range ks {
		ks[n] = binomialCut(n)
	}
	return ks
})

// binomialCut returns the largest k with P(Binomial(n, ½) ≤ k) ≤ 2.5 %
// (0 when none): cutting k samples from each end misses the median with
// probability 2·P(X ≤ k).
func binomialCut(n int) int {
	k, cdf := 0, math.Exp(-float64(n)*math.Ln2)
	for i := 1; i < n/2; i++ {
		cdf += math.Exp(lchoose(n, i) - float64(n)*math.Ln2)
		if cdf > 0.025 {
			break
		}
		k = i
	}
	return k
}

// lchoose returns ln C(n, k).
func lchoose(n, k int) float64 {
	a, _ := math.Lgamma(float64(n + 1))
	b, _ := math.Lgamma(float64(k + 1))
	c, _ := math.Lgamma(float64(n - k + 1))
	return a - b - c
}
