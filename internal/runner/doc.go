// Package runner executes a benchgate plan: each [config.Job] as a process,
// one at a time, with a timeout, captured and capped output, a scrubbed
// environment and the seed's error taxonomy.
//
// The steps of [Run], for every repetition of every job:
//
//  1. Expand the job's placeholders: {output} becomes a fresh file in
//     Options.OutputDir, {repetition} the repetition number (from 1).
//  2. Start the command with [Exec]: an argv, never a shell line built from
//     it; only a benchmark with "shell: bash" runs as bash -c <script>. The
//     process gets its own process group, so that a timeout or a
//     cancellation kills it with all its children (SIGKILL to the group).
//     The environment is the caller's, with secrets removed ([ScrubEnv]),
//     plus the suite's env. Where it can, the process starts in a cgroup v2
//     of its own (see benchCgroup), whose memory.peak and cpu.stat measure
//     the benchmark alone and whose cgroup.kill ends what it left running;
//     elsewhere its peak memory is read through /proc
//     ([monitor.PeakTracker]). [ExecResult.MemoryMethod] says which.
//  3. Classify the outcome: timeout, execution error (non-zero exit or
//     failure to start), JSON parse error, result processing error or
//     unexpected error ([results.ErrorType]); a failure never stops the
//     other benchmarks.
//  4. On exit status 0, read the result (the {output} file when the command
//     names one, else stdout), parse it with Options.Parse and validate it.
//
// Repetitions run in rounds: round r runs every job that has an r-th
// repetition, in plan order, so that slow drift of the machine spreads over
// all benchmarks instead of biasing the last ones. Nothing runs concurrently.
//
// Around each run, as Options asks:
//
//   - a failure classified as transient (see transient) is retried once;
//   - package monitor samples the process tree and GPUs, and the measured
//     peak memory, power, energy and items per joule are added to a
//     single-result run's result when the harness did not report them;
//   - the status files benchmark_status_<timestamp>.json and
//     benchmark_status_latest.json are rewritten atomically after every run
//     (Status); Options.Resume takes successful runs of an earlier status
//     instead of running them again;
//   - a Progress is told about each run: a terminal bar with ETA (Bar) or
//     GitHub Actions log groups (Groups).
//
// Dependencies: the standard library (os/exec, syscall for process groups),
// benchgate's config, results and monitor packages, and
// github.com/schollz/progressbar/v3 for the terminal bar (rate, ETA,
// terminal width handled; widely used and maintained).
package runner
