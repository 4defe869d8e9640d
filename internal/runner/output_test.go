package runner

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/benchgate/benchgate/internal/config"
	"github.com/benchgate/benchgate/internal/results"
)

// runBounded runs jobs, failing the test when Run has not returned by the
// time the test's own deadline passes (the reading of an output file used
// to ignore the timeout and ctx: a FIFO hung Run for ever).
func runBounded(t *testing.T, jobs []config.Job, o Options) []Outcome {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	type ran struct {
		outs []Outcome
		err  error
	}
	done := make(chan ran, 1)
	go func() {
		outs, err := Run(ctx, jobs, o)
		done <- ran{outs, err}
	}()
	select {
	case r := <-done:
		if r.err != nil {
			t.Fatalf("Run: %v", r.err)
		}
		return r.outs
	case <-ctx.Done():
		t.Fatalf("Run did not return within the test's deadline: it hangs")
	}
	return nil
}

// TestRunOutputFileRefused checks that an {output} file that is not a
// regular file of the run's directory within the size limit fails its own
// benchmark with a result processing error naming the file and why, fast,
// and that the benchmark before it keeps its results (issue 15, item 2).
func TestRunOutputFileRefused(t *testing.T) {
	old := maxOutputFile
	maxOutputFile = 1 << 20
	t.Cleanup(func() { maxOutputFile = old })
	good := `[{"name":"g","value":1}]`
	tests := []struct {
		name    string
		command string // writes the bad output file "$1"
		want    []string
	}{
		{
			name:    "a FIFO",
			command: `mkfifo "$1"`,
			want:    []string{"-r1.json: is a named pipe (FIFO), not a regular file; not read"},
		},
		{
			name:    "a symbolic link to /dev/zero",
			command: `ln -s /dev/zero "$1"`,
			want:    []string{"-r1.json: is a symbolic link to /dev/zero, outside the output directory", "not followed"},
		},
		{
			name:    "a relative symbolic link out of the directory",
			command: `ln -s ../../../../../../../../dev/zero "$1"`,
			want:    []string{"is a symbolic link to ../../../../../../../../dev/zero, outside the output directory"},
		},
		{
			name:    "a directory",
			command: `mkdir "$1"`,
			want:    []string{"-r1.json: is a directory, not a regular file"},
		},
		{
			name:    "a sparse file over the limit",
			command: `truncate -s 64M "$1"`,
			want:    []string{"-r1.json: larger than the 1 MiB limit"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			suite := "benchmarks:\n" +
				"  - {name: good, command: [sh, -c, 'printf \"%s\" \"$1\" > \"$2\"', sh, '" + good + "', '{output}']}\n" +
				"  - {name: bad, timeout: 1h, command: [sh, -c, '" + tt.command + "', sh, '{output}']}\n"
			dir := t.TempDir()
			outs := runBounded(t, planJobs(t, suite), Options{Parse: parseJSON, OutputDir: dir})
			if len(outs) != 2 {
				t.Fatalf("got %d outcomes; want 2", len(outs))
			}
			if f := outs[0].Failure; f != nil || len(outs[0].Results) != 1 || outs[0].Results[0].Name != "g" {
				t.Errorf("good: got failure %+v, results %+v; want its result", f, outs[0].Results)
			}
			f := outs[1].Failure
			if f == nil {
				t.Fatalf("bad: got results %+v; want a failure", outs[1].Results)
			}
			if f.Type != results.ErrResultProcessing {
				t.Errorf("bad: got type %s; want %s (message %q)", f.Type, results.ErrResultProcessing, f.Message)
			}
			name := filepath.Join(dir, "bad-r1.json")
			if !strings.HasPrefix(f.Message, "output file: "+name+":") {
				t.Errorf("bad: got message %q; want it to name %s", f.Message, name)
			}
			for _, w := range tt.want {
				if !strings.Contains(f.Message, w) {
					t.Errorf("bad: got message %q; want it to contain %q", f.Message, w)
				}
			}
		})
	}
}

// TestRunOutputFileLink checks that a symbolic link within the output
// directory is followed, and that a file of exactly the limit is read.
func TestRunOutputFileLink(t *testing.T) {
	good := `[{"name":"g","value":1}]`
	old := maxOutputFile
	maxOutputFile = int64(len(good))
	t.Cleanup(func() { maxOutputFile = old })
	suite := "benchmarks:\n" +
		"  - {name: link, command: [sh, -c, 'printf \"%s\" \"$1\" > \"$2.real\" && ln -s \"$(basename \"$2\").real\" \"$2\"', sh, '" + good + "', '{output}']}\n"
	outs := runBounded(t, planJobs(t, suite), Options{Parse: parseJSON, OutputDir: t.TempDir()})
	if len(outs) != 1 || outs[0].Failure != nil || len(outs[0].Results) != 1 {
		t.Fatalf("got %+v; want one result", outs)
	}
}

// TestReadOutput checks readOutput on files made here: a FIFO with no
// writer (syscall.Mkfifo), a sparse file one byte over the limit, and a
// file of exactly the limit.
func TestReadOutput(t *testing.T) {
	old := maxOutputFile
	maxOutputFile = 4 << 10
	t.Cleanup(func() { maxOutputFile = old })
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo.json")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	big := filepath.Join(dir, "big.json")
	exact := filepath.Join(dir, "exact.json")
	for name, size := range map[string]int64{big: maxOutputFile + 1, exact: maxOutputFile} {
		f, err := os.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		if err := f.Truncate(size); err != nil {
			t.Fatal(err)
		}
		f.Close()
	}
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	if _, err := readOutput(ctx, dir, fifo); err == nil || !strings.Contains(err.Error(), fifo+": is a named pipe (FIFO)") {
		t.Errorf("FIFO: got %v; want it refused, named", err)
	}
	if _, err := readOutput(ctx, dir, big); err == nil || err.Error() != big+": larger than the 4 KiB limit on an input read whole" {
		t.Errorf("big: got %v; want it refused, named, with the limit", err)
	}
	if data, err := readOutput(ctx, dir, exact); err != nil || int64(len(data)) != maxOutputFile {
		t.Errorf("exact: got %d bytes, %v; want %d bytes", len(data), err, maxOutputFile)
	}
	if _, err := readOutput(ctx, dir, filepath.Join(dir, "none.json")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing: got %v; want a not-exist error", err)
	}
}
