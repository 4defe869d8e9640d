package report

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/benchgate/benchgate/gate"
	"github.com/benchgate/benchgate/internal/comparison"
	"github.com/benchgate/benchgate/internal/hardware"
	"github.com/benchgate/benchgate/internal/results"
	"github.com/benchgate/benchgate/internal/store"
)

var update = flag.Bool("update", false, "rewrite golden files")

// hostile is text a pull request controls.
const hostile = "<script>alert(1)</script> @octocat #12 [x](https://evil.example) | `code` *b* \n## heading"

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from golden file; got:\n%s", name, got)
	}
}

func samples(center float64, n int) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = center * (1 + 0.002*float64(i%5-2))
	}
	return out
}

func goResult(name string, secPerOp float64) results.Result {
	return results.Result{
		Name: name, Params: map[string]string{"pkg": "example.com/p", "procs": "8", "goos": "linux", "goarch": "amd64"},
		Hardware: results.Hardware{Type: "cpu", DeviceName: "Test CPU"},
		Metrics:  []results.Metric{{Name: "sec/op", Unit: "sec/op", Better: results.SmallerIsBetter, Samples: samples(secPerOp, 10)}},
	}
}

func testComparison() *comparison.Comparison {
	base := []results.Result{goResult("BenchmarkA", 1e-6), goResult("BenchmarkB", 2e-3), goResult(hostile, 5e-9), goResult("BenchmarkGone", 1)}
	head := []results.Result{goResult("BenchmarkA", 1.5e-6), goResult("BenchmarkB", 2e-3), goResult(hostile, 5e-9), goResult("BenchmarkNew", 1),
		{Name: "BenchmarkBroken", Hardware: results.Hardware{Type: "cpu"}, Failure: &results.Failure{Type: results.ErrExecution, Message: hostile, ExitCode: 2}}}
	return comparison.Compare(base, head, comparison.Side{Label: "main", Commit: "0123456789abcdef0123"}, comparison.Side{Label: "pr-1"},
		comparison.Thresholds{}.PolicyFor(gate.DefaultPolicy))
}

func TestMarkdownVerdictGolden(t *testing.T) {
	var b bytes.Buffer
	if err := Markdown(&b, testComparison()); err != nil {
		t.Fatal(err)
	}
	golden(t, "verdict.md", b.Bytes())
}

func TestTableVerdictGolden(t *testing.T) {
	var b bytes.Buffer
	if err := Table(&b, testComparison()); err != nil {
		t.Fatal(err)
	}
	golden(t, "verdict.txt", b.Bytes())
}

func TestMarkdownEscapesUntrustedText(t *testing.T) {
	var b bytes.Buffer
	if err := Markdown(&b, testComparison()); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, bad := range []string{"<script>", "@octocat", "](https://", "#12", "\n## heading"} {
		if strings.Contains(out, bad) {
			t.Errorf("verdict contains %q unescaped", bad)
		}
	}
	if !strings.Contains(out, "**regressed (critical)**") || !strings.Contains(out, "FAIL") {
		t.Errorf("verdict does not flag the regression:\n%s", out)
	}
}

func TestEscapeMarkdown(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain", "plain"},
		{"a|b", `a\|b`},
		{"@user", "@&#8288;user"},
		{"<b>", "&lt;b&gt;"},
		{"line\nbreak", "line break"},
		{"see https://x.example", `see https:&#8288;//x.example`},
		{"[l](u)", `\[l\]\(u\)`},
	}
	for _, tt := range tests {
		if got := EscapeMarkdown(tt.in); got != tt.want {
			t.Errorf("EscapeMarkdown(%q) = %q; want %q", tt.in, got, tt.want)
		}
	}
}

func TestCodeBlockCannotBeClosedEarly(t *testing.T) {
	got := CodeBlock("a\n```\n@x")
	if !strings.HasPrefix(got, "````text\n") || !strings.HasSuffix(got, "\n````\n") {
		t.Errorf("got %q; want a four-backtick fence", got)
	}
}

func TestVerdictJSON(t *testing.T) {
	var b bytes.Buffer
	if err := JSON(&b, comparison.OutcomeOf(testComparison())); err != nil {
		t.Fatal(err)
	}
	var v JSONVerdict
	if err := json.Unmarshal(b.Bytes(), &v); err != nil {
		t.Fatal(err)
	}
	if v.Verdict != comparison.VerdictFailed || !v.Blocking || v.Conclusion != "failure" || v.Regressions != 1 || len(v.Failed) != 1 || len(v.Missing) != 2 {
		t.Errorf("got verdict %q (blocking %v, conclusion %s), %d regressions, %d failed, %d missing; want failed, blocking, failure, 1, 1, 2",
			v.Verdict, v.Blocking, v.Conclusion, v.Regressions, len(v.Failed), len(v.Missing))
	}
}

func ptr[T any](v T) *T { return &v }

