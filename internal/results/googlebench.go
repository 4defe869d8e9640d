package results

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
)

// gbDoc is Google Benchmark's JSON (--benchmark_format=json or
// --benchmark_out).
type gbDoc struct {
	Context *struct {
		NumCPUs int `json:"num_cpus"`
	} `json:"context"`
	Benchmarks *[]json.RawMessage `json:"benchmarks"`
}

// gbRow is the fields of one row that are not counters.
type gbRow struct {
	Name          string   `json:"name"`
	RunName       string   `json:"run_name"`
	RunType       string   `json:"run_type"`
	AggregateName string   `json:"aggregate_name"`
	RealTime      *float64 `json:"real_time"`
	CPUTime       *float64 `json:"cpu_time"`
	TimeUnit      string   `json:"time_unit"`
	ErrorOccurred bool     `json:"error_occurred"`
	ErrorMessage  string   `json:"error_message"`
	Skipped       any      `json:"skipped"` // a boolean in 1.8, an enum number later
	SkipMessage   string   `json:"skip_message"`
}

// gbFields are the keys of a row that are not user counters.
var gbFields = map[string]bool{
	"name": true, "family_index": true, "per_family_instance_index": true, "run_name": true,
	"run_type": true, "repetitions": true, "repetition_index": true, "threads": true,
	"iterations": true, "real_time": true, "cpu_time": true, "time_unit": true,
	"aggregate_name": true, "aggregate_unit": true, "error_occurred": true, "error_message": true,
	"skipped": true, "skip_message": true, "label": true, "big_o": true, "rms": true,
	"complexity_n": true,
}

