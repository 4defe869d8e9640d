// Package gate decides, for each benchmark series, whether a pull request's
// head is worse than its base, how much worse, and how sure it is; and, for
// a main-branch history, where it changed.
//
// The package is pure: the same input always gives the same verdict. It does
// no I/O, reads no clock, draws no random numbers and keeps no mutable state,
// so a caller may run it anywhere, concurrently, and replay any decision. It
// imports only computing packages of the standard library and two
// statistics libraries (a test enforces the list):
// github.com/aclements/go-moremath/stats, for the Mann–Whitney U test
// (exact distributions with and without ties, Klotz's algorithm) and the
// t distribution and t-tests, so that the rank test is the one benchstat
// runs; golang.org/x/perf/benchmath, benchstat's own statistics, is allowed
// too. One U test per series, with go-moremath's arithmetic (utest.go),
// gives both one-sided p-values and the two-sided one printed for
// familiarity, benchmath's to the bit (TestCompareMatchesReference).
//
// # Model and assumptions
//
//   - The unit of replication is one independent run: each sample is one
//     run's value (its ns/op, its p50 latency, its throughput), never a
//     per-query value pooled from several runs, which are autocorrelated and
//     share the run's offset.
//   - Base and head runs are interleaved on one machine (docs/STATISTICS.md §7.1),
//     so that job-level effects (a slow host, drift, throttling) hit both
//     sides alike; runs of one side are then exchangeable. Without
//     interleaving the test cannot see the between-job variance and its
//     false-alarm rate is not controlled (docs/evaluation.md measures how
//     badly).
//   - Noise is multiplicative, so changes are ratios and everything is
//     computed on the log scale, where a shift is a constant factor and
//     +10 % and −9.1 % are symmetric. Directions are normalised: for a
//     bigger-is-better metric (throughput) "worse" is a decrease.
//   - Nothing is assumed about the shape of the distribution: the test is a
//     rank test and the interval is distribution-free. Exact metrics
//     (allocations, binary size, allocator peak memory) are deterministic.
//
// # Comparing one series
//
// Compare reports, for base and head samples:
//
//   - the medians and Change = HeadMedian/BaseMedian − 1, as benchstat;
//   - P, the one-sided Mann–Whitney U p-value of "head is worse" (PBetter:
//     "head is better"), exact for n ≤ 50 per side without ties and n ≤ 25
//     with ties, else the normal approximation with tie and continuity
//     corrections; TwoSidedP, benchstat's two-sided p for the same samples;
//   - Shift, the Hodges–Lehmann estimate (median of all n₁·n₂ pairwise log
//     ratios) with the Moses interval [Low, High] at Policy.Confidence, and
//     Bound, the one-sided 1 − Alpha lower bound of the worsening, which
//     exceeds 0 exactly when the one-sided test rejects, ties aside (with
//     ties it can rest on 0 while the tie-corrected test rejects);
//   - CV, robustly estimated from the samples (1.4826·MAD of the log values
//     around each side's median) unless Policy.CV gives it; MDE, the
//     smallest worsening detectable with probability Policy.Power,
//     exp((z₁₋α + z_power)·σ·√(π/3·(1/n₁ + 1/n₂))) − 1 (≈ CV·√(25/n) at
//     the defaults; π/3 is the U test's efficiency loss against the t-test);
//     and NeedN, the samples per side that would detect Policy.Major.
//
// ComparePaired is the variant for interleaved rounds (base[i] and head[i]
// from round i): the one-sided Wilcoxon signed-rank test on the per-round log
// ratios (exact for ≤ 50 rounds without ties, normal approximation with tie
// and continuity corrections otherwise, zeros dropped), the Hodges–Lehmann
// centre of the Walsh averages and its distribution-free interval. It
// cancels noise shared by a round and needs 7 rounds to reach p < 0.01. It is
// not the default: in the evaluation (docs/evaluation.md) it is far more
// powerful when a job drifts, throttles or is autocorrelated (+2 % at CV 1 %
// under 5 % linear drift: 88 % against 29 %), but far weaker when single runs
// land on a slow mode or are outliers (+2 % with 20 % of runs 15 % slow: 17 %
// against 47 %), so a caller opts in with Series.Paired where rounds are
// recorded and drift is the known risk.
//
// A zero value has no logarithm: when a sample holds one, Shift, Low, High
// and Bound are computed on raw differences divided by the base median, with
// a warning. Empty samples, NaN, infinite and negative values, mismatched
// paired rounds and invalid policies give an Inconclusive comparison with a
// warning naming the culprit — never a panic and never a silent pass.
//
// # Severity
//
// With E = Estimate() (the Hodges–Lehmann shift oriented so that positive is
// worse), M = Worsening() (the change of the medians, likewise oriented),
// L = Bound, floor = max(Policy.Floor, Policy.NoiseFloor), and Policy p
// (docs/STATISTICS.md §7.4):
//
//   - critical: the head median breaks Policy.Budget (an absolute SLO such
//     as a p99 latency limit; no statistics needed), or the test rejects and
//     L ≥ p.Critical;
//   - inconclusive: the sizes cannot reach p < α at all (one-sided: 1/C(n₁+n₂,
//     n₁) ≥ α, so α = 0.01 needs 5 per side);
//   - major: P < α, E ≥ floor, M ≥ floor and L ≥ p.Major (or E ≥
//     p.MajorEstimate with P < p.MajorP);
//   - minor: P < α, E ≥ floor, M ≥ floor, and L < p.Major;
//   - inconclusive: P < α and E ≥ floor but M < floor — the samples differ
//     in shape, not by a shift (a mode that appears in some head runs: the
//     test rejects and the shift is large, yet the medians, shown beside it,
//     do not move);
//   - improvement: PBetter < α, −E ≥ floor and −M ≥ floor;
//   - inconclusive: α ≤ P < p.InconclusiveP with E ≥ floor (a sizeable change
//     more runs could confirm), or the MDE exceeds p.Major (the test is too
//     weak to promise that a major regression would have been seen; the
//     Reason says "needs n ≥ …");
//   - none otherwise (a pass; the report shows the MDE).
//
// Only major and critical block by default (comparison.FailOn). An exact
// metric whose samples do not vary needs no test: P is 0 or 1, E = L =
// Change, and the same thresholds apply even with one run per side; if its
// values do vary it is compared as a noisy metric, with a warning.
//
// # Many series
//
// CompareAll compares each Series under its own Policy, sorts the outcomes
// by key, sets Q, the Benjamini–Hochberg q-value of P across all series of
// the run (QValues), and summarises: counts by verdict and severity, the
// worst severity, and benchstat's geomean of median ratios (informational,
// untested). Blocking is judged per series on interval bounds, not on q: at
// the defaults the per-series blocking false-alarm rate is ≈ 0 when
// interleaved, so a pull request with 50 or 200 series is not blocked by
// chance (measured in docs/evaluation.md); q is shown so that a reader can
// discount a lone minor change among many.
//
// # History
//
// CompareHistory is the fallback when no same-runner baseline exists: the
// head's median against a Bencher-style t prediction interval on the log
// values of the last ≤ 64 main-branch points (at least 10), severity from the
// ratio to the history's median.
//
// ChangePoints (ChangePointsOf with repeated samples per commit) finds
// persistent shifts in a main-branch history: one or two consecutive points
// far beyond all their neighbours are set aside as outliers (a failed run
// recorded as a value can neither be a change nor hide one); E-divisive as
// Otava implements it (sliding windows of 50) and a moving-sum scan for
// short plateaus propose candidates; Otava's merge keeps those whose test
// between the adjacent segments gives p < 0.001 with a magnitude of at least
// 1 %. The test is a pooled t-test on log values, widened for the lag-1
// autocorrelation of the residuals, with its p-value corrected for the
// search over split positions (the scan statistic of a standardised Brownian
// bridge): Otava's uncorrected p raises about one false alert per 1,000
// commits on pure noise, seven with AR(1) ρ = 0.3. A change is provisional
// from 3 points after it and confirmed once 5 points follow and their
// re-test gives p < 0.0001. GroupChangePoints groups the changes of many
// series by commit (each point's position in the shared commit order, never
// its index) into one alert with one suspect commit range. Segment returns
// the points since the last confirmed change, from which NoiseOf learns a
// series' CV, bimodality and noise floor (Q3 + 3·IQR of consecutive relative
// changes, rustc-perf style); Noise.Apply sets the floor of a Policy and
// Noise.SamplesFor answers "how many runs to detect 3 %?".
//
// # Defaults
//
// DefaultPolicy and DefaultChangePointOptions document each default with
// its reason: a one-sided α = 0.01, a 1 % floor, an inconclusive band up to
// p = 0.2, a 95 % displayed interval, major at a 5 % lower bound, critical at
// 20 %, power 0.8; windows of 50 and p < 0.001 for change points. The
// evaluation in internal/eval (benchgate eval, docs/evaluation.md) measures
// what they give: false alarms, power, severity, coverage and change-point
// accuracy, next to benchstat and github-action-benchmark on the same draws.
package gate
