package monitor

import (
	"errors"
	"fmt"
	"math"
	"os"
	"os/exec"
	"reflect"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/benchgate/benchgate/internal/hardware"
)

// TestMain lets the test binary act as a benchmark process: with
// MONITOR_HELPER=alloc:N it allocates and touches N MiB, then sleeps.
func TestMain(m *testing.M) {
	if v := os.Getenv("MONITOR_HELPER"); v != "" {
		helper(v)
		return
	}
	os.Exit(m.Run())
}

func helper(v string) {
	var mib int
	fmt.Sscanf(v, "alloc:%d", &mib)
	b := make([]byte, mib<<20)
	for i := 0; i < len(b); i += 4096 {
		b[i] = 1
	}
	time.Sleep(600 * time.Millisecond)
	fmt.Println(len(b) > 0)
}

// startCmd starts argv and returns it; the caller waits.
func startCmd(t *testing.T, env []string, argv ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Env = append(os.Environ(), env...)
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting %v: %v", argv, err)
	}
	return cmd
}

// TestMonitorCPUTree runs a busy loop in a grandchild: the tree must be
// found and its CPU time counted as the kernel counts it. Nothing here
// depends on how much of a CPU the loop gets: on a busy machine it gets
// less, and every bound still holds.
func TestMonitorCPUTree(t *testing.T) {
	start := time.Now()
	cmd := startCmd(t, nil, "sh", "-c", "sh -c 'i=0; while [ $i -lt 400000 ]; do i=$((i+1)); done' & wait")
	m := Start(cmd.Process.Pid, Options{Interval: 20 * time.Millisecond})
	err := cmd.Wait()
	wall := time.Since(start)
	r := m.Stop(Final{}) // the samples alone
	if err != nil {
		t.Fatalf("busy loop: %v", err)
	}
	kernel := (cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()).Seconds() // the grandchild included: sh waited for it
	maxProcs := 0
	for _, s := range r.Samples {
		maxProcs = max(maxProcs, s.Processes)
	}
	if maxProcs < 2 {
		t.Errorf("processes: got at most %d; want the shell and its child (2)", maxProcs)
	}
	if len(r.Samples) < 3 {
		t.Fatalf("samples: got %d; want several at 20ms", len(r.Samples))
	}
	if r.CPUs < 1 {
		t.Fatalf("CPUs: got %d; want the root's affinity (≥ 1)", r.CPUs)
	}
	tick := 1 / m.proc.clkTck // /proc counts CPU time in ticks: each process's count is up to one short
	cpus := float64(r.CPUs)
	sum := 0.0
	for i, s := range r.Samples {
		if i == 0 {
			continue
		}
		p := r.Samples[i-1]
		dt := (s.Time - p.Time).Seconds()
		if dt <= 0 {
			t.Fatalf("sample %d time %v not after %v", i, s.Time, p.Time)
		}
		if limit := 100*cpus + 100*float64(max(s.Processes, p.Processes))*tick/dt; s.CPUPercent < 0 || s.CPUPercent > limit+1e-9 {
			t.Errorf("sample %d: CPU %.1f%% over %v; want 0..%.1f%% (%d CPUs, one tick per process of rounding)", i, s.CPUPercent, s.Time-p.Time, limit, r.CPUs)
		}
		sum += s.CPUPercent / 100 * dt
	}
	if math.Abs(sum-r.CPUSeconds) > 1e-9 {
		t.Errorf("samples' CPU %% × interval add up to %.6f s; want the total %.6f s", sum, r.CPUSeconds)
	}
	// The samples see the CPU time between the first and the last; the
	// kernel's count covers the whole run, at most cpus × the time outside
	// that window more.
	window := (r.Samples[len(r.Samples)-1].Time - r.Samples[0].Time).Seconds()
	rounding := float64(maxProcs) * tick
	if lo, hi := kernel-cpus*(wall.Seconds()-window)-rounding, kernel+rounding; r.CPUSeconds < lo || r.CPUSeconds > hi {
		t.Errorf("sampled CPU time: got %.3f s; want %.3f..%.3f s (the kernel's %.3f s, less what ran outside the %.3f s sampled of %.3f s)",
			r.CPUSeconds, lo, hi, kernel, window, wall.Seconds())
	}
	if limit := 100*cpus + 100*rounding/window; r.MeanCPUPercent <= 0 || r.MeanCPUPercent > limit {
		t.Errorf("mean CPU from the samples: got %.1f%%; want 0..%.1f%% (%d CPUs)", r.MeanCPUPercent, limit, r.CPUs)
	}
	if r.PeakRSSBytes <= 0 {
		t.Errorf("peak RSS: got %d; want > 0", r.PeakRSSBytes)
	}
	// With the kernel's CPU time, the mean is exactly CPU time over wall time.
	f := Final{Elapsed: wall, CPUTime: cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()}
	r2 := (&Monitor{samples: r.Samples, opts: Options{Interval: 1}, cpus: r.CPUs}).report(f)
	if want := 100 * kernel / wall.Seconds(); r2.MeanCPUPercent != want || r2.CPUSeconds != kernel || want > 100*cpus {
		t.Errorf("mean CPU with the kernel's CPU time: got %.2f%% (%.3f s); want %.2f%% (%.3f s over %v), at most %d00%%",
			r2.MeanCPUPercent, r2.CPUSeconds, want, kernel, wall, r.CPUs)
	}
}

