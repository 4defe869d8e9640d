package runner

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/benchgate/benchgate/internal/monitor"
	"github.com/benchgate/benchgate/internal/results"
)

// flakySuite is a suite whose benchmark fails on its first run with the
// given stderr and succeeds after; count.txt counts its runs.
func flakySuite(dir, stderr string) string {
	return `benchmarks:
  - name: flaky
    shell: bash
    command: |
      n=$(cat ` + dir + `/count.txt 2>/dev/null || echo 0); n=$((n+1)); echo $n > ` + dir + `/count.txt
      if [ $n = 1 ]; then echo '` + stderr + `' >&2; exit 1; fi
      printf '[{"name":"flaky","value":1}]'
`
}

func TestRunRetry(t *testing.T) {
	tests := []struct {
		name         string
		stderr       string
		noRetry      bool
		wantAttempts int
		wantFail     bool
	}{
		{"busy GPU is retried", "RuntimeError: CUDA error: all CUDA-capable devices are busy or unavailable", false, 2, false},
		{"EAGAIN is retried", "fork: Resource temporarily unavailable", false, 2, false},
		{"a plain failure is not", "Traceback: KeyError", false, 1, true},
		{"out of memory is not", "CUDA out of memory. Tried to allocate 2.20 GiB", false, 1, true},
		{"retry turned off", "all CUDA-capable devices are busy or unavailable", true, 1, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			outs, err := Run(context.Background(), planJobs(t, flakySuite(dir, tt.stderr)), Options{Parse: parseJSON, NoRetry: tt.noRetry})
			if err != nil {
				t.Fatalf("Run: %v", err)
			}
			o := outs[0]
			if o.Attempts != tt.wantAttempts || (o.Failure != nil) != tt.wantFail {
				t.Fatalf("got attempts %d, failure %v; want %d, failed %v", o.Attempts, o.Failure, tt.wantAttempts, tt.wantFail)
			}
			if tt.wantAttempts == 2 && (o.Retried == nil || !strings.Contains(o.Retried.Stderr, tt.stderr)) {
				t.Errorf("Retried: got %+v; want the first failure with its stderr", o.Retried)
			}
		})
	}
}

func TestTransient(t *testing.T) {
	tests := []struct {
		name string
		res  ExecResult
		want string
	}{
		{"text file busy at start", ExecResult{StartErr: &os.PathError{Op: "fork/exec", Path: "/x", Err: syscall.ETXTBSY}}, "start failed with text file busy"},
		{"missing command", ExecResult{StartErr: &os.PathError{Op: "fork/exec", Path: "/x", Err: syscall.ENOENT}}, ""},
		{"timeout", ExecResult{TimedOut: true, Stderr: []byte("Resource temporarily unavailable")}, ""},
		{"signal", ExecResult{Signal: syscall.SIGKILL, Stderr: []byte("Text file busy")}, ""},
		{"exit 0", ExecResult{ExitCode: 0, Stderr: []byte("Text file busy")}, ""},
		{"busy device", ExecResult{ExitCode: 1, Stderr: []byte("cudaErrorDevicesUnavailable")}, "stderr says cudaErrorDevicesUnavailable"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := transient(tt.res); got != tt.want {
				t.Errorf("transient: got %q; want %q", got, tt.want)
			}
		})
	}
}

