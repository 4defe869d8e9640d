package gate

import (
	"encoding/binary"
	"math"
	"testing"
)

// FuzzCompare checks invariants of Compare on arbitrary samples: it never
// panics, is deterministic, keeps Low ≤ Shift ≤ High, and never decides a
// regression or an improvement against the sign of the change.
func FuzzCompare(f *testing.F) {
	f.Add([]byte{10, 11, 12, 13, 14}, []byte{20, 21, 22, 23, 24}, false, true)
	f.Add([]byte{0, 0, 1}, []byte{0, 2, 0, 3}, false, false)
	f.Add([]byte{7}, []byte{8}, true, false)
	f.Add([]byte{5, 5, 5, 5, 5}, []byte{5, 5, 5, 5, 5}, false, true)
	f.Fuzz(func(t *testing.T, rawBase, rawHead []byte, exact, bigger bool) {
		base, head := values(rawBase), values(rawHead)
		better := SmallerIsBetter
		if bigger {
			better = BiggerIsBetter
		}
		c := Compare(base, head, better, exact, DefaultPolicy)
		again := Compare(base, head, better, exact, DefaultPolicy)
		if !sameFloat(c.P, again.P) || !sameFloat(c.Low, again.Low) || !sameFloat(c.High, again.High) || c.Verdict != again.Verdict {
			t.Errorf("Compare not deterministic: %+v then %+v", c, again)
		}
		if c.Verdict < Unchanged || c.Verdict > Inconclusive {
			t.Errorf("Verdict = %d; want one of the four verdicts", c.Verdict)
		}
		if !math.IsNaN(c.Shift) && !(c.Low <= c.Shift && c.Shift <= c.High) {
			t.Errorf("Low, Shift, High = %v, %v, %v; want Low ≤ Shift ≤ High", c.Low, c.Shift, c.High)
		}
		if c.Verdict == Regressed && !(c.Worsening() > 0) || c.Verdict == Improved && !(c.Worsening() < 0) {
			t.Errorf("Verdict = %v with worsening %v; want the verdict to follow its sign", c.Verdict, c.Worsening())
		}
	})
}

// values turns fuzz bytes into samples: one byte each, small values so that
// zeros and ties are common, or, for longer inputs, 16-bit values.
func values(raw []byte) []float64 {
	if len(raw) > 40 {
		out := make([]float64, 0, len(raw)/2)
		for i := 0; i+1 < len(raw) && len(out) < 60; i += 2 {
			out = append(out, float64(binary.LittleEndian.Uint16(raw[i:])))
		}
		return out
	}
	out := make([]float64, len(raw))
	for i, b := range raw {
		out[i] = float64(b)
	}
	return out
}

// sameFloat reports whether a and b are equal or both NaN.
func sameFloat(a, b float64) bool {
	return a == b || math.IsNaN(a) && math.IsNaN(b)
}
