package gate

import (
	"math"

	"github.com/aclements/go-moremath/stats"
)

// uTest is the Mann–Whitney U test of sorted base against sorted head, as
// go-moremath's MannWhitneyUTest (benchstat's own test) computes it for each
// alternative, from one U statistic and one null distribution: less is the
// p-value of LocationLess (the head is larger), greater that of
// LocationGreater, differs that of LocationDiffers (benchmath's two-sided
// p-value). It is the exact distribution for n ≤ MannWhitneyExactLimit per
// side without ties and n ≤ MannWhitneyTiesExactLimit with ties (the Klotz
// algorithm), the normal approximation with tie and continuity corrections
// above; the arithmetic is that of MannWhitneyUTest, so the p-values are the
// same to the bit. ok is false when the test is meaningless (all values
// equal or an empty side).
func uTest(base, head []float64, m *memo) (less, greater, differs float64, ok bool) {
	n1, n2 := len(base), len(head)
	if n1 == 0 || n2 == 0 {
		return 1, 1, 1, false
	}
	// The ranks of the merged samples, tied values sharing their average
	// rank, in MannWhitneyUTest's order of summation.
	r1 := 0.0
	var t []int
	hasTies := false
	i, j := 0, 0
	for i < n1 || j < n2 {
		v := head[min(j, n2-1)]
		if j == n2 || i < n1 && base[i] < head[j] {
			v = base[i]
		}
		start, nx1 := i+j, 0
		for i < n1 && base[i] == v {
			i++
			nx1++
		}
		for j < n2 && head[j] == v {
			j++
		}
		end := i + j
		if nx1 != 0 {
			r1 += float64(end+start+1) / 2 * float64(nx1)
		}
		t = append(t, end-start)
		if end-start > 1 {
			hasTies = true
		}
	}
	u1 := r1 - float64(n1*(n1+1))/2
	u2 := float64(n1*n2) - u1
	usmall := math.Min(u1, u2)

	if !hasTies && n1 <= stats.MannWhitneyExactLimit && n2 <= stats.MannWhitneyExactLimit ||
		hasTies && n1 <= stats.MannWhitneyTiesExactLimit && n2 <= stats.MannWhitneyTiesExactLimit {
		if len(t) == 1 {
			return 1, 1, 1, false
		}
		var cdf func(u float64) float64
		if hasTies {
			cdf = tiedUCDF(n1, n2, t, []float64{u1, u1 - 1, usmall}, m)
		} else {
			pdf := m.uPDF(n1, n2)
			cdf = func(u float64) float64 { return untiedUCDF(n1, n2, pdf, u) }
		}
		less, greater, differs = cdf(u1), 1-cdf(u1-1), 1
		if u1 != u2 {
			differs = cdf(usmall) * 2
		}
		return less, greater, differs, true
	}
	tie := 0
	for _, x := range t {
		tie += x*x*x - x
	}
	n := float64(n1 + n2)
	mu := float64(n1*n2) / 2
	sigma := math.Sqrt(float64(n1*n2) * ((n + 1) - float64(tie)/(n*(n-1))) / 12)
	if sigma == 0 {
		return 1, 1, 1, false
	}
	numer := u1 - mu
	d := numer - sign(numer)*0.5
	zd := d / sigma
	less = stats.StdNormal.CDF((numer + 0.5) / sigma)
	greater = 1 - stats.StdNormal.CDF((numer-0.5)/sigma)
	differs = 2 * math.Min(stats.StdNormal.CDF(zd), 1-stats.StdNormal.CDF(zd))
	return less, greater, differs, true
}

// sign is go-moremath's mathx.Sign: −1, 0 or 1 (NaN for NaN).
func sign(x float64) float64 {
	switch {
	case x == 0:
		return 0
	case x < 0:
		return -1
	case x > 0:
		return 1
	}
	return math.NaN()
}

// untiedUCDF is stats.UDist{N1: n1, N2: n2}.CDF(u) from the table pdf of
// uPDF: the smaller tail summed in the same order.
func untiedUCDF(n1, n2 int, pdf []float64, u float64) float64 {
	if u < 0 {
		return 0
	} else if u >= float64(n1*n2) {
		return 1
	}
	ui := int(math.Floor(u))
	flip := ui >= (n1*n2+1)/2
	if flip {
		ui = n1*n2 - ui - 1
	}
	p := 0.0
	for _, x := range pdf[:ui+1] {
		p += x
	}
	if flip {
		p = 1 - p
	}
	return p
}

// uPDF returns the null probabilities P(U = u), u = 0…⌊(n1·n2+1)/2⌋, of
// the Mann–Whitney U statistic without ties, as go-moremath's UDist.p
// computes them (Mann and Whitney's recurrence, in the same order: each
// entry does not depend on how far the table goes), memoised in m.
func (m *memo) uPDF(n1, n2 int) []float64 {
	n, mm := min(n1, n2), max(n1, n2)
	key := memoKey{kind: memoUPDF, n1: n, n2: mm}
	if p, ok := m.get(key); ok {
		return p.pdf
	}
	limit := (n1*n2 + 1) / 2
	table := make([]float64, (n+1)*(limit+1))
	row := func(i int) []float64 { return table[i*(limit+1) : (i+1)*(limit+1)] }
	for c := 0; c <= mm; c++ {
		row(0)[0] = 1
		for i := 1; i <= min(n, c); i++ {
			lp := row(i - 1)
			rp := row(i)
			if i > c-1 {
				rp = row(c - 1)
			}
			ulim := min(limit, i*c)
			out := row(i)
			nplusm := float64(i + c)
			for u := ulim; u >= 0; u-- {
				l := 0.0
				if u-c >= 0 {
					l = float64(i) * lp[u-c]
				}
				r := float64(c) * rp[u]
				out[u] = (l + r) / nplusm
			}
		}
	}
	pdf := row(n)
	m.put(key, memoValue{pdf: pdf})
	return pdf
}

// oneSidedU returns the one-sided Mann–Whitney U p-values for "head is
// worse than base" and "head is better than base", oriented by better, and
// benchstat's two-sided p-value, of sorted base and head (see uTest). Ranks
// do not change under the logarithm, so the test is the same on the log
// scale. All values equal gives 1, 1 and 1.
func oneSidedU(base, head []float64, better Direction, m *memo) (pWorse, pBetter, twoSided float64) {
	less, greater, differs, ok := uTest(base, head, m)
	if !ok {
		return 1, 1, 1
	}
	// LocationLess: the base's location is less than the head's, i.e. the
	// head is larger.
	larger, smaller := min(less, 1), min(greater, 1)
	if better == BiggerIsBetter {
		return smaller, larger, differs
	}
	return larger, smaller, differs
}

// minOneSidedP returns the smallest one-sided p-value the Mann–Whitney U test
// can reach with samples of sizes n1 and n2 and no ties: 1/C(n1+n2, n1).
func minOneSidedP(n1, n2 int) float64 {
	if n1 == 0 || n2 == 0 {
		return 1
	}
	return min(1, 1/binomial(n1+n2, n1))
}

// oneSidedSamplesPerSide returns the smallest n for which n against n samples
// can reach a one-sided p below alpha.
func oneSidedSamplesPerSide(alpha float64) int {
	n := 1
	for minOneSidedP(n, n) >= alpha && n < 1000 {
		n++
	}
	return n
}
