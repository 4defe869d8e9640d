package eval

import (
	"cmp"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"slices"
	"strings"

	"github.com/benchgate/benchgate/gate"
	"github.com/benchgate/benchgate/internal/results"
)

// RealSeries is one series of a real main-branch history: one value per
// commit, oldest first.
type RealSeries struct {
	Name   string // benchmark [params] metric
	Values []float64
	Bigger bool // bigger is better
	Exact  bool
}

// RealSeriesOf returns the series of a github-action-benchmark history with
// at least minPoints points: per suite, benchmark and metric, the first
// sample of each entry, in file order. Exact metrics (allocations, sizes)
// are left out: their changes are never noise.
func RealSeriesOf(h results.GABHistory, minPoints int) []RealSeries {
	byName := map[string]*RealSeries{}
	var order []string
	for _, e := range h.Entries {
		for _, r := range e.Results {
			for _, m := range r.Metrics {
				if m.Exact || len(m.Samples) == 0 || !(m.Samples[0] > 0) {
					continue
				}
				name := e.Suite + ": " + r.Name
				if p := results.FormatParams(r.Params); p != "" {
					name += " [" + p + "]"
				}
				name += " " + m.Name
				s := byName[name]
				if s == nil {
					s = &RealSeries{Name: name, Bigger: m.Better == results.BiggerIsBetter}
					byName[name] = s
					order = append(order, name)
				}
				s.Values = append(s.Values, m.Samples[0])
			}
		}
	}
	var out []RealSeries
	for _, name := range order {
		if s := byName[name]; len(s.Values) >= minPoints {
			out = append(out, *s)
		}
	}
	return out
}

// RealCell is the recall of steps injected into real series, in the worse
// direction, at random commits: a step is found when a change is reported
// within ±2 commits of it and the untouched series had none there.
type RealCell struct {
	Source  string
	Series  int
	Points  int
	Step    float64
	Recall  [2]Rate // benchgate, Otava defaults
	Untouch [2]int  // change points found in the untouched series
	Outlier int     // points benchgate set aside in the untouched series
}

// RunReal injects steps of 5, 10 and 20 % into each series trials times
// (seeded) and measures benchgate's and Otava's recall.
func RunReal(source string, series []RealSeries, seed uint64, trials int) []RealCell {
	r := rand.New(rand.NewPCG(seed, 0x7ea1))
	var cells []RealCell
	points := 0
	for _, s := range series {
		points += len(s.Values)
	}
	base := make([][2][]int, len(series))
	var untouched [2]int
	outliers := 0
	for i, s := range series {
		for d := range 2 {
			base[i][d] = realDetect(Detector(d), s.Values)
			untouched[d] += len(base[i][d])
		}
		outliers += len(gate.ChangePoints(s.Values, gate.DefaultChangePointOptions()).Outliers)
	}
	for _, step := range []float64{0.05, 0.10, 0.20} {
		c := RealCell{Source: source, Series: len(series), Points: points, Step: step, Untouch: untouched, Outlier: outliers}
		for i, s := range series {
			n := len(s.Values)
			for range trials {
				at := 10 + r.IntN(max(n-20, 1))
				if near(base[i][0], at) || near(base[i][1], at) {
					continue
				}
				v := slices.Clone(s.Values)
				f := 1 + step
				if s.Bigger {
					f = 1 / f
				}
				for k := at; k < n; k++ {
					v[k] *= f
				}
				for d := range 2 {
					c.Recall[d].add(near(realDetect(Detector(d), v), at))
				}
			}
		}
		cells = append(cells, c)
	}
	return cells
}

// realDetect returns the change indexes d finds in one value per commit.
func realDetect(d Detector, values []float64) []int {
	samples := make([][]float64, len(values))
	for i := range values {
		samples[i] = values[i : i+1]
	}
	var idx []int
	for _, f := range d.detect(samples) {
		idx = append(idx, f.index)
	}
	return idx
}

// RealMarkdown writes the real-history section for cells.
func RealMarkdown(w io.Writer, cells []RealCell) error {
	var b strings.Builder
	b.WriteString("\n## Steps injected into real histories\n\n")
	b.WriteString("Each series of a real github-action-benchmark history (exact metrics left out) gets a step in its worse direction at a random commit; a step is found when a change is reported within ±2 commits of it and the untouched series had none there. The untouched columns count the change points each detector reports on the real series as they are (their truth is unknown).\n\n")
	b.WriteString("| history | series | points | step | recall: benchgate | Otava defaults | untouched changes: benchgate | Otava | outliers set aside |\n|---|--:|--:|--:|--:|--:|--:|--:|--:|\n")
	slices.SortStableFunc(cells, func(a, b RealCell) int {
		return cmp.Or(strings.Compare(a.Source, b.Source), cmp.Compare(a.Step, b.Step))
	})
	for _, c := range cells {
		fmt.Fprintf(&b, "| %s | %d | %d | %s | %s | %s | %d | %d | %d |\n", c.Source, c.Series, c.Points, sd(c.Step),
			c.Recall[0], c.Recall[1], c.Untouch[0], c.Untouch[1], c.Outlier)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// RealFiles reads github-action-benchmark histories (data.js or its JSON)
// and runs RunReal on the series of each with at least 25 points.
func RealFiles(paths []string, seed uint64, trials int) ([]RealCell, error) {
	var cells []RealCell
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return nil, fmt.Errorf("reading history: %w", err)
		}
		h, err := results.ReadGABHistory(f, p)
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("reading history %s: %w", p, err)
		}
		series := RealSeriesOf(h, 25)
		if len(series) == 0 {
			return nil, fmt.Errorf("history %s: no series with 25 points or more", p)
		}
		name := h.RepoURL
		if name == "" {
			name = p
		}
		cells = append(cells, RunReal(strings.TrimPrefix(name, "https://github.com/"), series, seed, trials)...)
	}
	return cells, nil
}
