// Package comparison pairs the series of two sets of results — a baseline
// and a candidate — and asks the gate for a verdict on each. It is the glue
// between the result model and the pure [gate] package, and produces the
// model that the report package renders.
package comparison

import (
	"fmt"
	"sort"

	"github.com/benchgate/benchgate/gate"
	"github.com/benchgate/benchgate/internal/results"
)

// Side describes where one side of a comparison came from.
type Side struct {
	Label  string `json:"label"` // what the user asked for: a run id, a ref, a file
	RunID  string `json:"run_id,omitempty"`
	Commit string `json:"commit,omitempty"`
	Ref    string `json:"ref,omitempty"`
}

// Row is one compared series.
type Row struct {
	Key    results.SeriesKey
	Unit   string
	Better gate.Direction
	Exact  bool
	gate.Comparison
}

// Missing is a series present on one side only.
type Missing struct {
	Key    results.SeriesKey
	OnlyIn string // "base" or "head"
}

// Comparison is the full outcome: every compared series, what could not be
// compared, and the candidate's failed benchmarks.
type Comparison struct {
	Base, Head Side
	Rows       []Row
	Missing    []Missing
	Failed     []results.Result // failures on the head side
	Summary    gate.Summary
	// FailOn is the least severity that fails the gate.
	FailOn FailOn
	// metricOrder is the index of each metric's first appearance in the
	// candidate's results, for Groups; nil in a comparison not made by
	// Compare (Groups then orders by name).
	metricOrder map[string]int
}

// Regressed reports whether the head fails the gate: a series whose severity
// reaches FailOn (major by default), or a failed benchmark — neither with
// FailNever, which only reports.
func (c *Comparison) Regressed() bool {
	return c.Summary.Blocks(c.FailOn.Severity()) || (len(c.Failed) > 0 && c.FailOn != FailNever)
}

// PolicyFunc chooses the gate policy of a series.
type PolicyFunc func(key results.SeriesKey) gate.Policy

// Thresholds maps a metric name to its overrides. A key may name the
// hardware too, "metric@hardware" (e.g. "latency_p99@cuda"): it applies on
// that hardware only, after the plain metric's entry.
type Thresholds map[string]Threshold

// Threshold overrides parts of the default policy for one metric; nil fields
// keep the default.
type Threshold struct {
	Floor    *float64
	Alpha    *float64
	Major    *float64 // lower-bound threshold of a major regression
	Critical *float64 // lower-bound threshold of a critical regression
	Budget   *float64 // absolute limit on the head median, in the metric's unit
	// Exact overrides whether the metric is deterministic (assume=exact);
	// nil keeps what the results say.
	Exact *bool
}

// apply returns p with th's overrides.
func (th Threshold) apply(p gate.Policy) gate.Policy {
	set := func(dst *float64, v *float64) {
		if v != nil {
			*dst = *v
		}
	}
	set(&p.Floor, th.Floor)
	set(&p.Alpha, th.Alpha)
	set(&p.Major, th.Major)
	set(&p.Critical, th.Critical)
	set(&p.Budget, th.Budget)
	return p
}

// lookup returns the entries of t that apply to key: the metric's, then the
// metric-on-hardware's.
func (t Thresholds) lookup(key results.SeriesKey) []Threshold {
	var out []Threshold
	for _, k := range []string{key.Metric, key.Metric + "@" + key.Hardware} {
		if th, ok := t[k]; ok {
			out = append(out, th)
		}
	}
	return out
}

// PolicyFor returns a PolicyFunc that starts from def and applies t by metric,
// then by metric and hardware.
func (t Thresholds) PolicyFor(def gate.Policy) PolicyFunc {
	return func(key results.SeriesKey) gate.Policy {
		p := def
		for _, th := range t.lookup(key) {
			p = th.apply(p)
		}
		return p
	}
}

// ExactFor returns an ExactFunc from the Exact overrides of t.
func (t Thresholds) ExactFor() ExactFunc {
	return func(key results.SeriesKey, exact bool) bool {
		for _, th := range t.lookup(key) {
			if th.Exact != nil {
				exact = *th.Exact
			}
		}
		return exact
	}
}

