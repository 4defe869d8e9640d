package eval

import (
	"math"
	"math/rand/v2"
	"slices"

	"github.com/benchgate/benchgate/gate"
)

// Detector finds change indexes in a history.
type Detector int

// The change-point detectors compared.
const (
	DetectBenchgate Detector = iota // gate.ChangePointsOf, benchgate defaults
	DetectOtava                     // gate.ChangePoints with gate.OtavaOptions
	DetectASV                       // asvSteps
	DetectRatio                     // github-action-benchmark's 200 % rule
	numDetectors
)

var detectorNames = [numDetectors]string{"benchgate", "Otava defaults", "asv-style Potts", "ratio 200%"}

func (d Detector) String() string { return detectorNames[d] }

// found is one change a detector reports: its index, and whether the
// detector calls it confirmed (benchgate: its re-test; the others: 8 points
// after it, Otava's convention for a settled change).
type found struct {
	index     int
	confirmed bool
}

// detect returns the changes d finds in a history given the samples of each
// commit. benchgate reads the samples; the others read one value per commit
// (the median), as they are fed in practice.
func (d Detector) detect(samples [][]float64) []found {
	if d == DetectBenchgate {
		var out []found
		for _, cp := range gate.ChangePointsOf(samples, gate.DefaultChangePointOptions()).Points {
			out = append(out, found{cp.Index, cp.Confirmed})
		}
		return out
	}
	values := make([]float64, len(samples))
	for i, s := range samples {
		values[i] = gate.Median(s)
	}
	var idx []int
	switch d {
	case DetectASV:
		idx = asvSteps(values)
	case DetectRatio:
		idx = ratioAlerts(values, 2)
	default:
		for _, cp := range gate.ChangePoints(values, gate.OtavaOptions()).Points {
			idx = append(idx, cp.Index)
		}
	}
	out := make([]found, len(idx))
	for k, i := range idx {
		out[k] = found{i, len(values)-i >= 8}
	}
	return out
}

// ratioAlerts is github-action-benchmark's alert rule: a commit whose value
// is at least ratio times the previous commit's (smaller is better).
func ratioAlerts(values []float64, ratio float64) []int {
	var idx []int
	for i := 1; i < len(values); i++ {
		if values[i] >= ratio*values[i-1] {
			idx = append(idx, i)
		}
	}
	return idx
}

// HistoryNoise generates main-branch histories: per commit, Samples
// samples (one when 0).
type HistoryNoise struct {
	Name string
	// CV is the spread of one sample, as a log-scale σ. With one sample per
	// commit it is the commit-to-commit noise.
	CV float64
	// AR is the lag-1 autocorrelation of the commit-level noise.
	AR float64
	// BimodalP of samples are slower by a factor 1 + BimodalJ.
	BimodalP, BimodalJ float64
	// Samples per commit, and with them JobCV, the σ of a per-commit
	// offset shared by its samples (the job's machine).
	Samples int
	JobCV   float64
	// Dups is the share of commits measured by two runs, whose samples
	// benchgate merges into one point.
	Dups float64
}

func historyModels() []HistoryNoise {
	return []HistoryNoise{
		{Name: "CV 0.5%", CV: 0.005},
		{Name: "CV 1%", CV: 0.01},
		{Name: "CV 2%", CV: 0.02},
		{Name: "CV 5%", CV: 0.05},
		{Name: "AR(1) ρ=0.3, CV 2%", CV: 0.02, AR: 0.3},
		{Name: "bimodal π=0.1 J=5%, CV 1%", CV: 0.01, BimodalP: 0.1, BimodalJ: 0.05},
		{Name: "10 samples CV 2%, job 0.5%", CV: 0.02, Samples: 10, JobCV: 0.005},
		{Name: "10 samples CV 5%, job 1%, AR(1) ρ=0.3", CV: 0.05, Samples: 10, JobCV: 0.01, AR: 0.3},
		{Name: "CV 2%, 20% of commits run twice", CV: 0.02, Dups: 0.2},
	}
}

// repeated reports whether h has several samples per commit.
func (h HistoryNoise) repeated() bool { return h.Samples > 1 }

