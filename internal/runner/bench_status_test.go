package runner

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"
)

// BenchmarkRunRepetitions runs a suite of 480 and of 1,920 repetitions of
// /bin/true with the status files on, side by side, and reports the time
// of the second over the first, the median over the iterations' pairs, as
// the metric "ratio" (issue 13, item 3: the cost per repetition is
// constant when the ratio stays near 4).
//
//	go test -run '^$' -bench RunRepetitions -benchtime 3x ./internal/runner/
func BenchmarkRunRepetitions(b *testing.B) {
	run := func(n int) time.Duration {
		suite := fmt.Sprintf("benchmarks:\n  - {name: t, repetitions: %d, command: [/bin/true]}\n", n)
		jobs := planJobs(b, suite)
		dir := b.TempDir()
		start := time.Now()
		if _, err := Run(context.Background(), jobs, Options{Parse: parseJSON, OutputDir: dir, StatusDir: dir, NoRetry: true}); err != nil {
			b.Fatal(err)
		}
		return time.Since(start)
	}
	var (
		small, large time.Duration
		ratios       []float64
	)
	for b.Loop() {
		s, l := run(480), run(1920)
		small, large = small+s, large+l
		ratios = append(ratios, float64(l)/float64(s))
	}
	b.ReportMetric(small.Seconds()/float64(b.N), "s/480")
	b.ReportMetric(large.Seconds()/float64(b.N), "s/1920")
	// The median of the pairs' ratios: a pair that a stall of the loaded
	// machine hit does not decide it.
	slices.Sort(ratios)
	b.ReportMetric(ratios[len(ratios)/2], "ratio")
}
