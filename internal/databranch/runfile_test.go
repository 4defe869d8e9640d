package databranch

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/benchgate/benchgate/internal/store"
)

// setMaxRunFileSize lowers the run file limit for one test, so that a bomb
// needs megabytes rather than gigabytes.
func setMaxRunFileSize(t *testing.T, n int64) {
	t.Helper()
	old := maxRunFileSize
	maxRunFileSize = n
	t.Cleanup(func() { maxRunFileSize = old })
}

// gzipBomb returns n zero bytes through gzip: a few kilobytes that inflate
// to n.
func gzipBomb(t *testing.T, n int) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		t.Fatal(err)
	}
	zero := make([]byte, 1<<20)
	for n > 0 {
		k := min(n, len(zero))
		if _, err := zw.Write(zero[:k]); err != nil {
			t.Fatal(err)
		}
		n -= k
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// addFile adds file name = data to the remote's data branch in a commit on
// top of its tip.
func addFile(t *testing.T, remote, name string, data []byte) {
	t.Helper()
	work := t.TempDir()
	gitCmd(t, work, "init", "--quiet")
	gitCmd(t, work, "fetch", "--quiet", remote, DefaultBranch)
	gitCmd(t, work, "checkout", "--quiet", "FETCH_HEAD")
	if err := os.MkdirAll(filepath.Dir(filepath.Join(work, name)), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(work, name), data, 0o644); err != nil {
		t.Fatal(err)
	}
	gitCmd(t, work, "add", name)
	gitCmd(t, work, "commit", "--quiet", "-m", "add "+name)
	gitCmd(t, work, "push", "--quiet", remote, "HEAD:refs/heads/"+DefaultBranch)
}

func TestDecodeRunFileLimit(t *testing.T) {
	data, err := encodeRunFile(store.Run{ID: "r1", Attempt: 1, Commit: strings.Repeat("a", 40)}, smallResults(1))
	if err != nil {
		t.Fatal(err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	var inflated bytes.Buffer
	if _, err := inflated.ReadFrom(zr); err != nil {
		t.Fatal(err)
	}
	size := int64(inflated.Len())

	setMaxRunFileSize(t, size)
	if _, err := decodeRunFile("runs/r1.1.json.gz", data); err != nil {
		t.Errorf("run file of exactly the limit (%d bytes): %v; want it read", size, err)
	}
	setMaxRunFileSize(t, size-1)
	if _, err := decodeRunFile("runs/r1.1.json.gz", data); !errors.Is(err, ErrRunFileTooLarge) {
		t.Errorf("run file one byte over the limit: got %v; want ErrRunFileTooLarge", err)
	}
	// A bomb is refused as too large whether it parses (blanks after the
	// run) or not (zeros).
	var padded bytes.Buffer
	zw := gzip.NewWriter(&padded)
	zw.Write(inflated.Bytes())
	zw.Write(bytes.Repeat([]byte(" "), int(size)))
	zw.Close()
	setMaxRunFileSize(t, size+100)
	for name, data := range map[string][]byte{"blanks": padded.Bytes(), "zeros": gzipBomb(t, int(size)*2)} {
		_, err := decodeRunFile("runs/bomb.1.json.gz", data)
		if !errors.Is(err, ErrRunFileTooLarge) || !strings.Contains(err.Error(), "runs/bomb.1.json.gz") {
			t.Errorf("%s: got %v; want ErrRunFileTooLarge naming runs/bomb.1.json.gz", name, err)
		}
	}
}

// TestFetchLeavesOutBomb puts a gzip bomb among the run files of a real
// data branch: Fetch leaves it out, says which file, and returns every
// other run; Save refuses to write over it, naming it.
func TestFetchLeavesOutBomb(t *testing.T) {
	setMaxRunFileSize(t, 1<<20)
	ctx := context.Background()
	remote := bareRepo(t)
	var logs bytes.Buffer
	b := &Branch{Remote: remote, MaxAttempts: 3, Log: slog.New(slog.NewTextHandler(&logs, nil))}
	save(t, b, localDB(t, t.TempDir(), "r1")) // the compacted database
	save(t, b, localDB(t, t.TempDir(), "r2")) // a run file
	bomb := runFileName("bomb", 1)
	addFile(t, remote, bomb, gzipBomb(t, 64<<20)) // 64 KiB compressed, 64 MiB inflated

	path := filepath.Join(t.TempDir(), "f.duckdb")
	res, err := b.Fetch(ctx, path)
	if err != nil {
		t.Fatalf("Fetch: %v; want the branch read without %s", err, bomb)
	}
	if res.Runs != 2 || len(res.Skipped) != 1 || res.Skipped[0] != bomb {
		t.Errorf("Fetch: got %d runs, skipped %q; want 2 runs (r1, r2), skipped [%s]", res.Runs, res.Skipped, bomb)
	}
	if !strings.Contains(logs.String(), "file="+bomb) || !strings.Contains(logs.String(), "inflates to more than 1 MiB") {
		t.Errorf("log: got %q; want a warning naming %s and the limit", logs.String(), bomb)
	}
	if got := fetchRuns(t, b); got["r1"] != 1 || got["r2"] != 1 || len(got) != 2 {
		t.Errorf("fetched runs: got %v; want r1 and r2", got)
	}

	db, err := store.OpenReadOnly(ctx, localDB(t, t.TempDir(), "r3"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	_, err = b.Save(ctx, db)
	var refused *RefusedError
	if !errors.As(err, &refused) || !errors.Is(err, ErrRunFileTooLarge) || !strings.Contains(err.Error(), bomb) {
		t.Errorf("Save over a bomb: got %v; want a *RefusedError naming %s", err, bomb)
	}
}
