package results

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/perf/benchfmt"
	"golang.org/x/perf/benchunit"
)

// addTestdata adds every input file under testdata/dir to the seed corpus.
func addTestdata(f *testing.F, dir string) {
	files, err := filepath.Glob(filepath.Join("testdata", dir, "*"))
	if err != nil {
		f.Fatal(err)
	}
	for _, name := range files {
		if strings.HasSuffix(name, ".golden") {
			continue
		}
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
}

func FuzzReadNative(f *testing.F) {
	addTestdata(f, "native")
	for _, tt := range nativeGood {
		f.Add([]byte(tt.in))
	}
	for _, tt := range nativeBad {
		f.Add([]byte(tt.in))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		out, err := ReadNative(bytes.NewReader(data), "fuzz.json")
		if err != nil {
			if c := Classify(err); c != ErrJSONParse && c != ErrResultProcessing {
				t.Fatalf("got error %v classified %q; want a parse or data error", err, c)
			}
			if !strings.HasPrefix(err.Error(), "fuzz.json") {
				t.Fatalf("got error %q; want it to name the file", err)
			}
			return
		}
		if out.Parsed != out.Records || len(out.Warnings) != 0 {
			t.Fatalf("got records %d, parsed %d, warnings %v; want all parsed", out.Records, out.Parsed, out.Warnings)
		}
		for _, r := range out.Results {
			if err := r.Validate(); err != nil {
				t.Fatalf("Validate: %v", err)
			}
			checkLatencyOrder(t, &r)
		}
	})
}

// checkLatencyOrder checks, for each repetition that has latencies and
// latency metrics, min <= mean, p50 <= p90 <= p99 <= max.
func checkLatencyOrder(t *testing.T, r *Result) {
	t.Helper()
	mean, p50, p90, p99 := r.Metric(MetricLatencyMean), r.Metric(MetricLatencyP50), r.Metric(MetricLatencyP90), r.Metric(MetricLatencyP99)
	if p50 == nil || len(p50.Samples) != len(r.Iterations) {
		return // repetitions without latencies were merged in: samples do not align
	}
	for k, it := range r.Iterations {
		lo, hi := math.Inf(1), math.Inf(-1)
		for _, x := range it {
			lo, hi = math.Min(lo, x), math.Max(hi, x)
		}
		eps := 1e-9 * hi
		seq := []float64{lo, p50.Samples[k], p90.Samples[k], p99.Samples[k], hi}
		for i := 1; i < len(seq); i++ {
			if seq[i] < seq[i-1]-eps {
				t.Fatalf("%s repetition %d: got min, p50, p90, p99, max = %v; want ascending", r.Name, k+1, seq)
			}
		}
		if m := mean.Samples[k]; m < lo-eps || m > hi+eps {
			t.Fatalf("%s repetition %d: got mean %g; want within [%g, %g]", r.Name, k+1, m, lo, hi)
		}
	}
}

func FuzzReadGoBench(f *testing.F) {
	addTestdata(f, "gobench")
	for _, s := range []string{
		"BenchmarkX-8 \t 10\t 5 ns/op\t 3 MB/s\nBenchmarkX-8 \t 10\t 7 ns/op\n",
		"pkg: a\ngoos: linux\ncpu: X\nBenchmarkX/n=1-4 1 1 ns/op 2 B/op 3 allocs/op\npkg:\nBenchmarkX/n=1-4 1 2 ns/op\n",
		"Unit widgets better=higher assume=exact\nBenchmarkX 1 3 widgets\nUnit ns/op better=sideways\n",
		"BenchmarkX 1 NaN ns/op\nBenchmarkX 1 -1 ns/op\nBenchmarkX\nBenchmarkX 1\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		out, err := ReadGoBench(bytes.NewReader(data), "fuzz.txt")
		if err != nil {
			return // only I/O errors: a line over 64 KiB
		}
		if out.Parsed > out.Records || out.Records-out.Parsed > len(out.Warnings) {
			t.Fatalf("got records %d, parsed %d, %d warnings; want every unparsed record warned", out.Records, out.Parsed, len(out.Warnings))
		}
		samples := 0
		for _, r := range out.Results {
			if err := r.Validate(); err != nil {
				t.Fatalf("Validate: %v", err)
			}
			n := 0
			for _, m := range r.Metrics {
				n = max(n, len(m.Samples))
				if _, u := benchunit.Tidy(1, m.Unit); u != m.Unit {
					return // benchunit.Tidy is not idempotent on this unit: no round trip
				}
			}
			samples += n
		}
		if samples > out.Parsed {
			t.Fatalf("got %d repetitions in results; want at most %d parsed lines", samples, out.Parsed)
		}

		// Round trip: write the results back with benchfmt.Writer and
		// read them again.
		var buf bytes.Buffer
		if err := writeGoBench(&buf, out.Results); err != nil {
			t.Fatal(err)
		}
		again, err := ReadGoBench(bytes.NewReader(buf.Bytes()), "again.txt")
		if err != nil {
			t.Fatalf("re-reading: %v\n%s", err, buf.Bytes())
		}
		if len(again.Warnings) != 0 {
			t.Fatalf("re-reading: got warnings %v\n%s", again.Warnings, buf.Bytes())
		}
		if got, want := renderResults(again.Results), renderResults(out.Results); got != want {
			t.Fatalf("round trip: got\n%s\nwant\n%s\nvia\n%s", got, want, buf.Bytes())
		}
	})
}

// render of results alone (no counts), for round trips.
func renderResults(rs []Result) string {
	return render(ReadOutput{Results: rs})
}

// writeGoBench writes results as Go benchmark text with unit metadata for
// every metric's direction and exactness: one line per repetition.
func writeGoBench(buf *bytes.Buffer, rs []Result) error {
	w := benchfmt.NewWriter(buf)
	units := map[string]bool{}
	for _, r := range rs {
		for _, m := range r.Metrics {
			if units[m.Unit] {
				continue
			}
			units[m.Unit] = true
			better, assume := "lower", "nothing"
			if m.Better == BiggerIsBetter {
				better = "higher"
			}
			if m.Exact {
				assume = "exact"
			}
			for _, md := range [][2]string{{"better", better}, {"assume", assume}} {
				u := &benchfmt.UnitMetadata{UnitMetadataKey: benchfmt.UnitMetadataKey{Unit: m.Unit, Key: md[0]}, OrigUnit: m.Unit, Value: md[1]}
				if err := w.Write(u); err != nil {
					return err
				}
			}
		}
	}
	for _, r := range rs {
		var cfg []benchfmt.Config
		for _, kv := range [][2]string{{"pkg", r.Params["pkg"]}, {"goos", r.Params["goos"]}, {"goarch", r.Params["goarch"]}, {"cpu", r.Hardware.DeviceName}} {
			if kv[1] != "" {
				cfg = append(cfg, benchfmt.Config{Key: kv[0], Value: []byte(kv[1]), File: true})
			}
		}
		name := strings.TrimPrefix(r.Name, "Benchmark")
		if p := r.Params["procs"]; p != "" {
			name += "-" + p
		}
		n := 0
		for _, m := range r.Metrics {
			n = max(n, len(m.Samples))
		}
		for i := range n {
			res := &benchfmt.Result{Config: cfg, Name: benchfmt.Name(name), Iters: 1}
			for _, m := range r.Metrics {
				if i < len(m.Samples) {
					res.Values = append(res.Values, benchfmt.Value{Value: m.Samples[i], Unit: m.Unit})
				}
			}
			if err := w.Write(res); err != nil {
				return err
			}
		}
	}
	return nil
}
