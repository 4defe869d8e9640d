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
// found and its CPU time counted.
func TestMonitorCPUTree(t *testing.T) {
	cmd := startCmd(t, nil, "sh", "-c", "sh -c 'i=0; while [ $i -lt 400000 ]; do i=$((i+1)); done' & wait")
	m := Start(cmd.Process.Pid, Options{Interval: 20 * time.Millisecond})
	err := cmd.Wait()
	r := m.Stop(0, 0)
	if err != nil {
		t.Fatalf("busy loop: %v", err)
	}
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
	// Note: the machine is shared; a busy loop gets at least a tenth of a core.
	if r.MeanCPUPercent < 10 || r.MeanCPUPercent > 100*float64(maxProcs)+50 {
		t.Errorf("mean CPU: got %.1f%%; want a busy loop's (10%%..)", r.MeanCPUPercent)
	}
	if r.PeakRSSBytes <= 0 {
		t.Errorf("peak RSS: got %d; want > 0", r.PeakRSSBytes)
	}
	for i, s := range r.Samples {
		if i > 0 && s.Time <= r.Samples[i-1].Time {
			t.Errorf("sample %d time %v not after %v", i, s.Time, r.Samples[i-1].Time)
		}
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
	r := m.Stop(0, cmd.ProcessState.SystemTime()+cmd.ProcessState.UserTime())
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
	if r2 := (&Monitor{samples: r.Samples, opts: Options{Interval: 1}}).report(1<<40, time.Second); r2.PeakRSSBytes != 1<<40 {
		t.Errorf("peak with a larger kernel max RSS: got %d; want %d", r2.PeakRSSBytes, int64(1<<40))
	}
}

// TestMonitorGoneProcess checks that a process that has already exited
// gives one baseline sample and no error.
func TestMonitorGoneProcess(t *testing.T) {
	cmd := startCmd(t, nil, "true")
	cmd.Wait()
	m := Start(cmd.Process.Pid, Options{Interval: 10 * time.Millisecond})
	time.Sleep(50 * time.Millisecond)
	r := m.Stop(0, 0)
	if len(r.Samples) != 1 || r.Samples[0].Processes != 0 || r.PeakRSSBytes != 0 {
		t.Errorf("got %d samples, first %+v; want one empty baseline", len(r.Samples), r.Samples)
	}
}

// fakeNVML is an NVML-shaped fake FOR TESTS ONLY (no GPU on CI): device i
// draws watts[i], device 1 can show a given pid, device 2 can be lost.
type fakeNVML struct {
	watts   []float64
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
	return hardware.GPUSample{Index: i, PowerWatts: &w, MemoryUsedMB: &mem, TemperatureC: &temp, UtilizationPercent: &util,
		ThrottleReasons: []string{"gpu_idle", "sw_power_cap"}}, nil
}
func (f *fakeNVML) Processes(i int) ([]int, error) { return f.procs[i], nil }

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
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cmd := startCmd(t, nil, "sleep", "0.3")
			f := &fakeNVML{watts: []float64{100, 200, 50}, lostDev: 2}
			if tt.byProcess {
				f.procs = map[int][]int{1: {999999, cmd.Process.Pid}}
			}
			m := Start(cmd.Process.Pid, Options{Interval: 20 * time.Millisecond, NVML: f, GPUs: tt.gpus})
			cmd.Wait()
			elapsed := 400 * time.Millisecond
			r := m.Stop(0, elapsed)
			if !reflect.DeepEqual(r.GPUs, tt.wantGPUs) || r.GPUsByProcess != tt.byProcess {
				t.Errorf("GPUs: got %v (by process %v); want %v (%v)", r.GPUs, r.GPUsByProcess, tt.wantGPUs, tt.byProcess)
			}
			if r.AvgPowerWatts == nil || *r.AvgPowerWatts != tt.wantWatts {
				t.Errorf("average power: got %v; want %g", r.AvgPowerWatts, tt.wantWatts)
			}
			if want := tt.wantWatts * elapsed.Seconds(); r.EnergyJoules == nil || math.Abs(*r.EnergyJoules-want) > 1e-9*want {
				t.Errorf("energy: got %v; want %g J (constant power over %v)", r.EnergyJoules, want, elapsed)
			}
			if r.PeakGPUMemoryMB == nil || *r.PeakGPUMemoryMB != tt.wantMem {
				t.Errorf("peak GPU memory: got %v; want %g", r.PeakGPUMemoryMB, tt.wantMem)
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
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Energy(tt.times, tt.watts, tt.end); got != tt.want {
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
	m := &Monitor{pid: cmd.Process.Pid, opts: Options{Interval: DefaultInterval}, proc: newProcReader(""), start: time.Now(), gpuPIDs: map[int]bool{}}
	for b.Loop() {
		m.sample(false)
		m.samples = m.samples[:0]
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
		r := m.Stop(0, 0)
		wall := time.Since(start)
		syscall.Getrusage(syscall.RUSAGE_SELF, &after)
		cpu := time.Duration(after.Utime.Nano()+after.Stime.Nano()-before.Utime.Nano()-before.Stime.Nano()) * time.Nanosecond
		b.ReportMetric(100*cpu.Seconds()/wall.Seconds(), "cpu%")
		b.ReportMetric(float64(len(r.Samples)), "samples")
	}
}
