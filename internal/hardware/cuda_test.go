package hardware

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
)

// fakeNVML is an NVML-shaped fake FOR TESTS ONLY: it stands in for
// libnvidia-ml on machines without a GPU. It serves fixed devices and
// samples and can fail any call.
type fakeNVML struct {
	initErr  error
	devices  []GPU
	samples  []GPUSample
	procs    [][]int
	failDev  map[int]error
	shutdown int
}

func (f *fakeNVML) Init() error                    { return f.initErr }
func (f *fakeNVML) Shutdown() error                { f.shutdown++; return nil }
func (f *fakeNVML) DriverVersion() (string, error) { return "550.54.15", nil }
func (f *fakeNVML) CUDAVersion() (string, error)   { return "12.4", nil }
func (f *fakeNVML) DeviceCount() (int, error)      { return len(f.devices), nil }
func (f *fakeNVML) Device(i int) (GPU, error) {
	if err := f.failDev[i]; err != nil {
		return GPU{}, err
	}
	return f.devices[i], nil
}
func (f *fakeNVML) Sample(i int) (GPUSample, error) { return f.samples[i], nil }
func (f *fakeNVML) Processes(i int) ([]int, error) {
	if i >= len(f.procs) {
		return nil, fmt.Errorf("fake nvml: device %d processes: not supported", i)
	}
	return f.procs[i], nil
}

func TestDetectCUDA(t *testing.T) {
	h100 := GPU{Index: 0, Name: "NVIDIA H100 80GB HBM3", UUID: "GPU-1", MemoryMB: 81559, ComputeCapability: "9.0"}
	t4 := GPU{Index: 1, Name: "Tesla T4", UUID: "GPU-2", MemoryMB: 15360, ComputeCapability: "7.5"}
	driverFiles := map[string]string{"/proc/driver/nvidia/version": "NVRM version: NVIDIA UNIX x86_64 Kernel Module  550.54.15  Tue Mar  5 2024\n", "/dev/nvidia0": ""}
	tests := []struct {
		name      string
		nvml      *fakeNVML
		files     map[string]string
		wantAvail bool
		wantIn    string
		wantGPUs  []string
	}{
		{"two GPUs", &fakeNVML{devices: []GPU{h100, t4}}, driverFiles, true,
			"NVML: driver 550.54.15, CUDA 12.4, 2 GPU(s): 0: NVIDIA H100 80GB HBM3 (81559 MiB, compute 9.0); 1: Tesla T4", []string{"NVIDIA H100 80GB HBM3", "Tesla T4"}},
		{"one unreadable", &fakeNVML{devices: []GPU{h100, t4}, failDev: map[int]error{1: errors.New("nvml device 1: GPU is lost")}}, driverFiles, true,
			"unreadable: nvml device 1: GPU is lost", []string{"NVIDIA H100 80GB HBM3"}},
		{"no library, driver loaded", &fakeNVML{initErr: fmt.Errorf("nvml init: %w", ErrNoNVML)}, driverFiles, false,
			"libnvidia-ml.so.1 not found; NVIDIA kernel driver 550.54.15 and /dev/nvidia0 are present", nil},
		{"no library, no device node", &fakeNVML{initErr: fmt.Errorf("nvml init: %w", ErrNoNVML)},
			map[string]string{"/proc/driver/nvidia/version": "NVRM version: NVIDIA UNIX x86_64 Kernel Module  550.54.15\n"}, false,
			"no /dev/nvidia0 (a container without GPU access?)", nil},
		{"init fails", &fakeNVML{initErr: errors.New("nvml init: Driver/library version mismatch")}, driverFiles, false,
			"NVML failed to initialise (nvml init: Driver/library version mismatch)", nil},
		{"no GPU", &fakeNVML{}, driverFiles, false, "reports no GPU", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := fakeProbe(tt.files, nil, map[string]string{"CUDA_VISIBLE_DEVICES": "0"})
			p.NVML = func() NVML { return tt.nvml }
			got := p.detect("cuda")
			if got.Available != tt.wantAvail || !strings.Contains(got.Reason, tt.wantIn) {
				t.Errorf("got available %v, reason %q; want %v and %q", got.Available, got.Reason, tt.wantAvail, tt.wantIn)
			}
			var names []string
			for _, g := range got.GPUs {
				names = append(names, g.Name)
				if g.DriverVersion != "550.54.15" || g.CUDAVersion != "12.4" {
					t.Errorf("GPU %s: got driver %q, CUDA %q; want 550.54.15, 12.4", g.Name, g.DriverVersion, g.CUDAVersion)
				}
			}
			if !reflect.DeepEqual(names, tt.wantGPUs) {
				t.Errorf("GPUs: got %v; want %v", names, tt.wantGPUs)
			}
			if tt.nvml.initErr == nil && tt.nvml.shutdown != 1 {
				t.Errorf("Shutdown calls: got %d; want 1", tt.nvml.shutdown)
			}
			if tt.wantAvail && (got.DeviceName != "NVIDIA H100 80GB HBM3" || got.ComputeUnits != len(tt.wantGPUs) || !reflect.DeepEqual(got.Found, []string{"CUDA_VISIBLE_DEVICES=0"})) {
				t.Errorf("got device %q, units %d, found %v", got.DeviceName, got.ComputeUnits, got.Found)
			}
		})
	}
}

// TestOpenNVMLWithoutGPU runs the real go-nvml binding: on a machine without
// libnvidia-ml it must fail with ErrNoNVML, not crash; on a GPU machine it
// must initialise.
func TestOpenNVMLWithoutGPU(t *testing.T) {
	lib := OpenNVML()
	err := lib.Init()
	if err == nil {
		lib.Shutdown()
		return
	}
	if !errors.Is(err, ErrNoNVML) && !strings.Contains(err.Error(), "nvml init") {
		t.Errorf("Init: got %v; want ErrNoNVML or an nvml init error", err)
	}
}
