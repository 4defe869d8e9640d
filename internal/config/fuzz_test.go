package config

import (
	"errors"
	"os"
	"strings"
	"testing"
)

// FuzzParse checks that Parse never panics, that every error it returns is
// located in the file, and that what parses is valid and plans.
func FuzzParse(f *testing.F) {
	example, err := os.ReadFile("testdata/benchgate.yml")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(example)
	for _, s := range []string{
		"",
		"matrix:\n  command: [b, '{model}']\n",
		"benchmarks:\n  - {name: a, command: [x], timeout: 5}\n",
		"defaults: &d {timeout: 3s}\nbenchmarks:\n  - {<<: *d, name: a, command: [x]}\n",
		"matrix: {shell: bash, command: 'echo {output} {{x}', batch-sizes: [1, 2]}\n",
		"benchmarks: [{name: a, command: [x], thresholds: {t: {floor: 5%, alpha: 0.1}}}]\n",
		"a: &a [*a]\n",
		"version: 1\n---\nversion: 2\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := Parse(data, "f.yml")
		if err != nil {
			for _, line := range strings.Split(err.Error(), "\n") {
				if !strings.HasPrefix(line, "f.yml") {
					t.Errorf("error line %q does not name the file", line)
				}
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Errorf("error %v: got no *Error", err)
			}
			return
		}
		for _, b := range s.Benchmarks {
			if len(b.Command) == 0 || b.Repetitions < 1 || b.Timeout <= 0 || (b.Format != "native" && b.Format != "go" && b.Format != "auto") {
				t.Errorf("invalid benchmark parsed: %+v", b)
			}
		}
		jobs, err := s.Plan(PlanOptions{})
		if err != nil {
			t.Fatalf("Plan of a parsed suite: %v", err)
		}
		for _, j := range jobs {
			for _, a := range j.Argv {
				for _, name := range findPlaceholders(a) {
					if name != phOutput && name != phRepetition {
						t.Errorf("job %s: placeholder {%s} left in Argv %q", j.Name, name, j.Argv)
					}
				}
			}
			j.Expand("/out.json", 1)
		}
	})
}
