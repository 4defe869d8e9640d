package store

import (
	"context"
	"fmt"
	"reflect"
	"strconv"
	"testing"
	"time"

	"github.com/benchgate/benchgate/internal/results"
)

func TestQuery(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	mustIngest(t, db, testRun("1", 1, "abc", "main", t0), allResults())
	cpu := nativeResult()
	cpu.Hardware = results.Hardware{Type: "cpu"}
	cpu.Params["batch_size"] = "1"
	mustIngest(t, db, testRun("2", 1, "def", "main", t0.Add(time.Hour)), []results.Result{cpu})

	for _, tc := range []struct {
		name string
		f    Filter
		want []string // benchmark/hardware/batch@run
	}{
		{"all", Filter{}, []string{"BenchmarkSort/n=1000/cpu/-@1", "bert-large/cuda/32@1", "bert-tiny/cpu/1@2", "bert-tiny/cuda/8@1"}},
		{"family", Filter{Model: "BERT"}, []string{"bert-large/cuda/32@1", "bert-tiny/cpu/1@2", "bert-tiny/cuda/8@1"}},
		{"benchmark name", Filter{Model: "Bert-Tiny"}, []string{"bert-tiny/cpu/1@2", "bert-tiny/cuda/8@1"}},
		{"model name", Filter{Model: "prajjwal1/bert-tiny"}, []string{"bert-tiny/cpu/1@2", "bert-tiny/cuda/8@1"}},
		{"model without model row", Filter{Model: "benchmarksort/n=1000"}, []string{"BenchmarkSort/n=1000/cpu/-@1"}},
		{"hardware type", Filter{Hardware: "CUDA"}, []string{"bert-large/cuda/32@1", "bert-tiny/cuda/8@1"}},
		{"device name", Filter{Hardware: "nvidia h100 80gb hbm3"}, []string{"bert-large/cuda/32@1", "bert-tiny/cuda/8@1"}},
		{"errors only", Filter{ErrorsOnly: true}, []string{"bert-large/cuda/32@1"}},
		{"run id", Filter{RunID: "2"}, []string{"bert-tiny/cpu/1@2"}},
		{"since", Filter{Since: t0.Add(time.Minute)}, []string{"bert-tiny/cpu/1@2"}},
		{"combined", Filter{Model: "bert", Hardware: "cuda", ErrorsOnly: true, RunID: "1"}, []string{"bert-large/cuda/32@1"}},
		{"no match", Filter{Model: "t5-small"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rows, err := db.Query(ctx, tc.f)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, r := range rows {
				batch := "-"
				if r.BatchSize != nil {
					batch = strconv.Itoa(*r.BatchSize)
				}
				got = append(got, r.Benchmark+"/"+r.HardwareType+"/"+batch+"@"+r.RunID)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Query(%+v) = %v; want %v", tc.f, got, tc.want)
			}
		})
	}

	t.Run("failed row", func(t *testing.T) {
		rows, err := db.Query(ctx, Filter{ErrorsOnly: true})
		if err != nil || len(rows) != 1 {
			t.Fatalf("Query errors only: %d rows, %v; want 1 row", len(rows), err)
		}
		f := failedResult().Failure
		got := rows[0]
		one, twelve := 1, 12.5
		want := Row{
			RunID: "1", Attempt: 1, Commit: "abc", Ref: "main", Benchmark: "bert-large",
			ModelName: "bert-large-uncased", ModelFamily: "bert", ModelType: "text",
			HardwareType: "cuda", DeviceName: "NVIDIA H100 80GB HBM3", Params: "batch_size=32", BatchSize: &[]int{32}[0],
			Status: "failed", ErrorType: "execution_error", ErrorMessage: f.Message, Command: f.Command, Stderr: f.Stderr,
			ExitCode: &one, ExecutionTimeSec: &twelve, CreatedAt: t0,
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("failed row:\ngot  %+v\nwant %+v", got, want)
		}
	})

	t.Run("success row", func(t *testing.T) {
		rows, err := db.Query(ctx, Filter{Model: "bert-tiny", Hardware: "cuda"})
		if err != nil || len(rows) != 1 {
			t.Fatalf("Query: %d rows, %v; want 1 row", len(rows), err)
		}
		r := rows[0]
		if r.Status != "success" || r.AvgLatencyMs == nil || r.P99Ms == nil || r.ThroughputPerSec == nil || r.MemoryPeakMB == nil {
			t.Fatalf("success row = %+v; want status success and summary columns set", r)
		}
		if *r.ThroughputPerSec != 3800 || *r.MemoryPeakMB != 768 || r.ExitCode != nil || r.ErrorType != "" {
			t.Errorf("throughput, memory, exit code, error type = %g, %g, %v, %q; want 3800, 768, <nil>, empty",
				*r.ThroughputPerSec, *r.MemoryPeakMB, r.ExitCode, r.ErrorType)
		}
	})
}

