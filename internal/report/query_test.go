package report

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/benchgate/benchgate/internal/store"
)

// metricRows are results whose values are not all in the seed's columns: a
// Go benchmark (sec/op shown as latency, B/op and allocs/op not), a
// throughput-only result, a custom metric with a hostile name and unit, and
// a failure.
func metricRows() []store.Row {
	at := time.Date(2025, 11, 9, 6, 8, 21, 0, time.FixedZone("CST", 8*3600))
	m := func(name, unit, better, col string, v float64) store.RowMetric {
		return store.RowMetric{Name: name, Unit: unit, Better: better, N: 1, Median: v, Mean: v, Column: col}
	}
	return []store.Row{
		{RunID: "r1", Attempt: 1, Commit: sha40, Benchmark: "BenchmarkParse", ModelName: "BenchmarkParse", HardwareType: "cpu", Params: "procs=4",
			AvgLatencyMs: ptr(0.000401), ThroughputPerSec: ptr(2496255.62), Status: "success", CreatedAt: at,
			Metrics: []store.RowMetric{m("sec/op", "sec/op", "smaller", "latency", 4.01e-7), m("B/op", "B/op", "smaller", "", 880), m("allocs/op", "allocs/op", "smaller", "", 5)}},
		{RunID: "r1", Attempt: 1, Commit: sha40, Benchmark: "serve", ModelName: "serve", HardwareType: "cpu",
			ThroughputPerSec: ptr(1234.5), Status: "success", CreatedAt: at,
			Metrics: []store.RowMetric{m("throughput", "items/s", "bigger", "throughput", 1234.5)}},
		{RunID: "r1", Attempt: 1, Commit: sha40, Benchmark: "ratio\x1b[31m", ModelName: "ratio\x1b[31m", HardwareType: "cpu", Status: "success", CreatedAt: at,
			Metrics: []store.RowMetric{m("compression\x1b]0;pwned\x07", "x\x1b[2J", "bigger", "", 2.5), m("items/s", "items/s", "bigger", "", 4.2e6),
				{Name: "empty", Unit: "ms", Better: "smaller", Median: math.NaN(), Mean: math.NaN()}}},
		{RunID: "r2", Attempt: 1, Benchmark: "broken", ModelName: "broken", HardwareType: "cpu", Status: "failed", ErrorType: "timeout", ErrorMessage: "took too long", CreatedAt: at},
	}
}

func TestQueryTableShowsEveryMetric(t *testing.T) {
	var b bytes.Buffer
	if err := QueryTable(&b, metricRows()); err != nil {
		t.Fatal(err)
	}
	golden(t, "query_metrics.txt", b.Bytes())
	out := b.String()
	for _, want := range []string{"Commit", "Date (UTC)", "Other metrics (median)", "b596b64cec39 ", "2025-11-08 22:08",
		"880.0B/op, 5.000 allocs/op", "1234.50", `compression\x1b]0;pwned\x07 2.500 x\x1b[2J, 4.200M items/s, empty —`} {
		if !strings.Contains(out, want) {
			t.Errorf("query table lacks %q:\n%s", want, out)
		}
	}
	if strings.ContainsAny(out, "\x1b\x07") || strings.Contains(out, sha40) {
		t.Errorf("query table has a control character or an unabbreviated commit:\n%q", out)
	}
}

const sha40 = "b596b64cec3970241e3db812eff9d1f541c310a9"

