package runner

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/benchgate/benchgate/internal/config"
	"github.com/benchgate/benchgate/internal/results"
)

// TestRunTaxonomy checks that every kind of failure is classified with the
// seed's error type and recorded with command, output, exit code and
// message, and that success yields the parsed results.
func TestRunTaxonomy(t *testing.T) {
	good := `[{"name":"a","value":1.5}]`
	tests := []struct {
		name        string
		suite       string
		parse       func(config.Job, []byte, string) ([]results.Result, error)
		maxOutput   int
		wantType    results.ErrorType // "" for success
		wantMessage string            // prefix
		wantExit    int
		wantCommand string
	}{
		{
			name:  "success from stdout",
			suite: "benchmarks:\n  - name: s\n    command: [printf, '%s', '" + good + "']\n",
			parse: parseJSON,
		},
		{
			name:  "success from output file",
			suite: "benchmarks:\n  - name: f\n    command: [sh, -c, 'printf \"%s\" \"$1\" > \"$2\"; echo noise', sh, '" + good + "', '{output}']\n",
			parse: parseJSON,
		},
		{
			name:        "non-zero exit",
			suite:       "benchmarks:\n  - name: e\n    command: [sh, -c, 'echo progress; echo \"Traceback: boom\" >&2; exit 3']\n",
			parse:       parseJSON,
			wantType:    results.ErrExecution,
			wantMessage: "benchmark exited with status 3: Traceback: boom",
			wantExit:    3,
			wantCommand: `sh -c 'echo progress; echo "Traceback: boom" >&2; exit 3'`,
		},
		{
			name:        "command not found",
			suite:       "benchmarks:\n  - name: nf\n    command: [benchgate-no-such-command, --flag]\n",
			parse:       parseJSON,
			wantType:    results.ErrExecution,
			wantMessage: `failed to start benchmark: exec: "benchgate-no-such-command": executable file not found in $PATH`,
			wantExit:    -1,
			wantCommand: "benchgate-no-such-command --flag",
		},
		{
			name:        "timeout",
			suite:       "benchmarks:\n  - name: to\n    timeout: 250ms\n    command: [sleep, '1000']\n",
			parse:       parseJSON,
			wantType:    results.ErrTimeout,
			wantMessage: "Benchmark timed out after 0.25 seconds",
			wantExit:    -1,
			wantCommand: "sleep 1000",
		},
		{
			name:        "killed by a signal",
			suite:       "benchmarks:\n  - name: sig\n    shell: bash\n    command: 'echo dying >&2; kill -ABRT $$'\n",
			parse:       parseJSON,
			wantType:    results.ErrExecution,
			wantMessage: "benchmark killed by signal: aborted: dying",
			wantExit:    -1,
			wantCommand: `bash -c 'echo dying >&2; kill -ABRT $$'`,
		},
		{
			name:        "json syntax error",
			suite:       "benchmarks:\n  - name: js\n    command: [echo, '{not json']\n",
			parse:       parseJSON,
			wantType:    results.ErrJSONParse,
			wantMessage: "parsing results: js stdout: invalid character 'n'",
		},
		{
			name:        "reader syntax error",
			suite:       "benchmarks:\n  - name: rs\n    command: [echo, x]\n",
			parse:       parseWith(nil, fmt.Errorf("out.txt: %w", &lineError{3})),
			wantType:    results.ErrJSONParse,
			wantMessage: "parsing results: out.txt: line 3: bad line",
		},
		{
			name:        "results parse error",
			suite:       "benchmarks:\n  - name: rp\n    command: [echo, x]\n",
			parse:       parseWith(nil, &results.ParseError{File: "out.json", Line: 2, Err: errors.New("unexpected end of JSON input")}),
			wantType:    results.ErrJSONParse,
			wantMessage: "parsing results: out.json:2: unexpected end of JSON input",
		},
		{
			name:        "data error",
			suite:       "benchmarks:\n  - name: de\n    command: [echo, x]\n",
			parse:       parseWith(nil, &results.DataError{File: "out.json", Line: 4, Key: "latencies_ms[3]", Err: errors.New("negative latency")}),
			wantType:    results.ErrResultProcessing,
			wantMessage: "processing results: out.json:4: latencies_ms[3]: negative latency",
		},
		{
			name:        "no results from the reader",
			suite:       "benchmarks:\n  - name: nrr\n    command: [echo, x]\n",
			parse:       parseWith(nil, fmt.Errorf("out.txt: %w", results.ErrNoResults)),
			wantType:    results.ErrResultProcessing,
			wantMessage: "processing results: out.txt: no benchmark results",
		},
		{
			name:        "other parse error",
			suite:       "benchmarks:\n  - name: pe\n    command: [echo, x]\n",
			parse:       parseWith(nil, errPlain),
			wantType:    results.ErrUnexpected,
			wantMessage: "reading results: read out.txt: input/output error",
		},
		{
			name:        "no results",
			suite:       "benchmarks:\n  - name: nr\n    command: [echo, '[]']\n",
			parse:       parseJSON,
			wantType:    results.ErrResultProcessing,
			wantMessage: "benchmark produced no results in nr stdout",
		},
		{
			name:  "invalid result",
			suite: "benchmarks:\n  - name: ir\n    command: [echo, x]\n",
			parse: parseWith([]results.Result{{Name: "x", Hardware: results.Hardware{Type: "cpu"},
				Metrics: []results.Metric{{Name: "sec/op", Samples: []float64{math.NaN()}}}}}, nil),
			wantType:    results.ErrResultProcessing,
			wantMessage: `invalid result in ir stdout: benchmark "x" metric "sec/op": sample 1 is NaN`,
		},
		{
			name:        "output file not written",
			suite:       "benchmarks:\n  - name: nw\n    command: [echo, '{output}']\n",
			parse:       parseJSON,
			wantType:    results.ErrResultProcessing,
			wantMessage: "benchmark exited with status 0 but wrote no output file ",
		},
		{
			name:        "stdout over the cap",
			suite:       "benchmarks:\n  - name: big\n    command: [printf, '%0300d', '0']\n",
			parse:       parseJSON,
			maxOutput:   100,
			wantType:    results.ErrResultProcessing,
			wantMessage: "stdout is larger than the 100-byte cap and was truncated; write the result to {output} instead",
		},
		{
			name:        "parse panics",
			suite:       "benchmarks:\n  - name: pp\n    command: [echo, x]\n",
			parse:       func(config.Job, []byte, string) ([]results.Result, error) { panic("index out of range") },
			wantType:    results.ErrUnexpected,
			wantMessage: "parsing results panicked: index out of range",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			jobs := planJobs(t, tt.suite)
			outs, err := Run(context.Background(), jobs, Options{OutputDir: t.TempDir(), Parse: tt.parse, MaxOutput: tt.maxOutput})
			if err != nil {
				t.Fatalf("Run: %v", err)
			}
			if len(outs) != 1 {
				t.Fatalf("outcomes: got %d; want 1", len(outs))
			}
			o := outs[0]
			if tt.wantType == "" {
				if o.Failure != nil {
					t.Fatalf("Failure: got %+v; want none", o.Failure)
				}
				want := []results.Result{{Name: "a", Hardware: results.Hardware{Type: "cpu"},
					Metrics: []results.Metric{{Name: "sec/op", Unit: "s", Samples: []float64{1.5}}}}}
				if !reflect.DeepEqual(o.Results, want) {
					t.Errorf("Results: got %+v; want %+v", o.Results, want)
				}
				return
			}
			f := o.Failure
			if f == nil {
				t.Fatalf("Failure: got none (results %+v); want %s", o.Results, tt.wantType)
			}
			if f.Type != tt.wantType {
				t.Errorf("Type: got %s; want %s (message %q)", f.Type, tt.wantType, f.Message)
			}
			if !strings.HasPrefix(f.Message, tt.wantMessage) {
				t.Errorf("Message: got %q; want prefix %q", f.Message, tt.wantMessage)
			}
			if f.ExitCode != tt.wantExit {
				t.Errorf("ExitCode: got %d; want %d", f.ExitCode, tt.wantExit)
			}
			if tt.wantCommand != "" && f.Command != tt.wantCommand {
				t.Errorf("Command: got %s; want %s", f.Command, tt.wantCommand)
			}
			if f.Elapsed <= 0 && f.Type != results.ErrExecution {
				t.Errorf("Elapsed: got %g; want > 0", f.Elapsed)
			}
			if f.Stdout != string(o.Stdout) || f.Stderr != string(o.Stderr) {
				t.Errorf("Failure output: got %q, %q; want the outcome's %q, %q", f.Stdout, f.Stderr, o.Stdout, o.Stderr)
			}
			if len(o.Results) != 1 || o.Results[0].Failure != f || o.Results[0].Name != jobs[0].Name || o.Results[0].Validate() != nil {
				t.Errorf("Results: got %+v; want one valid failed result named %q carrying the failure", o.Results, jobs[0].Name)
			}
		})
	}
}

