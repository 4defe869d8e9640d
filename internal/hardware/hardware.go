package hardware

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"

	"github.com/benchgate/benchgate/internal/results"
)

// Types lists every platform benchgate knows, in the seed's order: the
// result model's list (results.HardwareTypes), not a copy.
var Types = results.HardwareTypes

// Platform is the detection result for one hardware type.
type Platform struct {
	Type      string `json:"type"`
	Available bool   `json:"available"`
	// Reason says what was found, or why the platform is unavailable.
	Reason string `json:"reason"`
	// DeviceName, DriverVersion and MemoryMB describe the first device
	// (cpu: the processor and the machine's memory). ComputeUnits is the
	// number of logical CPUs for cpu, of devices for cuda and rocm.
	DeviceName    string  `json:"device_name,omitempty"`
	DriverVersion string  `json:"driver_version,omitempty"`
	MemoryMB      float64 `json:"memory_mb,omitempty"`
	ComputeUnits  int     `json:"compute_units,omitempty"`
	// Precisions are the numeric formats the device supports natively
	// (fp32, fp16, bf16, int8, fp8), as far as detection can tell.
	Precisions []string `json:"precisions,omitempty"`
	// CPU holds the processor details (cpu only).
	CPU *CPU `json:"cpu,omitempty"`
	// GPUs holds one entry per device (cuda, rocm).
	GPUs []GPU `json:"gpus,omitempty"`
	// Found lists the evidence the probe saw: paths, versions, variables.
	Found []string `json:"found,omitempty"`
}

// Probe is the environment detection reads; tests replace its parts.
type Probe struct {
	ReadFile func(string) ([]byte, error)
	Stat     func(string) (os.FileInfo, error)
	Glob     func(string) ([]string, error)
	LookPath func(string) (string, error)
	Getenv   func(string) string
	// NVML opens NVIDIA's management library; nil means there is none.
	NVML   func() NVML
	GOOS   string
	GOARCH string
	NumCPU int
}

// HostProbe reads the real machine.
func HostProbe() Probe {
	return Probe{
		ReadFile: os.ReadFile, Stat: os.Stat, Glob: filepath.Glob, LookPath: exec.LookPath, Getenv: os.Getenv,
		NVML: OpenNVML, GOOS: runtime.GOOS, GOARCH: runtime.GOARCH, NumCPU: runtime.NumCPU(),
	}
}

// Detect probes every platform of [Types] on this machine.
func Detect(ctx context.Context) []Platform {
	return HostProbe().Detect(ctx)
}

// Detect probes every platform of [Types] with p.
func (p Probe) Detect(ctx context.Context) []Platform {
	out := make([]Platform, 0, len(Types))
	for _, t := range Types {
		if ctx.Err() != nil {
			out = append(out, Platform{Type: t, Reason: "detection cancelled"})
			continue
		}
		out = append(out, p.detect(t))
	}
	return out
}

// Available returns the types of the available platforms in ps, in order.
func Available(ps []Platform) []string {
	var out []string
	for _, p := range ps {
		if p.Available {
			out = append(out, p.Type)
		}
	}
	return out
}

// Find returns the platform of type t in ps, and whether there is one.
func Find(ps []Platform, t string) (Platform, bool) {
	for _, p := range ps {
		if p.Type == t {
			return p, true
		}
	}
	return Platform{}, false
}

func (p Probe) detect(t string) Platform {
	switch t {
	case "cpu":
		return p.cpu()
	case "cuda":
		return p.cuda()
	case "rocm":
		return p.rocm()
	case "mps":
		return p.mps()
	case "openvino":
		return p.openvino()
	case "qnn":
		return p.qnn()
	case "webnn", "webgpu":
		return p.browser(t)
	}
	return Platform{Type: t, Reason: "unknown hardware type"}
}

// glob is p.Glob ignoring malformed patterns (there are none: they are
// constants).
func (p Probe) glob(pattern string) []string {
	if p.Glob == nil {
		return nil
	}
	m, _ := p.Glob(pattern)
	return m
}

// exists reports whether path exists.
func (p Probe) exists(path string) bool {
	_, err := p.Stat(path)
	return err == nil
}