// TestMonitorCPUAccounting checks the CPU arithmetic on a fake /proc and a
// fake clock: percentages over the actual time between samples, the mean
// as total over wall time, a tree whose count goes down for a moment
// (a child counted in its parent's cutime before it disappears), and a
// cgroup's cpu.stat preferred to ticks.
func TestMonitorCPUAccounting(t *testing.T) {
	dir := t.TempDir()
	cg := t.TempDir()
	os.MkdirAll(dir+"/7/task/7", 0o755)
	os.WriteFile(dir+"/7/task/7/children", nil, 0o644)
	os.WriteFile(dir+"/7/status", []byte("Name:\tx\nCpus_allowed_list:\t0-1\n"), 0o644)
	setTicks := func(ticks int) {
		stat := fmt.Sprintf("7 (x) R 1 7 7 0 -1 0 0 0 0 0 %d 0 0 0 20 0 1 0 1 1 10 1\n", ticks)
		os.WriteFile(dir+"/7/stat", []byte(stat), 0o644)
	}
	var clock time.Duration
	now := func() time.Duration { return clock }
	for _, tt := range []struct {
		name    string
		cgroup  string
		ticks   []int // at each sample (100 per second)
		usec    []int // cpu.stat usage_usec at each sample
		times   []time.Duration
		wantPct []float64
		wantCPU float64
	}{
		{"ticks over uneven intervals", "", []int{0, 10, 15, 35}, nil,
			[]time.Duration{0, 100 * time.Millisecond, 150 * time.Millisecond, 350 * time.Millisecond},
			[]float64{0, 100, 100, 100}, 0.35},
		{"a count that goes down is held", "", []int{0, 40, 30, 50}, nil,
			[]time.Duration{0, 200 * time.Millisecond, 400 * time.Millisecond, 600 * time.Millisecond},
			[]float64{0, 200, 0, 50}, 0.5},
		{"cgroup microseconds", cg, []int{0, 100, 100, 100}, []int{1000, 21000, 21500, 61500},
			[]time.Duration{0, 20 * time.Millisecond, 25 * time.Millisecond, 45 * time.Millisecond},
			[]float64{0, 100, 10, 200}, 0.0605},
	} {
		t.Run(tt.name, func(t *testing.T) {
			m := newMonitor(7, Options{Proc: dir, Cgroup: tt.cgroup}, now)
			m.proc.clkTck = 100
			for i := range tt.ticks {
				clock = tt.times[i]
				setTicks(tt.ticks[i])
				if tt.usec != nil {
					os.WriteFile(cg+"/cpu.stat", []byte(fmt.Sprintf("usage_usec %d\nuser_usec 0\nsystem_usec 0\n", tt.usec[i])), 0o644)
				}
				m.sample(i == 0)
			}
			r := m.Stop(Final{})
			var got []float64
			for _, s := range r.Samples {
				got = append(got, math.Round(s.CPUPercent*1e6)/1e6)
			}
			if !reflect.DeepEqual(got, tt.wantPct) {
				t.Errorf("CPU %%: got %v; want %v", got, tt.wantPct)
			}
			if math.Abs(r.CPUSeconds-tt.wantCPU) > 1e-12 || r.CPUs != 2 {
				t.Errorf("CPU time, CPUs: got %g s, %d; want %g s, 2", r.CPUSeconds, r.CPUs, tt.wantCPU)
			}
			if want := 100 * tt.wantCPU / tt.times[len(tt.times)-1].Seconds(); math.Abs(r.MeanCPUPercent-want) > 1e-9 {
				t.Errorf("mean CPU: got %g%%; want %g%% (total over the sampled time)", r.MeanCPUPercent, want)
			}
			r = m.report(Final{Elapsed: time.Second, CPUTime: 1500 * time.Millisecond})
			if r.MeanCPUPercent != 150 || r.CPUSeconds != 1.5 {
				t.Errorf("with the kernel's CPU time: got %g%%, %g s; want 150%%, 1.5 s", r.MeanCPUPercent, r.CPUSeconds)
			}
		})
	}
}

