package gate

import (
	"math"
	"slices"
)

// mwuEfficiency is the variance inflation of the Mann–Whitney U test against
// the t-test under normal noise: the inverse of its asymptotic relative
// efficiency 3/π ≈ 0.955. Sample sizes for the U test are the t-test's
// times π/3.
const mwuEfficiency = math.Pi / 3

// mde returns the minimum detectable effect, as ratio − 1, of a one-sided
// rank test at level alpha with the given power, for a log-scale noise
// sigma and samples of n1 and n2 (n2 = 0 for a paired test on n1
// differences): exp((z₁₋α + z_power)·σ·√(π/3·(1/n1 + 1/n2))) − 1. With
// α = 0.01 and power 0.8 this is close to docs/STATISTICS.md's CV·√(25/n).
func mde(sigma float64, n1, n2 int, alpha, power float64) float64 {
	if n1 == 0 || math.IsNaN(sigma) {
		return math.NaN()
	}
	v := 1 / float64(n1)
	if n2 > 0 {
		v += 1 / float64(n2)
	}
	z := normalQuantile(1-alpha) + normalQuantile(power)
	return math.Expm1(z * sigma * math.Sqrt(mwuEfficiency*v))
}

// samplesFor returns the samples per side that a one-sided rank test at level
// alpha needs to detect effect (ratio − 1) with the given power at log-scale
// noise sigma (paired: differences needed), and never fewer than minimum.
func samplesFor(effect, sigma, alpha, power float64, paired bool, minimum int) int {
	if !(effect > 0) || math.IsNaN(sigma) {
		return minimum
	}
	z := normalQuantile(1-alpha) + normalQuantile(power)
	k := 2.0
	if paired {
		k = 1
	}
	n := k * mwuEfficiency * math.Pow(z*sigma/math.Log1p(effect), 2)
	if n > 1e6 {
		return 1e6
	}
	return max(minimum, int(math.Ceil(n)))
}

// cvToSigma converts a coefficient of variation to the standard deviation of
// the logarithm of a log-normal variable.
func cvToSigma(cv float64) float64 {
	return math.Sqrt(math.Log1p(cv * cv))
}

// sigmaToCV converts a log-scale standard deviation to a coefficient of
// variation.
func sigmaToCV(sigma float64) float64 {
	return math.Sqrt(math.Expm1(sigma * sigma))
}

// madScale turns a median absolute deviation into a consistent estimate of
// a normal standard deviation.
const madScale = 1.4826

// pooledSigma returns a robust estimate of the within-side spread: the scaled
// median absolute deviation of the values of both sides from their own
// side's median. It resists outliers and slow-host modes that would inflate
// a standard deviation.
func pooledSigma(sides ...[]float64) float64 {
	var r []float64
	for _, s := range sides {
		m := median(sortedCopy(s))
		for _, v := range s {
			r = append(r, math.Abs(v-m))
		}
	}
	if len(r) == 0 {
		return math.NaN()
	}
	return madScale * median(sortedCopy(r))
}

// sortedCopy returns a sorted copy of values.
func sortedCopy(values []float64) []float64 {
	s := slices.Clone(values)
	slices.Sort(s)
	return s
}
