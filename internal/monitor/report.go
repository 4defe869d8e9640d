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
	// PeakRSSBytes is the largest tree RSS sampled, or the kernel's maximum
	// RSS of the process when that is larger.
	PeakRSSBytes int64 `json:"peak_rss_bytes"`
	// MeanCPUPercent is the mean of the samples' CPUPercent (the first
	// sample excluded: it has no previous one).
	MeanCPUPercent float64 `json:"mean_cpu_percent"`
	// GPUs are the device indexes attributed to the benchmark (see the
	// package doc); GPUsByProcess says whether NVML showed a tree process
	// on them, rather than Options.GPUs or "all" being used.
	GPUs          []int `json:"gpus,omitempty"`
	GPUsByProcess bool  `json:"gpus_by_process,omitempty"`
	// The GPU summaries are nil without GPU readings (no NVML, or power not
	// supported).
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

// report summarises the samples.
func (m *Monitor) report(maxRSS int64, elapsed time.Duration) Report {
	r := Report{Interval: m.opts.Interval, Duration: elapsed, Samples: m.samples, PeakRSSBytes: maxRSS, GPUErrors: m.gpuErrs}
	var cpu float64
	for i, s := range m.samples {
		r.PeakRSSBytes = max(r.PeakRSSBytes, s.RSSBytes)
		if i > 0 {
			cpu += s.CPUPercent
		}
	}
	if len(m.samples) > 1 {
		r.MeanCPUPercent = cpu / float64(len(m.samples)-1)
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
			times = append(times, s.Time.Seconds())
			powers = append(powers, power)
		}
	}
	if len(powers) > 0 {
		e := Energy(times, powers, elapsed.Seconds())
		r.EnergyJoules = &e
		sum := 0.0
		for _, p := range powers {
			sum += p
		}
		r.AvgPowerWatts = ptr(sum / float64(len(powers)))
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

// Energy integrates power readings (watts at times in seconds, ascending)
// over [0, end] by the trapezoid rule, holding the first reading back to 0
// and the last one up to end. It returns joules; 0 for no readings.
func Energy(times, watts []float64, end float64) float64 {
	if len(times) == 0 {
		return 0
	}
	e := watts[0] * max(times[0], 0)
	for i := 1; i < len(times); i++ {
		e += (watts[i] + watts[i-1]) / 2 * (times[i] - times[i-1])
	}
	if last := times[len(times)-1]; end > last {
		e += watts[len(watts)-1] * (end - last)
	}
	return e
}

func ptr[T any](v T) *T { return &v }
