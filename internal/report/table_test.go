package report

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/benchgate/benchgate/gate"
	"github.com/benchgate/benchgate/internal/comparison"
	"github.com/benchgate/benchgate/internal/results"
)

func tableOf(t *testing.T, c *comparison.Comparison) string {
	t.Helper()
	var b bytes.Buffer
	if err := Table(&b, c); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestTableFitsTheTerminal(t *testing.T) {
	long := "BenchmarkDecode/" + strings.Repeat("very_long_sub_benchmark_name_", 6) + "size=1000"
	base := []results.Result{goResult(long, 1e-6), goResult("BenchmarkA", 2e-3)}
	head := []results.Result{goResult(long, 1.5e-6), goResult("BenchmarkA", 2e-3)}
	c := comparison.Compare(base, head, comparison.Side{Label: "main"}, comparison.Side{Label: "pr-1"}, comparison.Thresholds{}.PolicyFor(gate.DefaultPolicy))
	out := tableOf(t, c)
	for _, l := range strings.Split(out, "\n") {
		if n := utf8.RuneCountInString(l); n > TableWidth {
			t.Errorf("line of %d columns, over %d:\n%s", n, TableWidth, l)
		}
	}
	if !strings.Contains(out, "BenchmarkDecode/v") || !strings.Contains(out, "…") || !strings.Contains(out, "size=1000") {
		t.Errorf("want the long name abbreviated in the middle, keeping its start and end; got:\n%s", out)
	}
}

func TestTableIsPlainTextWithSharedFactsOnce(t *testing.T) {
	out := tableOf(t, testComparison())
	for _, md := range []string{`\(`, "&lt;", "&#8288;", "**", "|---"} {
		if strings.Contains(out, md) {
			t.Errorf("table holds Markdown %q:\n%s", md, out)
		}
	}
	for _, once := range []string{"hardware: cpu (Test CPU)\n", "pkg: example.com/p\n", "procs: 8\n", "samples: 10 per side\n"} {
		if n := strings.Count(out, once); n != 1 {
			t.Errorf("%q appears %d times; want once, above the table:\n%s", once, n, out)
		}
	}
	if strings.Contains(out, "BenchmarkA [") {
		t.Errorf("rows repeat the shared parameters:\n%s", out)
	}
	if i, j := strings.Index(out, "regressed (critical)¹"), strings.Index(out, "unchanged²"); i < 0 || j < 0 || i > j {
		t.Errorf("want the regression before the unchanged rows:\n%s", out)
	}
}

func TestTableShowsPOfTheDirectionOfTheChange(t *testing.T) {
	noisy := func(c float64) []float64 {
		out := make([]float64, 10)
		for i := range out {
			out[i] = c * (1 + 0.3*float64(i%5-2))
		}
		return out
	}
	r := func(name string, v []float64) results.Result {
		x := goResult(name, 1)
		x.Metrics[0].Samples = v
		return x
	}
	base := []results.Result{goResult("BenchmarkFast", 1e-6), r("BenchmarkNoisy", noisy(1e-6))}
	head := []results.Result{goResult("BenchmarkFast", 0.66e-6), r("BenchmarkNoisy", noisy(0.8e-6))}
	c := comparison.Compare(base, head, comparison.Side{}, comparison.Side{}, comparison.Thresholds{}.PolicyFor(gate.DefaultPolicy))
	out := tableOf(t, c)
	for _, row := range c.Rows {
		if row.Worsening() >= 0 {
			t.Fatalf("%s: worsening %g; the test wants changes for the better", row.Key.Benchmark, row.Worsening())
		}
		line := lineWith(out, row.Key.Benchmark)
		if strings.Contains(line, FormatP(row.P)) && !strings.Contains(line, FormatP(row.PBetter)) {
			t.Errorf("%s (%s): shows p(worse) %s, want p(better) %s:\n%s", row.Key.Benchmark, FormatChange(row.Change), FormatP(row.P), FormatP(row.PBetter), line)
		}
	}
	if !strings.Contains(out, "p(better) for a change for the better") {
		t.Errorf("the table does not say which p it shows:\n%s", out)
	}
}

func lineWith(s, sub string) string {
	for _, l := range strings.Split(s, "\n") {
		if strings.HasPrefix(l, sub) {
			return l
		}
	}
	return ""
}
