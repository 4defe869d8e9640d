package results

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// pytestDoc is pytest-benchmark's --benchmark-json document.
type pytestDoc struct {
	MachineInfo *struct {
		CPU *struct {
			BrandRaw string `json:"brand_raw"`
			Brand    string `json:"brand"`
		} `json:"cpu"`
	} `json:"machine_info"`
	Benchmarks *[]json.RawMessage `json:"benchmarks"`
}

// pytestBench is one benchmark of it.
type pytestBench struct {
	Group    *string `json:"group"`
	Name     string  `json:"name"`
	Fullname string  `json:"fullname"`
	Stats    *struct {
		Mean *float64  `json:"mean"`
		Data []float64 `json:"data"`
	} `json:"stats"`
}

// ReadPytest reads pytest-benchmark's JSON (--benchmark-json, or a file it
// autosaves under .benchmarks/) and returns one result per benchmark.
//
//   - Name is "fullname" ("tests/test_x.py::test_y[param]"), else "name";
//     Params has "group" when the benchmark has one. The parametrisation is
//     part of the name, as pytest writes it.
//   - Hardware is cpu, DeviceName machine_info.cpu.brand_raw (else brand,
//     unless "unknown").
//   - One metric, sec/op (s, smaller): a sample is one round, the round's
//     time divided by its iterations, as pytest-benchmark computes it. The
//     samples are "stats.data" when present (run with
//     --benchmark-save-data); without it pytest-benchmark keeps only summary
//     statistics, and the one sample is "stats.mean".
//
// Everything else (min, max, median, stddev, ops, outliers, extra_info,
// options, commit_info) is a summary or metadata and ignored: the gate
// recomputes what it needs from the samples.
//
// A benchmark without a name or stats, or with a negative time, is skipped
// with a warning naming its index ("benchmarks[3]"). Input that is not JSON
// is a [*ParseError]; JSON without a "benchmarks" list a [*DataError].
func ReadPytest(r io.Reader, fileName string) (ReadOutput, error) {
	out := ReadOutput{Format: FormatPytest}
	data, err := readJSONInput(r, fileName, "pytest-benchmark JSON")
	if err != nil {
		return out, err
	}
	var doc pytestDoc
	if err := unmarshalJSON(data, fileName, &doc); err != nil {
		return out, err
	}
	if doc.Benchmarks == nil {
		return out, &DataError{File: fileName, Key: "benchmarks", Err: fmt.Errorf("missing: want pytest-benchmark JSON")}
	}
	hw := Hardware{Type: "cpu"}
	if mi := doc.MachineInfo; mi != nil && mi.CPU != nil {
		for _, s := range []string{mi.CPU.BrandRaw, mi.CPU.Brand} {
			if s = strings.TrimSpace(s); s != "" && s != "unknown" {
				hw.DeviceName = s
				break
			}
		}
	}
	var rs []Result
	for i, raw := range *doc.Benchmarks {
		out.Records++
		r, err := pytestResult(raw, hw)
		if err != nil {
			out.Warnings = append(out.Warnings, &DataError{File: fileName, Key: index("benchmarks", i), Err: fmt.Errorf("%w; skipped", err)})
			continue
		}
		rs = append(rs, r)
	}
	out.Parsed = len(rs)
	out.Results = Merge(rs)
	return out, nil
}

// pytestResult converts one benchmark.
func pytestResult(raw json.RawMessage, hw Hardware) (Result, error) {
	var b pytestBench
	if err := json.Unmarshal(raw, &b); err != nil {
		return Result{}, decodeError(err)
	}
	name := b.Fullname
	if name == "" {
		name = b.Name
	}
	if name == "" {
		return Result{}, fmt.Errorf("missing name and fullname")
	}
	if b.Stats == nil {
		return Result{}, fmt.Errorf("benchmark %q: missing stats", name)
	}
	samples := b.Stats.Data
	if len(samples) == 0 {
		if b.Stats.Mean == nil {
			return Result{}, fmt.Errorf("benchmark %q: missing stats.data and stats.mean", name)
		}
		samples = []float64{*b.Stats.Mean}
	}
	for _, x := range samples {
		if err := checkValue(x); err != nil {
			return Result{}, fmt.Errorf("benchmark %q: %w", name, err)
		}
	}
	params := map[string]string{}
	if b.Group != nil && *b.Group != "" {
		params["group"] = *b.Group
	}
	return Result{
		Name:     name,
		Params:   params,
		Hardware: hw,
		Metrics: []Metric{{Name: MetricSecPerOp, Unit: MetricSecPerOp, Better: SmallerIsBetter,
			Samples: append([]float64(nil), samples...)}},
	}, nil
}
