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
	// floats and ints are the memory of the last tiedUCDF's table, which
	// the next one reuses: a comparison of 5,000 series with ties here and
	// there allocated 100 MB of tables without them.
	floats []float64
	ints   []int
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
// Klotz's algorithm, see klotz), from one table for all of us. The function
// returned answers only for values in us (or outside [0, n1·n2)). The
// table's memory comes from m (nil: allocated afresh).
func tiedUCDF(n1, n2 int, t []int, us []float64, m *memo) func(u float64) float64 {
	k := newKlotz(n1, t)
	if m != nil {
		k.floats, k.ints = m.floats, m.ints
		defer func() {
			// Keep the memory for the next table: all of it, in one piece,
			// when this table needed more than it had.
			if k.floatsUsed > cap(m.floats) {
				m.floats = make([]float64, k.floatsUsed)
			}
			if k.intsUsed > cap(m.ints) {
				m.ints = make([]int, k.intsUsed)
			}
		}()
	}
	counts := make(map[int]float64, len(us))
	for _, u := range us {
		if u >= 0 && u < float64(n1*n2) {
			counts[int(2*u)] = k.top(int(2 * u))
		}
	}
	total := choose(n1+n2, n1)
	return func(u float64) float64 {
		if u < 0 {
			return 0
		} else if u >= float64(n1*n2) {
			return 1
		}
		p, ok := counts[int(2*u)]
		if !ok {
			panic("tiedUCDF: U outside its targets")
		}
		return p / total
	}
}

// klotz computes go-moremath's makeUmemo (stats/udist.go, BSD licence,
// © The Go Authors): A(k, n, 2U), the number of ways to draw a first sample
// of size n from the first k tie groups t[:k] with a U statistic ≤ U. The
// entries are the same sums in the same order, so the same floats, but kept
// in dense slices instead of maps, and found by a memoised recursion from
// the target instead of makeUmemo's pass down the levels: an entry of level
// k − 1 is in makeUmemo's table exactly when its 2U lies in
// [twoUmin, twoUmax] of its level (the condition of that pass, which
// depends on the entry alone), so the recursion reads an entry where
// makeUmemo finds one and takes makeUmemo's default where it does not.
type klotz struct {
	n1     int
	t, a   []int
	tsum   []int         // tsum[k] = t[0] + … + t[k−1]
	lo, hi [][]int       // lo[k][n], hi[k][n]: twoUmin and twoUmax of level k
	vals   [][][]float64 // vals[k][n][2U − lo[k][n]]: the entries, −1 before computed

	// floats and ints are the free memory that the rows of vals and of lo
	// and hi are cut from; floatsUsed and intsUsed count what was cut.
	floats               []float64
	ints                 []int
	floatsUsed, intsUsed int
}

// floatRow returns n float64s set to −1.
func (z *klotz) floatRow(n int) []float64 {
	r := cut(&z.floats, &z.floatsUsed, n, 1024)
	for i := range r {
		r[i] = -1
	}
	return r
}

// intRow returns n ints.
func (z *klotz) intRow(n int) []int { return cut(&z.ints, &z.intsUsed, n, 256) }

// cut returns the first n elements of *free, which it advances, and adds n
// to *used; when *free is shorter, it is replaced first by a new slice of
// at least chunk elements.
func cut[T any](free *[]T, used *int, n, chunk int) []T {
	if len(*free) < n {
		*free = make([]T, max(n, chunk))
	}
	r := (*free)[:n:n]
	*free = (*free)[n:]
	*used += n
	return r
}

func newKlotz(n1 int, t []int) *klotz {
	K := len(t)
	if K < 2 {
		panic("K < 2")
	}
	a := make([]int, K+1)
	a[1] = t[0]
	for k := 2; k <= K; k++ {
		a[k] = a[k-1] + t[k-2] + t[k-1]
	}
	z := &klotz{n1: n1, t: t, a: a,
		tsum: make([]int, K+1),
		lo:   make([][]int, K+1), hi: make([][]int, K+1), vals: make([][][]float64, K+1)}
	for k := 1; k <= K; k++ {
		z.tsum[k] = z.tsum[k-1] + t[k-1]
	}
	return z
}

// bounds returns twoUmin and twoUmax of n at level k, computing the level's
// on first use.
func (z *klotz) bounds(k, n int) (int, int) {
	if z.lo[k] == nil {
		z.lo[k], z.hi[k] = z.intRow(z.n1+1), z.intRow(z.n1+1)
		for m := 0; m <= z.n1; m++ {
			z.lo[k][m], z.hi[k][m] = twoUmin(m, z.t[:k], z.a), twoUmax(m, z.t[:k], z.a)
		}
		z.vals[k] = make([][]float64, z.n1+1)
	}
	return z.lo[k][n], z.hi[k][n]
}

// top returns makeUmemo(twoU, n1, t)[K][{n1, twoU}].
func (z *klotz) top(twoU int) float64 {
	K := len(z.t)
	if K == 2 {
		return z.level2(z.n1, twoU)
	}
	return z.sum(K, z.n1, twoU)
}

// entry returns the entry (k, n, twoU), which makeUmemo holds: twoU lies in
// bounds(k, n).
func (z *klotz) entry(k, n, twoU int) float64 {
	lo, hi := z.bounds(k, n)
	row := z.vals[k][n]
	if row == nil {
		row = z.floatRow(hi - lo + 1)
		z.vals[k][n] = row
	}
	if v := row[twoU-lo]; v >= 0 {
		return v
	}
	var v float64
	if k == 2 {
		v = z.level2(n, twoU)
	} else {
		v = z.sum(k, n, twoU)
	}
	row[twoU-lo] = v
	return v
}

// level2 is makeUmemo's base case, k = 2.
func (z *klotz) level2(n, twoU int) float64 {
	t := z.t
	sum := 0.0
	r2Low := max(0, n-t[0])
	r2High := (twoU - n*(t[0]-n)) / (t[0] + t[1])
	for r2 := r2Low; r2 <= r2High; r2++ {
		sum += choose(t[0], n-r2) * choose(t[1], r2)
	}
	return sum
}

// sum is makeUmemo's recurrence for k ≥ 3, from level k − 1.
func (z *klotz) sum(k, n, twoU int) float64 {
	tsum := z.tsum[k-1]
	sum := 0.0
	rkLow := max(0, n-tsum)
	rkHigh := min(n, z.t[k-1])
	for rk := rkLow; rk <= rkHigh; rk++ {
		twoU1 := twoU - rk*(z.a[k]-2*n+rk)
		n1 := n - rk
		x := 0.0
		switch lo, hi := z.bounds(k-1, n1); {
		case lo <= twoU1 && twoU1 <= hi:
			x = z.entry(k-1, n1, twoU1)
		case hi < twoU1:
			x = choose(tsum, n1)
		}
		sum += x * choose(z.t[k-1], rk)
	}
	return sum
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
