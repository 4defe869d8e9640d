// Package abtest runs a suite in the same-runner A/B mode (docs/STATISTICS.md
// §7.1): the baseline is the pull request's merge-base, checked out in a
// git worktree next to the candidate's checkout; both sides are prepared
// (one untimed warm-up run each, which for Go suites compiles both test
// binaries into the build cache), then R rounds (default 10) run base and
// head once each, in an order drawn at random in every round. Machine drift
// (thermal state, noisy neighbours, frequency changes) then hits both sides
// alike and cancels in the comparison, which is why this is the layout that
// keeps false alarms low on noisy machines.
//
// Every sample carries its round (results.Metric.Rounds), so that base and
// head samples of one round can be paired.
//
// # How a suite runs in rounds
//
// Both sides run the candidate's suite definition (the same commands), the
// base side with working directories moved into the worktree. Each round
// runs every job once (repetitions are the rounds). For Go benchmarks
// (format: go) "-count=N" / "-test.count=N" arguments become "-count=1", so
// that one round gives one sample per side (docs/STATISTICS.md §7.1: the unit of
// replication is one -count=1 run); other formats run their command as is,
// and all samples of a round carry its number.
package abtest
