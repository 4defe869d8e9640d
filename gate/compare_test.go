package gate

import (
	"math"
	"slices"
	"strings"
	"testing"

	"golang.org/x/perf/benchmath"
)

// scaled returns values multiplied by f.
func scaled(values []float64, f float64) []float64 {
	out := make([]float64, len(values))
	for i, v := range values {
		out[i] = v * f
	}
	return out
}

// noisy is ten latencies around 100 with about 1 % spread.
var noisy = []float64{100.2, 99.1, 100.9, 99.6, 100.4, 98.8, 101.1, 99.9, 100.6, 99.4}

func TestCompareVerdicts(t *testing.T) {
	tests := []struct {
		name   string
		base   []float64
		head   []float64
		better Direction
		exact  bool
		policy Policy
		want   Verdict
	}{
		{"latency up 10% regressed", noisy, scaled(noisy, 1.10), SmallerIsBetter, false, DefaultPolicy, Regressed},
		{"latency down 10% improved", noisy, scaled(noisy, 0.90), SmallerIsBetter, false, DefaultPolicy, Improved},
		{"throughput up 10% improved", noisy, scaled(noisy, 1.10), BiggerIsBetter, false, DefaultPolicy, Improved},
		{"throughput down 10% regressed", noisy, scaled(noisy, 0.90), BiggerIsBetter, false, DefaultPolicy, Regressed},
		{"identical samples unchanged", noisy, noisy, SmallerIsBetter, false, DefaultPolicy, Unchanged},
		{"zero policy means default", noisy, scaled(noisy, 1.10), SmallerIsBetter, false, Policy{}, Regressed},
		{"3 vs 3 inconclusive", noisy[:3], scaled(noisy[:3], 2), SmallerIsBetter, false, DefaultPolicy, Inconclusive},
		{"1 vs 5 inconclusive", noisy[:1], scaled(noisy[:5], 2), SmallerIsBetter, false, DefaultPolicy, Inconclusive},
		{"4 vs 4 inconclusive at alpha 0.01", noisy[:4], scaled(noisy[:4], 2), SmallerIsBetter, false, DefaultPolicy, Inconclusive},
		{"5 vs 5 can regress", noisy[:5], scaled(noisy[:5], 2), SmallerIsBetter, false, DefaultPolicy, Regressed},
		{"exact equal unchanged", []float64{4096}, []float64{4096}, SmallerIsBetter, true, DefaultPolicy, Unchanged},
		{"exact up 2% regressed with one run", []float64{1000}, []float64{1020}, SmallerIsBetter, true, DefaultPolicy, Regressed},
		{"exact down 2% improved", []float64{1000, 1000}, []float64{980, 980, 980}, SmallerIsBetter, true, DefaultPolicy, Improved},
		{"exact up 0.5% under floor unchanged", []float64{1000}, []float64{1005}, SmallerIsBetter, true, DefaultPolicy, Unchanged},
		{"exact 0 to 1 allocation regressed", []float64{0}, []float64{1}, SmallerIsBetter, true, DefaultPolicy, Regressed},
		{"exact varying falls back to the test", []float64{10, 11}, []float64{20}, SmallerIsBetter, true, DefaultPolicy, Inconclusive},
		{"zeros in samples compared", []float64{0, 0, 0, 0, 0, 1, 0, 0}, []float64{5, 6, 4, 5, 7, 5, 6, 5}, SmallerIsBetter, false, DefaultPolicy, Regressed},
		{"floor suppresses tiny significant change", noisy, scaled(noisy, 1.005), SmallerIsBetter, false,
			Policy{Alpha: 0.05, Floor: 0.01, InconclusiveP: 0.2, Confidence: 0.95}, Unchanged},
		{"clearly separated tiny change regresses without floor", []float64{100, 100.01, 100.02, 100.03, 100.04},
			[]float64{100.5, 100.51, 100.52, 100.53, 100.54}, SmallerIsBetter, false,
			Policy{Alpha: 0.05, Floor: 0, InconclusiveP: 0.2, Confidence: 0.95}, Regressed},
		{"clearly separated tiny change under default floor", []float64{100, 100.01, 100.02, 100.03, 100.04},
			[]float64{100.5, 100.51, 100.52, 100.53, 100.54}, SmallerIsBetter, false, DefaultPolicy, Unchanged},
		{"sizeable change in the band inconclusive", []float64{100, 104, 98, 110, 95}, []float64{106, 108, 112, 101, 109},
			SmallerIsBetter, false, DefaultPolicy, Inconclusive},
		{"empty base inconclusive", nil, noisy, SmallerIsBetter, false, DefaultPolicy, Inconclusive},
		{"NaN inconclusive", noisy, append(slices.Clone(noisy), math.NaN()), SmallerIsBetter, false, DefaultPolicy, Inconclusive},
		{"negative inconclusive", []float64{-1, 2, 3, 4}, noisy, SmallerIsBetter, false, DefaultPolicy, Inconclusive},
		{"invalid policy inconclusive", noisy, scaled(noisy, 2), SmallerIsBetter, false, Policy{Alpha: 2}, Inconclusive},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := Compare(tt.base, tt.head, tt.better, tt.exact, tt.policy)
			if c.Verdict != tt.want {
				t.Errorf("Compare verdict = %v; want %v (P=%.4g change=%+.4f warnings=%q)", c.Verdict, tt.want, c.P, c.Change, c.Warnings)
			}
		})
	}
}

