package gate

import "math"

// exactUPairs is the largest n1·n2 for which the interval uses the exact
// null distribution of the Mann–Whitney U statistic. It admits 50 × 50, the
// limit of go-moremath's exact U test without ties, and costs at most about
// n1·n2·(n1·n2/2) ≈ 3·10⁶ additions. Larger samples use the normal
// approximation.
const exactUPairs = 50 * 50

// shiftInterval is the Hodges–Lehmann estimate of a location shift with its
// distribution-free (Moses) confidence interval.
type shiftInterval struct {
	estimate  float64 // median of all pairwise differences
	low, high float64 // -Inf/+Inf when the samples are too small for the level
}

// mosesIntervals returns the Hodges–Lehmann estimate and the Moses
// confidence interval, at each given two-sided confidence, of the shift Δ
// such that head − Δ is distributed as base. Both samples must be sorted and
// non-empty.
//
// Let D be the n1·n2 differences head[j] − base[i], sorted. Under the
// shift model the number of differences below the true Δ follows the null
// distribution of the Mann–Whitney U statistic, symmetric on 0…n1·n2. With
// k the largest count such that P(U ≤ k) ≤ (1 − confidence)/2, the interval
// is [D₍ₖ₊₁₎, D₍ₙ₁ₙ₂₋ₖ₎] (1-based order statistics), whose coverage is at
// least the confidence. When no such k exists the bounds are infinite. The
// order statistics are selected in the implicit matrix of differences
// (sumMatrix), in O((n1 + n2) log(n1·n2)) time and O(n1 + n2) memory.
//
// m keeps the critical values for the next series with the same sizes.
func mosesIntervals(base, head []float64, m *memo, confidences ...float64) []shiftInterval {
	ks := make([]int, len(confidences))
	for i, c := range confidences {
		n1, n2, tail := len(base), len(head), (1-c)/2
		ks[i] = m.critical(memoKey{kind: memoUCritical, n1: n1, n2: n2, tail: tail}, func() int { return uCritical(n1, n2, tail) })
	}
	return orderIntervals(diffMatrix(base, head), ks)
}

// orderIntervals returns, for each k, the median of the elements S of s as
// the estimate and [S₍ₖ₊₁₎, S₍ₙ₋ₖ₎] as the interval, or infinite bounds
// when k < 0.
func orderIntervals(s *sumMatrix, ks []int) []shiftInterval {
	n := s.size()
	var est float64
	if n%2 == 0 {
		a, b := s.kthPair(n/2 - 1)
		est = (a + b) / 2
	} else {
		est = s.kth(n / 2)
	}
	out := make([]shiftInterval, len(ks))
	for i, k := range ks {
		out[i] = shiftInterval{estimate: est, low: math.Inf(-1), high: math.Inf(1)}
		if k >= 0 {
			out[i].low, out[i].high = s.kth(k), s.kth(n-1-k)
		}
	}
	return out
}

// uCritical returns the largest k with P(U ≤ k) ≤ tail under the null
// distribution of the Mann–Whitney U statistic for samples of sizes n1 and
// n2 without ties, or -1 when even P(U = 0) exceeds tail. It is exact for
// n1·n2 ≤ exactUPairs and uses the normal approximation above.
func uCritical(n1, n2 int, tail float64) int {
	if n1*n2 > exactUPairs {
		return uCriticalNormal(n1, n2, tail)
	}
	return uCriticalExact(n1, n2, tail)
}

// uCriticalExact is uCritical from the exact distribution of U. The
// distribution is the same with the samples swapped; the smaller goes
// second, where uCounts' memory grows with it (1 × 2,500: 20 kB, not 50 MB).
func uCriticalExact(n1, n2 int, tail float64) int {
	counts := uCounts(max(n1, n2), min(n1, n2), n1*n2/2)
	total := binomial(n1+n2, n1)
	k, cum := -1, 0.0
	for u, c := range counts {
		cum += c
		if cum/total > tail {
			break
		}
		k = u
	}
	return k
}

// uCriticalNormal is uCritical from the normal approximation of U, with mean
// n1·n2/2, variance n1·n2·(n1+n2+1)/12 and a continuity correction:
// P(U ≤ k) ≈ Φ((k + 0.5 − μ)/σ).
func uCriticalNormal(n1, n2 int, tail float64) int {
	mu := float64(n1*n2) / 2
	sigma := math.Sqrt(float64(n1*n2) * float64(n1+n2+1) / 12)
	k := int(math.Floor(mu - 0.5 + normalQuantile(tail)*sigma))
	return max(k, -1)
}

// uCounts returns c[u] for u = 0…limit, the number of orderings of n1 values
// of one sample and n2 of another, all distinct, in which exactly u pairs
// have the first sample's value above the second's: the frequencies of the
// Mann–Whitney U statistic. It uses the recursion
// f(i, j, u) = f(i−1, j, u−j) + f(i, j−1, u) (the largest value belongs to
// the first sample, beating all j of the second, or to the second), which only
// adds non-negative numbers and so stays accurate in floating point.
func uCounts(n1, n2, limit int) []float64 {
	width := limit + 1
	prev := make([]float64, (n2+1)*width) // row i−1: f(i−1, j, ·) at [j*width:]
	cur := make([]float64, (n2+1)*width)  // row i
	for j := 0; j <= n2; j++ {
		prev[j*width] = 1 // f(0, j, ·) is a single ordering with U = 0
	}
	for i := 1; i <= n1; i++ {
		clear(cur)
		cur[0] = 1 // f(i, 0, ·)
		for j := 1; j <= n2; j++ {
			row, up, left := cur[j*width:(j+1)*width], prev[j*width:(j+1)*width], cur[(j-1)*width:j*width]
			for u := range row {
				row[u] = left[u]
				if u >= j {
					row[u] += up[u-j]
				}
			}
		}
		prev, cur = cur, prev
	}
	return prev[n2*width : (n2+1)*width]
}

// binomial returns the binomial coefficient n choose k as a float64.
func binomial(n, k int) float64 {
	k = min(k, n-k)
	c := 1.0
	for i := 1; i <= k; i++ {
		c = c * float64(n-k+i) / float64(i)
	}
	return c
}

// normalQuantile returns the p-quantile of the standard normal distribution.
func normalQuantile(p float64) float64 {
	return math.Sqrt2 * math.Erfinv(2*p-1)
}
