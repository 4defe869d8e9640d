package results

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParseFormat(t *testing.T) {
	tests := []struct {
		in      string
		want    Format
		wantErr bool
	}{
		{"", FormatAuto, false},
		{"auto", FormatAuto, false},
		{"native", FormatNative, false},
		{" Native ", FormatNative, false},
		{"go", FormatGoBench, false},
		{"gobench", FormatGoBench, false},
		{"go-bench", FormatGoBench, false},
		{"GO-BENCH", FormatGoBench, false},
		{"json", "", true},
		{"csv", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseFormat(tt.in)
			if got != tt.want || (err != nil) != tt.wantErr {
				t.Errorf("got ParseFormat(%q) = %q, %v; want %q, error %v", tt.in, got, err, tt.want, tt.wantErr)
			}
			if err != nil && !strings.Contains(err.Error(), "want one of: auto, native, go, gab") {
				t.Errorf("got error %q; want it to list the formats", err)
			}
		})
	}
}

func TestDetect(t *testing.T) {
	tests := []struct {
		name, file, head string
		want             Format
	}{
		{"JSON object", "out.txt", "\n  {\"name\": \"m\"}", FormatNative},
		{"JSON with BOM", "out", "\xef\xbb\xbf{}", FormatNative},
		{"JSON array", "out", "[{}]", FormatNative},
		{"benchmark line", "out.json", "goos: linux\nBenchmarkX 1 1 ns/op\n", FormatGoBench},
		{"config line first", "out", "pkg: a/b\n", FormatGoBench},
		{"benchmark after logs", "out", "=== RUN TestX\nok\nBenchmarkX-8\t1\t1 ns/op\n", FormatGoBench},
		{"unknown text named json", "out.json", "Loading model...\n", FormatNative},
		{"unknown text named jsonl", "OUT.JSONL", "", FormatNative},
		{"unknown text", "bench.txt", "2023/11/28 INFO hello\n", FormatGoBench},
		{"empty", "", "", FormatGoBench},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Detect(tt.file, []byte(tt.head)); got != tt.want {
				t.Errorf("got Detect(%q, %q) = %q; want %q", tt.file, tt.head, got, tt.want)
			}
		})
	}
}

func TestReadDetectsEveryTestdataFile(t *testing.T) {
	for _, dir := range []struct {
		dir  string
		want Format
	}{{"gobench", FormatGoBench}, {"native", FormatNative}} {
		files, err := filepath.Glob(filepath.Join("testdata", dir.dir, "*"))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			if strings.HasSuffix(f, ".golden") {
				continue
			}
			t.Run(filepath.Base(f), func(t *testing.T) {
				fh, err := os.Open(f)
				if err != nil {
					t.Fatal(err)
				}
				defer fh.Close()
				out, err := Read(fh, "data", FormatAuto) // a name that does not tell
				if err != nil {
					t.Fatalf("Read: %v", err)
				}
				if out.Format != dir.want || len(out.Results) == 0 {
					t.Errorf("got format %q with %d results; want %q with some", out.Format, len(out.Results), dir.want)
				}
			})
		}
	}
}

