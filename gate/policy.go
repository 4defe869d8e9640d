package gate

import (
	"fmt"
	"math"
)

// Policy holds the tunables of a comparison.
//
// Zero values keep the defaults: the four original fields (Alpha, Floor,
// InconclusiveP, Confidence) take DefaultPolicy's values together when all
// four are zero, so that Floor 0 can be asked for explicitly alongside the
// others; every other field takes its default on its own when zero.
type Policy struct {
	// Alpha is the significance level of the one-sided test: a change in
	// one direction is significant when its one-sided p < Alpha.
	Alpha float64

	// Floor is the user's minimum practical effect, as a fraction of the
	// base (0.01 = 1 %). The floor applied is max(Floor, NoiseFloor).
	Floor float64

	// InconclusiveP bounds the inconclusive band: Alpha ≤ p < InconclusiveP
	// with an effect of at least the floor is Inconclusive rather than
	// a pass. Setting it to Alpha disables the band.
	InconclusiveP float64

	// Confidence is the two-sided level of the displayed interval of the
	// change (Comparison.Low, Comparison.High).
	Confidence float64

	// NoiseFloor is the noise floor learned from the series' history
	// (Noise.Floor); 0 means none is known.
	NoiseFloor float64

	// Major is the lower confidence bound of the worsening from which a
	// regression is major (blocking): 0.05 by default.
	Major float64

	// MajorEstimate and MajorP make a regression major also when its
	// estimate is at least MajorEstimate with p < MajorP: 0.10 and 0.001
	// by default.
	MajorEstimate, MajorP float64

	// Critical is the lower confidence bound of the worsening from which a
	// regression is critical: 0.20 by default.
	Critical float64

	// Budget is an absolute limit on the head's median in the metric's
	// unit: for a smaller-is-better metric (a p99 latency) a head median
	// above it, for a bigger-is-better one (a throughput) below it, is
	// critical whatever the statistics say. 0 means no budget.
	Budget float64

	// CV is the expected coefficient of variation of one sample, from the
	// series' history (Noise.CV); 0 means estimate it from the samples.
	// It sets the minimum detectable effect.
	CV float64

	// Power is the detection probability the minimum detectable effect and
	// the sample-size hint are computed for: 0.8 by default.
	Power float64
}

// DefaultPolicy is the published default. The reason for each value:
//
//   - Alpha 0.01, one-sided: docs/STATISTICS.md §7.2. The gate asks one question,
//     "is head worse?", so the test is one-sided; 0.01 keeps the A/A false
//     alarm rate per series at or under 1 % for any regression.
//   - Floor 0.01: changes under 1 % are rarely actionable and are within the
//     run-to-run noise of shared CI runners (about 2.7 % CV on
//     GitHub-hosted runners).
//   - InconclusiveP 0.2: the Pinpoint-style band: a sizeable change with
//     0.01 ≤ p < 0.2 is evidence worth more runs, not a pass.
//   - Confidence 0.95: benchstat's default (-confidence) for the displayed
//     interval.
//   - Major 0.05, MajorEstimate 0.10 with MajorP 0.001, Critical 0.20: the
//     severity classes of docs/STATISTICS.md §7.4. A 5 % lower bound is far
//     outside A/A noise when runs are interleaved; 20 % is outside any
//     noise seen on tuned hardware.
//   - Power 0.8: the conventional power of a sample-size calculation.
var DefaultPolicy = Policy{
	Alpha:         0.01,
	Floor:         0.01,
	InconclusiveP: 0.2,
	Confidence:    0.95,
	Major:         0.05,
	MajorEstimate: 0.10,
	MajorP:        0.001,
	Critical:      0.20,
	Power:         0.8,
}

// orDefault returns p with every unset field at its default (see Policy).
func (p Policy) orDefault() Policy {
	d := DefaultPolicy
	if p.Alpha == 0 && p.Floor == 0 && p.InconclusiveP == 0 && p.Confidence == 0 {
		p.Alpha, p.Floor, p.InconclusiveP, p.Confidence = d.Alpha, d.Floor, d.InconclusiveP, d.Confidence
	}
	set := func(v *float64, def float64) {
		if *v == 0 {
			*v = def
		}
	}
	set(&p.Major, d.Major)
	set(&p.MajorEstimate, d.MajorEstimate)
	set(&p.MajorP, d.MajorP)
	set(&p.Critical, d.Critical)
	set(&p.Power, d.Power)
	return p
}

// floor returns the practical floor applied: max(Floor, NoiseFloor).
func (p Policy) floor() float64 {
	return math.Max(p.Floor, p.NoiseFloor)
}

// Validate reports the first field of p that is out of range. The zero Policy
// is valid: it stands for DefaultPolicy.
func (p Policy) Validate() error {
	p = p.orDefault()
	finiteAtLeast0 := func(v float64) bool { return v >= 0 && !math.IsInf(v, 0) }
	switch {
	case !(p.Alpha > 0 && p.Alpha < 1):
		return fmt.Errorf("policy alpha %v: want 0 < alpha < 1", p.Alpha)
	case !finiteAtLeast0(p.Floor):
		return fmt.Errorf("policy floor %v: want a finite floor ≥ 0", p.Floor)
	case !(p.InconclusiveP >= p.Alpha && p.InconclusiveP <= 1):
		return fmt.Errorf("policy inconclusive-p %v: want alpha (%v) ≤ inconclusive-p ≤ 1", p.InconclusiveP, p.Alpha)
	case !(p.Confidence > 0 && p.Confidence < 1):
		return fmt.Errorf("policy confidence %v: want 0 < confidence < 1", p.Confidence)
	case !finiteAtLeast0(p.NoiseFloor):
		return fmt.Errorf("policy noise floor %v: want a finite value ≥ 0", p.NoiseFloor)
	case !(p.Major > 0) || math.IsInf(p.Major, 0):
		return fmt.Errorf("policy major %v: want a finite value > 0", p.Major)
	case !(p.MajorEstimate > 0) || math.IsInf(p.MajorEstimate, 0):
		return fmt.Errorf("policy major estimate %v: want a finite value > 0", p.MajorEstimate)
	case !(p.MajorP > 0 && p.MajorP < 1):
		return fmt.Errorf("policy major-p %v: want 0 < major-p < 1", p.MajorP)
	case !(p.Critical >= p.Major) || math.IsInf(p.Critical, 0):
		return fmt.Errorf("policy critical %v: want a finite value ≥ major (%v)", p.Critical, p.Major)
	case !finiteAtLeast0(p.Budget):
		return fmt.Errorf("policy budget %v: want a finite value ≥ 0", p.Budget)
	case !finiteAtLeast0(p.CV):
		return fmt.Errorf("policy cv %v: want a finite value ≥ 0", p.CV)
	case !(p.Power > 0 && p.Power < 1):
		return fmt.Errorf("policy power %v: want 0 < power < 1", p.Power)
	}
	return nil
}
