package gate

import "math"

// memoLimit bounds the entries of a memo: the sample sizes of one CompareAll
// repeat (go test -count 10 gives 10 against 10 for every benchmark), so a
// few hundred cover them; more distinct sizes are computed afresh.
const memoLimit = 256

// memo keeps what the series of one CompareAll share: the null
// distributions and critical values that depend only on the sample sizes.
// It belongs to one goroutine (the package may not import sync, see
// purity_test.go); a nil memo keeps nothing.
type memo struct {
	entries map[memoKey]memoValue
}

// memoKind says what a memo entry holds.
type memoKind uint8

const (
	memoUPDF           memoKind = iota // uPDF(n1, n2), n1 ≤ n2
	memoUCritical                      // uCritical(n1, n2, tail)
	memoSignedCritical                 // signedRankCritical(n1, tail)
)

type memoKey struct {
	kind   memoKind
	n1, n2 int
	tail   float64
}

type memoValue struct {
	pdf []float64
	k   int
}

func (m *memo) get(key memoKey) (memoValue, bool) {
	if m == nil {
		return memoValue{}, false
	}
	v, ok := m.entries[key]
	return v, ok
}

func (m *memo) put(key memoKey, v memoValue) {
	if m == nil || len(m.entries) >= memoLimit {
		return
	}
	if m.entries == nil {
		m.entries = make(map[memoKey]memoValue)
	}
	m.entries[key] = v
}

// critical returns the memoised critical value of key, computing it with f
// when it is not kept.
func (m *memo) critical(key memoKey, f func() int) int {
	if v, ok := m.get(key); ok {
		return v.k
	}
	k := f()
	m.put(key, memoValue{k: k})
	return k
}

// tiedUCDF returns the CDF, at the values us, of the Mann–Whitney U
// statistic for samples of sizes n1 and n2 with tie vector t, as
// go-moremath's UDist{N1: n1, N2: n2, T: t}.CDF computes it (Cheung and
// Klotz's algorithm), from one memo table for all of us: makeUmemo's, built
// from several targets at once. Each entry of the table is a function of its
// key alone, and the keys reached from a target are the same whatever the
// other targets, so the values are those of one table per target. The
// function returned answers only for values in us (or outside [0, n1·n2)).
func tiedUCDF(n1, n2 int, t []int, us []float64) func(u float64) float64 {
	var targets []uKey
	for _, u := range us {
		if u >= 0 && u < float64(n1*n2) {
			targets = append(targets, uKey{n1: n1, twoU: int(2 * u)})
		}
	}
	var top map[uKey]float64
	if len(targets) > 0 {
		top = uMemo(targets, t)
	}
	total := choose(n1+n2, n1)
	return func(u float64) float64 {
		if u < 0 {
			return 0
		} else if u >= float64(n1*n2) {
			return 1
		}
		p, ok := top[uKey{n1: n1, twoU: int(2 * u)}]
		if !ok {
			panic("tiedUCDF: U outside its targets")
		}
		return p / total
	}
}

// uKey is go-moremath's ukey: the size of the first sample and 2·U.
type uKey struct {
	n1, twoU int
}

// uMemo is go-moremath's makeUmemo (stats/udist.go, BSD licence, © The Go
// Authors) with several targets at level K: it returns the level-K table,
// the number of orderings with U ≤ twoU/2 for each target.
func uMemo(targets []uKey, t []int) map[uKey]float64 {
	K := len(t)
	a := make([]int, K+1)
	a[1] = t[0]
	for k := 2; k <= K; k++ {
		a[k] = a[k-1] + t[k-2] + t[k-1]
	}
	A := make([]map[uKey]float64, K+1)
	A[K] = make(map[uKey]float64, len(targets))
	for _, key := range targets {
		A[K][key] = 0
	}
	tsum := 0
	for _, x := range t {
		tsum += x
	}
	for k := K - 1; k >= 2; k-- {
		tsum -= t[k]
		A[k] = make(map[uKey]float64)
		for up := range A[k+1] {
			rkLow := max(0, up.n1-tsum)
			rkHigh := min(up.n1, t[k])
			for rk := rkLow; rk <= rkHigh; rk++ {
				twoUk := up.twoU - rk*(a[k+1]-2*up.n1+rk)
				n1k := up.n1 - rk
				if twoUmin(n1k, t[:k], a) <= twoUk && twoUk <= twoUmax(n1k, t[:k], a) {
					A[k][uKey{n1: n1k, twoU: twoUk}] = 0
				}
			}
		}
	}
	if K < 2 {
		panic("K < 2")
	}
	n2 := t[0] + t[1]
	for key := range A[2] {
		sum := 0.0
		r2Low := max(0, key.n1-t[0])
		r2High := (key.twoU - key.n1*(t[0]-key.n1)) / n2
		for r2 := r2Low; r2 <= r2High; r2++ {
			sum += choose(t[0], key.n1-r2) * choose(t[1], r2)
		}
		A[2][key] = sum
	}
	tsum = t[0]
	for k := 3; k <= K; k++ {
		tsum += t[k-2]
		for key := range A[k] {
			sum := 0.0
			rkLow := max(0, key.n1-tsum)
			rkHigh := min(key.n1, t[k-1])
			for rk := rkLow; rk <= rkHigh; rk++ {
				twoU := key.twoU - rk*(a[k]-2*key.n1+rk)
				n1 := key.n1 - rk
				x, ok := A[k-1][uKey{n1: n1, twoU: twoU}]
				if !ok && twoUmax(n1, t[:k-1], a) < twoU {
					x = choose(tsum, n1)
				}
				sum += x * choose(t[k-1], rk)
			}
			A[k][key] = sum
		}
	}
	return A[K]
}

// twoUmin and twoUmax are go-moremath's: the least and the greatest 2·U of
// a first sample of size n1 among ranks with ties t.
func twoUmin(n1 int, t, a []int) int {
	twoU := -n1 * n1
	for k := 1; k <= len(t); k++ {
		r := min(n1, t[k-1])
		twoU += r * a[k]
		n1 -= r
	}
	return twoU
}

func twoUmax(n1 int, t, a []int) int {
	twoU := -n1 * n1
	for k := len(t); k > 0; k-- {
		r := min(n1, t[k-1])
		twoU += r * a[k]
		n1 -= r
	}
	return twoU
}

// choose is go-moremath's mathx.Choose, n choose k as a float64: exact
// integer arithmetic up to n = 20, exp(lgamma) above.
func choose(n, k int) float64 {
	if k == 0 || k == n {
		return 1
	}
	if k < 0 || n < k {
		return 0
	}
	if n <= 20 {
		numer := int64(1)
		for x := int64(n - (k - 1)); x <= int64(n); x++ {
			numer *= x
		}
		denom := int64(1)
		for x := int64(2); x <= int64(k); x++ {
			denom *= x
		}
		return float64(numer / denom)
	}
	a, _ := math.Lgamma(float64(n + 1))
	b, _ := math.Lgamma(float64(k + 1))
	c, _ := math.Lgamma(float64(n - k + 1))
	return math.Exp(a - b - c)
}
