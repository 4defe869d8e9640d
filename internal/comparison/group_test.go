package comparison

import (
	"math"
	"testing"

	"github.com/benchgate/benchgate/gate"
	"github.com/benchgate/benchgate/internal/results"
)

func TestGroupsOrderRowsAndKeepGeomeanWithinAUnit(t *testing.T) {
	steady := func(c float64) []float64 {
		out := make([]float64, 10)
		for i := range out {
			out[i] = c * (1 + 0.002*float64(i%5-2))
		}
		return out
	}
	base := []results.Result{
		res("C", "B/op", gate.SmallerIsBetter, steady(100)...),
		res("A", "sec/op", gate.SmallerIsBetter, steady(1)...),
		res("B", "sec/op", gate.SmallerIsBetter, steady(2)...),
		res("C", "sec/op", gate.SmallerIsBetter, steady(3)...),
	}
	head := []results.Result{
		res("A", "sec/op", gate.SmallerIsBetter, steady(1.5)...), // regressed
		res("B", "sec/op", gate.SmallerIsBetter, steady(1)...),   // improved
		res("C", "sec/op", gate.SmallerIsBetter, steady(3)...),   // unchanged
		res("C", "B/op", gate.SmallerIsBetter, steady(100)...),   // unchanged
	}
	c := Compare(base, head, Side{}, Side{}, Thresholds{}.PolicyFor(gate.DefaultPolicy))
	gs := c.Groups()
	if len(gs) != 2 || gs[0].Metric != "sec/op" || gs[1].Metric != "B/op" {
		t.Fatalf("got groups %+v; want sec/op (a regression) then B/op", gs)
	}
	var names []string
	for _, r := range gs[0].Rows {
		names = append(names, r.Key.Benchmark+" "+r.Severity.String())
	}
	want := []string{"A critical", "B improvement", "C none"}
	if len(names) != 3 || names[0] != want[0] || names[1] != want[1] || names[2] != want[2] {
		t.Errorf("sec/op rows: got %q; want %q (regression, improvement, the rest)", names, want)
	}
	if g := gs[0].Geomean; math.Abs(g-math.Cbrt(1.5*0.5*1)) > 1e-9 || gs[0].GeomeanN != 3 {
		t.Errorf("sec/op geomean: got %g over %d; want %g over 3", g, gs[0].GeomeanN, math.Cbrt(0.75))
	}
	if g := gs[1].Geomean; g != 1 || gs[1].GeomeanN != 1 {
		t.Errorf("B/op geomean: got %g over %d; want 1 over 1 (not mixed with sec/op)", g, gs[1].GeomeanN)
	}
}

func TestHeadlineLeavesOutNoUnchangedSeries(t *testing.T) {
	base := []results.Result{res("A", "sec/op", gate.SmallerIsBetter, 100, 101, 99, 102, 98, 100, 101, 99)}
	head := []results.Result{res("A", "sec/op", gate.SmallerIsBetter, 150, 151, 149, 152, 148, 150, 151, 149)}
	c := Compare(base, head, Side{}, Side{}, Thresholds{}.PolicyFor(gate.DefaultPolicy))
	if got, want := Headline(c), "FAIL: 1 regression (1 critical)"; got != want {
		t.Errorf("got %q; want %q", got, want)
	}
	if got, want := Headline(Compare(nil, nil, Side{}, Side{}, Thresholds{}.PolicyFor(gate.DefaultPolicy))), "PASS: 0 unchanged series"; got != want {
		t.Errorf("nothing compared: got %q; want %q", got, want)
	}
}
