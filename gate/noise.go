package gate

import (
	"fmt"
	"math"
)

// noiseWindow is how many of the latest history points the noise model
// reads: enough for stable quartiles, recent enough to follow the runner.
const noiseWindow = 64

// Noise describes the run-to-run noise of one series, learned from its
// main-branch history (the current segment: the points since its last
// change point).
type Noise struct {
	// N is the number of history points used (the last ≤ 64).
	N int

	// CV is the coefficient of variation of one value, estimated robustly
	// from consecutive log differences (1.4826·MAD/√2), so that steps and
	// slow drift do not inflate it.
	CV float64

	// Floor is the noise floor, rustc-perf style: Q3 + 3·IQR of the
	// absolute relative changes between consecutive points. Changes below
	// it are within what the history shows from one commit to the next.
	Floor float64

	// Bimodality is Sarle's bimodality coefficient of the log values, and
	// Bimodal is set when it exceeds 5/9 (the value of a uniform
	// distribution) with at least 10 points: a runner that alternates
	// between a fast and a slow mode.
	Bimodality float64
	Bimodal    bool

	// Warnings say why the model is weak (too few points, bad values).
	Warnings []string
}

// NoiseOf models the noise of history, one positive run-level value per
// commit in commit order; only the last 64 points are read. It needs at
// least 3 points; with fewer, or with values that are not positive and
// finite (which are skipped), it says so in Warnings.
func NoiseOf(history []float64) Noise {
	var n Noise
	var x []float64
	for i, v := range history {
		if !(v > 0) || math.IsInf(v, 0) {
			n.Warnings = append(n.Warnings, fmt.Sprintf("history point %d is %v; skipped (want a finite value > 0)", i, v))
			continue
		}
		x = append(x, math.Log(v))
	}
	if len(x) > noiseWindow {
		x = x[len(x)-noiseWindow:]
	}
	n.N = len(x)
	if n.N < 3 {
		n.Warnings = append(n.Warnings, fmt.Sprintf("history has %d usable points; need at least 3 for a noise model", n.N))
		n.CV, n.Floor, n.Bimodality = math.NaN(), math.NaN(), math.NaN()
		return n
	}
	diffs := make([]float64, len(x)-1)
	rel := make([]float64, len(x)-1)
	for i := 1; i < len(x); i++ {
		diffs[i-1] = math.Abs(x[i] - x[i-1])
		rel[i-1] = math.Abs(math.Expm1(x[i] - x[i-1]))
	}
	n.CV = sigmaToCV(madScale * median(sortedCopy(diffs)) / math.Sqrt2)
	r := sortedCopy(rel)
	q1, q3 := Quantile(r, 0.25), Quantile(r, 0.75)
	n.Floor = q3 + 3*(q3-q1)
	n.Bimodality = bimodality(x)
	n.Bimodal = n.N >= 10 && n.Bimodality > 5.0/9
	if n.N < 10 {
		n.Warnings = append(n.Warnings, fmt.Sprintf("history has only %d points; the noise model is rough below 10", n.N))
	}
	return n
}

// MDE returns the smallest worsening (ratio − 1) that n samples per side can
// detect at this noise with the policy's one-sided alpha and power.
func (n Noise) MDE(samples int, p Policy) float64 {
	p = p.orDefault()
	return mde(cvToSigma(n.CV), samples, samples, p.Alpha, p.Power)
}

// SamplesFor returns the samples per side needed to detect a worsening of
// effect (ratio − 1) at this noise with the policy's alpha and power:
// "needs n ≥ 14 to detect 3 %".
func (n Noise) SamplesFor(effect float64, p Policy) int {
	p = p.orDefault()
	return samplesFor(effect, cvToSigma(n.CV), p.Alpha, p.Power, false, oneSidedSamplesPerSide(p.Alpha))
}

// Apply returns p with the noise floor of this model set, when it is known.
// It leaves Policy.CV alone: the history's CV is that of run-level values
// across jobs, not of the samples within one job.
func (n Noise) Apply(p Policy) Policy {
	if !math.IsNaN(n.Floor) {
		p.NoiseFloor = n.Floor
	}
	return p
}

// bimodality returns Sarle's bimodality coefficient (g² + 1)/(k + 3(n−1)²/
// ((n−2)(n−3))) with g the sample skewness and k the excess kurtosis, or NaN
// for fewer than 4 values or no spread.
func bimodality(x []float64) float64 {
	n := float64(len(x))
	if n < 4 {
		return math.NaN()
	}
	mean := 0.0
	for _, v := range x {
		mean += v
	}
	mean /= n
	var m2, m3, m4 float64
	for _, v := range x {
		d := v - mean
		m2 += d * d
		m3 += d * d * d
		m4 += d * d * d * d
	}
	m2, m3, m4 = m2/n, m3/n, m4/n
	if m2 == 0 {
		return math.NaN()
	}
	g := m3 / math.Pow(m2, 1.5) * math.Sqrt(n*(n-1)) / (n - 2)
	k := (n - 1) / ((n - 2) * (n - 3)) * ((n+1)*(m4/(m2*m2)-3) + 6)
	return (g*g + 1) / (k + 3*(n-1)*(n-1)/((n-2)*(n-3)))
}

// Quantile returns the q-quantile (0 ≤ q ≤ 1) of the ascending sorted
// values by linear interpolation between order statistics (Hyndman and Fan
// type 7, the default of R and NumPy, which the seed used): with
// h = (n-1)q, it is x[⌊h⌋] + (h-⌊h⌋)(x[⌊h⌋+1]-x[⌊h⌋]). It returns NaN for
// no values. Every quantile benchgate prints or stores comes from here.
func Quantile(sorted []float64, q float64) float64 {
	n := len(sorted)
	if n == 0 {
		return math.NaN()
	}
	h := q * float64(n-1)
	lo := int(math.Floor(h))
	if lo < 0 {
		return sorted[0]
	}
	if lo+1 >= n {
		return sorted[n-1]
	}
	return sorted[lo] + (h-float64(lo))*(sorted[lo+1]-sorted[lo])
}

// Median returns the median of values (in any order; values is not
// modified), NaN for none.
func Median(values []float64) float64 {
	switch len(values) {
	case 1: // one sample per commit: the common case of a history
		return values[0]
	case 2:
		return values[0] + 0.5*(values[1]-values[0])
	}
	return Quantile(sortedCopy(values), 0.5)
}
