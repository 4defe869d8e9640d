package monitor

import (
	"os"
	"syscall"
	"testing"
)

// TestPeakTracker follows a process that allocates and touches 64 MiB: the
// peak is its own, not this test binary's. The helper is this test binary,
// whose own footprint (a Go runtime; several times larger under -race,
// whose shadow memory also grows with the allocation) is measured first.
func TestPeakTracker(t *testing.T) {
	const mib = 1 << 20
	track := func(alloc string) (peak, maxRSS int64) {
		cmd := startCmd(t, []string{"MONITOR_HELPER=alloc:" + alloc}, os.Args[0])
		p := TrackPeak(cmd.Process.Pid)
		err := cmd.Wait()
		peak = p.Stop()
		if err != nil {
			t.Fatalf("helper: %v", err)
		}
		if again := p.Stop(); again != peak {
			t.Errorf("second Stop: got %d; want %d", again, peak)
		}
		if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
			maxRSS = ru.Maxrss << 10
		}
		return peak, maxRSS
	}
	base, _ := track("0")
	peak, maxRSS := track("64")
	t.Logf("helper: %.1f MiB idle, %.1f MiB with 64 MiB touched (kernel max RSS %.1f MiB)", float64(base)/mib, float64(peak)/mib, float64(maxRSS)/mib)
	if base <= 0 || peak < base+63*mib {
		t.Errorf("peak: got %.1f MiB; want the helper's own %.1f MiB + 64 MiB", float64(peak)/mib, float64(base)/mib)
	}
	// The helper sleeps after touching its memory, so no growth is left
	// for the tracker to miss: it must agree with the kernel's high-water
	// mark of the helper. That is wait4's maximum RSS when it exceeds this
	// process's own (which the exec recorded in it), and an upper bound
	// anyway.
	const slack = 4 * mib
	if peak > maxRSS+slack {
		t.Errorf("peak: got %.1f MiB; want at most the kernel's max RSS %.1f MiB", float64(peak)/mib, float64(maxRSS)/mib)
	}
	if maxRSS > SelfHWM()+8*mib && peak < maxRSS-slack {
		t.Errorf("peak: got %.1f MiB; want the kernel's max RSS of the helper, %.1f MiB", float64(peak)/mib, float64(maxRSS)/mib)
	}
}

// TestPeakTrackerGone checks that a reaped process is not read: its pid
// could be another process's by now.
func TestPeakTrackerGone(t *testing.T) {
	cmd := startCmd(t, nil, "true")
	cmd.Wait()
	if got := TrackPeak(cmd.Process.Pid).Stop(); got != 0 {
		t.Errorf("peak of a reaped process: got %d; want 0", got)
	}
}

func TestParseStatusMemory(t *testing.T) {
	tests := []struct {
		name     string
		status   string
		hwm, rss int64
		ok       bool
	}{
		{"live", "Name:\tx\nVmPeak:\t 3060 kB\nVmHWM:\t    1732 kB\nVmRSS:\t    1700 kB\n", 1732 << 10, 1700 << 10, true},
		{"zombie", "Name:\tx\nState:\tZ (zombie)\n", 0, 0, false},
		{"odd unit", "VmHWM:\t 1 MB\nVmRSS:\t 1 kB\n", 0, 0, false},
	}
	for _, tt := range tests {
		hwm, rss, ok := parseStatusMemory([]byte(tt.status))
		if hwm != tt.hwm || rss != tt.rss || ok != tt.ok {
			t.Errorf("%s: got %d, %d, %v; want %d, %d, %v", tt.name, hwm, rss, ok, tt.hwm, tt.rss, tt.ok)
		}
	}
	if SelfHWM() <= 0 {
		t.Errorf("SelfHWM: got %d; want > 0", SelfHWM())
	}
}

func TestCountCPUList(t *testing.T) {
	for s, want := range map[string]int{"0": 1, "0-3": 4, "0-3,8,10-11": 7, "": 0, "3-1": 0, "x": 0} {
		if got := countCPUList(s); got != want {
			t.Errorf("countCPUList(%q): got %d; want %d", s, got, want)
		}
	}
}
