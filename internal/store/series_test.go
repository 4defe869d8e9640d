package store

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/benchgate/benchgate/internal/results"
)

// seriesResult is a one-metric result of benchmark name on a cpu.
func seriesResult(name string, samples ...float64) results.Result {
	return results.Result{Name: name, Hardware: results.Hardware{Type: "cpu", DeviceName: "EPYC", DriverVersion: "d1"},
		Metrics: []results.Metric{{Name: "sec/op", Unit: "s", Better: results.SmallerIsBetter, Samples: samples}}}
}

func TestSeries(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	ingest := func(id string, attempt int, commit, ref string, at time.Duration, rs ...results.Result) {
		run := testRun(id, attempt, commit, ref, t0.Add(at))
		mustIngest(t, db, run, rs)
	}
	ingest("1", 1, "c1", "refs/heads/main", 0, seriesResult("BenchmarkNetHTTP", 1, 2), seriesResult("BenchmarkOther", 5))
	ingest("2", 1, "c2", "refs/heads/main", time.Hour, seriesResult("BenchmarkNetHTTP", 3))
	// A re-run's latest attempt replaces the first.
	ingest("2", 2, "c2", "refs/heads/main", 2*time.Hour, seriesResult("BenchmarkNetHTTP", 4))
	ingest("3", 1, "c3", "refs/pull/7/merge", 3*time.Hour, seriesResult("BenchmarkNetHTTP", 9))
	ingest("4", 1, "c4", "", 4*time.Hour, seriesResult("BenchmarkNetHTTP", 7))

	got, err := db.Series(ctx, SeriesFilter{Benchmark: "nethttp", Ref: "main"})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 {
		t.Fatalf("Series(nethttp, main) = %d series; want 1", len(got))
	}
	s := got[0]
	want := results.SeriesKey{Benchmark: "BenchmarkNetHTTP", Metric: "sec/op", Hardware: "cpu", Device: "EPYC", Runner: "linux-x64"}
	if s.Key != want || s.Unit != "s" || s.Direction != "smaller" || s.Exact {
		t.Errorf("series = %+v %q %q %v; want %+v s smaller false", s.Key, s.Unit, s.Direction, s.Exact, want)
	}
	var commits []string
	for _, p := range s.Points {
		commits = append(commits, p.Run.Commit)
	}
	if !slices.Equal(commits, []string{"c1", "c2"}) || !slices.Equal(s.Points[0].Samples, []float64{1, 2}) ||
		!slices.Equal(s.Points[1].Samples, []float64{4}) || s.Points[1].Run.Attempt != 2 {
		t.Errorf("points = %+v; want c1 [1 2], c2 attempt 2 [4]", s.Points)
	}
	if s.Points[0].Run.Environment["cuda"] != "12.4" || !slices.Equal(s.Drivers, []string{"d1", "d1"}) {
		t.Errorf("environment %v, drivers %v; want cuda 12.4, d1 d1", s.Points[0].Run.Environment, s.Drivers)
	}

	for _, tt := range []struct {
		f    SeriesFilter
		want int // points of all series
	}{
		{SeriesFilter{}, 4},                                   // c1 ×2 series, c2, c4; no PR
		{SeriesFilter{NoRef: true}, 1},                        // c4
		{SeriesFilter{Ref: "refs/pull/7/merge"}, 1},           // asked for
		{SeriesFilter{Benchmark: "Benchmark*HTTP"}, 3},        // glob
		{SeriesFilter{Benchmark: "*http"}, 0},                 // globs are case-sensitive
		{SeriesFilter{Metric: "SEC/OP", Hardware: "epyc"}, 4}, // device name
		{SeriesFilter{Hardware: "cuda"}, 0},
		{SeriesFilter{Since: t0.Add(90 * time.Minute)}, 2}, // c2's retry, c4
	} {
		ss, err := db.Series(ctx, tt.f)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, s := range ss {
			n += len(s.Points)
		}
		if n != tt.want {
			t.Errorf("Series(%+v) has %d points; want %d", tt.f, n, tt.want)
		}
	}

	refs, err := db.Refs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(refs) != 3 || refs[0] != (RefRuns{"refs/heads/main", 2}) {
		t.Errorf("Refs = %v; want main with 2 runs first, 3 refs", refs)
	}
	bc, err := db.BranchCommits(ctx, SeriesFilter{Ref: "main"})
	if err != nil {
		t.Fatal(err)
	}
	if len(bc) != 2 || bc[0].Commit != "c1" || bc[1].Commit != "c2" || !bc[1].First.Equal(t0.Add(time.Hour)) {
		t.Errorf("BranchCommits(main) = %v; want c1, c2 first at +1h", bc)
	}
	ms, err := db.MetricNames(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(ms, []string{"sec/op"}) {
		t.Errorf("MetricNames = %v; want [sec/op]", ms)
	}
}

// TestEachSeriesBatches checks that reading in batches of series changes
// nothing: the series of one query and of batches of one result are the
// same, in key order, with the same points and samples in ingest order.
func TestEachSeriesBatches(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	names := []string{"BenchmarkB", "BenchmarkA/x", "BenchmarkA", "BenchmarkC", "Benchmarka"}
	for i := range 6 {
		var rs []results.Result
		for k, n := range names {
			rs = append(rs, seriesResult(n, float64(10*i+k), float64(10*i+k)+0.5))
		}
		mustIngest(t, db, testRun(string(rune('a'+i)), 1, "c"+string(rune('0'+i)), "refs/heads/main", t0.Add(time.Duration(i)*time.Hour)), rs)
	}
	read := func(batch int64) []SeriesHistory {
		t.Helper()
		old := seriesBatchRows
		seriesBatchRows = batch
		defer func() { seriesBatchRows = old }()
		bs, err := db.seriesBatches(ctx, SeriesFilter{Ref: "main"})
		if err != nil {
			t.Fatal(err)
		}
		if want := map[int64]int{1 << 40: 1, 1: len(names)}[batch]; len(bs) != want {
			t.Errorf("batches of %d results: %d; want %d", batch, len(bs), want)
		}
		got, err := db.Series(ctx, SeriesFilter{Ref: "main"})
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	one, batched := read(1<<40), read(1)
	if len(one) != len(names) || len(batched) != len(one) {
		t.Fatalf("series: %d in one query, %d in batches; want %d", len(one), len(batched), len(names))
	}
	for i := range one {
		a, b := one[i], batched[i]
		if a.Key != b.Key || len(a.Points) != len(b.Points) {
			t.Fatalf("series %d: %v with %d points in one query, %v with %d in batches", i, a.Key, len(a.Points), b.Key, len(b.Points))
		}
		if i > 0 && one[i-1].Key.Benchmark > a.Key.Benchmark {
			t.Errorf("series %d (%s) after %s: not in key order", i, a.Key.Benchmark, one[i-1].Key.Benchmark)
		}
		for k := range a.Points {
			if !slices.Equal(a.Points[k].Samples, b.Points[k].Samples) || a.Points[k].Run.ID != b.Points[k].Run.ID {
				t.Errorf("%s point %d: %v of run %s in one query, %v of run %s in batches", a.Key.Benchmark, k,
					a.Points[k].Samples, a.Points[k].Run.ID, b.Points[k].Samples, b.Points[k].Run.ID)
			}
		}
	}
	if b := batched[slices.IndexFunc(batched, func(s SeriesHistory) bool { return s.Key.Benchmark == "BenchmarkB" })]; !slices.Equal(b.Points[2].Samples, []float64{20, 20.5}) {
		t.Errorf("BenchmarkB at run c: %v; want [20 20.5]", b.Points[2].Samples)
	}
}
