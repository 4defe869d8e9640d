package gate

import (
	"encoding/binary"
	"math"
	"testing"
)

// FuzzCompare checks invariants of Compare and ComparePaired on arbitrary
// samples: they never panic, are deterministic, keep Low ≤ Shift ≤ High,
// and decide a regression (an improvement) only when the test rejects and
// both the shift estimate and the change of the medians reach the floor in
// that direction. Large samples (thousands of values) come from a length
// byte (see values).
func FuzzCompare(f *testing.F) {
	f.Add([]byte{10, 11, 12, 13, 14}, []byte{20, 21, 22, 23, 24}, false, true, false)
	f.Add([]byte{0, 0, 1}, []byte{0, 2, 0, 3}, false, false, false)
	f.Add([]byte{7}, []byte{8}, true, false, false)
	f.Add([]byte{5, 5, 5, 5, 5}, []byte{5, 5, 5, 5, 5}, false, true, false)
	f.Add([]byte{10, 11, 12, 13, 14, 15, 16}, []byte{11, 12, 14, 15, 15, 17, 18}, false, false, true)
	f.Add([]byte{0xff, 100, 3, 50, 52, 49, 51}, []byte{0xff, 100, 3, 53, 51, 54, 52}, false, false, false)
	f.Add([]byte{0xff, 60, 0, 8, 0, 8, 8}, []byte{0xff, 60, 0, 8, 48, 8, 0}, true, false, true)
	f.Fuzz(func(t *testing.T, rawBase, rawHead []byte, exact, bigger, paired bool) {
		base, head := values(rawBase), values(rawHead)
		better := SmallerIsBetter
		if bigger {
			better = BiggerIsBetter
		}
		compare := Compare
		if paired {
			compare = ComparePaired
		}
		c := compare(base, head, better, exact, DefaultPolicy)
		again := compare(base, head, better, exact, DefaultPolicy)
		if !sameFloat(c.P, again.P) || !sameFloat(c.Low, again.Low) || !sameFloat(c.High, again.High) || c.Verdict != again.Verdict {
			t.Errorf("Compare not deterministic: %+v then %+v", c, again)
		}
		if c.Verdict < Unchanged || c.Verdict > Inconclusive {
			t.Errorf("Verdict = %d; want one of the four verdicts", c.Verdict)
		}
		if !math.IsNaN(c.Shift) && !(c.Low <= c.Shift && c.Shift <= c.High) {
			t.Errorf("Low, Shift, High = %v, %v, %v; want Low ≤ Shift ≤ High", c.Low, c.Shift, c.High)
		}
		e, w := c.Estimate(), c.Worsening()
		if c.Verdict == Regressed && !c.BudgetBreached && !(c.P < DefaultPolicy.Alpha && e >= c.Floor && w >= c.Floor) {
			t.Errorf("Verdict = regressed (%s) with P %v, estimate %v, median change %v; want P < α and both changes ≥ floor %v",
				c.Reason, c.P, e, w, c.Floor)
		}
		if c.Verdict == Improved && !(c.PBetter < DefaultPolicy.Alpha && -e >= c.Floor && -w >= c.Floor) {
			t.Errorf("Verdict = improved (%s) with PBetter %v, estimate %v, median change %v; want PBetter < α and both changes ≤ −floor %v",
				c.Reason, c.PBetter, e, w, c.Floor)
		}
	})
}

// values turns fuzz bytes into samples: one byte each, small values so that
// zeros and ties are common, or, for longer inputs, 16-bit values. A first
// byte of 0xff asks for a large sample: (raw[1] + 1)·40 values, up to
// 10,240, repeating the bytes from raw[3] on, each repetition r adding
// r mod (raw[2] + 1) (so raw[2] = 0 repeats them exactly).
func values(raw []byte) []float64 {
	if len(raw) >= 4 && raw[0] == 0xff {
		n, spread, rest := (int(raw[1])+1)*40, int(raw[2])+1, raw[3:]
		out := make([]float64, n)
		for i := range out {
			out[i] = float64(rest[i%len(rest)]) + float64(i/len(rest)%spread)
		}
		return out
	}
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
