package gate_test

import (
	"fmt"
	"strings"

	"github.com/benchgate/benchgate/gate"
)

// A latency that rose by about 8 % in every run is a regression.
func ExampleCompare_regression() {
	base := []float64{12.1, 12.3, 11.9, 12.0, 12.2, 12.4, 12.0, 12.1, 11.8, 12.2} // ms
	head := []float64{13.1, 13.2, 12.9, 13.0, 13.3, 13.1, 12.8, 13.2, 13.0, 13.1}
	c := gate.Compare(base, head, gate.SmallerIsBetter, false, gate.DefaultPolicy)
	fmt.Printf("%v: %+.1f%% [%+.1f%%, %+.1f%%] p=%.3f\n", c.Verdict, 100*c.Change, 100*c.Low, 100*c.High, c.P)
	// Output:
	// regressed: +8.3% [+6.6%, +9.2%] p=0.000
}

// Two sets of runs of the same code differ only by noise.
func ExampleCompare_noise() {
	base := []float64{12.1, 12.3, 11.9, 12.0, 12.2, 12.4, 12.0, 12.1, 11.8, 12.2}
	head := []float64{12.0, 12.2, 12.3, 11.9, 12.1, 12.2, 12.0, 12.4, 11.9, 12.1}
	c := gate.Compare(base, head, gate.SmallerIsBetter, false, gate.DefaultPolicy)
	fmt.Printf("%v: %+.1f%% p=%.3f\n", c.Verdict, 100*c.Change, c.P)
	// Output:
	// unchanged: +0.0% p=0.481
}

// For throughput, bigger is better: a rise is an improvement.
func ExampleCompare_throughputImprovement() {
	base := []float64{410, 402, 415, 408, 399, 412, 405, 409} // tokens/s
	head := []float64{452, 447, 460, 449, 455, 444, 458, 451}
	c := gate.Compare(base, head, gate.BiggerIsBetter, false, gate.DefaultPolicy)
	fmt.Printf("%v: %+.1f%% (worsening %+.1f%%)\n", c.Verdict, 100*c.Change, 100*c.Worsening())
	// Output:
	// improved: +10.5% (worsening -10.5%)
}

// CompareAll gives one outcome per series, sorted by key, and a headline.
func ExampleCompareAll() {
	s := gate.CompareAll([]gate.Series{
		{Key: "resnet50/cuda/bs8/latency", Better: gate.SmallerIsBetter,
			Base: []float64{5.1, 5.0, 5.2, 5.1, 5.0}, Head: []float64{5.6, 5.7, 5.5, 5.6, 5.8}},
		{Key: "resnet50/cuda/bs8/peak-memory", Better: gate.SmallerIsBetter, Exact: true,
			Base: []float64{2048}, Head: []float64{2048}},
		{Key: "bert/cpu/bs1/throughput", Better: gate.BiggerIsBetter,
			Base: []float64{90, 91, 89}, Head: []float64{80, 81, 79}},
	})
	for _, o := range s.Outcomes {
		fmt.Printf("%-30s %v\n", o.Key, o.Verdict)
	}
	fmt.Println("verdict:", s.Verdict)
	// Output:
	// bert/cpu/bs1/throughput        inconclusive
	// resnet50/cuda/bs8/latency      regressed
	// resnet50/cuda/bs8/peak-memory  unchanged
	// verdict: regressed
}

// Severity grades a regression by the lower confidence bound of the
// worsening; the Reason says why, and a pass shows the minimum detectable
// effect.
func ExampleCompare_severity() {
	base := []float64{12.1, 12.3, 11.9, 12.0, 12.2, 12.4, 12.0, 12.1, 11.8, 12.2}
	for _, f := range []float64{1.00, 1.03, 1.12, 1.40} {
		head := make([]float64, len(base))
		for i, v := range base {
			head[i] = v * f * (1 + 0.002*float64(i%3-1))
		}
		c := gate.Compare(base, head, gate.SmallerIsBetter, false, gate.DefaultPolicy)
		fmt.Println(strings.TrimSpace(fmt.Sprintf("%+.0f%%: %v (MDE %.1f%%) %s", 100*(f-1), c.Severity, 100*c.MDE, c.Reason)))
	}
	// Output:
	// +0%: none (MDE 2.0%)
	// +3%: minor (MDE 2.0%) significant and ≥ floor +1.0%; lower bound +1.1% < major +5.0%
	// +12%: major (MDE 2.0%) lower bound +9.9% ≥ major +5.0%
	// +40%: critical (MDE 2.0%) lower bound +37.4% ≥ critical +20.0%
}

// A history of one value per main commit: the change point, then the noise
// of the current segment.
func ExampleChangePoints() {
	history := []float64{}
	for i := range 60 {
		v := 100 + float64(i%5)*0.4 // ±1 % pattern
		if i >= 40 {
			v *= 1.06
		}
		history = append(history, v)
	}
	ch := gate.ChangePoints(history, gate.ChangePointOptions{})
	for _, cp := range ch.Points {
		fmt.Printf("change at %d: %+.1f%% (p=%.2g, confirmed %v)\n", cp.Index, 100*cp.Magnitude, cp.P, cp.Confirmed)
	}
	n := gate.NoiseOf(gate.Segment(history, ch.Points))
	fmt.Printf("current segment: %d points\n", n.N)
	// Output:
	// change at 40: +6.0% (p=0, confirmed true)
	// current segment: 20 points
}
