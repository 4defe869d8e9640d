package comparison

import (
	"testing"

	"github.com/benchgate/benchgate/gate"
	"github.com/benchgate/benchgate/internal/results"
)

func res(name, metric string, better gate.Direction, vals ...float64) results.Result {
	return results.Result{Name: name, Hardware: results.Hardware{Type: "cpu"},
		Metrics: []results.Metric{{Name: metric, Unit: metric, Better: better, Samples: vals}}}
}

func TestComparePairsSeries(t *testing.T) {
	slow := []float64{150, 151, 149, 152, 148, 150, 151, 149}
	fast := []float64{100, 101, 99, 102, 98, 100, 101, 99}
	base := []results.Result{res("A", "sec/op", gate.SmallerIsBetter, fast...), res("B", "B/s", gate.BiggerIsBetter, slow...), res("OnlyBase", "sec/op", gate.SmallerIsBetter, fast...)}
	head := []results.Result{res("A", "sec/op", gate.SmallerIsBetter, slow...), res("B", "B/s", gate.BiggerIsBetter, fast...), res("OnlyHead", "sec/op", gate.SmallerIsBetter, fast...),
		{Name: "Broken", Hardware: results.Hardware{Type: "cpu"}, Failure: &results.Failure{Type: results.ErrTimeout, Message: "timed out"}}}
	c := Compare(base, head, Side{Label: "b"}, Side{Label: "h"}, Thresholds{}.PolicyFor(gate.DefaultPolicy))
	if len(c.Rows) != 2 {
		t.Fatalf("got %d rows; want 2", len(c.Rows))
	}
	for _, r := range c.Rows {
		if r.Verdict != gate.Regressed {
			t.Errorf("%s: got %v; want regressed (latency up, throughput down)", r.Key, r.Verdict)
		}
	}
	if len(c.Missing) != 2 || c.Missing[0].OnlyIn != "base" || c.Missing[1].OnlyIn != "head" {
		t.Errorf("got missing %+v; want OnlyBase in base and OnlyHead in head", c.Missing)
	}
	if len(c.Failed) != 1 || !c.Regressed() {
		t.Errorf("got %d failed, regressed=%v; want 1 failed and a failing verdict", len(c.Failed), c.Regressed())
	}
}

func TestThresholdsApplyByMetric(t *testing.T) {
	floor := 0.6
	p := Thresholds{"sec/op": {Floor: &floor}}.PolicyFor(gate.DefaultPolicy)
	if got := p(results.SeriesKey{Metric: "sec/op"}).Floor; got != 0.6 {
		t.Errorf("sec/op floor: got %g; want 0.6", got)
	}
	if got := p(results.SeriesKey{Metric: "B/op"}).Floor; got != gate.DefaultPolicy.Floor {
		t.Errorf("B/op floor: got %g; want the default %g", got, gate.DefaultPolicy.Floor)
	}
	base := []results.Result{res("A", "sec/op", gate.SmallerIsBetter, 100, 101, 99, 102, 98, 100)}
	head := []results.Result{res("A", "sec/op", gate.SmallerIsBetter, 150, 151, 149, 152, 148, 150)}
	if c := Compare(base, head, Side{}, Side{}, p); c.Regressed() {
		t.Errorf("+50%% under a 60%% floor: got regressed; want not")
	}
}

func TestSameNameOtherHardwareIsAnotherSeries(t *testing.T) {
	a := res("A", "sec/op", gate.SmallerIsBetter, 1, 1, 1, 1, 1)
	b := a
	b.Hardware = results.Hardware{Type: "cuda", DeviceName: "H100"}
	c := Compare([]results.Result{a}, []results.Result{b}, Side{}, Side{}, Thresholds{}.PolicyFor(gate.DefaultPolicy))
	if len(c.Rows) != 0 || len(c.Missing) != 2 {
		t.Errorf("got %d rows, %d missing; want cpu and cuda never compared", len(c.Rows), len(c.Missing))
	}
}