func TestQueryJSONCarriesMetrics(t *testing.T) {
	var b bytes.Buffer
	if err := QueryJSON(&b, metricRows()); err != nil {
		t.Fatal(err)
	}
	var got []QueryRow
	if err := json.Unmarshal(b.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if len(got) != 4 || got[0].Commit != sha40 || got[0].CreatedAt != "2025-11-08T22:08:21Z" {
		t.Fatalf("got %d rows, first commit %q at %q; want 4, the full commit, RFC 3339 UTC", len(got), got[0].Commit, got[0].CreatedAt)
	}
	if ms := got[1].Metrics; len(ms) != 1 || ms[0].Name != "throughput" || ms[0].Unit != "items/s" || ms[0].Direction != "bigger" || ms[0].N != 1 || *ms[0].Median != 1234.5 {
		t.Errorf("throughput-only row metrics = %+v; want throughput 1234.5 items/s", ms)
	}
	if ms := got[2].Metrics; len(ms) != 3 || ms[2].Median != nil || ms[2].Mean != nil {
		t.Errorf("custom row metrics = %+v; want 3 with a null median and mean for the one without samples", ms)
	}
	if got[3].Metrics == nil || len(got[3].Metrics) != 0 {
		t.Errorf("failed row metrics = %#v; want an empty array", got[3].Metrics)
	}
}

func TestQueryCSVCarriesMetrics(t *testing.T) {
	var b bytes.Buffer
	if err := QueryCSV(&b, metricRows()); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	header := recs[0]
	col := func(name string) int {
		for i, h := range header {
			if h == name {
				return i
			}
		}
		t.Fatalf("CSV header %q lacks %q", header, name)
		return -1
	}
	for _, c := range []struct {
		row        int
		col, value string
	}{
		{1, "commit", sha40}, {1, "created_at", "2025-11-08T22:08:21Z"}, {1, "sec/op", "4.01e-07"}, {1, "B/op", "880"}, {1, "allocs/op", "5"},
		{2, "throughput (items/s)", "1234.5"}, {2, "B/op", ""},
		{3, `compression\x1b]0;pwned\x07 (x\x1b[2J)`, "2.5"}, {3, "items/s", "4.2e+06"}, {3, "empty (ms)", ""},
		{4, "status", "failed"}, {4, "items/s", ""},
	} {
		if got := recs[c.row][col(c.col)]; got != c.value {
			t.Errorf("row %d column %q = %q; want %q", c.row, c.col, got, c.value)
		}
	}
}

func TestQueryTableSpeaksTheSuitesVocabulary(t *testing.T) {
	rows := metricRows()
	rows[3].RunID, rows[3].Attempt = "candidate-7", 2
	var b bytes.Buffer
	if err := QueryTable(&b, rows); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(b.String(), "\n")
	if head := lines[2]; !strings.HasPrefix(head, "Benchmark ") || strings.Contains(head, "Model Name") || !strings.Contains(head, " Run ") {
		t.Errorf("header: got %q; want Benchmark (no result has a model) and a Run column", head)
	}
	if !strings.Contains(b.String(), " candidate-7#2 ") || !strings.Contains(lines[4], " r1 ") {
		t.Errorf("rows do not name their run:\n%s", b.String())
	}
	b.Reset()
	rows[0].ModelFamily = "bert"
	if err := QueryTable(&b, rows); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "\nModel Name ") {
		t.Errorf("with a model among the results: want the Model Name header:\n%s", b.String())
	}
}

func TestMatchRows(t *testing.T) {
	rows := []store.Row{{Benchmark: "BenchmarkParse/small"}, {Benchmark: "BenchmarkParse/large"}, {Benchmark: "BenchmarkSort"},
		{Benchmark: "bert-base-uncased", ModelName: "bert-base-uncased", ModelFamily: "bert"}, {Benchmark: "Benchmarkété"}}
	for _, tt := range []struct {
		pattern string
		want    int
	}{
		{"", 5}, {"parse", 2}, {"BenchmarkParse/*", 2}, {"*/large", 1}, {"Benchmark[PS]*", 3}, {"Benchmark*", 4}, {"bert", 1}, {"BERT-base*", 1}, {"nothing", 0}, {"*é*", 1},
	} {
		got, err := MatchRows(rows, tt.pattern)
		if err != nil || len(got) != tt.want {
			t.Errorf("MatchRows(%q): got %d rows, %v; want %d", tt.pattern, len(got), err, tt.want)
		}
	}
	if _, err := MatchRows(rows, "[a-"); err == nil || !strings.Contains(err.Error(), `"[a-"`) {
		t.Errorf("malformed glob: got %v; want an error naming it", err)
	}
}
