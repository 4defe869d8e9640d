package report

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"
	"unicode"

	"github.com/benchgate/benchgate/gate"
	"github.com/benchgate/benchgate/internal/comparison"
	"github.com/benchgate/benchgate/internal/results"
	"github.com/benchgate/benchgate/internal/store"
)

// commandNames are benchmark names that try to run workflow commands or
// drive the terminal from a log line (issue 15, item 5).
var commandNames = []string{"::add-mask::y", "::error::x\n::warning::z", "\x1b[2J", "a\u202eb", " \u00a0::notice::n", "x ##[add-mask]y", "\u200b::debug::z\u0085"}

func TestOneLine(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain std::vector<int>", "plain std::vector<int>"},
		{"::add-mask::y", `\::add-mask::y`},
		{"::error::x\n::warning::z", `\::error::x\n::warning::z`},
		{"  \u00a0::notice::n", "  \u00a0\\::notice::n"},
		{"\u200b::debug::z", `\u200b::debug::z`},
		{"x ##[add-mask]y", `x ##\[add-mask]y`},
		{"\x1b[2J\x07", `\x1b[2J\x07`},
		{"a\tb\r\nc", `a\tb\r\nc`},
		{"a\u202eb\u2066c\u2069\u061c", `a\u202eb\u2066c\u2069\u061c`},
		{"zw\u200b\u200c\u200d\u2060\ufeff", `zw\u200b\u200c\u200d\u2060\ufeff`},
		{"c1\u0085\u009b\x7f", `c1\x85\x9b\x7f`},
		{"sep\u2028\u2029", `sep\u2028\u2029`},
		{"bad\xffutf8", "bad\ufffdutf8"},
		{"µs ✓ 日本", "µs ✓ 日本"},
	}
	for _, tt := range tests {
		if got := OneLine(tt.in); got != tt.want {
			t.Errorf("OneLine(%q) = %q; want %q", tt.in, got, tt.want)
		}
	}
}

// TestEscapeMarkdownHostile lists each hostile input of issue 15, item 8
// and its exact escape.
func TestEscapeMarkdownHostile(t *testing.T) {
	tests := []struct{ in, want string }{
		{"GH-123", `GH\-&#8288;123`},
		{"fixes gh-7.", `fixes gh\-&#8288;7.`},
		{"#123", "#&#8288;123"},
		{"owner/repo#123", "owner/repo#&#8288;123"},
		{"owner/repo@b596b64", "owner/repo@&#8288;`b596b64`"},
		{"commit b596b64cec39", "commit `b596b64cec39`"},
		{"b596b64cec3970241e3db812eff9d1f541c310a9", "`b596b64cec3970241e3db812eff9d1f541c310a9`"},
		{"abc123 deadbeefx BenchmarkAdd", "abc123 deadbeefx BenchmarkAdd"},
		{"$x^2$", "<span>$</span>x^2<span>$</span>"},
		{"$`\\sqrt{2}`$", "<span>$</span>\\`\\\\sqrt\\{2\\}\\`<span>$</span>"},
		{"esc\x1b[31m bel\x07", `esc\\x1b\[31m bel\\x07`},
		{"nel\u0085", `nel\\x85`},
		{"zw\u200b\u200d\ufeff", `zw\\u200b\\u200d\\ufeff`},
		{"a\u202eb\u2067c", `a\\u202eb\\u2067c`},
		{"tab\tand\r\nlines", "tab and lines"},
	}
	for _, tt := range tests {
		if got := EscapeMarkdown(tt.in); got != tt.want {
			t.Errorf("EscapeMarkdown(%q) = %q; want %q", tt.in, got, tt.want)
		}
	}
	if got, want := CodeSpan("a\x1b\u202eb\nc"), "`a\\x1b\\u202eb c`"; got != want {
		t.Errorf("CodeSpan = %q; want %q", got, want)
	}
	if got, want := CodeBlock("a\x1b[2J\n\tb\u202e"), "```text\na\\x1b[2J\n\tb\\u202e\n```\n"; got != want {
		t.Errorf("CodeBlock = %q; want %q", got, want)
	}
}

// checkLines fails when a line of out would run a workflow command or
// holds a hidden character (see hidden) other than the line break.
func checkLines(t *testing.T, what, out string) {
	t.Helper()
	for i, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(strings.TrimLeftFunc(l, unicode.IsSpace), "::") || strings.Contains(l, "##[") {
			t.Errorf("%s line %d would run a workflow command: %q", what, i+1, l)
		}
		if strings.IndexFunc(l, hidden) >= 0 {
			t.Errorf("%s line %d holds a hidden character: %q", what, i+1, l)
		}
	}
}

func TestTextOutputsDefuseWorkflowCommands(t *testing.T) {
	var rows []store.Row
	var base, head []results.Result
	for _, n := range commandNames {
		rows = append(rows, store.Row{RunID: "r", Benchmark: n, ModelName: n, HardwareType: n, Params: "p=" + n, Status: "failed", ErrorType: "x", ErrorMessage: n, Command: n},
			store.Row{RunID: n, Benchmark: n, ModelName: n, HardwareType: "cpu", Status: "success", AvgLatencyMs: ptr(1.0),
				Metrics: []store.RowMetric{{Name: n, Unit: n, Better: "smaller", N: 1, Median: 1, Mean: 1}}})
		r := results.Result{Name: n, Params: map[string]string{"k": n}, Hardware: results.Hardware{Type: "cpu", DeviceName: n},
			Metrics: []results.Metric{{Name: n, Unit: n, Better: results.SmallerIsBetter, Samples: samples(1, 5)}}}
		base, head = append(base, r), append(head, r)
		head = append(head, results.Result{Name: n, Hardware: results.Hardware{Type: n}, Failure: &results.Failure{Type: results.ErrExecution, Message: n}})
	}
	var b bytes.Buffer
	if err := QueryTable(&b, rows); err != nil {
		t.Fatal(err)
	}
	checkLines(t, "query table", b.String())
	for _, n := range commandNames {
		if !strings.Contains(b.String(), OneLine(n)) {
			t.Errorf("query table lacks %q", OneLine(n))
		}
	}

	b.Reset()
	if err := QueryCSV(&b, rows); err != nil {
		t.Fatal(err)
	}
	checkLines(t, "query csv", b.String())
	recs, err := csv.NewReader(bytes.NewReader(b.Bytes())).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if got, want := strings.Count(b.String(), "\n"), len(rows)+1; len(recs) != want || got != want {
		t.Fatalf("csv has %d records on %d lines; want %d on as many", len(recs), got, want)
	}
	if got, want := recs[3][4], `\::error::x\n::warning::z`; got != want {
		t.Errorf("csv benchmark = %q; want %q", got, want)
	}

	c := comparison.Compare(base, head, comparison.Side{Label: "::error::base"}, comparison.Side{Label: "pr\x1b[2J"},
		comparison.Thresholds{}.PolicyFor(gate.DefaultPolicy))
	b.Reset()
	if err := Table(&b, c); err != nil {
		t.Fatal(err)
	}
	checkLines(t, "compare table", b.String())
	// The table abbreviates long names in the middle: the start shows.
	if !strings.Contains(b.String(), "\n"+`\::add-mask::…`) {
		t.Errorf("compare table lacks the defused name:\n%s", b.String())
	}
}
