package store

import (
	"math"
	"sort"

	"github.com/benchgate/benchgate/gate"
	"github.com/benchgate/benchgate/internal/results"
)

// Metric names that feed the seed's summary columns (see the package doc).
const (
	metricLatencyMean = "latency_mean"
	metricLatencyP50  = "latency_p50"
	metricLatencyP90  = "latency_p90"
	metricLatencyP99  = "latency_p99"
	metricSecPerOp    = "sec/op"
	metricThroughput  = "throughput"
	metricMemoryPeak  = "memory_peak"
	metricPower       = "power"
	metricEnergy      = "energy_efficiency"
)

// bytesPerMB converts bytes to the seed's MB (2^20 bytes, as PyTorch's
// memory statistics were divided).
const bytesPerMB = 1 << 20

// summary holds the seed's summary columns of performance_results; nil is
// SQL NULL.
type summary struct {
	avgMs, p50Ms, p90Ms, p99Ms *float64
	throughput                 *float64
	memoryPeakMB               *float64
	powerWatts                 *float64
	energyPerJoule             *float64
}

// summarize computes the summary columns from r's raw samples. Failed
// results have none.
func summarize(r *results.Result) summary {
	var s summary
	if r.Failure != nil {
		return s
	}
	var pooled []float64
	for _, it := range r.Iterations {
		pooled = append(pooled, it...)
	}
	sort.Float64s(pooled)
	var secPerOp []float64
	if m := r.Metric(metricSecPerOp); m != nil {
		secPerOp = sorted(m.Samples)
	} else if m := r.Metric(results.MetricWallTime); m != nil {
		// A timed command (format "time"): one run is one operation.
		secPerOp = sorted(m.Samples)
	}

	// latency is one column's value in seconds: the mean over repetitions of
	// the harness's per-repetition statistic, else the statistic of the
	// pooled iterations, else of the sec/op samples.
	latency := func(metric string, stat func(sorted []float64) float64) *float64 {
		if m := r.Metric(metric); m != nil && len(m.Samples) > 0 {
			return ms(mean(m.Samples))
		}
		if len(pooled) > 0 {
			return ms(stat(pooled))
		}
		if len(secPerOp) > 0 {
			return ms(stat(secPerOp))
		}
		return nil
	}
	s.avgMs = latency(metricLatencyMean, mean)
	s.p50Ms = latency(metricLatencyP50, func(xs []float64) float64 { return gate.Quantile(xs, 0.50) })
	s.p90Ms = latency(metricLatencyP90, func(xs []float64) float64 { return gate.Quantile(xs, 0.90) })
	s.p99Ms = latency(metricLatencyP99, func(xs []float64) float64 { return gate.Quantile(xs, 0.99) })

	if m := r.Metric(metricThroughput); m != nil && len(m.Samples) > 0 {
		s.throughput = ptr(mean(m.Samples))
	} else if len(secPerOp) > 0 {
		if mu := mean(secPerOp); mu > 0 {
			s.throughput = ptr(1 / mu)
		}
	}
	if m := r.Metric(metricMemoryPeak); m != nil && len(m.Samples) > 0 {
		s.memoryPeakMB = ptr(maxOf(m.Samples) / bytesPerMB)
	} else if m := r.Metric(results.MetricMaxRSS); m != nil && len(m.Samples) > 0 {
		s.memoryPeakMB = ptr(maxOf(m.Samples) / bytesPerMB) // a timed command's peak RSS
	}
	if m := r.Metric(metricPower); m != nil && len(m.Samples) > 0 {
		s.powerWatts = ptr(mean(m.Samples))
	}
	if m := r.Metric(metricEnergy); m != nil && len(m.Samples) > 0 {
		s.energyPerJoule = ptr(mean(m.Samples))
	}
	return s
}

// sorted returns a sorted copy of xs; the caller's slice is not touched.
func sorted(xs []float64) []float64 {
	c := append([]float64(nil), xs...)
	sort.Float64s(c)
	return c
}

// mean returns the arithmetic mean of xs (non-empty).
func mean(xs []float64) float64 {
	var sum float64
	for _, x := range xs {
		sum += x
	}
	return sum / float64(len(xs))
}

// maxOf returns the largest of xs (non-empty).
func maxOf(xs []float64) float64 {
	m := math.Inf(-1)
	for _, x := range xs {
		m = max(m, x)
	}
	return m
}

// ms converts seconds to a millisecond column value.
func ms(sec float64) *float64 { return ptr(sec * 1000) }

func ptr[T any](v T) *T { return &v }
