package config

import (
	"errors"
	"strings"
	"testing"
)

// TestParseErrors checks that every problem is reported, with file, line and
// key path, and that all of them are collected.
func TestParseErrors(t *testing.T) {
	tests := []struct {
		name string
		yaml string
		want []string // the error lines, in order
	}{
		{
			name: "empty file",
			yaml: "",
			want: []string{"benchgate.yml: empty suite: want a matrix or benchmarks"},
		},
		{
			name: "syntax error",
			yaml: "name: a\nx: b: c\n",
			want: []string{"benchgate.yml:2: mapping values are not allowed in this context"},
		},
		{
			name: "not a mapping",
			yaml: "- a\n- b\n",
			want: []string{"benchgate.yml:1: want a mapping, got list"},
		},
		{
			name: "neither matrix nor benchmarks",
			yaml: "name: x\n",
			want: []string{"benchgate.yml:1: neither matrix nor benchmarks: the suite defines nothing to run"},
		},
		{
			name: "empty benchmarks",
			yaml: "name: x\nbenchmarks: []\n",
			want: []string{"benchgate.yml:2: neither matrix nor benchmarks: the suite defines nothing to run"},
		},
		{
			name: "unknown keys everywhere",
			yaml: `versoin: 1
defaults:
  timout: 5s
matrix:
  model: [bert]
  command: [x]
benchmarks:
  - name: a
    command: [x]
    thresholds: {sec/op: {flor: 5%}}
`,
			want: []string{
				"benchgate.yml:1: versoin: unknown key (allowed: benchmarks, defaults, matrix, name, version)",
				"benchgate.yml:3: defaults.timout: unknown key (allowed: env, env-allow, format, gpus, image, repetitions, shell, thresholds, timeout, workdir)",
				"benchgate.yml:5: matrix.model: unknown key (allowed: batch-sizes, command, env, env-allow, format, gpus, hardware, image, models, name, repetitions, shell, small-models, thresholds, timeout, workdir)",
				"benchgate.yml:10: benchmarks[0].thresholds.sec/op.flor: unknown key (allowed: alpha, assume, budget, critical, floor, major)",
			},
		},
		{
			name: "wrong types",
			yaml: `version: one
matrix:
  models: bert
  hardware: [cpu, 3]
  batch-sizes: "1,2"
  small-models: yes please
  command: [x]
benchmarks:
  - name: a
    command: run-me
    repetitions: 1.5
    env: [A]
`,
			want: []string{
				"benchgate.yml:1: version: want an integer, got string",
				"benchgate.yml:3: matrix.models: want a list of model names, got string",
				"benchgate.yml:4: matrix.hardware[1]: want a string, got integer",
				"benchgate.yml:5: matrix.batch-sizes: want a list of positive integers, got string",
				"benchgate.yml:6: matrix.small-models: want true or false, got string",
				"benchgate.yml:11: benchmarks[0].repetitions: want an integer, got number",
				"benchgate.yml:12: benchmarks[0].env: want a mapping, got list",
				"benchgate.yml:10: benchmarks[0].command: want a list of strings (argv), got string; set shell: bash to run it as a bash script",
			},
		},
		{
			name: "invalid values",
			yaml: `version: 2
defaults:
  format: json
  shell: zsh
  repetitions: 0
matrix:
  models: []
  hardware: [gpu]
  batch-sizes: [1, 0, -2, 1]
  command: [x, "{model}"]
benchmarks:
  - name: a
    command: [x]
    timeout: abc
  - name: b
    command: [x]
    timeout: -5
    workdir: ""
    thresholds:
      sec/op: {floor: -1%, alpha: 1}
      B/op: {floor: lots}
    env: {"A-B": x, C: ~}
`,
			want: []string{
				`benchgate.yml:1: version: unsupported version 2 (this benchgate reads version 1)`,
				`benchgate.yml:3: defaults.format: unknown format "json" (want one of: auto, native, go, gab, gab-smaller, gab-bigger, gab-data-js, pytest, googlebench, hyperfine, criterion, time)`,
				`benchgate.yml:4: defaults.shell: unknown shell "zsh" (want "" for argv or "bash")`,
				`benchgate.yml:5: defaults.repetitions: repetitions must be at least 1, got 0`,
				`benchgate.yml:7: matrix.models: empty list: want at least one model`,
				`benchgate.yml:8: matrix.hardware[0]: unknown hardware "gpu" (want one of cpu, cuda, rocm, mps, openvino, qnn, webnn, webgpu)`,
				`benchgate.yml:9: matrix.batch-sizes[1]: batch size must be positive, got 0`,
				`benchgate.yml:9: matrix.batch-sizes[2]: batch size must be positive, got -2`,
				`benchgate.yml:9: matrix.batch-sizes[3]: batch size 1 listed twice`,
				`benchgate.yml:14: benchmarks[0].timeout: invalid duration "abc" (want e.g. 600s, 10m or integer seconds, at most 168h0m0s)`,
				`benchgate.yml:17: benchmarks[1].timeout: duration must be positive, got "-5"`,
				`benchgate.yml:18: benchmarks[1].workdir: empty workdir (leave it out, or write "." for the suite file's directory)`,
				`benchgate.yml:20: benchmarks[1].thresholds.sec/op.floor: "-1%" is out of range: floor must be a fraction in [0, 1) or a percentage in [0%, 100%)`,
				`benchgate.yml:20: benchmarks[1].thresholds.sec/op.alpha: "1" is out of range: alpha must be a fraction in (0, 0.5] or a percentage in (0%, 50%]`,
				`benchgate.yml:21: benchmarks[1].thresholds.B/op.floor: "lots" is not a fraction in [0, 1) or a percentage in [0%, 100%)`,
				`benchgate.yml:22: benchmarks[1].env.A-B: invalid environment variable name "A-B"`,
				`benchgate.yml:22: benchmarks[1].env.C: want a string, got null`,
			},
		},
		{
			name: "missing name and command, duplicate names",
			yaml: `matrix:
  name: a
  command: [x]
benchmarks:
  - command: [x]
  - name: b
  - name: a
    command: [y]
  - name: b
    command: [y]
`,
			want: []string{
				`benchgate.yml:5: benchmarks[0]: missing key "name"`,
				`benchgate.yml:6: benchmarks[1]: missing key "command"`,
				`benchgate.yml:7: benchmarks[2].name: benchmark name "a" already used by matrix`,
			},
		},
		{
			name: "placeholders",
			yaml: `matrix:
  command: [x, "--m={model}", "{foo}", "{{model}", "${HOME}"]
benchmarks:
  - name: a
    command: [x, "{batch_size}", "{output}", "{repetition}", "{Model}"]
  - name: b
    shell: bash
    command: "echo {hardware} {print}"
`,
			want: []string{
				`benchgate.yml:2: matrix.command[2]: unknown placeholder {foo} (known: {model}, {hardware}, {batch_size}, {small_models}, {output}, {repetition}; write {{ for a literal brace)`,
				`benchgate.yml:5: benchmarks[0].command[1]: placeholder {batch_size} is only available in the matrix`,
				`benchgate.yml:5: benchmarks[0].command[4]: unknown placeholder {Model} (known: {model}, {hardware}, {batch_size}, {small_models}, {output}, {repetition}; write {{ for a literal brace)`,
				`benchgate.yml:8: benchmarks[1].command: placeholder {hardware} is only available in the matrix`,
				`benchgate.yml:8: benchmarks[1].command: unknown placeholder {print} (known: {model}, {hardware}, {batch_size}, {small_models}, {output}, {repetition}; write {{ for a literal brace)`,
			},
		},
		{
			name: "empty commands",
			yaml: `benchmarks:
  - name: a
    command: []
  - name: b
    command: ["", x]
  - name: c
    shell: bash
    command: "  "
  - name: d
    shell: bash
    command: [echo, hi]
  - name: e
    command: [x, ~]
`,
			want: []string{
				`benchgate.yml:3: benchmarks[0].command: empty command`,
				`benchgate.yml:5: benchmarks[1].command[0]: empty program name`,
				`benchgate.yml:8: benchmarks[2].command: empty command`,
				`benchgate.yml:11: benchmarks[3].command: want a string (the bash script, as shell: bash is set), got list`,
				`benchgate.yml:13: benchmarks[4].command[1]: want a string, got null`,
			},
		},
		{
			name: "duplicate keys and several documents",
			yaml: "benchmarks:\n  - name: a\n    name: b\n    command: [x]\n---\nname: z\n",
			want: []string{
				"benchgate.yml:5: more than one YAML document; a suite file holds one",
				"benchgate.yml:3: benchmarks[0].name: duplicate key",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Parse([]byte(tt.yaml), "benchgate.yml")
			if err == nil {
				t.Fatalf("Parse: got suite %+v, nil error; want errors", s)
			}
			if s != nil {
				t.Errorf("Parse: got a suite with an error; want nil")
			}
			got := strings.Split(err.Error(), "\n")
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("Parse errors:\ngot  %q\nwant %q", got, tt.want)
			}
			var e *Error
			if !errors.As(err, &e) || e.File != "benchgate.yml" {
				t.Errorf("errors.As(*Error): got %v; want an *Error naming benchgate.yml", e)
			}
		})
	}
}
