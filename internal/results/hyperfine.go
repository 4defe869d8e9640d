package results

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// hyperfineDoc is hyperfine's --export-json document.
type hyperfineDoc struct {
	Results *[]json.RawMessage `json:"results"`
}

// hyperfineResult is one command of it.
type hyperfineResult struct {
	Command    *string                    `json:"command"`
	Times      *[]float64                 `json:"times"`
	ExitCodes  *[]*int                    `json:"exit_codes"`
	Memory     []float64                  `json:"memory_usage_byte"`
	Parameters map[string]json.RawMessage `json:"parameters"`
}

// ReadHyperfine reads hyperfine's JSON export (--export-json) and returns
// one result per command.
//
// A sample is one run of the command: hyperfine starts a fresh process for
// each, so runs are independent repetitions.
//
//   - Name is "command" as hyperfine shows it (its --command-name when
//     given); Params are "parameters" (--parameter-scan, -L) when present.
//   - Hardware is cpu.
//   - Metrics: sec/op (s, smaller) from "times", the wall-clock time of
//     each run less hyperfine's shell-spawning overhead; memory_peak (B,
//     smaller) from "memory_usage_byte" (hyperfine 1.19 and later), the
//     peak RSS of each run. "mean", "stddev", "median", "min", "max",
//     "user" and "system" are summaries and ignored.
//
// Failures are results, not warnings: a command with a non-zero exit code
// in any run (it ran with --ignore-failure) is a failed result, type
// execution_error, with the first non-zero code: its times measure a
// failing command. A command with a run time of zero is a failed result,
// type result_processing_error: hyperfine measured nothing above its
// shell-spawning correction, as when the command line is broken (an old
// export without "exit_codes" cannot say more). A command without
// "command" or "times" is skipped with a warning naming its index
// ("results[2]"). Input that is not JSON is a [*ParseError]; JSON without
// a "results" list a [*DataError].
func ReadHyperfine(r io.Reader, fileName string) (ReadOutput, error) {
	out := ReadOutput{Format: FormatHyperfine}
	data, err := readJSONInput(r, fileName, "hyperfine JSON (--export-json)")
	if err != nil {
		return out, err
	}
	var doc hyperfineDoc
	if err := unmarshalJSON(data, fileName, &doc); err != nil {
		return out, err
	}
	if doc.Results == nil {
		return out, &DataError{File: fileName, Key: "results", Err: fmt.Errorf("missing: want hyperfine JSON")}
	}
	var rs []Result
	for i, raw := range *doc.Results {
		out.Records++
		r, err := hyperfineCommand(raw)
		if err != nil {
			out.Warnings = append(out.Warnings, &DataError{File: fileName, Key: index("results", i), Err: fmt.Errorf("%w; skipped", err)})
			continue
		}
		rs = append(rs, r)
	}
	out.Parsed = len(rs)
	out.Results = Merge(rs)
	return out, nil
}

// hyperfineCommand converts one command.
func hyperfineCommand(raw json.RawMessage) (Result, error) {
	var h hyperfineResult
	if err := json.Unmarshal(raw, &h); err != nil {
		return Result{}, decodeError(err)
	}
	if h.Command == nil || *h.Command == "" {
		return Result{}, fmt.Errorf("missing command")
	}
	name := *h.Command
	if h.Times == nil || len(*h.Times) == 0 {
		return Result{}, fmt.Errorf("command %q: missing times", name)
	}
	r := Result{Name: name, Params: map[string]string{}, Hardware: Hardware{Type: "cpu"}}
	for k, v := range h.Parameters {
		r.Params[strings.ToLower(k)] = jsonText(v)
	}
	times := *h.Times
	for _, x := range times {
		if err := checkValue(x); err != nil {
			return Result{}, fmt.Errorf("command %q: times: %w", name, err)
		}
	}
	if h.ExitCodes != nil {
		failed := 0
		first := 0
		for _, c := range *h.ExitCodes {
			if c != nil && *c != 0 {
				if failed == 0 {
					first = *c
				}
				failed++
			}
		}
		if failed > 0 {
			r.Failure = &Failure{Type: ErrExecution, ExitCode: first, Command: name,
				Message: fmt.Sprintf("hyperfine: %d of %d runs exited non-zero (first: %d)", failed, len(*h.ExitCodes), first)}
			return r, nil
		}
	}
	for _, x := range times {
		if x == 0 {
			r.Failure = &Failure{Type: ErrResultProcessing, Command: name,
				Message: "hyperfine: a run took 0 s: the command probably did not run (a broken command line?)"}
			return r, nil
		}
	}
	r.Metrics = []Metric{{Name: MetricSecPerOp, Unit: MetricSecPerOp, Better: SmallerIsBetter, Samples: append([]float64(nil), times...)}}
	if len(h.Memory) > 0 {
		for _, x := range h.Memory {
			if err := checkValue(x); err != nil {
				return Result{}, fmt.Errorf("command %q: memory_usage_byte: %w", name, err)
			}
		}
		r.Metrics = append(r.Metrics, Metric{Name: MetricMemoryPeak, Unit: "B", Better: SmallerIsBetter, Samples: append([]float64(nil), h.Memory...)})
	}
	return r, nil
}
