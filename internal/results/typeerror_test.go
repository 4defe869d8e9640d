package results

import (
	"errors"
	"strings"
	"testing"
)

// TestWrongTypesAreNamedInWords: a value of the wrong type in any JSON
// reader names the file and the field and says what was wanted in words,
// never a Go type or struct ("cannot unmarshal string into Go struct field
// gabBench.value of type float64").
func TestWrongTypesAreNamedInWords(t *testing.T) {
	for _, tt := range []struct {
		name, in, want string
	}{
		{"gab quoted NaN", `[{"name": "BenchmarkA", "unit": "ns/op", "value": "NaN"}]`, `in.json: [0].value: benchmark "BenchmarkA": value is a JSON string, want a number; skipped`},
		{"gab out of range", `[{"name": "BenchmarkA", "unit": "ns/op", "value": 1e400}]`, `in.json: [0].value: benchmark "BenchmarkA": value 1e400 is out of range; skipped`},
		{"hyperfine times", `{"results": [{"command": "sleep 1", "mean": 1, "times": [1, "two", 3]}]}`, "in.json: results[0]: times is a JSON string, want a number"},
		{"pytest data", `{"machine_info": {}, "commit_info": {}, "benchmarks": [{"name": "test_a", "stats": {"data": ["1", 2]}}]}`, "in.json: benchmarks[0]: data is a JSON string, want a number"},
		{"google benchmark context", `{"context": {"num_cpus": "four"}, "benchmarks": [{"name": "BM_a", "run_type": "iteration", "iterations": 10, "real_time": 1, "cpu_time": 1, "time_unit": "ns"}]}`,
			"in.json:1: context.num_cpus: num_cpus is a JSON string, want an integer"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			out, err := Read(strings.NewReader(tt.in), "in.json", FormatAuto)
			var msgs []string
			if err != nil {
				msgs = append(msgs, err.Error())
			}
			for _, w := range out.Warnings {
				msgs = append(msgs, w.Error())
			}
			all := strings.Join(msgs, "\n")
			if !strings.Contains(all, tt.want) {
				t.Errorf("got %q; want %q", all, tt.want)
			}
			for _, bad := range []string{"Go struct", "unmarshal", "float64", "int64", "json.RawMessage"} {
				if strings.Contains(all, bad) {
					t.Errorf("message names Go internals (%q): %s", bad, all)
				}
			}
			if err == nil && len(out.Warnings) == 0 {
				t.Error(errors.New("no error and no warning"))
			}
		})
	}
}
