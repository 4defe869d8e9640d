package databranch

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

// dirSize returns the bytes of the files under dir.
func dirSize(t *testing.T, dir string) int64 {
	t.Helper()
	var n int64
	err := filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		fi, err := d.Info()
		if err == nil {
			n += fi.Size()
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestGrowth pushes N small runs one by one and compares the bare
// repository's size with the database's: the repository must not grow by
// a copy of the database per push. Default N = 12 with a compaction every 5
// run files; with BENCHGATE_LONG=1, N = 200 with the default compaction
// period. Figures are logged (go test -v).
func TestGrowth(t *testing.T) {
	n, every := 12, 5
	if long() {
		n, every = 200, 0
	}
	remote := bareRepo(t)
	b := &Branch{Remote: remote, CompactEvery: every}
	dir := t.TempDir()
	empty := dirSize(t, remote)
	for i := range n {
		save(t, b, localDB(t, dir, fmt.Sprintf("run-%03d", i)))
	}
	onDisk := dirSize(t, remote) - empty
	fetched := filepath.Join(dir, "fetched.duckdb")
	got := fetchRuns(t, b)
	if len(got) != n {
		t.Fatalf("runs on the branch: got %d; want %d", len(got), n)
	}
	if _, err := b.Fetch(t.Context(), fetched); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(fetched)
	if err != nil {
		t.Fatal(err)
	}
	dbSize := fi.Size()
	blob, err := strconv.ParseInt(gitCmd(t, "", "--git-dir="+remote, "cat-file", "-s", DefaultBranch+":"+DBFile), 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	gitCmd(t, "", "--git-dir="+remote, "gc", "--quiet", "--prune=now")
	reachable := dirSize(t, remote) - empty
	perPush := onDisk / int64(n)
	t.Logf("%d pushes of a 1-result run: bare repository +%d bytes on disk before gc (%d bytes per push), %d bytes after gc --prune=now; database on the branch %d bytes (fetched copy %d bytes; a copy per push would be %d bytes)",
		n, onDisk, perPush, reachable, blob, dbSize, blob*int64(n))
	if perPush*4 > dbSize {
		t.Errorf("bytes per push: got %d; want under a quarter of the database (%d bytes)", perPush, dbSize)
	}
	if reachable > 2*dbSize {
		t.Errorf("repository after gc: got %d bytes; want at most twice the database (%d bytes)", reachable, dbSize)
	}
}
