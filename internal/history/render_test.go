package history

import (
	"bytes"
	"encoding/csv"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"github.com/benchgate/benchgate/internal/report"
	"github.com/benchgate/benchgate/internal/results"
)

// hostileNames are benchmark names that try to run workflow commands or
// drive the terminal from a log line (issue 15, item 5).
var hostileNames = []string{"::add-mask::y", "::error::x\n::warning::z", "\x1b[2J", "a\u202eb"}

// TestRenderersDefuseWorkflowCommands checks that no line of the history
// and changes renderers can run a workflow command or hold a terminal
// escape, bidi override or zero-width character, whatever the names.
func TestRenderersDefuseWorkflowCommands(t *testing.T) {
	db := openTemp(t)
	var specs []spec
	for i, n := range hostileNames {
		specs = append(specs, spec{name: n, metric: "sec/op", better: results.SmallerIsBetter, stepAt: 25, step: 0.10, noise: 0.01},
			spec{name: "BenchmarkM" + strconv.Itoa(i), metric: n, better: results.SmallerIsBetter, stepAt: 25, step: 0.10, noise: 0.01})
	}
	build(t, db, mainRef, 40, specs)
	a := analyze(t, db, Options{})
	if len(a.Groups) == 0 {
		t.Fatal("no change group; want the step at commit 25")
	}
	renderers := []struct {
		name     string
		render   func(*bytes.Buffer) error
		markdown bool
	}{
		{"history table", func(b *bytes.Buffer) error { return HistoryTable(b, a, Since{}) }, false},
		{"history csv", func(b *bytes.Buffer) error { return HistoryCSV(b, a, Since{}) }, false},
		{"changes table", func(b *bytes.Buffer) error { return ChangesTable(b, a, Since{}) }, false},
		{"changes markdown", func(b *bytes.Buffer) error { return ChangesMarkdown(b, a, Since{}) }, true},
	}
	for _, r := range renderers {
		var b bytes.Buffer
		if err := r.render(&b); err != nil {
			t.Fatalf("%s: %v", r.name, err)
		}
		for i, l := range strings.Split(b.String(), "\n") {
			if strings.HasPrefix(strings.TrimLeftFunc(l, unicode.IsSpace), "::") {
				t.Errorf("%s line %d would run a workflow command: %q", r.name, i+1, l)
			}
			if strings.ContainsAny(l, "\x1b\x07\u0085\u202e\u200b") {
				t.Errorf("%s line %d holds a hidden character: %q", r.name, i+1, l)
			}
		}
		if !r.markdown && !strings.Contains(b.String(), report.OneLine(hostileNames[1])) {
			t.Errorf("%s lacks %q:\n%s", r.name, report.OneLine(hostileNames[1]), b.String())
		}
	}
	var b bytes.Buffer
	if err := HistoryCSV(&b, a, Since{}); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(bytes.NewReader(b.Bytes())).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if lines := strings.Count(b.String(), "\n"); lines != len(recs) {
		t.Errorf("history csv: %d records on %d lines; want one line each", len(recs), lines)
	}
}
