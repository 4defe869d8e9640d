package results

import (
	"reflect"
	"testing"
	"time"
)

func TestTimedResult(t *testing.T) {
	ms := time.Millisecond
	samples := func(r Result) map[string]float64 {
		out := map[string]float64{}
		for _, m := range r.Metrics {
			if len(m.Samples) != 1 || m.Exact || m.Better != SmallerIsBetter {
				t.Errorf("%s: got %+v; want one noisy smaller-is-better sample", m.Name, m)
			}
			out[m.Name] = m.Samples[0]
		}
		return out
	}
	tests := []struct {
		name string
		t    Timing
		want map[string]float64
	}{
		{"a long command", Timing{Wall: 2 * time.Second, User: 1500 * ms, System: 250 * ms, MaxRSSBytes: 1 << 20},
			map[string]float64{MetricWallTime: 2, MetricCPUTime: 1.75, MetricMaxRSS: 1 << 20}},
		// sleep 0.05: about 1 ms of CPU, recorded at the resolution.
		{"under a tick of CPU", Timing{Wall: 51 * ms, User: 1100 * time.Microsecond, MaxRSSBytes: 1 << 20},
			map[string]float64{MetricWallTime: 0.051, MetricCPUTime: CPUTimeResolution.Seconds(), MetricMaxRSS: 1 << 20}},
		{"no CPU time or memory measured", Timing{Wall: time.Second, NoCPU: true},
			map[string]float64{MetricWallTime: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := TimedResult("nap", nil, Hardware{Type: "cpu"}, tt.t)
			if err := r.Validate(); err != nil {
				t.Fatal(err)
			}
			if got := samples(r); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("metrics: got %v; want %v", got, tt.want)
			}
		})
	}
	// Two runs of under a tick each, whatever their microseconds, are one
	// value: scheduler noise below a tick cannot read as a change.
	a := TimedResult("nap", nil, Hardware{Type: "cpu"}, Timing{Wall: ms, User: 900 * time.Microsecond})
	b := TimedResult("nap", nil, Hardware{Type: "cpu"}, Timing{Wall: ms, User: 1600 * time.Microsecond})
	if x, y := a.Metric(MetricCPUTime).Samples[0], b.Metric(MetricCPUTime).Samples[0]; x != y {
		t.Errorf("cpu_time of 0.9 and 1.6 ms: got %g and %g; want equal", x, y)
	}
}
