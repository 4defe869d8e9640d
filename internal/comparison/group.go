package comparison

import (
	"cmp"
	"math"
	"slices"

	"github.com/benchgate/benchgate/gate"
)

// Group is the rows of one metric in one unit, as benchstat prints one
// table per unit: values in a group are comparable with each other, so its
// geometric mean means something (never one across units).
type Group struct {
	Metric, Unit string
	Better       gate.Direction
	// Rows are in reading order (see Rank): regressions, most severe first,
	// then improvements, then the rest; by series within each.
	Rows []Row
	// Geomean is the geometric mean of HeadMedian/BaseMedian over the
	// GeomeanN rows whose medians are both positive (or both zero, ratio
	// 1), as benchstat's geomean row; NaN when GeomeanN is 0.
	Geomean  float64
	GeomeanN int
}

// Rank orders rows for a reader: 0 for a critical regression, 1 major,
// 2 minor, 3 an improvement, 4 inconclusive, 5 unchanged.
func Rank(r Row) int {
	switch r.Severity {
	case gate.SeverityCritical:
		return 0
	case gate.SeverityMajor:
		return 1
	case gate.SeverityMinor:
		return 2
	case gate.SeverityImprovement:
		return 3
	case gate.SeverityInconclusive:
		return 4
	}
	return 5
}

// SortRows sorts rows in place by Rank, then by series.
func SortRows(rows []Row) {
	slices.SortStableFunc(rows, func(a, b Row) int {
		return cmp.Or(cmp.Compare(Rank(a), Rank(b)), cmp.Compare(a.Key.String(), b.Key.String()))
	})
}

// Groups returns c's rows grouped by metric and unit. Groups come in the
// order of their most urgent row (Rank), then in the order their metric
// first appeared in the candidate's results (sec/op before B/op for a Go
// benchmark), then by name. The rows are copied; c is not modified.
func (c *Comparison) Groups() []Group {
	type id struct{ metric, unit string }
	var gs []Group
	at := map[id]int{}
	for _, r := range c.Rows {
		k := id{r.Key.Metric, r.Unit}
		i, ok := at[k]
		if !ok {
			i = len(gs)
			at[k] = i
			gs = append(gs, Group{Metric: r.Key.Metric, Unit: r.Unit, Better: r.Better})
		}
		gs[i].Rows = append(gs[i].Rows, r)
	}
	for i := range gs {
		g := &gs[i]
		SortRows(g.Rows)
		logSum := 0.0
		for _, r := range g.Rows {
			switch {
			case r.BaseMedian > 0 && r.HeadMedian > 0:
				logSum += math.Log(r.HeadMedian / r.BaseMedian)
				g.GeomeanN++
			case r.BaseMedian == 0 && r.HeadMedian == 0:
				g.GeomeanN++
			}
		}
		g.Geomean = math.NaN()
		if g.GeomeanN > 0 {
			g.Geomean = math.Exp(logSum / float64(g.GeomeanN))
		}
	}
	order := func(metric string) int {
		if i, ok := c.metricOrder[metric]; ok {
			return i
		}
		return len(c.metricOrder)
	}
	slices.SortStableFunc(gs, func(a, b Group) int {
		return cmp.Or(cmp.Compare(Rank(a.Rows[0]), Rank(b.Rows[0])), cmp.Compare(order(a.Metric), order(b.Metric)),
			cmp.Compare(a.Metric, b.Metric), cmp.Compare(a.Unit, b.Unit))
	})
	return gs
}
