package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/benchgate/benchgate/internal/results"
	"github.com/benchgate/benchgate/internal/store"
)

// TestRunStoresMonitoring runs a two-repetition benchmark under the resource
// monitor and checks what is stored: the resource_monitoring rows of its
// result, both repetitions' in run time order, the derived peak memory, and
// the detected cpu in hardware_platforms.
func TestRunStoresMonitoring(t *testing.T) {
	dir := t.TempDir()
	suite := filepath.Join(dir, "suite.yml")
	os.WriteFile(suite, []byte(`version: 1
name: mon
benchmarks:
  - name: sleepy
    repetitions: 2
    shell: bash
    format: native
    command: |
      sleep 0.3
      echo '{"benchgate": 1, "name": "sleepy", "latencies_ms": [1, 2, 3]}'
`), 0o644)
	db := filepath.Join(dir, "bench.duckdb")
	var stdout, stderr bytes.Buffer
	getenv := func(k string) string { return map[string]string{"BENCHMARK_DB_PATH": db}[k] }
	code := run(context.Background(), []string{"run", "--suite", suite, "--run-id", "m1", "--output-dir", filepath.Join(dir, "out"),
		"--monitor-interval", "50ms", "--progress", "none"}, getenv, &stdout, &stderr)
	if code != 0 {
		t.Fatalf("run: exit %d\n%s\n%s", code, stdout.String(), stderr.String())
	}
	ctx := context.Background()
	st, err := store.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	series, err := st.ResourceSamples(ctx, store.Run{ID: "m1", Attempt: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(series) != 1 || series[0].Benchmark != "sleepy" || len(series[0].Samples) < 8 {
		t.Fatalf("resource series: got %+v; want one for sleepy with ≥ 8 samples (2 × 0.3 s at 50 ms)", series)
	}
	prev := -1.0
	for _, s := range series[0].Samples {
		if s.Time <= prev || s.CPUPercent == nil || s.MemoryMB == nil || s.GPUPercent != nil {
			t.Errorf("sample %+v after time %g: want increasing times, CPU and memory set, no GPU", s, prev)
		}
		prev = s.Time
	}
	rs, err := st.Results(ctx, store.Run{ID: "m1", Attempt: 1})
	if err != nil {
		t.Fatal(err)
	}
	m := rs[0].Metric(results.MetricMemoryPeak)
	if m == nil || len(m.Samples) != 2 || m.Samples[0] <= 0 {
		t.Errorf("memory_peak: got %+v; want one positive sample per repetition", m)
	}
}
