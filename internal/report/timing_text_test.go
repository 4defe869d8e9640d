package report

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/benchgate/benchgate/internal/store"
)

func TestTimingMarkdownSpeaksTheSuitesVocabulary(t *testing.T) {
	at := time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)
	tm := &Timing{GeneratedAt: at, Runs: []store.Run{{ID: "r1", Attempt: 1, CreatedAt: at}},
		Rows: []store.Row{{RunID: "r1", Attempt: 1, Benchmark: "BenchmarkParse", ModelName: "BenchmarkParse", HardwareType: "cpu",
			AvgLatencyMs: ptr(0.5), Status: "success", CreatedAt: at}}}
	var b bytes.Buffer
	if err := TimingMarkdown(&b, tm); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{"· 1 run · 1 result.", "| Benchmark | Hardware |"} {
		if !strings.Contains(out, want) {
			t.Errorf("timing report lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "Model") {
		t.Errorf("a suite without models: the report says Model:\n%s", out)
	}
}
