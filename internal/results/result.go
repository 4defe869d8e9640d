package results

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/benchgate/benchgate/gate"
)

// Direction says which way a metric improves; it is the gate's type.
type Direction = gate.Direction

// The two directions, re-exported for readers.
const (
	SmallerIsBetter = gate.SmallerIsBetter
	BiggerIsBetter  = gate.BiggerIsBetter
)

// ParseDirection accepts "smaller", "lower", "bigger" or "higher".
func ParseDirection(s string) (Direction, error) {
	switch strings.ToLower(s) {
	case "smaller", "lower", "smaller_is_better", "smallerisbetter":
		return SmallerIsBetter, nil
	case "bigger", "higher", "bigger_is_better", "biggerisbetter":
		return BiggerIsBetter, nil
	}
	return 0, fmt.Errorf("unknown direction %q (want smaller or bigger)", s)
}

// Metric is one measured quantity of a result, with its repeated samples.
//
// Samples are in the metric's base unit (seconds, bytes, items/s, …), one per
// repetition (unit of replication: one run, see docs/STATISTICS.md §7.1). Readers
// normalise units on read; Unit names the normalised unit.
type Metric struct {
	Name    string    // e.g. "sec/op", "latency_p50", "throughput"
	Unit    string    // normalised unit, e.g. "s", "B", "items/s", "allocs/op"
	Better  Direction // which way is an improvement
	Exact   bool      // deterministic metric (allocs/op, binary size): any difference is real
	Samples []float64 // one value per repetition; never NaN, Inf or negative
	// Rounds, when set, has one entry per sample: the round (from 1) of the
	// same-runner A/B mode in which the sample was measured, so that base
	// and head samples of the same round can be paired. It is not part of
	// the series identity; nil outside that mode.
	Rounds []int `json:",omitempty"`
}

// Model describes the ML model a result measured, when there is one.
type Model struct {
	Name              string  `json:"name"`
	Family            string  `json:"family,omitempty"`
	Modality          string  `json:"modality,omitempty"` // text, vision, audio, multimodal
	Size              string  `json:"size,omitempty"`     // tiny, small, base, large, …
	ParametersMillion float64 `json:"parameters_million,omitempty"`
}

// Hardware identifies the device a result ran on.
type Hardware struct {
	Type          string  `json:"type"`                  // cpu, cuda, rocm, mps, openvino, qnn, webnn, webgpu
	DeviceName    string  `json:"device_name,omitempty"` // e.g. "NVIDIA H100 80GB HBM3"
	DriverVersion string  `json:"driver_version,omitempty"`
	MemoryMB      float64 `json:"memory_mb,omitempty"`
	ComputeUnits  int     `json:"compute_units,omitempty"`
}

// ErrorType is the seed's error taxonomy.
type ErrorType string

// The error types of the seed's taxonomy.
const (
	ErrTimeout          ErrorType = "timeout"
	ErrExecution        ErrorType = "execution_error"
	ErrJSONParse        ErrorType = "json_parse_error"
	ErrResultProcessing ErrorType = "result_processing_error"
	ErrUnexpected       ErrorType = "unexpected_error"
)

// Failure records why a benchmark did not produce a result.
type Failure struct {
	Type     ErrorType
	Message  string
	Command  string  // the exact command, argv joined with shell quoting
	Stdout   string  // captured, capped
	Stderr   string  // captured, capped
	ExitCode int     // -1 when the process did not exit on its own
	Elapsed  float64 // seconds until the failure
}

// Result is the outcome of one benchmark (one series group: a name and its
// parameters on one hardware) in one run: its metrics, or its failure.
type Result struct {
	// Name is the benchmark name, e.g. "BenchmarkSort/n=1000" or "bert-tiny".
	Name string
	// Params are the parameters that, with Name, identify the benchmark:
	// batch_size, sequence_length, precision, pkg, procs, … Keys are lowercase.
	Params map[string]string
	Model  *Model
	// Hardware is where it ran; Type is at least set ("cpu" by default).
	Hardware Hardware
	Metrics  []Metric
	// Iterations holds raw per-iteration latencies in seconds, one slice per
	// repetition, when the harness reported them (native documents).
	Iterations [][]float64
	// WarmupIterations is how many iterations the harness discarded.
	WarmupIterations int
	// Failure is set when the benchmark failed; Metrics is then empty.
	Failure *Failure
}

// Metric returns the metric with the given name, or nil.
func (r *Result) Metric(name string) *Metric {
	for i := range r.Metrics {
		if r.Metrics[i].Name == name {
			return &r.Metrics[i]
		}
	}
	return nil
}

// ParamString returns the parameters as "k1=v1,k2=v2" sorted by key: a stable
// part of the series identity.
func (r *Result) ParamString() string {
	return FormatParams(r.Params)
}