// ExactFunc decides whether a series is compared as a deterministic metric,
// given what its results say.
type ExactFunc func(key results.SeriesKey, exact bool) bool

// Option adjusts a comparison.
type Option func(*options)

type options struct {
	failOn FailOn
	exact  ExactFunc
}

// WithFailOn sets the least severity that fails the gate.
func WithFailOn(f FailOn) Option { return func(o *options) { o.failOn = f } }

// WithExact lets f decide which series are deterministic (assume=exact).
func WithExact(f ExactFunc) Option { return func(o *options) { o.exact = f } }

type entry struct {
	unit   string
	better gate.Direction
	exact  bool
	vals   []float64
}

func index(rs []results.Result, runner string) map[results.SeriesKey]*entry {
	m := map[results.SeriesKey]*entry{}
	for i := range rs {
		r := &rs[i]
		if r.Failure != nil {
			continue
		}
		for j := range r.Metrics {
			mt := &r.Metrics[j]
			k := r.Key(mt, runner)
			e, ok := m[k]
			if !ok {
				e = &entry{unit: mt.Unit, better: mt.Better, exact: mt.Exact}
				m[k] = e
			}
			e.vals = append(e.vals, mt.Samples...)
		}
	}
	return m
}

// Compare pairs base and head by series key and compares every pair with the
// policy policy chooses. Runner labels are not part of the pairing here: both
// sides are given explicitly by the caller.
func Compare(base, head []results.Result, baseSide, headSide Side, policy PolicyFunc, opts ...Option) *Comparison {
	var opt options
	for _, f := range opts {
		f(&opt)
	}
	b, h := index(base, ""), index(head, "")
	c := &Comparison{Base: baseSide, Head: headSide, FailOn: opt.failOn}
	var series []gate.Series
	rowOf := map[string]results.SeriesKey{}
	mismatch := map[string]string{}
	for k, he := range h {
		be, ok := b[k]
		if !ok {
			c.Missing = append(c.Missing, Missing{Key: k, OnlyIn: "head"})
			continue
		}
		ks := k.String()
		rowOf[ks] = k
		exact := he.exact || be.exact
		if opt.exact != nil {
			exact = opt.exact(k, exact)
		}
		s := gate.Series{Key: ks, Base: be.vals, Head: he.vals, Better: he.better, Exact: exact, Policy: policy(k)}
		if be.unit != he.unit || be.better != he.better {
			// Note: readers normalise units, so a mismatch means the two
			// sides measured different things; comparing them would be
			// meaningless. The gate gets no samples and says why.
			s.Base, s.Head = nil, nil
			mismatch[ks] = fmt.Sprintf("units differ: base %q (%v is better), head %q (%v is better); not compared",
				be.unit, be.better, he.unit, he.better)
		}
		series = append(series, s)
	}
	for k := range b {
		if _, ok := h[k]; !ok {
			c.Missing = append(c.Missing, Missing{Key: k, OnlyIn: "base"})
		}
	}
	sort.Slice(c.Missing, func(i, j int) bool { return c.Missing[i].Key.String() < c.Missing[j].Key.String() })
	c.Summary = gate.CompareAll(series)
	for _, o := range c.Summary.Outcomes {
		k := rowOf[o.Key]
		e := h[k]
		if w, ok := mismatch[o.Key]; ok {
			o.Warnings = append([]string{w}, o.Warnings...)
			o.Reason = "units differ"
		}
		exact := e.exact || b[k].exact
		if opt.exact != nil {
			exact = opt.exact(k, exact)
		}
		c.Rows = append(c.Rows, Row{Key: k, Unit: e.unit, Better: e.better, Exact: exact, Comparison: o.Comparison})
	}
	c.metricOrder = map[string]int{}
	for _, r := range head {
		if r.Failure != nil {
			c.Failed = append(c.Failed, r)
		}
		for _, m := range r.Metrics {
			if _, ok := c.metricOrder[m.Name]; !ok {
				c.metricOrder[m.Name] = len(c.metricOrder)
			}
		}
	}
	return c
}
