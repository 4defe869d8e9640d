package gate

import "github.com/aclements/go-moremath/stats"

// oneSidedU returns the one-sided Mann–Whitney U p-values for "head is
// worse than base" and "head is better than base", oriented by better. It
// calls go-moremath's MannWhitneyUTest, benchstat's own test: exact
// distribution for n ≤ 50 per side without ties and n ≤ 25 with ties (the
// Klotz algorithm), normal approximation with tie and continuity corrections
// above. Ranks do not change under the logarithm, so the test is the same on
// the log scale. All values equal gives 1 and 1.
func oneSidedU(base, head []float64, better Direction) (pWorse, pBetter float64) {
	// LocationLess: the base's location is less than the head's, i.e. the
	// head is larger.
	larger := u(base, head, stats.LocationLess)
	smaller := u(base, head, stats.LocationGreater)
	if better == BiggerIsBetter {
		return smaller, larger
	}
	return larger, smaller
}

// u returns the Mann–Whitney p-value of base against head for alt, or 1 when
// the test is meaningless (all values equal).
func u(base, head []float64, alt stats.LocationHypothesis) float64 {
	r, err := stats.MannWhitneyUTest(base, head, alt)
	if err != nil { // stats.ErrSamplesEqual or an empty side
		return 1
	}
	return min(r.P, 1)
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
