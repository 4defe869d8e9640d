package runner

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestFindCgroupParent checks where benchmark cgroups go, on a fake
// /proc/self and a fake cgroup tree (a plain directory, so the probe never
// finds memory.peak: every case ends with a reason).
func TestFindCgroupParent(t *testing.T) {
	mnt := t.TempDir()
	os.MkdirAll(filepath.Join(mnt, "system.slice", "runner.service"), 0o755)
	os.MkdirAll(filepath.Join(mnt, "system.slice", "limited.service"), 0o755)
	os.WriteFile(filepath.Join(mnt, "system.slice", "limited.service", "memory.max"), []byte("4294967296\n"), 0o644)
	os.WriteFile(filepath.Join(mnt, "system.slice", "runner.service", "memory.max"), []byte("max\n"), 0o644)
	os.WriteFile(filepath.Join(mnt, "system.slice", "runner.service", "cpu.max"), []byte("max 100000\n"), 0o644)
	dir := t.TempDir()
	write := func(name, s string) string {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte(s), 0o644)
		return p
	}
	v2 := write("mountinfo", "24 1 0:22 / /proc rw - proc proc rw\n"+
		"30 24 0:26 / "+strings.ReplaceAll(mnt, " ", `\040`)+" rw,nosuid shared:4 - cgroup2 cgroup2 rw,nsdelegate\n")
	v1 := write("mountinfo-v1", "31 24 0:27 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n")
	tests := []struct {
		name, mountinfo, self, want string
	}{
		{"cgroup v1 only", v1, "0::/\n", "no cgroup v2 hierarchy is mounted"},
		{"no v2 membership", v2, "4:memory:/x\n", "no cgroup v2 membership"},
		{"inside a benchmark's cgroup", v2, "0::/system.slice/benchgate-12-3\n", "benchgate runs in a benchmark's cgroup"},
		{"own cgroup with a memory limit", v2, "0::/system.slice/limited.service\n", "sets memory.max = 4294967296"},
		{"sibling without the memory controller", v2, "0::/system.slice/runner.service\n", "a cgroup under " + filepath.Join(mnt, "system.slice") + " has no memory.peak"},
		{"root without the memory controller", v2, "0::/\n", "a cgroup under " + mnt + " has no memory.peak"},
		{"outside the namespace's view", v2, "0::/../x\n", "outside this cgroup namespace's view"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			self := write("cgroup", tt.self)
			got, reason := findCgroupParent(tt.mountinfo, self)
			if got != "" || !strings.Contains(reason, tt.want) {
				t.Errorf("findCgroupParent: got %q, %q; want no parent, a reason with %q", got, reason, tt.want)
			}
		})
	}
	if entries, _ := os.ReadDir(filepath.Join(mnt, "system.slice")); len(entries) != 2 {
		t.Errorf("probe cgroups left behind: %v", entries)
	}
}

// TestExecCgroup runs a benchmark in a cgroup of its own, where this
// machine allows one (cgroup v2 with the memory controller, root): the
// cgroup measures it, kills what it left running outside its process
// group, and is gone afterwards.
func TestExecCgroup(t *testing.T) {
	cg, err := newBenchCgroup()
	if err != nil {
		t.Skipf("no benchmark cgroup on this machine: %v", err)
	}
	if err := cg.remove(); err != nil {
		t.Fatal(err)
	}
	pidFile := filepath.Join(t.TempDir(), "pid")
	var dir string
	c := Command{Argv: []string{`setsid sleep 1000 </dev/null >/dev/null 2>&1 & echo $! > "$PIDFILE"; b=$(head -c 50000000 /dev/zero | tr '\0' x); echo ${#b}`},
		Shell: "bash", Env: append(os.Environ(), "PIDFILE="+pidFile), Timeout: time.Minute,
		Started: func(p Process) { dir = p.Cgroup }}
	res := c.Run(context.Background())
	if res.ExitCode != 0 || res.MemoryMethod != MemoryCgroup || dir == "" {
		t.Fatalf("got exit %d, method %q, cgroup %q; want 0, %q, a cgroup (stderr %s)", res.ExitCode, res.MemoryMethod, dir, MemoryCgroup, res.Stderr)
	}
	const mib = 1 << 20
	t.Logf("peak %.1f MiB, CPU %v in %s", float64(res.MaxRSSBytes)/mib, res.UserTime+res.SystemTime, dir)
	// bash holds the 50 MB string, once or twice while it is built.
	if res.MaxRSSBytes < 45*mib || res.MaxRSSBytes > 200*mib {
		t.Errorf("peak memory: got %.1f MiB; want the 50 MB string's (45..200 MiB)", float64(res.MaxRSSBytes)/mib)
	}
	if res.UserTime+res.SystemTime <= 0 {
		t.Errorf("CPU time: got %v; want > 0", res.UserTime+res.SystemTime)
	}
	checkCgroupGone(t, dir, pidFile)
}

