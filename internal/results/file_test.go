package results

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// lowerLimit sets maxFileBytes to n for the test.
func lowerLimit(t *testing.T, n int64) {
	t.Helper()
	old := maxFileBytes
	maxFileBytes = n
	t.Cleanup(func() { maxFileBytes = old })
}

// sparseFile makes a sparse file of size bytes (zeros) named name in dir.
func sparseFile(t *testing.T, dir, name string, size int64) string {
	t.Helper()
	p := filepath.Join(dir, name)
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(size); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestReadFileRefused checks that ReadFile refuses, fast and with an error
// naming the file, inputs it used to read until memory ran out: a device
// that never ends, and a file over the limit on formats read whole (issue
// 15, item 3).
func TestReadFileRefused(t *testing.T) {
	lowerLimit(t, 1<<20)
	dir := t.TempDir()
	big := sparseFile(t, dir, "big.json", 1<<30)
	tests := []struct {
		name, path, format string
		want               string
	}{
		{"device, auto", "/dev/zero", "auto", "/dev/zero: is a character device, not a regular file or a pipe; not read"},
		{"device, go", "/dev/zero", "go", "/dev/zero: is a character device, not a regular file or a pipe; not read"},
		{"sparse file, auto", big, "auto", big + ": larger than the 1 MiB limit on an input read whole"},
		{"sparse file, native", big, "native", big + ": larger than the 1 MiB limit on an input read whole"},
		{"sparse file, hyperfine", big, "hyperfine", big + ": larger than the 1 MiB limit on an input read whole"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := ReadFile(tt.path, tt.format, nil)
			if err == nil || err.Error() != tt.want {
				t.Fatalf("ReadFile(%s): got %v; want %q", tt.path, err, tt.want)
			}
			if got := Classify(err); got != ErrResultProcessing {
				t.Errorf("Classify: got %s; want %s", got, ErrResultProcessing)
			}
		})
	}
}

