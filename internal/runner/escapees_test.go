package runner

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// TestExecKillsSessionEscapees: without a cgroup, a child that left the
// benchmark's process group with setsid is still ended when the benchmark
// times out — found by the run's mark in its environment.
func TestExecKillsSessionEscapees(t *testing.T) {
	saved := cgroupParent
	cgroupParent = func() (string, string) { return "", "this test runs without a cgroup" }
	defer func() { cgroupParent = saved }()
	pidFile := filepath.Join(t.TempDir(), "pid")
	c := Command{Argv: []string{`setsid sleep 1000 </dev/null >/dev/null 2>&1 & echo $! > "$PIDFILE"; sleep 1000`},
		Shell: "bash", Env: append(os.Environ(), "PIDFILE="+pidFile), Timeout: 2 * time.Second}
	res := c.Run(context.Background())
	if !res.TimedOut {
		t.Fatalf("got %+v; want a timeout", res)
	}
	b, err := os.ReadFile(pidFile)
	var pid int
	if _, serr := fmt.Sscan(string(b), &pid); err != nil || serr != nil {
		t.Fatalf("pid file: %q, %v", b, err)
	}
	if !waitDead(pid) {
		t.Errorf("setsid child %d: still alive after the timeout; want it killed", pid)
		syscall.Kill(pid, syscall.SIGKILL)
	}
}
