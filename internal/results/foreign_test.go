package results

import (
	"errors"
	"strings"
	"testing"
	"testing/fstest"
)

func TestParseUnit(t *testing.T) {
	tests := []struct {
		unit   string
		metric string
		x      float64 // 1 in the unit, in the base unit
		better Direction
		known  bool
	}{
		{"ns/iter", MetricSecPerOp, 1e-9, SmallerIsBetter, true},
		{"ns/op", MetricSecPerOp, 1e-9, SmallerIsBetter, true},
		{"µs", MetricSecPerOp, 1e-6, SmallerIsBetter, true},
		{" MS ", MetricSecPerOp, 1e-3, SmallerIsBetter, true},
		{"sec/op", MetricSecPerOp, 1, SmallerIsBetter, true},
		{"ops/sec", MetricItemsPerSec, 1, BiggerIsBetter, true},
		{"iter/sec", MetricItemsPerSec, 1, BiggerIsBetter, true},
		{"req/s", MetricItemsPerSec, 1, BiggerIsBetter, true},
		{"ops/ms", MetricItemsPerSec, 1e3, BiggerIsBetter, true},
		{"MB/s", MetricBytesPerSec, 1e6, BiggerIsBetter, true},
		{"Megabytes", MetricBytes, 1e6, SmallerIsBetter, true},
		{"MiB", MetricBytes, 1 << 20, SmallerIsBetter, true},
		{"B/op", MetricBytesPerOp, 1, SmallerIsBetter, true},
		{"allocs/op", MetricAllocsPerOp, 1, SmallerIsBetter, true},
		{"ms/s", "ms/s", 1, SmallerIsBetter, false},
		{"widgets", "widgets", 1, SmallerIsBetter, false},
		{"%", "%", 1, SmallerIsBetter, false},
	}
	for _, tt := range tests {
		t.Run(tt.unit, func(t *testing.T) {
			u := parseUnit(tt.unit)
			if u.metric != tt.metric || !sameValue(u.apply(1), tt.x) || u.known != tt.known || (u.known && u.better != tt.better) {
				t.Errorf("got %s ×%g %v known=%v; want %s ×%g %v known=%v", u.metric, u.apply(1), u.better, u.known, tt.metric, tt.x, tt.better, tt.known)
			}
		})
	}
}

func TestParseFormatForeign(t *testing.T) {
	for name, want := range map[string]Format{
		"gab": FormatGAB, "customSmallerIsBetter": FormatGABSmaller, "customBiggerIsBetter": FormatGABBigger,
		"gab-data-js": FormatGABHistory, "data.js": FormatGABHistory, "pytest": FormatPytest,
		"googlecpp": FormatGoogleBenchmark, "google-benchmark": FormatGoogleBenchmark,
		"hyperfine": FormatHyperfine, "Criterion": FormatCriterion,
	} {
		if got, err := ParseFormat(name); got != want || err != nil {
			t.Errorf("got ParseFormat(%q) = %q, %v; want %q", name, got, err, want)
		}
	}
	for _, f := range Formats() {
		if got, err := ParseFormat(string(f)); got != f || err != nil {
			t.Errorf("got ParseFormat(%q) = %q, %v; want it back", f, got, err)
		}
	}
}

func TestDetectForeign(t *testing.T) {
	tests := []struct {
		name, head string
		want       Format
	}{
		{"data.js", "window.BENCHMARK_DATA = {", FormatGABHistory},
		{"external json", `{"lastUpdate": 1, "repoUrl": "x", "entries": {}}`, FormatGABHistory},
		{"custom", `[{"name": "a", "unit": "ms", "value": 1}]`, FormatGAB},
		{"custom cut", `[{"name": "a", "unit": "ms", "value": 1}, {"na`, FormatGAB},
		{"pytest cut in machine_info", `{"machine_info": {"node": "x", "cpu": {"flags": ["a", "b`, FormatPytest},
		{"google", `{"context": {"date": "x"}, "benchmarks": []}`, FormatGoogleBenchmark},
		{"hyperfine", `{"results": [{"command": "sleep 1", "times": [1]}]}`, FormatHyperfine},
		{"native wrapper", `{"benchgate": 1, "results": [{"name": "m", "latencies_ms": [1]}]}`, FormatNative},
		{"criterion sample", `{"sampling_mode":"Flat","iters":[1],"times":[2]}`, FormatCriterion},
		{"criterion estimates", `{"mean":{"point_estimate":1},"median":{}}`, FormatCriterion},
		{"native", `{"name": "m", "latencies_ms": [1]}`, FormatNative},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Detect("x", []byte(tt.head)); got != tt.want {
				t.Errorf("got Detect(%q) = %q; want %q", tt.head, got, tt.want)
			}
		})
	}
}

