package hardware

import (
	"errors"
	"fmt"
	"strings"
)

// cuda probes NVIDIA GPUs through NVML. When NVML cannot be loaded or finds
// no device, the reason says what the kernel side shows
// (/proc/driver/nvidia/version, /dev/nvidia0, nvidia-smi on the PATH).
func (p Probe) cuda() Platform {
	pl := Platform{Type: "cuda"}
	if visible, ok := p.lookupEnv("CUDA_VISIBLE_DEVICES"); ok {
		pl.Found = append(pl.Found, "CUDA_VISIBLE_DEVICES="+visible)
	}
	if p.NVML == nil {
		pl.Reason = "NVML is not available to this probe; " + p.nvidiaKernelHint()
		return pl
	}
	lib := p.NVML()
	if err := lib.Init(); err != nil {
		if errors.Is(err, ErrNoNVML) {
			pl.Reason = "NVML library libnvidia-ml.so.1 not found; " + p.nvidiaKernelHint()
		} else {
			pl.Reason = fmt.Sprintf("NVML failed to initialise (%v); %s", err, p.nvidiaKernelHint())
		}
		return pl
	}
	defer lib.Shutdown()
	driver, derr := lib.DriverVersion()
	cuda, _ := lib.CUDAVersion() // older drivers: unknown
	n, err := lib.DeviceCount()
	if err != nil {
		pl.Reason = fmt.Sprintf("NVML loaded but could not count devices: %v", err)
		return pl
	}
	if derr == nil {
		pl.DriverVersion = driver
	}
	if n == 0 {
		pl.Reason = "NVML loaded (driver " + driver + ") but reports no GPU"
		return pl
	}
	var names, problems []string
	for i := range n {
		g, err := lib.Device(i)
		if err != nil {
			problems = append(problems, err.Error())
			continue
		}
		g.DriverVersion, g.CUDAVersion = driver, cuda
		pl.GPUs = append(pl.GPUs, g)
		names = append(names, fmt.Sprintf("%d: %s (%.0f MiB, compute %s)", i, g.Name, g.MemoryMB, g.ComputeCapability))
	}
	if len(pl.GPUs) == 0 {
		pl.Reason = fmt.Sprintf("NVML reports %d GPU(s) but none could be read: %s", n, strings.Join(problems, "; "))
		return pl
	}
	g := pl.GPUs[0]
	pl.Available = true
	pl.DeviceName, pl.MemoryMB, pl.ComputeUnits = g.Name, g.MemoryMB, len(pl.GPUs)
	pl.Precisions = cudaPrecisions(g.ComputeCapability)
	pl.Reason = fmt.Sprintf("NVML: driver %s, CUDA %s, %d GPU(s): %s", driver, cuda, len(pl.GPUs), strings.Join(names, "; "))
	if len(problems) > 0 {
		pl.Reason += "; unreadable: " + strings.Join(problems, "; ")
	}
	return pl
}

// nvidiaKernelHint says what the kernel side of the NVIDIA driver shows,
// to explain why NVML is missing or failing.
func (p Probe) nvidiaKernelHint() string {
	b, err := p.ReadFile("/proc/driver/nvidia/version")
	if err != nil {
		if path, lerr := p.LookPath("nvidia-smi"); lerr == nil {
			return "nvidia-smi at " + path + " but no /proc/driver/nvidia/version: the NVIDIA kernel module is not loaded here"
		}
		return "no NVIDIA kernel driver (/proc/driver/nvidia/version missing)"
	}
	version := ""
	first, _, _ := strings.Cut(string(b), "\n")
	f := strings.Fields(first)
	for i, w := range f {
		if w == "Module" && i+1 < len(f) {
			version = f[i+1]
			break
		}
	}
	if !p.exists("/dev/nvidia0") {
		return "NVIDIA kernel driver " + version + " is loaded but there is no /dev/nvidia0 (a container without GPU access?)"
	}
	return "NVIDIA kernel driver " + version + " and /dev/nvidia0 are present: install or mount the driver's user-space libraries"
}

// lookupEnv returns the variable's value and whether it is set non-empty.
func (p Probe) lookupEnv(name string) (string, bool) {
	if p.Getenv == nil {
		return "", false
	}
	v := p.Getenv(name)
	return v, v != ""
}
