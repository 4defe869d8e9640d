package monitor

import (
	"slices"
	"sync"
	"time"

	"github.com/benchgate/benchgate/internal/hardware"
)

// DefaultInterval is the sampling interval when Options.Interval is unset.
// At this interval the monitor costs about 0.5% of one core (see
// BenchmarkMonitorCPU and docs/monitoring.md).
const DefaultInterval = 100 * time.Millisecond

// Options configures a Monitor.
type Options struct {
	// Interval between samples (≤ 0: DefaultInterval).
	Interval time.Duration
	// NVML, when set, is an initialised NVML whose devices are sampled too.
	// The caller owns it (Init before Start, Shutdown after Stop); a
	// Monitor uses it from one goroutine only.
	NVML hardware.NVML
	// GPUs are the device indexes the benchmark uses when NVML does not
	// show any of its processes (e.g. from CUDA_VISIBLE_DEVICES); nil
	// means all.
	GPUs []int
	// Cgroup, when set, is the directory of a cgroup v2 that holds the
	// process tree and nothing else (the runner makes one per run where it
	// can). Its cpu.stat then gives the tree's CPU time in microseconds,
	// exited and orphaned processes included, instead of /proc's clock
	// ticks.
	Cgroup string
	// Proc is the procfs root ("" for /proc); tests point it elsewhere.
	Proc string
}

// Sample is one reading.
type Sample struct {
	// Time is the time since Start at which the process tree was read (the
	// middle of the reading), on the monotonic clock.
	Time time.Duration `json:"time"`
	// Processes is the size of the process tree.
	Processes int `json:"processes"`
	// CPUSeconds is the CPU time the tree used from the first sample to
	// this one. CPUPercent is its increase since the previous sample over
	// the wall time between the two samples (100 = one core busy; 0 in the
	// first sample).
	CPUSeconds float64 `json:"cpu_seconds"`
	CPUPercent float64 `json:"cpu_percent"`
	RSSBytes   int64   `json:"rss_bytes"`
	// IOReadBytesPerSec and IOWriteBytesPerSec are nil when /proc/<pid>/io
	// was not readable for the whole tree.
	IOReadBytesPerSec  *float64 `json:"io_read_bytes_per_sec,omitempty"`
	IOWriteBytesPerSec *float64 `json:"io_write_bytes_per_sec,omitempty"`
	// GPUs holds one reading per device NVML could read, taken at GPUTime
	// (since Start, the middle of the NVML calls).
	GPUs    []hardware.GPUSample `json:"gpus,omitempty"`
	GPUTime time.Duration        `json:"gpu_time,omitempty"`
}

// Monitor samples one process tree until Stop.
type Monitor struct {
	pid   int
	opts  Options
	proc  *procReader
	now   func() time.Duration // time since Start, monotonic
	stop  chan struct{}
	done  chan struct{}
	start sync.Once // runs loop, or (in Stop) marks that it never ran
	// Written by the sampling goroutine, read after done is closed.
	samples []Sample
	gpuPIDs map[int]bool // devices on which a process of the tree was seen
	gpuErrs []string
	devices int
	cpus    int // CPUs the tree may run on; 0 unknown
	// cpuSource is the source of CPU time chosen at the first sample, for
	// the whole run: cgroup cpu.stat or /proc clock ticks.
	cpuFromCgroup bool
	// cpuBase is the tree's CPU time at the first sample; cpuHigh the
	// largest reading since. Readings of a tree can go down (a process
	// leaves it, or is counted twice for an instant while its parent reaps
	// it), so the reported cumulative time is the high-water mark: it never
	// decreases, and a transient double count is absorbed by the increases
	// that follow instead of being added twice.
	cpuBase, cpuHigh float64
	prev             treeStat
	stopOnce         sync.Once
}

// Start begins sampling the process tree rooted at pid: one sample at once,
// then one per interval, until Stop.
func Start(pid int, o Options) *Monitor {
	t0 := time.Now()
	m := newMonitor(pid, o, func() time.Duration { return time.Since(t0) })
	m.start.Do(func() { go m.loop() })
	return m
}

// newMonitor returns a Monitor reading the time from now; nothing is
// sampled until loop runs (tests call sample themselves).
func newMonitor(pid int, o Options, now func() time.Duration) *Monitor {
	if o.Interval <= 0 {
		o.Interval = DefaultInterval
	}
	m := &Monitor{
		pid: pid, opts: o, proc: newProcReader(o.Proc), now: now,
		stop: make(chan struct{}), done: make(chan struct{}), gpuPIDs: map[int]bool{},
	}
	if o.NVML != nil {
		if n, err := o.NVML.DeviceCount(); err == nil {
			m.devices = n
		} else {
			m.gpuErrs = append(m.gpuErrs, err.Error())
		}
	}
	return m
}