func TestRead(t *testing.T) {
	tests := []struct {
		name     string
		in       string
		format   Format
		results  int
		wantType ErrorType // Classify of the error; "" for none
		wantErr  string
	}{
		{name: "native", in: `{"name": "m", "latencies_ms": [1]}`, format: FormatNative, results: 1},
		{name: "go", in: "BenchmarkX 1 1 ns/op\n", format: FormatGoBench, results: 1},
		{name: "auto native", in: `{"name": "m", "latencies_ms": [1]}`, format: FormatAuto, results: 1},
		{name: "auto go", in: "BenchmarkX 1 1 ns/op\nBenchmarkY 1 1 ns/op\n", format: "", results: 2},
		{name: "native syntax error", in: `{"name": "m"`, format: FormatAuto, wantType: ErrJSONParse, wantErr: "in.out:1: truncated JSON"},
		{name: "native data error", in: `{"name": "m", "metrics": {"x": 1}}`, format: FormatNative, wantType: ErrResultProcessing, wantErr: `unknown metric "x"`},
		{name: "native empty", in: "", format: FormatNative, wantType: ErrJSONParse, wantErr: "empty input"},
		{name: "native empty wrapper", in: `{"results": []}`, format: FormatNative, wantType: ErrResultProcessing, wantErr: "in.out: no benchmark results"},
		{name: "go without benchmarks", in: "PASS\nok  \tpkg\t0.1s\n", format: FormatGoBench, wantType: ErrResultProcessing, wantErr: "in.out: no benchmark results"},
		{name: "go with only bad lines", in: "BenchmarkX 1\n", format: FormatGoBench, wantType: ErrResultProcessing,
			wantErr: "in.out: no benchmark results (1 warning; first: in.out:1: missing measurements)"},
		{name: "unknown format", in: "", format: "csv", wantType: ErrUnexpected, wantErr: `reading in.out: unknown format "csv"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := Read(strings.NewReader(tt.in), "in.out", tt.format)
			if got := Classify(err); got != tt.wantType {
				t.Errorf("got error %v classified %q; want %q", err, got, tt.wantType)
			}
			if err != nil && !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("got error %q; want it to contain %q", err, tt.wantErr)
			}
			if err == nil && len(out.Results) != tt.results {
				t.Errorf("got %d results; want %d", len(out.Results), tt.results)
			}
			if tt.wantErr != "" && strings.Contains(tt.wantErr, "no benchmark results") && !errors.Is(err, ErrNoResults) {
				t.Errorf("got error %v; want it to wrap ErrNoResults", err)
			}
		})
	}
}

// failingReader fails after its data.
type failingReader struct{ data string }

func (r *failingReader) Read(p []byte) (int, error) {
	if r.data == "" {
		return 0, errors.New("disk on fire")
	}
	n := copy(p, r.data)
	r.data = r.data[n:]
	return n, nil
}

func TestReadIOError(t *testing.T) {
	for _, f := range []Format{FormatNative, FormatGoBench, FormatAuto} {
		t.Run(string(f), func(t *testing.T) {
			_, err := Read(&failingReader{data: "BenchmarkX 1 1 ns/op\n"}, "in.out", f)
			if err == nil || !strings.Contains(err.Error(), "disk on fire") || Classify(err) != ErrUnexpected {
				t.Errorf("got %v classified %q; want the I/O error classified %q", err, Classify(err), ErrUnexpected)
			}
		})
	}
}

func TestClassify(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want ErrorType
	}{
		{"nil", nil, ""},
		{"parse error", &ParseError{File: "f", Err: io.ErrUnexpectedEOF}, ErrJSONParse},
		{"wrapped parse error", fmt.Errorf("runner: %w", &ParseError{File: "f", Err: io.ErrUnexpectedEOF}), ErrJSONParse},
		{"data error", &DataError{File: "f", Key: "k", Err: errors.New("bad")}, ErrResultProcessing},
		{"no results", fmt.Errorf("x: %w", ErrNoResults), ErrResultProcessing},
		{"other", io.ErrClosedPipe, ErrUnexpected},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Classify(tt.err); got != tt.want {
				t.Errorf("got Classify(%v) = %q; want %q", tt.err, got, tt.want)
			}
		})
	}
}

func TestErrorStrings(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"parse with line", &ParseError{File: "a.json", Line: 3, Err: errors.New("bad")}, "a.json:3: bad"},
		{"parse without line", &ParseError{File: "a.json", Err: errors.New("bad")}, "a.json: bad"},
		{"data with key", &DataError{File: "a.json", Line: 2, Key: "metrics", Err: errors.New("bad")}, "a.json:2: metrics: bad"},
		{"data without file", &DataError{Line: 2, Err: errors.New("bad")}, "line 2: bad"},
		{"data bare", &DataError{Err: errors.New("bad")}, "bad"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.err.Error(); got != tt.want {
				t.Errorf("got %q; want %q", got, tt.want)
			}
		})
	}
}
