package gate

import (
	"math"
	"slices"
)

// sumMatrix is the implicit matrix of the sums x[r] + y[c] of two sorted
// samples, of which sumMatrix selects order statistics without building it:
// n·m sums would need 8·n·m bytes (8 TB at 10⁶ samples per side).
//
// The sums are the float64 values x[r] + y[c] as Go computes them. Rounding
// is monotone, so every row and every column of the matrix is sorted, and
// the count of sums below a value t takes one walk of O(n + m) steps along
// the boundary between the sums < t and the others. Selection (kth) is
// Monahan's (1984) algorithm for the Hodges–Lehmann estimator, after
// Johnson and Mizoguchi (1978): each step partitions the matrix around
// pivots and keeps, per row, the columns [lo, hi) that can still hold the
// answer, until few enough remain to sort them. As in Floyd and Rivest's
// selection, the pivots are two elements of a random sample of those left,
// just below and just above the answer's expected rank in it, so that a
// step keeps about 4/√sample of them; the draws come from a generator with
// a fixed seed, so the result (exact whatever the pivots) and the time are
// the same on every run. After pivotSteps steps the pivot is instead the
// midpoint, in the order of float64 bit patterns, between the smallest and
// the largest sum left, which halves that range: at most 64 further steps,
// whatever the data.
//
// With sym set, x and y are the same sample and the matrix stands for its
// n(n+1)/2 sums x[i] + x[j] with i ≤ j, twice its Walsh averages (halving
// keeps the order): the full matrix is symmetric, so a count over the pairs
// i ≤ j is half the full count plus half the count on the diagonal.
type sumMatrix struct {
	x, y []float64
	sym  bool

	// gather is the number of candidates left at or below which kth sorts
	// them; pivotSteps the number of steps with sampled pivots, sample the
	// size of their sample. Tests set them to reach every path with small
	// samples.
	gather, pivotSteps, sample int

	lo, hi []int    // per row: the candidates are the columns [lo, hi)
	pos    [4][]int // per row: the counts of a step, then spare rows
	state  uint64   // of the pseudo-random draws
	draws  []int    // scratch of samplePivots
	values []float64

	// whole holds all the sums, sorted, once kth has gathered them: the
	// matrix is then small, and the next kth only indexes it.
	whole []float64
}

// newSumMatrix returns the matrix of x[r] + y[c], sorted x and y, or that of
// x[i] + x[j], i ≤ j, when sym is set (y is then ignored).
func newSumMatrix(x, y []float64, sym bool) *sumMatrix {
	if sym {
		y = x
	}
	return &sumMatrix{
		x: x, y: y, sym: sym,
		gather:     max(len(x)+len(y), 1024),
		pivotSteps: 32,
		sample:     4096,
	}
}

// diffMatrix returns the matrix whose sums are the differences
// head[j] − base[i] of sorted samples: x + (−y) is x − y exactly in IEEE
// arithmetic, so its order statistics are those of the differences.
func diffMatrix(base, head []float64) *sumMatrix {
	neg := make([]float64, len(base))
	for i, b := range base {
		neg[len(base)-1-i] = -b
	}
	return newSumMatrix(head, neg, false)
}

// size returns the number of sums the matrix stands for.
func (s *sumMatrix) size() int {
	if s.sym {
		return len(s.x) * (len(s.x) + 1) / 2
	}
	return len(s.x) * len(s.y)
}

// kth returns the k-th smallest sum, counting from 0 (0 ≤ k < size), as
// the k-th element of the sorted sums would be; when sym, the k-th smallest
// Walsh average (x[i] + x[j])/2, which is half that sum. It takes
// O((n + m) log(n·m)) time on average, O(n + m) memory.
func (s *sumMatrix) kth(k int) float64 {
	return s.value(s.kthSum(k))
}