// TestRunFailureOutput checks that a failure keeps the process's output.
func TestRunFailureOutput(t *testing.T) {
	jobs := planJobs(t, "benchmarks:\n  - name: e\n    command: [sh, -c, 'echo out; echo err >&2; exit 1']\n")
	outs, err := Run(context.Background(), jobs, Options{Parse: parseJSON})
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	f := outs[0].Failure
	if f == nil || f.Stdout != "out\n" || f.Stderr != "err\n" {
		t.Errorf("Failure: got %+v; want stdout %q, stderr %q", f, "out\n", "err\n")
	}
}

// TestRunMatrix checks matrix jobs end to end: placeholders, output files
// named after the job, bash quoting of a path with a space, and the failed
// result of a matrix job naming model, batch size and hardware.
func TestRunMatrix(t *testing.T) {
	suite := `matrix:
  models: [bert, t5]
  hardware: [cuda]
  batch-sizes: [4]
  shell: bash
  command: |
    if [ {model} = t5 ]; then exit 1; fi
    printf '[{"name":"%s","value":%s}]' {model} {batch_size} > {output}
`
	outDir := filepath.Join(t.TempDir(), "out dir")
	outs, err := Run(context.Background(), planJobs(t, suite), Options{OutputDir: outDir, Parse: parseJSON})
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	if len(outs) != 2 {
		t.Fatalf("outcomes: got %d; want 2", len(outs))
	}
	if outs[0].Failure != nil || outs[0].Results[0].Name != "bert" || outs[0].Results[0].Metrics[0].Samples[0] != 4 {
		t.Errorf("bert: got failure %v, results %+v; want bert with sample 4", outs[0].Failure, outs[0].Results)
	}
	if _, err := os.Stat(filepath.Join(outDir, "bert-cuda-bs-4-r1.json")); err != nil {
		t.Errorf("output file: %v", err)
	}
	got := outs[1].Results[0]
	want := results.Result{Name: "t5", Params: map[string]string{"batch_size": "4"}, Model: &results.Model{Name: "t5"},
		Hardware: results.Hardware{Type: "cuda"}, Failure: outs[1].Failure}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("failed result: got %+v; want %+v", got, want)
	}
}

