package config

import (
	"reflect"
	"strings"
	"testing"
)

// mustParse parses src or fails the test.
func mustParse(t *testing.T, src string) *Suite {
	t.Helper()
	s, err := Parse([]byte(src), "benchgate.yml")
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return s
}

func TestPlan(t *testing.T) {
	const matrixAndPlain = `matrix:
  models: [bert, t5]
  batch-sizes: [1, 8]
  command: [bench, "--model={model}", "{hardware}", "{batch_size}", "{small_models}", "{output}", "r{repetition}"]
benchmarks:
  - name: go
    command: [go, test, "-bench=."]
`
	yes, no := true, false
	tests := []struct {
		name      string
		src       string
		opts      PlanOptions
		wantNames []string
		wantArgv0 []string // Argv of the first job
	}{
		{
			name:      "defaults",
			src:       matrixAndPlain,
			wantNames: []string{"bert/cpu/bs=1", "bert/cpu/bs=8", "t5/cpu/bs=1", "t5/cpu/bs=8", "go"},
			wantArgv0: []string{"bench", "--model=bert", "cpu", "1", "true", "{output}", "r{repetition}"},
		},
		{
			name:      "overrides",
			src:       matrixAndPlain,
			opts:      PlanOptions{Models: []string{"vit"}, Hardware: []string{"cuda", "cpu"}, BatchSizes: []int{4}, SmallModels: &no},
			wantNames: []string{"vit/cuda/bs=4", "vit/cpu/bs=4", "go"},
			wantArgv0: []string{"bench", "--model=vit", "cuda", "4", "false", "{output}", "r{repetition}"},
		},
		{
			name:      "detected hardware when the file names none",
			src:       matrixAndPlain,
			opts:      PlanOptions{DetectedHardware: []string{"rocm"}, SmallModels: &yes},
			wantNames: []string{"bert/rocm/bs=1", "bert/rocm/bs=8", "t5/rocm/bs=1", "t5/rocm/bs=8", "go"},
			wantArgv0: []string{"bench", "--model=bert", "rocm", "1", "true", "{output}", "r{repetition}"},
		},
		{
			name:      "file hardware beats detection",
			src:       "matrix:\n  models: [bert]\n  hardware: [mps]\n  batch-sizes: [2]\n  command: [b, '{hardware}']\n",
			opts:      PlanOptions{DetectedHardware: []string{"rocm"}},
			wantNames: []string{"bert/mps/bs=2"},
			wantArgv0: []string{"b", "mps"},
		},
		{
			name:      "seed defaults",
			src:       "matrix:\n  command: [b]\n",
			wantNames: []string{"bert/cpu/bs=1", "bert/cpu/bs=2", "bert/cpu/bs=4", "bert/cpu/bs=8", "bert/cpu/bs=16", "t5/cpu/bs=1", "t5/cpu/bs=2", "t5/cpu/bs=4", "t5/cpu/bs=8", "t5/cpu/bs=16", "vit/cpu/bs=1", "vit/cpu/bs=2", "vit/cpu/bs=4", "vit/cpu/bs=8", "vit/cpu/bs=16", "whisper/cpu/bs=1", "whisper/cpu/bs=2", "whisper/cpu/bs=4", "whisper/cpu/bs=8", "whisper/cpu/bs=16"},
			wantArgv0: []string{"b"},
		},
		{
			name:      "plain only",
			src:       "benchmarks:\n  - name: a\n    command: [x, '{{literal}', '${x}']\n",
			wantNames: []string{"a"},
			wantArgv0: []string{"x", "{{literal}", "${x}"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := mustParse(t, tt.src)
			jobs, err := s.Plan(tt.opts)
			if err != nil {
				t.Fatalf("Plan: %v", err)
			}
			var names []string
			for _, j := range jobs {
				names = append(names, j.Name)
			}
			if !reflect.DeepEqual(names, tt.wantNames) {
				t.Errorf("job names: got %q; want %q", names, tt.wantNames)
			}
			if !reflect.DeepEqual(jobs[0].Argv, tt.wantArgv0) {
				t.Errorf("first Argv: got %q; want %q", jobs[0].Argv, tt.wantArgv0)
			}
			if jobs[0].Benchmark != &s.Benchmarks[0] {
				t.Errorf("first job's Benchmark: got %p; want %p (into Suite.Benchmarks)", jobs[0].Benchmark, &s.Benchmarks[0])
			}
		})
	}
}

