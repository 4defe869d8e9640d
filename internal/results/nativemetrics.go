package results

import (
	"errors"
	"slices"

	"github.com/benchgate/benchgate/gate"
)

// Names of the metrics that native documents yield (see [ReadNative]).
const (
	MetricLatencyMean      = "latency_mean"
	MetricLatencyP50       = "latency_p50"
	MetricLatencyP90       = "latency_p90"
	MetricLatencyP99       = "latency_p99"
	MetricThroughput       = "throughput"
	MetricMemoryPeak       = "memory_peak"
	MetricPower            = "power"
	MetricEnergy           = "energy"
	MetricEnergyEfficiency = "energy_efficiency"
	MetricColdStart        = "cold_start"
)

// builtinMetrics are the names a custom metric may not take.
var builtinMetrics = []string{
	MetricLatencyMean, MetricLatencyP50, MetricLatencyP90, MetricLatencyP99,
	MetricThroughput, MetricMemoryPeak, MetricPower, MetricEnergy,
	MetricEnergyEfficiency, MetricColdStart,
}

// result computes the document's metrics. On error, doc.errKey names the
// culprit's key when there is one.
func (doc *nativeDoc) result() (Result, error) {
	name := doc.name
	if name == "" && doc.model != nil {
		name = doc.model.Name
	}
	if name == "" {
		doc.errKey = "name"
		return Result{}, errors.New("missing: set name or model.name")
	}
	hw := doc.hw
	if hw.Type == "" {
		hw.Type = "cpu"
	}
	r := Result{
		Name:             name,
		Params:           doc.resultParams(),
		Model:            doc.model,
		Hardware:         hw,
		WarmupIterations: doc.warmup,
	}
	add := func(name, unit string, better Direction, x float64) {
		r.Metrics = append(r.Metrics, Metric{Name: name, Unit: unit, Better: better, Samples: []float64{x}})
	}

	throughput, haveThroughput := doc.metrics[keyThroughput]
	if doc.latencies != nil {
		secs := make([]float64, len(doc.latencies))
		sum := 0.0
		for i, ms := range doc.latencies {
			secs[i] = ms / 1000
			sum += secs[i]
		}
		sorted := slices.Sorted(slices.Values(secs))
		n := float64(len(secs))
		add(MetricLatencyMean, "s", SmallerIsBetter, sum/n)
		add(MetricLatencyP50, "s", SmallerIsBetter, gate.Quantile(sorted, 0.50))
		add(MetricLatencyP90, "s", SmallerIsBetter, gate.Quantile(sorted, 0.90))
		add(MetricLatencyP99, "s", SmallerIsBetter, gate.Quantile(sorted, 0.99))
		// Note: the harness's own throughput is ignored when latencies
		// exist: summaries come from raw samples only.
		throughput, haveThroughput = float64(max(doc.batch, 1))*n/sum, true
		r.Iterations = [][]float64{secs}
	}
	if haveThroughput {
		add(MetricThroughput, "items/s", BiggerIsBetter, throughput)
	}
	if x, ok := doc.metrics[keyMemoryPeak]; ok {
		add(MetricMemoryPeak, "B", SmallerIsBetter, x*BytesPerMB)
	}
	power, havePower := doc.metrics[keyPower]
	if havePower {
		add(MetricPower, "W", SmallerIsBetter, power)
	}
	if x, ok := doc.metrics[keyEnergy]; ok {
		add(MetricEnergy, "J", SmallerIsBetter, x)
	}
	if x, ok := doc.metrics[keyEfficiency]; haveThroughput && havePower && power > 0 {
		add(MetricEnergyEfficiency, "items/J", BiggerIsBetter, throughput/power)
	} else if ok {
		add(MetricEnergyEfficiency, "items/J", BiggerIsBetter, x)
	}
	if x, ok := doc.metrics[keyColdStart]; ok {
		add(MetricColdStart, "s", SmallerIsBetter, x/1000)
	}
	for _, c := range doc.custom {
		add(c.name, c.unit, c.better, c.value)
	}
	if len(r.Metrics) == 0 {
		doc.errKey = "latencies_ms"
		return Result{}, errors.New("missing: a document needs latencies_ms or at least one metric")
	}
	if err := r.Validate(); err != nil {
		return Result{}, err
	}
	return r, nil
}
