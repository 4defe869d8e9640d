package runner

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// A benchCgroup is a cgroup v2 made for one run of a benchmark: the process
// starts in it (clone3 with CLONE_INTO_CGROUP, so that not a page of it is
// charged elsewhere, and not a page of benchgate's is charged to it), and
// every process the benchmark starts stays in it. Its memory.peak is then
// the benchmark's peak memory and its cpu.stat the benchmark's CPU time,
// exited, orphaned and daemonised descendants included; cgroup.kill ends
// whatever it left running. It is removed after the run.
//
// Where it is made (see findCgroupParent): next to benchgate's own cgroup,
// under the same parent, since a cgroup that holds processes (benchgate's)
// cannot give the memory controller to children of its own; or under the
// root when benchgate runs in the root cgroup. It is made only where the
// memory controller is enabled for it, and not next to benchgate's cgroup
// when that cgroup sets limits (memory, pids, CPU quota, cpuset, I/O) that
// the benchmark would escape there. Without one — cgroup v1 or hybrid
// hosts, a read-only /sys/fs/cgroup in a container, a kernel before 5.19
// (no memory.peak), benchgate itself running in a benchmark's cgroup — the
// runner measures through /proc instead (see Command.Run).
type benchCgroup struct {
	dir string
	fd  int // an O_DIRECTORY descriptor of dir, for SysProcAttr.CgroupFD
}

// cgroupParent returns, once per process, the directory under which
// benchmark cgroups are made, or "" and why there is none.
var cgroupParent = sync.OnceValues(func() (string, string) {
	return findCgroupParent("/proc/self/mountinfo", "/proc/self/cgroup")
})

// cgroups is the process-wide state of benchmark cgroups.
var cgroups struct {
	seq atomic.Uint64
	// broken is set when starting a process in a cgroup failed although
	// starting it without one worked (e.g. clone3 refused by a seccomp
	// filter): cgroups are not used again by this process.
	broken atomic.Bool
}

// cgroupPrefix starts the name of every benchmark cgroup.
const cgroupPrefix = "benchgate-"

// newBenchCgroup makes a cgroup for one run; an error says why there is
// none.
func newBenchCgroup() (*benchCgroup, error) {
	parent, reason := cgroupParent()
	if parent == "" {
		return nil, errors.New(reason)
	}
	if cgroups.broken.Load() {
		return nil, errors.New("starting a process in a cgroup failed earlier")
	}
	dir := filepath.Join(parent, fmt.Sprintf("%s%d-%d", cgroupPrefix, os.Getpid(), cgroups.seq.Add(1)))
	if err := os.Mkdir(dir, 0o755); err != nil {
		return nil, fmt.Errorf("making a cgroup: %w", err)
	}
	fd, err := syscall.Open(dir, syscall.O_RDONLY|syscall.O_DIRECTORY|syscall.O_CLOEXEC, 0)
	if err != nil {
		os.Remove(dir)
		return nil, fmt.Errorf("opening cgroup %s: %w", dir, &os.PathError{Op: "open", Path: dir, Err: err})
	}
	return &benchCgroup{dir: dir, fd: fd}, nil
}

// findCgroupParent returns the directory under which benchmark cgroups can
// be made, or "" and the reason there is none. mountinfo and self are
// /proc/self/mountinfo and /proc/self/cgroup.
func findCgroupParent(mountinfo, self string) (dir, reason string) {
	mnt, err := cgroup2Mount(mountinfo)
	if err != nil {
		return "", err.Error()
	}
	own, err := ownCgroup(self)
	if err != nil {
		return "", err.Error()
	}
	if strings.HasPrefix(path.Base(own), cgroupPrefix) {
		return "", fmt.Sprintf("benchgate runs in a benchmark's cgroup (%s): its benchmarks stay in it", own)
	}
	parent := mnt
	if own != "/" {
		if lim := cgroupLimit(filepath.Join(mnt, own)); lim != "" {
			return "", fmt.Sprintf("benchgate's cgroup %s sets %s, which a benchmark in a cgroup beside it would escape", own, lim)
		}
		parent = filepath.Join(mnt, path.Dir(own))
	}
	// Probe: the memory controller must reach a new child of parent.
	probe := filepath.Join(parent, fmt.Sprintf("%s%d-probe", cgroupPrefix, os.Getpid()))
	if err := os.Mkdir(probe, 0o755); err != nil {
		return "", fmt.Sprintf("cannot make a cgroup under %s: %v", parent, err)
	}
	_, statErr := os.Stat(filepath.Join(probe, "memory.peak"))
	if err := os.Remove(probe); err != nil {
		return "", fmt.Sprintf("removing probe cgroup: %v", err)
	}
	if statErr != nil {
		return "", fmt.Sprintf("a cgroup under %s has no memory.peak (memory controller not enabled there, or a kernel before 5.19)", parent)
	}
	return parent, ""
}

