package gate

import (
	"math"
	"slices"
)

// signedRankExactLimit is the largest number of non-zero differences for
// which the signed-rank test uses its exact null distribution (when there
// are no ties); above it, or with ties, it uses the normal approximation
// with tie and continuity corrections. 50 matches the U test's limit.
const signedRankExactLimit = 50

// signedRank returns the one-sided Wilcoxon signed-rank p-values for
// "the differences d are located above 0" and "below 0". Zero differences
// are dropped (Wilcoxon's convention); with none left both are 1.
func signedRank(d []float64) (above, below float64) {
	var nz []float64
	for _, v := range d {
		if v != 0 {
			nz = append(nz, v)
		}
	}
	n := len(nz)
	if n == 0 {
		return 1, 1
	}
	slices.SortFunc(nz, func(a, b float64) int {
		switch {
		case math.Abs(a) < math.Abs(b):
			return -1
		case math.Abs(a) > math.Abs(b):
			return 1
		}
		return 0
	})
	// Mid-ranks of |d|; tplus is the rank sum of the positive differences.
	tplus, ties, tieCorr := 0.0, false, 0.0
	for i := 0; i < n; {
		j := i
		for j < n && math.Abs(nz[j]) == math.Abs(nz[i]) {
			j++
		}
		rank := float64(i+1+j) / 2
		if t := float64(j - i); t > 1 {
			ties = true
			tieCorr += t*t*t - t
		}
		for k := i; k < j; k++ {
			if nz[k] > 0 {
				tplus += rank
			}
		}
		i = j
	}
	if !ties && n <= signedRankExactLimit {
		counts := signedRankCounts(n)
		total := math.Ldexp(1, n)
		t := int(math.Round(tplus))
		ge, le := 0.0, 0.0
		for s, c := range counts {
			if s >= t {
				ge += c
			}
			if s <= t {
				le += c
			}
		}
		return ge / total, le / total
	}
	nf := float64(n)
	mu := nf * (nf + 1) / 4
	sigma := math.Sqrt(nf*(nf+1)*(2*nf+1)/24 - tieCorr/48)
	if sigma == 0 {
		return 1, 1
	}
	above = 1 - normalCDF((tplus-mu-0.5)/sigma)
	below = normalCDF((tplus - mu + 0.5) / sigma)
	return above, below
}

// signedRankCounts returns c[s], s = 0…n(n+1)/2, the number of subsets of
// the ranks 1…n whose sum is s: the frequencies of the signed-rank
// statistic under the null hypothesis, out of 2ⁿ.
func signedRankCounts(n int) []float64 {
	m := n * (n + 1) / 2
	c := make([]float64, m+1)
	c[0] = 1
	top := 0
	for r := 1; r <= n; r++ {
		top += r
		for s := top; s >= r; s-- {
			c[s] += c[s-r]
		}
	}
	return c
}

// signedRankCritical returns the largest k with P(T ≤ k) ≤ tail for the
// signed-rank statistic of n differences without ties, or -1 when even
// P(T = 0) exceeds it; exact up to signedRankExactLimit, normal above.
func signedRankCritical(n int, tail float64) int {
	if n > signedRankExactLimit {
		nf := float64(n)
		mu := nf * (nf + 1) / 4
		sigma := math.Sqrt(nf * (nf + 1) * (2*nf + 1) / 24)
		return max(int(math.Floor(mu-0.5+normalQuantile(tail)*sigma)), -1)
	}
	counts := signedRankCounts(n)
	total := math.Ldexp(1, n)
	k, cum := -1, 0.0
	for s, c := range counts {
		cum += c
		if cum/total > tail {
			break
		}
		k = s
	}
	return k
}

// walshIntervals returns the Hodges–Lehmann estimate of the centre of the
// differences d (the median of the n(n+1)/2 Walsh averages) and the
// distribution-free interval at each given two-sided confidence, from the
// signed-rank distribution: [W₍ₖ₊₁₎, W₍ₘ₋ₖ₎]. The averages are selected
// without being built (sumMatrix), in O(n log n) time and O(n) memory; d
// is not modified.
func walshIntervals(d []float64, m *memo, confidences ...float64) []shiftInterval {
	ks := make([]int, len(confidences))
	for i, c := range confidences {
		n, tail := len(d), (1-c)/2
		ks[i] = m.critical(memoKey{kind: memoSignedCritical, n1: n, tail: tail}, func() int { return signedRankCritical(n, tail) })
	}
	return orderIntervals(newSumMatrix(sortedCopy(d), nil, true), ks)
}

// normalCDF is the standard normal distribution function.
func normalCDF(x float64) float64 {
	return 0.5 * math.Erfc(-x/math.Sqrt2)
}