// TestMonitorMemory checks that a 64 MiB allocation shows in the peak.
func TestMonitorMemory(t *testing.T) {
	cmd := startCmd(t, []string{"MONITOR_HELPER=alloc:64"}, os.Args[0])
	m := Start(cmd.Process.Pid, Options{Interval: 25 * time.Millisecond})
	err := cmd.Wait()
	var maxRSS int64
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		maxRSS = ru.Maxrss << 10
	}
	r := m.Stop(Final{Elapsed: cmd.ProcessState.SystemTime() + cmd.ProcessState.UserTime()})
	if err != nil {
		t.Fatalf("helper: %v", err)
	}
	sampled := int64(0)
	for _, s := range r.Samples {
		sampled = max(sampled, s.RSSBytes)
	}
	if sampled < 64<<20 {
		t.Errorf("sampled peak RSS: got %d MiB; want ≥ 64", sampled>>20)
	}
	if maxRSS < 64<<20 || maxRSS > 4*sampled+(64<<20) {
		t.Errorf("kernel max RSS: got %d MiB; want ≥ 64 and near the sampled %d MiB", maxRSS>>20, sampled>>20)
	}
	if r2 := (&Monitor{samples: r.Samples, opts: Options{Interval: 1}}).report(Final{Elapsed: time.Second, PeakMemoryBytes: 1 << 40}); r2.PeakRSSBytes != 1<<40 {
		t.Errorf("peak with a larger measured peak: got %d; want %d", r2.PeakRSSBytes, int64(1<<40))
	}
}

// TestMonitorGoneProcess checks that a process that has already exited
// gives one baseline sample and no error.
func TestMonitorGoneProcess(t *testing.T) {
	cmd := startCmd(t, nil, "true")
	cmd.Wait()
	m := Start(cmd.Process.Pid, Options{Interval: 10 * time.Millisecond})
	time.Sleep(50 * time.Millisecond)
	r := m.Stop(Final{})
	if len(r.Samples) != 1 || r.Samples[0].Processes != 0 || r.PeakRSSBytes != 0 {
		t.Errorf("got %d samples, first %+v; want one empty baseline", len(r.Samples), r.Samples)
	}
}

// fakeNVML is an NVML-shaped fake FOR TESTS ONLY (no GPU on CI): device i
// draws watts[i] (or, when series[i] is set, its values one per reading,
// the last one repeated), device 1 can show a given pid, device 2 can be
// lost.
type fakeNVML struct {
	watts   []float64
	series  map[int][]float64
	reads   map[int]int
	procs   map[int][]int
	lostDev int
}

func (f *fakeNVML) Init() error                    { return nil }
func (f *fakeNVML) Shutdown() error                { return nil }
func (f *fakeNVML) DriverVersion() (string, error) { return "550.54.15", nil }
func (f *fakeNVML) CUDAVersion() (string, error)   { return "12.4", nil }
func (f *fakeNVML) DeviceCount() (int, error)      { return len(f.watts), nil }
func (f *fakeNVML) Device(i int) (hardware.GPU, error) {
	return hardware.GPU{Index: i, Name: "Fake GPU " + strconv.Itoa(i)}, nil
}
func (f *fakeNVML) Sample(i int) (hardware.GPUSample, error) {
	if i == f.lostDev {
		return hardware.GPUSample{}, errors.New("nvml device " + strconv.Itoa(i) + " utilization: GPU is lost")
	}
	w, mem, temp, util := f.watts[i], 1000*float64(i+1), 60+float64(i), 90.0
	if ws := f.series[i]; len(ws) > 0 {
		if f.reads == nil {
			f.reads = map[int]int{}
		}
		w = ws[min(f.reads[i], len(ws)-1)]
		f.reads[i]++
	}
	return hardware.GPUSample{Index: i, PowerWatts: &w, MemoryUsedMB: &mem, TemperatureC: &temp, UtilizationPercent: &util,
		ThrottleReasons: []string{"gpu_idle", "sw_power_cap"}}, nil
}
func (f *fakeNVML) Processes(i int) ([]int, error) { return f.procs[i], nil }

