package config

import (
	"errors"
	"io/fs"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/benchgate/benchgate/internal/comparison"
)

func ptr[T any](v T) *T { return &v }

// TestParseExample checks the documented example file field by field.
func TestParseExample(t *testing.T) {
	s, err := Load("testdata/benchgate.yml")
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	dir, err := filepath.Abs("testdata")
	if err != nil {
		t.Fatal(err)
	}
	want := &Suite{
		Name: "examples",
		File: "testdata/benchgate.yml",
		Benchmarks: []Benchmark{
			{
				Name:        "matrix",
				Command:     []string{"python3", "harness/torch/bench.py", "--model", "{model}", "--hardware", "{hardware}", "--batch-size", "{batch_size}", "--output", "{output}"},
				Format:      "native",
				Repetitions: 5,
				Timeout:     600 * time.Second,
				Dir:         dir,
				Env:         map[string]string{"KEY": "value"},
				Thresholds:  map[string]comparison.Threshold{"sec/op": {Floor: ptr(0.05)}},
				Matrix: &MatrixInfo{
					Models:      []string{"bert", "t5", "vit", "whisper"},
					Hardware:    []string{"cpu"},
					BatchSizes:  []int{1, 2, 4, 8, 16},
					SmallModels: true,
				},
			},
			{
				Name:        "go-examples",
				Command:     []string{"go", "test", "-run=^$", "-bench=.", "-count=10", "-benchmem", "./examples/..."},
				Format:      "go",
				Repetitions: 1,
				Timeout:     300 * time.Second,
				Dir:         dir,
				Env:         map[string]string{"KEY": "value"},
				Thresholds:  map[string]comparison.Threshold{"sec/op": {Floor: ptr(0.05)}},
			},
		},
	}
	if !reflect.DeepEqual(s, want) {
		t.Errorf("Load:\ngot  %+v\nwant %+v", s, want)
	}
}