// draw returns the samples of each commit of a history whose log-scale
// level is shift (base value 100).
func (h HistoryNoise) draw(r *rand.Rand, shift []float64) [][]float64 {
	out := make([][]float64, len(shift))
	commitCV := h.CV
	if h.repeated() {
		commitCV = h.JobCV
	}
	ar := 0.0
	for i := range shift {
		e := commitCV * r.NormFloat64()
		if h.AR != 0 {
			ar = h.AR*ar + math.Sqrt(1-h.AR*h.AR)*e
			e = ar
		}
		runs := 1
		if h.Dups > 0 && r.Float64() < h.Dups {
			runs = 2
		}
		for k := range runs * max(h.Samples, 1) {
			x := 4.605170185988092 + shift[i] + e // log(100)
			switch {
			case h.repeated():
				x += h.CV * r.NormFloat64()
			case k > 0: // a second run: its own noise instead of the first's
				x += h.CV*r.NormFloat64() - e
			}
			if h.BimodalP > 0 && r.Float64() < h.BimodalP {
				x += math.Log1p(h.BimodalJ)
			}
			out[i] = append(out[i], math.Exp(x))
		}
	}
	return out
}

// Scenario injects known changes into a history.
type Scenario struct {
	Name string
	Len  int
	// inject adds log-scale changes to the level x and returns the true
	// change indexes (the first changed commit, Otava's convention).
	inject func(r *rand.Rand, x []float64) []int
	// Changes is true when the scenario has true changes to recall.
	Changes bool
	// Outliers is true when the scenario sets failed runs (−97 %) whose
	// neighbourhood (±2 commits) must never hold a reported change.
	Outliers bool
}

func addFrom(x []float64, at int, f float64) {
	for i := at; i < len(x); i++ {
		x[i] += math.Log1p(f)
	}
}

// failedRun records commit i as a failed run measured as a value: −97 %.
func failedRun(x []float64, i int) { x[i] += math.Log(0.03) }

func scenarios() []Scenario {
	s := []Scenario{
		{Name: "A/A (no change)", Len: 1000, inject: func(*rand.Rand, []float64) []int { return nil }},
		{Name: "spikes: 10 single commits +20%", Len: 500, inject: func(r *rand.Rand, x []float64) []int {
			for range 10 {
				x[r.IntN(len(x))] += math.Log1p(0.20)
			}
			return nil
		}},
		{Name: "failed runs: 5 single and 5 pairs at −97%", Len: 500, Outliers: true, inject: func(r *rand.Rand, x []float64) []int {
			for k := range 10 {
				at := 10 + 48*k + r.IntN(20)
				failedRun(x, at)
				if k%2 == 1 {
					failedRun(x, at+1)
				}
			}
			return nil
		}},
		{Name: "ramp 0.1%/commit over 100 commits", Len: 500, inject: func(_ *rand.Rand, x []float64) []int {
			for i := 200; i < len(x); i++ {
				x[i] += math.Log1p(0.001 * float64(min(i-200, 100)))
			}
			return nil
		}},
	}
	for _, d := range []float64{0.01, 0.02, 0.05, 0.10} {
		s = append(s, Scenario{Name: "steps of " + pc(d) + " at 125, 250, 375", Len: 500, Changes: true,
			inject: func(_ *rand.Rand, x []float64) []int {
				addFrom(x, 125, d)
				addFrom(x, 250, -d/(1+d))
				addFrom(x, 375, d)
				return []int{125, 250, 375}
			}})
	}
	s = append(s, Scenario{Name: "steps of 5% beside failed-run pairs", Len: 500, Changes: true, Outliers: true,
		inject: func(_ *rand.Rand, x []float64) []int {
			addFrom(x, 125, 0.05)
			addFrom(x, 250, -0.05/1.05)
			addFrom(x, 375, 0.05)
			for _, at := range []int{122, 252, 376} { // before, just after, right after
				failedRun(x, at)
				failedRun(x, at+1)
			}
			return []int{125, 250, 375}
		}})
	for _, k := range []int{1, 3, 5, 10} {
		s = append(s, Scenario{Name: "step +10% reverted after " + itoa(k), Len: 500, Changes: k >= 3,
			inject: func(_ *rand.Rand, x []float64) []int {
				addFrom(x, 250, 0.10)
				addFrom(x, 250+k, -0.10/1.10)
				if k < 3 {
					return nil
				}
				return []int{250, 250 + k}
			}})
	}
	return s
}

// plateauScenarios are short plateaus whose height is set by the noise:
// k commits at +8σ of the history's commit-level noise, then back.
func plateauScenario(h HistoryNoise, k int) Scenario {
	sigma := h.CV
	if h.repeated() {
		sigma = math.Hypot(h.JobCV, h.CV/math.Sqrt(float64(h.Samples)))
	}
	return Scenario{Name: "plateau of " + itoa(k) + " commits at +8σ", Len: 300, Changes: true,
		inject: func(_ *rand.Rand, x []float64) []int {
			for i := 150; i < 150+k; i++ {
				x[i] += 8 * sigma
			}
			return []int{150, 150 + k}
		}}
}