// TestReadFileStreams checks that Go benchmark text is not held to the
// limit (it is streamed), that a pipe is read, and that ReadFile returns
// the digest of the content.
func TestReadFileStreams(t *testing.T) {
	lowerLimit(t, 1<<10)
	var text strings.Builder
	for i := range 200 {
		fmt.Fprintf(&text, "BenchmarkX-8\t10\t%d ns/op\n", i+1)
	}
	dir := t.TempDir()
	plain := filepath.Join(dir, "bench.txt")
	if err := os.WriteFile(plain, []byte(text.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	fifo := filepath.Join(dir, "fifo.txt")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	wrote := make(chan error, 1)
	go func() {
		// Opening for writing waits for ReadFile to open for reading.
		wrote <- os.WriteFile(fifo, []byte(text.String()), 0o644)
	}()
	want := sha256.Sum256([]byte(text.String()))
	for _, p := range []string{plain, fifo} {
		rs, digest, err := ReadFile(p, "auto", nil)
		if err != nil {
			t.Fatalf("ReadFile(%s): %v", p, err)
		}
		if len(rs) != 1 || len(rs[0].Metrics) != 1 || len(rs[0].Metrics[0].Samples) != 200 {
			t.Errorf("ReadFile(%s): got %+v; want one series of 200 samples", p, rs)
		}
		if string(digest) != string(want[:]) {
			t.Errorf("ReadFile(%s): got digest %x; want %x", p, digest, want)
		}
	}
	if err := <-wrote; err != nil {
		t.Errorf("writing the FIFO: %v", err)
	}
}

// TestReadFileLimitExact checks that a JSON file of exactly the limit is
// read, and one byte more is refused.
func TestReadFileLimitExact(t *testing.T) {
	doc := `[{"name":"x","unit":"ns/iter","value":5}]`
	lowerLimit(t, int64(len(doc)))
	dir := t.TempDir()
	exact := filepath.Join(dir, "exact.json")
	over := filepath.Join(dir, "over.json")
	if err := os.WriteFile(exact, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(over, []byte(doc+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, _, err := ReadFile(exact, "gab", nil); err != nil {
		t.Errorf("exact: %v", err)
	}
	// A regular file is refused by its size, a pipe once read past the limit.
	fifo := filepath.Join(dir, "fifo.json")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	wrote := make(chan error, 1)
	go func() {
		f, err := os.OpenFile(fifo, os.O_WRONLY, 0)
		if err == nil {
			_, err = f.WriteString(doc + "\n")
			f.Close()
		}
		wrote <- err
	}()
	for _, p := range []string{over, fifo} {
		_, _, err := ReadFile(p, "gab", nil)
		var se *SizeError
		if !errors.As(err, &se) || se.Limit != int64(len(doc)) || !strings.HasPrefix(err.Error(), p+": ") {
			t.Errorf("%s: got %v; want a *SizeError naming it", p, err)
		}
	}
	<-wrote // a write error is fine: ReadFile may close before all is written
}

// TestReadCriterionDirRefused checks that a file of a Criterion directory
// that is a link to a device, or over the limit, is a warning naming it.
func TestReadCriterionDirRefused(t *testing.T) {
	lowerLimit(t, 1<<10)
	root := t.TempDir()
	for _, b := range []string{"zero", "big"} {
		dir := filepath.Join(root, b, "new")
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		if b == "zero" {
			if err := os.Symlink("/dev/zero", filepath.Join(dir, "benchmark.json")); err != nil {
				t.Fatal(err)
			}
			continue
		}
		sparseFile(t, dir, "benchmark.json", 1<<30)
	}
	_, _, err := ReadFile(root, "auto", nil)
	if want := root + ": no benchmark results (2 benchmarks skipped)"; err == nil || err.Error() != want || !errors.Is(err, ErrNoResults) {
		t.Fatalf("ReadFile: got %v; want %q", err, want)
	}
	out, err := ReadCriterionDir(os.DirFS(root), root)
	if err != nil {
		t.Fatalf("ReadCriterionDir: %v", err)
	}
	want := []string{
		filepath.Join(root, "big/new/benchmark.json") + ": larger than the 1 KiB limit",
		filepath.Join(root, "zero/new/benchmark.json") + ": is a character device",
	}
	if len(out.Warnings) != len(want) {
		t.Fatalf("got warnings %q; want %d", out.Warnings, len(want))
	}
	for i, w := range out.Warnings {
		if !strings.HasPrefix(w.Error(), want[i]) {
			t.Errorf("warning %d: got %q; want it to start %q", i, w, want[i])
		}
	}
}

// TestReadGoBenchWarningsCapped checks that a file of malformed lines
// lists maxWarnings of them and counts the rest.
func TestReadGoBenchWarningsCapped(t *testing.T) {
	in := strings.Repeat("BenchmarkX 10\n", maxWarnings+500) + "BenchmarkX 10 5 ns/op\n"
	out, err := ReadGoBench(strings.NewReader(in), "in.txt")
	if err != nil {
		t.Fatal(err)
	}
	if out.Records != maxWarnings+501 || out.Parsed != 1 {
		t.Errorf("got records %d, parsed %d; want %d, 1", out.Records, out.Parsed, maxWarnings+501)
	}
	if len(out.Warnings) != maxWarnings+1 {
		t.Fatalf("got %d warnings; want %d", len(out.Warnings), maxWarnings+1)
	}
	if got, want := out.Warnings[maxWarnings].Error(), "in.txt: 500 more malformed lines not listed"; got != want {
		t.Errorf("last warning: got %q; want %q", got, want)
	}
}

func TestLooksLikeFile(t *testing.T) {
	for _, tt := range []struct {
		name string
		want bool
	}{
		{"old.txt", true}, {"results/new.json", true}, {"./base", true}, {"/tmp/x", true}, {"data.js", true},
		{"main", false}, {"origin/main", false}, {"v1.2", false}, {"latest~1", false}, {"run-7#2", false}, {"0123abc", false},
	} {
		if got := LooksLikeFile(tt.name); got != tt.want {
			t.Errorf("LooksLikeFile(%q) = %v; want %v", tt.name, got, tt.want)
		}
	}
}

func TestReadFileNamesAMissingFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "old.txt")
	_, _, err := ReadFile(path, "auto", nil)
	if err == nil || err.Error() != "file "+path+" does not exist" || !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("got %v; want \"file %s does not exist\", matching fs.ErrNotExist", err, path)
	}
}