// TestParseValues checks defaults, merging and the accepted value forms.
func TestParseValues(t *testing.T) {
	tests := []struct {
		name  string
		yaml  string
		check func(t *testing.T, s *Suite)
	}{
		{
			name: "defaults when nothing is set",
			yaml: "matrix:\n  command: [x]\n",
			check: func(t *testing.T, s *Suite) {
				b := s.Benchmarks[0]
				if s.Name != "benchgate" {
					t.Errorf("Name: got %q; want %q", s.Name, "benchgate")
				}
				if b.Name != "matrix" || b.Format != "native" || b.Repetitions != 1 || b.Timeout != 600*time.Second || b.Shell != "" || b.Dir != "conf" {
					t.Errorf("benchmark: got %+v; want defaults", b)
				}
				want := &MatrixInfo{Models: DefaultModels, BatchSizes: DefaultBatchSizes, SmallModels: true}
				if !reflect.DeepEqual(b.Matrix, want) {
					t.Errorf("Matrix: got %+v; want %+v", b.Matrix, want)
				}
			},
		},
		{
			name: "benchmark overrides defaults key by key",
			yaml: `defaults:
  timeout: 90
  repetitions: 3
  env: {A: "1", B: "2"}
  thresholds:
    sec/op: {floor: 0.1, alpha: 0.01}
    B/op: {floor: 0}
  workdir: /abs/dir
benchmarks:
  - name: a
    command: [x]
    env: {B: 3, C: true}
    thresholds: {sec/op: {floor: "2.5 %"}}
    timeout: 1.5
  - name: b
    command: [x]
    format: gobench
    workdir: sub
`,
			check: func(t *testing.T, s *Suite) {
				a, b := s.Benchmarks[0], s.Benchmarks[1]
				if got, want := a.Env, map[string]string{"A": "1", "B": "3", "C": "true"}; !reflect.DeepEqual(got, want) {
					t.Errorf("a.Env: got %v; want %v", got, want)
				}
				wantTh := map[string]comparison.Threshold{"sec/op": {Floor: ptr(0.025), Alpha: ptr(0.01)}, "B/op": {Floor: ptr(0.0)}}
				if !reflect.DeepEqual(a.Thresholds, wantTh) {
					t.Errorf("a.Thresholds: got %v; want %v", a.Thresholds, wantTh)
				}
				if a.Timeout != 1500*time.Millisecond || b.Timeout != 90*time.Second {
					t.Errorf("timeouts: got %v, %v; want 1.5s, 1m30s", a.Timeout, b.Timeout)
				}
				if a.Repetitions != 3 || b.Repetitions != 3 {
					t.Errorf("repetitions: got %d, %d; want 3, 3", a.Repetitions, b.Repetitions)
				}
				if a.Dir != "/abs/dir" || b.Dir != "conf/sub" {
					t.Errorf("dirs: got %q, %q; want /abs/dir, conf/sub", a.Dir, b.Dir)
				}
				if b.Format != "go" {
					t.Errorf("b.Format: got %q; want %q (alias resolved)", b.Format, "go")
				}
			},
		},
		{
			name: "severity thresholds, budgets and assume",
			yaml: `defaults:
  thresholds:
    latency_p99: {major: 10%, critical: 0.3, budget: 0.02}
benchmarks:
  - name: a
    command: [x]
    thresholds: {"latency_p99@cuda": {budget: 0.015}, allocs/op: {assume: exact}, latency_p99: {major: 8%}}
`,
			check: func(t *testing.T, s *Suite) {
				want := map[string]comparison.Threshold{
					"latency_p99":      {Major: ptr(0.08), Critical: ptr(0.3), Budget: ptr(0.02)},
					"latency_p99@cuda": {Budget: ptr(0.015)},
					"allocs/op":        {Exact: ptr(true)},
				}
				if got := s.Benchmarks[0].Thresholds; !reflect.DeepEqual(got, want) {
					t.Errorf("Thresholds: got %+v; want %+v", got, want)
				}
			},
		},
		{
			name: "durations",
			yaml: `benchmarks:
  - {name: a, command: [x], timeout: "10m"}
  - {name: b, command: [x], timeout: "45"}
  - {name: c, command: [x], timeout: 2}
`,
			check: func(t *testing.T, s *Suite) {
				want := []time.Duration{10 * time.Minute, 45 * time.Second, 2 * time.Second}
				for i, b := range s.Benchmarks {
					if b.Timeout != want[i] {
						t.Errorf("%s.Timeout: got %v; want %v", b.Name, b.Timeout, want[i])
					}
				}
			},
		},
		{
			name: "bash command and matrix keys",
			yaml: `name: gpu
matrix:
  name: torch
  shell: bash
  models: [bert-tiny, "org/model:v1"]
  hardware: [cuda, cpu]
  batch-sizes: [32]
  small-models: false
  command: |
    python3 bench.py --model {model} > {output}
`,
			check: func(t *testing.T, s *Suite) {
				b := s.Benchmarks[0]
				if s.Name != "gpu" || b.Name != "torch" || b.Shell != "bash" {
					t.Errorf("got suite %q, benchmark %q, shell %q; want gpu, torch, bash", s.Name, b.Name, b.Shell)
				}
				if want := []string{"python3 bench.py --model {model} > {output}\n"}; !reflect.DeepEqual(b.Command, want) {
					t.Errorf("Command: got %q; want %q", b.Command, want)
				}
				want := &MatrixInfo{Models: []string{"bert-tiny", "org/model:v1"}, Hardware: []string{"cuda", "cpu"}, BatchSizes: []int{32}}
				if !reflect.DeepEqual(b.Matrix, want) {
					t.Errorf("Matrix: got %+v; want %+v", b.Matrix, want)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Parse([]byte(tt.yaml), "conf/benchgate.yml")
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			tt.check(t, s)
		})
	}
}

// TestMergeKeys checks that aliases and "<<" merge keys work, an explicit
// key winning over a merged one.
func TestMergeKeys(t *testing.T) {
	const src = `defaults: &d
  timeout: 30s
  repetitions: 4
benchmarks:
  - <<: *d
    name: a
    command: &cmd [go, test, "-bench=."]
  - <<: [*d]
    name: b
    repetitions: 2
    command: *cmd
`
	s, err := Parse([]byte(src), "benchgate.yml")
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	a, b := s.Benchmarks[0], s.Benchmarks[1]
	if a.Timeout != 30*time.Second || a.Repetitions != 4 {
		t.Errorf("a: got timeout %v, repetitions %d; want 30s, 4", a.Timeout, a.Repetitions)
	}
	if b.Repetitions != 2 {
		t.Errorf("b.Repetitions: got %d; want 2 (explicit key wins)", b.Repetitions)
	}
	if want := []string{"go", "test", "-bench=."}; !reflect.DeepEqual(b.Command, want) {
		t.Errorf("b.Command: got %q; want %q", b.Command, want)
	}
}

// TestLoadMissing checks that a missing file names the path.
func TestLoadMissing(t *testing.T) {
	path := filepath.Join(t.TempDir(), "nope.yml")
	_, err := Load(path)
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Load(%s): got %v; want a not-exist error", path, err)
	}
}