// readCase is one input to a reader and what it must yield.
type readCase struct {
	name     string
	in       string
	want     string    // brief(Results), when no error
	warnings []string  // substrings of the warnings, in order
	failures []string  // substrings of failed results' messages, in order
	errType  ErrorType // Classify(err); "" for none
	err      string    // substring of the error
}

func runReadCases(t *testing.T, f Format, tests []readCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := Read(strings.NewReader(tt.in), "in.json", f)
			if got := Classify(err); got != tt.errType || (err != nil && !strings.Contains(err.Error(), tt.err)) {
				t.Fatalf("got error %v (%s); want %q (%s)", err, got, tt.err, tt.errType)
			}
			if err != nil {
				return
			}
			if got := brief(out.Results); got != tt.want {
				t.Errorf("got results\n%s\nwant\n%s", got, tt.want)
			}
			if len(out.Warnings) != len(tt.warnings) {
				t.Fatalf("got warnings %v; want %d", out.Warnings, len(tt.warnings))
			}
			for i, w := range out.Warnings {
				if !strings.Contains(w.Error(), tt.warnings[i]) {
					t.Errorf("got warning %q; want it to contain %q", w, tt.warnings[i])
				}
			}
			var failures []string
			for _, r := range out.Results {
				if r.Failure != nil {
					failures = append(failures, string(r.Failure.Type)+": "+r.Failure.Message)
				}
			}
			if len(failures) != len(tt.failures) {
				t.Fatalf("got failures %q; want %d", failures, len(tt.failures))
			}
			for i, f := range failures {
				if !strings.Contains(f, tt.failures[i]) {
					t.Errorf("got failure %q; want it to contain %q", f, tt.failures[i])
				}
			}
		})
	}
}

func TestReadGAB(t *testing.T) {
	bigger := `[{"name": "T", "unit": "req/s", "value": 70}, {"name": "Free", "unit": "Megabytes", "value": 150, "range": "3"}]`
	runReadCases(t, FormatGABBigger, []readCase{
		{name: "custom bigger imposes its direction", in: bigger,
			want: "T [] cpu: items/s bigger 70\nFree [] cpu: B bigger 150000000\n"},
	})
	runReadCases(t, FormatGABSmaller, []readCase{
		{name: "custom smaller", in: `[{"name": "a", "unit": "ms", "value": 2.5}, {"name": "a", "unit": "widgets", "value": 3}]`,
			want: "a [] cpu: sec/op smaller 0.0025\na [] cpu: widgets smaller 3\n"},
		{name: "missing fields skip entries", in: `[{"unit": "ms", "value": 1}, {"name": "b", "value": 1}, {"name": "c", "unit": "ms"}, {"name": "d", "unit": "ms", "value": "x"}, {"name": "e", "unit": "ms", "value": -1}, {"name": "f", "unit": "ns", "value": 7}]`,
			want:     "f [] cpu: sec/op smaller 7e-09\n",
			warnings: []string{"in.json: [0]: missing name", `[1].unit: benchmark "b": missing unit`, `[2].value: benchmark "c": missing value`, `[3].value: benchmark "d": value is a JSON string, want a number`, `[4]: benchmark "e": value -1 is negative`}},
		{name: "duplicate with another value", in: `[{"name": "a", "unit": "ms", "value": 1}, {"name": "a", "unit": "us", "value": 1000}, {"name": "a", "unit": "ms", "value": 2}]`,
			want: "a [] cpu: sec/op smaller 0.001\n", warnings: []string{"[2]: benchmark \"a\": metric sec/op given twice, 0.001 then 0.002"}},
		{name: "not an array", in: `{"name": "a"}`, errType: ErrResultProcessing, err: "want an array"},
		{name: "truncated", in: `[{"name": "a", `, errType: ErrJSONParse, err: "in.json:1: truncated JSON"},
		{name: "empty", in: "\n", errType: ErrJSONParse, err: "empty input"},
		{name: "empty array", in: "[]", errType: ErrResultProcessing, err: "no benchmark results"},
	})
	runReadCases(t, FormatGAB, []readCase{
		{name: "direction from the unit", in: bigger,
			want: "T [] cpu: items/s bigger 70\nFree [] cpu: B smaller 150000000\n"},
		{name: "unknown unit is skipped", in: `[{"name": "a", "unit": "points", "value": 1}, {"name": "b", "unit": "s", "value": 1}]`,
			want: "b [] cpu: sec/op smaller 1\n", warnings: []string{`[0]: benchmark "a": unit "points": unknown, so is its direction (read the file as gab-smaller or gab-bigger)`}},
	})
}

