package hardware

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"testing"
)

func fakeProbe(files map[string]string, path map[string]string, env map[string]string) Probe {
	return Probe{
		ReadFile: func(name string) ([]byte, error) {
			if s, ok := files[name]; ok {
				return []byte(s), nil
			}
			return nil, fs.ErrNotExist
		},
		Stat: func(name string) (os.FileInfo, error) {
			if _, ok := files[name]; ok {
				return os.Stat(".")
			}
			return nil, fs.ErrNotExist
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

func TestDetect(t *testing.T) {
	p := fakeProbe(map[string]string{
		"/proc/cpuinfo":               "processor\t: 0\nmodel name\t: AMD EPYC 7B13\n",
		"/proc/meminfo":               "MemTotal:       24576000 kB\n",
		"/proc/driver/nvidia/version": "NVRM version: NVIDIA UNIX x86_64 Kernel Module  550.54.15  Tue Mar  5 22:23:56 UTC 2024\n",
		"/dev/nvidia0":                "",
	}, map[string]string{"rocm-smi": "/opt/rocm/bin/rocm-smi"}, nil)
	got := map[string]Platform{}
	for _, pl := range p.Detect(context.Background()) {
		got[pl.Type] = pl
	}
	if len(got) != len(Types) {
		t.Fatalf("got %d platforms; want %d", len(got), len(Types))
	}
	if c := got["cpu"]; !c.Available || c.DeviceName != "AMD EPYC 7B13" || c.ComputeUnits != 8 || c.MemoryMB != 24000 {
		t.Errorf("cpu: got %+v", c)
	}
	if c := got["cuda"]; !c.Available || c.DriverVersion != "550.54.15" {
		t.Errorf("cuda: got %+v; want available with driver 550.54.15", c)
	}
	if r := got["rocm"]; r.Available || r.Reason == "" {
		t.Errorf("rocm: got %+v; want unavailable with a reason", r)
	}
	for _, typ := range Types {
		if got[typ].Reason == "" {
			t.Errorf("%s: empty reason", typ)
		}
	}
}

func TestDetectCUDAWithoutDevice(t *testing.T) {
	p := fakeProbe(map[string]string{"/proc/driver/nvidia/version": "NVRM version: NVIDIA UNIX x86_64 Kernel Module  550.54.15\n"}, nil, nil)
	c := p.detect("cuda")
	if c.Available {
		t.Errorf("got available without /dev/nvidia0; want unavailable")
	}
}

func TestDetectHost(t *testing.T) {
	ps := Detect(context.Background())
	if ps[0].Type != "cpu" || !ps[0].Available {
		t.Fatalf("got %+v; want cpu available on any host", ps[0])
	}
}
