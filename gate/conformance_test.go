package gate

import (
	"fmt"
	"math"
	"testing"
)

// The example of benchstat's documentation (golang.org/x/perf/cmd/benchstat,
// "Example"), in ns/op: old.txt and new.txt, 10 runs each.
var (
	jsonOld = []float64{1726, 1723, 1707, 1707, 1713, 1729, 1736, 1707, 1705, 1774}
	jsonNew = []float64{1423, 1416, 1411, 1413, 1412, 1426, 1422, 1424, 1447, 1425}
	gobOld  = []float64{3069, 3075, 3069, 3067, 3207, 3064, 3064, 3058, 3059, 3062}
	gobNew  = []float64{3075, 3065, 3059, 3065, 3060, 3081, 3186, 3135, 3087, 3062}
)

// TestBenchstatExample reproduces benchstat's documented output:
//
//	Encode/format=json-48   1.718µ ± 1%   1.423µ ± 1%  -17.20% (p=0.000 n=10)
//	Encode/format=gob-48    3.066µ ± 0%   3.070µ ± 2%        ~ (p=0.446 n=10)
//	geomean                 2.295µ        2.090µ        -8.94%
func TestBenchstatExample(t *testing.T) {
	tests := []struct {
		name, delta, p string
		base, head     []float64
	}{
		{"json", "-17.20%", "0.000", jsonOld, jsonNew},
		{"gob", "~", "0.446", gobOld, gobNew},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := Compare(tt.base, tt.head, SmallerIsBetter, false, DefaultPolicy)
			delta := fmt.Sprintf("%+.2f%%", 100*c.Change)
			if c.TwoSidedP > 0.05 {
				delta = "~"
			}
			if got := fmt.Sprintf("%s (p=%.3f n=%d)", delta, c.TwoSidedP, c.NBase); got != fmt.Sprintf("%s (p=%s n=10)", tt.delta, tt.p) {
				t.Errorf("benchstat line = %q; want %q", got, fmt.Sprintf("%s (p=%s n=10)", tt.delta, tt.p))
			}
		})
	}
	s := CompareAll([]Series{{Key: "json", Base: jsonOld, Head: jsonNew}, {Key: "gob", Base: gobOld, Head: gobNew}})
	if got := fmt.Sprintf("%+.2f%%", 100*(s.Geomean-1)); got != "-8.94%" {
		t.Errorf("geomean = %s; want -8.94%%", got)
	}
	// The gate's own verdicts on the same data: json is a large
	// improvement, gob no change.
	if s.Outcomes[1].Severity != SeverityImprovement || s.Outcomes[0].Severity != SeverityNone {
		t.Errorf("severities gob, json = %v, %v; want none, improvement", s.Outcomes[0].Severity, s.Outcomes[1].Severity)
	}
}

func TestSeverity(t *testing.T) {
	tests := []struct {
		name   string
		head   []float64
		better Direction
		policy Policy
		want   Severity
	}{
		{"+2.5% minor", scaled(noisy, 1.025), SmallerIsBetter, DefaultPolicy, SeverityMinor},
		{"+10% major", scaled(noisy, 1.10), SmallerIsBetter, DefaultPolicy, SeverityMajor},
		{"+30% critical", scaled(noisy, 1.30), SmallerIsBetter, DefaultPolicy, SeverityCritical},
		{"-10% improvement", scaled(noisy, 0.90), SmallerIsBetter, DefaultPolicy, SeverityImprovement},
		{"throughput -10% major", scaled(noisy, 0.90), BiggerIsBetter, DefaultPolicy, SeverityMajor},
		{"unchanged none", noisy, SmallerIsBetter, DefaultPolicy, SeverityNone},
		{"budget breached critical", noisy, SmallerIsBetter, Policy{Budget: 99}, SeverityCritical},
		{"throughput under budget critical", noisy, BiggerIsBetter, Policy{Budget: 101}, SeverityCritical},
		{"noise floor suppresses +2.5%", scaled(noisy, 1.025), SmallerIsBetter, Policy{NoiseFloor: 0.03}, SeverityNone},
		{"major threshold 1% makes +2.5% major", scaled(noisy, 1.025), SmallerIsBetter, Policy{Major: 0.01}, SeverityMajor},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := Compare(noisy, tt.head, tt.better, false, tt.policy)
			if c.Severity != tt.want {
				t.Errorf("Severity = %v (%s; P=%.3g E=%+.3f L=%+.3f); want %v", c.Severity, c.Reason, c.P, c.Estimate(), c.Bound, tt.want)
			}
			if c.Verdict != c.Severity.Verdict() {
				t.Errorf("Verdict = %v; want %v from the severity", c.Verdict, c.Severity.Verdict())
			}
		})
	}
}