const gabHistoryOK = `window.BENCHMARK_DATA = {
  "lastUpdate": 1700000000000,
  "repoUrl": "https://github.com/o/r",
  "entries": {
    "Go": [
      {"commit": {"id": "aaaaaaaaaaaaaaaaaaaa", "timestamp": "2025-01-02T03:04:05+01:00", "author": {"name": "N", "username": "u"}},
       "date": 1735783445000, "tool": "go",
       "benches": [{"name": "BenchmarkA - ns/op", "value": 5, "unit": "ns/op", "extra": "10 times\n8 procs"},
                   {"name": "BenchmarkA", "value": 5, "unit": "ns/op\t 16 B/op\t 1 allocs/op", "extra": "10 times\n8 procs"}]},
      {"commit": {"timestamp": "2025-01-03T00:00:00Z"}, "date": 1, "tool": "go", "benches": [{"name": "BenchmarkA", "value": 6, "unit": "ns/op"}]},
      {"commit": {"id": "cccccccccccc", "timestamp": "2025-01-04T00:00:00Z"}, "tool": "go",
       "benches": [{"name": "BenchmarkA", "unit": "ns/op"}, {"name": "BenchmarkB", "value": 1, "unit": "ms"}]}
    ],
    "Py": [
      {"commit": {"id": "dddd", "timestamp": "x"}, "date": 1735783445000, "tool": "pytest",
       "benches": [{"name": "t::a", "value": 10, "unit": "iter/sec", "range": "stddev: 1", "extra": "mean: 100 msec\nrounds: 5"}]},
      {"commit": {"id": "eeee"}, "tool": "pytest", "benches": []}
    ]
  }
};
`

func TestReadGABHistory(t *testing.T) {
	h, err := ReadGABHistory(strings.NewReader(gabHistoryOK), "data.js")
	if err != nil {
		t.Fatal(err)
	}
	if h.RepoURL != "https://github.com/o/r" || h.LastUpdate.UnixMilli() != 1700000000000 || h.Records != 5 || h.Parsed != 3 {
		t.Errorf("got repo %q lastUpdate %v records %d parsed %d; want the file's, 5 records, 3 parsed", h.RepoURL, h.LastUpdate, h.Records, h.Parsed)
	}
	wantWarnings := []string{
		"data.js:10: entries.Go[1]: missing commit.id; entry skipped",
		`data.js:11: entries.Go[2].benches[0].value: commit cccccccccccc: benchmark "BenchmarkA": missing value; skipped`,
		"data.js:17: entries.Py[1]: commit eeee: missing date and commit.timestamp; entry skipped",
	}
	if len(h.Warnings) != len(wantWarnings) {
		t.Fatalf("got warnings %v; want %q", h.Warnings, wantWarnings)
	}
	for i, w := range h.Warnings {
		if w.Error() != wantWarnings[i] || Classify(w) != ErrResultProcessing {
			t.Errorf("got warning %q (%s); want %q", w, Classify(w), wantWarnings[i])
		}
	}
	var got []string
	for _, e := range h.Entries {
		got = append(got, e.Suite+" "+e.Commit.ID+" "+e.Commit.Author+" "+e.Date.Format("2006-01-02T15:04:05Z07:00")+"\n"+brief(e.Results))
	}
	want := []string{
		"Go aaaaaaaaaaaaaaaaaaaa u 2025-01-02T02:04:05Z\n" +
			"BenchmarkA [procs=8] cpu: sec/op smaller 5e-09\n" +
			"BenchmarkA [procs=8] cpu: B/op smaller 16\n" +
			"BenchmarkA [procs=8] cpu: allocs/op smaller exact 1\n",
		"Go cccccccccccc  2025-01-04T00:00:00Z\nBenchmarkB [] cpu: sec/op smaller 0.001\n",
		"Py dddd  2025-01-02T02:04:05Z\nt::a [] cpu: items/s bigger 10\n",
	}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("got entries\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestReadGABHistoryErrors(t *testing.T) {
	tests := []struct {
		name, in string
		errType  ErrorType
		err      string
	}{
		{"truncated", "window.BENCHMARK_DATA = {\n\"entries\": {\"a\": [", ErrJSONParse, "data.js:2: truncated JSON"},
		{"no equals", "window.BENCHMARK_DATA {}", ErrJSONParse, "want \"window.BENCHMARK_DATA = {...}\""},
		{"not an object", "[1]", ErrResultProcessing, "want a github-action-benchmark history"},
		{"entries not an object", `{"entries": []}`, ErrResultProcessing, "entries: want an object of suites"},
		{"empty", "", ErrJSONParse, "empty input"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadGABHistory(strings.NewReader(tt.in), "data.js")
			if Classify(err) != tt.errType || err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("got %v (%s); want %q (%s)", err, Classify(err), tt.err, tt.errType)
			}
		})
	}
	_, err := Read(strings.NewReader(gabHistoryOK), "data.js", FormatAuto)
	if !errors.Is(err, ErrHistory) || Classify(err) != ErrResultProcessing {
		t.Errorf("got Read error %v; want one wrapping ErrHistory", err)
	}
}