func testTiming() *Timing {
	t0 := time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)
	rows := []store.Row{
		{RunID: "r1", Benchmark: "bert-tiny", ModelName: "bert-tiny", ModelType: "text", HardwareType: "cpu", BatchSize: ptr(8), AvgLatencyMs: ptr(12.5), ThroughputPerSec: ptr(640.0), MemoryPeakMB: ptr(512.0), Status: "success", CreatedAt: t0},
		{RunID: "r2", Benchmark: "bert-tiny", ModelName: "bert-tiny", ModelType: "text", HardwareType: "cpu", BatchSize: ptr(8), AvgLatencyMs: ptr(13.0), ThroughputPerSec: ptr(615.0), Status: "success", CreatedAt: t0.Add(time.Hour)},
		{RunID: "r2", Benchmark: "bert-tiny", ModelName: "bert-tiny", ModelType: "text", HardwareType: "cuda", BatchSize: ptr(8), AvgLatencyMs: ptr(2.5), ThroughputPerSec: ptr(3200.0), Status: "success", CreatedAt: t0.Add(time.Hour)},
		{RunID: "r2", Benchmark: "vit", ModelName: "vit", ModelType: "vision", HardwareType: "cuda", BatchSize: ptr(32), Status: "failed", ErrorType: "execution_error", ErrorMessage: hostile, Command: "python3 bench.py", Stderr: hostile, CreatedAt: t0.Add(time.Hour)},
		{RunID: "r2", Benchmark: hostile, ModelName: hostile, HardwareType: "cpu", AvgLatencyMs: ptr(0.0042), Status: "success", CreatedAt: t0.Add(time.Hour)},
	}
	return &Timing{GeneratedAt: t0.Add(2 * time.Hour), Days: 30, Rows: rows,
		Runs:       []store.Run{{ID: "r2", Attempt: 1, Commit: "abc", CreatedAt: t0.Add(time.Hour)}, {ID: "r1", Attempt: 1, CreatedAt: t0}},
		Platforms:  []hardware.Platform{{Type: "cpu", Available: true, Reason: "8 logical CPUs"}, {Type: "cuda", Reason: hostile}},
		Comparison: testComparison()}
}

func TestTimingMarkdownAndJSON(t *testing.T) {
	tm := testTiming()
	var md bytes.Buffer
	if err := TimingMarkdown(&md, tm); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"# Benchmark timing report", "## Verdict", "## Latency by hardware", "### text", "## Errors", "`execution_error`: 1", "## Recommendations"} {
		if !strings.Contains(md.String(), want) {
			t.Errorf("Markdown report lacks %q", want)
		}
	}
	if strings.Contains(md.String(), "<script>") {
		t.Error("Markdown report contains unescaped HTML")
	}
	var js bytes.Buffer
	if err := TimingJSON(&js, tm); err != nil {
		t.Fatal(err)
	}
	var got struct {
		ReportType string     `json:"report_type"`
		Results    []QueryRow `json:"results"`
	}
	if err := json.Unmarshal(js.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if got.ReportType != "benchmark_timing" || len(got.Results) != len(tm.Rows) {
		t.Errorf("got report_type %q with %d results; want benchmark_timing with %d", got.ReportType, len(got.Results), len(tm.Rows))
	}
}

func TestRecommendationsAndHeatmap(t *testing.T) {
	tm := testTiming()
	h := tm.Heatmap("latency")
	if len(h.Columns) != 2 || h.Columns[0] != "cpu" || h.Columns[1] != "cuda" {
		t.Fatalf("got columns %v; want [cpu cuda]", h.Columns)
	}
	recs := tm.Recommendations()
	var bert *Recommendation
	for i := range recs {
		if strings.HasPrefix(recs[i].Name, "bert-tiny") {
			bert = &recs[i]
		}
	}
	if bert == nil || bert.Hardware != "cuda" || bert.Measured != 2 || bert.Speedup != 13.0/2.5 {
		t.Errorf("got %+v; want cuda best, 2 measured, speed-up 5.2 (latest cpu value 13.0 over 2.5)", bert)
	}
}

func TestQueryTableGolden(t *testing.T) {
	var b bytes.Buffer
	if err := QueryTable(&b, testTiming().Rows); err != nil {
		t.Fatal(err)
	}
	golden(t, "query.txt", b.Bytes())
	for _, want := range []string{"Benchmark Timing Results", "Model Name", "Status", "Failed (execution_error)", "Failed Benchmarks:", "1. vit on cuda with batch size 32:", "Total results: 5", "Successful: 4", "Failed: 1"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("query table lacks %q", want)
		}
	}
}

func TestQueryCSVDefusesFormulas(t *testing.T) {
	rows := []store.Row{{RunID: "r", Benchmark: "=cmd|' /C calc'!A0", ModelName: "=cmd|' /C calc'!A0", HardwareType: "cpu", Status: "success"}}
	var b bytes.Buffer
	if err := QueryCSV(&b, rows); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(b.String(), ",=cmd") {
		t.Errorf("CSV cell starts with a formula:\n%s", b.String())
	}
}

func TestFormatValue(t *testing.T) {
	tests := []struct {
		v    float64
		unit string
		want string
	}{
		{1.5e-6, "sec/op", "1.5µs/op"},
		{0.0125, "s", "12.5ms"},
		{2048, "B/op", "2.000KiB/op"},
		{3, "allocs/op", "3.000 allocs/op"},
	}
	for _, tt := range tests {
		if got := FormatValue(tt.v, tt.unit); got != tt.want {
			t.Errorf("FormatValue(%g, %q) = %q; want %q", tt.v, tt.unit, got, tt.want)
		}
	}
}

// TestJSONStreamsVerdict checks that JSON, which writes one series at a
// time, writes what json.Encoder with two-space indentation writes of the
// whole Verdict, for every verdict case (hostile text, no baseline, no
// series included).
func TestJSONStreamsVerdict(t *testing.T) {
	for name, o := range verdictCases() {
		var got, want bytes.Buffer
		if err := JSON(&got, o); err != nil {
			t.Fatal(err)
		}
		enc := json.NewEncoder(&want)
		enc.SetIndent("", "  ")
		if err := enc.Encode(Verdict(o)); err != nil {
			t.Fatal(err)
		}
		if got.String() != want.String() {
			t.Errorf("%s: JSON wrote\n%s\nwant\n%s", name, got.String(), want.String())
		}
	}
}
