package hardware

import (
	"fmt"
	"path/filepath"
	"strings"
)

// rocm probes AMD GPUs: the kernel fusion driver's topology (a node with
// SIMDs is a GPU), product names from amdgpu's sysfs, rocm-smi on the PATH.
func (p Probe) rocm() Platform {
	pl := Platform{Type: "rocm"}
	smi, smiErr := p.LookPath("rocm-smi")
	if smiErr == nil {
		pl.Found = append(pl.Found, smi)
	}
	if !p.exists("/sys/class/kfd") {
		if smiErr == nil {
			pl.Reason = "rocm-smi at " + smi + " but no /sys/class/kfd: the amdgpu kernel driver is not loaded"
			return pl
		}
		pl.Reason = "no /sys/class/kfd (amdgpu kernel driver) and no rocm-smi on PATH"
		return pl
	}
	gpus := 0
	for _, props := range p.glob("/sys/class/kfd/kfd/topology/nodes/*/properties") {
		b, err := p.ReadFile(props)
		if err != nil {
			continue
		}
		for _, line := range strings.Split(string(b), "\n") {
			if f := strings.Fields(line); len(f) == 2 && f[0] == "simd_count" && f[1] != "0" {
				gpus++
			}
		}
	}
	for _, name := range p.glob("/sys/class/drm/card*/device/product_name") {
		if b, err := p.ReadFile(name); err == nil && strings.TrimSpace(string(b)) != "" {
			pl.GPUs = append(pl.GPUs, GPU{Index: len(pl.GPUs), Name: strings.TrimSpace(string(b)), PCIBusID: filepath.Base(filepath.Dir(filepath.Dir(name)))})
		}
	}
	if gpus == 0 {
		pl.Reason = "/sys/class/kfd exists but its topology has no GPU node"
		return pl
	}
	pl.Available, pl.ComputeUnits = true, gpus
	pl.Precisions = []string{"fp32", "fp16", "bf16", "int8"}
	pl.Reason = fmt.Sprintf("/sys/class/kfd with %d GPU node(s)", gpus)
	if len(pl.GPUs) > 0 {
		pl.DeviceName = pl.GPUs[0].Name
		pl.Reason += ": " + pl.DeviceName
	}
	if b, err := p.ReadFile("/sys/module/amdgpu/version"); err == nil {
		pl.DriverVersion = strings.TrimSpace(string(b))
	}
	if smiErr != nil {
		pl.Reason += "; rocm-smi not on PATH"
	}
	return pl
}
