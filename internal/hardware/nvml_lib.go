package hardware

import (
	"errors"
	"fmt"

	"github.com/NVIDIA/go-nvml/pkg/nvml"
)

// nvmlLib is NVML through go-nvml. Each value has its own library handle
// (nvml.New), no package state.
type nvmlLib struct {
	lib     nvml.Interface
	devices map[int]nvml.Device
}

// OpenNVML returns the real NVML. Nothing is loaded until Init, which fails
// with an error wrapping ErrNoNVML on a machine without the library.
func OpenNVML() NVML {
	return &nvmlLib{lib: nvml.New(), devices: map[int]nvml.Device{}}
}

// nvmlErr turns an NVML return code into an error naming the call.
func nvmlErr(call string, ret nvml.Return) error {
	if ret == nvml.SUCCESS {
		return nil
	}
	return fmt.Errorf("nvml %s: %s", call, nvml.ErrorString(ret))
}

func (l *nvmlLib) Init() error {
	ret := l.lib.Init()
	if ret == nvml.ERROR_LIBRARY_NOT_FOUND {
		return fmt.Errorf("nvml init: %w", ErrNoNVML)
	}
	return nvmlErr("init", ret)
}

func (l *nvmlLib) Shutdown() error {
	clear(l.devices)
	return nvmlErr("shutdown", l.lib.Shutdown())
}

func (l *nvmlLib) DriverVersion() (string, error) {
	v, ret := l.lib.SystemGetDriverVersion()
	return v, nvmlErr("driver version", ret)
}

func (l *nvmlLib) CUDAVersion() (string, error) {
	v, ret := l.lib.SystemGetCudaDriverVersion()
	if ret != nvml.SUCCESS {
		return "", nvmlErr("cuda driver version", ret)
	}
	return fmt.Sprintf("%d.%d", v/1000, v%1000/10), nil
}

func (l *nvmlLib) DeviceCount() (int, error) {
	n, ret := l.lib.DeviceGetCount()
	return n, nvmlErr("device count", ret)
}

// device returns the handle of device i, cached.
func (l *nvmlLib) device(i int) (nvml.Device, error) {
	if d, ok := l.devices[i]; ok {
		return d, nil
	}
	d, ret := l.lib.DeviceGetHandleByIndex(i)
	if ret != nvml.SUCCESS {
		return nil, nvmlErr(fmt.Sprintf("device %d", i), ret)
	}
	l.devices[i] = d
	return d, nil
}

func (l *nvmlLib) Device(i int) (GPU, error) {
	d, err := l.device(i)
	if err != nil {
		return GPU{}, err
	}
	g := GPU{Index: i}
	var ret nvml.Return
	if g.Name, ret = d.GetName(); ret != nvml.SUCCESS {
		return g, nvmlErr(fmt.Sprintf("device %d name", i), ret)
	}
	// The rest is descriptive: a field the device does not report stays empty.
	g.UUID, _ = d.GetUUID()
	if m, ret := d.GetMemoryInfo(); ret == nvml.SUCCESS {
		g.MemoryMB = float64(m.Total) / (1 << 20)
	}
	if major, minor, ret := d.GetCudaComputeCapability(); ret == nvml.SUCCESS {
		g.ComputeCapability = fmt.Sprintf("%d.%d", major, minor)
	}
	if pci, ret := d.GetPciInfo(); ret == nvml.SUCCESS {
		g.PCIBusID = cString(pci.BusIdLegacy[:])
		if b := cString(pci.BusId[:]); b != "" {
			g.PCIBusID = b
		}
	}
	return g, nil
}

func (l *nvmlLib) Sample(i int) (GPUSample, error) {
	d, err := l.device(i)
	if err != nil {
		return GPUSample{}, err
	}
	s := GPUSample{Index: i}
	f := func(x float64) *float64 { return &x }
	var errs []error
	if u, ret := d.GetUtilizationRates(); ret == nvml.SUCCESS {
		s.UtilizationPercent = f(float64(u.Gpu))
	} else if ret == nvml.ERROR_GPU_IS_LOST {
		errs = append(errs, nvmlErr(fmt.Sprintf("device %d utilization", i), ret))
	}
	if m, ret := d.GetMemoryInfo(); ret == nvml.SUCCESS {
		s.MemoryUsedMB = f(float64(m.Used) / (1 << 20))
	}
	if mw, ret := d.GetPowerUsage(); ret == nvml.SUCCESS {
		s.PowerWatts = f(float64(mw) / 1000)
	}
	if t, ret := d.GetTemperature(nvml.TEMPERATURE_GPU); ret == nvml.SUCCESS {
		s.TemperatureC = f(float64(t))
	}
	if c, ret := d.GetClockInfo(nvml.CLOCK_SM); ret == nvml.SUCCESS {
		s.SMClockMHz = f(float64(c))
	}
	if c, ret := d.GetClockInfo(nvml.CLOCK_MEM); ret == nvml.SUCCESS {
		s.MemoryClockMHz = f(float64(c))
	}
	if r, ret := d.GetCurrentClocksEventReasons(); ret == nvml.SUCCESS {
		s.ThrottleReasons = ThrottleReasonNames(r)
	} else if r, ret := d.GetCurrentClocksThrottleReasons(); ret == nvml.SUCCESS {
		s.ThrottleReasons = ThrottleReasonNames(r)
	}
	return s, errors.Join(errs...)
}

func (l *nvmlLib) Processes(i int) ([]int, error) {
	d, err := l.device(i)
	if err != nil {
		return nil, err
	}
	ps, ret := d.GetComputeRunningProcesses()
	if ret != nvml.SUCCESS {
		return nil, nvmlErr(fmt.Sprintf("device %d processes", i), ret)
	}
	out := make([]int, len(ps))
	for j, p := range ps {
		out[j] = int(p.Pid)
	}
	return out, nil
}

// cString returns the NUL-terminated string in b.
func cString[T ~int8 | ~uint8](b []T) string {
	n := 0
	for n < len(b) && b[n] != 0 {
		n++
	}
	out := make([]byte, n)
	for i := range n {
		out[i] = byte(b[i])
	}
	return string(out)
}