func TestCompareFields(t *testing.T) {
	t.Run("regression", func(t *testing.T) {
		c := Compare(noisy, scaled(noisy, 1.10), SmallerIsBetter, false, DefaultPolicy)
		if c.NBase != 10 || c.NHead != 10 {
			t.Errorf("NBase, NHead = %d, %d; want 10, 10", c.NBase, c.NHead)
		}
		if got, want := c.BaseMedian, 100.05; math.Abs(got-want) > 1e-9 {
			t.Errorf("BaseMedian = %v; want %v", got, want)
		}
		if got, want := c.Change, 0.10; math.Abs(got-want) > 1e-9 {
			t.Errorf("Change = %v; want %v", got, want)
		}
		if got, want := c.Worsening(), 0.10; math.Abs(got-want) > 1e-9 {
			t.Errorf("Worsening = %v; want %v", got, want)
		}
		if !(c.Low <= c.Shift && c.Shift <= c.High) || !(c.Low <= c.Change && c.Change <= c.High) {
			t.Errorf("Low, Shift, Change, High = %v, %v, %v, %v; want Low ≤ Shift, Change ≤ High", c.Low, c.Shift, c.Change, c.High)
		}
		if len(c.Warnings) != 0 {
			t.Errorf("Warnings = %q; want none", c.Warnings)
		}
	})
	t.Run("throughput worsening is negated", func(t *testing.T) {
		c := Compare(noisy, scaled(noisy, 0.8), BiggerIsBetter, false, DefaultPolicy)
		if got, want := c.Worsening(), 0.2; math.Abs(got-want) > 1e-9 {
			t.Errorf("Worsening = %v; want %v", got, want)
		}
	})
	t.Run("caller's slices untouched", func(t *testing.T) {
		base, head := slices.Clone(noisy), scaled(noisy, 1.1)
		wantBase, wantHead := slices.Clone(base), slices.Clone(head)
		Compare(base, head, SmallerIsBetter, false, DefaultPolicy)
		if !slices.Equal(base, wantBase) || !slices.Equal(head, wantHead) {
			t.Errorf("Compare modified its input: base %v head %v; want %v and %v", base, head, wantBase, wantHead)
		}
	})
	t.Run("exact equal", func(t *testing.T) {
		c := Compare([]float64{7, 7}, []float64{7}, SmallerIsBetter, true, DefaultPolicy)
		if c.P != 1 || c.Change != 0 || c.Low != 0 || c.High != 0 {
			t.Errorf("P, Change, Low, High = %v, %v, %v, %v; want 1, 0, 0, 0", c.P, c.Change, c.Low, c.High)
		}
	})
	t.Run("exact different", func(t *testing.T) {
		c := Compare([]float64{100}, []float64{150}, SmallerIsBetter, true, DefaultPolicy)
		if c.P != 0 || c.Change != 0.5 || c.Low != 0.5 || c.High != 0.5 {
			t.Errorf("P, Change, Low, High = %v, %v, %v, %v; want 0, 0.5, 0.5, 0.5", c.P, c.Change, c.Low, c.High)
		}
	})
	t.Run("exact varying warns", func(t *testing.T) {
		c := Compare([]float64{10, 11, 10, 10}, []float64{10, 10, 10, 10}, SmallerIsBetter, true, DefaultPolicy)
		if !hasWarning(c, "base: values of an exact metric vary") {
			t.Errorf("Warnings = %q; want one about the base's exact values varying", c.Warnings)
		}
		if hasWarning(c, "head:") {
			t.Errorf("Warnings = %q; want none about the head, whose values are equal", c.Warnings)
		}
	})
	t.Run("tiny n warns", func(t *testing.T) {
		c := Compare([]float64{1, 2, 3}, []float64{4, 5, 6}, SmallerIsBetter, false, DefaultPolicy)
		if !hasWarning(c, "need 5 or more samples per side") {
			t.Errorf("Warnings = %q; want the sample-size warning", c.Warnings)
		}
		if c.Severity != SeverityInconclusive || !strings.Contains(c.Reason, "insufficient samples") {
			t.Errorf("Severity, Reason = %v, %q; want inconclusive for insufficient samples", c.Severity, c.Reason)
		}
		if c.Low != -1 || !math.IsInf(c.High, 1) {
			t.Errorf("Low, High = %v, %v; want -1, +Inf (unbounded at n=3+3)", c.Low, c.High)
		}
	})
	t.Run("zeros use the raw scale", func(t *testing.T) {
		c := Compare([]float64{0, 10, 10, 10, 10}, []float64{0, 12, 12, 12, 12}, SmallerIsBetter, false, DefaultPolicy)
		if !hasWarning(c, "samples contain zeros") {
			t.Errorf("Warnings = %q; want the zeros warning", c.Warnings)
		}
		if got, want := c.Change, 0.2; math.Abs(got-want) > 1e-9 {
			t.Errorf("Change = %v; want %v", got, want)
		}
		if got, want := c.Shift, 0.2; math.Abs(got-want) > 1e-9 {
			t.Errorf("Shift = %v; want %v (median difference 2 over base median 10)", got, want)
		}
	})
	t.Run("zero base median", func(t *testing.T) {
		c := Compare([]float64{0, 0, 0, 0, 0}, []float64{3, 3, 3, 3, 3}, SmallerIsBetter, false, DefaultPolicy)
		if !math.IsInf(c.Change, 1) || c.Verdict != Regressed {
			t.Errorf("Change, Verdict = %v, %v; want +Inf, regressed", c.Change, c.Verdict)
		}
	})
	t.Run("NaN names the culprit", func(t *testing.T) {
		c := Compare(noisy, []float64{1, math.NaN()}, SmallerIsBetter, false, DefaultPolicy)
		if !hasWarning(c, "head sample 1 is NaN") {
			t.Errorf("Warnings = %q; want one naming head sample 1", c.Warnings)
		}
		if !math.IsNaN(c.Change) || !math.IsNaN(c.Low) || !math.IsNaN(c.High) {
			t.Errorf("Change, Low, High = %v, %v, %v; want NaN for a non-comparable input", c.Change, c.Low, c.High)
		}
	})
}

