package pipeline

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/benchgate/benchgate/internal/config"
	"github.com/benchgate/benchgate/internal/hardware"
	"github.com/benchgate/benchgate/internal/monitor"
	"github.com/benchgate/benchgate/internal/runner"
	"github.com/benchgate/benchgate/internal/store"
)

// HardwarePlan is what hardware detection decides for a run: which
// platforms are available, which the user forced.
type HardwarePlan struct {
	detected  []hardware.Platform // nil with --skip-hardware-detection
	forced    []string
	available map[string]bool
}

// DetectHardware runs detection unless skip is set, and checks forced.
func DetectHardware(ctx context.Context, skip bool, forced []string) (*HardwarePlan, error) {
	for _, f := range forced {
		if !slices.Contains(hardware.Types, f) {
			return nil, fmt.Errorf("force-hardware: unknown hardware type %q (want one of %s)", f, strings.Join(hardware.Types, ", "))
		}
	}
	hp := &HardwarePlan{forced: forced, available: map[string]bool{}}
	if skip {
		return hp, nil
	}
	hp.detected = hardware.Detect(ctx)
	for _, t := range hardware.Available(hp.detected) {
		hp.available[t] = true
	}
	return hp, nil
}

// PlanOptions sets the hardware part of the plan: detected (available and
// forced) hardware for a suite that names none, the forced types added to
// --hardware, or every type with --all-hardware.
func (hp *HardwarePlan) PlanOptions(o *config.PlanOptions, all bool) {
	if all {
		o.Hardware = slices.Clone(hardware.Types)
	}
	if o.Hardware != nil {
		for _, f := range hp.forced {
			if !slices.Contains(o.Hardware, f) {
				o.Hardware = append(o.Hardware, f)
			}
		}
	}
	if hp.detected == nil {
		return // --skip-hardware-detection: the suite's or the default hardware
	}
	for _, t := range hardware.Types {
		if hp.available[t] || slices.Contains(hp.forced, t) {
			o.DetectedHardware = append(o.DetectedHardware, t)
		}
	}
}

// Filter drops the matrix jobs whose hardware is unavailable and not forced,
// and says why for each.
func (hp *HardwarePlan) Filter(jobs []config.Job) ([]config.Job, []runner.Skipped) {
	if hp.detected == nil {
		return jobs, nil
	}
	var keep []config.Job
	var skipped []runner.Skipped
	for _, j := range jobs {
		if j.Hardware == "" || hp.available[j.Hardware] || slices.Contains(hp.forced, j.Hardware) {
			keep = append(keep, j)
			continue
		}
		reason := j.Hardware + " is unavailable"
		if p, ok := hardware.Find(hp.detected, j.Hardware); ok {
			reason += ": " + p.Reason
		}
		skipped = append(skipped, runner.Skipped{Job: j.Name, Reason: reason + " (use --force-hardware " + j.Hardware + " to run it anyway)"})
	}
	return keep, skipped
}

// Record stores the available platforms in hardware_platforms: one row
// per GPU for cuda and rocm.
func (hp *HardwarePlan) Record(ctx context.Context, st *store.DB) error {
	var ps []store.Platform
	for _, p := range hp.detected {
		if !p.Available {
			continue
		}
		if len(p.GPUs) == 0 {
			ps = append(ps, store.Platform{Type: p.Type, DeviceName: p.DeviceName, DriverVersion: p.DriverVersion,
				ComputeUnits: p.ComputeUnits, MemoryMB: p.MemoryMB, Precisions: p.Precisions})
			continue
		}
		for _, g := range p.GPUs {
			driver := g.DriverVersion
			if driver == "" {
				driver = p.DriverVersion
			}
			ps = append(ps, store.Platform{Type: p.Type, DeviceName: g.Name, DriverVersion: driver, ComputeUnits: 1,
				MemoryMB: g.MemoryMB, Precisions: p.Precisions})
		}
	}
	_, err := st.RecordHardware(ctx, ps, time.Now())
	return err
}

// OpenNVML initialises NVML for the monitor when detection found CUDA GPUs;
// it returns nil (no GPU sampling) otherwise, and a function to release it.
func (hp *HardwarePlan) OpenNVML(log *slog.Logger) (hardware.NVML, func()) {
	if !hp.available["cuda"] {
		return nil, func() {}
	}
	lib := hardware.OpenNVML()
	if err := lib.Init(); err != nil {
		log.Warn("GPU monitoring off: NVML did not initialise", "error", err)
		return nil, func() {}
	}
	return lib, func() {
		if err := lib.Shutdown(); err != nil {
			log.Warn("NVML shutdown", "error", err)
		}
	}
}

// ResourceSeries turns the monitor reports of outcomes into
// resource_monitoring series: one per stored result, the repetitions of a
// successful result concatenated, timestamps from the start of the run.
// Runs that gave several results (one process, many benchmarks) and resumed
// runs have no series.
func ResourceSeries(outs []runner.Outcome) []store.ResourceSeries {
	var out []store.ResourceSeries
	index := map[string]int{}
	for _, o := range outs {
		if o.Resources == nil || len(o.Results) != 1 {
			continue
		}
		r := o.Results[0]
		s := store.ResourceSeries{Benchmark: r.Name, Params: r.ParamString(), HardwareType: r.Hardware.Type,
			DeviceName: r.Hardware.DeviceName, Failed: r.Failure != nil}
		for _, x := range o.Resources.Samples {
			s.Samples = append(s.Samples, resourceSample(o.Start, x, o.Resources.GPUs))
		}
		if s.Failed {
			out = append(out, s)
			continue
		}
		k := s.Benchmark + "\x00" + s.Params + "\x00" + s.HardwareType + "\x00" + s.DeviceName
		if i, ok := index[k]; ok {
			out[i].Samples = append(out[i].Samples, s.Samples...)
			continue
		}
		index[k] = len(out)
		out = append(out, s)
	}
	return out
}

// resourceSample is one resource_monitoring row of sample x of a run that
// started at start, over the GPUs gpus.
func resourceSample(start time.Duration, x monitor.Sample, gpus []int) store.ResourceSample {
	const mib = 1 << 20
	cpu, rss := x.CPUPercent, float64(x.RSSBytes)/mib
	s := store.ResourceSample{Time: (start + x.Time).Seconds(), CPUPercent: &cpu, MemoryMB: &rss}
	if x.IOReadBytesPerSec != nil {
		r, w := *x.IOReadBytesPerSec/mib, *x.IOWriteBytesPerSec/mib
		s.IOReadMBps, s.IOWriteMBps = &r, &w
	}
	var util, mem, power, temp float64
	var nUtil int
	var haveMem, havePower, haveTemp bool
	for _, g := range x.GPUs {
		if !slices.Contains(gpus, g.Index) {
			continue
		}
		if g.UtilizationPercent != nil {
			util, nUtil = util+*g.UtilizationPercent, nUtil+1
		}
		if g.MemoryUsedMB != nil {
			mem, haveMem = mem+*g.MemoryUsedMB, true
		}
		if g.PowerWatts != nil {
			power, havePower = power+*g.PowerWatts, true
		}
		if g.TemperatureC != nil && (!haveTemp || *g.TemperatureC > temp) {
			temp, haveTemp = *g.TemperatureC, true
		}
	}
	if nUtil > 0 {
		util /= float64(nUtil)
		s.GPUPercent = &util
	}
	if haveMem {
		s.GPUMemoryMB = &mem
	}
	if havePower {
		s.PowerWatts = &power
	}
	if haveTemp {
		s.TemperatureC = &temp
	}
	return s
}
