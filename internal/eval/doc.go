// Package eval measures the gate on data whose ground truth is known, as
// docs/STATISTICS.md §8 lays out: synthetic noise models (log-normal CV 0.5–10 %,
// bimodal runners, between-job offsets, drift, outliers, heavy tails,
// autocorrelation, quantisation, GPU throttling and warm-up), injected
// shifts of ±1–50 %, and main-branch histories with steps, spikes and
// ramps. It scores benchgate side by side with benchstat (two-sided
// Mann–Whitney U at α = 0.05 and 0.01, through golang.org/x/perf/benchmath,
// benchstat's own code) and github-action-benchmark's ratio rule (200 %,
// 150 %, 110 % of the previous run's mean), on the same draws; and, for
// change points, benchgate's E-divisive defaults against Otava's defaults
// and an asv-style Potts step detector.
//
// Every cell draws from its own PCG generator seeded from Config.Seed and
// the cell's index, so a run is reproducible from its seed whatever the
// number of workers. Rates carry Wilson 95 % intervals. Run renders the
// results as Markdown (docs/evaluation.md); the short mode runs in the
// package's tests and asserts the targets it can at its sample sizes.
package eval
