package store

import (
	"context"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/benchgate/benchgate/internal/results"
)

// addResources gives the first two results of run resource samples.
func addResources(t *testing.T, db *DB, run Run) {
	t.Helper()
	f := func(v float64) *float64 { return &v }
	series := []ResourceSeries{
		{Benchmark: "BenchmarkSort/n=1000", Params: "pkg=example.com/sort,procs=8", HardwareType: "cpu", DeviceName: "AMD EPYC 7B13",
			Samples: []ResourceSample{{Time: 0.5, CPUPercent: f(95), MemoryMB: f(120)}, {Time: 1, CPUPercent: f(99)}}},
		{Benchmark: "bert-tiny", Params: "batch_size=8,precision=fp16,sequence_length=128", HardwareType: "cuda", DeviceName: "NVIDIA H100 80GB HBM3",
			Samples: []ResourceSample{{Time: 2, GPUPercent: f(80), PowerWatts: f(300), TemperatureC: f(61)}}},
	}
	if _, err := db.AddResourceSamples(context.Background(), run, series); err != nil {
		t.Fatalf("AddResourceSamples: %v", err)
	}
}

// TestMergeIntoEmpty checks that merging into an empty database writes
// exactly the rows, ids included, that the source holds when its runs were
// ingested oldest first: the same rows Ingest writes.
func TestMergeIntoEmpty(t *testing.T) {
	ctx := context.Background()
	src, dst := openTemp(t), openTemp(t)
	goldenRuns(t, src)
	addResources(t, src, testRun("r1", 1, "aaaaaaa1", "refs/heads/main", time.Time{}))
	st, err := dst.Merge(ctx, src)
	if err != nil {
		t.Fatalf("Merge: %v", err)
	}
	if want := (MergeStats{Runs: 3, Added: 3}); st != want {
		t.Errorf("Merge: got %+v; want %+v", st, want)
	}
	if got, want := dumpTables(t, dst), dumpTables(t, src); got != want {
		t.Errorf("rows after Merge into an empty database:\n%s\nwant the source's:\n%s", got, want)
	}
}

// TestMergeRemapsIDs merges into a database whose ids differ from the
// source's, sharing some runs, models and hardware: every run of the source
// reads back the same (results, resource samples), every reference points to
// a row of the destination, shared models and hardware are not duplicated,
// new ingests get fresh ids, and a second merge changes nothing.
func TestMergeRemapsIDs(t *testing.T) {
	ctx := context.Background()
	src, dst := openTemp(t), openTemp(t)
	t0 := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	goldenRuns(t, src)
	r1 := testRun("r1", 1, "aaaaaaa1", "refs/heads/main", t0)
	addResources(t, src, r1)

	// dst holds other runs first (other ids), one run src also holds, and
	// a model and hardware row src's results share.
	other := benchResults(30, 7)
	for i := range other {
		other[i].Name = "BenchmarkOther" + other[i].Name[len("BenchmarkKernel"):]
		other[i].Hardware = results.Hardware{Type: "cpu", DeviceName: "Intel Xeon 8481C", ComputeUnits: 16}
	}
	mustIngest(t, dst, testRun("d1", 1, "ddddddd1", "refs/heads/main", t0.Add(-2*time.Hour)), other)
	shared := nativeResult()
	shared.Hardware.MemoryMB = 0 // src knows the memory: the shared row takes it
	mustIngest(t, dst, testRun("d2", 1, "ddddddd2", "refs/heads/main", t0.Add(-time.Hour)), []results.Result{shared})
	mustIngest(t, dst, testRun("r1", 2, "aaaaaaa1", "refs/heads/main", t0.Add(2*time.Hour)), benchResults(40, 3))
	before := tableCounts(t, dst)

	st, err := dst.Merge(ctx, src)
	if err != nil {
		t.Fatalf("Merge: %v", err)
	}
	if want := (MergeStats{Runs: 3, Added: 2, Skipped: 1}); st != want {
		t.Errorf("Merge: got %+v; want %+v", st, want)
	}
	srcRuns, err := src.Runs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, run := range srcRuns {
		want, err := src.Results(ctx, run)
		if err != nil {
			t.Fatal(err)
		}
		got, err := dst.Results(ctx, run)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("Results(%s#%d) after Merge:\ngot  %+v\nwant %+v", run.ID, run.Attempt, got, want)
		}
		wantRes, err := src.ResourceSamples(ctx, run)
		if err != nil {
			t.Fatal(err)
		}
		gotRes, err := dst.ResourceSamples(ctx, run)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(gotRes, wantRes) {
			t.Errorf("ResourceSamples(%s#%d) after Merge: got %+v; want %+v", run.ID, run.Attempt, gotRes, wantRes)
		}
	}
	// The runs of dst are as they were.
	if got, err := dst.Results(ctx, Run{ID: "d1", Attempt: 1}); err != nil || !reflect.DeepEqual(got, other) {
		t.Errorf("Results(d1#1) after Merge: got %d results, %v; want dst's own", len(got), err)
	}
	checkReferences(t, dst)

	after := tableCounts(t, dst)
	srcCounts := tableCounts(t, src)
	// src's r1#2 (40 results, 120 metric rows) was skipped; models and
	// hardware rows src shares with dst are not duplicated: bert-tiny (from
	// d2) and the 40 kernels (from r1#2) exist in dst, so do the EPYC and
	// H100 rows; the L4 is new.
	for table, want := range map[string]int{
		"runs":                before["runs"] + 2,
		"performance_results": before["performance_results"] + srcCounts["performance_results"] - 40,
		"metric_samples":      before["metric_samples"] + srcCounts["metric_samples"] - 120,
		"iteration_samples":   before["iteration_samples"] + srcCounts["iteration_samples"],
		"benchmark_errors":    before["benchmark_errors"] + srcCounts["benchmark_errors"],
		"models":              before["models"] + 4, // BenchmarkSort, bert-large, BenchmarkNoParams, bert-mini
		"hardware_platforms":  before["hardware_platforms"] + 1,
	} {
		if after[table] != want {
			t.Errorf("%s after Merge: got %d rows; want %d", table, after[table], want)
		}
	}

	// Idempotent: a second merge changes nothing.
	st, err = dst.Merge(ctx, src)
	if want := (MergeStats{Runs: 3, Skipped: 3}); err != nil || st != want {
		t.Errorf("second Merge: got %+v, %v; want %+v", st, err, want)
	}
	if got := tableCounts(t, dst); !reflect.DeepEqual(got, after) {
		t.Errorf("rows after second Merge: got %v; want %v", got, after)
	}
	// Sequences are past every merged id: a new ingest works.
	mustIngest(t, dst, testRun("new", 1, "eeeeeee1", "refs/heads/main", t0.Add(5*time.Hour)), allResults())
	checkReferences(t, dst)
}