// cgroup2Mount returns where the cgroup v2 hierarchy is mounted, from
// /proc/self/mountinfo: the first cgroup2 mount of its root ("/").
func cgroup2Mount(mountinfo string) (string, error) {
	f, err := os.Open(mountinfo)
	if err != nil {
		return "", fmt.Errorf("reading mounts: %w", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		pre, post, ok := strings.Cut(sc.Text(), " - ")
		if !ok {
			continue
		}
		a, b := strings.Fields(pre), strings.Fields(post)
		if len(a) >= 5 && len(b) >= 1 && b[0] == "cgroup2" && a[3] == "/" {
			return unescapeMount(a[4]), nil
		}
	}
	if err := sc.Err(); err != nil {
		return "", fmt.Errorf("reading mounts: %w", err)
	}
	return "", errors.New("no cgroup v2 hierarchy is mounted")
}

// unescapeMount undoes mountinfo's octal escapes (\040 for a space, …).
func unescapeMount(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+3 < len(s) {
			if n, err := strconv.ParseUint(s[i+1:i+4], 8, 8); err == nil {
				b.WriteByte(byte(n))
				i += 3
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// ownCgroup returns this process's cgroup v2 path from /proc/self/cgroup
// (the "0::" line).
func ownCgroup(self string) (string, error) {
	b, err := os.ReadFile(self)
	if err != nil {
		return "", fmt.Errorf("reading own cgroup: %w", err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		p, ok := strings.CutPrefix(line, "0::")
		if !ok {
			continue
		}
		if !strings.HasPrefix(p, "/") || strings.Contains(p, "..") || strings.HasSuffix(p, " (deleted)") {
			return "", fmt.Errorf("own cgroup %q is outside this cgroup namespace's view", p)
		}
		return p, nil
	}
	return "", errors.New("no cgroup v2 membership in /proc/self/cgroup")
}

// cgroupLimit returns the first limit the cgroup at dir sets ("memory.max
// = 4294967296"), or "" when it sets none. Absent files (controllers not
// enabled) set nothing.
func cgroupLimit(dir string) string {
	for _, c := range []struct{ file, none string }{
		{"memory.max", "max"}, {"memory.high", "max"}, {"memory.swap.max", "max"}, {"pids.max", "max"},
		{"cpu.max", "max"}, {"cpuset.cpus", ""}, {"cpuset.mems", ""}, {"io.max", ""},
	} {
		b, err := os.ReadFile(filepath.Join(dir, c.file))
		if err != nil {
			continue
		}
		v := strings.TrimSpace(string(b))
		if v == c.none || c.file == "cpu.max" && strings.HasPrefix(v, "max ") {
			continue
		}
		return c.file + " = " + v
	}
	return ""
}

// peak returns the cgroup's memory.peak in bytes; 0 when unreadable.
func (c *benchCgroup) peak() int64 {
	b, err := os.ReadFile(filepath.Join(c.dir, "memory.peak"))
	if err != nil {
		return 0
	}
	n, err := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64)
	if err != nil {
		return 0
	}
	return n
}

// cpu returns the user and system time of cpu.stat: every process that ran
// in the cgroup, in microseconds.
func (c *benchCgroup) cpu() (user, system time.Duration, ok bool) {
	b, err := os.ReadFile(filepath.Join(c.dir, "cpu.stat"))
	if err != nil {
		return 0, 0, false
	}
	found := 0
	for _, line := range strings.Split(string(b), "\n") {
		k, v, _ := strings.Cut(line, " ")
		us, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			continue
		}
		switch k {
		case "user_usec":
			user, found = time.Duration(us)*time.Microsecond, found+1
		case "system_usec":
			system, found = time.Duration(us)*time.Microsecond, found+1
		}
	}
	return user, system, found == 2
}

// kill sends SIGKILL to every process left in the cgroup: with cgroup.kill
// (Linux 5.14), else one by one from cgroup.procs.
func (c *benchCgroup) kill() {
	if os.WriteFile(filepath.Join(c.dir, "cgroup.kill"), []byte("1"), 0) == nil {
		return
	}
	b, _ := os.ReadFile(filepath.Join(c.dir, "cgroup.procs"))
	for _, f := range strings.Fields(string(b)) {
		if pid, err := strconv.Atoi(f); err == nil && pid > 0 {
			syscall.Kill(pid, syscall.SIGKILL)
		}
	}
}

// cgroupRemoveWait bounds how long remove waits for killed processes to
// leave the cgroup.
const cgroupRemoveWait = 5 * time.Second

// remove kills what is left in the cgroup and removes it, waiting for the
// killed processes to be gone.
func (c *benchCgroup) remove() error {
	syscall.Close(c.fd)
	deadline := time.Now().Add(cgroupRemoveWait)
	for wait := 100 * time.Microsecond; ; wait = min(2*wait, 50*time.Millisecond) {
		err := os.Remove(c.dir)
		if err == nil || errors.Is(err, os.ErrNotExist) {
			return nil
		}
		if !errors.Is(err, syscall.EBUSY) || time.Now().After(deadline) {
			return fmt.Errorf("removing cgroup: %w", err)
		}
		if b, _ := os.ReadFile(filepath.Join(c.dir, "cgroup.procs")); len(bytes.TrimSpace(b)) > 0 {
			c.kill()
		}
		time.Sleep(wait)
	}
}
