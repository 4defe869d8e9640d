package store

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/benchgate/benchgate/internal/results"
)

// openTemp opens a new database file in a test directory and closes it at
// the end of the test.
func openTemp(t *testing.T) *DB {
	t.Helper()
	db, err := Open(context.Background(), filepath.Join(t.TempDir(), "bench.duckdb"))
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() {
		if err := db.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return db
}

// tableCounts returns the row count of each table Ingest writes.
func tableCounts(t *testing.T, db *DB) map[string]int {
	t.Helper()
	counts := map[string]int{}
	for _, table := range []string{"runs", "models", "hardware_platforms", "performance_results", "benchmark_errors", "metric_samples", "iteration_samples"} {
		var n int
		if err := db.sql.QueryRowContext(context.Background(), `SELECT count(*) FROM `+table).Scan(&n); err != nil {
			t.Fatalf("counting %s: %v", table, err)
		}
		counts[table] = n
	}
	return counts
}

// testRun returns a run with every field set.
func testRun(id string, attempt int, commit, ref string, created time.Time) Run {
	return Run{
		ID:          id,
		Attempt:     attempt,
		Commit:      commit,
		Ref:         ref,
		Suite:       "models",
		Runner:      "linux-x64",
		CreatedAt:   created,
		Environment: map[string]string{"go": "go1.26.8", "cuda": "12.4"},
	}
}

// goBenchResult is a result as the Go benchmark reader makes it.
func goBenchResult() results.Result {
	return results.Result{
		Name:     "BenchmarkSort/n=1000",
		Params:   map[string]string{"pkg": "example.com/sort", "procs": "8"},
		Hardware: results.Hardware{Type: "cpu", DeviceName: "AMD EPYC 7B13", ComputeUnits: 8},
		Metrics: []results.Metric{
			{Name: "sec/op", Unit: "s", Better: results.SmallerIsBetter, Samples: []float64{0.0010, 0.0012, 0.0011, 0.0013, 0.0009}},
			{Name: "B/op", Unit: "B", Better: results.SmallerIsBetter, Exact: true, Samples: []float64{4096, 4096, 4096, 4096, 4096}},
			{Name: "allocs/op", Unit: "allocs/op", Better: results.SmallerIsBetter, Exact: true, Samples: []float64{3, 3, 3, 3, 3}},
		},
	}
}

// nativeResult is a result as the native (model × hardware) reader makes it.
func nativeResult() results.Result {
	return results.Result{
		Name:   "bert-tiny",
		Params: map[string]string{"batch_size": "8", "sequence_length": "128", "precision": "fp16"},
		Model:  &results.Model{Name: "prajjwal1/bert-tiny", Family: "bert", Modality: "text", Size: "tiny", ParametersMillion: 4.4},
		Hardware: results.Hardware{
			Type: "cuda", DeviceName: "NVIDIA H100 80GB HBM3", DriverVersion: "550.54.15", MemoryMB: 81559, ComputeUnits: 132,
		},
		Metrics: []results.Metric{
			{Name: "latency_mean", Unit: "s", Better: results.SmallerIsBetter, Samples: []float64{0.0020, 0.0022}},
			{Name: "latency_p50", Unit: "s", Better: results.SmallerIsBetter, Samples: []float64{0.0019, 0.0021}},
			{Name: "latency_p90", Unit: "s", Better: results.SmallerIsBetter, Samples: []float64{0.0025, 0.0027}},
			{Name: "latency_p99", Unit: "s", Better: results.SmallerIsBetter, Samples: []float64{0.0030, 0.0034}},
			{Name: "throughput", Unit: "items/s", Better: results.BiggerIsBetter, Samples: []float64{4000, 3600}},
			{Name: "memory_peak", Unit: "B", Better: results.SmallerIsBetter, Samples: []float64{512 << 20, 768 << 20}},
			{Name: "power", Unit: "W", Better: results.SmallerIsBetter, Samples: []float64{300, 310}},
			{Name: "energy_efficiency", Unit: "items/J", Better: results.BiggerIsBetter, Samples: []float64{13, 12}},
		},
		Iterations:       [][]float64{{0.0019, 0.0020, 0.0021}, {0.0021, 0.0022, 0.0023}},
		WarmupIterations: 5,
	}
}

// failedResult is a failed result with every error field set.
func failedResult() results.Result {
	return results.Result{
		Name:     "bert-large",
		Params:   map[string]string{"batch_size": "32"},
		Model:    &results.Model{Name: "bert-large-uncased", Family: "bert", Modality: "text", Size: "large", ParametersMillion: 340},
		Hardware: results.Hardware{Type: "cuda", DeviceName: "NVIDIA H100 80GB HBM3", DriverVersion: "550.54.15", MemoryMB: 81559, ComputeUnits: 132},
		Failure: &results.Failure{
			Type:     results.ErrExecution,
			Message:  "CUDA out of memory. Tried to allocate 2.20 GiB",
			Command:  "python bench.py --model bert-large-uncased --batch-size 32",
			Stdout:   "loading model\n",
			Stderr:   "Traceback (most recent call last):\ntorch.OutOfMemoryError: CUDA out of memory\n",
			ExitCode: 1,
			Elapsed:  12.5,
		},
	}
}

// allResults returns one result of each kind.
func allResults() []results.Result {
	return []results.Result{goBenchResult(), nativeResult(), failedResult()}
}

// mustIngest ingests and fails the test on error.
func mustIngest(t *testing.T, db *DB, run Run, rs []results.Result) IngestStats {
	t.Helper()
	st, err := db.Ingest(context.Background(), run, rs)
	if err != nil {
		t.Fatalf("Ingest(%s#%d): %v", run.ID, run.Attempt, err)
	}
	return st
}