// checkReferences fails the test when a row refers to a missing row or an
// id is not unique.
func checkReferences(t *testing.T, db *DB) {
	t.Helper()
	for _, q := range []string{
		`SELECT count(*) FROM performance_results WHERE run_key NOT IN (SELECT id FROM runs)`,
		`SELECT count(*) FROM performance_results WHERE model_id NOT IN (SELECT model_id FROM models)`,
		`SELECT count(*) FROM performance_results WHERE hardware_id NOT IN (SELECT hardware_id FROM hardware_platforms)`,
		`SELECT count(*) FROM metric_samples WHERE performance_id NOT IN (SELECT id FROM performance_results)`,
		`SELECT count(*) FROM iteration_samples WHERE performance_id NOT IN (SELECT id FROM performance_results)`,
		`SELECT count(*) FROM benchmark_errors WHERE performance_id NOT IN (SELECT id FROM performance_results)`,
		`SELECT count(*) FROM resource_monitoring WHERE performance_id NOT IN (SELECT id FROM performance_results)`,
		`SELECT count(*) - count(DISTINCT (hardware_type, device_name, driver_version)) FROM hardware_platforms`,
		`SELECT count(*) - count(DISTINCT (model_name, model_family, model_type, model_size, parameters_million)) FROM models`,
	} {
		var n int
		if err := db.sql.QueryRowContext(context.Background(), q).Scan(&n); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		if n != 0 {
			t.Errorf("%s: got %d; want 0", q, n)
		}
	}
}

// TestMergeUntrusted merges into and from databases opened with
// OpenUntrusted: into one from anywhere (the source writes beside it), from
// one only into a database in its own directory.
func TestMergeUntrusted(t *testing.T) {
	ctx := context.Background()
	open := func(path string, untrusted bool) *DB {
		t.Helper()
		f := Open
		if untrusted {
			f = OpenUntrusted
		}
		db, err := f(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	}
	src := openTemp(t)
	mustIngest(t, src, testRun("r1", 1, "aaaaaaa1", "refs/heads/main", time.Now()), allResults())
	into := open(filepath.Join(t.TempDir(), "untrusted.duckdb"), true)
	if st, err := into.Merge(ctx, src); err != nil || st.Added != 1 {
		t.Errorf("Merge into an untrusted database: got %+v, %v; want 1 run added", st, err)
	}

	dir := t.TempDir()
	from := open(filepath.Join(dir, "from.duckdb"), true)
	mustIngest(t, from, testRun("r2", 1, "aaaaaaa2", "refs/heads/main", time.Now()), allResults())
	if _, err := openTemp(t).Merge(ctx, from); err == nil {
		t.Errorf("Merge from an untrusted database into another directory: got nil error; want one")
	}
	if st, err := open(filepath.Join(dir, "beside.duckdb"), false).Merge(ctx, from); err != nil || st.Added != 1 {
		t.Errorf("Merge from an untrusted database beside it: got %+v, %v; want 1 run added", st, err)
	}
}