func TestHistory(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	withMean := func(samples ...float64) results.Result {
		r := nativeResult()
		r.Metrics[0].Samples = samples
		return r
	}
	failed := withMean()
	failed.Failure = &results.Failure{Type: results.ErrTimeout, Message: "timed out"}
	failed.Metrics = nil
	otherRunner := testRun("5", 1, "e", "main", t0.Add(5*time.Hour))
	otherRunner.Runner = "gpu-runner"

	for _, in := range []struct {
		run Run
		r   results.Result
	}{
		{testRun("1", 1, "a", "main", t0), withMean(1, 2)},
		{testRun("2", 1, "b", "main", t0.Add(time.Hour)), withMean(3)},
		{testRun("2", 2, "b", "main", t0.Add(2*time.Hour)), withMean(4, 5)},  // supersedes 2#1
		{testRun("3", 1, "c", "main", t0.Add(3*time.Hour)), failed},          // no samples
		{testRun("4", 1, "d", "main", t0.Add(4*time.Hour)), goBenchResult()}, // other series
		{otherRunner, withMean(9)},
		{testRun("6", 1, "f", "main", t0.Add(6*time.Hour)), withMean(6)},
	} {
		mustIngest(t, db, in.run, []results.Result{in.r})
	}
	r := nativeResult()
	key := r.Key(&r.Metrics[0], "linux-x64")

	for _, tc := range []struct {
		name  string
		key   results.SeriesKey
		limit int
		want  []string // commit:samples
	}{
		{"all", key, 0, []string{"a:[1 2]", "b:[4 5]", "f:[6]"}},
		{"limit", key, 2, []string{"b:[4 5]", "f:[6]"}},
		{"limit above count", key, 10, []string{"a:[1 2]", "b:[4 5]", "f:[6]"}},
		{"other runner", func() results.SeriesKey { k := key; k.Runner = "gpu-runner"; return k }(), 0, []string{"e:[9]"}},
		{"other params", func() results.SeriesKey { k := key; k.Params = "batch_size=16"; return k }(), 0, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pts, err := db.History(ctx, tc.key, tc.limit)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, p := range pts {
				got = append(got, p.Run.Commit+":"+fmt.Sprint(p.Samples))
				if p.Unit != "s" {
					t.Errorf("point %s: Unit = %q; want s", p.Run.Commit, p.Unit)
				}
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("History(%s, %d) = %v; want %v", tc.key, tc.limit, got, tc.want)
			}
		})
	}
}

func TestStats(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	mustIngest(t, db, testRun("1", 1, "abc", "main", time.Now()), allResults())
	st, err := db.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	got := st
	got.FileBytes = 0
	want := Stats{Runs: 1, Results: 3, Failed: 1, MetricSeries: 11, Samples: 5*3 + 8*2, Iterations: 6}
	if got != want {
		t.Errorf("Stats = %+v; want %+v", got, want)
	}
	if st.FileBytes <= 0 || st.BytesPerResult() != float64(st.FileBytes)/3 {
		t.Errorf("FileBytes, BytesPerResult = %d, %g; want > 0 and FileBytes/3", st.FileBytes, st.BytesPerResult())
	}
}