// TestRunStatusAndResume runs a suite whose second benchmark fails once:
// the status files record it; a resumed run parses the first benchmark's
// saved output instead of running it, and runs the failed one again.
func TestRunStatusAndResume(t *testing.T) {
	dir := t.TempDir()
	suite := `benchmarks:
  - name: stdout
    repetitions: 2
    shell: bash
    command: |
      echo x >> ` + dir + `/stdout.runs
      printf '[{"name":"stdout","value":%s}]' {repetition}
  - name: file
    shell: bash
    command: |
      n=$(cat ` + dir + `/count.txt 2>/dev/null || echo 0); n=$((n+1)); echo $n > ` + dir + `/count.txt
      if [ $n = 1 ]; then echo boom >&2; exit 1; fi
      printf '[{"name":"file","value":7}]' > {output}
`
	jobs := planJobs(t, suite)
	out := filepath.Join(dir, "out")
	opts := Options{Parse: parseJSON, OutputDir: out, StatusDir: out, RunID: "r1", Suite: "s",
		Skipped: []Skipped{{Job: "bert/rocm/bs=1", Reason: "rocm: no /sys/class/kfd"}}}
	outs, err := Run(context.Background(), jobs, opts)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	if len(outs) != 3 || outs[1].Failure == nil {
		t.Fatalf("first run: got %d outcomes; want 3 with file failed", len(outs))
	}
	st, err := LatestStatus(out)
	if err != nil || st == nil {
		t.Fatalf("LatestStatus: %v, %v", st, err)
	}
	if st.State != "finished" || st.Total != 3 || st.Completed != 2 || st.Failed != 1 || st.Remaining != 0 || st.RunID != "r1" || len(st.Skipped) != 1 {
		t.Errorf("status: got %+v", st)
	}
	stamped, _ := filepath.Glob(filepath.Join(out, StatusPrefix+"2*.json"))
	if len(stamped) != 1 {
		t.Fatalf("timestamped status files: got %v; want one", stamped)
	}
	a, _ := os.ReadFile(stamped[0])
	b, _ := os.ReadFile(filepath.Join(out, StatusLatest))
	if !bytes.Equal(a, b) {
		t.Errorf("latest and timestamped status differ")
	}
	if leftovers, _ := filepath.Glob(filepath.Join(out, ".*")); len(leftovers) != 0 {
		t.Errorf("temporary files left: %v", leftovers)
	}

	opts.Resume = st
	outs2, err := Run(context.Background(), jobs, opts)
	if err != nil {
		t.Fatalf("resumed Run: %v", err)
	}
	var resumed []bool
	for _, o := range outs2 {
		resumed = append(resumed, o.Resumed)
		if o.Failure != nil {
			t.Errorf("resumed run %s#%d failed: %v", o.Job.Name, o.Repetition, o.Failure.Message)
		}
	}
	if want := []bool{true, false, true}; !reflect.DeepEqual(resumed, want) {
		t.Errorf("resumed: got %v; want %v", resumed, want)
	}
	runs, _ := os.ReadFile(filepath.Join(dir, "stdout.runs"))
	if n := strings.Count(string(runs), "x"); n != 2 {
		t.Errorf("stdout benchmark ran %d times; want 2 (not again on resume)", n)
	}
	got := Results(outs2)
	if len(got) != 2 || !reflect.DeepEqual(got[0].Metrics[0].Samples, []float64{1, 2}) || got[1].Metrics[0].Samples[0] != 7 {
		t.Errorf("resumed results: got %+v", got)
	}
	st2, _ := LatestStatus(out)
	if st2.Completed != 3 || st2.Failed != 0 {
		t.Errorf("resumed status: got completed %d, failed %d; want 3, 0", st2.Completed, st2.Failed)
	}

	// A changed command is not resumed.
	jobs[0].Argv = []string{strings.Replace(jobs[0].Argv[0], "printf", "printf  ", 1)}
	opts.Resume = st2
	outs3, err := Run(context.Background(), jobs, opts)
	if err != nil || outs3[0].Resumed {
		t.Errorf("changed command: got resumed %v, %v; want it run again", outs3[0].Resumed, err)
	}
}

// TestRunInterruptedStatus checks that cancelling marks the status
// interrupted.
func TestRunInterruptedStatus(t *testing.T) {
	out := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	timer := time.AfterFunc(200*time.Millisecond, cancel)
	defer timer.Stop()
	_, err := Run(ctx, planJobs(t, "benchmarks:\n  - {name: slow, command: [sleep, '100']}\n"), Options{Parse: parseJSON, OutputDir: out, StatusDir: out})
	if err == nil {
		t.Fatal("Run: got no error; want cancelled")
	}
	st, err := LatestStatus(out)
	if err != nil || st.State != "interrupted" || st.Failed != 1 {
		t.Errorf("status: got %+v, %v; want interrupted with one failed run", st, err)
	}
}

// TestRunMonitor runs a benchmark under the monitor: the report is kept
// and the peak memory is added to the result.
func TestRunMonitor(t *testing.T) {
	suite := `benchmarks:
  - name: m
    shell: bash
    command: |
      sleep 0.2; printf '[{"name":"m","value":1}]'
`
	outs, err := Run(context.Background(), planJobs(t, suite), Options{Parse: parseJSON, Monitor: &monitor.Options{Interval: 20 * time.Millisecond}})
	if err != nil || outs[0].Failure != nil {
		t.Fatalf("Run: %v, %+v", err, outs[0].Failure)
	}
	o := outs[0]
	if o.Resources == nil || len(o.Resources.Samples) < 3 || o.Summary == nil || o.Summary.PeakRSSBytes <= 0 {
		t.Fatalf("Resources: got %+v; want several samples and a peak", o.Summary)
	}
	m := o.Results[0].Metric(results.MetricMemoryPeak)
	if m == nil || m.Samples[0] != float64(o.Summary.PeakRSSBytes) {
		t.Errorf("memory_peak: got %+v; want %d", m, o.Summary.PeakRSSBytes)
	}
}

