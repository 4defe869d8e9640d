package store

import (
	"context"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/benchgate/benchgate/internal/results"
)

// TestQueryMetrics checks that every metric of a result comes with its row,
// including results whose metrics feed no summary column.
func TestQueryMetrics(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	throughputOnly := results.Result{Name: "BenchmarkServe", Hardware: results.Hardware{Type: "cpu"},
		Metrics: []results.Metric{{Name: "throughput", Unit: "items/s", Better: results.BiggerIsBetter, Samples: []float64{100, 300, 200}}}}
	custom := results.Result{Name: "compress ratio", Hardware: results.Hardware{Type: "cpu"},
		Metrics: []results.Metric{
			{Name: "ratio", Unit: "x", Better: results.BiggerIsBetter, Samples: []float64{2.5}},
			{Name: "size", Unit: "MB", Better: results.SmallerIsBetter, Samples: []float64{1, 2, 3, 10}},
		}}
	mustIngest(t, db, testRun("1", 1, "abc", "main", t0), append(allResults(), throughputOnly, custom))
	mustIngest(t, db, testRun("2", 1, "def", "main", t0.Add(48*time.Hour)), []results.Result{goBenchResult()})

	rows, err := db.Query(ctx, Filter{RunID: "1"})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string][]string{}
	for _, r := range rows {
		for _, m := range r.Metrics {
			got[r.Benchmark] = append(got[r.Benchmark], fmt.Sprintf("%s[%s,%s,n=%d,median=%.4g,mean=%.4g,col=%s]", m.Name, m.Unit, m.Better, m.N, m.Median, m.Mean, m.Column))
		}
	}
	want := map[string][]string{
		"BenchmarkSort/n=1000": {
			"sec/op[s,smaller,n=5,median=0.0011,mean=0.0011,col=latency]",
			"B/op[B,smaller,n=5,median=4096,mean=4096,col=]",
			"allocs/op[allocs/op,smaller,n=5,median=3,mean=3,col=]",
		},
		"bert-tiny": {
			"latency_mean[s,smaller,n=2,median=0.0021,mean=0.0021,col=latency]",
			"latency_p50[s,smaller,n=2,median=0.002,mean=0.002,col=]",
			"latency_p90[s,smaller,n=2,median=0.0026,mean=0.0026,col=]",
			"latency_p99[s,smaller,n=2,median=0.0032,mean=0.0032,col=]",
			"throughput[items/s,bigger,n=2,median=3800,mean=3800,col=throughput]",
			"memory_peak[B,smaller,n=2,median=6.711e+08,mean=6.711e+08,col=memory]",
			"power[W,smaller,n=2,median=305,mean=305,col=]",
			"energy_efficiency[items/J,bigger,n=2,median=12.5,mean=12.5,col=]",
		},
		"BenchmarkServe": {"throughput[items/s,bigger,n=3,median=200,mean=200,col=throughput]"},
		"compress ratio": {"ratio[x,bigger,n=1,median=2.5,mean=2.5,col=]", "size[MB,smaller,n=4,median=2.5,mean=4,col=]"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("metrics:\ngot  %v\nwant %v", got, want)
	}
	for _, r := range rows {
		if r.Status == "failed" && r.Metrics != nil {
			t.Errorf("failed row %s has metrics %v; want none", r.Benchmark, r.Metrics)
		}
	}

	t.Run("count", func(t *testing.T) {
		for _, tc := range []struct {
			f    Filter
			want int
		}{
			{Filter{}, 6},
			{Filter{Before: t0.Add(time.Hour)}, 5},
			{Filter{Since: t0.Add(time.Hour)}, 1},
			{Filter{Before: t0}, 0},
		} {
			n, err := db.CountResults(ctx, tc.f)
			if err != nil || n != tc.want {
				t.Errorf("CountResults(%+v) = %d, %v; want %d", tc.f, n, err, tc.want)
			}
		}
	})
}
