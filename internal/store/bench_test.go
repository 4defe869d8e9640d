package store

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/benchgate/benchgate/internal/results"
)

// benchResults returns a run of n Go benchmark results as a suite of that
// size makes them: 3 metrics of 10 samples each, one CPU, no model.
func benchResults(n, seed int) []results.Result {
	rs := make([]results.Result, n)
	for i := range rs {
		base := 1e-6 * float64(1+i%97) * (1 + float64(seed%13)/100)
		samples := func(v float64) []float64 {
			s := make([]float64, 10)
			for k := range s {
				s[k] = v * (1 + float64((k*7+i+seed)%11-5)/500)
			}
			return s
		}
		rs[i] = results.Result{
			Name:     fmt.Sprintf("BenchmarkKernel%03d/size=%d", i/8, 1<<(i%8)),
			Params:   map[string]string{"pkg": fmt.Sprintf("example.com/kernels/k%d", i%5), "procs": "8"},
			Hardware: results.Hardware{Type: "cpu", DeviceName: "AMD EPYC 7B13", ComputeUnits: 8},
			Metrics: []results.Metric{
				{Name: "sec/op", Unit: "s", Better: results.SmallerIsBetter, Samples: samples(base)},
				{Name: "B/op", Unit: "B", Better: results.SmallerIsBetter, Exact: true, Samples: samples(4096)},
				{Name: "allocs/op", Unit: "allocs/op", Better: results.SmallerIsBetter, Exact: true, Samples: samples(3)},
			},
		}
	}
	return rs
}

// BenchmarkIngest times Ingest of one run of 520 and of 5,000 Go benchmark
// results (3 metrics × 10 samples each) into a database that already holds
// earlier runs of the same suite, and reports the time per result:
//
//	go test ./internal/store -run '^$' -bench BenchmarkIngest -benchtime 5x
func BenchmarkIngest(b *testing.B) {
	ctx := context.Background()
	for _, n := range []int{520, 5000} {
		b.Run(fmt.Sprintf("series=%d", n), func(b *testing.B) {
			db, err := Open(ctx, filepath.Join(b.TempDir(), "bench.duckdb"))
			if err != nil {
				b.Fatal(err)
			}
			defer db.Close()
			t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
			if _, err := db.Ingest(ctx, Run{ID: "warm", Runner: "linux", CreatedAt: t0}, benchResults(n, 0)); err != nil {
				b.Fatal(err)
			}
			rs := benchResults(n, 1)
			i := 0
			for b.Loop() {
				i++
				run := Run{ID: fmt.Sprintf("run-%d", i), Attempt: 1, Commit: fmt.Sprintf("%040x", i), Ref: "refs/heads/main",
					Suite: "kernels", Runner: "linux", CreatedAt: t0.Add(time.Duration(i) * time.Hour)}
				if _, err := db.Ingest(ctx, run, rs); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(b.Elapsed().Seconds()*1000/float64(b.N)/float64(n), "ms/result")
			st, err := db.Stats(ctx)
			if err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(st.BytesPerResult(), "B/result")
		})
	}
}
