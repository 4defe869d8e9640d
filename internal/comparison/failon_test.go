package comparison

import (
	"strings"
	"testing"

	"github.com/benchgate/benchgate/gate"
	"github.com/benchgate/benchgate/internal/results"
)

// noisy10 is ten values around 100 with about 1 % spread.
var noisy10 = []float64{100.2, 99.1, 100.9, 99.6, 100.4, 98.8, 101.1, 99.9, 100.6, 99.4}

func scaled(f float64) []float64 {
	out := make([]float64, len(noisy10))
	for i, v := range noisy10 {
		out[i] = v * f
	}
	return out
}

func TestFailOn(t *testing.T) {
	tests := []struct {
		name   string
		factor float64
		failOn FailOn
		want   bool
	}{
		{"minor change passes at major", 1.025, FailMajor, false},
		{"minor change fails at minor", 1.025, FailMinor, true},
		{"major change fails at major", 1.10, FailMajor, true},
		{"critical change passes at never", 1.5, FailNever, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			base := []results.Result{res("A", "sec/op", gate.SmallerIsBetter, noisy10...)}
			head := []results.Result{res("A", "sec/op", gate.SmallerIsBetter, scaled(tt.factor)...)}
			c := Compare(base, head, Side{}, Side{}, Thresholds{}.PolicyFor(gate.DefaultPolicy), WithFailOn(tt.failOn))
			if got := c.Regressed(); got != tt.want {
				t.Errorf("Regressed() = %v (severity %v); want %v", got, c.Rows[0].Severity, tt.want)
			}
		})
	}
	if _, err := ParseFailOn("sometimes"); err == nil {
		t.Errorf("ParseFailOn(sometimes) = nil error; want one")
	}
}

func TestThresholdsByHardwareBudgetAndExact(t *testing.T) {
	budget, major := 101.0, 0.1
	exact := true
	th := Thresholds{
		"sec/op":      {Major: &major},
		"sec/op@cuda": {Budget: &budget},
		"allocs/op":   {Exact: &exact},
	}
	p := th.PolicyFor(gate.DefaultPolicy)
	if got := p(results.SeriesKey{Metric: "sec/op", Hardware: "cuda"}); got.Budget != 101 || got.Major != 0.1 {
		t.Errorf("cuda policy: budget %v major %v; want 101 and 0.1", got.Budget, got.Major)
	}
	if got := p(results.SeriesKey{Metric: "sec/op", Hardware: "cpu"}); got.Budget != 0 {
		t.Errorf("cpu policy: budget %v; want none", got.Budget)
	}
	cuda := func(r results.Result) results.Result { r.Hardware.Type = "cuda"; return r }
	base := []results.Result{cuda(res("A", "sec/op", gate.SmallerIsBetter, noisy10...)), res("B", "allocs/op", gate.SmallerIsBetter, 10)}
	head := []results.Result{cuda(res("A", "sec/op", gate.SmallerIsBetter, scaled(1.015)...)), res("B", "allocs/op", gate.SmallerIsBetter, 11)}
	c := Compare(base, head, Side{}, Side{}, p, WithExact(th.ExactFor()))
	for _, r := range c.Rows {
		switch r.Key.Metric {
		case "sec/op":
			if r.Severity != gate.SeverityCritical || !r.BudgetBreached {
				t.Errorf("sec/op on cuda over budget: severity %v breached %v; want critical, true", r.Severity, r.BudgetBreached)
			}
		case "allocs/op":
			if !r.Exact || r.Severity != gate.SeverityMajor {
				t.Errorf("allocs/op 10 → 11 with assume exact: exact %v severity %v; want true, major", r.Exact, r.Severity)
			}
		}
	}
}

func TestMismatchedUnitsWarn(t *testing.T) {
	b := res("A", "mem", gate.SmallerIsBetter, noisy10...)
	h := res("A", "mem", gate.SmallerIsBetter, scaled(2)...)
	h.Metrics[0].Unit = "MiB"
	c := Compare([]results.Result{b}, []results.Result{h}, Side{}, Side{}, Thresholds{}.PolicyFor(gate.DefaultPolicy))
	if len(c.Rows) != 1 {
		t.Fatalf("got %d rows; want 1", len(c.Rows))
	}
	r := c.Rows[0]
	if r.Severity != gate.SeverityInconclusive || len(r.Warnings) == 0 || !strings.Contains(r.Warnings[0], "units differ") {
		t.Errorf("severity %v warnings %q; want inconclusive with a units warning", r.Severity, r.Warnings)
	}
}
