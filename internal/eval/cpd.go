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
	DetectBenchgate Detector = iota // gate.ChangePoints, benchgate defaults
	DetectOtava                     // gate.ChangePoints with gate.OtavaOptions
	DetectASV                       // asvSteps
	numDetectors
)

var detectorNames = [numDetectors]string{"benchgate", "Otava defaults", "asv-style Potts"}

func (d Detector) String() string { return detectorNames[d] }

// detect returns the change indexes d finds in values.
func (d Detector) detect(values []float64) []int {
	if d == DetectASV {
		return asvSteps(values)
	}
	o := gate.DefaultChangePointOptions()
	if d == DetectOtava {
		o = gate.OtavaOptions()
	}
	var idx []int
	for _, cp := range gate.ChangePoints(values, o).Points {
		idx = append(idx, cp.Index)
	}
	return idx
}

// HistoryNoise generates run-level main-branch values, one per commit.
type HistoryNoise struct {
	Name               string
	CV, AR             float64
	BimodalP, BimodalJ float64
}

func historyModels() []HistoryNoise {
	return []HistoryNoise{
		{Name: "CV 0.5%", CV: 0.005},
		{Name: "CV 1%", CV: 0.01},
		{Name: "CV 2%", CV: 0.02},
		{Name: "CV 5%", CV: 0.05},
		{Name: "AR(1) ρ=0.3, CV 2%", CV: 0.02, AR: 0.3},
		{Name: "bimodal π=0.1 J=5%, CV 1%", CV: 0.01, BimodalP: 0.1, BimodalJ: 0.05},
	}
}

// draw returns n log-scale noise values.
func (h HistoryNoise) draw(r *rand.Rand, n int) []float64 {
	x := make([]float64, n)
	ar := 0.0
	for i := range x {
		e := h.CV * r.NormFloat64()
		if h.AR != 0 {
			ar = h.AR*ar + math.Sqrt(1-h.AR*h.AR)*e
			e = ar
		}
		if h.BimodalP > 0 && r.Float64() < h.BimodalP {
			e += math.Log1p(h.BimodalJ)
		}
		x[i] = e
	}
	return x
}

// Scenario injects known changes into a history.
type Scenario struct {
	Name string
	Len  int
	// inject adds log-scale changes to x and returns the true change
	// indexes (the first changed commit, Otava's convention).
	inject func(r *rand.Rand, x []float64) []int
	// Changes is true when the scenario has true changes to recall.
	Changes bool
}

func addFrom(x []float64, at int, f float64) {
	for i := at; i < len(x); i++ {
		x[i] += math.Log1p(f)
	}
}

func scenarios() []Scenario {
	s := []Scenario{
		{Name: "A/A (no change)", Len: 1000, inject: func(*rand.Rand, []float64) []int { return nil }},
		{Name: "spikes: 10 single commits +20%", Len: 500, inject: func(r *rand.Rand, x []float64) []int {
			for range 10 {
				x[r.IntN(len(x))] += math.Log1p(0.20)
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
	for _, k := range []int{1, 3, 10} {
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
}

// runCPD runs every detector on trials histories of one scenario.
func runCPD(r *rand.Rand, h HistoryNoise, sc Scenario, trials int) CPDCell {
	c := CPDCell{Noise: h, Scenario: sc, Trials: trials}
	var false_ [numDetectors]int
	commits := 0
	for range trials {
		x := h.draw(r, sc.Len)
		truth := sc.inject(r, x)
		values := make([]float64, len(x))
		for i, v := range x {
			values[i] = 100 * math.Exp(v)
		}
		commits += len(values)
		for d := range numDetectors {
			found := d.detect(values)
			for _, t := range truth {
				c.Recall[d].add(slices.ContainsFunc(found, func(f int) bool { return abs(f-t) <= 2 }))
			}
			for _, f := range found {
				hit := slices.ContainsFunc(truth, func(t int) bool { return abs(f-t) <= 2 })
				if sc.Changes {
					c.Precision[d].add(hit)
				}
				if !hit {
					false_[d]++
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
	// ±2 commits (from 3 points), and until a detection with at least 8
	// points; -1 when fewer than half the trials detect it within
	// maxDelay points.
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
		x := h.draw(r, delayAt+maxDelay)
		addFrom(x, delayAt, step)
		values := make([]float64, len(x))
		for i, v := range x {
			values[i] = 100 * math.Exp(v)
		}
		for d := range numDetectors {
			p, cf := maxDelay+1, maxDelay+1
			for k := 3; k <= maxDelay; k++ {
				found := d.detect(values[:delayAt+k])
				if slices.ContainsFunc(found, func(f int) bool { return abs(f-delayAt) <= 2 }) {
					p = min(p, k)
					if k >= 8 {
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
	for d := range numDetectors {
		c.Provisional[d] = medianDelay(prov[d])
		c.Confirmed[d] = medianDelay(conf[d])
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
