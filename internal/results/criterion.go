package results

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"path/filepath"
	"strings"
)

// criterionFile is any of the JSON files Criterion.rs writes under
// target/criterion/<benchmark id>/<new|base|change>/: sample.json
// (sampling_mode, iters, times), estimates.json (mean, median, slope, …)
// or benchmark.json (full_id, throughput, …).
type criterionFile struct {
	SamplingMode *string   `json:"sampling_mode"`
	Iters        []float64 `json:"iters"`
	Times        []float64 `json:"times"`

	Mean     *criterionEstimate `json:"mean"`
	Median   *criterionEstimate `json:"median"`
	Slope    *criterionEstimate `json:"slope"`
	StdDev   *criterionEstimate `json:"std_dev"`
	MedianAD *criterionEstimate `json:"median_abs_dev"`

	FullID     *string                    `json:"full_id"`
	Throughput map[string]json.RawMessage `json:"throughput"`
}

// criterionEstimate is one statistic of estimates.json.
type criterionEstimate struct {
	PointEstimate *float64 `json:"point_estimate"`
}

// ReadCriterion reads one file of Criterion.rs's output directory and
// returns its benchmark. To read a whole target/criterion directory, with
// the benchmark names and throughputs of its benchmark.json files, use
// [ReadCriterionDir].
//
//   - sample.json (the raw measurements): a sample is one of Criterion's
//     samples, times[i] / iters[i]: the mean time per iteration of a batch
//     of iters[i] iterations, in nanoseconds, becomes sec/op (s, smaller).
//     Criterion's samples come from one process, one after the other: like
//     a Go benchmark's -count lines, not like independent runs.
//   - estimates.json of new/ or base/ (summaries only): the one sample is
//     the slope's point estimate when Criterion fitted one (sampling mode
//     Linear), else the mean's.
//   - change/estimates.json (relative changes, not measurements) and
//     benchmark.json (no measurement) are refused with a [*DataError] that
//     says which file to give instead.
//
// Name is the benchmark id taken from fileName, the directories between
// the last one named "criterion" and new/ (or base/…):
// "target/criterion/fib/20/new/sample.json" is "fib/20". Without a
// "criterion" directory it is the directory above new/ alone. Hardware is
// cpu.
func ReadCriterion(r io.Reader, fileName string) (ReadOutput, error) {
	out := ReadOutput{Format: FormatCriterion}
	data, err := readJSONInput(r, fileName, "a Criterion.rs sample.json or estimates.json")
	if err != nil {
		return out, err
	}
	var f criterionFile
	if err := unmarshalJSON(data, fileName, &f); err != nil {
		return out, err
	}
	out.Records = 1
	res, err := criterionResult(&f, criterionName(fileName), nil, fileName)
	if err != nil {
		return out, err
	}
	out.Parsed = 1
	out.Results = []Result{res}
	return out, nil
}

// criterionResult converts a sample.json or estimates.json; bench, when
// not nil, is the benchmark.json beside it, for the throughput.
func criterionResult(f *criterionFile, name string, bench *criterionFile, fileName string) (Result, error) {
	dataErr := func(key string, format string, args ...any) error {
		return &DataError{File: fileName, Key: key, Err: fmt.Errorf(format, args...)}
	}
	var secs []float64
	switch {
	case f.SamplingMode != nil || f.Iters != nil || f.Times != nil:
		if len(f.Iters) == 0 || len(f.Iters) != len(f.Times) {
			return Result{}, dataErr("times", "want as many times as iters, at least one; got %d and %d", len(f.Times), len(f.Iters))
		}
		for i, it := range f.Iters {
			if !(it > 0) {
				return Result{}, dataErr(index("iters", i), "want a positive iteration count, got %g", it)
			}
			if err := checkValue(f.Times[i]); err != nil {
				return Result{}, dataErr(index("times", i), "%v", err)
			}
			secs = append(secs, f.Times[i]/it*1e-9)
		}
	case f.Mean != nil && f.StdDev == nil && f.MedianAD == nil:
		return Result{}, dataErr("", "a change/estimates.json holds relative changes, not measurements: give new/sample.json")
	case f.Mean != nil:
		est, key := f.Mean, "mean"
		if f.Slope != nil && f.Slope.PointEstimate != nil {
			est, key = f.Slope, "slope"
		}
		if est.PointEstimate == nil {
			return Result{}, dataErr(key+".point_estimate", "missing")
		}
		if err := checkValue(*est.PointEstimate); err != nil {
			return Result{}, dataErr(key+".point_estimate", "%v", err)
		}
		secs = []float64{*est.PointEstimate * 1e-9}
	case f.FullID != nil:
		return Result{}, dataErr("", "a benchmark.json holds no measurement: give sample.json beside it, or the whole directory")
	default:
		return Result{}, dataErr("", "not a Criterion.rs sample.json or estimates.json")
	}
	if err := CheckSamples(secs); err != nil {
		return Result{}, dataErr("times", "per-iteration time: %v", err)
	}
	r := Result{Name: name, Params: map[string]string{}, Hardware: Hardware{Type: "cpu"},
		Metrics: []Metric{{Name: MetricSecPerOp, Unit: MetricSecPerOp, Better: SmallerIsBetter, Samples: secs}}}
	if bench == nil {
		return r, nil
	}
	for _, kind := range sortedKeys(bench.Throughput) {
		var n float64
		if json.Unmarshal(bench.Throughput[kind], &n) != nil || checkValue(n) != nil {
			continue // a kind this reader does not know, e.g. ElementsAndBytes
		}
		metric := MetricItemsPerSec
		if strings.HasPrefix(kind, "Bytes") {
			metric = MetricBytesPerSec
		}
		rates := make([]float64, len(secs))
		for i, s := range secs {
			if s == 0 {
				return Result{}, dataErr("throughput."+kind, "a time of 0 gives no rate")
			}
			rates[i] = n / s
		}
		if err := CheckSamples(rates); err != nil {
			return Result{}, dataErr("throughput."+kind, "%v", err)
		}
		r.Metrics = append(r.Metrics, Metric{Name: metric, Unit: metric, Better: BiggerIsBetter, Samples: rates})
		break // Criterion allows one throughput per benchmark
	}
	return r, nil
}

