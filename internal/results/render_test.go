package results

import (
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// render dumps what a reader yielded as stable text, for golden files.
func render(out ReadOutput) string {
	var b strings.Builder
	fmt.Fprintf(&b, "format=%s records=%d parsed=%d results=%d warnings=%d\n",
		out.Format, out.Records, out.Parsed, len(out.Results), len(out.Warnings))
	for _, w := range out.Warnings {
		fmt.Fprintf(&b, "warning: %v\n", w)
	}
	for _, r := range out.Results {
		fmt.Fprintf(&b, "\n%s [%s] on %s", r.Name, r.ParamString(), r.Hardware.Type)
		if r.Hardware.DeviceName != "" {
			fmt.Fprintf(&b, " (%s)", r.Hardware.DeviceName)
		}
		b.WriteString("\n")
		if h := r.Hardware; h.DriverVersion != "" || h.MemoryMB != 0 || h.ComputeUnits != 0 {
			fmt.Fprintf(&b, "  hardware: driver=%q memory_mb=%s compute_units=%d\n", h.DriverVersion, num(h.MemoryMB), h.ComputeUnits)
		}
		if m := r.Model; m != nil {
			fmt.Fprintf(&b, "  model: %s family=%q modality=%q size=%q parameters_million=%s\n",
				m.Name, m.Family, m.Modality, m.Size, num(m.ParametersMillion))
		}
		if r.WarmupIterations != 0 || len(r.Iterations) > 0 {
			fmt.Fprintf(&b, "  warmup=%d iterations:", r.WarmupIterations)
			for _, it := range r.Iterations {
				fmt.Fprintf(&b, " [%s]", nums(it))
			}
			b.WriteString("\n")
		}
		if f := r.Failure; f != nil {
			fmt.Fprintf(&b, "  failure: %s exit=%d: %s\n", f.Type, f.ExitCode, f.Message)
		}
		for _, m := range r.Metrics {
			exact := ""
			if m.Exact {
				exact = " exact"
			}
			fmt.Fprintf(&b, "  %s (%s, %s%s) n=%d: %s\n", m.Name, m.Unit, m.Better, exact, len(m.Samples), nums(m.Samples))
		}
	}
	return b.String()
}

func num(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }

func nums(xs []float64) string {
	s := make([]string, len(xs))
	for i, x := range xs {
		s[i] = num(x)
	}
	return strings.Join(s, " ")
}

// checkGolden compares got with the golden file, or rewrites it with -update.
func checkGolden(t *testing.T, golden, got string) {
	t.Helper()
	if *update {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("reading golden file (run go test -update to create it): %v", err)
	}
	if got != string(want) {
		gl, wl := strings.Split(got, "\n"), strings.Split(string(want), "\n")
		i := 0
		for i < len(gl) && i < len(wl) && gl[i] == wl[i] {
			i++
		}
		line := func(ls []string) string {
			if i < len(ls) {
				return ls[i]
			}
			return "(end)"
		}
		t.Errorf("%s:%d differs (run go test -update to accept): got %q; want %q", golden, i+1, line(gl), line(wl))
	}
}

// brief renders results compactly, one line per metric with samples to 10
// significant digits, for table tests.
func brief(rs []Result) string {
	var b strings.Builder
	for _, r := range rs {
		for _, m := range r.Metrics {
			fmt.Fprintf(&b, "%s [%s] %s", r.Name, r.ParamString(), r.Hardware.Type)
			if r.Hardware.DeviceName != "" {
				fmt.Fprintf(&b, " (%s)", r.Hardware.DeviceName)
			}
			exact := ""
			if m.Exact {
				exact = " exact"
			}
			unit := ""
			if m.Unit != m.Name {
				unit = " (" + m.Unit + ")"
			}
			samples := make([]string, len(m.Samples))
			for i, x := range m.Samples {
				samples[i] = strconv.FormatFloat(x, 'g', 10, 64)
			}
			fmt.Fprintf(&b, ": %s%s %s%s %s\n", m.Name, unit, m.Better, exact, strings.Join(samples, " "))
		}
	}
	return b.String()
}