// kthPair returns the k-th and the (k+1)-th smallest sums (Walsh averages
// when sym), 0 ≤ k < size − 1: the second takes one more walk.
func (s *sumMatrix) kthPair(k int) (float64, float64) {
	a := s.kthSum(k)
	s.reset()
	le := s.pos[1]
	if _, nle := s.count(a, s.pos[0], le); nle > k+1 {
		return s.value(a), s.value(a)
	}
	b := math.Inf(1)
	for r, x := range s.x {
		if le[r] < len(s.y) {
			b = min(b, x+s.y[le[r]])
		}
	}
	return s.value(a), s.value(b)
}

// value returns a sum as kth reports it.
func (s *sumMatrix) value(sum float64) float64 {
	if s.sym {
		return sum / 2
	}
	return sum
}

// reset makes every element a candidate.
func (s *sumMatrix) reset() {
	n, m := len(s.x), len(s.y)
	if len(s.lo) != n {
		s.lo, s.hi = make([]int, n), make([]int, n)
		for i := range s.pos {
			s.pos[i] = make([]int, n)
		}
	}
	for r := range n {
		s.lo[r], s.hi[r] = 0, m
	}
}

// kthSum is kth before the halving of a Walsh average.
func (s *sumMatrix) kthSum(k int) float64 {
	s.reset()
	// The answer lies strictly between the sums at or below the last pivot
	// found too small and those at or above the last found too large, which
	// the candidates exclude: below pairs lie under them, and left elements
	// of the full matrix are candidates.
	below, left := 0, len(s.x)*len(s.y)
	for step := 0; ; step++ {
		if left <= s.gather {
			if step == 0 { // every sum is a candidate
				if s.whole == nil {
					s.whole = s.sortedCandidates(s.size())
				}
				return s.whole[k]
			}
			return s.gathered(k - below)
		}
		var pivots []float64
		if step < s.pivotSteps {
			at := k - below
			if s.sym {
				at *= 2 // the full matrix holds each pair i < j twice
			}
			pivots = s.samplePivots(min(at, left-1), left)
		} else {
			pivots = []float64{s.midpoint()}
		}
		// counts[2i] and counts[2i+1] are the pairs < and ≤ pivots[i], whose
		// per-row counts are in s.pos[2i] and s.pos[2i+1].
		var counts [4]int
		for i, t := range pivots {
			counts[2*i], counts[2*i+1] = s.count(t, s.pos[2*i], s.pos[2*i+1])
		}
		i := 0 // the first pivot with the answer at or below it
		for i < len(pivots) && k >= counts[2*i+1] {
			i++
		}
		if i < len(pivots) && k >= counts[2*i] {
			return pivots[i]
		}
		if i < len(pivots) {
			s.hi, s.pos[2*i] = s.pos[2*i], s.hi
		}
		if i > 0 {
			s.lo, s.pos[2*i-1] = s.pos[2*i-1], s.lo
			below = counts[2*i-1]
		}
		left = 0
		for r := range s.x {
			left += s.hi[r] - s.lo[r]
		}
	}
}

// samplePivots draws a sample of the left candidates (of the full matrix)
// and returns one or two of its values: those a few standard deviations
// below and above the position of the candidate of rank i among them, as
// far as the sample reaches.
func (s *sumMatrix) samplePivots(i, left int) []float64 {
	size := min(s.sample, left)
	s.draws = s.draws[:0]
	for range size {
		s.state += 0x9e3779b97f4a7c15
		s.draws = append(s.draws, int(splitmix(s.state)%uint64(left)))
	}
	slices.Sort(s.draws)
	s.values = s.values[:0]
	d, offset := 0, 0 // next draw; candidates in the rows before r
	for r, x := range s.x {
		w := s.hi[r] - s.lo[r]
		for ; d < len(s.draws) && s.draws[d] < offset+w; d++ {
			s.values = append(s.values, x+s.y[s.lo[r]+s.draws[d]-offset])
		}
		offset += w
	}
	slices.Sort(s.values)
	// The sample's values below the answer are binomial with a standard
	// deviation of at most √size/2: 4 of them miss it once in 30,000.
	at := int(float64(i) / float64(left) * float64(size))
	spread := int(2 * math.Sqrt(float64(size)))
	var pivots []float64
	if at-spread >= 0 {
		pivots = append(pivots, s.values[at-spread])
	}
	if at+spread < size {
		pivots = append(pivots, s.values[at+spread])
	}
	if len(pivots) == 0 {
		pivots = append(pivots, s.values[min(at, size-1)])
	}
	return pivots
}