func TestReadPytest(t *testing.T) {
	runReadCases(t, FormatPytest, []readCase{
		{name: "raw data and mean", in: `{"machine_info": {"cpu": {"brand_raw": "Xeon"}}, "benchmarks": [
			{"group": "g", "name": "t[1]", "fullname": "m.py::t[1]", "stats": {"mean": 2, "data": [1, 3]}},
			{"name": "u", "stats": {"mean": 0.5}},
			{"name": "v"}, {"name": "w", "stats": {"data": [-1]}}, {"stats": {"mean": 1}}]}`,
			want: "m.py::t[1] [group=g] cpu (Xeon): sec/op smaller 1 3\nu [] cpu (Xeon): sec/op smaller 0.5\n",
			warnings: []string{`benchmarks[2]: benchmark "v": missing stats`, `benchmarks[3]: benchmark "w": value -1 is negative`,
				"benchmarks[4]: missing name and fullname"}},
		{name: "no benchmarks", in: `{"machine_info": {}}`, errType: ErrResultProcessing, err: "benchmarks: missing"},
		{name: "wrong type", in: `{"benchmarks": 3}`, errType: ErrResultProcessing, err: "in.json:1: benchmarks: benchmarks is a JSON number, want an array"},
	})
}

func TestReadGoogleBenchmark(t *testing.T) {
	runReadCases(t, FormatGoogleBenchmark, []readCase{
		{name: "repetitions, aggregates and errors", in: `{"context": {"num_cpus": 2}, "benchmarks": [
			{"name": "BM_A", "run_name": "BM_A", "run_type": "iteration", "real_time": 10, "cpu_time": 9, "time_unit": "us", "items_per_second": 5},
			{"name": "BM_A", "run_name": "BM_A", "run_type": "iteration", "real_time": 12, "cpu_time": 11, "time_unit": "us", "items_per_second": 4},
			{"name": "BM_A_mean", "run_name": "BM_A", "run_type": "aggregate", "aggregate_name": "mean", "real_time": 11, "cpu_time": 10, "time_unit": "us"},
			{"name": "BM_B_mean", "run_name": "BM_B", "run_type": "aggregate", "aggregate_name": "mean", "real_time": 3, "time_unit": "ms"},
			{"name": "BM_B_stddev", "run_name": "BM_B", "run_type": "aggregate", "aggregate_name": "stddev", "real_time": 1, "time_unit": "ms"},
			{"name": "BM_C", "run_type": "iteration", "error_occurred": true, "error_message": "out of memory"},
			{"name": "BM_D", "real_time": 1, "time_unit": "fortnights"},
			{"name": "BM_E", "real_time": 1, "skipped": true, "skip_message": "no GPU"}]}`,
			want: "BM_A [] cpu: sec/op smaller 1e-05 1.2e-05\nBM_A [] cpu: cpu-sec/op smaller 9e-06 1.1e-05\nBM_A [] cpu: items/s bigger 5 4\n" +
				"BM_B [] cpu: sec/op smaller 0.003\n",
			warnings: []string{`benchmarks[6]: benchmark "BM_D": unknown time_unit "fortnights"`, `benchmarks[7]: benchmark "BM_E": skipped by the benchmark: "no GPU"`},
			failures: []string{"execution_error: Google Benchmark error: out of memory"}},
		{name: "no benchmarks", in: `{"context": {}}`, errType: ErrResultProcessing, err: "benchmarks: missing"},
	})
}