func TestParseMounts(t *testing.T) {
	if got := unescapeMount(`/a\040b\011c`); got != "/a b\tc" {
		t.Errorf("unescapeMount: got %q", got)
	}
	if m := rusageMargin(); m < 8<<20 {
		t.Errorf("rusageMargin: got %d; want ≥ 8 MiB", m)
	}
}

// TestExecCgroupMechanics runs a benchmark in a cgroup v2 of its own even
// where the memory controller does not reach it (cgroup v1 or hybrid
// hosts, whose v2 hierarchy has no controllers), when the v2 hierarchy is
// writable: the process starts in the cgroup (clone3 into it), its CPU time
// comes from cpu.stat, a child that left the process group is killed with
// the cgroup, and the cgroup is removed.
func TestExecCgroupMechanics(t *testing.T) {
	mnt, err := cgroup2Mount("/proc/self/mountinfo")
	if err != nil {
		t.Skip(err)
	}
	own, err := ownCgroup("/proc/self/cgroup")
	if err != nil {
		t.Skip(err)
	}
	parent := mnt
	if own != "/" {
		parent = filepath.Join(mnt, filepath.Dir(own))
	}
	probe := filepath.Join(parent, fmt.Sprintf("%stest-%d", cgroupPrefix, os.Getpid()))
	if err := os.Mkdir(probe, 0o755); err != nil {
		t.Skipf("cgroup v2 hierarchy not writable: %v", err)
	}
	os.Remove(probe)
	saved := cgroupParent
	cgroupParent = func() (string, string) { return parent, "" }
	defer func() { cgroupParent = saved }()

	pidFile := filepath.Join(t.TempDir(), "pid")
	var dir string
	c := Command{Argv: []string{`setsid sleep 1000 </dev/null >/dev/null 2>&1 & echo $! > "$PIDFILE"; i=0; while [ $i -lt 20000 ]; do i=$((i+1)); done`},
		Shell: "bash", Env: append(os.Environ(), "PIDFILE="+pidFile), Timeout: time.Minute,
		Started: func(p Process) {
			dir = p.Cgroup
			b, _ := os.ReadFile(filepath.Join(p.Cgroup, "cgroup.procs"))
			if !strings.Contains(" "+strings.Join(strings.Fields(string(b)), " ")+" ", fmt.Sprintf(" %d ", p.Pid)) {
				t.Errorf("cgroup.procs of %s: got %q; want the benchmark's pid %d", p.Cgroup, b, p.Pid)
			}
		}}
	res := c.Run(context.Background())
	if res.ExitCode != 0 || res.MemoryMethod != MemoryCgroup || dir == "" || !strings.HasPrefix(dir, parent) {
		t.Fatalf("got exit %d, method %q, cgroup %q; want 0, %q, a cgroup under %s (stderr %s)", res.ExitCode, res.MemoryMethod, dir, MemoryCgroup, parent, res.Stderr)
	}
	if cpu := res.UserTime + res.SystemTime; cpu <= 0 {
		t.Errorf("CPU time from cpu.stat: got %v; want > 0", cpu)
	}
	checkCgroupGone(t, dir, pidFile)
}

// checkCgroupGone checks what a benchmark's cgroup leaves: the cgroup dir
// removed, and the setsid child whose pid is in pidFile killed with it.
func checkCgroupGone(t *testing.T, dir, pidFile string) {
	t.Helper()
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("cgroup %s: got %v; want it removed", dir, err)
	}
	b, _ := os.ReadFile(pidFile)
	var pid int
	if _, err := fmt.Sscan(string(b), &pid); err != nil {
		t.Fatalf("pid file: %q", b)
	}
	if !waitDead(pid) {
		t.Errorf("setsid child %d: still alive; want killed with the cgroup", pid)
		syscall.Kill(pid, syscall.SIGKILL)
	}
}
