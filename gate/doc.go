// Package gate decides, for each benchmark series, whether a pull request's
// head is worse than its base, from repeated samples of both.
//
// The package is pure: the same input always gives the same verdict. It does
// no I/O, reads no clock, draws no random numbers and keeps no mutable state,
// so a caller may run it anywhere, concurrently, and replay any decision. It
// imports only computing packages of the standard library (fmt, math,
// slices, strings; a test enforces the list) and
// golang.org/x/perf/benchmath, chosen so that every p-value is the one
// benchstat would print for the same samples: benchmath is benchstat's own
// statistics, built on go-moremath's Mann–Whitney U test with exact
// distributions for small and tied samples.
//
// # Model and assumptions
//
//   - The unit of replication is one independent run: each sample is one
//     run's value (its ns/op, its p50 latency, its throughput), never a
//     per-query or per-iteration value pooled from several runs, which are
//     autocorrelated and share the run's offset.
//   - Runs of one side are exchangeable: no drift or warm-up inside a job.
//     Interleaving base and head runs on one machine is what makes this, and
//     the comparison, fair.
//   - Noise is multiplicative, so changes are ratios and intervals are built
//     on the log scale, where a shift of the distribution is a constant
//     factor and +10 % and −9.1 % are symmetric.
//   - Nothing is assumed about the shape of the distribution: the test is the
//     two-sided Mann–Whitney U test (benchmath.AssumeNothing) and the
//     interval is distribution-free. A metric marked exact (allocations,
//     binary size) is instead taken to be deterministic, as benchmath's
//     AssumeExact.
//
// # Comparing one series
//
// Compare reports, for base and head samples:
//
//   - the medians and Change = HeadMedian/BaseMedian − 1, with its raw sign,
//     as benchstat prints it;
//   - P, the two-sided Mann–Whitney p-value of benchmath.AssumeNothing
//     (exact distribution for n ≤ 50 without ties or n ≤ 25 with ties,
//     normal approximation with tie and continuity corrections above), and
//     benchmath's warnings;
//   - Shift, the Hodges–Lehmann estimate of the change: the median of all
//     n₁·n₂ pairwise log ratios log hⱼ − log bᵢ, as exp(·) − 1;
//   - Low and High, the Moses (distribution-free) confidence interval of the
//     same shift at Policy.Confidence: the pairwise differences are sorted and
//     the bounds are the order statistics D₍ₖ₊₁₎ and D₍ₙ₁ₙ₂₋ₖ₎, with k the
//     largest count such that P(U ≤ k) ≤ (1 − Confidence)/2 under the null
//     distribution of U. That distribution is computed exactly for
//     n₁·n₂ ≤ 2500 (50 × 50) and by the normal approximation with continuity
//     correction above. When k does not exist (tiny samples) the interval is
//     unbounded: Low = −1 and High = +Inf.
//
// A zero value has no logarithm. When either sample holds a zero, Shift, Low
// and High are computed on the raw differences hⱼ − bᵢ and divided by the
// base median instead, with a warning. Negative, NaN and infinite values and
// empty samples are not comparable: the comparison is Inconclusive, with a
// warning naming the side and the index.
//
// # Verdict
//
// The change is oriented so that positive is worse (for a bigger-is-better
// metric such as throughput, worse is a decrease). With Policy p:
//
//   - Inconclusive when the sample sizes cannot reach P < p.Alpha at all
//     (the smallest two-sided p for n₁ and n₂ values without ties is
//     2/C(n₁+n₂, n₁); at α = 0.05 that needs 4 against 4);
//   - Regressed when P < p.Alpha and the oriented change is positive and at
//     least p.Floor;
//   - Improved when P < p.Alpha and the oriented change is negative and at
//     least p.Floor in size;
//   - Inconclusive when p.Alpha ≤ P < p.InconclusiveP and the change is at
//     least p.Floor in size: a sizeable change that more runs could confirm;
//   - Unchanged otherwise.
//
// An exact metric whose samples do not vary on either side needs no test:
// P is 0 when the values differ and 1 when they are equal, the interval is
// the change itself, and a difference of at least p.Floor decides, even
// with one run per side. When an exact metric's samples do vary, a warning
// says so and the series is compared like any other.
//
// The decision uses the ratio of medians, as benchstat's delta does. The
// Hodges–Lehmann Shift always lies within [Low, High]; Change usually does
// too, but need not when the samples are small or oddly shaped.
//
// # Defaults
//
// DefaultPolicy documents each default and its reason: α = 0.05 and a 95 %
// interval as in benchstat, a 1 % practical floor, and an inconclusive band
// up to p = 0.2.
//
// # Many series
//
// CompareAll compares each Series under its own Policy, sorts the outcomes by
// key, counts the verdicts and derives a headline verdict and benchstat's
// geomean of median ratios. It applies no correction for multiplicity: at
// α = 0.05, about one series in twenty with no real change has P < α; about
// half of those point the worse way, and the floor removes some more.
//
// # What comes next
//
// This first version matches benchstat so its verdicts can be checked
// against it. The statistics issue will deepen it, as STATISTICS.md §7.2–7.4
// recommends: a one-sided exact Mann–Whitney U test at α = 0.01 (so that
// "worse" is the alternative), Benjamini–Hochberg q-values across series,
// severities (minor, major, critical) judged on the one-sided interval
// bound, and a noise floor learned from main-branch history raising
// Policy.Floor. Those arrive as new Policy and Comparison fields, with the
// zero values keeping today's behaviour, so the API stays as it is.
package gate
