package history

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/benchgate/benchgate/internal/results"
	"github.com/benchgate/benchgate/internal/store"
)

// benchSeries is the number of series of BenchmarkChanges' histories: 130
// benchmarks × 4 metrics, the 520.
const benchSeries = 520

// buildBench adds commits from..to−1 to the history at path on main, each
// one run holding 130 benchmarks × 4 metrics with one sample each; every
// tenth benchmark steps by 10 % at commit 45.
func buildBench(b *testing.B, path string, from, to int) {
	db, err := store.Open(context.Background(), path)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	rng := rand.New(rand.NewPCG(3, uint64(from)))
	metrics := []results.Metric{
		{Name: "latency_mean", Unit: "s", Better: results.SmallerIsBetter},
		{Name: "latency_p99", Unit: "s", Better: results.SmallerIsBetter},
		{Name: "throughput", Unit: "items/s", Better: results.BiggerIsBetter},
		{Name: "memory_peak", Unit: "B", Better: results.SmallerIsBetter},
	}
	for c := from; c < to; c++ {
		rs := make([]results.Result, 0, benchSeries/len(metrics))
		for k := range benchSeries / len(metrics) {
			r := results.Result{Name: fmt.Sprintf("model-%03d", k), Params: map[string]string{"batch_size": "8"},
				Hardware: results.Hardware{Type: "cuda", DeviceName: "H100", DriverVersion: "550"}}
			step := 1.0
			if k%10 == 0 && c >= 45 {
				step = 1.1
			}
			for i, m := range metrics {
				m.Samples = []float64{float64(i+1) * 1e-3 * step * (1 + 0.01*rng.NormFloat64())}
				r.Metrics = append(r.Metrics, m)
			}
			rs = append(rs, r)
		}
		run := store.Run{ID: fmt.Sprintf("run-%d", c), Commit: commitID(c), Ref: mainRef, Suite: "models", Runner: "gpu-1",
			CreatedAt: t0.Add(time.Duration(c) * 24 * time.Hour), Environment: map[string]string{"cuda": "12.4"}}
		if _, err := db.Ingest(context.Background(), run, rs); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkChanges times the analysis behind `benchgate changes` (Analyze:
// the one query, the detector over every series, the grouping) and, apart,
// saving it (history.Save) on histories of 520 series × N commits. The
// databases are built once, outside the timer, each size from a copy of
// the one before.
//
//	go test ./internal/history -run '^$' -bench BenchmarkChanges -benchtime 3x
//
// With BENCHGATE_KEEP_DB=DIR the built databases are left in DIR
// (scripts/measure-changes.sh times the command on them).
func BenchmarkChanges(b *testing.B) {
	dir := os.Getenv("BENCHGATE_KEEP_DB")
	if dir == "" {
		dir = b.TempDir()
	}
	built := map[int]string{}
	last := 0
	db := func(b *testing.B, n int) string {
		if p, ok := built[n]; ok {
			return p
		}
		p := filepath.Join(dir, fmt.Sprintf("h%d.duckdb", n))
		if last > 0 {
			data, err := os.ReadFile(built[last])
			if err != nil {
				b.Fatal(err)
			}
			if err := os.WriteFile(p, data, 0o644); err != nil {
				b.Fatal(err)
			}
		}
		buildBench(b, p, last, n)
		built[n], last = p, n
		return p
	}
	ctx := context.Background()
	for _, n := range []int{90, 180, 365, 730} {
		b.Run(fmt.Sprintf("analyze/N=%d", n), func(b *testing.B) {
			st, err := store.OpenReadOnly(ctx, db(b, n))
			if err != nil {
				b.Fatal(err)
			}
			defer st.Close()
			b.ResetTimer()
			for b.Loop() {
				a, err := Analyze(ctx, st, Options{})
				if err != nil {
					b.Fatal(err)
				}
				if len(a.Series) != benchSeries {
					b.Fatalf("%d series; want %d", len(a.Series), benchSeries)
				}
			}
		})
		b.Run(fmt.Sprintf("save/N=%d", n), func(b *testing.B) {
			st, err := store.Open(ctx, db(b, n))
			if err != nil {
				b.Fatal(err)
			}
			defer st.Close()
			a, err := Analyze(ctx, st, Options{})
			if err != nil {
				b.Fatal(err)
			}
			now := time.Now()
			start := time.Now()
			first, err := Save(ctx, st, a, now)
			if err != nil {
				b.Fatal(err)
			}
			firstSave := time.Since(start)
			b.ResetTimer()
			for b.Loop() { // the same analysis again: nothing changes
				if s, err := Save(ctx, st, a, now); err != nil || s.Unchanged == 0 {
					b.Fatalf("save: %+v, %v", s, err)
				}
			}
			b.ReportMetric(float64(firstSave.Milliseconds()), "first-save-ms")
			b.ReportMetric(float64(first.Inserted), "first-save-changed-rows")
		})
	}
}