// criterionName derives a benchmark id from the path of one of its files.
func criterionName(fileName string) string {
	dir := path.Dir(path.Dir(filepath.ToSlash(fileName))) // above new/, base/, …
	parts := strings.Split(dir, "/")
	for i := len(parts) - 1; i >= 0; i-- {
		if parts[i] == "criterion" && i < len(parts)-1 {
			return strings.Join(parts[i+1:], "/")
		}
	}
	return path.Base(dir)
}

// ReadCriterionDir reads Criterion.rs's output directory (target/criterion,
// or any directory under it) in fsys, and returns one result per benchmark:
// each directory "new" holding a benchmark.json. root names fsys in errors.
//
// Name is benchmark.json's "full_id" ("group/function/parameter"). The
// samples are new/sample.json's, as [ReadCriterion] reads them, else new/
// estimates.json's one sample. When benchmark.json declares a throughput,
// {"Bytes": n} or {"BytesDecimal": n} adds B/s and {"Elements": n} items/s
// (bigger), one sample per time sample: n / (seconds per iteration).
// Criterion's base/ (the previous run, or a saved baseline) and change/
// (the relative change between them) are not measurements of this run, and
// are not read; compare runs with benchgate instead.
//
// A benchmark whose files are missing or bad is skipped with a warning
// naming its directory; the others are kept. An fsys without any
// new/benchmark.json is an error wrapping [ErrNoResults].
func ReadCriterionDir(fsys fs.FS, root string) (ReadOutput, error) {
	out := ReadOutput{Format: FormatCriterion}
	var rs []Result
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || d.Name() != "benchmark.json" || path.Base(path.Dir(p)) != "new" {
			return nil
		}
		out.Records++
		dir := path.Dir(p)
		r, err := criterionBenchmark(fsys, dir, path.Join(root, dir))
		if err != nil {
			out.Warnings = append(out.Warnings, err)
			return nil
		}
		rs = append(rs, r)
		return nil
	})
	if err != nil {
		return out, fmt.Errorf("reading Criterion directory %s: %w", root, err)
	}
	if out.Records == 0 {
		return out, &DataError{File: root, Err: fmt.Errorf("%w: no <benchmark>/new/benchmark.json under it", ErrNoResults)}
	}
	out.Parsed = len(rs)
	out.Results = Merge(rs)
	return out, nil
}

// criterionBenchmark reads the benchmark in dir (a "new" directory).
func criterionBenchmark(fsys fs.FS, dir, shown string) (Result, error) {
	load := func(name string) (*criterionFile, error) {
		data, err := readFSFile(fsys, path.Join(dir, name), path.Join(shown, name))
		if err != nil {
			return nil, err
		}
		var f criterionFile
		if err := unmarshalJSON(data, path.Join(shown, name), &f); err != nil {
			return nil, err
		}
		return &f, nil
	}
	bench, err := load("benchmark.json")
	if err != nil {
		return Result{}, err
	}
	if bench.FullID == nil || *bench.FullID == "" {
		return Result{}, &DataError{File: path.Join(shown, "benchmark.json"), Key: "full_id", Err: errors.New("missing; benchmark skipped")}
	}
	name := "sample.json"
	f, err := load(name)
	if errors.Is(err, fs.ErrNotExist) {
		name = "estimates.json"
		f, err = load(name)
	}
	if err != nil {
		return Result{}, fmt.Errorf("benchmark %q: %w", *bench.FullID, err)
	}
	return criterionResult(f, *bench.FullID, bench, path.Join(shown, name))
}
