// Package comparison pairs the series of two sets of results — a baseline
// and a candidate — and asks the gate for a verdict on each. It is the glue
// between the result model and the pure [gate] package, and produces the
// model that the report package renders.
package comparison

import (
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
}

// Regressed reports whether the head should fail the gate: a regressed series
// or a failed benchmark.
func (c *Comparison) Regressed() bool {
	return c.Summary.Regressed > 0 || len(c.Failed) > 0
}

// PolicyFunc chooses the gate policy of a series.
type PolicyFunc func(key results.SeriesKey) gate.Policy

// Thresholds maps a metric name to its floor and alpha overrides.
type Thresholds map[string]Threshold

// Threshold overrides parts of the default policy for one metric; nil fields
// keep the default.
type Threshold struct {
	Floor *float64
	Alpha *float64
}

// PolicyFor returns a PolicyFunc that starts from def and applies t by metric.
func (t Thresholds) PolicyFor(def gate.Policy) PolicyFunc {
	return func(key results.SeriesKey) gate.Policy {
		p := def
		if th, ok := t[key.Metric]; ok {
			if th.Floor != nil {
				p.Floor = *th.Floor
			}
			if th.Alpha != nil {
				p.Alpha = *th.Alpha
			}
		}
		return p
	}
}

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
func Compare(base, head []results.Result, baseSide, headSide Side, policy PolicyFunc) *Comparison {
	b, h := index(base, ""), index(head, "")
	c := &Comparison{Base: baseSide, Head: headSide}
	var series []gate.Series
	rowOf := map[string]results.SeriesKey{}
	for k, he := range h {
		be, ok := b[k]
		if !ok {
			c.Missing = append(c.Missing, Missing{Key: k, OnlyIn: "head"})
			continue
		}
		ks := k.String()
		rowOf[ks] = k
		series = append(series, gate.Series{
			Key: ks, Base: be.vals, Head: he.vals,
			Better: he.better, Exact: he.exact || be.exact, Policy: policy(k),
		})
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
		c.Rows = append(c.Rows, Row{Key: k, Unit: e.unit, Better: e.better, Exact: e.exact, Comparison: o.Comparison})
	}
	for _, r := range head {
		if r.Failure != nil {
			c.Failed = append(c.Failed, r)
		}
	}
	return c
}