// TestRunRepetitions checks the round order and the merge of repetitions.
func TestRunRepetitions(t *testing.T) {
	suite := `benchmarks:
  - name: a
    repetitions: 3
    command: [printf, '[{"name":"a","value":%s}]', '{repetition}']
  - name: b
    command: [printf, '[{"name":"b","value":%s}]', '{repetition}']
`
	var logs bytes.Buffer
	outs, err := Run(context.Background(), planJobs(t, suite), Options{Parse: parseJSON, Log: slog.New(slog.NewTextHandler(&logs, nil))})
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	var order []string
	for _, o := range outs {
		order = append(order, fmt.Sprintf("%s#%d", o.Job.Name, o.Repetition))
	}
	if want := []string{"a#1", "b#1", "a#2", "a#3"}; !reflect.DeepEqual(order, want) {
		t.Errorf("run order: got %v; want %v", order, want)
	}
	merged := Results(outs)
	if len(merged) != 2 || merged[0].Name != "a" || merged[1].Name != "b" {
		t.Fatalf("Results: got %+v; want a then b", merged)
	}
	if got, want := merged[0].Metrics[0].Samples, []float64{1, 2, 3}; !reflect.DeepEqual(got, want) {
		t.Errorf("a samples: got %v; want %v", got, want)
	}
	if n := strings.Count(logs.String(), "benchmark done"); n != 4 {
		t.Errorf("log records: got %d 'benchmark done'; want 4\n%s", n, logs.String())
	}
}

// TestRunContinuesAfterFailure checks that one failing benchmark does not
// stop the others.
func TestRunContinuesAfterFailure(t *testing.T) {
	suite := `benchmarks:
  - {name: bad, command: [sh, -c, 'exit 2']}
  - {name: good, command: [printf, '[{"name":"g","value":1}]']}
`
	outs, err := Run(context.Background(), planJobs(t, suite), Options{Parse: parseJSON})
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	if len(outs) != 2 || outs[0].Failure == nil || outs[1].Failure != nil {
		t.Fatalf("outcomes: got %+v; want bad failed, good succeeded", outs)
	}
}

