package actions

import (
	"errors"
	"os"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

func mapEnv(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func environ(m map[string]string) []string {
	var out []string
	for k, v := range m {
		out = append(out, k+"="+v)
	}
	return out
}

func TestReadInputsDefaults(t *testing.T) {
	env := map[string]string{"INPUT_GITHUB-TOKEN": "ghs_x", "INPUT_BATCH-SIZES": " 1, 8 ,32 ", "INPUT_FAIL-ON": "never",
		"INPUT_HARDWARE": "cpu,cuda", "INPUT_FLOOR": "5%", "INPUT_SAVE-ON": "main,refs/heads/release/*"}
	in, err := ReadInputs(mapEnv(env), environ(env))
	if err != nil {
		t.Fatal(err)
	}
	checks := []struct{ name, got, want string }{
		{"suite", in.Suite, "benchgate.yml"},
		{"batch-sizes", strings.Trim(strings.Join(strings.Fields(strings.Trim(sprint(in.BatchSizes), "[]")), ","), ","), "1,8,32"},
		{"hardware", strings.Join(in.Hardware, ","), "cpu,cuda"},
		{"fail-on", in.Gate.FailOn.String(), "never"},
		{"compare-mode", in.CompareMode, "auto"},
		{"comment-on-pr", in.CommentOnPR, "always"},
		{"data-branch", in.DataBranch, "benchgate-data"},
		{"format", string(in.Format), "auto"},
		{"floor", sprint(*in.Gate.Floor), "0.05"},
		{"save-on", strings.Join(in.SaveOn, " "), "main refs/heads/release/*"},
		{"github-token", in.GitHubToken.Reveal(), "ghs_x"},
		{"job-summary", sprint(in.JobSummary), "true"},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s: got %q; want %q", c.name, c.got, c.want)
		}
	}
}

func TestReadInputsInvalid(t *testing.T) {
	tests := []struct {
		env  map[string]string
		name string // the input the error must name
	}{
		{map[string]string{"INPUT_BATCH-SIZES": "1,x"}, "batch-sizes"},
		{map[string]string{"INPUT_BATCH-SIZES": "0"}, "batch-sizes"},
		{map[string]string{"INPUT_HARDWARE": "tpu"}, "hardware"},
		{map[string]string{"INPUT_FORMAT": "xml"}, "format"},
		{map[string]string{"INPUT_COMPARE-MODE": "magic"}, "compare-mode"},
		{map[string]string{"INPUT_FAIL-ON": "warning"}, "fail-on"},
		{map[string]string{"INPUT_COMMENT-ON-PR": "yes"}, "comment-on-pr"},
		{map[string]string{"INPUT_JOB-SUMMARY": "maybe"}, "job-summary"},
		{map[string]string{"INPUT_FLOOR": "150%"}, "floor"},
		{map[string]string{"INPUT_FLOOR": "100%"}, "floor"},
		{map[string]string{"INPUT_ALPHA": "0.9"}, "alpha"},
		{map[string]string{"INPUT_DATA-BRANCH": "bad..name"}, "data-branch"},
		{map[string]string{"INPUT_DATA-BRANCH": "x.lock"}, "data-branch"},
		{map[string]string{"INPUT_SAVE-ON": "refs/heads/[x"}, "save-on"},
		{map[string]string{"INPUT_MODELS": "bert;rm -rf /"}, "models"},
		{map[string]string{"INPUT_COMMAND": "go test", "INPUT_RESULTS-FILE": "r.json"}, "command"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadInputs(mapEnv(tt.env), environ(tt.env))
			var ie *InputError
			if !errors.As(err, &ie) || ie.Name != tt.name {
				t.Fatalf("error: got %v; want an *InputError naming %s", err, tt.name)
			}
			if !strings.Contains(err.Error(), "input "+tt.name+":") {
				t.Errorf("message: got %q; want it to start with the input's name", err)
			}
		})
	}
	// Several errors are all reported.
	env := map[string]string{"INPUT_FAIL-ON": "x", "INPUT_FORMAT": "y"}
	_, err := ReadInputs(mapEnv(env), environ(env))
	if err == nil || !strings.Contains(err.Error(), "fail-on") || !strings.Contains(err.Error(), "format") {
		t.Errorf("error: got %v; want both fail-on and format named", err)
	}
}

func TestUnknownInputs(t *testing.T) {
	env := map[string]string{"INPUT_FAIL_ON": "never", "INPUT_TRESHOLD": "5%", "INPUT_SUITE": "b.yml", "PATH": "/bin"}
	in, err := ReadInputs(mapEnv(env), environ(env))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := strings.Join(in.Unknown, " "), "fail_on treshold"; got != want {
		t.Errorf("unknown: got %q; want %q", got, want)
	}
}

// TestActionYAML keeps action.yml and InputSpecs the same list.
func TestActionYAML(t *testing.T) {
	b, err := os.ReadFile("../../action.yml")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Inputs  yaml.Node `yaml:"inputs"`
		Outputs map[string]struct {
			Description string `yaml:"description"`
		} `yaml:"outputs"`
		Runs struct {
			Using string `yaml:"using"`
			Image string `yaml:"image"`
		} `yaml:"runs"`
	}
	if err := yaml.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	type in struct {
		Description string  `yaml:"description"`
		Default     *string `yaml:"default"`
	}
	var names []string
	got := map[string]in{}
	for i := 0; i+1 < len(doc.Inputs.Content); i += 2 {
		var v in
		if err := doc.Inputs.Content[i+1].Decode(&v); err != nil {
			t.Fatal(err)
		}
		names = append(names, doc.Inputs.Content[i].Value)
		got[doc.Inputs.Content[i].Value] = v
	}
	var want []string
	for _, s := range InputSpecs() {
		want = append(want, s.Name)
		g := got[s.Name]
		if g.Default == nil || *g.Default != s.Default {
			t.Errorf("action.yml input %s: default %v; want %q", s.Name, g.Default, s.Default)
		}
		if g.Description != s.Description {
			t.Errorf("action.yml input %s: description\n got %q\nwant %q", s.Name, g.Description, s.Description)
		}
	}
	if !slices.Equal(names, want) {
		t.Errorf("action.yml inputs: got %v; want %v", names, want)
	}
	for _, o := range []string{"verdict", "regressions", "improvements", "report-markdown", "report-json", "baseline-sha"} {
		if doc.Outputs[o].Description == "" {
			t.Errorf("action.yml: output %s missing or undescribed", o)
		}
	}
	if doc.Runs.Using != "docker" || doc.Runs.Image != "Dockerfile" {
		t.Errorf("runs: got %s %s; want docker Dockerfile", doc.Runs.Using, doc.Runs.Image)
	}
}