// gbTimeUnits are Google Benchmark's time units in seconds.
var gbTimeUnits = map[string]float64{"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1}

// ReadGoogleBenchmark reads Google Benchmark's JSON output and returns one
// result per benchmark run name.
//
// A sample is one row of run_type "iteration": one repetition
// (--benchmark_repetitions) of the benchmark, itself the mean over its
// "iterations". Rows of a run name are its repetitions. Aggregate rows
// (mean, median, stddev, cv, BigO, RMS) are ignored when the run name has
// iteration rows; when it has none (--benchmark_report_aggregates_only) its
// "mean" aggregate is the one sample, and the others are ignored.
//
//   - Name is "run_name" (else "name"), which holds the arguments as Google
//     Benchmark writes them ("BM_Sort/1024/threads:4/manual_time").
//   - Hardware is cpu, ComputeUnits context.num_cpus.
//   - Metrics: sec/op (s, smaller) from real_time, the manual time for
//     /manual_time benchmarks; cpu-sec/op (s, smaller) from cpu_time; both
//     converted from "time_unit" (ns when absent). Every other numeric key
//     of a row is a user counter, a metric of its own name and unit:
//     bytes_per_second is B/s and items_per_second items/s (bigger);
//     another counter is bigger is better when its name ends in "/s" or
//     "per_second", else smaller.
//
// A row with "error_occurred" (SkipWithError) becomes a failed result,
// type execution_error, with its error_message: the benchmark ran and
// failed, as a harness exiting non-zero would. A row skipped without error
// ("skipped" with a skip_message) and a row with a bad or negative time are
// skipped with a warning naming its index ("benchmarks[3]"). Input that is
// not JSON is a [*ParseError]; JSON without a "benchmarks" list a
// [*DataError].
func ReadGoogleBenchmark(r io.Reader, fileName string) (ReadOutput, error) {
	out := ReadOutput{Format: FormatGoogleBenchmark}
	data, err := readJSONInput(r, fileName, "Google Benchmark JSON")
	if err != nil {
		return out, err
	}
	var doc gbDoc
	if err := unmarshalJSON(data, fileName, &doc); err != nil {
		return out, err
	}
	if doc.Benchmarks == nil {
		return out, &DataError{File: fileName, Key: "benchmarks", Err: fmt.Errorf("missing: want Google Benchmark JSON")}
	}
	hw := Hardware{Type: "cpu"}
	if doc.Context != nil && doc.Context.NumCPUs > 0 {
		hw.ComputeUnits = doc.Context.NumCPUs
	}
	rows := *doc.Benchmarks
	parsedRows := make([]gbRow, len(rows))
	counters := make([]map[string]json.RawMessage, len(rows))
	errs := make([]error, len(rows))
	hasIteration := map[string]bool{}
	for i, raw := range rows {
		errs[i] = decodeRow(raw, &parsedRows[i], &counters[i])
		if errs[i] != nil {
			continue // reported below
		}
		p := &parsedRows[i]
		if p.RunName == "" {
			p.RunName = p.Name
		}
		if p.RunType != "aggregate" {
			hasIteration[p.RunName] = true
		}
	}
	var rs []Result
	for i := range rows {
		warn := func(err error) {
			out.Warnings = append(out.Warnings, &DataError{File: fileName, Key: index("benchmarks", i), Err: fmt.Errorf("%w; skipped", err)})
		}
		p := &parsedRows[i]
		if errs[i] != nil {
			out.Records++
			warn(errs[i])
			continue
		}
		if p.RunType == "aggregate" {
			if hasIteration[p.RunName] || p.AggregateName != "mean" {
				continue // a summary, not a measurement
			}
		}
		out.Records++
		r, err := gbResult(p, counters[i], hw)
		if err != nil {
			warn(err)
			continue
		}
		rs = append(rs, r)
	}
	out.Parsed = len(rs)
	out.Results = Merge(rs)
	return out, nil
}

// decodeRow decodes a row's known fields into p and all its keys into m.
func decodeRow(raw json.RawMessage, p *gbRow, m *map[string]json.RawMessage) error {
	if err := json.Unmarshal(raw, m); err != nil {
		return fmt.Errorf("want an object: %s", strings.TrimPrefix(err.Error(), "json: "))
	}
	if err := json.Unmarshal(raw, p); err != nil {
		return decodeError(err)
	}
	return nil
}

// gbResult converts one measurement row.
func gbResult(p *gbRow, row map[string]json.RawMessage, hw Hardware) (Result, error) {
	if p.RunName == "" {
		return Result{}, fmt.Errorf("missing name")
	}
	r := Result{Name: p.RunName, Params: map[string]string{}, Hardware: hw}
	if p.ErrorOccurred {
		r.Failure = &Failure{Type: ErrExecution, Message: "Google Benchmark error: " + p.ErrorMessage}
		return r, nil
	}
	if b, ok := p.Skipped.(bool); (ok && b) || p.SkipMessage != "" {
		return Result{}, fmt.Errorf("benchmark %q: skipped by the benchmark: %q", p.RunName, p.SkipMessage)
	}
	unit := p.TimeUnit
	if unit == "" {
		unit = "ns"
	}
	f, ok := gbTimeUnits[unit]
	if !ok {
		return Result{}, fmt.Errorf("benchmark %q: unknown time_unit %q (want ns, us, ms or s)", p.RunName, unit)
	}
	add := func(name string, better Direction, x float64) error {
		if err := checkValue(x); err != nil {
			return fmt.Errorf("benchmark %q: %s: %w", p.RunName, name, err)
		}
		r.Metrics = append(r.Metrics, Metric{Name: name, Unit: name, Better: better, Samples: []float64{x + 0}})
		return nil
	}
	if p.RealTime == nil {
		return Result{}, fmt.Errorf("benchmark %q: missing real_time", p.RunName)
	}
	if err := add(MetricSecPerOp, SmallerIsBetter, *p.RealTime*f); err != nil {
		return Result{}, err
	}
	if p.CPUTime != nil {
		if err := add(MetricCPUSecPerOp, SmallerIsBetter, *p.CPUTime*f); err != nil {
			return Result{}, err
		}
	}
	for _, k := range sortedKeys(row) {
		if gbFields[k] {
			continue
		}
		var x float64
		if json.Unmarshal(row[k], &x) != nil {
			continue // not a counter
		}
		name, better := k, SmallerIsBetter
		switch {
		case k == "bytes_per_second":
			name, better = MetricBytesPerSec, BiggerIsBetter
		case k == "items_per_second":
			name, better = MetricItemsPerSec, BiggerIsBetter
		case strings.HasSuffix(k, "/s") || strings.HasSuffix(k, "per_second"):
			better = BiggerIsBetter
		}
		if r.Metric(name) != nil {
			continue
		}
		if err := add(name, better, x); err != nil {
			return Result{}, err
		}
	}
	return r, nil
}

// sortedKeys returns m's keys in order.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
