//go:build nvml

package monitor

import (
	"os/exec"
	"testing"
	"time"

	"github.com/benchgate/benchgate/internal/hardware"
)

// TestMonitorRealGPU samples the real GPUs while a process sleeps: every
// sample has a reading per device, and power and energy are derived. Run on
// a GPU machine with:
//
//	go test -tags nvml -run RealGPU -v ./internal/monitor/
func TestMonitorRealGPU(t *testing.T) {
	lib := hardware.OpenNVML()
	if err := lib.Init(); err != nil {
		t.Fatalf("NVML Init: %v", err)
	}
	defer lib.Shutdown()
	n, _ := lib.DeviceCount()
	cmd := exec.Command("sleep", "1")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	m := Start(cmd.Process.Pid, Options{NVML: lib})
	cmd.Wait()
	r := m.Stop(Final{Elapsed: time.Second})
	if len(r.Samples) < 5 {
		t.Fatalf("samples: got %d; want ≥ 5 in 1 s", len(r.Samples))
	}
	for _, s := range r.Samples {
		if len(s.GPUs) != n {
			t.Errorf("sample at %v: got %d GPU readings; want %d", s.Time, len(s.GPUs), n)
		}
	}
	if r.AvgPowerWatts == nil || *r.AvgPowerWatts <= 0 || r.EnergyJoules == nil || *r.EnergyJoules <= 0 {
		t.Errorf("power %v, energy %v; want both positive", r.AvgPowerWatts, r.EnergyJoules)
	}
	if len(r.GPUErrors) > 0 {
		t.Errorf("GPU errors: %v", r.GPUErrors)
	}
	t.Logf("idle GPUs %v: average power %.1f W, energy %.1f J over 1 s, max temperature %v", r.GPUs, *r.AvgPowerWatts, *r.EnergyJoules, r.MaxTemperatureC)
}
