package hardware

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// CPU describes the processor.
type CPU struct {
	Model         string  `json:"model"`
	Sockets       int     `json:"sockets,omitempty"`
	PhysicalCores int     `json:"physical_cores,omitempty"`
	LogicalCores  int     `json:"logical_cores"`
	MemoryMB      float64 `json:"memory_mb,omitempty"`
	// Features are the ISA extensions that matter for ML kernels, of
	// featureFlags, as /proc/cpuinfo names them.
	Features []string `json:"features,omitempty"`
	// Governor is the cpufreq scaling governor of cpu0 ("performance",
	// "powersave", …), "" when cpufreq is not exposed (common in VMs).
	Governor        string  `json:"governor,omitempty"`
	MaxFrequencyMHz float64 `json:"max_frequency_mhz,omitempty"`
}

// featureFlags are the /proc/cpuinfo flags reported in CPU.Features.
var featureFlags = []string{
	"sse4_2", "avx", "avx2", "fma", "f16c",
	"avx512f", "avx512bw", "avx512vl", "avx512_vnni", "avx512_bf16", "avx512_fp16",
	"avx_vnni", "amx_tile", "amx_bf16", "amx_int8",
	"asimd", "asimdhp", "sve", "sve2", "bf16", "i8mm", // arm64
}

// cpu probes the processor; it is always available.
func (p Probe) cpu() Platform {
	c := &CPU{LogicalCores: p.NumCPU}
	if b, err := p.ReadFile("/proc/cpuinfo"); err == nil {
		parseCPUInfo(string(b), c)
	}
	if b, err := p.ReadFile("/proc/meminfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			var kb float64
			if _, err := fmt.Sscanf(line, "MemTotal: %f kB", &kb); err == nil {
				c.MemoryMB = kb / 1024
				break
			}
		}
	}
	if b, err := p.ReadFile("/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor"); err == nil {
		c.Governor = strings.TrimSpace(string(b))
	}
	if b, err := p.ReadFile("/sys/devices/system/cpu/cpu0/cpufreq/cpuinfo_max_freq"); err == nil {
		if khz, err := strconv.ParseFloat(strings.TrimSpace(string(b)), 64); err == nil {
			c.MaxFrequencyMHz = khz / 1000
		}
	}
	reason := fmt.Sprintf("%d logical CPUs", c.LogicalCores)
	if c.PhysicalCores > 0 {
		reason += fmt.Sprintf(", %d physical cores", c.PhysicalCores)
	}
	if len(c.Features) > 0 {
		reason += ", " + strings.Join(c.Features, " ")
	}
	if c.Governor != "" {
		reason += ", governor " + c.Governor
	} else {
		reason += ", no cpufreq governor exposed"
	}
	return Platform{
		Type: "cpu", Available: true, Reason: reason,
		DeviceName: c.Model, MemoryMB: c.MemoryMB, ComputeUnits: c.LogicalCores,
		Precisions: cpuPrecisions(c.Features), CPU: c,
	}
}

// parseCPUInfo fills c from the text of /proc/cpuinfo: the model (x86
// "model name", arm64 "Hardware" or "CPU part" as a last resort), sockets and
// physical cores from distinct "physical id" and ("physical id", "core id")
// pairs, and the feature flags of the first processor.
func parseCPUInfo(text string, c *CPU) {
	sockets := map[string]bool{}
	cores := map[[2]string]bool{}
	var phys string
	var flags []string
	for _, line := range strings.Split(text, "\n") {
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		switch k {
		case "model name", "Hardware", "Model":
			if c.Model == "" {
				c.Model = v
			}
		case "physical id":
			phys = v
			sockets[v] = true
		case "core id":
			cores[[2]string{phys, v}] = true
		case "flags", "Features":
			if flags == nil {
				flags = strings.Fields(v)
			}
		}
	}
	c.Sockets = len(sockets)
	c.PhysicalCores = len(cores)
	for _, f := range featureFlags {
		if slices.Contains(flags, f) {
			c.Features = append(c.Features, f)
		}
	}
}

// cpuPrecisions derives the natively supported formats from ISA features.
func cpuPrecisions(features []string) []string {
	out := []string{"fp32"}
	has := func(fs ...string) bool {
		for _, f := range fs {
			if slices.Contains(features, f) {
				return true
			}
		}
		return false
	}
	if has("avx512_fp16", "asimdhp") {
		out = append(out, "fp16")
	}
	if has("avx512_bf16", "amx_bf16", "bf16") {
		out = append(out, "bf16")
	}
	if has("avx512_vnni", "avx_vnni", "amx_int8", "i8mm") {
		out = append(out, "int8")
	}
	return out
}