func TestReadHyperfine(t *testing.T) {
	runReadCases(t, FormatHyperfine, []readCase{
		{name: "runs, parameters, failures", in: `{"results": [
			{"command": "sleep 0.1", "times": [0.1, 0.2], "exit_codes": [0, 0], "parameters": {"N": "3"}, "memory_usage_byte": [100, 200]},
			{"command": "false", "times": [0.1, 0.1], "exit_codes": [0, 1]},
			{"command": "broken [ERROR]", "times": [0.0, 1e-6]},
			{"command": "nothing"}, {"times": [1]}]}`,
			want:     "sleep 0.1 [n=3] cpu: sec/op smaller 0.1 0.2\nsleep 0.1 [n=3] cpu: memory_peak (B) smaller 100 200\n",
			warnings: []string{`results[3]: command "nothing": missing times`, "results[4]: missing command"},
			failures: []string{"execution_error: hyperfine: 1 of 2 runs exited non-zero (first: 1)", "result_processing_error: hyperfine: a run took 0 s"}},
		{name: "no results", in: `{"results": null}`, errType: ErrResultProcessing, err: "results: missing"},
	})
}

func TestReadCriterion(t *testing.T) {
	tests := []struct {
		file, in, want, err string
	}{
		{"target/criterion/fib/20/new/sample.json", `{"sampling_mode":"Linear","iters":[1,2],"times":[10,30]}`, "fib/20 [] cpu: sec/op smaller 1e-08 1.5e-08\n", ""},
		{"x/fib/new/estimates.json", `{"mean":{"point_estimate":5},"std_dev":{"point_estimate":1},"slope":null}`, "fib [] cpu: sec/op smaller 5e-09\n", ""},
		{"estimates.json", `{"mean":{"point_estimate":5},"std_dev":{},"slope":{"point_estimate":4}}`, ". [] cpu: sec/op smaller 4e-09\n", ""},
		{"s.json", `{"sampling_mode":"Flat","iters":[1],"times":[1, 2]}`, "", "times: want as many times as iters"},
		{"s.json", `{"iters":[0],"times":[1]}`, "", "iters[0]: want a positive iteration count"},
		{"c.json", `{"mean":{"point_estimate":-0.1},"median":{"point_estimate":-0.1}}`, "", "relative changes"},
		{"b.json", `{"full_id":"a/b"}`, "", "holds no measurement"},
		{"o.json", `{}`, "", "not a Criterion.rs"},
	}
	for _, tt := range tests {
		t.Run(tt.file+tt.err, func(t *testing.T) {
			out, err := ReadCriterion(strings.NewReader(tt.in), tt.file)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) || Classify(err) != ErrResultProcessing {
					t.Errorf("got error %v; want a data error containing %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := brief(out.Results); got != tt.want {
				t.Errorf("got %q; want %q", got, tt.want)
			}
		})
	}
}

func TestReadCriterionDir(t *testing.T) {
	fsys := fstest.MapFS{
		"g/f/1/new/benchmark.json":  {Data: []byte(`{"full_id":"g/f/1","throughput":{"Bytes":1000}}`)},
		"g/f/1/new/sample.json":     {Data: []byte(`{"sampling_mode":"Flat","iters":[2,2],"times":[2000,4000]}`)},
		"g/f/1/base/benchmark.json": {Data: []byte(`{"full_id":"g/f/1"}`)},
		"g/f/2/new/benchmark.json":  {Data: []byte(`{"full_id":"g/f/2","throughput":{"Elements":3}}`)},
		"g/f/2/new/estimates.json":  {Data: []byte(`{"mean":{"point_estimate":1000},"std_dev":{},"slope":null}`)},
		"g/f/3/new/benchmark.json":  {Data: []byte(`{"full_id":"g/f/3"}`)},
		"g/f/4/new/benchmark.json":  {Data: []byte(`{"throughput":null}`)},
	}
	out, err := ReadCriterionDir(fsys, "target/criterion")
	if err != nil {
		t.Fatal(err)
	}
	want := "g/f/1 [] cpu: sec/op smaller 1e-06 2e-06\ng/f/1 [] cpu: B/s bigger 1000000000 500000000\n" +
		"g/f/2 [] cpu: sec/op smaller 1e-06\ng/f/2 [] cpu: items/s bigger 3000000\n"
	if got := brief(out.Results); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	if out.Records != 4 || out.Parsed != 2 || len(out.Warnings) != 2 ||
		!strings.Contains(out.Warnings[0].Error(), `benchmark "g/f/3": open g/f/3/new/estimates.json`) ||
		!strings.Contains(out.Warnings[1].Error(), "target/criterion/g/f/4/new/benchmark.json: full_id: missing") {
		t.Errorf("got records %d parsed %d warnings %v; want 4, 2 and two warnings naming g/f/3 and g/f/4", out.Records, out.Parsed, out.Warnings)
	}
	if _, err := ReadCriterionDir(fstest.MapFS{"x.json": {}}, "empty"); !errors.Is(err, ErrNoResults) {
		t.Errorf("got %v; want ErrNoResults", err)
	}
}