// sampleAt runs m's samples itself, at the given times of a fake clock:
// nothing depends on when the machine lets the sampling goroutine run.
// The monitored tree is this test process's.
func sampleAt(t *testing.T, o Options, times ...time.Duration) *Monitor {
	t.Helper()
	var clock time.Duration
	m := newMonitor(os.Getpid(), o, func() time.Duration { return clock })
	for i, at := range times {
		clock = at
		m.sample(i == 0)
	}
	if len(m.samples) != len(times) {
		t.Fatalf("samples: got %d; want %d", len(m.samples), len(times))
	}
	return m
}

// val prints a value that may be missing.
func val(p *float64) string {
	if p == nil {
		return "nil"
	}
	return strconv.FormatFloat(*p, 'g', -1, 64)
}

func TestMonitorGPU(t *testing.T) {
	tests := []struct {
		name      string
		byProcess bool
		gpus      []int
		wantGPUs  []int
		wantWatts float64
		wantMem   float64
	}{
		{"found by process", true, nil, []int{1}, 200, 2000},
		{"named by the caller", false, []int{0}, []int{0}, 100, 1000},
		{"all devices", false, nil, []int{0, 1, 2}, 300, 3000},
	}
	// 20 samples, at 0, 20, …, 380 ms, of a run that lasted 400 ms.
	var times []time.Duration
	for i := range 20 {
		times = append(times, time.Duration(i)*20*time.Millisecond)
	}
	const elapsed = 400 * time.Millisecond
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := &fakeNVML{watts: []float64{100, 200, 50}, lostDev: 2}
			if tt.byProcess {
				f.procs = map[int][]int{1: {999999, os.Getpid()}}
			}
			m := sampleAt(t, Options{Interval: 20 * time.Millisecond, NVML: f, GPUs: tt.gpus}, times...)
			r := m.Stop(Final{Elapsed: elapsed})
			if !reflect.DeepEqual(r.GPUs, tt.wantGPUs) || r.GPUsByProcess != tt.byProcess {
				t.Errorf("GPUs: got %v (by process %v); want %v (%v)", r.GPUs, r.GPUsByProcess, tt.wantGPUs, tt.byProcess)
			}
			if r.AvgPowerWatts == nil || math.Abs(*r.AvgPowerWatts-tt.wantWatts) > 1e-9*tt.wantWatts {
				t.Errorf("average power: got %s W; want %g W", val(r.AvgPowerWatts), tt.wantWatts)
			}
			if want := tt.wantWatts * elapsed.Seconds(); r.EnergyJoules == nil || math.Abs(*r.EnergyJoules-want) > 1e-9*want {
				t.Errorf("energy: got %s J; want %g J (constant power over %v)", val(r.EnergyJoules), want, elapsed)
			}
			if r.PeakGPUMemoryMB == nil || *r.PeakGPUMemoryMB != tt.wantMem {
				t.Errorf("peak GPU memory: got %s MB; want %g MB", val(r.PeakGPUMemoryMB), tt.wantMem)
			}
			if !reflect.DeepEqual(r.ThrottleReasons, []string{"sw_power_cap"}) {
				t.Errorf("throttle reasons: got %v; want [sw_power_cap]", r.ThrottleReasons)
			}
			if want := []string{"nvml device 2 utilization: GPU is lost"}; !reflect.DeepEqual(r.GPUErrors, want) {
				t.Errorf("GPU errors: got %v; want %v", r.GPUErrors, want)
			}
		})
	}
}

// TestMonitorEnergyUneven checks that energy is integrated over the times
// the readings were actually taken: a starved sampling goroutine leaves a
// 300 ms gap where 20 ms were asked for, and a reading can come after the
// process ended.
func TestMonitorEnergyUneven(t *testing.T) {
	ms := time.Millisecond
	times := []time.Duration{0, 10 * ms, 310 * ms, 320 * ms}
	for _, tt := range []struct {
		name       string
		elapsed    time.Duration
		wantJoules float64
	}{
		// 100→300 W over 10 ms, 300 W for 300 ms, 300→100 W over 10 ms, 100 W held for 80 ms.
		{"held to the end", 400 * ms, 2 + 90 + 2 + 8},
		// The same cut at 315 ms, in the middle of the last ramp (300→200 W).
		{"cut at the end", 315 * ms, 2 + 90 + 1.25},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f := &fakeNVML{watts: []float64{0}, series: map[int][]float64{0: {100, 300, 300, 100}}, lostDev: -1}
			m := sampleAt(t, Options{Interval: 20 * ms, NVML: f}, times...)
			r := m.Stop(Final{Elapsed: tt.elapsed})
			if r.EnergyJoules == nil || math.Abs(*r.EnergyJoules-tt.wantJoules) > 1e-9 {
				t.Errorf("energy: got %s J; want %g J", val(r.EnergyJoules), tt.wantJoules)
			}
			if want := tt.wantJoules / tt.elapsed.Seconds(); r.AvgPowerWatts == nil || math.Abs(*r.AvgPowerWatts-want) > 1e-9 {
				t.Errorf("average power: got %s W; want %g W (energy over the run's time)", val(r.AvgPowerWatts), want)
			}
		})
	}
}

