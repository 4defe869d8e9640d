package gate

import (
	"strings"
	"testing"
)

// TestShapeIsNotShift: a regression (an improvement) needs the change of the
// medians, shown beside the shift, to reach the floor as well (issue 15,
// item 11). allocs/op where some head runs take a new path: the test rejects
// and the Hodges–Lehmann shift is +100 %, but both medians are 8 — the
// comment showed "+0.0% [+0.0%, +512.5%] regressed (minor)".
func TestShapeIsNotShift(t *testing.T) {
	base := []float64{8, 0, 8, 8, 0, 8, 8, 0, 8, 0, 0}
	head := []float64{8, 0, 8, 8, 0, 8, 8, 48, 48, 48, 49, 48, 49}
	tests := []struct {
		name       string
		base, head []float64
		better     Direction
		want       Severity
		reason     string
	}{
		{"median unchanged, smaller is better", base, head, SmallerIsBetter, SeverityInconclusive, "the medians differ by +0.0%, under the floor +1.0%"},
		{"median unchanged, bigger is better", base, head, BiggerIsBetter, SeverityNone, "the medians differ by +0.0%, under the floor +1.0%"},
		// Ties put the one-sided bound on 0, but the medians double with
		// the shift: still a regression.
		{"ties, medians moved",
			[]float64{1, 2, 1, 2, 1, 1, 1, 1, 1, 1, 2}, []float64{2, 2, 3, 1, 3, 2, 2, 3, 2, 2, 3, 2},
			SmallerIsBetter, SeverityMajor, "estimate +100.0% ≥ +10.0% with p < 0.001"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := Compare(tt.base, tt.head, tt.better, true, DefaultPolicy)
			if c.Severity != tt.want || !strings.Contains(c.Reason, tt.reason) {
				t.Errorf("Severity, Reason = %v, %q (change %s, shift %s, P %.3g); want %v, containing %q",
					c.Severity, c.Reason, pct(c.Change), pct(c.Shift), c.P, tt.want, tt.reason)
			}
		})
	}
}
