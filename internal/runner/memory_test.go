package runner

import (
	"context"
	"os/exec"
	"testing"
	"time"
)

// TestExecPeakMemory runs commands whose footprint is known and checks the
// measured peak memory: a tiny command's own few MiB, not benchgate's (this
// test binary's) resident set, and a command that touches 200 MiB.
func TestExecPeakMemory(t *testing.T) {
	const mib = 1 << 20
	// Make this process big, as benchgate is (DuckDB and all), so that a
	// measurement that counts the parent's pages would show them in the
	// tiny commands; smaller than the 200 MiB commands, as benchgate is,
	// so that their wait4 maximum RSS is provably theirs and the growth
	// sampling cannot see just before they exit is counted too.
	ballast := make([]byte, 100*mib)
	for i := range len(ballast) / 4096 {
		ballast[i*4096] = 1
	}
	defer func() { _ = ballast[len(ballast)-1] }()
	tests := []struct {
		name   string
		argv   []string
		shell  string
		lo, hi int64
		needs  string
	}{
		// Exact in a cgroup; through /proc, too short to read (0: unknown).
		{name: "true", argv: []string{"true"}, lo: 0, hi: 10 * mib},
		{name: "sleep", argv: []string{"sleep", "0.1"}, lo: 1, hi: 10 * mib},
		// head writes 200 MiB without a newline into tail, which keeps it all.
		{name: "pipeline holding 200 MiB", argv: []string{"head -c 200M /dev/zero | tail"}, shell: "bash", lo: 190 * mib, hi: 260 * mib},
		// 200 MiB touched, then exit at once: the last growth before the
		// exit is what sampling misses.
		{name: "python 200 MiB", argv: []string{"python3", "-c", "b = bytearray(200 * 1024 * 1024)"}, lo: 190 * mib, hi: 260 * mib, needs: "python3"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.needs != "" {
				if _, err := exec.LookPath(tt.needs); err != nil {
					t.Skipf("no %s", tt.needs)
				}
			}
			res := Exec(context.Background(), tt.argv, tt.shell, "", nil, time.Minute, 0)
			if res.ExitCode != 0 {
				t.Fatalf("exit %d: %v %s", res.ExitCode, res.StartErr, res.Stderr)
			}
			t.Logf("%s: peak %.2f MiB (%s), CPU %v", tt.name, float64(res.MaxRSSBytes)/mib, res.MemoryMethod, res.UserTime+res.SystemTime)
			if res.MaxRSSBytes < tt.lo || res.MaxRSSBytes > tt.hi {
				t.Errorf("peak memory: got %.2f MiB (%s); want %.0f..%.0f MiB", float64(res.MaxRSSBytes)/mib, res.MemoryMethod, float64(tt.lo)/mib, float64(tt.hi)/mib)
			}
			if res.MemoryMethod != MemoryCgroup && res.MemoryMethod != MemoryProc {
				t.Errorf("memory method: got %q", res.MemoryMethod)
			}
		})
	}
}
