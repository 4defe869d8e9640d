package results

import (
	"bufio"
	"bytes"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// countBenchLines counts the lines that start with "Benchmark" and hold a
// tab, independently of benchfmt.
func countBenchLines(t *testing.T, data []byte) int {
	t.Helper()
	n := 0
	s := bufio.NewScanner(bytes.NewReader(data))
	for s.Scan() {
		if strings.HasPrefix(s.Text(), "Benchmark") && strings.Contains(s.Text(), "\t") {
			n++
		}
	}
	if err := s.Err(); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestReadGoBenchRealData(t *testing.T) {
	tests := []struct {
		file    string
		series  int
		samples int                  // per metric of every series
		metrics map[string]Direction // metrics of every series
		exact   string               // the one exact metric, if any
		bench   string               // a benchmark to check values of
		params  string
		device  string
		first   map[string]float64 // its first sample per metric
	}{
		{
			file:    "Kodik77rus__fs_syncer__bench.txt",
			series:  1,
			samples: 1,
			metrics: map[string]Direction{"sec/op": SmallerIsBetter, "B/op": SmallerIsBetter, "allocs/op": SmallerIsBetter},
			exact:   "allocs/op",
			bench:   "BenchmarkCopyFileContent",
			params:  "pkg=github.com/Kodik77rus/fs_syncer/internal/pkg/utils,procs=4",
			first:   map[string]float64{"sec/op": 0.037672101, "B/op": 257, "allocs/op": 6},
		},
		{
			file:    "golang__perf__crc-new.txt",
			series:  36,
			samples: 10,
			metrics: map[string]Direction{"sec/op": SmallerIsBetter, "B/s": BiggerIsBetter},
			bench:   "BenchmarkCRC32/poly=IEEE/size=15/align=0",
			params:  "goarch=amd64,goos=darwin,pkg=hash/crc32,procs=8",
			first:   map[string]float64{"sec/op": 43.6e-9, "B/s": 343.87e6},
		},
		{
			file:    "golang__perf__crc-old.txt",
			series:  36,
			samples: 10,
			metrics: map[string]Direction{"sec/op": SmallerIsBetter, "B/s": BiggerIsBetter},
			bench:   "BenchmarkCRC32/poly=Koopman/size=32kB/align=1",
			params:  "goarch=amd64,goos=darwin,pkg=hash/crc32,procs=8",
			first:   map[string]float64{"sec/op": 70108e-9, "B/s": 467.39e6},
		},
		{
			file:    "golang__perf__suffixarray.bench",
			series:  42,
			samples: 10,
			metrics: map[string]Direction{"sec/op": SmallerIsBetter, "B/s": BiggerIsBetter, "B/op": SmallerIsBetter, "allocs/op": SmallerIsBetter},
			exact:   "allocs/op",
			bench:   "BenchmarkSaveRestore/bits=32",
			params:  "goarch=amd64,goos=linux,pkg=index/suffixarray,procs=8",
			device:  "Intel(R) Core(TM) i7-8665U CPU @ 1.90GHz",
			first:   map[string]float64{"sec/op": 12350280e-9, "B/s": 338.43e6, "B/op": 5275651, "allocs/op": 4},
		},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata", "gobench", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			out, err := ReadGoBench(bytes.NewReader(data), tt.file)
			if err != nil {
				t.Fatalf("ReadGoBench: %v", err)
			}
			lines := countBenchLines(t, data)
			if out.Records != lines || out.Parsed != lines {
				t.Errorf("got records %d, parsed %d; want %d benchmark lines each", out.Records, out.Parsed, lines)
			}
			if len(out.Warnings) != 0 {
				t.Errorf("got warnings %v; want none", out.Warnings)
			}
			if got := len(out.Results); got != tt.series {
				t.Errorf("got %d series; want %d", got, tt.series)
			}
			total := 0
			var found *Result
			for i := range out.Results {
				r := &out.Results[i]
				if err := r.Validate(); err != nil {
					t.Errorf("Validate: %v", err)
				}
				if r.Hardware.Type != "cpu" || r.Hardware.DeviceName != tt.device {
					t.Errorf("%s: got hardware %q (%q); want cpu (%q)", r.Name, r.Hardware.Type, r.Hardware.DeviceName, tt.device)
				}
				if len(r.Metrics) != len(tt.metrics) {
					t.Errorf("%s: got %d metrics; want %d", r.Name, len(r.Metrics), len(tt.metrics))
				}
				for _, m := range r.Metrics {
					if want, ok := tt.metrics[m.Name]; !ok || m.Better != want {
						t.Errorf("%s %s: got direction %v (known %v); want %v", r.Name, m.Name, m.Better, ok, want)
					}
					if m.Unit != m.Name {
						t.Errorf("%s %s: got unit %q; want the metric name", r.Name, m.Name, m.Unit)
					}
					if m.Exact != (m.Name == tt.exact) {
						t.Errorf("%s %s: got exact %v; want %v", r.Name, m.Name, m.Exact, m.Name == tt.exact)
					}
					if len(m.Samples) != tt.samples {
						t.Errorf("%s %s: got %d samples; want %d", r.Name, m.Name, len(m.Samples), tt.samples)
					}
				}
				total += len(r.Metric("sec/op").Samples)
				if r.Name == tt.bench {
					found = r
				}
			}
			if total != lines {
				t.Errorf("got %d sec/op samples in all; want one per benchmark line (%d)", total, lines)
			}
			if found == nil {
				t.Fatalf("got no benchmark %s", tt.bench)
			}
			if got := found.ParamString(); got != tt.params {
				t.Errorf("%s: got params %q; want %q", tt.bench, got, tt.params)
			}
			for name, want := range tt.first {
				m := found.Metric(name)
				if m == nil {
					t.Errorf("%s: got no metric %s", tt.bench, name)
					continue
				}
				if got := m.Samples[0]; math.Abs(got-want) > 1e-12*want {
					t.Errorf("%s %s: got first sample %g; want %g", tt.bench, name, got, want)
				}
			}
		})
	}
}