// FormatParams formats params as "k1=v1,k2=v2" sorted by key.
func FormatParams(p map[string]string) string {
	keys := make([]string, 0, len(p))
	for k := range p {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for i, k := range keys {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(k)
		b.WriteByte('=')
		b.WriteString(p[k])
	}
	return b.String()
}

// SeriesKey identifies a series: only values with equal keys are compared
// (DESIGN.md, "Series identity").
type SeriesKey struct {
	Benchmark string // Result.Name
	Params    string // FormatParams
	Metric    string
	Hardware  string // Hardware.Type
	Device    string // Hardware.DeviceName
	Runner    string // runner label; "" outside CI
}

// String renders the key for display and for stable sorting.
func (k SeriesKey) String() string {
	var b strings.Builder
	b.WriteString(k.Benchmark)
	if k.Params != "" {
		b.WriteString(" [" + k.Params + "]")
	}
	b.WriteString(" " + k.Metric + " on " + k.HardwareName())
	if k.Runner != "" {
		b.WriteString(" @" + k.Runner)
	}
	return b.String()
}

// HardwareName is the key's hardware type with its device, for display:
// "cuda (H100)", or "cpu" when no device is named.
func (k SeriesKey) HardwareName() string {
	if k.Device == "" {
		return k.Hardware
	}
	return k.Hardware + " (" + k.Device + ")"
}

// Key returns the series key of metric m of r, on the given runner.
func (r *Result) Key(m *Metric, runner string) SeriesKey {
	return SeriesKey{
		Benchmark: r.Name,
		Params:    r.ParamString(),
		Metric:    m.Name,
		Hardware:  r.Hardware.Type,
		Device:    r.Hardware.DeviceName,
		Runner:    runner,
	}
}

// Validate checks the invariants every reader guarantees: a name, a hardware
// type, and for a successful result at least one metric whose samples are
// finite and non-negative. Its errors name the benchmark and the metric.
func (r *Result) Validate() error {
	if r.Name == "" {
		return fmt.Errorf("result has no benchmark name")
	}
	if r.Hardware.Type == "" {
		return fmt.Errorf("benchmark %q: no hardware type", r.Name)
	}
	if r.Failure != nil {
		return nil
	}
	if len(r.Metrics) == 0 {
		return fmt.Errorf("benchmark %q: no metrics", r.Name)
	}
	for _, m := range r.Metrics {
		if m.Name == "" {
			return fmt.Errorf("benchmark %q: metric with no name", r.Name)
		}
		if len(m.Samples) == 0 {
			return fmt.Errorf("benchmark %q metric %q: no samples", r.Name, m.Name)
		}
		if len(m.Samples) > MaxSamples {
			return fmt.Errorf("benchmark %q metric %q: %d samples; at most %d", r.Name, m.Name, len(m.Samples), MaxSamples)
		}
		if err := CheckSamples(m.Samples); err != nil {
			return fmt.Errorf("benchmark %q metric %q: %w", r.Name, m.Name, err)
		}
	}
	for i, it := range r.Iterations {
		if err := CheckSamples(it); err != nil {
			return fmt.Errorf("benchmark %q iterations of repetition %d: %w", r.Name, i+1, err)
		}
	}
	return nil
}

// MaxSamples is the most samples one metric of a result may hold: far
// beyond any harness's repetitions (pytest-benchmark's saved rounds reach
// tens of thousands), and what the gate compares in about a second
// (gate's BenchmarkCompareLarge), so that an untrusted results file — a
// fork's benchgate-comment.json — cannot make a privileged job spend more.
const MaxSamples = 1_000_000

// CheckSamples reports the first NaN, infinite or negative value.
func CheckSamples(xs []float64) error {
	for i, x := range xs {
		switch {
		case math.IsNaN(x):
			return fmt.Errorf("sample %d is NaN", i+1)
		case math.IsInf(x, 0):
			return fmt.Errorf("sample %d is infinite", i+1)
		case x < 0:
			return fmt.Errorf("sample %d is negative (%g)", i+1, x)
		}
	}
	return nil
}

// Merge folds the results of several repetitions into one result per
// benchmark (same Name, Params and Hardware): samples of equal metrics are
// appended in order, iterations concatenated. A failure in any repetition is
// kept on its own as a failed result. Order of first appearance is kept.
func Merge(rs []Result) []Result {
	var m merger
	for _, r := range rs {
		m.add(r)
	}
	return m.out
}

// merger is [Merge] one result at a time, for a reader that streams: what
// it holds grows with the benchmarks and their samples, not with the
// results added.
type merger struct {
	idx map[mergeKey]int
	out []Result
}

type mergeKey struct{ name, params, hw, dev string }

// add folds r into the merged results and returns its index in out; r's
// slices are copied, not kept.
func (m *merger) add(r Result) int {
	if r.Failure != nil {
		m.out = append(m.out, r)
		return len(m.out) - 1
	}
	if m.idx == nil {
		m.idx = map[mergeKey]int{}
	}
	k := mergeKey{r.Name, r.ParamString(), r.Hardware.Type, r.Hardware.DeviceName}
	i, ok := m.idx[k]
	if !ok {
		m.idx[k] = len(m.out)
		c := r
		c.Metrics = append([]Metric(nil), r.Metrics...)
		for j := range c.Metrics {
			c.Metrics[j].Samples = append([]float64(nil), c.Metrics[j].Samples...)
		}
		c.Iterations = append([][]float64(nil), r.Iterations...)
		m.out = append(m.out, c)
		return len(m.out) - 1
	}
	dst := &m.out[i]
	for _, mt := range r.Metrics {
		if dm := dst.Metric(mt.Name); dm != nil {
			dm.Samples = append(dm.Samples, mt.Samples...)
		} else {
			mt.Samples = append([]float64(nil), mt.Samples...)
			dst.Metrics = append(dst.Metrics, mt)
		}
	}
	dst.Iterations = append(dst.Iterations, r.Iterations...)
	return i
}

// addValues adds one line's values to out[i], as add of a result with
// those metrics would.
func (m *merger) addValues(i int, vals []goBenchValue) {
	dst := &m.out[i]
	for _, v := range vals {
		if dm := dst.Metric(v.unit); dm != nil {
			dm.Samples = append(dm.Samples, v.value)
		} else {
			dst.Metrics = append(dst.Metrics, Metric{Name: v.unit, Unit: v.unit, Samples: []float64{v.value}})
		}
	}
}