func TestImageAndGPUs(t *testing.T) {
	s, err := Parse([]byte(`version: 1
defaults:
  image: ghcr.io/acme/bench:1
benchmarks:
  - name: a
    command: [echo]
  - name: b
    command: [echo]
    image: local/other@sha256:abc
    gpus: [0, GPU-1234]
`), "benchgate.yml")
	if err != nil {
		t.Fatal(err)
	}
	if got := s.Benchmarks[0].Image; got != "ghcr.io/acme/bench:1" {
		t.Errorf("a: got image %q; want the default", got)
	}
	if got := s.Benchmarks[1]; got.Image != "local/other@sha256:abc" || len(got.GPUs) != 2 || got.GPUs[1] != "GPU-1234" {
		t.Errorf("b: got image %q gpus %v; want its own image and two GPUs", got.Image, got.GPUs)
	}
	_, err = Parse([]byte("version: 1\nbenchmarks:\n  - name: a\n    command: [echo]\n    image: \"\"\n    gpus: some\n"), "benchgate.yml")
	for _, want := range []string{"benchgate.yml:5: benchmarks[0].image", "benchgate.yml:6: benchmarks[0].gpus"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("got %v; want an error containing %q", err, want)
		}
	}
}

func TestEnvAllow(t *testing.T) {
	s, err := Parse([]byte(`version: 1
defaults:
  env-allow: default
benchmarks:
  - name: a
    command: [echo]
  - name: b
    command: [echo]
    env-allow: [default, MY_*, OTHER]
`), "benchgate.yml")
	if err != nil {
		t.Fatal(err)
	}
	if got := s.Benchmarks[0].EnvAllow; !reflect.DeepEqual(got, []string{"default"}) {
		t.Errorf("a: got env-allow %q; want the default", got)
	}
	if got := s.Benchmarks[1].EnvAllow; !reflect.DeepEqual(got, []string{"default", "MY_*", "OTHER"}) {
		t.Errorf("b: got env-allow %q; want its own", got)
	}
	_, err = Parse([]byte("version: 1\nbenchmarks:\n  - name: a\n    command: [echo]\n    env-allow: [PATH, '*', A=B]\n  - name: b\n    command: [echo]\n    env-allow: some\n"), "benchgate.yml")
	for _, want := range []string{"benchgate.yml:5: benchmarks[0].env-allow[1]", "benchgate.yml:5: benchmarks[0].env-allow[2]", "benchgate.yml:8: benchmarks[1].env-allow: env-allow: want"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("got %v; want an error containing %q", err, want)
		}
	}
}