func TestReadGoBenchGolden(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "gobench", "*"))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, f := range files {
		if strings.HasSuffix(f, ".golden") {
			continue
		}
		n++
		t.Run(filepath.Base(f), func(t *testing.T) {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			out, err := ReadGoBench(bytes.NewReader(data), filepath.Base(f))
			if err != nil {
				t.Fatalf("ReadGoBench: %v", err)
			}
			checkGolden(t, f+".golden", render(out))
		})
	}
	if n != 4 {
		t.Errorf("got %d input files in testdata/gobench; want 4", n)
	}
}

func TestReadGoBench(t *testing.T) {
	tests := []struct {
		name     string
		in       string
		want     string   // brief(Results)
		records  int      // benchmark lines
		parsed   int      // of which parsed
		warnings []string // each a substring of one warning, in order
	}{
		{
			name:    "count repetitions are samples in order",
			in:      "BenchmarkX-8 \t 10\t 5 ns/op\nBenchmarkX-8 \t 10\t 7 ns/op\nBenchmarkX-8 \t 10\t 6 ns/op\n",
			want:    "BenchmarkX [procs=8] cpu: sec/op smaller 5e-09 7e-09 6e-09\n",
			records: 3, parsed: 3,
		},
		{
			name: "cpu variants stay distinct",
			in:   "BenchmarkX-4 10 5 ns/op\nBenchmarkX-8 10 3 ns/op\nBenchmarkX-4 10 6 ns/op\n",
			want: "BenchmarkX [procs=4] cpu: sec/op smaller 5e-09 6e-09\n" +
				"BenchmarkX [procs=8] cpu: sec/op smaller 3e-09\n",
			records: 3, parsed: 3,
		},
		{
			name: "packages stay distinct",
			in:   "pkg: a\nBenchmarkX 10 5 ns/op\npkg: b\nBenchmarkX 10 3 ns/op\npkg: a\nBenchmarkX 10 4 ns/op\n",
			want: "BenchmarkX [pkg=a] cpu: sec/op smaller 5e-09 4e-09\n" +
				"BenchmarkX [pkg=b] cpu: sec/op smaller 3e-09\n",
			records: 3, parsed: 3,
		},
		{
			name: "cpu config is the device and other config is ignored",
			in: "goos: linux\ngoarch: arm64\ncpu: A\nnote: one\nBenchmarkX/n=1-2 10 5 ns/op\n" +
				"note: two\nBenchmarkX/n=1-2 10 6 ns/op\ncpu: B\nBenchmarkX/n=1-2 10 7 ns/op\n",
			want: "BenchmarkX/n=1 [goarch=arm64,goos=linux,procs=2] cpu (A): sec/op smaller 5e-09 6e-09\n" +
				"BenchmarkX/n=1 [goarch=arm64,goos=linux,procs=2] cpu (B): sec/op smaller 7e-09\n",
			records: 3, parsed: 3,
		},
		{
			name: "units are tidied and directed",
			in:   "BenchmarkX 10 5 ns/op 2 MB/s 16 B/op 1 allocs/op 7 frobs/s 3 widgets 4 ns/frob\n",
			want: "BenchmarkX [] cpu: sec/op smaller 5e-09\n" +
				"BenchmarkX [] cpu: B/s bigger 2000000\n" +
				"BenchmarkX [] cpu: B/op smaller 16\n" +
				"BenchmarkX [] cpu: allocs/op smaller exact 1\n" +
				"BenchmarkX [] cpu: frobs/s bigger 7\n" +
				"BenchmarkX [] cpu: widgets smaller 3\n" +
				"BenchmarkX [] cpu: sec/frob smaller 4e-09\n",
			records: 1, parsed: 1,
		},
		{
			// Issue 15, item 10: benchfmt keeps "0 ns/op" as ns/op.
			name: "a zero value gets the tidied unit of its series",
			in: "BenchmarkX-4 10 0 ns/op 0 MB/s 0 ns/frob\nBenchmarkX-4 10 1 ns/op 2 MB/s 3 ns/frob\n" +
				"BenchmarkX-4 10 0 ns/op 0 MB/s 0 ns/frob\nUnit ns/op better=higher\n",
			want: "BenchmarkX [procs=4] cpu: sec/op bigger 0 1e-09 0\n" +
				"BenchmarkX [procs=4] cpu: B/s bigger 0 2000000 0\n" +
				"BenchmarkX [procs=4] cpu: sec/frob smaller 0 3e-09 0\n",
			records: 3, parsed: 3,
		},
		{
			name:     "a zero value repeating a tidied unit is a warning",
			in:       "BenchmarkX 10 1 ns/op 0 sec/op\nBenchmarkX 10 2 ns/op\n",
			want:     "BenchmarkX [] cpu: sec/op smaller 2e-09\n",
			records:  2,
			parsed:   1,
			warnings: []string{"in.txt:1: sec/op: benchmark \"BenchmarkX\": value 0 sec/op repeats the unit"},
		},
		{
			name: "unit metadata before and after results",
			in: "Unit widgets better=higher\nUnit B/op assume=exact\nBenchmarkX 10 3 widgets 16 B/op 1 allocs/op 2 ns/op\n" +
				"Unit allocs/op assume=nothing\nUnit ns/op better=higher\n",
			want: "BenchmarkX [] cpu: widgets bigger 3\n" +
				"BenchmarkX [] cpu: B/op smaller exact 16\n" +
				"BenchmarkX [] cpu: allocs/op smaller 1\n" +
				"BenchmarkX [] cpu: sec/op bigger 2e-09\n",
			records: 1, parsed: 1,
		},
		{
			name:     "invalid unit metadata is a warning",
			in:       "Unit widgets better=sideways\nUnit\nUnit widgets assume\nBenchmarkX 10 3 widgets\n",
			want:     "BenchmarkX [] cpu: widgets smaller 3\n",
			records:  1,
			parsed:   1,
			warnings: []string{`in.txt:1: widgets: unit metadata better=sideways is not understood`, "in.txt:2: missing unit", "in.txt:3: expected key=value"},
		},
		{
			name:    "syntax errors are warnings and the rest is read",
			in:      "BenchmarkX 10 5 ns/op\nBenchmarkY 10\nBenchmarkZ ten 5 ns/op\nBenchmarkW 10 5\nBenchmarkX 10 6 ns/op\n",
			want:    "BenchmarkX [] cpu: sec/op smaller 5e-09 6e-09\n",
			records: 5, parsed: 2,
			warnings: []string{"in.txt:2: missing measurements", "in.txt:3: parsing iteration count", "in.txt:4: missing units"},
		},
		{
			name: "invalid values are warnings",
			in: "BenchmarkX 10 NaN ns/op\nBenchmarkX 10 -5 ns/op\nBenchmarkX 10 5 ns/op 6 ns/op\n" +
				"BenchmarkX 10 +Inf B/op\nBenchmarkX 10 1e400 ns/op\nBenchmarkX 10 1 ns/op\n",
			want:    "BenchmarkX [] cpu: sec/op smaller 1e-09\n",
			records: 6, parsed: 1,
			warnings: []string{"in.txt:1: sec/op: benchmark \"BenchmarkX\": value NaN ns/op is not finite",
				"in.txt:2: sec/op: benchmark \"BenchmarkX\": value -5 ns/op is negative",
				"in.txt:3: sec/op: benchmark \"BenchmarkX\": value 6 ns/op repeats the unit",
				"in.txt:4: B/op: benchmark \"BenchmarkX\": value +Inf B/op is not finite",
				"in.txt:5: parsing measurement"},
		},
		{
			name: "logs, test -v name lines and CRLF",
			in: "=== RUN   TestA\n--- PASS: TestA\n2023/11/28 INFO hello\nBenchmarkX\r\nBenchmarkX-8   \t  10\t  5 ns/op\r\n" +
				"PASS\nok  \tpkg\t1.2s\n",
			want:    "BenchmarkX [procs=8] cpu: sec/op smaller 5e-09\n",
			records: 1, parsed: 1,
		},
		{
			name: "nothing at all",
			in:   "PASS\nok  \tpkg\t0.1s\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := ReadGoBench(strings.NewReader(tt.in), "in.txt")
			if err != nil {
				t.Fatalf("ReadGoBench: %v", err)
			}
			if got := brief(out.Results); got != tt.want {
				t.Errorf("got results\n%s; want\n%s", got, tt.want)
			}
			if out.Records != tt.records || out.Parsed != tt.parsed {
				t.Errorf("got records %d, parsed %d; want %d, %d", out.Records, out.Parsed, tt.records, tt.parsed)
			}
			if len(out.Warnings) != len(tt.warnings) {
				t.Fatalf("got warnings %q; want %d like %q", out.Warnings, len(tt.warnings), tt.warnings)
			}
			for i, w := range out.Warnings {
				if !strings.Contains(w.Error(), tt.warnings[i]) {
					t.Errorf("got warning %q; want it to contain %q", w, tt.warnings[i])
				}
			}
			for _, r := range out.Results {
				if err := r.Validate(); err != nil {
					t.Errorf("Validate: %v", err)
				}
			}
		})
	}
}

func TestReadGoBenchLongLines(t *testing.T) {
	in := "BenchmarkX 10 5 ns/op\n" +
		"Benchmark" + strings.Repeat("y", 70_000) + " 10 5 ns/op\n" +
		"2023/11/28 INFO " + strings.Repeat("z", 200_000) + "\n" +
		"BenchmarkX 10 6 ns/op"
	out, err := ReadGoBench(strings.NewReader(in), "long.txt")
	if err != nil {
		t.Fatalf("ReadGoBench: %v", err)
	}
	if got, want := brief(out.Results), "BenchmarkX [] cpu: sec/op smaller 5e-09 6e-09\n"; got != want {
		t.Errorf("got %q; want %q", got, want)
	}
	if out.Records != 3 || out.Parsed != 2 {
		t.Errorf("got records %d, parsed %d; want 3, 2", out.Records, out.Parsed)
	}
	if len(out.Warnings) != 1 || !strings.Contains(out.Warnings[0].Error(), "long.txt:2: line longer than 61440 bytes; skipped") {
		t.Errorf("got warnings %v; want one for long.txt:2", out.Warnings)
	}
}
