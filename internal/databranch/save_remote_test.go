package databranch

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/benchgate/benchgate/internal/store"
)

// TestSaveRedactsCredentials saves to an https remote whose URL holds a
// token (nothing listens on port 1): the error names the remote without the
// token, through every retry.
func TestSaveRedactsCredentials(t *testing.T) {
	const secret = "ghs_s3cretT0ken"
	ctx := context.Background()
	b := &Branch{Remote: "https://x-access-token:" + secret + "@127.0.0.1:1/octo/bench.git", Backoff: time.Millisecond}
	db, err := store.OpenReadOnly(ctx, localDB(t, t.TempDir(), "r1"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	_, err = b.Save(ctx, db)
	if err == nil || strings.Contains(err.Error(), secret) || !strings.Contains(err.Error(), "https://***@127.0.0.1:1/octo/bench.git") {
		t.Errorf("Save: got %v; want an error naming https://***@127.0.0.1:1/octo/bench.git, never the token", err)
	}
}

// TestSavePushRefused saves to a remote whose pre-receive hook refuses
// every push: Save fails, naming the branch and the remote, and the branch
// is not created.
func TestSavePushRefused(t *testing.T) {
	remote := bareRepo(t)
	hook := filepath.Join(remote, "hooks", "pre-receive")
	if err := os.WriteFile(hook, []byte("#!/bin/sh\necho refused by policy >&2\nexit 1\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	b := &Branch{Remote: remote, Backoff: time.Millisecond}
	db, err := store.OpenReadOnly(ctx, localDB(t, t.TempDir(), "r1"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	_, err = b.Save(ctx, db)
	if err == nil || !strings.Contains(err.Error(), "pushing to branch "+DefaultBranch+" of "+remote) || !strings.Contains(err.Error(), "refused by policy") {
		t.Errorf("Save: got %v; want the push's error naming branch %s of %s", err, DefaultBranch, remote)
	}
	if out := gitCmd(t, "", "--git-dir="+remote, "for-each-ref"); out != "" {
		t.Errorf("refs after a refused push: got %q; want none", out)
	}
}

// TestCompactionRefusesBomb: a compaction refuses a run file over the size
// limit as an append does (TestFetchLeavesOutBomb), naming it, and leaves
// the branch as it was: it would drop the file.
func TestCompactionRefusesBomb(t *testing.T) {
	setMaxRunFileSize(t, 1<<20)
	ctx := context.Background()
	remote := bareRepo(t)
	b := &Branch{Remote: remote, MaxAttempts: 3, CompactEvery: 3}
	save(t, b, localDB(t, t.TempDir(), "r1")) // the compacted database
	save(t, b, localDB(t, t.TempDir(), "r2")) // a run file
	bomb := runFileName("bomb", 1)
	addFile(t, remote, bomb, gzipBomb(t, 64<<20))
	tip := gitCmd(t, "", "--git-dir="+remote, "rev-parse", "refs/heads/"+DefaultBranch)

	db, err := store.OpenReadOnly(ctx, localDB(t, t.TempDir(), "r3"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	_, err = b.Save(ctx, db)
	var refused *RefusedError
	if !errors.As(err, &refused) || !errors.Is(err, ErrRunFileTooLarge) || !strings.Contains(err.Error(), bomb) {
		t.Errorf("compacting Save over a bomb: got %v; want a *RefusedError naming %s", err, bomb)
	}
	if got := gitCmd(t, "", "--git-dir="+remote, "rev-parse", "refs/heads/"+DefaultBranch); got != tip {
		t.Errorf("branch after the refused compaction: got %s; want %s (unchanged)", got, tip)
	}
}
