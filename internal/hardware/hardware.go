package hardware

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
)

// Types lists every platform benchgate knows, in the seed's order.
var Types = []string{"cpu", "cuda", "rocm", "mps", "openvino", "qnn", "webnn", "webgpu"}

// Platform is the detection result for one hardware type.
type Platform struct {
	Type          string  `json:"type"`
	Available     bool    `json:"available"`
	Reason        string  `json:"reason"` // what was found, or why it is unavailable
	DeviceName    string  `json:"device_name,omitempty"`
	DriverVersion string  `json:"driver_version,omitempty"`
	MemoryMB      float64 `json:"memory_mb,omitempty"`
	ComputeUnits  int     `json:"compute_units,omitempty"`
}

// Probe is the environment detection reads; tests replace its parts.
type Probe struct {
	ReadFile func(string) ([]byte, error)
	Stat     func(string) (os.FileInfo, error)
	LookPath func(string) (string, error)
	Getenv   func(string) string
	GOOS     string
	GOARCH   string
	NumCPU   int
}

// HostProbe reads the real machine.
func HostProbe() Probe {
	return Probe{
		ReadFile: os.ReadFile, Stat: os.Stat, LookPath: exec.LookPath, Getenv: os.Getenv,
		GOOS: runtime.GOOS, GOARCH: runtime.GOARCH, NumCPU: runtime.NumCPU(),
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

func (p Probe) detect(t string) Platform {
	switch t {
	case "cpu":
		return p.cpu()
	case "cuda":
		return p.cuda()
	case "rocm":
		if _, err := p.Stat("/sys/class/kfd"); err == nil {
			return Platform{Type: t, Available: true, Reason: "found /sys/class/kfd (AMD kernel fusion driver)"}
		}
		if path, err := p.LookPath("rocm-smi"); err == nil {
			return Platform{Type: t, Reason: "rocm-smi at " + path + " but no /sys/class/kfd: the amdgpu driver is not loaded"}
		}
		return Platform{Type: t, Reason: "no /sys/class/kfd and no rocm-smi on PATH"}
	case "mps":
		if p.GOOS == "darwin" && p.GOARCH == "arm64" {
			return Platform{Type: t, Available: true, Reason: "macOS on Apple silicon"}
		}
		return Platform{Type: t, Reason: fmt.Sprintf("needs macOS on Apple silicon; this is %s/%s", p.GOOS, p.GOARCH)}
	case "openvino":
		for _, dir := range []string{"/opt/intel/openvino/runtime/lib/intel64", "/usr/lib/x86_64-linux-gnu", "/usr/local/lib"} {
			if m, _ := filepath.Glob(filepath.Join(dir, "libopenvino.so*")); len(m) > 0 {
				return Platform{Type: t, Available: true, Reason: "found " + m[0]}
			}
		}
		if path, err := p.LookPath("benchmark_app"); err == nil {
			return Platform{Type: t, Available: true, Reason: "found OpenVINO benchmark_app at " + path}
		}
		return Platform{Type: t, Reason: "no libopenvino.so in the usual places and no benchmark_app on PATH"}
	case "qnn":
		if root := p.Getenv("QNN_SDK_ROOT"); root != "" {
			if _, err := p.Stat(root); err == nil {
				return Platform{Type: t, Available: true, Reason: "QNN_SDK_ROOT=" + root}
			}
			return Platform{Type: t, Reason: "QNN_SDK_ROOT=" + root + " does not exist"}
		}
		return Platform{Type: t, Reason: "QNN_SDK_ROOT is not set"}
	case "webnn", "webgpu":
		for _, b := range []string{"chromium", "chromium-browser", "google-chrome", "microsoft-edge"} {
			if path, err := p.LookPath(b); err == nil {
				return Platform{Type: t, Reason: "browser found at " + path + "; " + t + " needs a browser run harness, which is not configured"}
			}
		}
		return Platform{Type: t, Reason: "no Chromium-based browser on PATH"}
	}
	return Platform{Type: t, Reason: "unknown hardware type"}
}

func (p Probe) cpu() Platform {
	pl := Platform{Type: "cpu", Available: true, ComputeUnits: p.NumCPU, Reason: fmt.Sprintf("%d logical CPUs", p.NumCPU)}
	if b, err := p.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			k, v, ok := strings.Cut(line, ":")
			if ok && strings.TrimSpace(k) == "model name" {
				pl.DeviceName = strings.TrimSpace(v)
				break
			}
		}
	}
	if b, err := p.ReadFile("/proc/meminfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			var kb float64
			if _, err := fmt.Sscanf(line, "MemTotal: %f kB", &kb); err == nil {
				pl.MemoryMB = kb / 1024
				break
			}
		}
	}
	return pl
}

func (p Probe) cuda() Platform {
	pl := Platform{Type: "cuda"}
	b, err := p.ReadFile("/proc/driver/nvidia/version")
	if err != nil {
		if path, lerr := p.LookPath("nvidia-smi"); lerr == nil {
			pl.Reason = "nvidia-smi at " + path + " but no /proc/driver/nvidia/version: the NVIDIA driver is not loaded in this namespace"
			return pl
		}
		pl.Reason = "no NVIDIA driver (/proc/driver/nvidia/version missing)"
		return pl
	}
	first, _, _ := strings.Cut(string(b), "\n")
	if f := strings.Fields(first); len(f) > 0 {
		for i, w := range f {
			if w == "Kernel" && i+2 < len(f) && f[i+1] == "Module" {
				pl.DriverVersion = f[i+2]
			}
		}
	}
	if _, err := p.Stat("/dev/nvidia0"); err != nil {
		pl.Reason = "NVIDIA driver loaded but no /dev/nvidia0 device node (container without GPU access?)"
		return pl
	}
	pl.Available = true
	pl.Reason = "NVIDIA driver " + pl.DriverVersion + " and /dev/nvidia0"
	if m, _ := filepath.Glob("/proc/driver/nvidia/gpus/*/information"); len(m) > 0 {
		if info, err := p.ReadFile(m[0]); err == nil {
			for _, line := range strings.Split(string(info), "\n") {
				if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "Model" {
					pl.DeviceName = strings.TrimSpace(v)
				}
			}
		}
	}
	return pl
}
