package runner

import (
	"context"
	"testing"
)

// BenchmarkRun measures one run of a tiny command through Run, with the
// options that add work per run: the status files (two atomic writes) and
// the resource monitor. Compare with BenchmarkExec (the process alone).
func BenchmarkRun(b *testing.B) {
	suite := "benchmarks:\n  - {name: t, command: [/usr/bin/printf, '[{\"name\":\"t\",\"value\":1}]']}\n"
	for _, bc := range []struct {
		name   string
		status bool
	}{{"plain", false}, {"status", true}} {
		b.Run(bc.name, func(b *testing.B) {
			jobs := planJobs(b, suite)
			dir := b.TempDir()
			o := Options{Parse: parseJSON, OutputDir: dir}
			if bc.status {
				o.StatusDir = dir
			}
			for b.Loop() {
				if _, err := Run(context.Background(), jobs, o); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkExec measures starting and waiting for the same tiny command.
func BenchmarkExec(b *testing.B) {
	for b.Loop() {
		if res := Exec(context.Background(), []string{"/usr/bin/printf", "x"}, "", "", nil, 0, 0); res.ExitCode != 0 {
			b.Fatal(res.ExitCode)
		}
	}
}