func TestDerive(t *testing.T) {
	w, j := 250.0, 500.0
	base := func() []results.Result {
		return []results.Result{{Name: "bert", Hardware: results.Hardware{Type: "cuda"}, Metrics: []results.Metric{
			{Name: results.MetricThroughput, Unit: "items/s", Better: results.BiggerIsBetter, Samples: []float64{1000}},
			{Name: results.MetricMemoryPeak, Unit: "B", Better: results.SmallerIsBetter, Samples: []float64{42}},
		}}}
	}
	rs := base()
	derive(rs, &ResourceSummary{PeakRSSBytes: 1 << 30, AvgPowerWatts: &w, EnergyJoules: &j})
	got := map[string]float64{}
	for _, m := range rs[0].Metrics {
		got[m.Name] = m.Samples[0]
	}
	want := map[string]float64{"throughput": 1000, "memory_peak": 42, "power": 250, "energy": 500, "energy_efficiency": 4}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("derive: got %v; want %v (the harness's memory_peak kept)", got, want)
	}
	two := append(base(), base()...)
	derive(two, &ResourceSummary{PeakRSSBytes: 1, AvgPowerWatts: &w})
	if len(two[0].Metrics) != 2 {
		t.Errorf("derive with two results: got %d metrics; want none added", len(two[0].Metrics))
	}
}

func TestVisibleGPUs(t *testing.T) {
	for env, want := range map[string][]int{
		"CUDA_VISIBLE_DEVICES=0,2":      {0, 2},
		"CUDA_VISIBLE_DEVICES=GPU-8d2c": nil,
		"OTHER=1":                       nil,
	} {
		if got := visibleGPUs([]string{env}); !reflect.DeepEqual(got, want) {
			t.Errorf("visibleGPUs(%q): got %v; want %v", env, got, want)
		}
	}
}

func TestProgress(t *testing.T) {
	suite := "benchmarks:\n  - {name: 'a%b', command: [printf, '[{\"name\":\"a\",\"value\":1}]']}\n  - {name: bad, command: [sh, -c, 'exit 1']}\n"
	var groups bytes.Buffer
	if _, err := Run(context.Background(), planJobs(t, suite), Options{Parse: parseJSON, Progress: NewGroups(&groups)}); err != nil {
		t.Fatal(err)
	}
	want := "::group::[1/2] a%25b (repetition 1)\n::endgroup::\n::group::[2/2] bad (repetition 1)\n::endgroup::\n" +
		"::error title=benchmark bad failed::execution_error: benchmark exited with status 1\n"
	if groups.String() != want {
		t.Errorf("groups:\ngot  %q\nwant %q", groups.String(), want)
	}
	var bar bytes.Buffer
	b := NewBar(&bar)
	if _, err := Run(context.Background(), planJobs(t, suite), Options{Parse: parseJSON, Progress: b}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(bar.String(), "2/2") || !strings.Contains(bar.String(), "100%") {
		t.Errorf("bar: got %q; want it to reach 2/2, 100%%", bar.String())
	}
	b.Start(1)
	b.LogWriter().Write([]byte("log line\n"))
	b.Finish()
	if !strings.Contains(bar.String(), "log line\n") {
		t.Errorf("bar log writer: got %q; want the log line", bar.String())
	}
}

// TestStatusJSON checks the status file's field names: they are a
// user-facing format.
func TestStatusJSON(t *testing.T) {
	b, err := json.Marshal(statusRun(Outcome{Attempts: 2, Retried: &results.Failure{Type: results.ErrExecution, Message: "busy"}}))
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{`"job"`, `"repetition"`, `"status":"success"`, `"attempts":2`, `"retried":"execution_error: busy"`} {
		if !bytes.Contains(b, []byte(k)) {
			t.Errorf("status run JSON %s: no %s", b, k)
		}
	}
}
