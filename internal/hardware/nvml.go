package hardware

import (
	"errors"
	"fmt"
	"slices"
)

// ErrNoNVML is wrapped by NVML.Init's error when libnvidia-ml.so.1 cannot be
// loaded: there is no NVIDIA driver's user-space part on this machine (or in
// this container).
var ErrNoNVML = errors.New("libnvidia-ml.so.1 not found")

// NVML is the part of NVIDIA's management library that benchgate uses,
// devices addressed by NVML index. [OpenNVML] returns the real library;
// tests use an NVML-shaped fake (there is no GPU on CI). Init must succeed
// before any other call; Shutdown releases the library.
type NVML interface {
	Init() error
	Shutdown() error
	// DriverVersion is the driver's version, e.g. "550.54.15".
	DriverVersion() (string, error)
	// CUDAVersion is the newest CUDA version the driver supports, "12.4".
	CUDAVersion() (string, error)
	DeviceCount() (int, error)
	// Device returns device i's static description.
	Device(i int) (GPU, error)
	// Sample reads device i's current state.
	Sample(i int) (GPUSample, error)
	// Processes returns the ids of the processes with a compute context on
	// device i (as seen from this PID namespace).
	Processes(i int) ([]int, error)
}

// GPU describes one GPU.
type GPU struct {
	Index             int     `json:"index"`
	Name              string  `json:"name"`
	UUID              string  `json:"uuid,omitempty"`
	MemoryMB          float64 `json:"memory_mb,omitempty"`
	PCIBusID          string  `json:"pci_bus_id,omitempty"`
	ComputeCapability string  `json:"compute_capability,omitempty"` // "9.0"
	DriverVersion     string  `json:"driver_version,omitempty"`
	CUDAVersion       string  `json:"cuda_version,omitempty"`
}

// GPUSample is one reading of a GPU's state. A nil field was not readable
// (the device does not support the query).
type GPUSample struct {
	Index              int      `json:"index"`
	UtilizationPercent *float64 `json:"utilization_percent,omitempty"`
	MemoryUsedMB       *float64 `json:"memory_used_mb,omitempty"`
	PowerWatts         *float64 `json:"power_watts,omitempty"`
	TemperatureC       *float64 `json:"temperature_c,omitempty"`
	SMClockMHz         *float64 `json:"sm_clock_mhz,omitempty"`
	MemoryClockMHz     *float64 `json:"memory_clock_mhz,omitempty"`
	// ThrottleReasons names the active clock event reasons (see
	// ThrottleReasonNames), "gpu_idle" included.
	ThrottleReasons []string `json:"throttle_reasons,omitempty"`
}

// throttleReasons are NVML's clock event (throttle) reason bits, by name.
var throttleReasons = []struct {
	bit  uint64
	name string
}{
	{0x1, "gpu_idle"},
	{0x2, "applications_clocks_setting"},
	{0x4, "sw_power_cap"},
	{0x8, "hw_slowdown"},
	{0x10, "sync_boost"},
	{0x20, "sw_thermal_slowdown"},
	{0x40, "hw_thermal_slowdown"},
	{0x80, "hw_power_brake_slowdown"},
	{0x100, "display_clock_setting"},
}

// ThrottleReasonNames decodes NVML's clock event reason bit mask; unknown
// bits are named by their value.
func ThrottleReasonNames(mask uint64) []string {
	var out []string
	for _, r := range throttleReasons {
		if mask&r.bit != 0 {
			out = append(out, r.name)
			mask &^= r.bit
		}
	}
	for bit := uint64(1); mask != 0; bit <<= 1 {
		if mask&bit != 0 {
			out = append(out, fmt.Sprintf("0x%x", bit))
			mask &^= bit
		}
	}
	return out
}

// cudaPrecisions derives the natively supported formats from a compute
// capability "major.minor": fp16 from 5.3, int8 (dp4a) from 6.1, bf16 from
// 8.0, fp8 from 8.9.
func cudaPrecisions(cc string) []string {
	var major, minor int
	if _, err := fmt.Sscanf(cc, "%d.%d", &major, &minor); err != nil {
		return []string{"fp32"}
	}
	v := major*10 + minor
	out := []string{"fp32"}
	for _, p := range []struct {
		min  int
		name string
	}{{53, "fp16"}, {80, "bf16"}, {61, "int8"}, {89, "fp8"}} {
		if v >= p.min {
			out = append(out, p.name)
		}
	}
	slices.Sort(out[1:])
	return out
}