// CPDCell is the outcome of one history noise and scenario.
type CPDCell struct {
	Noise    HistoryNoise
	Scenario Scenario
	Trials   int
	// Recall counts true changes found within ±2 commits; Precision counts
	// reported changes that match a true one (for scenarios with changes).
	Recall, Precision [numDetectors]Rate
	// Alerts is the number of reported changes per 1,000 commits, counting
	// only reports that match no true change.
	Alerts [numDetectors]float64
	// AtOutliers is the number of reports within ±2 commits of a failed
	// run that match no true change (scenarios with Outliers).
	AtOutliers [numDetectors]int
}

// history draws one history of sc under h: its samples and true changes,
// and the commits of failed runs.
func history(r *rand.Rand, h HistoryNoise, sc Scenario) (samples [][]float64, truth, failed []int) {
	level := make([]float64, sc.Len)
	truth = sc.inject(r, level)
	if sc.Outliers {
		prev := 0.0
		for i, v := range level {
			if i > 0 && v-prev < math.Log(0.1) || i+1 < len(level) && level[i+1]-v > -math.Log(0.1) {
				failed = append(failed, i)
			}
			prev = v
		}
	}
	return h.draw(r, level), truth, failed
}

func near(xs []int, i int) bool {
	return slices.ContainsFunc(xs, func(x int) bool { return abs(x-i) <= 2 })
}

// runCPD runs every detector on trials histories of one scenario.
func runCPD(r *rand.Rand, h HistoryNoise, sc Scenario, trials int) CPDCell {
	c := CPDCell{Noise: h, Scenario: sc, Trials: trials}
	var false_ [numDetectors]int
	commits := 0
	for range trials {
		samples, truth, failed := history(r, h, sc)
		commits += len(samples)
		for d := range numDetectors {
			var idx []int
			for _, f := range d.detect(samples) {
				idx = append(idx, f.index)
			}
			for _, t := range truth {
				c.Recall[d].add(near(idx, t))
			}
			for _, f := range idx {
				hit := near(truth, f)
				if sc.Changes {
					c.Precision[d].add(hit)
				}
				if !hit {
					false_[d]++
					if near(failed, f) {
						c.AtOutliers[d]++
					}
				}
			}
		}
	}
	for d := range numDetectors {
		c.Alerts[d] = 1000 * float64(false_[d]) / float64(commits)
	}
	return c
}

// DelayCell is the detection delay of one step size at one noise.
type DelayCell struct {
	Noise  HistoryNoise
	Step   float64
	Trials int
	// Provisional and Confirmed are the median numbers of points after a
	// step (the step's commit included) until the first detection within
	// ±2 commits, and until a confirmed one; -1 when fewer than half the
	// trials detect it within maxDelay points.
	Provisional, Confirmed [numDetectors]int
	Found                  [numDetectors]Rate // confirmed within maxDelay
}

const (
	delayAt  = 200
	maxDelay = 30
)

// runDelay measures detection delays of a single step at commit 200, by
// running each detector on the history as it grows after the step.
func runDelay(r *rand.Rand, h HistoryNoise, step float64, trials int) DelayCell {
	c := DelayCell{Noise: h, Step: step, Trials: trials}
	var prov, conf [numDetectors][]int
	for range trials {
		level := make([]float64, delayAt+maxDelay)
		addFrom(level, delayAt, step)
		samples := h.draw(r, level)
		for d := range DetectRatio {
			p, cf := maxDelay+1, maxDelay+1
			for k := 1; k <= maxDelay; k++ {
				hits := slices.DeleteFunc(d.detect(samples[:delayAt+k]), func(f found) bool { return abs(f.index-delayAt) > 2 })
				if len(hits) > 0 {
					p = min(p, k)
					if slices.ContainsFunc(hits, func(f found) bool { return f.confirmed }) {
						cf = k
						break
					}
				}
			}
			prov[d] = append(prov[d], p)
			conf[d] = append(conf[d], cf)
			c.Found[d].add(cf <= maxDelay)
		}
	}
	for d := range DetectRatio {
		c.Provisional[d] = medianDelay(prov[d])
		c.Confirmed[d] = medianDelay(conf[d])
	}
	return c
}

