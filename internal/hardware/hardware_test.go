package hardware

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// fakeProbe is a Probe over an in-memory file tree, PATH and environment.
func fakeProbe(files map[string]string, path map[string]string, env map[string]string) Probe {
	return Probe{
		ReadFile: func(name string) ([]byte, error) {
			if s, ok := files[name]; ok {
				return []byte(s), nil
			}
			return nil, fs.ErrNotExist
		},
		Stat: func(name string) (os.FileInfo, error) {
			for f := range files {
				if f == name || strings.HasPrefix(f, name+"/") {
					return os.Stat(".")
				}
			}
			return nil, fs.ErrNotExist
		},
		Glob: func(pattern string) ([]string, error) {
			var out []string
			seen := map[string]bool{}
			for f := range files {
				for p := f; p != "/" && p != "."; p = filepath.Dir(p) {
					if ok, _ := filepath.Match(pattern, p); ok && !seen[p] {
						seen[p] = true
						out = append(out, p)
					}
				}
			}
			return out, nil
		},
		LookPath: func(name string) (string, error) {
			if p, ok := path[name]; ok {
				return p, nil
			}
			return "", errors.New("not found")
		},
		Getenv: func(k string) string { return env[k] },
		GOOS:   "linux", GOARCH: "amd64", NumCPU: 8,
	}
}

const cpuinfo = `processor	: 0
model name	: AMD EPYC 7B13
physical id	: 0
core id		: 0
flags		: fpu sse4_2 avx avx2 fma avx512f avx512_bf16 amx_tile
processor	: 1
model name	: AMD EPYC 7B13
physical id	: 0
core id		: 0
flags		: fpu sse4_2 avx avx2 fma avx512f avx512_bf16 amx_tile
processor	: 2
physical id	: 0
core id		: 1
processor	: 3
physical id	: 1
core id		: 0
`

func TestDetect(t *testing.T) {
	p := fakeProbe(map[string]string{
		"/proc/cpuinfo": cpuinfo,
		"/proc/meminfo": "MemTotal:       24576000 kB\n",
		"/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor": "performance\n",
		"/sys/devices/system/cpu/cpu0/cpufreq/cpuinfo_max_freq": "3500000\n",
	}, map[string]string{"rocm-smi": "/opt/rocm/bin/rocm-smi"}, nil)
	got := map[string]Platform{}
	var order []string
	for _, pl := range p.Detect(context.Background()) {
		got[pl.Type] = pl
		order = append(order, pl.Type)
	}
	if !reflect.DeepEqual(order, Types) {
		t.Fatalf("platforms: got %v; want %v", order, Types)
	}
	wantCPU := &CPU{Model: "AMD EPYC 7B13", Sockets: 2, PhysicalCores: 3, LogicalCores: 8, MemoryMB: 24000,
		Features: []string{"sse4_2", "avx", "avx2", "fma", "avx512f", "avx512_bf16", "amx_tile"}, Governor: "performance", MaxFrequencyMHz: 3500}
	c := got["cpu"]
	if !c.Available || !reflect.DeepEqual(c.CPU, wantCPU) || c.DeviceName != "AMD EPYC 7B13" || c.ComputeUnits != 8 || c.MemoryMB != 24000 {
		t.Errorf("cpu: got %+v (CPU %+v); want available with %+v", c, c.CPU, wantCPU)
	}
	if want := []string{"fp32", "bf16"}; !reflect.DeepEqual(c.Precisions, want) {
		t.Errorf("cpu precisions: got %v; want %v", c.Precisions, want)
	}
	if r := got["rocm"]; r.Available || !strings.Contains(r.Reason, "rocm-smi at /opt/rocm/bin/rocm-smi but no /sys/class/kfd") {
		t.Errorf("rocm: got %+v; want unavailable naming rocm-smi", r)
	}
	if c := got["cuda"]; c.Available || !strings.Contains(c.Reason, "no NVIDIA kernel driver") {
		t.Errorf("cuda: got %+v; want unavailable, no driver", c)
	}
	for _, typ := range Types {
		if got[typ].Reason == "" {
			t.Errorf("%s: empty reason", typ)
		}
	}
}

