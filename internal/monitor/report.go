package monitor

import (
	"slices"
	"time"
)

// Report is what a Monitor saw.
type Report struct {
	Interval time.Duration `json:"interval"`
	Duration time.Duration `json:"duration"`
	Samples  []Sample      `json:"samples"`
	// PeakRSSBytes is the largest tree RSS sampled, or the benchmark's
	// peak memory as the runner measured it (Final.PeakMemoryBytes) when
	// that is larger.
	PeakRSSBytes int64 `json:"peak_rss_bytes"`
	// CPUSeconds is the CPU time of the run: Final.CPUTime when the caller
	// measured it, else what the samples saw (from the first sample to the
	// last).
	CPUSeconds float64 `json:"cpu_seconds"`
	// MeanCPUPercent is CPU time over wall time, 100 = one core: CPUSeconds
	// over Duration when CPUSeconds is Final.CPUTime, else over the time
	// from the first sample to the last. It is a ratio of totals, never a
	// mean of the samples' percentages (which over short intervals of
	// uneven length, with CPU time counted in clock ticks, is biased and
	// can exceed the machine's CPUs), so it is at most 100 × CPUs, up to
	// the resolution of the CPU time (one clock tick per process when it
	// comes from /proc).
	MeanCPUPercent float64 `json:"mean_cpu_percent"`
	// CPUs is how many CPUs the tree's root process may run on (its
	// affinity); 0 when unknown.
	CPUs int `json:"cpus,omitempty"`
	// GPUs are the device indexes attributed to the benchmark (see the
	// package doc); GPUsByProcess says whether NVML showed a tree process
	// on them, rather than Options.GPUs or "all" being used.
	GPUs          []int `json:"gpus,omitempty"`
	GPUsByProcess bool  `json:"gpus_by_process,omitempty"`
	// The GPU summaries are nil without GPU readings (no NVML, or power not
	// supported). AvgPowerWatts is EnergyJoules over Duration: the
	// time-weighted mean, which a plain mean of the readings is not when
	// the samples are unevenly spaced.
	PeakGPUMemoryMB *float64 `json:"peak_gpu_memory_mb,omitempty"` // of the used GPUs together
	AvgPowerWatts   *float64 `json:"avg_power_watts,omitempty"`    // of the used GPUs together
	EnergyJoules    *float64 `json:"energy_joules,omitempty"`
	MaxTemperatureC *float64 `json:"max_temperature_c,omitempty"`
	// ThrottleReasons is every throttle reason seen on a used GPU other
	// than gpu_idle, in first-seen order.
	ThrottleReasons []string `json:"throttle_reasons,omitempty"`
	// GPUErrors are the distinct NVML errors met while sampling ("GPU is
	// lost" when a device disappears mid-run).
	GPUErrors []string `json:"gpu_errors,omitempty"`
}

// report summarises the samples with what the caller measured; f.Elapsed
// is set.
func (m *Monitor) report(f Final) Report {
	r := Report{Interval: m.opts.Interval, Duration: f.Elapsed, Samples: m.samples, PeakRSSBytes: f.PeakMemoryBytes,
		CPUs: m.cpus, GPUErrors: m.gpuErrs}
	for _, s := range m.samples {
		r.PeakRSSBytes = max(r.PeakRSSBytes, s.RSSBytes)
	}
	switch n := len(m.samples); {
	case f.CPUTime > 0:
		r.CPUSeconds = f.CPUTime.Seconds()
		r.MeanCPUPercent = 100 * r.CPUSeconds / f.Elapsed.Seconds()
	case n > 1:
		r.CPUSeconds = m.samples[n-1].CPUSeconds
		if w := (m.samples[n-1].Time - m.samples[0].Time).Seconds(); w > 0 {
			r.MeanCPUPercent = 100 * r.CPUSeconds / w
		}
	}
	if m.opts.NVML == nil || m.devices == 0 {
		return r
	}
	r.GPUs, r.GPUsByProcess = m.usedGPUs()
	var (
		times  []float64
		powers []float64
	)
	for _, s := range m.samples {
		var mem, power float64
		var haveMem, havePower bool
		for _, g := range s.GPUs {
			if !slices.Contains(r.GPUs, g.Index) {
				continue
			}
			if g.MemoryUsedMB != nil {
				mem, haveMem = mem+*g.MemoryUsedMB, true
			}
			if g.PowerWatts != nil {
				power, havePower = power+*g.PowerWatts, true
			}
			if g.TemperatureC != nil && (r.MaxTemperatureC == nil || *g.TemperatureC > *r.MaxTemperatureC) {
				r.MaxTemperatureC = ptr(*g.TemperatureC)
			}
			for _, t := range g.ThrottleReasons {
				if t != "gpu_idle" && !slices.Contains(r.ThrottleReasons, t) {
					r.ThrottleReasons = append(r.ThrottleReasons, t)
				}
			}
		}
		if haveMem && (r.PeakGPUMemoryMB == nil || mem > *r.PeakGPUMemoryMB) {
			r.PeakGPUMemoryMB = ptr(mem)
		}
		if havePower {
			times = append(times, s.GPUTime.Seconds())
			powers = append(powers, power)
		}
	}
	if len(powers) > 0 {
		end := f.Elapsed.Seconds()
		e := Energy(times, powers, end)
		r.EnergyJoules = &e
		if end > 0 {
			r.AvgPowerWatts = ptr(e / end)
		} else {
			r.AvgPowerWatts = ptr(powers[0])
		}
	}
	return r
}

// usedGPUs returns the devices attributed to the benchmark, and whether
// they were found by process.
func (m *Monitor) usedGPUs() ([]int, bool) {
	var out []int
	for i := range m.devices {
		if m.gpuPIDs[i] {
			out = append(out, i)
		}
	}
	if len(out) > 0 {
		return out, true
	}
	if m.opts.GPUs != nil {
		return slices.Clone(m.opts.GPUs), false
	}
	for i := range m.devices {
		out = append(out, i)
	}
	return out, false
}

// Energy integrates power readings over a run: watts[i] read at times[i]
// (seconds since the run's start, ascending), joined linearly between
// readings (the trapezoid rule over the actual reading times, however
// uneven), the first reading held back to 0 and the last one up to end, and
// the whole integrated over [0, end] only: a reading taken after the run
// ended counts only up to end. It returns joules; 0 for no readings or
// end ≤ 0.
func Energy(times, watts []float64, end float64) float64 {
	if len(times) == 0 || end <= 0 {
		return 0
	}
	// seg integrates the line from (t0, w0) to (t1, w1) over [t0, t1] ∩ [0, end].
	seg := func(t0, w0, t1, w1 float64) float64 {
		a, b := max(t0, 0), min(t1, end)
		if b <= a {
			return 0
		}
		at := func(t float64) float64 {
			if t1 == t0 {
				return w0
			}
			return w0 + (w1-w0)*(t-t0)/(t1-t0)
		}
		return (at(a) + at(b)) / 2 * (b - a)
	}
	n := len(times)
	e := seg(0, watts[0], times[0], watts[0])
	for i := 1; i < n; i++ {
		e += seg(times[i-1], watts[i-1], times[i], watts[i])
	}
	return e + seg(times[n-1], watts[n-1], end, watts[n-1])
}

func ptr[T any](v T) *T { return &v }