// FlipCell measures whether confirmed changes stay confirmed: the history
// is analysed as it grows (every 20 commits from 60), and each change
// confirmed at some point is looked up in the analysis of the whole
// history.
type FlipCell struct {
	Noise  HistoryNoise
	Trials int
	// Confirmed counts the distinct changes (by suspect range) confirmed in
	// some growing analysis; Flipped those that the final analysis no
	// longer confirms with an overlapping suspect range. Spurious counts
	// the confirmed changes more than 2 commits from a true change.
	Confirmed, Flipped, Spurious int
}

// Share returns the share of confirmed changes that flipped.
func (c FlipCell) Share() Rate { return Rate{K: c.Flipped, N: c.Confirmed} }

func runFlip(r *rand.Rand, h HistoryNoise, trials int) FlipCell {
	c := FlipCell{Noise: h, Trials: trials}
	for range trials {
		level := make([]float64, 400)
		addFrom(level, 100, 0.05)
		addFrom(level, 200, -0.05/1.05)
		addFrom(level, 300, 0.10)
		truth := []int{100, 200, 300}
		samples := h.draw(r, level)
		var seen []gate.ChangePoint
		for n := 60; n < len(samples); n += 20 {
			for _, cp := range gate.ChangePointsOf(samples[:n], gate.DefaultChangePointOptions()).Points {
				if cp.Confirmed && !slices.ContainsFunc(seen, func(s gate.ChangePoint) bool { return overlap(s, cp) }) {
					seen = append(seen, cp)
				}
			}
		}
		var final []gate.ChangePoint
		for _, cp := range gate.ChangePointsOf(samples, gate.DefaultChangePointOptions()).Points {
			if cp.Confirmed {
				final = append(final, cp)
			}
		}
		for _, s := range seen {
			c.Confirmed++
			if !slices.ContainsFunc(final, func(f gate.ChangePoint) bool { return overlap(s, f) }) {
				c.Flipped++
			}
			if !near(truth, s.Index) {
				c.Spurious++
			}
		}
	}
	return c
}

// overlap reports whether two change points' suspect ranges (after From,
// up to To) share a commit.
func overlap(a, b gate.ChangePoint) bool { return max(a.From, b.From) < min(a.To, b.To) }

// GroupCell measures grouping by commit on two series of one history: a
// measures every commit, b starts at commit 100 and measures every other
// commit. Both change +10 % at commit 251 (one alert); a alone at 300 and
// b alone at 320 (two alerts).
type GroupCell struct {
	Noise  HistoryNoise
	Trials int
	// Together is the share of trials, among those where both series'
	// changes at 251 were found, in which they form one group; Apart the
	// share, among those where the changes at 300 and 320 were found, in
	// which they are separate.
	Together, Apart Rate
}

func runGroup(r *rand.Rand, h HistoryNoise, trials int) GroupCell {
	c := GroupCell{Noise: h, Trials: trials}
	for range trials {
		level := make([]float64, 400)
		addFrom(level, 251, 0.10)
		la, lb := slices.Clone(level), slices.Clone(level)
		addFrom(la, 300, 0.10)
		addFrom(lb, 320, 0.10)
		a := h.draw(r, la)
		all := h.draw(r, lb)
		var b [][]float64
		var pb []int
		for i := 100; i < len(all); i += 2 {
			b = append(b, all[i])
			pb = append(pb, i)
		}
		pa := make([]int, len(a))
		for i := range pa {
			pa[i] = i
		}
		groups := gate.GroupChangePoints([]gate.SeriesChanges{
			{Key: "a", Positions: pa, Points: gate.ChangePointsOf(a, gate.DefaultChangePointOptions()).Points},
			{Key: "b", Positions: pb, Points: gate.ChangePointsOf(b, gate.DefaultChangePointOptions()).Points},
		})
		// member returns the group holding key's change near commit at.
		member := func(key string, at int) int {
			for gi, g := range groups {
				for k, m := range g.Keys {
					pos := pa
					if m == "b" {
						pos = pb
					}
					if m == key && abs(pos[g.Points[k].Index]-at) <= 2 {
						return gi
					}
				}
			}
			return -1
		}
		if ga, gb := member("a", 251), member("b", 251); ga >= 0 && gb >= 0 {
			c.Together.add(ga == gb)
		}
		if ga, gb := member("a", 300), member("b", 320); ga >= 0 && gb >= 0 {
			c.Apart.add(ga != gb)
		}
	}
	return c
}

// medianDelay returns the median of delays, or -1 when it is beyond maxDelay.
func medianDelay(v []int) int {
	slices.Sort(v)
	m := v[(len(v)-1)/2]
	if m > maxDelay {
		return -1
	}
	return m
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