// TestRunCancel checks that cancelling ctx kills the running benchmark,
// stops the run and returns the outcomes so far with the error.
func TestRunCancel(t *testing.T) {
	suite := `benchmarks:
  - {name: slow, command: [sleep, '1000']}
  - {name: never, command: [printf, '[]']}
`
	ctx, cancel := context.WithCancel(context.Background())
	timer := time.AfterFunc(200*time.Millisecond, cancel)
	defer timer.Stop()
	start := time.Now()
	outs, err := Run(ctx, planJobs(t, suite), Options{Parse: parseJSON})
	if took := time.Since(start); took > 10*time.Second {
		t.Fatalf("Run took %v; want it to stop soon after the cancel", took)
	}
	if err == nil || !strings.Contains(err.Error(), "context canceled") {
		t.Errorf("Run error: got %v; want context canceled", err)
	}
	if len(outs) != 1 || outs[0].Failure == nil || outs[0].Failure.Type != results.ErrUnexpected {
		t.Fatalf("outcomes: got %+v; want one unexpected_error outcome", outs)
	}
	if want := "benchmark canceled: context canceled"; outs[0].Failure.Message != want {
		t.Errorf("Message: got %q; want %q", outs[0].Failure.Message, want)
	}
}

// TestRunEnvironment runs `env` as the benchmark: secrets from the base
// environment must not reach it; the suite's env must.
func TestRunEnvironment(t *testing.T) {
	suite := `benchmarks:
  - name: env
    command: [env]
    env: {SUITE_VAR: from-suite, PATH_EXTRA: x}
`
	base := append(os.Environ(),
		"GITHUB_TOKEN=ghs_secret1", "INPUT_GITHUB-TOKEN=ghs_secret2", "ACTIONS_RUNTIME_TOKEN=secret3",
		"HF_TOKEN=secret4", "SUITE_VAR=overridden", "KEEP_ME=yes")
	var seen string
	parse := func(_ config.Job, data []byte, _ string) ([]results.Result, error) {
		seen = string(data)
		return parseJSON(config.Job{}, []byte(`[{"name":"env","value":0}]`), "")
	}
	outs, err := Run(context.Background(), planJobs(t, suite), Options{Env: base, Parse: parse})
	if err != nil || outs[0].Failure != nil {
		t.Fatalf("Run: got %v, failure %+v; want success", err, outs[0].Failure)
	}
	if strings.Contains(seen, "secret") {
		t.Errorf("benchmark environment: got a secret in\n%s", seen)
	}
	for _, want := range []string{"SUITE_VAR=from-suite\n", "KEEP_ME=yes\n", "PATH="} {
		if !strings.Contains(seen, want) {
			t.Errorf("benchmark environment: got no %q in\n%s", want, seen)
		}
	}
	if strings.Contains(seen, "SUITE_VAR=overridden") {
		t.Errorf("benchmark environment: got base SUITE_VAR; want the suite's value only")
	}
}

func TestRunErrors(t *testing.T) {
	jobs := planJobs(t, "benchmarks:\n  - {name: a, command: [true]}\n")
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		opts Options
		want string
	}{
		{"no parse", Options{}, "runner: Options.Parse is nil"},
		{"output dir is a file", Options{OutputDir: filepath.Join(file, "sub"), Parse: parseJSON}, "creating output directory: mkdir " + file + ": not a directory"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			outs, err := Run(context.Background(), jobs, tt.opts)
			if err == nil || err.Error() != tt.want {
				t.Errorf("Run: got %d outcomes, error %v; want error %q", len(outs), err, tt.want)
			}
		})
	}
}

func TestFileNames(t *testing.T) {
	jobs := []config.Job{{Name: "bert/cpu/bs=8"}, {Name: "bert-cpu-bs-8"}, {Name: "../x"}, {Name: "///"}, {Name: "a b.c"}}
	want := []string{"bert-cpu-bs-8", "bert-cpu-bs-8-2", "x", "job", "a-b.c"}
	if got := fileNames(jobs); !reflect.DeepEqual(got, want) {
		t.Errorf("fileNames: got %q; want %q", got, want)
	}
}
