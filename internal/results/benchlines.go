package results

import (
	"bytes"
	"io"
	"slices"
)

// maxLineBytes caps the lines handed to benchfmt, whose bufio.Scanner stops
// with an error at a line over 64 KiB; such a line is more likely a test's
// log than a benchmark result, and must not lose the whole file.
const maxLineBytes = 60 << 10

// lineFilter passes a stream to benchfmt, cutting lines to maxLineBytes, and
// records which lines start with "Benchmark" (so that a
// benchfmt.SyntaxError on a benchmark line can be told from one on a unit
// metadata line) and which were cut. Lines are split at '\n', as
// bufio.ScanLines splits them for benchfmt, so line numbers agree. What it
// keeps of the benchmark lines is bounded by forget; the cut lines (at most
// one per 60 KiB of input) are kept.
type lineFilter struct {
	r       io.Reader
	line    int    // 1-based number of the current line
	n       int    // bytes of the current line so far
	prefix  []byte // the line's first bytes, while they may still match
	decided bool   // whether the current line is classified
	bench   []int  // ascending numbers of the lines starting with "Benchmark", from the first not forgotten
	long    []longLine
}

// longLine is a line that was cut.
type longLine struct {
	line  int
	bench bool // it starts with "Benchmark"
}

var benchmarkPrefix = []byte("Benchmark")

func newLineFilter(r io.Reader) *lineFilter {
	return &lineFilter{r: r, line: 1}
}

// Read reads from the underlying reader and filters in place.
func (x *lineFilter) Read(p []byte) (int, error) {
	for {
		n, err := x.r.Read(p)
		kept := x.filter(p[:n])
		if kept > 0 || n == 0 || err != nil {
			return kept, err
		}
		// Everything read was cut: read on rather than return 0, nil.
	}
}

// filter classifies the bytes of p and drops those past maxLineBytes of
// their line, compacting p; it returns how many bytes remain.
func (x *lineFilter) filter(p []byte) int {
	w := 0
	for _, c := range p {
		if c == '\n' {
			x.line++
			x.n = 0
			x.prefix, x.decided = x.prefix[:0], false
			p[w] = c
			w++
			continue
		}
		x.n++
		if x.n > maxLineBytes {
			if x.n == maxLineBytes+1 {
				bench := len(x.bench) > 0 && x.bench[len(x.bench)-1] == x.line
				x.long = append(x.long, longLine{x.line, bench})
			}
			continue
		}
		p[w] = c
		w++
		if x.decided {
			continue
		}
		x.prefix = append(x.prefix, c)
		switch {
		case !bytes.HasPrefix(benchmarkPrefix, x.prefix):
			x.decided = true
		case len(x.prefix) == len(benchmarkPrefix):
			x.bench = append(x.bench, x.line)
			x.decided = true
		}
	}
	return w
}

// isBenchmark reports whether line n, not forgotten, started with
// "Benchmark".
func (x *lineFilter) isBenchmark(n int) bool {
	_, ok := slices.BinarySearch(x.bench, n)
	return ok
}

// forget drops what isBenchmark knows of the lines before line n: benchfmt
// reports lines in order, so the caller is done with them once it has a
// record of line n.
func (x *lineFilter) forget(n int) {
	i, _ := slices.BinarySearch(x.bench, n)
	x.bench = x.bench[i:]
}

// isLong reports whether line n was cut.
func (x *lineFilter) isLong(n int) bool {
	_, ok := slices.BinarySearchFunc(x.long, n, func(l longLine, n int) int { return l.line - n })
	return ok
}
