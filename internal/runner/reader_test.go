package runner

import (
	"bytes"
	"context"
	"testing"

	"github.com/benchgate/benchgate/internal/config"
	"github.com/benchgate/benchgate/internal/results"
)

// readResults is Options.Parse wired to the real results readers, as the
// action wires it.
func readResults(job config.Job, data []byte, source string) ([]results.Result, error) {
	out, err := results.Read(bytes.NewReader(data), source, results.Format(job.Benchmark.Format))
	return out.Results, err
}

// TestRunWithResultsReader runs benchmarks whose output the real readers
// parse, and checks the classification of their errors.
func TestRunWithResultsReader(t *testing.T) {
	tests := []struct {
		name     string
		suite    string
		wantType results.ErrorType
		wantName string
	}{
		{
			name:     "go benchmark text",
			suite:    "benchmarks:\n  - {name: g, format: go, command: [printf, 'BenchmarkSort-8 \\t 100 \\t 12.5 ns/op\\n']}\n",
			wantName: "BenchmarkSort",
		},
		{
			name:     "malformed native JSON",
			suite:    "benchmarks:\n  - {name: n, format: native, command: [printf, '{\"model\": ']}\n",
			wantType: results.ErrJSONParse,
		},
		{
			name:     "go run that matched no benchmark",
			suite:    "benchmarks:\n  - {name: e, format: go, command: [printf, 'PASS\\nok \\tx\\t0.1s\\n']}\n",
			wantType: results.ErrResultProcessing,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			outs, err := Run(context.Background(), planJobs(t, tt.suite), Options{Parse: readResults})
			if err != nil {
				t.Fatalf("Run: %v", err)
			}
			o := outs[0]
			if tt.wantType != "" {
				if o.Failure == nil || o.Failure.Type != tt.wantType {
					t.Fatalf("Failure: got %+v; want type %s", o.Failure, tt.wantType)
				}
				return
			}
			if o.Failure != nil {
				t.Fatalf("Failure: got %+v; want none", o.Failure)
			}
			if len(o.Results) != 1 || o.Results[0].Name != tt.wantName {
				t.Errorf("Results: got %+v; want one named %q", o.Results, tt.wantName)
			}
		})
	}
}
