package results

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"
	"unicode/utf8"
)

// addRealFiles adds the real files under testdata/dir and extra inputs to
// the seed corpus.
func addRealFiles(f *testing.F, dir string, extra ...string) {
	for _, name := range realFiles(f, dir) {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	for _, s := range extra {
		f.Add([]byte(s))
	}
}

// checkForeign checks what every reader of another tool's format
// promises: a classified error naming the file, or results that validate
// and counts that add up.
func checkForeign(t *testing.T, out ReadOutput, err error) {
	t.Helper()
	if err != nil {
		if c := Classify(err); c != ErrJSONParse && c != ErrResultProcessing {
			t.Fatalf("got error %v classified %q; want a parse or data error", err, c)
		}
		if !strings.HasPrefix(err.Error(), "fuzz.json") {
			t.Fatalf("got error %q; want it to name the file", err)
		}
		return
	}
	if out.Parsed > out.Records || out.Records-out.Parsed > len(out.Warnings) {
		t.Fatalf("got records %d, parsed %d, %d warnings; want every skipped record warned", out.Records, out.Parsed, len(out.Warnings))
	}
	for _, r := range out.Results {
		if err := r.Validate(); err != nil {
			t.Fatalf("Validate: %v", err)
		}
		for _, m := range r.Metrics {
			if m.Better != SmallerIsBetter && m.Better != BiggerIsBetter {
				t.Fatalf("%s %s: no direction", r.Name, m.Name)
			}
		}
	}
}

func FuzzReadGAB(f *testing.F) {
	addRealFiles(f, "gab", `[{"name": "a", "unit": "ms", "value": 1}, {"name": "a", "unit": "ns/op\t 3 B/op", "value": 2}]`,
		`[{"name": "a", "unit": "ops/s", "value": -1}, {"name": "b"}, 3, null]`)
	f.Fuzz(func(t *testing.T, data []byte) {
		out, err := ReadGAB(bytes.NewReader(data), "fuzz.json", FormatGABSmaller)
		checkForeign(t, out, err)
		if err != nil {
			return
		}
		// Round trip: what was read, written back as custom JSON in base
		// units, reads the same.
		type bench struct {
			Name  string  `json:"name"`
			Unit  string  `json:"unit"`
			Value float64 `json:"value"`
		}
		var benches []bench
		for _, r := range out.Results {
			for _, m := range r.Metrics {
				if !utf8.ValidString(r.Name) || !utf8.ValidString(m.Unit) {
					return // JSON would replace the invalid bytes
				}
				benches = append(benches, bench{r.Name, m.Unit, m.Samples[0]})
			}
		}
		again, err := json.Marshal(benches)
		if err != nil {
			t.Fatal(err)
		}
		out2, err := ReadGAB(bytes.NewReader(again), "again.json", FormatGABSmaller)
		if err != nil || len(out2.Warnings) != 0 {
			t.Fatalf("re-reading %s: %v %v", again, err, out2.Warnings)
		}
		if got, want := renderResults(out2.Results), renderResults(out.Results); got != want {
			t.Fatalf("round trip: got\n%s\nwant\n%s", got, want)
		}
	})
}

func FuzzReadGABHistory(f *testing.F) {
	addRealFiles(f, "gab-data.js", gabHistoryOK, `{"entries": {"a": [{"commit": {"id": "x"}, "date": 1e300, "tool": "go", "benches": [{}]}]}}`)
	f.Fuzz(func(t *testing.T, data []byte) {
		h, err := ReadGABHistory(bytes.NewReader(data), "fuzz.json")
		if err != nil {
			checkForeign(t, ReadOutput{}, err)
			return
		}
		if h.Parsed != len(h.Entries) || h.Parsed > h.Records || h.Records-h.Parsed > len(h.Warnings) {
			t.Fatalf("got records %d, parsed %d, %d entries, %d warnings; want every skipped entry warned", h.Records, h.Parsed, len(h.Entries), len(h.Warnings))
		}
		for _, e := range h.Entries {
			if e.Commit.ID == "" || e.Date.IsZero() || len(e.Results) == 0 {
				t.Fatalf("entry %s[%d]: got commit %q date %v %d results; want all set", e.Suite, e.Index, e.Commit.ID, e.Date, len(e.Results))
			}
			checkForeign(t, ReadOutput{Results: e.Results}, nil)
		}
	})
}

func FuzzReadPytest(f *testing.F) {
	addRealFiles(f, "pytest", `{"benchmarks": [{"name": "a", "stats": {"mean": 1, "data": [1, 2]}}, {"name": "b"}]}`)
	f.Fuzz(func(t *testing.T, data []byte) {
		out, err := ReadPytest(bytes.NewReader(data), "fuzz.json")
		checkForeign(t, out, err)
	})
}

func FuzzReadGoogleBenchmark(f *testing.F) {
	addRealFiles(f, "googlebench", `{"benchmarks": [{"name": "a", "run_type": "aggregate", "aggregate_name": "mean", "real_time": 1}, {"name": "b", "error_occurred": true}]}`)
	f.Fuzz(func(t *testing.T, data []byte) {
		out, err := ReadGoogleBenchmark(bytes.NewReader(data), "fuzz.json")
		checkForeign(t, out, err)
	})
}

func FuzzReadHyperfine(f *testing.F) {
	addRealFiles(f, "hyperfine", `{"results": [{"command": "a", "times": [1, 0], "exit_codes": [0, null], "parameters": {"x": 1}}]}`)
	f.Fuzz(func(t *testing.T, data []byte) {
		out, err := ReadHyperfine(bytes.NewReader(data), "fuzz.json")
		checkForeign(t, out, err)
	})
}

func FuzzReadCriterion(f *testing.F) {
	addRealFiles(f, "criterion", `{"iters": [1e-300], "times": [1e300]}`)
	f.Fuzz(func(t *testing.T, data []byte) {
		out, err := ReadCriterion(bytes.NewReader(data), "fuzz.json")
		checkForeign(t, out, err)
	})
}