// loop takes samples until stop is closed.
func (m *Monitor) loop() {
	defer close(m.done)
	t := time.NewTicker(m.opts.Interval)
	defer t.Stop()
	m.sample(true)
	for {
		select {
		case <-m.stop:
			return
		case <-t.C:
			m.sample(false)
		}
	}
}

// sample takes one reading. The first one sets the CPU baseline: its
// CPUSeconds and CPUPercent are 0.
func (m *Monitor) sample(first bool) {
	t0 := m.now()
	st := m.proc.tree(m.pid)
	if first {
		m.cpus = m.proc.cpusAllowed(m.pid)
		if m.opts.Cgroup != "" {
			_, m.cpuFromCgroup = cgroupCPU(m.opts.Cgroup)
		}
	}
	cpu := float64(st.ticks) / m.proc.clkTck
	if m.cpuFromCgroup {
		cpu, _ = cgroupCPU(m.opts.Cgroup) // unreadable once the cgroup is gone: the tree is gone too
	}
	now := (t0 + m.now()) / 2
	if st.processes == 0 && !first {
		return // the process is gone; keep the last reading
	}
	s := Sample{Time: now, Processes: st.processes, RSSBytes: st.rssBytes}
	if first {
		m.cpuBase, m.cpuHigh = cpu, cpu
	} else {
		m.cpuHigh = max(m.cpuHigh, cpu)
		s.CPUSeconds = m.cpuHigh - m.cpuBase
		p := m.samples[len(m.samples)-1]
		if dt := (now - p.Time).Seconds(); dt > 0 {
			s.CPUPercent = 100 * (s.CPUSeconds - p.CPUSeconds) / dt
			if st.ioOK && m.prev.ioOK {
				r := float64(sub(st.readBytes, m.prev.readBytes)) / dt
				w := float64(sub(st.writeBytes, m.prev.writeBytes)) / dt
				s.IOReadBytesPerSec, s.IOWriteBytesPerSec = &r, &w
			}
		}
	}
	m.prev = st
	if m.opts.NVML != nil {
		g0 := m.now()
		m.sampleGPUs(&s)
		s.GPUTime = (g0 + m.now()) / 2
	}
	m.samples = append(m.samples, s)
}

// sampleGPUs reads every device and notes those running a tree process.
func (m *Monitor) sampleGPUs(s *Sample) {
	var pids map[int]bool
	for i := range m.devices {
		g, err := m.opts.NVML.Sample(i)
		if err != nil {
			m.gpuError(err.Error())
			continue
		}
		s.GPUs = append(s.GPUs, g)
		ps, err := m.opts.NVML.Processes(i)
		if err != nil || m.gpuPIDs[i] {
			continue
		}
		if pids == nil {
			pids = m.treePIDs()
		}
		for _, p := range ps {
			if pids[p] {
				m.gpuPIDs[i] = true
			}
		}
	}
}

// gpuError records an NVML error once.
func (m *Monitor) gpuError(msg string) {
	if !slices.Contains(m.gpuErrs, msg) {
		m.gpuErrs = append(m.gpuErrs, msg)
	}
}

// treePIDs returns the ids of the tree's processes.
func (m *Monitor) treePIDs() map[int]bool {
	out := map[int]bool{}
	queue := []int{m.pid}
	for len(queue) > 0 {
		id := queue[0]
		queue = queue[1:]
		if out[id] {
			continue
		}
		out[id] = true
		queue = append(queue, m.proc.children(id)...)
	}
	return out
}

// Final is what the caller measured of the finished process; zero fields
// are unknown.
type Final struct {
	// Elapsed is the process's run time (0: the time since Start).
	Elapsed time.Duration
	// CPUTime is the CPU time of the whole run: the cgroup's usage, or the
	// user and system time of the process and the descendants it waited
	// for (wait4's rusage). It gives Report.CPUSeconds exactly, where the
	// samples miss the time before the first one and after the last.
	CPUTime time.Duration
	// PeakMemoryBytes is the benchmark's own peak memory as the runner
	// measured it (the cgroup's memory.peak, or its /proc measurement),
	// which sampling every Interval can miss.
	PeakMemoryBytes int64
}

// Stop ends sampling and returns the report, completed with what the caller
// measured of the process. Stop may be called once.
func (m *Monitor) Stop(f Final) Report {
	m.stopOnce.Do(func() { close(m.stop) })
	m.start.Do(func() { close(m.done) }) // a Monitor whose loop never ran
	<-m.done
	if f.Elapsed <= 0 {
		f.Elapsed = m.now()
	}
	return m.report(f)
}

// sub returns a-b, 0 when b > a (a counter that went back: a process left).
func sub(a, b uint64) uint64 {
	if b > a {
		return 0
	}
	return a - b
}