// count sets lt[r] and le[r] to the numbers of sums of row r that are < t
// and ≤ t, and returns the numbers of pairs with such sums (i ≤ j when
// sym). The candidates must hold t between the sums they exclude: the
// counts then lie in [lo[r], hi[r]], and the walk goes from hi[r] down.
// Both bounds fall as r grows, so the walk takes O(n + m) steps.
func (s *sumMatrix) count(t float64, lt, le []int) (nlt, nle int) {
	y, lo, hi := s.y, s.lo, s.hi
	qlt, qle := len(y), len(y)
	for r, x := range s.x {
		qle = min(qle, hi[r])
		for qle > lo[r] && x+y[qle-1] > t {
			qle--
		}
		qlt = min(qlt, qle)
		for qlt > lo[r] && x+y[qlt-1] >= t {
			qlt--
		}
		lt[r], le[r] = qlt, qle
		nlt += qlt
		nle += qle
	}
	if s.sym {
		// The diagonal sums x[r] + x[r] rise with r.
		dlt, _ := slices.BinarySearchFunc(s.x, t, func(x, t float64) int { return cmpLT(x+x, t) })
		dle, _ := slices.BinarySearchFunc(s.x, t, func(x, t float64) int { return cmpLE(x+x, t) })
		nlt, nle = (nlt+dlt)/2, (nle+dle)/2
	}
	return nlt, nle
}

// cmpLE orders v against t for a binary search of the first v > t.
func cmpLE(v, t float64) int {
	if v <= t {
		return -1
	}
	return 1
}

// cmpLT orders v against t for a binary search of the first v ≥ t.
func cmpLT(v, t float64) int {
	if v < t {
		return -1
	}
	return 1
}

// midpoint returns the value halfway, in the order of float64 bit
// patterns, between the smallest and the largest candidate.
func (s *sumMatrix) midpoint() float64 {
	least, most := math.Inf(1), math.Inf(-1)
	for r, x := range s.x {
		if s.lo[r] < s.hi[r] {
			least = min(least, x+s.y[s.lo[r]])
			most = max(most, x+s.y[s.hi[r]-1])
		}
	}
	a, b := orderedBits(least), orderedBits(most)
	return fromOrderedBits(a + (b-a)/2)
}

// gathered sorts the candidates (the pairs i ≤ j among them when sym) and
// returns the i-th.
func (s *sumMatrix) gathered(i int) float64 {
	return s.sortedCandidates(0)[i]
}

// sortedCandidates returns the candidates (the pairs i ≤ j among them when
// sym), sorted, in a slice of capacity at least size.
func (s *sumMatrix) sortedCandidates(size int) []float64 {
	v := make([]float64, 0, size)
	for r, x := range s.x {
		from := s.lo[r]
		if s.sym {
			from = max(from, r)
		}
		for _, y := range s.y[from:max(from, s.hi[r])] {
			v = append(v, x+y)
		}
	}
	slices.Sort(v)
	return v
}

// orderedBits maps a float64 to a uint64 in the same order (−0 just below
// +0); fromOrderedBits is its inverse.
func orderedBits(f float64) uint64 {
	b := math.Float64bits(f)
	if b>>63 == 1 {
		return ^b
	}
	return b | 1<<63
}

func fromOrderedBits(u uint64) float64 {
	if u>>63 == 1 {
		return math.Float64frombits(u &^ (1 << 63))
	}
	return math.Float64frombits(^u)
}

// splitmix returns the SplitMix64 output for a state (the states step by
// 0x9e3779b97f4a7c15): the pivots' fixed-seed pseudo-random source.
func splitmix(z uint64) uint64 {
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	return z ^ z>>31
}
