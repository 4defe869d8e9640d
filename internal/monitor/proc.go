package monitor

import (
	"bytes"
	"encoding/binary"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
)

// procReader reads process statistics from a procfs.
type procReader struct {
	root     string // "/proc" on a real system
	pageSize int64
	clkTck   float64 // clock ticks per second of utime and friends
}

func newProcReader(root string) *procReader {
	if root == "" {
		root = "/proc"
	}
	return &procReader{root: root, pageSize: int64(os.Getpagesize()), clkTck: clockTicks(root)}
}

// clockTicks returns the kernel's USER_HZ from the auxiliary vector
// (AT_CLKTCK) of this process, 100 when it cannot be read (USER_HZ is 100
// on every mainstream Linux architecture).
func clockTicks(root string) float64 {
	const atClkTck = 17
	b, err := os.ReadFile(filepath.Join(root, "self", "auxv"))
	if err != nil || len(b)%16 != 0 {
		return 100
	}
	for i := 0; i+16 <= len(b); i += 16 {
		k, v := binary.NativeEndian.Uint64(b[i:]), binary.NativeEndian.Uint64(b[i+8:])
		if k == atClkTck && v > 0 {
			return float64(v)
		}
	}
	return 100
}

// treeStat is what one sample reads of a process tree.
type treeStat struct {
	processes  int
	ticks      uint64 // utime+stime+cutime+cstime, summed
	rssBytes   int64
	readBytes  uint64
	writeBytes uint64
	ioOK       bool // every process's io file was readable
}

// tree reads the statistics of pid and all its descendants.
func (p *procReader) tree(pid int) treeStat {
	var st treeStat
	st.ioOK = true
	seen := map[int]bool{}
	queue := []int{pid}
	for len(queue) > 0 {
		id := queue[0]
		queue = queue[1:]
		if seen[id] {
			continue
		}
		seen[id] = true
		ticks, rss, ok := p.stat(id)
		if !ok {
			continue // gone
		}
		st.processes++
		st.ticks += ticks
		st.rssBytes += rss
		if r, w, ok := p.io(id); ok {
			st.readBytes += r
			st.writeBytes += w
		} else {
			st.ioOK = false
		}
		queue = append(queue, p.children(id)...)
	}
	return st
}

// stat returns the CPU ticks (own and reaped children's) and the RSS of pid.
func (p *procReader) stat(pid int) (ticks uint64, rss int64, ok bool) {
	b, err := os.ReadFile(filepath.Join(p.root, strconv.Itoa(pid), "stat"))
	if err != nil {
		return 0, 0, false
	}
	// The command name (field 2) is in parentheses and may hold spaces.
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return 0, 0, false
	}
	f := strings.Fields(string(b[i+1:]))
	// f[0] is field 3 (state): field n is f[n-3].
	if len(f) < 22 {
		return 0, 0, false
	}
	for _, n := range []int{14, 15, 16, 17} {
		v, _ := strconv.ParseUint(f[n-3], 10, 64)
		ticks += v
	}
	pages, _ := strconv.ParseInt(f[24-3], 10, 64)
	return ticks, pages * p.pageSize, true
}

// io returns the bytes pid read from and wrote to storage.
func (p *procReader) io(pid int) (read, write uint64, ok bool) {
	b, err := os.ReadFile(filepath.Join(p.root, strconv.Itoa(pid), "io"))
	if err != nil {
		return 0, 0, false
	}
	found := 0
	for _, line := range strings.Split(string(b), "\n") {
		k, v, _ := strings.Cut(line, ":")
		n, err := strconv.ParseUint(strings.TrimSpace(v), 10, 64)
		if err != nil {
			continue
		}
		switch k {
		case "read_bytes":
			read, found = n, found+1
		case "write_bytes":
			write, found = n, found+1
		}
	}
	return read, write, found == 2
}

// children returns the child processes of every thread of pid.
func (p *procReader) children(pid int) []int {
	return taskChildren(os.DirFS(filepath.Join(p.root, strconv.Itoa(pid))))
}

// taskChildren returns the children of every thread of the process whose
// /proc directory is dir: the one reader of task/*/children, for the
// sampler (by path) and the peak tracker (through a pinned os.Root).
func taskChildren(dir fs.FS) []int {
	tasks, _ := fs.ReadDir(dir, "task")
	var out []int
	for _, t := range tasks {
		b, err := fs.ReadFile(dir, path.Join("task", t.Name(), "children"))
		if err != nil {
			continue
		}
		for _, f := range strings.Fields(string(b)) {
			if id, err := strconv.Atoi(f); err == nil {
				out = append(out, id)
			}
		}
	}
	return out
}

// cpusAllowed returns how many CPUs pid may run on (Cpus_allowed_list of
// /proc/<pid>/status, e.g. "0-3,8"); 0 when unknown.
func (p *procReader) cpusAllowed(pid int) int {
	b, err := os.ReadFile(filepath.Join(p.root, strconv.Itoa(pid), "status"))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		v, ok := strings.CutPrefix(line, "Cpus_allowed_list:")
		if !ok {
			continue
		}
		return countCPUList(strings.TrimSpace(v))
	}
	return 0
}

// countCPUList counts the CPUs of a kernel CPU list ("0-3,8,10-11"); 0 when
// it does not parse.
func countCPUList(s string) int {
	n := 0
	for _, part := range strings.Split(s, ",") {
		lo, hi, isRange := strings.Cut(part, "-")
		a, err := strconv.Atoi(lo)
		if err != nil {
			return 0
		}
		b := a
		if isRange {
			if b, err = strconv.Atoi(hi); err != nil || b < a {
				return 0
			}
		}
		n += b - a + 1
	}
	return n
}

// cgroupCPU returns the CPU time in seconds that the cgroup v2 at dir has
// used (usage_usec of cpu.stat: every process that ever ran in it, at the
// scheduler's resolution, reported in microseconds), and whether it could
// be read.
func cgroupCPU(dir string) (float64, bool) {
	b, err := os.ReadFile(filepath.Join(dir, "cpu.stat"))
	if err != nil {
		return 0, false
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "usage_usec "); ok {
			us, err := strconv.ParseUint(strings.TrimSpace(v), 10, 64)
			return float64(us) / 1e6, err == nil
		}
	}
	return 0, false
}
