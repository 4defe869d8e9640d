package runner

import (
	"strconv"
	"strings"

	"github.com/benchgate/benchgate/internal/monitor"
	"github.com/benchgate/benchgate/internal/results"
)

// ResourceSummary is what the monitor derived for one run: the values
// added to its result, kept in the status file so that --resume can add
// them again.
type ResourceSummary struct {
	PeakRSSBytes    int64    `json:"peak_rss_bytes"`
	MeanCPUPercent  float64  `json:"mean_cpu_percent"`
	AvgPowerWatts   *float64 `json:"avg_power_watts,omitempty"`
	EnergyJoules    *float64 `json:"energy_joules,omitempty"`
	PeakGPUMemoryMB *float64 `json:"peak_gpu_memory_mb,omitempty"`
	GPUs            []int    `json:"gpus,omitempty"`
	ThrottleReasons []string `json:"throttle_reasons,omitempty"`
	GPUErrors       []string `json:"gpu_errors,omitempty"`
	Samples         int      `json:"samples"`
}

// summarize returns the summary of a monitor report.
func summarize(r *monitor.Report) *ResourceSummary {
	if r == nil {
		return nil
	}
	return &ResourceSummary{
		PeakRSSBytes: r.PeakRSSBytes, MeanCPUPercent: r.MeanCPUPercent, AvgPowerWatts: r.AvgPowerWatts,
		EnergyJoules: r.EnergyJoules, PeakGPUMemoryMB: r.PeakGPUMemoryMB, GPUs: r.GPUs,
		ThrottleReasons: r.ThrottleReasons, GPUErrors: r.GPUErrors, Samples: len(r.Samples),
	}
}

// derive adds the monitor's measurements to a run's result as metrics the
// harness did not report itself: memory_peak (the process tree's peak RSS),
// power (average power of the benchmark's GPUs), energy (joules over the
// whole process run) and energy_efficiency (throughput / average power,
// items per joule). A harness's own value always wins.
//
// Note: only a run that gave exactly one result is enriched. A process that
// reports several benchmarks (go test -bench) ran them all under one
// measurement, which cannot be split between them.
func derive(rs []results.Result, s *ResourceSummary) {
	if s == nil || len(rs) != 1 {
		return
	}
	r := &rs[0]
	add := func(name, unit string, better results.Direction, x float64) {
		if r.Metric(name) == nil {
			r.Metrics = append(r.Metrics, results.Metric{Name: name, Unit: unit, Better: better, Samples: []float64{x}})
		}
	}
	if s.PeakRSSBytes > 0 {
		add(results.MetricMemoryPeak, "B", results.SmallerIsBetter, float64(s.PeakRSSBytes))
	}
	if s.AvgPowerWatts != nil {
		add(results.MetricPower, "W", results.SmallerIsBetter, *s.AvgPowerWatts)
	}
	if s.EnergyJoules != nil {
		add(results.MetricEnergy, "J", results.SmallerIsBetter, *s.EnergyJoules)
	}
	if t := r.Metric(results.MetricThroughput); t != nil && len(t.Samples) == 1 && s.AvgPowerWatts != nil && *s.AvgPowerWatts > 0 {
		add(results.MetricEnergyEfficiency, "items/J", results.BiggerIsBetter, t.Samples[0] / *s.AvgPowerWatts)
	}
}

// visibleGPUs parses CUDA_VISIBLE_DEVICES from env when it lists device
// indexes ("0,2"); nil otherwise (unset, UUIDs, MIG names).
func visibleGPUs(env []string) []int {
	for _, kv := range env {
		v, ok := strings.CutPrefix(kv, "CUDA_VISIBLE_DEVICES=")
		if !ok {
			continue
		}
		var out []int
		for _, f := range strings.Split(v, ",") {
			n, err := strconv.Atoi(strings.TrimSpace(f))
			if err != nil || n < 0 {
				return nil
			}
			out = append(out, n)
		}
		return out
	}
	return nil
}