func TestBoundConsistentWithTest(t *testing.T) {
	// The one-sided lower bound exceeds 0 exactly when the one-sided test
	// rejects at Alpha (no ties).
	for _, f := range []float64{0.995, 1.0, 1.004, 1.008, 1.012, 1.02} {
		c := Compare(noisy, scaled(noisy, f), SmallerIsBetter, false, Policy{Alpha: 0.01, Floor: 0, InconclusiveP: 0.2, Confidence: 0.95})
		if (c.Bound > 0) != (c.P < 0.01) {
			t.Errorf("×%v: Bound = %+.4f, P = %.4g; want Bound > 0 exactly when P < 0.01", f, c.Bound, c.P)
		}
	}
}

func TestUnderpoweredIsInconclusive(t *testing.T) {
	// CV about 10 % at n = 5: the minimum detectable effect is far above 5 %.
	base := []float64{100, 112, 91, 104, 95}
	head := []float64{103, 92, 110, 97, 101}
	c := Compare(base, head, SmallerIsBetter, false, DefaultPolicy)
	if c.Severity != SeverityInconclusive || c.MDE <= 0.05 || c.NeedN <= 5 {
		t.Errorf("Severity, MDE, NeedN = %v, %.3f, %d (%s); want inconclusive, > 0.05, > 5", c.Severity, c.MDE, c.NeedN, c.Reason)
	}
}

func TestMDEFormula(t *testing.T) {
	// docs/STATISTICS.md §7.2 item 6: MDE ≈ CV·√(25/n) at α = 0.01, power 0.8.
	for _, n := range []int{5, 10, 20} {
		got := mde(0.02, n, n, 0.01, 0.8)
		want := 0.02 * math.Sqrt(25/float64(n))
		if math.Abs(got-want)/want > 0.15 {
			t.Errorf("mde(2%%, n=%d) = %.4f; want within 15%% of %.4f", n, got, want)
		}
	}
	if got := samplesFor(0.05, 0.02, 0.01, 0.8, false, 5); got != 5 {
		t.Errorf("samplesFor(5%%, CV 2%%) = %d; want the minimum 5", got)
	}
	// 25·(CV/effect)² = 69 by the rule of thumb; the exact formula gives 61.
	if got := samplesFor(0.03, 0.05, 0.01, 0.8, false, 5); got < 55 || got > 70 {
		t.Errorf("samplesFor(3%%, CV 5%%) = %d; want about 61", got)
	}
}

func TestQValues(t *testing.T) {
	got := QValues([]float64{0.01, 0.04, 0.03, 0.20, math.NaN()})
	// Sorted p: 0.01, 0.03, 0.04, 0.20 with m = 4: p·m/rank = 0.04, 0.06,
	// 0.0533, 0.20, then the running minimum from the top.
	want := []float64{0.04, 0.16 / 3, 0.16 / 3, 0.20}
	for i, w := range want {
		if math.Abs(got[i]-w) > 1e-12 {
			t.Errorf("q[%d] = %v; want %v (all: %v)", i, got[i], w, got)
		}
	}
	if !math.IsNaN(got[4]) {
		t.Errorf("q of NaN = %v; want NaN", got[4])
	}
}

func TestBadInputNeverPasses(t *testing.T) {
	inputs := []struct {
		name       string
		base, head []float64
	}{
		{"empty", nil, nil},
		{"one sample", []float64{1}, []float64{2}},
		{"all equal", []float64{5, 5, 5, 5, 5}, []float64{5, 5, 5, 5, 5}},
		{"NaN", []float64{1, 2, math.NaN(), 3, 4}, noisy},
		{"Inf", noisy, []float64{math.Inf(1), 1, 2, 3, 4}},
		{"negative", []float64{-1, 2, 3, 4, 5}, noisy},
		{"zeros", []float64{0, 0, 0, 0, 0}, []float64{0, 0, 0, 0, 0}},
	}
	for _, in := range inputs {
		for _, paired := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s paired=%v", in.name, paired), func(t *testing.T) {
				cmp := Compare
				if paired {
					cmp = ComparePaired
				}
				c := cmp(in.base, in.head, SmallerIsBetter, false, DefaultPolicy)
				if in.name == "all equal" || in.name == "zeros" {
					// Nothing changed and there is no spread: a pass
					// would be silent, so it must say why.
					if c.Severity == SeverityNone && c.Reason == "" && len(c.Warnings) == 0 && c.MDE != 0 {
						t.Errorf("all-equal input passed silently: %+v", c)
					}
					return
				}
				if c.Severity != SeverityInconclusive || len(c.Warnings) == 0 {
					t.Errorf("Severity = %v, Warnings = %q; want inconclusive with a warning", c.Severity, c.Warnings)
				}
			})
		}
	}
}
