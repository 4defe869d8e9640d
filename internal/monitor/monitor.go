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
	// Proc is the procfs root ("" for /proc); tests point it elsewhere.
	Proc string
}

// Sample is one reading.
type Sample struct {
	// Time is the time since Start.
	Time time.Duration `json:"time"`
	// Processes is the size of the process tree.
	Processes  int     `json:"processes"`
	CPUPercent float64 `json:"cpu_percent"` // since the previous sample; 100 = one core
	RSSBytes   int64   `json:"rss_bytes"`
	// IOReadBytesPerSec and IOWriteBytesPerSec are nil when /proc/<pid>/io
	// was not readable for the whole tree.
	IOReadBytesPerSec  *float64 `json:"io_read_bytes_per_sec,omitempty"`
	IOWriteBytesPerSec *float64 `json:"io_write_bytes_per_sec,omitempty"`
	// GPUs holds one reading per device NVML could read.
	GPUs []hardware.GPUSample `json:"gpus,omitempty"`
}

// Monitor samples one process tree until Stop.
type Monitor struct {
	pid   int
	opts  Options
	proc  *procReader
	start time.Time
	stop  chan struct{}
	done  chan struct{}

	// Written by the sampling goroutine, read after done is closed.
	samples  []Sample
	gpuPIDs  map[int]bool // devices on which a process of the tree was seen
	gpuErrs  []string
	devices  int
	prev     treeStat
	prevTime time.Duration
	stopOnce sync.Once
}

// Start begins sampling the process tree rooted at pid: one sample at once,
// then one per interval, until Stop.
func Start(pid int, o Options) *Monitor {
	if o.Interval <= 0 {
		o.Interval = DefaultInterval
	}
	m := &Monitor{
		pid: pid, opts: o, proc: newProcReader(o.Proc), start: time.Now(),
		stop: make(chan struct{}), done: make(chan struct{}), gpuPIDs: map[int]bool{},
	}
	if o.NVML != nil {
		if n, err := o.NVML.DeviceCount(); err == nil {
			m.devices = n
		} else {
			m.gpuErrs = append(m.gpuErrs, err.Error())
		}
	}
	go m.loop()
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

// sample takes one reading. The first one only sets the CPU baseline: its
// CPUPercent is 0.
func (m *Monitor) sample(first bool) {
	now := time.Since(m.start)
	st := m.proc.tree(m.pid)
	if st.processes == 0 && !first {
		return // the process is gone; keep the last reading
	}
	s := Sample{Time: now, Processes: st.processes, RSSBytes: st.rssBytes}
	if !first {
		dt := (now - m.prevTime).Seconds()
		if dt > 0 {
			if st.ticks > m.prev.ticks {
				s.CPUPercent = float64(st.ticks-m.prev.ticks) / m.proc.clkTck / dt * 100
			}
			if st.ioOK && m.prev.ioOK {
				r := float64(sub(st.readBytes, m.prev.readBytes)) / dt
				w := float64(sub(st.writeBytes, m.prev.writeBytes)) / dt
				s.IOReadBytesPerSec, s.IOWriteBytesPerSec = &r, &w
			}
		}
	}
	m.prev, m.prevTime = st, now
	if m.opts.NVML != nil {
		m.sampleGPUs(&s)
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

// Stop ends sampling and returns the report. maxRSS is the kernel's maximum
// resident set size of the process (from wait4's rusage; 0 when unknown),
// which bounds the sampled peak from below. elapsed is the process's run
// time (0: the time since Start). Stop may be called once.
func (m *Monitor) Stop(maxRSS int64, elapsed time.Duration) Report {
	m.stopOnce.Do(func() { close(m.stop) })
	<-m.done
	if elapsed <= 0 {
		elapsed = time.Since(m.start)
	}
	return m.report(maxRSS, elapsed)
}

// sub returns a-b, 0 when b > a (a counter that went back: a process left).
func sub(a, b uint64) uint64 {
	if b > a {
		return 0
	}
	return a - b
}
