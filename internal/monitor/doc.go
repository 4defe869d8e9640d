// Package monitor samples the resources a running benchmark uses: the CPU
// and memory of its process tree and the state of the GPUs it runs on.
//
// [Start] begins sampling a process at a fixed interval ([DefaultInterval]
// unless Options.Interval says otherwise) in one goroutine; [Monitor.Stop]
// ends it and returns a [Report]: the samples and what they add up to.
//
// Per sample:
//
//   - the process tree: the root and its descendants, found through
//     /proc/<pid>/task/<tid>/children (one small read per thread);
//   - CPU time: the tree's cumulative CPU time, from the cgroup's cpu.stat
//     (microseconds, every process that ever ran in it) when Options.Cgroup
//     names the benchmark's own cgroup, else the tree's
//     utime+stime+cutime+cstime from /proc/<pid>/stat in clock ticks (cutime
//     and cstime hold the time of reaped children, so a short-lived child is
//     counted once, when its parent waits for it). The count is a high-water
//     mark: it never goes down when a process leaves the tree, nor counts
//     twice a child seen in its parent's cutime an instant before it
//     disappears;
//   - CPU %: the increase of that CPU time since the previous sample over
//     the wall time between the two samples (the middle of each reading,
//     on the monotonic clock); 100 is one core busy;
//   - RSS: the sum of the tree's resident set sizes (pages shared between
//     processes are counted once per process, as top does);
//   - I/O: read_bytes and write_bytes of /proc/<pid>/io (the storage layer's
//     counts), as rates; nil when the file is unreadable;
//   - GPUs, through hardware.NVML when Options.NVML is set: utilisation,
//     memory used, power, temperature, SM and memory clocks and the active
//     throttle reasons of every device.
//
// The GPUs a benchmark uses are those on which NVML lists a process of the
// tree at any sample. When there is none (NVML shows host PIDs, so a
// benchmark in another PID namespace is never matched), Options.GPUs names
// them, else every device counts.
//
// The report derives the mean CPU % as CPU time over wall time — the
// caller's exact CPU time over the run's duration when Stop is given them,
// else the samples' CPU time over the time they span — never as a mean of
// the samples' percentages (biased over short, uneven intervals counted in
// ticks, and able to exceed the machine's CPUs); peak memory (the largest
// tree RSS sampled, or the runner's measurement of the benchmark's peak
// when that is larger); and for the used GPUs the energy in joules (their
// power integrated by the trapezoid rule over the times the readings were
// actually taken, the first and last readings held to the run's start and
// end, cut at the end) and the average power (energy over duration). Host
// CPU power (RAPL) is not measured: it needs root on most machines.
//
// [PeakTracker] is the runner's /proc measurement of a benchmark's peak
// memory where no cgroup of its own counts it: VmHWM and VmRSS of the tree
// every few milliseconds.
//
// The monitor's own cost at the default interval is measured by
// BenchmarkSample (one sample) and BenchmarkMonitorCPU (the share of one
// core, wake-ups included) and documented in docs/monitoring.md.
//
// # Dependencies
//
// Only the standard library and benchgate's hardware package (its NVML
// interface).
package monitor
