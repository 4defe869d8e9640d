package results

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// realFiles lists the real tool outputs under testdata/dir (golden files
// and notes excluded), for golden tests, detection and fuzz seeds.
func realFiles(t testing.TB, dir string) []string {
	t.Helper()
	var files []string
	err := filepath.WalkDir(filepath.Join("testdata", dir), func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && (strings.HasSuffix(p, ".json") || strings.HasSuffix(p, ".js")) {
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatalf("no files under testdata/%s", dir)
	}
	return files
}

// foreignDirs are the testdata directories of other tools' formats with
// the format each file must be detected as.
var foreignDirs = []struct {
	dir  string
	want Format
}{
	{"gab", FormatGAB},
	{"gab-data.js", FormatGABHistory},
	{"pytest", FormatPytest},
	{"googlebench", FormatGoogleBenchmark},
	{"hyperfine", FormatHyperfine},
	{"criterion", FormatCriterion},
}

func TestDetectRealFiles(t *testing.T) {
	for _, d := range foreignDirs {
		for _, f := range realFiles(t, d.dir) {
			t.Run(strings.TrimPrefix(f, "testdata/"), func(t *testing.T) {
				data, err := os.ReadFile(f)
				if err != nil {
					t.Fatal(err)
				}
				// A name that does not tell, the whole file and the
				// head Read sees.
				for _, head := range [][]byte{data, data[:min(len(data), detectBytes)]} {
					if got := Detect("data", head); got != d.want {
						t.Errorf("got Detect of %d bytes = %q; want %q", len(head), got, d.want)
					}
				}
			})
		}
	}
}

func TestReadForeignGolden(t *testing.T) {
	for _, d := range foreignDirs {
		if d.want == FormatGABHistory {
			continue // TestReadGABHistoryGolden
		}
		for _, f := range realFiles(t, d.dir) {
			t.Run(strings.TrimPrefix(f, "testdata/"), func(t *testing.T) {
				data, err := os.ReadFile(f)
				if err != nil {
					t.Fatal(err)
				}
				out, err := Read(bytes.NewReader(data), f, FormatAuto)
				got := render(out)
				if err != nil {
					got += fmt.Sprintf("error (%s): %v\n", Classify(err), err)
				}
				checkGolden(t, f+".golden", got)
			})
		}
	}
}

func TestReadCriterionDirGolden(t *testing.T) {
	out, err := ReadCriterionDir(os.DirFS("testdata/criterion"), "criterion")
	if err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "testdata/criterion.golden", render(out))
}

func TestReadGABHistoryGolden(t *testing.T) {
	for _, f := range realFiles(t, "gab-data.js") {
		t.Run(filepath.Base(f), func(t *testing.T) {
			fh, err := os.Open(f)
			if err != nil {
				t.Fatal(err)
			}
			defer fh.Close()
			h, err := ReadGABHistory(fh, f)
			if err != nil {
				t.Fatal(err)
			}
			checkGolden(t, f+".golden", renderHistory(h))
		})
	}
}

// renderHistory dumps a history as stable text.
func renderHistory(h GABHistory) string {
	var b strings.Builder
	fmt.Fprintf(&b, "repo=%s lastUpdate=%s records=%d parsed=%d warnings=%d\n",
		h.RepoURL, h.LastUpdate.Format(time.RFC3339Nano), h.Records, h.Parsed, len(h.Warnings))
	for _, w := range h.Warnings {
		fmt.Fprintf(&b, "warning: %v\n", w)
	}
	for _, e := range h.Entries {
		fmt.Fprintf(&b, "\n=== %s[%d] line %d tool=%s date=%s\n    commit %s %s by %s at %s\n    %q\n",
			e.Suite, e.Index, e.Line, e.Tool, e.Date.Format(time.RFC3339Nano),
			e.Commit.ID, e.Commit.URL, e.Commit.Author, e.Commit.Timestamp.Format(time.RFC3339), firstLine(e.Commit.Message))
		b.WriteString(render(ReadOutput{Format: FormatGABHistory, Results: e.Results}))
	}
	return b.String()
}

func firstLine(s string) string {
	l, _, _ := strings.Cut(s, "\n")
	return l
}
