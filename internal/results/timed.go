package results

import "time"

// The metrics of a timed command (FormatTime).
const (
	MetricWallTime = "wall_time" // seconds from start to exit
	MetricCPUTime  = "cpu_time"  // user + system seconds of the benchmark's processes, at least CPUTimeResolution
	MetricMaxRSS   = "max_rss"   // the benchmark's peak memory, bytes (see Timing.MaxRSSBytes)
)

// CPUTimeResolution is the resolution of a timed command's cpu_time, one
// tick of the kernel's USER_HZ clock (sysconf(_SC_CLK_TCK) is 100 on every
// mainstream Linux architecture): a run that used less CPU time is recorded
// as using this much.
//
// The CPU time itself is read at microsecond resolution, but below a tick
// it does not measure the command: the kernel samples the user/system
// split at ticks, and, without CONFIG_IRQ_TIME_ACCOUNTING, charges the
// interrupts it serves to whatever process runs. A command that mostly
// waits (sleep 0.05: about 1 ms of CPU, nearly all of it exec and the
// dynamic loader) then moves by tenths of a millisecond with the machine's
// load, which is tens of percent of its value: two separate A/A runs on a
// busy machine were graded a critical regression. Recorded at this
// resolution, any CPU time under a tick is the same value, and a change
// below a tick cannot read as a large relative change.
const CPUTimeResolution = 10 * time.Millisecond

// Timing is what the runner measured of one run of a command.
type Timing struct {
	Wall time.Duration
	// User and System are the CPU time of the benchmark's processes.
	User, System time.Duration
	// NoCPU says that the CPU time was not measured (a benchmark run in a
	// container): TimedResult then has no cpu_time.
	NoCPU bool
	// MaxRSSBytes is the benchmark's own peak memory (cgroup memory.peak,
	// else the process tree's, read through /proc; see the runner); 0 when
	// unknown.
	MaxRSSBytes int64
}

// TimedResult is the result of a command benchmarked by its own run time
// (FormatTime), hyperfine-style: one sample per repetition of its wall time,
// CPU time (at CPUTimeResolution) and peak memory, the latter two when they
// were measured. The command's output is not read.
func TimedResult(name string, params map[string]string, hw Hardware, t Timing) Result {
	r := Result{Name: name, Params: params, Hardware: hw, Metrics: []Metric{
		{Name: MetricWallTime, Unit: "s", Better: SmallerIsBetter, Samples: []float64{t.Wall.Seconds()}},
	}}
	if !t.NoCPU {
		cpu := max(t.User+t.System, CPUTimeResolution)
		r.Metrics = append(r.Metrics, Metric{Name: MetricCPUTime, Unit: "s", Better: SmallerIsBetter, Samples: []float64{cpu.Seconds()}})
	}
	if t.MaxRSSBytes > 0 {
		r.Metrics = append(r.Metrics, Metric{Name: MetricMaxRSS, Unit: "B", Better: SmallerIsBetter, Samples: []float64{float64(t.MaxRSSBytes)}})
	}
	return r
}
