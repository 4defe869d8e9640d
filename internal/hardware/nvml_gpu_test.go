//go:build nvml

package hardware

import (
	"context"
	"testing"
)

// TestNVMLOnGPU checks the real NVML binding on a machine with an NVIDIA
// GPU. Run it there with:
//
//	go test -tags nvml -run NVML -v ./internal/hardware/
//
// Without a GPU it fails: the tag says a GPU is expected.
func TestNVMLOnGPU(t *testing.T) {
	lib := OpenNVML()
	if err := lib.Init(); err != nil {
		t.Fatalf("Init: %v", err)
	}
	defer lib.Shutdown()
	driver, err := lib.DriverVersion()
	if err != nil || driver == "" {
		t.Errorf("DriverVersion: got %q, %v", driver, err)
	}
	cuda, err := lib.CUDAVersion()
	if err != nil || cuda == "" {
		t.Errorf("CUDAVersion: got %q, %v", cuda, err)
	}
	n, err := lib.DeviceCount()
	if err != nil || n < 1 {
		t.Fatalf("DeviceCount: got %d, %v; want ≥ 1", n, err)
	}
	for i := range n {
		g, err := lib.Device(i)
		if err != nil || g.Name == "" || g.UUID == "" || g.MemoryMB <= 0 || g.ComputeCapability == "" {
			t.Errorf("Device(%d): got %+v, %v; want name, UUID, memory, compute capability", i, g, err)
		}
		s, err := lib.Sample(i)
		if err != nil || s.PowerWatts == nil || s.TemperatureC == nil || s.MemoryUsedMB == nil || s.UtilizationPercent == nil || s.SMClockMHz == nil {
			t.Errorf("Sample(%d): got %+v, %v; want power, temperature, memory, utilisation, clocks", i, s, err)
		}
		t.Logf("GPU %d: %+v; sample: power %v W, temp %v C, util %v %%, throttle %v", i, g, deref(s.PowerWatts), deref(s.TemperatureC), deref(s.UtilizationPercent), s.ThrottleReasons)
		if _, err := lib.Processes(i); err != nil {
			t.Errorf("Processes(%d): %v", i, err)
		}
	}
	cudaPl, _ := Find(Detect(context.Background()), "cuda")
	if !cudaPl.Available || len(cudaPl.GPUs) != n {
		t.Errorf("Detect cuda: got %+v; want available with %d GPU(s)", cudaPl, n)
	}
	t.Logf("cuda: %s", cudaPl.Reason)
}

func deref(p *float64) float64 {
	if p == nil {
		return -1
	}
	return *p
}
