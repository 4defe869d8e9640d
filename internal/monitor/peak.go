package monitor

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// peakIntervals are the waits between the readings of a PeakTracker: short
// at first, so that a command that lives a few milliseconds is still read
// after its dynamic loader has run, then every peakMaxInterval.
var peakIntervals = []time.Duration{0, 500 * time.Microsecond, time.Millisecond, 2 * time.Millisecond, 4 * time.Millisecond, 8 * time.Millisecond}

// peakMaxInterval is the wait between a PeakTracker's readings once
// peakIntervals are used up. Each reading is one /proc/<pid>/status read
// per process of the tree (tens of microseconds).
const peakMaxInterval = 10 * time.Millisecond

// PeakTracker follows the peak memory of a running process tree through
// /proc: the runner's measurement where no cgroup of the benchmark's own
// can count it. Every reading takes, for each process of the tree, VmHWM
// (the high-water mark of its resident set since it was exec'd, which the
// kernel keeps: a short peak between two readings is not missed) and VmRSS
// (summed over the tree: processes that are resident at once). The peak is
// the larger of the largest VmHWM and the largest sum.
//
// What it cannot see: a command that exits within about a millisecond of
// its exec (its peak is then unknown, see Stop), the growth of a process in
// the last interval before it exits, and a short-lived child that comes and
// goes between two readings. The kernel's maximum RSS of a child (wait4's rusage) would see
// both, but for a child that benchgate (a Go program, which starts
// processes with vfork) started, it is at least benchgate's own resident
// set at the time of the exec, so it measures the benchmark only when it
// is larger than that (see the runner).
type PeakTracker struct {
	proc  string
	pid   int
	root  *os.Root // /proc/<pid>, opened before the process can be reaped
	stop  chan struct{}
	done  chan struct{}
	peak  int64 // written by the goroutine, read after done is closed
	hwm   map[int]int64
	reads int // readings of the root
}

// TrackPeak starts following the tree rooted at pid, a child of this
// process. Call it before the child can be reaped (before Wait), so that
// the process's /proc directory is held open: once reaped, its pid may be
// reused by an unrelated process, which the tracker then never reads.
func TrackPeak(pid int) *PeakTracker { return trackPeak("/proc", pid) }

func trackPeak(proc string, pid int) *PeakTracker {
	p := &PeakTracker{proc: proc, pid: pid, stop: make(chan struct{}), done: make(chan struct{}), hwm: map[int]int64{}}
	root, err := os.OpenRoot(filepath.Join(proc, strconv.Itoa(pid)))
	if err != nil {
		close(p.done)
		return p
	}
	p.root = root
	go p.loop()
	return p
}

// loop reads the tree until stop is closed.
func (p *PeakTracker) loop() {
	defer close(p.done)
	defer p.root.Close()
	t := time.NewTimer(0)
	defer t.Stop()
	for i := 0; ; i++ {
		select {
		case <-p.stop:
			return
		case <-t.C:
		}
		if !p.read() {
			return // the root process has exited
		}
		d := peakMaxInterval
		if i+1 < len(peakIntervals) {
			d = peakIntervals[i+1]
		}
		t.Reset(d)
	}
}

// read takes one reading of the tree; false when the root is gone.
func (p *PeakTracker) read() bool {
	b, err := p.root.ReadFile("status")
	if err != nil {
		return false
	}
	hwm, rss, ok := parseStatusMemory(b)
	if !ok {
		return false // a zombie: no memory any more
	}
	p.reads++
	p.hwm[p.pid] = max(p.hwm[p.pid], hwm)
	total := rss
	seen := map[int]bool{p.pid: true}
	queue := taskChildren(p.root.FS())
	for len(queue) > 0 {
		id := queue[0]
		queue = queue[1:]
		if seen[id] {
			continue
		}
		seen[id] = true
		r, err := os.OpenRoot(filepath.Join(p.proc, strconv.Itoa(id)))
		if err != nil {
			continue
		}
		if b, err := r.ReadFile("status"); err == nil {
			if hwm, rss, ok := parseStatusMemory(b); ok {
				p.hwm[id] = max(p.hwm[id], hwm)
				total += rss
			}
		}
		queue = append(queue, taskChildren(r.FS())...)
		r.Close()
	}
	p.peak = max(p.peak, total)
	for _, h := range p.hwm {
		p.peak = max(p.peak, h)
	}
	return true
}

// minPeakReads is how many readings of the root a peak needs: the first
// three are at most a millisecond apart (peakIntervals), and a process that
// exits sooner is read while its dynamic loader is still mapping it.
const minPeakReads = 3

// Stop ends the tracking and returns the peak in bytes; 0 (unknown) when
// the process exited within about a millisecond (fewer than minPeakReads
// readings), which /proc cannot measure.
func (p *PeakTracker) Stop() int64 {
	select {
	case <-p.done:
	default:
		close(p.stop)
		<-p.done
	}
	if p.reads < minPeakReads {
		return 0
	}
	return p.peak
}

// parseStatusMemory returns VmHWM and VmRSS in bytes from the contents of
// /proc/<pid>/status; ok is false when they are absent (a zombie, or a
// kernel thread).
func parseStatusMemory(b []byte) (hwm, rss int64, ok bool) {
	found := 0
	for line := range bytes.Lines(b) {
		var dst *int64
		switch {
		case bytes.HasPrefix(line, []byte("VmHWM:")):
			dst = &hwm
		case bytes.HasPrefix(line, []byte("VmRSS:")):
			dst = &rss
		default:
			continue
		}
		f := strings.Fields(string(line[6:])) // "1732 kB"
		if len(f) != 2 || f[1] != "kB" {
			return 0, 0, false
		}
		v, err := strconv.ParseInt(f[0], 10, 64)
		if err != nil {
			return 0, 0, false
		}
		*dst = v << 10
		found++
	}
	return hwm, rss, found == 2
}

// SelfHWM returns this process's own VmHWM (the high-water mark of its
// resident set) in bytes; 0 when unknown.
func SelfHWM() int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	hwm, _, _ := parseStatusMemory(b)
	return hwm
}