func TestPlanMatrixFields(t *testing.T) {
	s := mustParse(t, "matrix:\n  models: [t5]\n  hardware: [cuda]\n  batch-sizes: [16]\n  command: [b]\n")
	jobs, err := s.Plan(PlanOptions{})
	if err != nil {
		t.Fatalf("Plan: %v", err)
	}
	j := jobs[0]
	if j.Model != "t5" || j.Hardware != "cuda" || j.BatchSize != 16 {
		t.Errorf("job: got model %q, hardware %q, batch size %d; want t5, cuda, 16", j.Model, j.Hardware, j.BatchSize)
	}
}

func TestPlanErrors(t *testing.T) {
	const withMatrix = "matrix:\n  command: [b]\n"
	const plain = "benchmarks:\n  - {name: a, command: [x]}\n"
	yes := true
	tests := []struct {
		name string
		src  string
		opts PlanOptions
		want string
	}{
		{"bad model", withMatrix, PlanOptions{Models: []string{"bert", "a b"}}, `models: invalid model name "a b" (want letters, digits and ._-+/:)`},
		{"empty models", withMatrix, PlanOptions{Models: []string{}}, "models: empty list"},
		{"duplicate model", withMatrix, PlanOptions{Models: []string{"t5", "t5"}}, `models: model "t5" listed twice`},
		{"bad hardware", withMatrix, PlanOptions{Hardware: []string{"tpu"}}, `hardware: unknown hardware "tpu" (want one of cpu, cuda, rocm, mps, openvino, qnn, webnn, webgpu)`},
		{"bad detected hardware", withMatrix, PlanOptions{DetectedHardware: []string{"cpu", "cpu"}}, `detected hardware: hardware "cpu" listed twice`},
		{"bad batch size", withMatrix, PlanOptions{BatchSizes: []int{0}}, "batch-sizes: batch size must be positive, got 0"},
		{"all collected", withMatrix, PlanOptions{Models: []string{""}, BatchSizes: []int{-1}}, "models: empty model name\nbatch-sizes: batch size must be positive, got -1"},
		{"override without matrix", plain, PlanOptions{SmallModels: &yes}, "suite benchgate.yml: models, hardware, batch sizes or small models given, but the suite has no matrix"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			jobs, err := mustParse(t, tt.src).Plan(tt.opts)
			if err == nil {
				t.Fatalf("Plan: got %d jobs, nil error; want %q", len(jobs), tt.want)
			}
			if err.Error() != tt.want {
				t.Errorf("Plan error: got %q; want %q", err, tt.want)
			}
		})
	}
}

func TestExpand(t *testing.T) {
	tests := []struct {
		name       string
		src        string
		output     string
		wantArgv   []string
		wantOutput bool
	}{
		{
			name:       "argv",
			src:        "matrix:\n  models: [bert]\n  batch-sizes: [2]\n  command: [b, '{model}', '--out={output}', '{repetition}', '{{x}}', '${HOME}']\n",
			output:     "/tmp/out dir/r.json",
			wantArgv:   []string{"b", "bert", "--out=/tmp/out dir/r.json", "3", "{x}}", "${HOME}"},
			wantOutput: true,
		},
		{
			name:       "bash quotes values",
			src:        "matrix:\n  models: [bert]\n  batch-sizes: [2]\n  shell: bash\n  command: 'b {model} {batch_size} > {output}; awk \"{{print}\" {repetition}'\n",
			output:     "/tmp/it's here.json",
			wantArgv:   []string{`b bert 2 > '/tmp/it'\''s here.json'; awk "{print}" 3`},
			wantOutput: true,
		},
		{
			name:     "stdout result",
			src:      "benchmarks:\n  - {name: a, command: [x, '{repetition}']}\n",
			output:   "/o.json",
			wantArgv: []string{"x", "3"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			jobs, err := mustParse(t, tt.src).Plan(PlanOptions{})
			if err != nil {
				t.Fatalf("Plan: %v", err)
			}
			j := jobs[0]
			before := append([]string(nil), j.Argv...)
			if got := j.Expand(tt.output, 3); !reflect.DeepEqual(got, tt.wantArgv) {
				t.Errorf("Expand: got %q; want %q", got, tt.wantArgv)
			}
			if !reflect.DeepEqual(j.Argv, before) {
				t.Errorf("Expand modified Argv: got %q; want %q", j.Argv, before)
			}
			if got := j.UsesOutput(); got != tt.wantOutput {
				t.Errorf("UsesOutput: got %v; want %v", got, tt.wantOutput)
			}
		})
	}
}

