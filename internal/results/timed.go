package results

import "time"

// The metrics of a timed command (FormatTime).
const (
	MetricWallTime = "wall_time" // seconds from start to exit
	MetricCPUTime  = "cpu_time"  // user + system seconds of the process and its waited-for children
	MetricMaxRSS   = "max_rss"   // the kernel's peak resident set size, bytes
)

// Timing is what the runner measured of one run of a command.
type Timing struct {
	Wall, User, System time.Duration
	MaxRSSBytes        int64
}

// TimedResult is the result of a command benchmarked by its own run time
// (FormatTime), hyperfine-style: one sample per repetition of its wall time,
// CPU time and peak RSS. The command's output is not read.
func TimedResult(name string, params map[string]string, hw Hardware, t Timing) Result {
	r := Result{Name: name, Params: params, Hardware: hw, Metrics: []Metric{
		{Name: MetricWallTime, Unit: "s", Better: SmallerIsBetter, Samples: []float64{t.Wall.Seconds()}},
		{Name: MetricCPUTime, Unit: "s", Better: SmallerIsBetter, Samples: []float64{(t.User + t.System).Seconds()}},
	}}
	if t.MaxRSSBytes > 0 {
		r.Metrics = append(r.Metrics, Metric{Name: MetricMaxRSS, Unit: "B", Better: SmallerIsBetter, Samples: []float64{float64(t.MaxRSSBytes)}})
	}
	return r
}
