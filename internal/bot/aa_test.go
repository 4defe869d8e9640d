package bot

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"testing"
	"time"

	"github.com/benchgate/benchgate/internal/history"
	"github.com/benchgate/benchgate/internal/results"
	"github.com/benchgate/benchgate/internal/store"
)

// BenchmarkAAIssueRate measures the issues a sync would open on pure noise
// (issue 11's target: ≤ 0.1 per 1,000 series-commits): 50 trials of 40
// main commits × 100 series, one sample per commit at 2 % noise (a
// github-action-benchmark-like history), each analysed and planned from
// scratch with the defaults (confirmed, major or worse). It reports
// issues/1k-series-commits and the groups and change points seen.
//
//	go test ./internal/bot -run '^$' -bench AAIssueRate -benchtime 1x
func BenchmarkAAIssueRate(b *testing.B) {
	const trials, commits, series = 50, 40, 100
	for b.Loop() {
		opened, groups, points := 0, 0, 0
		for trial := range trials {
			a := aaAnalysis(b, uint64(trial), commits, series)
			groups += len(a.Groups)
			for _, s := range a.Series {
				points += len(s.Changes)
			}
			for _, act := range NewPlan(a, nil, Options{Now: time.Now()}).Actions {
				if act.Kind == KindOpen {
					opened++
				}
			}
		}
		rate := 1000 * float64(opened) / float64(trials*commits*series)
		b.ReportMetric(rate, "issues/1k-series-commits")
		b.ReportMetric(float64(groups), "groups")
		b.ReportMetric(float64(points), "change-points")
		b.Logf("%d trials × %d commits × %d series of noise: %d issues (%.3f per 1,000 series-commits), %d change groups, %d change points",
			trials, commits, series, opened, rate, groups, points)
	}
}

// aaAnalysis stores commits runs of series pure-noise series and analyses
// them.
func aaAnalysis(tb testing.TB, seed uint64, commits, series int) *history.Analysis {
	tb.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(tb.TempDir(), "aa.duckdb"))
	if err != nil {
		tb.Fatal(err)
	}
	defer db.Close()
	rng := rand.New(rand.NewPCG(seed, 11))
	for i := range commits {
		rs := make([]results.Result, series)
		for k := range rs {
			m := results.Metric{Name: "sec/op", Unit: "s", Better: results.SmallerIsBetter,
				Samples: []float64{float64(k+1) * 1e-4 * (1 + 0.02*rng.NormFloat64())}}
			rs[k] = results.Result{Name: fmt.Sprintf("BenchmarkNoise%03d", k), Hardware: results.Hardware{Type: "cpu", DeviceName: "EPYC"},
				Metrics: []results.Metric{m}}
		}
		run := store.Run{ID: fmt.Sprintf("run-%d", i), Commit: commitID(i), Ref: mainRef, Suite: "s", Runner: "r1",
			CreatedAt: t0.Add(time.Duration(i) * time.Hour)}
		if _, err := db.Ingest(ctx, run, rs); err != nil {
			tb.Fatal(err)
		}
	}
	a, err := history.Analyze(ctx, db, history.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	return a
}
