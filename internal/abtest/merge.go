package abtest

import (
	"strings"

	"github.com/benchgate/benchgate/internal/results"
)

// accumulator merges one side's results over rounds, series by series,
// tagging every sample with its round.
type accumulator struct {
	order  []string
	byKey  map[string]*results.Result
	failed []results.Result
	seen   map[string]bool // failed jobs already kept
}

func resultKey(r *results.Result) string {
	return strings.Join([]string{r.Name, r.ParamString(), r.Hardware.Type, r.Hardware.DeviceName}, "\x00")
}

// add adds round r's results.
func (a *accumulator) add(round int, rs []results.Result) {
	if a.byKey == nil {
		a.byKey, a.seen = map[string]*results.Result{}, map[string]bool{}
	}
	for i := range rs {
		r := rs[i]
		k := resultKey(&r)
		if r.Failure != nil {
			if !a.seen[k] {
				a.seen[k] = true
				a.failed = append(a.failed, r)
			}
			continue
		}
		cur, ok := a.byKey[k]
		if !ok {
			c := r
			c.Metrics = nil
			c.Iterations = append([][]float64(nil), r.Iterations...)
			cur = &c
			a.byKey[k] = cur
			a.order = append(a.order, k)
		} else {
			cur.Iterations = append(cur.Iterations, r.Iterations...)
		}
		for _, m := range r.Metrics {
			dst := cur.Metric(m.Name)
			if dst == nil {
				cur.Metrics = append(cur.Metrics, results.Metric{Name: m.Name, Unit: m.Unit, Better: m.Better, Exact: m.Exact})
				dst = &cur.Metrics[len(cur.Metrics)-1]
			}
			dst.Samples = append(dst.Samples, m.Samples...)
			for range m.Samples {
				dst.Rounds = append(dst.Rounds, round)
			}
		}
	}
}

// results returns the merged results, then one failure per failed job.
func (a *accumulator) results() []results.Result {
	var out []results.Result
	for _, k := range a.order {
		out = append(out, *a.byKey[k])
	}
	return append(out, a.failed...)
}