func TestEnergy(t *testing.T) {
	tests := []struct {
		name         string
		times, watts []float64
		end, want    float64
	}{
		{"none", nil, nil, 5, 0},
		{"one reading held over the run", []float64{1}, []float64{100}, 3, 300},
		{"ramp", []float64{0, 1, 2}, []float64{0, 100, 100}, 2, 150},
		{"held to the end", []float64{0, 1}, []float64{50, 50}, 4, 200},
		{"readings after the end cut", []float64{0, 1, 2}, []float64{0, 100, 100}, 1.5, 50 + 50},
		{"uneven", []float64{0.5, 0.6, 3}, []float64{10, 20, 20}, 3, 5 + 1.5 + 48},
		{"no time", []float64{0}, []float64{10}, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Energy(tt.times, tt.watts, tt.end); math.Abs(got-tt.want) > 1e-9 {
				t.Errorf("Energy: got %g; want %g", got, tt.want)
			}
		})
	}
}

func TestParseStat(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(dir+"/42/task/42", 0o755)
	// comm with spaces and a parenthesis; utime 100, stime 50, cutime 7, cstime 3, rss 25 pages
	stat := "42 (my (odd) prog) S 1 42 42 0 -1 4194304 1 0 0 0 100 50 7 3 20 0 1 0 1000 123456 25 18446744073709551615\n"
	os.WriteFile(dir+"/42/stat", []byte(stat), 0o644)
	os.WriteFile(dir+"/42/io", []byte("rchar: 1\nwchar: 2\nread_bytes: 4096\nwrite_bytes: 8192\ncancelled_write_bytes: 0\n"), 0o644)
	os.WriteFile(dir+"/42/task/42/children", []byte(""), 0o644)
	p := &procReader{root: dir, pageSize: 4096, clkTck: 100}
	got := p.tree(42)
	want := treeStat{processes: 1, ticks: 160, rssBytes: 25 * 4096, readBytes: 4096, writeBytes: 8192, ioOK: true}
	if got != want {
		t.Errorf("tree: got %+v; want %+v", got, want)
	}
	if got := clockTicks("/proc"); got <= 0 {
		t.Errorf("clockTicks: got %g; want > 0", got)
	}
}

// BenchmarkSample measures one sample of this process's tree: the
// monitor's cost per interval.
func BenchmarkSample(b *testing.B) {
	cmd := exec.Command("sleep", "60")
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	defer func() { cmd.Process.Kill(); cmd.Wait() }()
	t0 := time.Now()
	m := newMonitor(cmd.Process.Pid, Options{}, func() time.Duration { return time.Since(t0) })
	m.sample(true)
	for b.Loop() {
		m.sample(false)
		m.samples = m.samples[:1]
	}
}

// BenchmarkMonitorCPU runs a Monitor at DefaultInterval on a sleeping
// process for 3 s per iteration and reports this process's CPU time over
// the wall time ("cpu%": the monitor's share of one core, Go runtime
// included).
func BenchmarkMonitorCPU(b *testing.B) {
	for b.Loop() {
		cmd := exec.Command("sleep", "3")
		if err := cmd.Start(); err != nil {
			b.Fatal(err)
		}
		var before, after syscall.Rusage
		syscall.Getrusage(syscall.RUSAGE_SELF, &before)
		start := time.Now()
		m := Start(cmd.Process.Pid, Options{})
		cmd.Wait()
		r := m.Stop(Final{})
		wall := time.Since(start)
		syscall.Getrusage(syscall.RUSAGE_SELF, &after)
		cpu := time.Duration(after.Utime.Nano()+after.Stime.Nano()-before.Utime.Nano()-before.Stime.Nano()) * time.Nanosecond
		b.ReportMetric(100*cpu.Seconds()/wall.Seconds(), "cpu%")
		b.ReportMetric(float64(len(r.Samples)), "samples")
	}
}
