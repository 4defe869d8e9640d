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
//   - CPU %: the tree's utime+stime+cutime+cstime (/proc/<pid>/stat) since
//     the previous sample, divided by the wall time; 100 is one core busy.
//     cutime and cstime hold the time of reaped children, so a short-lived
//     child is counted once, when its parent waits for it;
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
// The report derives peak memory (the largest tree RSS sampled, or the
// kernel's maximum RSS when the caller passes it, which sampling cannot
// miss), the average GPU power and the energy in joules (the power of the
// used GPUs integrated over the run by the trapezoid rule, the first and
// last readings held to the run's start and end). Host CPU power (RAPL) is
// not measured: it needs root on most machines.
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