func TestParseLists(t *testing.T) {
	tests := []struct {
		name    string
		parse   func(string) (any, error)
		in      string
		want    any
		wantErr string
	}{
		{"models", wrap(ParseModels), "bert, t5 ,vit", []string{"bert", "t5", "vit"}, ""},
		{"models empty item", wrap(ParseModels), "bert,,t5", nil, `models: empty item 2 in "bert,,t5"`},
		{"models empty string", wrap(ParseModels), "", nil, `models: empty item 1 in ""`},
		{"models bad name", wrap(ParseModels), "bert;rm", nil, `models: invalid model name "bert;rm" (want letters, digits and ._-+/:)`},
		{"hardware", wrap(ParseHardware), "cpu,cuda", []string{"cpu", "cuda"}, ""},
		{"hardware unknown", wrap(ParseHardware), "cpu,gpu", nil, `hardware: unknown hardware "gpu" (want one of cpu, cuda, rocm, mps, openvino, qnn, webnn, webgpu)`},
		{"batch sizes", wrap(ParseBatchSizes), "1,4,16", []int{1, 4, 16}, ""},
		{"batch sizes not int", wrap(ParseBatchSizes), "1,x", nil, `batch-sizes: "x" is not an integer`},
		{"batch sizes zero", wrap(ParseBatchSizes), "0", nil, "batch-sizes: batch size must be positive, got 0"},
		{"batch sizes duplicate", wrap(ParseBatchSizes), "2,2", nil, "batch-sizes: batch size 2 listed twice"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.parse(tt.in)
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Errorf("got %v, error %v; want error %q", got, err, tt.wantErr)
				}
				return
			}
			if err != nil || !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %v, error %v; want %v", got, err, tt.want)
			}
		})
	}
}

// wrap adapts a typed list parser to the table's signature.
func wrap[T any](f func(string) (T, error)) func(string) (any, error) {
	return func(s string) (any, error) {
		v, err := f(s)
		if err != nil {
			return nil, err
		}
		return v, nil
	}
}

func TestShellQuote(t *testing.T) {
	tests := []struct {
		name string
		argv []string
		want string
	}{
		{"safe", []string{"go", "test", "-bench=.", "./x/..."}, "go test -bench=. ./x/..."},
		{"spaces and quotes", []string{"echo", "a b", "it's"}, `echo 'a b' 'it'\''s'`},
		{"empty and metacharacters", []string{"", "$HOME", "a;b", "*"}, `'' '$HOME' 'a;b' '*'`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ShellQuote(tt.argv); got != tt.want {
				t.Errorf("ShellQuote(%q): got %s; want %s", tt.argv, got, tt.want)
			}
		})
	}
}

func TestFindPlaceholders(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"{model}-{batch_size}", []string{"model", "batch_size"}},
		{"{{model}}", nil},
		{"${model} {1..3} {a,b} { model} {print $1}", nil},
		{"{x9}{_y}", []string{"x9", "_y"}},
		{"{unterminated", nil},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := findPlaceholders(tt.in); strings.Join(got, ",") != strings.Join(tt.want, ",") {
				t.Errorf("findPlaceholders(%q): got %q; want %q", tt.in, got, tt.want)
			}
		})
	}
}