// TestDetectPlatforms checks each non-cpu probe's verdict and reason.
func TestDetectPlatforms(t *testing.T) {
	tests := []struct {
		name      string
		typ       string
		files     map[string]string
		path      map[string]string
		env       map[string]string
		goos      string
		wantAvail bool
		wantIn    string
	}{
		{"rocm with a GPU node", "rocm", map[string]string{
			"/sys/class/kfd/kfd/topology/nodes/0/properties": "simd_count 0\n",
			"/sys/class/kfd/kfd/topology/nodes/1/properties": "cpu_cores_count 0\nsimd_count 304\n",
			"/sys/class/drm/card1/device/product_name":       "AMD Instinct MI300X\n",
		}, nil, nil, "linux", true, "1 GPU node(s): AMD Instinct MI300X"},
		{"rocm kfd without GPU", "rocm", map[string]string{"/sys/class/kfd/kfd/topology/nodes/0/properties": "simd_count 0\n"},
			nil, nil, "linux", false, "topology has no GPU node"},
		{"mps on apple silicon", "mps", nil, nil, nil, "darwin", true, "Apple silicon"},
		{"mps on linux", "mps", nil, nil, nil, "linux", false, "this is linux/amd64"},
		{"openvino library", "openvino", map[string]string{"/usr/local/lib/libopenvino.so.2500": ""}, nil, nil, "linux", true, "/usr/local/lib/libopenvino.so.2500"},
		{"openvino python", "openvino", map[string]string{"/usr/lib/python3.11/dist-packages/openvino/__init__.py": ""}, nil, nil, "linux", true, "/usr/lib/python3.11/dist-packages/openvino"},
		{"openvino missing", "openvino", nil, nil, nil, "linux", false, "no libopenvino.so"},
		{"qnn unset", "qnn", nil, nil, nil, "linux", false, "QNN_SDK_ROOT is not set"},
		{"qnn missing dir", "qnn", nil, nil, map[string]string{"QNN_SDK_ROOT": "/opt/qnn"}, "linux", false, "does not exist"},
		{"qnn no backend", "qnn", map[string]string{"/opt/qnn/README": ""}, nil, map[string]string{"QNN_SDK_ROOT": "/opt/qnn"}, "linux", false, "no lib/*/libQnn*.so"},
		{"qnn sdk", "qnn", map[string]string{"/opt/qnn/lib/aarch64-android/libQnnHtp.so": ""}, nil, map[string]string{"QNN_SDK_ROOT": "/opt/qnn"}, "linux", true, "1 backend"},
		{"webgpu browser", "webgpu", nil, map[string]string{"chromium": "/usr/bin/chromium"}, nil, "linux", false, "browser found at /usr/bin/chromium"},
		{"webnn no browser", "webnn", nil, nil, nil, "linux", false, "no Chromium-based browser"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := fakeProbe(tt.files, tt.path, tt.env)
			p.GOOS = tt.goos
			if tt.goos == "darwin" {
				p.GOARCH = "arm64"
			}
			got := p.detect(tt.typ)
			if got.Available != tt.wantAvail || !strings.Contains(got.Reason, tt.wantIn) {
				t.Errorf("got available %v, reason %q; want %v and %q", got.Available, got.Reason, tt.wantAvail, tt.wantIn)
			}
		})
	}
}

func TestThrottleReasonNames(t *testing.T) {
	got := ThrottleReasonNames(0x1 | 0x20 | 0x4 | 0x10000)
	want := []string{"gpu_idle", "sw_power_cap", "sw_thermal_slowdown", "0x10000"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ThrottleReasonNames: got %v; want %v", got, want)
	}
}

func TestCUDAPrecisions(t *testing.T) {
	for cc, want := range map[string][]string{
		"9.0": {"fp32", "bf16", "fp16", "fp8", "int8"},
		"7.5": {"fp32", "fp16", "int8"},
		"":    {"fp32"},
	} {
		if got := cudaPrecisions(cc); !reflect.DeepEqual(got, want) {
			t.Errorf("cudaPrecisions(%q): got %v; want %v", cc, got, want)
		}
	}
}

// TestDetectHost runs the real probes on this machine: cpu is always
// available with its details, every platform has a reason, and NVML either
// loads or is reported missing without failing.
func TestDetectHost(t *testing.T) {
	ps := Detect(context.Background())
	if len(ps) != len(Types) {
		t.Fatalf("got %d platforms; want %d", len(ps), len(Types))
	}
	if ps[0].Type != "cpu" || !ps[0].Available || ps[0].CPU == nil || ps[0].CPU.LogicalCores < 1 {
		t.Fatalf("got %+v; want cpu available with details on any host", ps[0])
	}
	for _, p := range ps {
		if p.Reason == "" {
			t.Errorf("%s: empty reason", p.Type)
		}
	}
}