// hasWarning reports whether one of c's warnings contains substr.
func hasWarning(c Comparison, substr string) bool {
	return slices.ContainsFunc(c.Warnings, func(w string) bool { return strings.Contains(w, substr) })
}

func TestComparePMatchesBenchmath(t *testing.T) {
	tests := []struct {
		name       string
		base, head []float64
	}{
		{"regression", noisy, scaled(noisy, 1.02)},
		{"noise", noisy[:5], noisy[5:]},
		{"ties", []float64{1, 1, 2, 2, 3, 3}, []float64{2, 2, 3, 3, 4, 4}},
		{"unequal sizes", noisy[:4], noisy},
		{"large normal approximation", grid(60, 1.0), grid(70, 1.01)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			th := benchmath.Thresholds{CompareAlpha: DefaultPolicy.Alpha}
			want := benchmath.AssumeNothing.Compare(
				benchmath.NewSample(slices.Clone(tt.base), &th),
				benchmath.NewSample(slices.Clone(tt.head), &th)).P
			c := Compare(tt.base, tt.head, SmallerIsBetter, false, DefaultPolicy)
			if c.TwoSidedP != want {
				t.Errorf("TwoSidedP = %v; want benchmath's %v", c.TwoSidedP, want)
			}
			// The one-sided p of the observed direction is half the
			// two-sided one, except at the centre of the distribution.
			if one := min(c.P, c.PBetter); want < 1 && math.Abs(2*one-want) > 1e-9 {
				t.Errorf("2·min(P, PBetter) = %v; want the two-sided %v", 2*one, want)
			}
		})
	}
}

// grid returns n values evenly spread over ±5 % around 100·f.
func grid(n int, f float64) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = 100 * f * (0.95 + 0.1*float64(i)/float64(n-1))
	}
	return out
}
