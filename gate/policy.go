package gate

import (
	"fmt"
	"math"
)

// Policy holds the tunables of a comparison. The zero Policy stands for
// DefaultPolicy wherever a Policy is accepted, so callers that set nothing get
// the published defaults; a Policy with any field set is used as given.
type Policy struct {
	// Alpha is the significance level of the two-sided Mann–Whitney U
	// test: a change is significant when P < Alpha.
	Alpha float64

	// Floor is the minimum practical effect, as a fraction of the base
	// median (0.01 = 1 %). Smaller changes never decide a verdict, however
	// significant they are.
	Floor float64

	// InconclusiveP bounds the inconclusive band: Alpha ≤ P < InconclusiveP
	// with an effect of at least Floor is Inconclusive rather than
	// Unchanged. Setting it to Alpha disables the band.
	InconclusiveP float64

	// Confidence is the level of the displayed interval of the change
	// (Comparison.Low, Comparison.High).
	Confidence float64
}

// DefaultPolicy is the published default. The reason for each value:
//
//   - Alpha 0.05: benchstat's default (-alpha), so a benchgate verdict can be
//     checked by running benchstat on the same samples. It is two-sided and
//     uncorrected for multiplicity; see the package documentation for what
//     will replace it.
//   - Floor 0.01: changes under 1 % are rarely actionable and are within the
//     run-to-run noise of shared CI runners (about 2.7 % CV on
//     GitHub-hosted runners); 1 % is the user floor of STATISTICS.md §7.2.
//   - InconclusiveP 0.2: the Pinpoint-style band of STATISTICS.md §7.2: a
//     sizeable change with 0.05 ≤ p < 0.2 is evidence worth more runs, not a
//     pass.
//   - Confidence 0.95: benchstat's default (-confidence) for its ± ranges.
var DefaultPolicy = Policy{
	Alpha:         0.05,
	Floor:         0.01,
	InconclusiveP: 0.2,
	Confidence:    0.95,
}

// orDefault returns DefaultPolicy for the zero Policy and p otherwise.
func (p Policy) orDefault() Policy {
	if p == (Policy{}) {
		return DefaultPolicy
	}
	return p
}

// Validate reports the first field of p that is out of range. The zero Policy
// is valid: it stands for DefaultPolicy.
func (p Policy) Validate() error {
	p = p.orDefault()
	switch {
	case !(p.Alpha > 0 && p.Alpha < 1):
		return fmt.Errorf("policy alpha %v: want 0 < alpha < 1", p.Alpha)
	case !(p.Floor >= 0) || math.IsInf(p.Floor, 0):
		return fmt.Errorf("policy floor %v: want a finite floor ≥ 0", p.Floor)
	case !(p.InconclusiveP >= p.Alpha && p.InconclusiveP <= 1):
		return fmt.Errorf("policy inconclusive-p %v: want alpha (%v) ≤ inconclusive-p ≤ 1", p.InconclusiveP, p.Alpha)
	case !(p.Confidence > 0 && p.Confidence < 1):
		return fmt.Errorf("policy confidence %v: want 0 < confidence < 1", p.Confidence)
	}
	return nil
}
